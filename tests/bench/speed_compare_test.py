"""Tests of bench/speed_compare.py: its statistics and decision rule on fake timings, the suite
parser's errors, and whole runs against fake build directories.

Run: /usr/bin/python3 -m unittest discover -s tests/bench -p '*_test.py'
(ctest runs them as BenchSpeedCompare.) Nothing here needs a build of hlsim: the "build dirs"
hold shell-script stand-ins for hlsim and a Google Benchmark binary whose speed each test sets
(a sleep for hlsim, a reported time for the benchmark), and a stand-in for valgrind that writes a
callgrind summary line with a count the test chose.
"""
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(SOURCE, "bench", "speed_compare.py")
PYTHON = "/usr/bin/python3"
sys.path.insert(0, os.path.join(SOURCE, "bench"))

import speed_compare as sc  # noqa: E402

# hlsim stand-in: sleeps the seconds in <its dir>/sleep, prints a summary like `hlsim run --json`.
FAKE_HLSIM = """\
#!/bin/sh
here=$(dirname "$0")
sleep "$(cat "$here/sleep")"
echo '{"host": {"wall_s": 0.1, "events_per_s": 12345.0, "simulated_s_per_wall_s": 1.0}}'
"""
# Google Benchmark stand-in: lists BM_Fake, reports <its dir>/../ns as its real and cpu time.
FAKE_GBENCH = """\
#!/bin/sh
here=$(dirname "$0")
case "$1" in
  --benchmark_list_tests=true) echo BM_Fake/64; exit 0 ;;
esac
ns=$(cat "$here/../ns")
printf '{"context": {}, "benchmarks": [{"name": "BM_Fake/64", "run_type": "iteration",
 "iterations": 10, "real_time": %s, "cpu_time": %s, "time_unit": "ns"}]}\\n' "$ns" "$ns"
"""
# valgrind stand-in: runs the command, writes 'summary: <the command's dir>/ir' to the out file.
FAKE_VALGRIND = """\
#!/bin/sh
shift
out=${1#--callgrind-out-file=}
shift
"$@" >/dev/null || exit $?
printf 'events: Ir\\nsummary: %s\\n' "$(cat "$(dirname "$1")/ir")" > "$out"
"""


def write(path, text, mode=0o644):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, mode)


def fake_build(root, name, sleep_s, ns, ir):
    build = os.path.join(root, name)
    os.makedirs(os.path.join(build, "bench"))
    write(os.path.join(build, "hlsim"), FAKE_HLSIM, 0o755)
    write(os.path.join(build, "bench", "bench_fake"), FAKE_GBENCH, 0o755)
    write(os.path.join(build, "sleep"), str(sleep_s))
    write(os.path.join(build, "ns"), str(ns))
    write(os.path.join(build, "ir"), str(ir))
    return build


class Statistics(unittest.TestCase):
    def test_quantiles(self):
        self.assertEqual(sc.median([3.0, 1.0, 2.0]), 2.0)
        self.assertEqual(sc.median([1.0, 2.0, 3.0, 4.0]), 2.5)
        self.assertEqual(sc.median([7.0]), 7.0)
        self.assertAlmostEqual(sc.quantile([1.0, 2.0, 3.0, 4.0, 5.0], 0.25), 2.0)
        self.assertAlmostEqual(sc.quantile([1.0, 2.0], 0.75), 1.75)

    def test_clear_regression_is_slower(self):
        self.assertEqual(sc.verdict([1.10, 1.12, 1.09, 1.11, 1.10], 5), "slower")

    def test_clear_improvement_is_faster(self):
        self.assertEqual(sc.verdict([0.80, 0.82, 0.79], 5), "faster")

    def test_small_change_is_same(self):
        self.assertEqual(sc.verdict([1.04, 1.03, 1.04, 1.045, 1.02], 5), "same")
        self.assertEqual(sc.verdict([0.97, 0.96, 0.98], 5), "same")

    def test_median_over_the_line_but_pairs_disagree_is_same(self):
        # Median 1.20, but only 3 of 5 pairs above 1.025 (4 needed): a few disturbed pairs.
        self.assertEqual(sc.verdict([1.2, 1.0, 1.0, 1.2, 1.3], 5), "same")
        # Same median with 4 of 5 pairs above 1.025: slower.
        self.assertEqual(sc.verdict([1.2, 1.03, 1.0, 1.2, 1.3], 5), "slower")

    def test_one_outlier_does_not_hide_a_regression(self):
        self.assertEqual(sc.verdict([1.10, 1.11, 0.70, 1.09, 1.12, 1.10], 5), "slower")

    def test_threshold_scales(self):
        self.assertEqual(sc.verdict([1.10] * 3, 20), "same")
        self.assertEqual(sc.verdict([1.25] * 3, 20), "slower")

    def test_summarize_ratios_pair_by_pair(self):
        entry = {"name": "x", "kind": "gbench"}
        row = sc.summarize(entry, [1.0, 2.0, 4.0], [1.1, 2.2, 4.4], 5)
        for r in row["ratios"]:
            self.assertAlmostEqual(r, 1.1)
        self.assertAlmostEqual(row["median_ratio"], 1.1)
        self.assertEqual(row["baseline_median_s"], 2.0)
        self.assertEqual(row["verdict"], "slower")

    def test_moved_first(self):
        rows = [{"name": "a", "verdict": "same", "median_ratio": 1.01},
                {"name": "b", "verdict": "faster", "median_ratio": 0.8},
                {"name": "c", "verdict": "slower", "median_ratio": 1.1},
                {"name": "d", "verdict": "slower", "median_ratio": 1.3}]
        self.assertEqual([r["name"] for r in sc.moved_first(rows)], ["d", "c", "b", "a"])

    def test_instruction_verdict(self):
        self.assertEqual(sc.instr_verdict(1.0049, 1), "same")
        self.assertEqual(sc.instr_verdict(1.02, 1), "slower")
        self.assertEqual(sc.instr_verdict(0.97, 1), "faster")

    def test_callgrind_total(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "cg.out")
            write(out, "version: 1\nevents: Ir\nfl=x\n0 5\nsummary: 123456789\n")
            self.assertEqual(sc.parse_callgrind_total(out, ""), 123456789)
            missing = os.path.join(d, "none")
            self.assertEqual(sc.parse_callgrind_total(missing, "==1== Collected : 42\n"), 42)
            self.assertEqual(sc.parse_callgrind_total(missing, "==1== I   refs:  1,234\n"), 1234)
            self.assertIsNone(sc.parse_callgrind_total(missing, "nothing"))

    def test_gbench_filter_escapes(self):
        self.assertEqual(sc.gbench_filter("BM_X/64"), "^BM_X/64$")
        self.assertEqual(sc.gbench_filter("BM_X/a.b"), r"^BM_X/a\.b$")


