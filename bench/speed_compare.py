#!/usr/bin/python3
"""The speed compare: host speed of two builds of hlsim, measured side by side.

Usage: bench/speed_compare.py --baseline BUILD_DIR --candidate BUILD_DIR
           [--suite bench/speed/suite.txt] [--pairs N] [--threshold PCT] [--clock real|cpu]
           [--only SUBSTRING]...
           [--instructions [--instr-threshold PCT]] [--json FILE]

The macro suite (bench/macro_compare.py) checks the simulated figures, which are deterministic.
This checks how fast the host runs them, which is noisy, so it never compares against stored
numbers: it runs a baseline build and a candidate build (e.g. main and your branch, see
scripts/speed-compare.sh) on the same machine, interleaved, and judges ratios.

Suite (bench/speed/suite.txt), one entry per line, '#' starts a comment:
  name  gbench    BINARY BENCHMARK [--benchmark_FLAG=VALUE ...]
  name  scenario  SCENARIO.yaml [[--set] key=value ...] [callgrind:key=value ...]
A gbench entry runs BUILD_DIR/bench/BINARY --benchmark_filter=^BENCHMARK$ (the exact name, as
--benchmark_list_tests prints it) --benchmark_format=json and takes the real time per iteration.
A scenario entry runs BUILD_DIR/hlsim run SCENARIO --json -q --threads 1 -o TMP [--set ...] and
takes the wall time of the whole process (set-up, simulation, results written); the simulator's
own events/s (summary host.events_per_s) is reported beside it. callgrind:key=value overrides
apply only to --instructions runs (which are ~50x slower), e.g. callgrind:duration_s=2.

Clock. --clock real (default) compares elapsed time: Google Benchmark's real_time, the wall time
of the hlsim process. On a shared or loaded machine elapsed time includes waiting for a CPU;
--clock cpu compares CPU time instead (Google Benchmark's cpu_time of the benchmark thread; user +
system time of the hlsim process), which other load disturbs far less.

Pairs. Each of --pairs N rounds runs every entry once per build, baseline and candidate back to
back in an order drawn per pair and entry from random.Random(pair index), so that machine drift
hits both builds alike; each pair gives ratio = candidate time / baseline time. Pairs are the
outer loop, so one noisy moment touches one pair of many entries, not every pair of one.

Verdict, per entry, with t = --threshold / 100 (default 5%) and n pairs:
  slower  median ratio > 1 + t  and at least ceil(2n/3) pair ratios > 1 + t/2
  faster  median ratio < 1 - t  and at least ceil(2n/3) pair ratios < 1 - t/2
  same    otherwise (including "moved, but the pairs disagree": the spread column shows it)
The second condition keeps a median pushed over the line by a few disturbed pairs from counting.

--instructions also runs every scenario entry once per build under
`valgrind --tool=callgrind` and compares total instructions executed (Ir). That count is
noise-free, so one run per build is enough and its threshold is tight (--instr-threshold, default
1%): slower if ratio > 1 + t, faster if < 1 - t. gbench entries are skipped there (Google Benchmark
picks its iteration count from the clock, so their instruction totals are not comparable).
--pairs 0 --instructions runs only the instruction counts.

Output: progress on stderr, then one aligned table per measure (what moved first: slower, faster,
then same, larger changes first). --json FILE writes the whole comparison. Exit status: 1 if any
entry is slower (by time or by instructions), 0 otherwise, 2 for bad input (missing build dir or
binary, a bad suite line: named by file and line) or a run that failed.
"""
import argparse
import json
import math
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUITE = os.path.join(ROOT, "bench", "speed", "suite.txt")
KINDS = ("gbench", "scenario")
TIME_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
CALLGRIND_PREFIX = "callgrind:"


class BadInput(Exception):
    """Bad usage or a run that cannot be measured: exit status 2."""


# ---------------------------------------------------------------------------- suite


