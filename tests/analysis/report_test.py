"""Tests of `hlsim report` (analysis/report.py and its modules) on small real results files.

Run: HLSIM_BIN=build/release/hlsim /usr/bin/python3 -m unittest discover -s tests/analysis \
         -p '*_test.py'
(ctest runs them as AnalysisReport.) The files come from short `hlsim run`s of the hlsim under
test (HLSIM_BIN, else build/release/hlsim of this tree) and a sweep file assembled from such runs
by results_fixtures; the report itself runs in this process except where exit statuses and
messages are checked, which run it as a user would.
"""
import contextlib
import io
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
ANALYSIS = os.path.join(SOURCE, "analysis")
REPORT = os.path.join(ANALYSIS, "report.py")
PYTHON = "/usr/bin/python3"
sys.path.insert(0, ANALYSIS)
sys.path.insert(0, HERE)

import hlsim_results  # noqa: E402
import report  # noqa: E402
import report_html  # noqa: E402
import report_plots  # noqa: E402
import results_fixtures as fixtures  # noqa: E402

PLOT_STEMS = ("throughput", "latency_cdf", "messages_per_block")


def find_hlsim():
    path = os.environ.get("HLSIM_BIN") or os.path.join(SOURCE, "build", "release", "hlsim")
    return os.path.abspath(path) if os.access(path, os.X_OK) else None