class Suite(unittest.TestCase):
    def suite_error(self, text):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "suite.txt")
            write(path, text)
            with self.assertRaises(sc.BadInput) as caught:
                sc.read_suite(path)
            return str(caught.exception).replace(path, "SUITE")

    def test_good_suite(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "suite.txt")
            write(path, textwrap.dedent("""\
                # comment
                k  gbench   bench_kernel BM_Phold_Hlsim/100000 --benchmark_min_time=0.2
                q  scenario scenarios/quickstart.yaml duration_s=2 --set seed=3 callgrind:drain_s=1
                """))
            k, q = sc.read_suite(path)
        self.assertEqual((k["binary"], k["benchmark"], k["flags"]),
                         ("bench_kernel", "BM_Phold_Hlsim/100000", ["--benchmark_min_time=0.2"]))
        self.assertEqual(q["sets"], ["duration_s=2", "seed=3"])
        self.assertEqual(q["callgrind_sets"], ["drain_s=1"])

    def test_the_real_suite_parses(self):
        entries = sc.read_suite(sc.SUITE)
        self.assertGreaterEqual(len(entries), 6)
        self.assertEqual({e["kind"] for e in entries}, {"gbench", "scenario"})

    def test_errors_name_file_and_line(self):
        cases = {
            "a gbench bench_kernel\n": "SUITE:1: gbench entry needs",
            "\n# c\na sometimes x y\n": "SUITE:3: expected",
            "a scenario scenarios/quickstart.yaml duration_s\n": "SUITE:1: scenario entry: "
                                                                 "expected key=value",
            "a scenario scenarios/nope.yaml\n": "SUITE:1: no scenario file",
            "a gbench b BM_X --min_time=1\n": "SUITE:1: gbench entry: unexpected '--min_time=1'",
            "a gbench b BM_X\na gbench b BM_Y\n": "SUITE:2: duplicate name 'a'",
            "# nothing\n": "SUITE: no entries",
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertIn(expected, self.suite_error(text))


class EndToEnd(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.root = self.tmp.name
        self.valgrind = os.path.join(self.root, "valgrind")
        write(self.valgrind, FAKE_VALGRIND, 0o755)

    def suite(self, text):
        path = os.path.join(self.root, "suite.txt")
        write(path, text)
        return path

    def run_tool(self, base, cand, suite, *extra, subprocess_run=False):
        """(result with returncode, stdout, stderr; the --json document or None). In this
        process (fast) unless subprocess_run: then as a user runs it."""
        out = os.path.join(self.root, "out.json")
        argv = ["--baseline", base, "--candidate", cand, "--suite", suite,
                "--valgrind", self.valgrind, "--json", out] + list(extra)
        if subprocess_run:
            proc = subprocess.run([PYTHON, SCRIPT] + argv, capture_output=True, text=True,
                                  check=False, timeout=60)
        else:
            stdout, stderr = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                status = sc.main(argv)
            proc = subprocess.CompletedProcess(argv, status, stdout.getvalue(), stderr.getvalue())
        doc = None
        if os.path.exists(out):
            with open(out, encoding="utf-8") as f:
                doc = json.load(f)
            os.unlink(out)
        return proc, doc

    SUITE = ("fake-bench  gbench    bench_fake  BM_Fake/64\n"
             "fake-run    scenario  scenarios/quickstart.yaml  duration_s=1\n")

    def test_slower_scenario_exits_1_and_is_named_first(self):
        base = fake_build(self.root, "base", 0.1, 1000, 10**6)
        cand = fake_build(self.root, "cand", 0.3, 1000, 10**6)
        proc, doc = self.run_tool(base, cand, self.suite(self.SUITE), "--pairs", "3",
                                  "--threshold", "50", subprocess_run=True)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        lines = proc.stdout.splitlines()
        header = next(i for i, line in enumerate(lines) if line.startswith("entry"))
        self.assertTrue(lines[header + 2].startswith("fake-run"), proc.stdout)
        self.assertIn("SLOWER", lines[header + 2])
        self.assertIn("same", lines[header + 3])
        self.assertIn("1 slower (fake-run)", proc.stdout)
        self.assertIn("pair 3/3", proc.stderr)
        rows = {r["name"]: r for r in doc["time"]}
        self.assertEqual(rows["fake-run"]["verdict"], "slower")
        self.assertGreater(rows["fake-run"]["median_ratio"], 1.5)
        self.assertEqual(len(rows["fake-run"]["ratios"]), 3)
        self.assertEqual(rows["fake-run"]["candidate_events_per_s"], 12345.0)
        self.assertEqual(rows["fake-bench"]["median_ratio"], 1.0)
        self.assertEqual(doc["regressed"], ["fake-run"])

    def test_slower_benchmark_exits_1(self):
        base = fake_build(self.root, "base", 0, 1000, 10**6)
        cand = fake_build(self.root, "cand", 0, 1100, 10**6)
        proc, doc = self.run_tool(base, cand, self.suite(self.SUITE), "--pairs", "2",
                                  "--only", "bench", "--clock", "cpu")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertEqual([r["name"] for r in doc["time"]], ["fake-bench"])
        self.assertAlmostEqual(doc["time"][0]["median_ratio"], 1.1)
        self.assertIn("SLOWER", proc.stdout)

    def test_same_speed_exits_0(self):
        base = fake_build(self.root, "base", 0.2, 1000, 10**6)
        cand = fake_build(self.root, "cand", 0.2, 1000, 10**6)
        proc, doc = self.run_tool(base, cand, self.suite(self.SUITE), "--pairs", "3",
                                  "--threshold", "50")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual({r["verdict"] for r in doc["time"]}, {"same"})
        self.assertIn("none slower", proc.stdout)

    def test_instructions(self):
        base = fake_build(self.root, "base", 0, 1000, 1_000_000)
        same = fake_build(self.root, "same", 0, 1000, 1_004_000)
        more = fake_build(self.root, "more", 0, 1000, 1_050_000)
        suite = self.suite(self.SUITE)
        proc, doc = self.run_tool(base, same, suite, "--pairs", "0", "--instructions")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(doc["time"], [])
        (row,) = doc["instructions"]
        self.assertEqual((row["baseline_ir"], row["candidate_ir"], row["verdict"]),
                         (1_000_000, 1_004_000, "same"))
        self.assertEqual(doc["skipped_for_instructions"], ["fake-bench"])
        self.assertIn("skipped gbench entries", proc.stdout)
        self.assertIn("1,004,000", proc.stdout)
        proc, doc = self.run_tool(base, more, suite, "--pairs", "0", "--instructions")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertEqual(doc["regressed"], ["fake-run (instructions)"])

    def test_bad_input_exits_2(self):
        base = fake_build(self.root, "base", 0, 1000, 1)
        suite = self.suite(self.SUITE)
        proc, _ = self.run_tool(base, os.path.join(self.root, "nope"), suite,
                                subprocess_run=True)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--candidate", proc.stderr)
        self.assertIn("no such build directory", proc.stderr)
        empty = os.path.join(self.root, "empty")
        os.makedirs(empty)
        proc, _ = self.run_tool(base, empty, suite)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no executable bench/bench_fake", proc.stderr)
        proc, _ = self.run_tool(base, base, self.suite("x gbench bench_fake BM_Other\n"))
        self.assertEqual(proc.returncode, 2)
        self.assertIn("has no benchmark named 'BM_Other'", proc.stderr)
        proc, _ = self.run_tool(base, base, self.suite("ok gbench bench_fake BM_Fake/64\nbad\n"))
        self.assertEqual(proc.returncode, 2)
        self.assertRegex(proc.stderr, r"suite\.txt:2: expected")
        proc, _ = self.run_tool(base, base, self.suite(self.SUITE), "--only", "zzz")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no entry", proc.stderr)

    def test_self_compare_in_process(self):
        # The same build on both sides: every benchmark ratio is exactly 1.
        build = fake_build(self.root, "b", 0, 500, 1)
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            status = sc.main(["--baseline", build, "--candidate", build, "--pairs", "2",
                              "--suite", self.suite(self.SUITE), "--only", "bench"])
        self.assertEqual(status, 0)
        self.assertRegex(out.getvalue(), r"fake-bench\s+gbench\s+500\.0 ns\s+500\.0 ns\s+1\.000")


if __name__ == "__main__":
    unittest.main()