def read_suite(path):
    """[entry dict] from a suite file; raises BadInput naming file:line for a bad line."""
    entries = []
    names = set()
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise BadInput(f"{path}: cannot read suite: {e.strerror}") from e
    with f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            where = f"{path}:{number}"
            entry = parse_line(line.split(), where)
            if entry["name"] in names:
                raise BadInput(f"{where}: duplicate name '{entry['name']}'")
            names.add(entry["name"])
            entries.append(entry)
    if not entries:
        raise BadInput(f"{path}: no entries")
    return entries


def parse_line(fields, where):
    if len(fields) < 3 or fields[1] not in KINDS:
        raise BadInput(f"{where}: expected 'name gbench BINARY BENCHMARK [--benchmark_X=V ...]' "
                       "or 'name scenario SCENARIO.yaml [key=value ...]'")
    name, kind, rest = fields[0], fields[1], fields[2:]
    if kind == "gbench":
        if len(rest) < 2:
            raise BadInput(f"{where}: gbench entry needs a binary and a benchmark name")
        flags = rest[2:]
        bad = [f for f in flags if not re.fullmatch(r"--benchmark_\w+=\S+", f)]
        if bad or "/" in rest[0]:
            raise BadInput(f"{where}: gbench entry: unexpected '{(bad or [rest[0]])[0]}' "
                           "(binary is a name under BUILD/bench/, extra flags --benchmark_X=V)")
        return {"name": name, "kind": kind, "where": where, "binary": rest[0],
                "benchmark": rest[1], "flags": flags}
    scenario, sets, callgrind_sets = rest[0], [], []
    tokens = iter(rest[1:])
    for token in tokens:
        if token == "--set":
            token = next(tokens, "")
        target = sets
        if token.startswith(CALLGRIND_PREFIX):
            token, target = token[len(CALLGRIND_PREFIX):], callgrind_sets
        if not re.fullmatch(r"[A-Za-z_][\w.]*=\S*", token):
            raise BadInput(f"{where}: scenario entry: expected key=value, got '{token}'")
        target.append(token)
    if not os.path.isfile(os.path.join(ROOT, scenario)):
        raise BadInput(f"{where}: no scenario file {scenario}")
    return {"name": name, "kind": kind, "where": where, "scenario": scenario, "sets": sets,
            "callgrind_sets": callgrind_sets}


def binary_path(build, entry):
    if entry["kind"] == "gbench":
        return os.path.join(build, "bench", entry["binary"])
    return os.path.join(build, "hlsim")


# ---------------------------------------------------------------------------- statistics


def median(values):
    return quantile(values, 0.5)


def quantile(values, q):
    """Linear interpolation between closest ranks (numpy's default); any non-empty list."""
    s = sorted(values)
    if not s:
        return math.nan
    pos = (len(s) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def verdict(ratios, threshold_pct):
    """'slower', 'faster' or 'same' for pair ratios (candidate / baseline); see the docstring."""
    if not ratios:
        return "same"
    t = threshold_pct / 100.0
    need = math.ceil(2 * len(ratios) / 3)
    m = median(ratios)
    if m > 1 + t and sum(r > 1 + t / 2 for r in ratios) >= need:
        return "slower"
    if m < 1 - t and sum(r < 1 - t / 2 for r in ratios) >= need:
        return "faster"
    return "same"


def instr_verdict(ratio, threshold_pct):
    t = threshold_pct / 100.0
    return "slower" if ratio > 1 + t else "faster" if ratio < 1 - t else "same"


def summarize(entry, base_times, cand_times, threshold_pct, extra=None):
    ratios = [c / b for b, c in zip(base_times, cand_times)]
    row = {
        "name": entry["name"], "kind": entry["kind"],
        "baseline_s": base_times, "candidate_s": cand_times, "ratios": ratios,
        "baseline_median_s": median(base_times), "candidate_median_s": median(cand_times),
        "median_ratio": median(ratios), "min_ratio": min(ratios), "max_ratio": max(ratios),
        "q1_ratio": quantile(ratios, 0.25), "q3_ratio": quantile(ratios, 0.75),
        "verdict": verdict(ratios, threshold_pct),
    }
    row.update(extra or {})
    return row


ORDER = {"slower": 0, "faster": 1, "same": 2}


def moved_first(rows, key="median_ratio"):
    return sorted(rows, key=lambda r: (ORDER[r["verdict"]], -abs(math.log(r[key] or 1e-300))))


# ---------------------------------------------------------------------------- running


def gbench_filter(name):
    """^name$ with the regex metacharacters of the name escaped (names hold / : _ - digits)."""
    return "^" + re.sub(r"([.^$|()\[\]{}*+?\\])", r"\\\1", name) + "$"


def run_checked(cmd, what, **kw):
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, **kw)
    except OSError as e:
        raise BadInput(f"{what}: cannot run {cmd[0]}: {e.strerror}") from e
    return proc