def run_report(results, outdir):
    """report.main in this process; returns (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = report.main([results, "-o", outdir])
    return status, out.getvalue(), err.getvalue()


def run_report_process(*args, env=None):
    """report.py as its own process; returns the CompletedProcess (text output)."""
    return subprocess.run([PYTHON, REPORT, *args], capture_output=True, text=True, env=env)


def linked_files(page):
    """Every relative file the page links to or shows (src and href, anchors excluded)."""
    return {m for m in re.findall(r'(?:src|href)="([^"#][^"]*)"', page)}


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class ReportTest(unittest.TestCase):
    """Builds the results files once: a plain run, a run with a fault window, and a sweep."""

    @classmethod
    def setUpClass(cls):
        cls.hlsim = find_hlsim()
        if cls.hlsim is None:
            raise unittest.SkipTest("no hlsim binary: set HLSIM_BIN")
        cls.tmp = tempfile.mkdtemp(prefix="hlsim-report-test-")
        cls.single = fixtures.run_hlsim(cls.hlsim, cls.tmp, "single", fixtures.SCENARIO)
        cls.crash = fixtures.run_hlsim(cls.hlsim, cls.tmp, "crash",
                                       fixtures.SCENARIO + fixtures.CRASH_FAULTS)
        cls.sweep, cls.expected_aggregate = fixtures.build_sweep(
            cls.hlsim, cls.tmp, error_point=("pbft", 10))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def outdir(self, name):
        return os.path.join(self.tmp, "out-" + name)

    def copy(self, src, name):
        dst = os.path.join(self.tmp, name)
        shutil.copyfile(src, dst)
        return dst

    def assert_page_consistent(self, outdir):
        """index.html exists, links only files that exist, and shows every PNG and SVG written."""
        page = read(os.path.join(outdir, "index.html"))
        links = linked_files(page)
        for name in links:
            self.assertTrue(os.path.isfile(os.path.join(outdir, name)), f"{name} linked, missing")
        images = {f for f in os.listdir(outdir) if f.endswith((".png", ".svg"))}
        self.assertEqual(images - links, set(), "files written but not on the page")
        self.assertIn("figures.csv", links)
        return page

    # --- a single run ------------------------------------------------------------------------

    def test_single_run_writes_every_plot_and_the_page(self):
        out = self.outdir("single")
        status, stdout, stderr = run_report(self.single, out)
        self.assertEqual(status, 0, stderr)
        for stem in PLOT_STEMS:
            for ext in (".png", ".svg"):
                path = os.path.join(out, stem + ext)
                self.assertTrue(os.path.getsize(path) > 1000, path)
        with open(os.path.join(out, "throughput.png"), "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertIn("<svg", read(os.path.join(out, "latency_cdf.svg")))
        page = self.assert_page_consistent(out)
        for stem in PLOT_STEMS:
            self.assertIn(f'<img src="{stem}.png"', page)
        self.assertIn("index.html", stdout)

    def test_single_run_skips_comparison_and_sweep_with_a_note(self):
        out = self.outdir("single-skips")
        status, _, stderr = run_report(self.single, out)
        self.assertEqual(status, 0, stderr)
        page = read(os.path.join(out, "index.html"))
        self.assertIn("Not drawn: the file holds runs of one protocol only (raft).", page)
        self.assertIn("Not drawn: the file is not a sweep (no /sweep group).", page)
        self.assertFalse(os.path.exists(os.path.join(out, "protocols.png")))

    def test_figures_csv_has_the_run_and_its_summary_figures(self):
        out = self.outdir("single-csv")
        self.assertEqual(run_report(self.single, out)[0], 0)
        import pandas as pd
        figures = pd.read_csv(os.path.join(out, "figures.csv"))
        self.assertEqual(len(figures), 1)
        with hlsim_results.open_results(self.single) as r:
            run = r.runs[0]
            self.assertEqual(figures.loc[0, "protocol"], "raft")
            self.assertEqual(figures.loc[0, "status"], "ok")
            self.assertAlmostEqual(figures.loc[0, "committed_tps"], run.figure("committed_tps"))
            self.assertAlmostEqual(figures.loc[0, "p99_ms"], run.figure("latency", "p99_ms"))

    def test_latencies_match_the_summary(self):
        # The CDF's data: ordered transactions, commit_ns - submit_ns, as the summary counts them.
        with hlsim_results.open_results(self.single) as r:
            run = r.runs[0]
            lat = run.latencies_ms()
            self.assertEqual(len(lat), run.figure("latency", "count"))
            self.assertAlmostEqual(lat["latency_ms"].mean(), run.figure("latency", "mean_ms"),
                                   places=6)

    # --- fault windows -----------------------------------------------------------------------

    def test_fault_window_is_shaded_and_named(self):
        with hlsim_results.open_results(self.crash) as r:
            series = [(run, run.table("timeseries")) for run in r.runs]
            windows = report_plots.fault_windows(series)
        self.assertEqual(len(windows), 1)
        self.assertIn("crash", windows[0].label)
        self.assertEqual((windows[0].begin_s, windows[0].end_s, windows[0].ended), (1.0, 2.0, True))
        out = self.outdir("crash")
        status, _, stderr = run_report(self.crash, out)
        self.assertEqual(status, 0, stderr)
        page = self.assert_page_consistent(out)
        self.assertRegex(page, r"Shaded: fault windows \(F1 crash node \d+ \(the leader\), "
                               r"1\u20132 s\)")
        self.assertIn("F1: crash node", read(os.path.join(out, "throughput.svg")))

    def test_fault_windows_fall_back_to_faults_active(self):
        # Without a faults table the windows come from the seconds marked in the timeseries.
        path = self.copy(self.crash, "crash-no-faults-table.h5")
        with h5py.File(path, "r+") as f:
            del f["runs/0/faults"]
        with hlsim_results.open_results(path) as r:
            series = [(run, run.table("timeseries")) for run in r.runs]
            windows = report_plots.fault_windows(series)
        self.assertEqual([(w.label, w.begin_s, w.end_s) for w in windows],
                         [("fault active", 1.0, 2.0)])

    # --- missing data ------------------------------------------------------------------------

    def test_missing_tables_skip_their_plots_with_a_note(self):
        path = self.copy(self.single, "no-tables.h5")
        with h5py.File(path, "r+") as f:
            for table in ("timeseries", "tx", "messages", "faults"):
                del f[f"runs/0/{table}"]
        out = self.outdir("no-tables")
        status, _, stderr = run_report(path, out)
        self.assertEqual(status, 0, stderr)
        page = self.assert_page_consistent(out)
        self.assertIn("Not drawn: no run has a timeseries table", page)
        self.assertIn("Not drawn: no run has a tx table.", page)
        self.assertFalse(os.path.exists(os.path.join(out, "throughput.png")))
        self.assertFalse(os.path.exists(os.path.join(out, "latency_cdf.svg")))
        # Messages per block come from the summary, which is still there.
        self.assertTrue(os.path.exists(os.path.join(out, "messages_per_block.png")))

    def test_incomplete_run_is_flagged(self):
        path = self.copy(self.single, "incomplete.h5")
        with h5py.File(path, "r+") as f:
            f["runs/0"].attrs["complete"] = 0
            f["runs/0"].attrs["stop_reason"] = "interrupted (SIGINT)"
        with hlsim_results.open_results(path) as r:
            figures = hlsim_results.key_figures(r)
            page = report_html.render(r, path, [], figures, "figures.csv")
        self.assertEqual(list(figures["status"]), ["incomplete"])
        self.assertIn("<li>incomplete: interrupted (SIGINT)</li>", page)
        self.assertIn('<td class="bad">incomplete</td>', page)

    def test_messages_fall_back_to_the_messages_table(self):
        with hlsim_results.open_results(self.single) as r:
            run = r.runs[0]
            from_summary = report_plots.message_rates(run)
            run.summary.pop("message_types")
            from_table = report_plots.message_rates(run)
        self.assertEqual(set(from_summary), set(from_table))
        for t, (_, rate) in from_summary.items():
            self.assertAlmostEqual(rate, from_table[t][1], places=9)

    def test_a_failing_plot_exits_1_and_keeps_the_others(self):
        def broken(results, outdir):
            raise RuntimeError("deliberately broken")

        out = self.outdir("broken-plot")
        saved = report_plots.PLOTS
        report_plots.PLOTS = (broken,) + saved
        try:
            status, _, stderr = run_report(self.single, out)
        finally:
            report_plots.PLOTS = saved
        self.assertEqual(status, 1)
        self.assertIn("broken: RuntimeError: deliberately broken", stderr)
        page = self.assert_page_consistent(out)
        self.assertIn("Not drawn: drawing it failed (RuntimeError: deliberately broken).", page)
        self.assertIn('<img src="throughput.png"', page)

    # --- a sweep -----------------------------------------------------------------------------

    def test_sweep_report(self):
        out = self.outdir("sweep")
        status, _, stderr = run_report(self.sweep, out)
        self.assertEqual(status, 0, stderr)
        for stem in PLOT_STEMS + ("protocols", "sweep_consensus_nodes"):
            for ext in (".png", ".svg"):
                self.assertTrue(os.path.isfile(os.path.join(out, stem + ext)), stem + ext)
        page = self.assert_page_consistent(out)
        self.assertIn('<section id="aggregate">', page)
        self.assertIn("95% confidence interval", page)
        self.assertIn("run 8: status error, no results stored: the run&#x27;s process was killed",
                      page)
        self.assertIn("runs left out of the aggregate (status not ok): 1 error", page)
        import pandas as pd
        figures = pd.read_csv(os.path.join(out, "figures.csv"))
        self.assertEqual(len(figures), 9)  # 2 protocols x 2 sizes x 2 seeds, and the error row
        self.assertEqual(list(figures["status"]).count("ok"), 8)
        self.assertIn("consensus.nodes", figures.columns)

    def test_sweep_file_of_hlsim_sweep(self):
        # The same from `hlsim sweep` itself, when the binary under test has it (HLSIM_SWEEP_BIN
        # may name another binary that does).
        hlsim = os.environ.get("HLSIM_SWEEP_BIN") or self.hlsim
        usage = subprocess.run([hlsim, "--help"], capture_output=True, text=True).stdout
        if not re.search(r"^\s+sweep\s", usage, re.MULTILINE):
            self.skipTest(f"{hlsim} has no sweep subcommand")
        work = os.path.join(self.tmp, "hlsim-sweep")
        os.makedirs(work, exist_ok=True)
        with open(os.path.join(work, "base.yaml"), "w", encoding="utf-8") as f:
            f.write(fixtures.SCENARIO)
        with open(os.path.join(work, "sweep.yaml"), "w", encoding="utf-8") as f:
            f.write("base: base.yaml\ngrid:\n  consensus.protocol: [raft, pbft]\n"
                    "  consensus.nodes: [4, 5]\nseeds: [1, 2]\noutput: sweep.h5\n")
        proc = subprocess.run([hlsim, "sweep", "sweep.yaml", "-j", "1", "-q"], cwd=work,
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        out = self.outdir("hlsim-sweep")
        status, _, stderr = run_report(os.path.join(work, "sweep.h5"), out)
        self.assertEqual(status, 0, stderr)
        page = self.assert_page_consistent(out)
        self.assertIn('<img src="sweep_consensus_nodes.png"', page)
        self.assertIn('<img src="protocols.png"', page)

    def test_sweep_with_only_a_string_parameter_skips_the_curves(self):
        path = self.copy(self.sweep, "sweep-protocol-only.h5")
        with h5py.File(path, "r+") as f:
            f["sweep"].attrs["parameters"] = '["consensus.protocol"]'
            del f["sweep/aggregate"]
        out = self.outdir("sweep-protocol-only")
        status, _, stderr = run_report(path, out)
        self.assertEqual(status, 0, stderr)
        page = read(os.path.join(out, "index.html"))
        self.assertIn("Not drawn: no numeric swept parameter to draw curves against "
                      "(swept: consensus.protocol).", page)
        self.assertIn("/sweep/aggregate is missing; recomputed from /sweep/runs", page)

    def test_aggregate_is_read_and_recomputed_alike(self):
        def by_point(df):
            return {(row["consensus.protocol"], row["consensus.nodes"]): row
                    for _, row in df.iterrows()}

        path = self.copy(self.sweep, "sweep-no-aggregate.h5")
        with h5py.File(path, "r+") as f:
            del f["sweep/aggregate"]
        with hlsim_results.open_results(self.sweep) as stored, \
                hlsim_results.open_results(path) as recomputed:
            self.assertFalse(stored.sweep.aggregate_recomputed)
            self.assertTrue(recomputed.sweep.aggregate_recomputed)
            a, b = by_point(stored.sweep.aggregate), by_point(recomputed.sweep.aggregate)
        expected = {(e["consensus.protocol"], e["consensus.nodes"]): e
                    for e in self.expected_aggregate}
        self.assertEqual(set(a), set(expected))
        # The recomputed aggregate also has the error run's point, with no ok run.
        self.assertEqual(set(b), set(expected) | {("pbft", 10.0)})
        self.assertEqual(b[("pbft", 10.0)]["n"], 0)
        for point, e in expected.items():
            for column, value in e.items():
                if column in ("consensus.protocol", "consensus.nodes"):
                    continue
                for got in (a[point][column], b[point][column]):
                    if isinstance(value, float) and math.isnan(value):
                        self.assertTrue(math.isnan(got), (point, column))
                    else:
                        self.assertAlmostEqual(got, value, places=4, msg=(point, column))

    def test_string_columns_as_bytes_or_variable_length_read_alike(self):
        vlen, _ = fixtures.build_sweep(self.hlsim, self.tmp, protocols=("raft",), nodes=(4, 5),
                                       seeds=(1,), vlen_strings=True, name="sweep-vlen")
        fixed, _ = fixtures.build_sweep(self.hlsim, self.tmp, protocols=("raft",), nodes=(4, 5),
                                        seeds=(1,), vlen_strings=False, name="sweep-fixed")
        with hlsim_results.open_results(vlen) as v, hlsim_results.open_results(fixed) as f:
            for a, b in ((v.sweep.runs, f.sweep.runs), (v.sweep.aggregate, f.sweep.aggregate)):
                self.assertEqual(list(a["consensus.protocol"]), ["raft", "raft"])
                self.assertEqual(list(a["consensus.protocol"]), list(b["consensus.protocol"]))
            self.assertEqual(list(v.sweep.runs["status"]), ["ok", "ok"])
            self.assertEqual(v.sweep.numeric_parameters(), ["consensus.nodes"])

    def test_t_quantiles(self):
        self.assertAlmostEqual(hlsim_results.t975(1), 12.7062, places=4)
        self.assertAlmostEqual(hlsim_results.t975(30), 2.0423, places=4)
        self.assertAlmostEqual(hlsim_results.t975(60), 2.0003, places=3)
        self.assertAlmostEqual(hlsim_results.t975(10 ** 6), 1.9600, places=4)
        self.assertEqual(hlsim_results.mean_ci95([5.0]), (5.0, 5.0, 5.0))

    # --- bad input and exit statuses ---------------------------------------------------------

    def assert_bad_input(self, proc, name):
        self.assertEqual(proc.returncode, 2, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertTrue(lines[0].startswith("hlsim: error: "), proc.stderr)
        self.assertIn(name, lines[0])

    def test_missing_file_exits_2_naming_it(self):
        missing = os.path.join(self.tmp, "does-not-exist.h5")
        self.assert_bad_input(run_report_process(missing, "-o", self.outdir("x")), missing)

    def test_not_a_results_file_exits_2_naming_it(self):
        text = os.path.join(self.tmp, "text.h5")
        with open(text, "w", encoding="utf-8") as f:
            f.write("not HDF5\n")
        self.assert_bad_input(run_report_process(text, "-o", self.outdir("x")), text)
        other = os.path.join(self.tmp, "other.h5")
        with h5py.File(other, "w") as f:
            f.create_dataset("data", data=[1, 2, 3])
        proc = run_report_process(other, "-o", self.outdir("x"))
        self.assert_bad_input(proc, other)
        self.assertIn("no /runs group", proc.stderr)

    def test_unwritable_output_exits_2_naming_it(self):
        blocker = os.path.join(self.tmp, "a-file")
        with open(blocker, "w", encoding="utf-8") as f:
            f.write("x")
        outdir = os.path.join(blocker, "report")
        self.assert_bad_input(run_report_process(self.single, "-o", outdir), outdir)
        self.assert_bad_input(run_report_process(self.single, "-o", blocker), blocker)

    def test_missing_package_names_the_debian_package(self):
        # A module named h5py that fails to import shadows the real one.
        fake = os.path.join(self.tmp, "fake-modules")
        os.makedirs(fake, exist_ok=True)
        with open(os.path.join(fake, "h5py.py"), "w", encoding="utf-8") as f:
            f.write("raise ImportError('No module named h5py (test)')\n")
        env = dict(os.environ, PYTHONPATH=fake)
        proc = run_report_process(self.single, "-o", self.outdir("x"), env=env)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("python3-h5py", proc.stderr)
        self.assertNotIn("python3-pandas", proc.stderr)
        self.assertTrue(proc.stderr.startswith("hlsim: error: "), proc.stderr)

    def test_hlsim_report_command(self):
        # The subcommand runs the script of the tree it was built from and passes the status on.
        out = self.outdir("cli")
        proc = subprocess.run([self.hlsim, "report", self.crash, "-o", out, "--quiet"],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout, "")
        self.assertTrue(os.path.isfile(os.path.join(out, "index.html")))
        missing = os.path.join(self.tmp, "missing.h5")
        proc = subprocess.run([self.hlsim, "report", missing, "-o", out], capture_output=True,
                              text=True)
        self.assert_bad_input(proc, missing)


if __name__ == "__main__":
    unittest.main()
