#!/usr/bin/python3
"""The macro suite: fixed scenarios whose simulated figures must not change by accident.

Usage: bench/macro_compare.py [--hlsim BUILD/hlsim] [--update] [--only NAME]... [-j N]

Runs every line of bench/macro/suite.txt with `hlsim run`, takes the run's summary (the
summary.json hlsim writes next to the results, without the host figures: wall time and speed
depend on the machine, everything else is a pure function of scenario, seed and version) and
compares it key by key with results/baseline/<name>.json. Simulated figures are deterministic, so
the comparison is exact: every difference is a behaviour change, never noise, and each one is
printed with the baseline and the new value. Exit status 0 when nothing changed, 1 when something
did (or a baseline is missing), 2 for bad usage.

--update rewrites the baselines from this build (commit them with the change that explains
them); --only limits the run to some names.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUITE = os.path.join(ROOT, "bench", "macro", "suite.txt")
BASELINE_DIR = os.path.join(ROOT, "results", "baseline")
# Summary keys that depend on the machine, not on the simulation.
HOST_KEYS = {"host"}


def read_suite(path):
    """[(name, scenario path, [overrides])] from suite.txt; exits 2 naming a bad line."""
    entries = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            if len(fields) < 2 or any("=" not in o for o in fields[2:]):
                sys.exit(f"macro_compare: {path}:{number}: expected 'name scenario [key=value ...]'")
            entries.append((fields[0], fields[1], fields[2:]))
    return entries


def flatten(value, prefix=""):
    """{"a.b": leaf} for nested dicts; lists are indexed (a.0, a.1, ...)."""
    out = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}{k}."))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}{i}."))
    else:
        out[prefix[:-1]] = value
    return out


def run_one(hlsim, entry, workdir):
    """Runs one suite entry; returns (name, figures dict) or (name, error text)."""
    name, scenario, overrides = entry
    out = os.path.join(workdir, name + ".h5")
    cmd = [hlsim, "run", os.path.join(ROOT, scenario), "-q", "--threads", "1", "-o", out]
    for o in overrides:
        cmd += ["--set", o]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    summary_path = os.path.join(workdir, name + ".summary.json")
    # Exit 1 with a summary is a run that found a violation: a figure like any other.
    if proc.returncode not in (0, 1) or not os.path.exists(summary_path):
        return name, f"hlsim exited {proc.returncode}: {proc.stdout}{proc.stderr}".strip()
    with open(summary_path, encoding="utf-8") as f:
        summary = json.load(f)
    return name, {k: v for k, v in summary.items() if k not in HOST_KEYS}


def describe(value):
    return json.dumps(value) if not isinstance(value, float) else repr(value)


def compare(name, now, base):
    """Lines describing every difference between two figure dicts (empty: identical)."""
    a, b = flatten(base), flatten(now)
    lines = []
    for key in sorted(set(a) | set(b)):
        if key not in b:
            lines.append(f"  {name}: {key}: {describe(a[key])} -> (gone)")
        elif key not in a:
            lines.append(f"  {name}: {key}: (new) -> {describe(b[key])}")
        elif a[key] != b[key]:
            change = ""
            if isinstance(a[key], (int, float)) and isinstance(b[key], (int, float)) and a[key]:
                change = f"  ({100.0 * (b[key] - a[key]) / abs(a[key]):+.2f}%)"
            lines.append(f"  {name}: {key}: {describe(a[key])} -> {describe(b[key])}{change}")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hlsim", default=os.path.join(ROOT, "build", "release", "hlsim"))
    parser.add_argument("--update", action="store_true", help="rewrite the baselines")
    parser.add_argument("--only", action="append", default=[], help="run only this entry")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if not os.access(args.hlsim, os.X_OK):
        print(f"macro_compare: {args.hlsim}: no hlsim binary (build first)", file=sys.stderr)
        return 2
    suite = read_suite(SUITE)
    names = {e[0] for e in suite}
    for n in args.only:
        if n not in names:
            print(f"macro_compare: --only {n}: not in {SUITE}", file=sys.stderr)
            return 2
    if args.only:
        suite = [e for e in suite if e[0] in args.only]

    with tempfile.TemporaryDirectory(prefix="hlsim-macro-") as workdir:
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(pool.map(lambda e: run_one(args.hlsim, e, workdir), suite))

    failed = False
    changed = 0
    for name, figures in results:
        if isinstance(figures, str):
            print(f"  {name}: ERROR {figures}")
            failed = True
            continue
        path = os.path.join(BASELINE_DIR, name + ".json")
        if args.update:
            os.makedirs(BASELINE_DIR, exist_ok=True)
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(figures, f, indent=1, sort_keys=True)
                f.write("\n")
            os.replace(tmp, path)
            print(f"  {name}: baseline written")
            continue
        if not os.path.exists(path):
            print(f"  {name}: no baseline {os.path.relpath(path, ROOT)} (run with --update)")
            failed = True
            continue
        with open(path, encoding="utf-8") as f:
            base = json.load(f)
        lines = compare(name, figures, base)
        if lines:
            changed += 1
            print(f"  {name}: {len(lines)} figures changed")
            print("\n".join(lines))
        else:
            print(f"  {name}: identical")
    if args.update:
        return 1 if failed else 0
    print(f"macro suite: {len(results)} runs, {changed} changed"
          + ("" if not changed else " (a behaviour change: explain it and run --update)"))
    return 1 if failed or changed else 0


if __name__ == "__main__":
    sys.exit(main())