def check_gbench_names(build, entry):
    """The benchmark must exist in this build (a rename would otherwise measure nothing)."""
    binary = binary_path(build, entry)
    proc = run_checked([binary, "--benchmark_list_tests=true",
                        "--benchmark_filter=" + gbench_filter(entry["benchmark"])], entry["name"])
    if entry["benchmark"] not in proc.stdout.split():
        raise BadInput(f"{entry['where']}: {binary} has no benchmark named "
                       f"'{entry['benchmark']}' (see {entry['binary']} --benchmark_list_tests)")


def measure_gbench(build, entry, workdir):
    """Seconds of real time per iteration."""
    binary = binary_path(build, entry)
    cmd = [binary, "--benchmark_filter=" + gbench_filter(entry["benchmark"]),
           "--benchmark_format=json"] + entry["flags"]
    proc = run_checked(cmd, entry["name"])
    if proc.returncode != 0:
        raise BadInput(f"{entry['name']}: {binary} exited {proc.returncode}: "
                       f"{proc.stderr.strip()[-500:]}")
    try:
        report = json.loads(proc.stdout)
    except ValueError as e:
        raise BadInput(f"{entry['name']}: {binary}: output is not JSON ({e})") from e
    for b in report.get("benchmarks", []):
        if b.get("name") == entry["benchmark"] and b.get("run_type", "iteration") == "iteration":
            key = "cpu_time" if CLOCK["cpu"] else "real_time"
            return b[key] * TIME_UNITS[b.get("time_unit", "ns")], {}
    raise BadInput(f"{entry['name']}: {binary} reported no benchmark '{entry['benchmark']}'")


def hlsim_cmd(build, entry, out, sets):
    cmd = [os.path.join(build, "hlsim"), "run", os.path.join(ROOT, entry["scenario"]), "--json",
           "-q", "--threads", "1", "-o", out]
    for s in sets:
        cmd += ["--set", s]
    return cmd


def measure_scenario(build, entry, workdir):
    """Wall seconds of the whole hlsim run, and the simulator's own host figures."""
    out = os.path.join(workdir, "run.h5")
    cmd = hlsim_cmd(build, entry, out, entry["sets"])
    start, cpu_start = time.perf_counter(), child_cpu_s()
    proc = run_checked(cmd, entry["name"])
    wall = time.perf_counter() - start
    cpu = child_cpu_s() - cpu_start
    # Exit 1 is a run that found a violation: still a complete run, as in macro_compare.py.
    if proc.returncode not in (0, 1):
        raise BadInput(f"{entry['name']}: {cmd[0]} exited {proc.returncode}: "
                       f"{(proc.stdout + proc.stderr).strip()[-500:]}")
    host = {}
    try:
        host = json.loads(proc.stdout).get("host", {})
    except ValueError:
        pass
    for path in os.listdir(workdir):
        os.unlink(os.path.join(workdir, path))
    extra = {"events_per_s": host.get("events_per_s"), "sim_wall_s": host.get("wall_s")}
    return (cpu if CLOCK["cpu"] else wall), extra


