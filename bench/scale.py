#!/usr/bin/python3
"""The scale benchmark: HotStuff and proof of authority at 256 and 1,000 validators.

Usage: bench/scale.py [--hlsim BUILD/hlsim] [--quick] [--nodes 256,1000] [--protocols hotstuff,poa]
                      [--json OUT.json]

Each configuration is the consensus comparison's workload (EHR sharing from 40 clients, validators
in two regions, 8 cores each; scenarios/consensus/<protocol>-n64.yaml) with N validators and
model-only verification (signatures are made but nothing is verified: the simulated cost of
verifying is still charged, the host does not pay it). Proof of authority seals a 250 ms step and
calls a block final 12 blocks deep (majority finality at 1,000 authorities would take 501 steps).
Every configuration runs twice, at the full load (400 tx/s) and at a quarter of it, for:

  events/s              simulation events handled per wall second, whole run (host figure)
  sim s / wall s        simulated seconds per wall second
  peak memory           the run's peak resident set (its own, from wait4)
  peak in flight        most transactions submitted and not yet committed at one instant
                        (from the run's tx table)
  bytes/tx/validator    (peak memory at full load - at a quarter) / (transactions submitted at
                        full load - at a quarter) / validators: what one more transaction costs
                        each validator. Every validator keeps every transaction it has seen (its
                        mempool copy while in flight, then its block and the state it wrote), so
                        memory grows with the transactions a run has seen, not only with those in
                        flight (peak in flight is printed beside it).

The project's goals: 1,000 validators within 8 GiB, >= 2 M events/s end to end. The figures
depend on the machine; the script prints them and, with --json, writes them for
analysis/readme_figures.py. --quick runs 64 validators for 1 s (CI: proves the script works).
Exit status 0 when every run completed, 1 when one failed, 2 for bad usage.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GIB = 1024.0**3
FULL_TPS = 400
LOW_TPS = 100


def overrides(protocol, nodes, rate_tps, quick):
    load_s, drain_s = (1, 1) if quick else ((2, 2) if nodes > 256 else (4, 2))
    sets = {
        "consensus.nodes": nodes,
        "ledger.verify": "model-only",
        "workload.rate_tps": rate_tps,
        "duration_s": load_s,
        "drain_s": drain_s,
    }
    if protocol == "poa":
        sets.update({
            "consensus.step_duration_ms": 250,
            "consensus.finality": "confirmations",
            "consensus.confirmations": 12,
        })
    return sets


def peak_in_flight(h5_path):
    """Most transactions submitted and not yet committed at one instant (never committed: until
    the end)."""
    with h5py.File(h5_path, "r") as f:
        tx = f["runs/0/tx"][:]
    if len(tx) == 0:
        return 0
    submit = tx["submit_ns"].astype(np.int64)
    commit = tx["commit_ns"].astype(np.int64)
    end = np.where(commit > 0, commit, np.iinfo(np.int64).max)
    times = np.concatenate([submit, end])
    steps = np.concatenate([np.ones(len(submit), np.int64), -np.ones(len(end), np.int64)])
    # At equal times the commit counts first: a transaction committed as another arrives does
    # not make two in flight.
    order = np.lexsort((steps, times))
    return int(np.max(np.cumsum(steps[order])))


def run_measured(hlsim, protocol, nodes, rate_tps, quick, workdir):
    """One run; returns its figures. Peak memory is the child's own (os.wait4)."""
    scenario = os.path.join(ROOT, "scenarios", "consensus", f"{protocol}-n64.yaml")
    out = os.path.join(workdir, f"{protocol}-{nodes}-{rate_tps}.h5")
    log = os.path.join(workdir, f"{protocol}-{nodes}-{rate_tps}.log")
    cmd = [hlsim, "run", scenario, "-q", "--json", "-o", out]
    for key, value in overrides(protocol, nodes, rate_tps, quick).items():
        cmd += ["--set", f"{key}={value}"]
    with open(log, "w+", encoding="utf-8") as stdout, subprocess.Popen(
            cmd, stdout=stdout, stderr=subprocess.STDOUT) as proc:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        text = stdout.read()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{text[-2000:]}")
    summary = json.loads(text[text.index("{"):])
    host = summary["host"]
    return {
        "protocol": protocol,
        "nodes": nodes,
        "rate_tps": rate_tps,
        "simulated_s": summary["simulated_s"],
        "events": summary["events"],
        "wall_s": host["wall_s"],
        "events_per_s": host["events_per_s"],
        "sim_s_per_wall_s": host["simulated_s_per_wall_s"],
        "peak_rss_bytes": usage.ru_maxrss * 1024,
        "peak_in_flight": peak_in_flight(out),
        "committed_tps": summary["committed_tps"],
        "submitted": summary["transactions"]["submitted"],
        "blocks": summary["blocks"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hlsim", default=os.path.join(ROOT, "build", "release", "hlsim"))
    parser.add_argument("--quick", action="store_true", help="64 validators, 1 s (a smoke test)")
    parser.add_argument("--nodes", default=None, help="comma-separated validator counts")
    parser.add_argument("--protocols", default="hotstuff,poa")
    parser.add_argument("--json", default=None, help="write the figures here")
    args = parser.parse_args()
    if not os.access(args.hlsim, os.X_OK):
        print(f"scale: {args.hlsim} not built (run scripts/build.sh)", file=sys.stderr)
        return 2
    try:
        nodes = [int(n) for n in (args.nodes or ("64" if args.quick else "256,1000")).split(",")]
    except ValueError:
        print(f"scale: --nodes: expected comma-separated integers, got '{args.nodes}'",
              file=sys.stderr)
        return 2
    protocols = args.protocols.split(",")
    for p in protocols:
        if not os.path.exists(os.path.join(ROOT, "scenarios", "consensus", f"{p}-n64.yaml")):
            print(f"scale: --protocols: no scenarios/consensus/{p}-n64.yaml", file=sys.stderr)
            return 2
    rows = []
    with tempfile.TemporaryDirectory(prefix="hlsim-scale-") as workdir:
        for protocol in protocols:
            for n in nodes:
                pair = {}
                for rate in (FULL_TPS, LOW_TPS):
                    print(f"scale: {protocol} n={n} at {rate} tx/s ...", file=sys.stderr, flush=True)
                    try:
                        pair[rate] = run_measured(args.hlsim, protocol, n, rate, args.quick,
                                                  workdir)
                    except RuntimeError as e:
                        print(f"scale: {e}", file=sys.stderr)
                        return 1
                    for name in os.listdir(workdir):
                        if name.endswith(".h5"):
                            os.remove(os.path.join(workdir, name))
                full, low = pair[FULL_TPS], pair[LOW_TPS]
                extra_tx = full["submitted"] - low["submitted"]
                extra_bytes = full["peak_rss_bytes"] - low["peak_rss_bytes"]
                full["bytes_per_tx_per_validator"] = (extra_bytes / extra_tx / n
                                                      if extra_tx > 0 else None)
                full["low_load"] = low
                rows.append(full)
    print(f"{'protocol':<10}{'nodes':>6}{'events/s':>11}{'sim s/wall s':>14}{'peak GiB':>10}"
          f"{'in flight':>11}{'B/tx/validator':>16}{'events':>11}{'wall s':>9}")
    for r in rows:
        per_tx = r["bytes_per_tx_per_validator"]
        per_tx_text = f"{per_tx:.0f}" if per_tx is not None else "-"
        print(f"{r['protocol']:<10}{r['nodes']:>6}{r['events_per_s']:>11.0f}"
              f"{r['sim_s_per_wall_s']:>14.3f}{r['peak_rss_bytes'] / GIB:>10.2f}"
              f"{r['peak_in_flight']:>11}{per_tx_text:>16}{r['events']:>11}{r['wall_s']:>9.1f}")
    if args.json:
        tmp = args.json + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"benchmark": "scale", "quick": args.quick, "rows": rows}, f, indent=1)
        os.replace(tmp, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