def child_cpu_s():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


# --clock cpu switches every measurement from elapsed time to CPU time (set once, in main).
CLOCK = {"cpu": False}
MEASURE = {"gbench": measure_gbench, "scenario": measure_scenario}


def parse_callgrind_total(out_file, stderr):
    """Total Ir: the out file's 'summary:' (or 'totals:') line, else valgrind's 'Collected :'."""
    try:
        with open(out_file, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = re.match(r"(?:summary|totals):\s*(\d+)", line)
                if m:
                    return int(m.group(1))
    except OSError:
        pass
    m = re.search(r"Collected\s*:\s*(\d+)", stderr) or re.search(r"I\s+refs:\s*([\d,]+)", stderr)
    return int(m.group(1).replace(",", "")) if m else None


def count_instructions(valgrind, build, entry, workdir):
    out = os.path.join(workdir, "run.h5")
    cg = os.path.join(workdir, "callgrind.out")
    cmd = [valgrind, "--tool=callgrind", "--callgrind-out-file=" + cg] + hlsim_cmd(
        build, entry, out, entry["sets"] + entry["callgrind_sets"])
    proc = run_checked(cmd, entry["name"])
    total = parse_callgrind_total(cg, proc.stderr)
    if proc.returncode not in (0, 1) or total is None:
        raise BadInput(f"{entry['name']}: callgrind run in {build} failed (exit "
                       f"{proc.returncode}): {proc.stderr.strip()[-500:]}")
    return total


# ---------------------------------------------------------------------------- output


def fmt_time(s):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if s >= scale:
            return f"{s / scale:.3f} {unit}"
    return f"{s / 1e-9:.1f} ns"


def fmt_rate(r):
    if r is None:
        return "-"
    return f"{r / 1e6:.2f}M" if r >= 1e6 else f"{r / 1e3:.1f}k" if r >= 1e3 else f"{r:.0f}"


def table(header, rows, left=(0,)):
    """Aligned columns: those in `left` (and the last, the verdict) to the left, numbers right."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    left = set(left) | {len(header) - 1}
    lines = []
    for i, r in enumerate([header] + rows):
        cells = [str(c).ljust(w) if j in left else str(c).rjust(w)
                 for j, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def time_table(rows, threshold):
    header = ["entry", "kind", "baseline", "candidate", "ratio", "min-max", "IQR",
              f">{1 + threshold / 200:.3f}", "ev/s base", "ev/s cand", "verdict"]
    body = []
    for r in moved_first(rows):
        above = sum(x > 1 + threshold / 200 for x in r["ratios"])
        body.append([
            r["name"], r["kind"], fmt_time(r["baseline_median_s"]),
            fmt_time(r["candidate_median_s"]), f"{r['median_ratio']:.3f}",
            f"{r['min_ratio']:.3f}-{r['max_ratio']:.3f}",
            f"{r['q1_ratio']:.3f}-{r['q3_ratio']:.3f}", f"{above}/{len(r['ratios'])}",
            fmt_rate(r.get("baseline_events_per_s")), fmt_rate(r.get("candidate_events_per_s")),
            r["verdict"].upper() if r["verdict"] != "same" else "same"])
    return table(header, body, left=(0, 1))


def instr_table(rows):
    header = ["entry", "baseline Ir", "candidate Ir", "ratio", "verdict"]
    body = [[r["name"], f"{r['baseline_ir']:,}", f"{r['candidate_ir']:,}", f"{r['ratio']:.4f}",
             r["verdict"].upper() if r["verdict"] != "same" else "same"]
            for r in moved_first(rows, key="ratio")]
    return table(header, body)


# ---------------------------------------------------------------------------- main


def check_builds(args, entries):
    for label, build in (("--baseline", args.baseline), ("--candidate", args.candidate)):
        if not os.path.isdir(build):
            raise BadInput(f"{label} {build}: no such build directory")
        for e in entries:
            b = binary_path(build, e)
            if not os.access(b, os.X_OK):
                raise BadInput(f"{label} {build}: no executable {os.path.relpath(b, build)} "
                               f"(needed by {e['where']}; build it first)")


def progress(text):
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K" + text)
    else:
        sys.stderr.write(text + "\n")
    sys.stderr.flush()


def compare_times(args, entries, workdir):
    builds = {"baseline": args.baseline, "candidate": args.candidate}
    times = {e["name"]: {"baseline": [], "candidate": []} for e in entries}
    extras = {e["name"]: {"baseline": [], "candidate": []} for e in entries}
    total = args.pairs * len(entries)
    done = 0
    start = time.monotonic()
    for pair in range(args.pairs):
        rng = random.Random(pair)
        for e in entries:
            order = ["baseline", "candidate"]
            rng.shuffle(order)
            done += 1
            progress(f"speed_compare: pair {pair + 1}/{args.pairs}  {e['name']}  "
                     f"({done}/{total}, {time.monotonic() - start:.0f} s)")
            for which in order:
                seconds, extra = MEASURE[e["kind"]](builds[which], e, workdir)
                times[e["name"]][which].append(seconds)
                extras[e["name"]][which].append(extra)
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
    rows = []
    for e in entries:
        extra = {}
        if e["kind"] == "scenario":
            for which in ("baseline", "candidate"):
                rates = [x["events_per_s"] for x in extras[e["name"]][which]
                         if x.get("events_per_s")]
                extra[f"{which}_events_per_s"] = median(rates) if rates else None
        t = times[e["name"]]
        rows.append(summarize(e, t["baseline"], t["candidate"], args.threshold, extra))
    return rows


def compare_instructions(args, entries, workdir):
    rows = []
    scenarios = [e for e in entries if e["kind"] == "scenario"]
    for i, e in enumerate(scenarios, 1):
        progress(f"speed_compare: callgrind {i}/{len(scenarios)}  {e['name']} (both builds)")
        dirs = [os.path.join(workdir, w + "-" + e["name"]) for w in ("base", "cand")]
        for d in dirs:
            os.makedirs(d, exist_ok=True)
        # Instruction counts do not depend on what else runs: both builds at once.
        with ThreadPoolExecutor(max_workers=2) as pool:
            base, cand = pool.map(lambda bd: count_instructions(args.valgrind, bd[0], e, bd[1]),
                                  [(args.baseline, dirs[0]), (args.candidate, dirs[1])])
        ratio = cand / base if base else math.inf
        rows.append({"name": e["name"], "baseline_ir": base, "candidate_ir": cand, "ratio": ratio,
                     "verdict": instr_verdict(ratio, args.instr_threshold),
                     "overrides": e["sets"] + e["callgrind_sets"]})
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="See the module docstring (head of this file).")
    parser.add_argument("--baseline", required=True, help="build directory of the baseline")
    parser.add_argument("--candidate", required=True, help="build directory of the candidate")
    parser.add_argument("--suite", default=SUITE)
    parser.add_argument("--pairs", type=int, default=7, help="interleaved pairs (default 7)")
    parser.add_argument("--threshold", type=float, default=5.0,
                        help="percent change that counts (default 5)")
    parser.add_argument("--instructions", action="store_true",
                        help="also compare callgrind instruction counts of scenario entries")
    parser.add_argument("--instr-threshold", type=float, default=1.0,
                        help="percent instruction change that counts (default 1)")
    parser.add_argument("--valgrind", default="valgrind", help=argparse.SUPPRESS)
    parser.add_argument("--clock", choices=("real", "cpu"), default="real",
                        help="real: elapsed time (default); cpu: CPU time of the measured code, "
                        "less disturbed by other load on a shared machine")
    parser.add_argument("--only", action="append", default=[],
                        help="only entries whose name contains this (repeatable)")
    parser.add_argument("--json", metavar="FILE", help="write the comparison as JSON")
    args = parser.parse_args(argv)
    CLOCK["cpu"] = args.clock == "cpu"
    try:
        if args.pairs < 0 or (args.pairs == 0 and not args.instructions):
            raise BadInput("--pairs must be >= 1 (or 0 with --instructions)")
        if args.threshold <= 0 or args.instr_threshold <= 0:
            raise BadInput("thresholds must be > 0")
        entries = read_suite(args.suite)
        if args.only:
            entries = [e for e in entries if any(s in e["name"] for s in args.only)]
            if not entries:
                raise BadInput(f"--only {' '.join(args.only)}: no entry of {args.suite} matches")
        check_builds(args, entries)
        for e in entries:
            if e["kind"] == "gbench" and args.pairs:
                for build in (args.baseline, args.candidate):
                    check_gbench_names(build, e)
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="hlsim-speed-") as workdir:
            timing_dir = os.path.join(workdir, "time")
            os.makedirs(timing_dir)
            rows = compare_times(args, entries, timing_dir) if args.pairs else []
            instr = compare_instructions(args, entries, workdir) if args.instructions else []
        elapsed = time.monotonic() - started
    except BadInput as e:
        print(f"speed_compare: {e}", file=sys.stderr)
        return 2

    print(f"speed compare: candidate {args.candidate} / baseline {args.baseline}")
    if rows:
        print(f"time ({args.clock}): {args.pairs} interleaved pairs per entry, medians; "
              f"ratio = candidate / baseline (< 1 is faster); threshold {args.threshold:g}%")
        print(time_table(rows, args.threshold))
        t = args.threshold / 100
        print(f"  min-max, IQR: of the pair ratios. >{1 + t / 2:.3f}: pairs above 1 + threshold/2;"
              f" slower needs median > {1 + t:.3f} and {math.ceil(2 * args.pairs / 3)} of "
              f"{args.pairs} such pairs (faster: < {1 - t:.3f}, pairs < {1 - t / 2:.3f}).\n"
              "  ev/s: the simulator's own events per second of simulation (host.events_per_s), "
              "median.")
    if args.instructions:
        skipped = [e["name"] for e in entries if e["kind"] == "gbench"]
        print(f"\ninstructions (callgrind Ir, one run per build); threshold "
              f"{args.instr_threshold:g}%")
        if instr:
            print(instr_table(instr))
        if skipped:
            print(f"  skipped gbench entries (iteration counts follow the clock): "
                  f"{', '.join(skipped)}")
    slower = [r["name"] for r in rows if r["verdict"] == "slower"]
    slower += [r["name"] + " (instructions)" for r in instr if r["verdict"] == "slower"]
    faster = [r["name"] for r in rows + instr if r["verdict"] == "faster"]
    n = len(rows) + len(instr)
    print(f"\n{n} comparison{'' if n == 1 else 's'} in {elapsed:.0f} s: "
          + (f"{len(slower)} slower ({', '.join(slower)})" if slower else "none slower")
          + (f", {len(faster)} faster" if faster else ""))
    if args.json:
        doc = {"baseline": args.baseline, "candidate": args.candidate, "suite": args.suite,
               "pairs": args.pairs, "clock": args.clock, "threshold_pct": args.threshold,
               "instr_threshold_pct": args.instr_threshold, "elapsed_s": elapsed,
               "time": rows, "instructions": instr,
               "skipped_for_instructions": [e["name"] for e in entries
                                            if args.instructions and e["kind"] == "gbench"],
               "regressed": slower}
        tmp = args.json + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
        os.replace(tmp, args.json)
    return 1 if slower else 0


if __name__ == "__main__":
    sys.exit(main())
