#!/usr/bin/python3
"""Tables and a plot of the execute-order-validate runs that bench/fabric-figures.sh writes to
results/fabric/ (one <name>.summary.json per run):

  skew-<workload>-s<s>   the Fabric-style pipeline at Zipf exponent s (ehr: zipf_s over patients;
                         supply: pharmacy_zipf_s over pharmacies)
  split-fabric-<proto>   the pipeline with a <proto> ordering service
  split-oe-<proto>       order-execute with <proto> (pipeline.kind: none)
  privacy-<variant>      the pipeline with Raft, ehr, and its data kept apart: one-channel (the
                         same as split-fabric-raft), two-channels (access requests on a second
                         channel of the same members), collection-all (record writes private to
                         a collection of every organisation: the private path's own cost),
                         collection-2of3 (private to the two hospitals)

skew_table(), split_table() and privacy_table() give the README's markdown (analysis/readme_figures.py); run as a
script, it draws results/fabric/skew.png (conflict rate and valid throughput against s).
Usage: analysis/fabric_figures.py [--results results] [--out results/fabric/skew.png]
"""
import argparse
import glob
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKEW = re.compile(r"skew-([a-z]+)-s([0-9.]+)\.summary\.json$")


def _load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _figure(summary, name):
    return summary.get("pipeline_figures", {}).get(name, {}).get("value")


def skew_rows(results):
    """(workload, s, summary) for every skew run, ordered by workload then s."""
    rows = []
    for path in glob.glob(os.path.join(results, "fabric", "skew-*.summary.json")):
        m = SKEW.search(os.path.basename(path))
        if m:
            rows.append((m.group(1), float(m.group(2)), _load(path)))
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


def skew_table(results):
    rows = skew_rows(results)
    if not rows:
        return None
    lines = ["| workload | Zipf s | offered tx/s | valid tx/s | MVCC conflicts | conflict rate |"
             " p50 ms | p99 ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for workload, s, d in rows:
        lines.append(
            f"| {workload} | {s:g} | {d['offered_tps_achieved']:.0f} | "
            f"{_figure(d, 'valid_tps'):.1f} | {_figure(d, 'mvcc_conflicts'):.0f} | "
            f"{_figure(d, 'mvcc_conflict_rate'):.2f}% | {d['latency']['p50_ms']:.0f} | "
            f"{d['latency']['p99_ms']:.0f} |")
    return "\n".join(lines) + "\n"


def split_table(results):
    paths = sorted(glob.glob(os.path.join(results, "fabric", "split-*.summary.json")))
    if not paths:
        return None
    lines = ["| design | ordering / consensus | committed tx/s | p50 ms | p99 ms | endorse p50 ms |"
             " order p50 ms | validate p50 ms | messages per block |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    # Pipeline rows first, then order-execute.
    paths.sort(key=lambda p: ("split-oe-" in p, p))
    for path in paths:
        d = _load(path)
        fabric = "pipeline_figures" in d
        cells = [f"{_figure(d, n):.1f}" if fabric else "-"
                 for n in ("endorse_p50", "order_p50", "validate_p50")]
        lines.append(
            f"| {'execute-order-validate' if fabric else 'order-execute'} | {d['protocol']}, "
            f"{d['nodes']} nodes | {d['committed_tps']:.1f} | {d['latency']['p50_ms']:.0f} | "
            f"{d['latency']['p99_ms']:.0f} | " + " | ".join(cells) +
            f" | {d['messages']['per_block']:.1f} |")
    return "\n".join(lines) + "\n"


PRIVACY = [("one-channel", "one channel, no collection"),
           ("two-channels", "two channels (access requests apart), same members"),
           ("collection-all", "record writes private to all 3 organisations"),
           ("collection-2of3", "record writes private to the 2 hospitals")]


def privacy_table(results):
    rows = []
    for variant, label in PRIVACY:
        path = os.path.join(results, "fabric", f"privacy-{variant}.summary.json")
        if os.path.exists(path):
            rows.append((label, _load(path)))
    if not rows:
        return None
    lines = ["| data kept apart by | valid tx/s | private valid tx | not-member rejections |"
             " p50 ms | p99 ms | endorse p50 ms | order p50 ms | validate p50 ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label, d in rows:
        private = _figure(d, "private_valid")
        rejected = _figure(d, "rejected_not_member")
        lines.append(
            f"| {label} | {_figure(d, 'valid_tps'):.1f} | "
            f"{'-' if private is None else f'{private:.0f}'} | "
            f"{'-' if rejected is None else f'{rejected:.0f}'} | {d['latency']['p50_ms']:.0f} | "
            f"{d['latency']['p99_ms']:.0f} | {_figure(d, 'endorse_p50'):.1f} | "
            f"{_figure(d, 'order_p50'):.1f} | {_figure(d, 'validate_p50'):.1f} |")
    return "\n".join(lines) + "\n"


def plot(results, out):
    import matplotlib  # Debian's python3-matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rows = skew_rows(results)
    if not rows:
        print(f"fabric_figures: no skew runs in {results}/fabric", file=sys.stderr)
        return 2
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
    for workload in sorted({r[0] for r in rows}):
        pts = [(s, d) for w, s, d in rows if w == workload]
        xs = [s for s, _ in pts]
        ax1.plot(xs, [_figure(d, "mvcc_conflict_rate") for _, d in pts], "o-", label=workload)
        ax2.plot(xs, [_figure(d, "valid_tps") for _, d in pts], "o-", label=workload)
    ax1.set(xlabel="Zipf exponent s (key skew)", ylabel="MVCC conflicts (% of ordered tx)",
            title="Conflict rate")
    ax2.set(xlabel="Zipf exponent s (key skew)", ylabel="valid tx/s", title="Goodput",
            ylim=(0, None))
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle("Execute-order-validate under key skew (3 orgs x 2 peers, Raft ordering, "
                 "300 tx/s offered)", fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"fabric_figures: wrote {out}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", default=os.path.join(ROOT, "results"))
    parser.add_argument("--out", default=None, help="PNG to write (default results/fabric/skew.png)")
    args = parser.parse_args()
    return plot(args.results, args.out or os.path.join(args.results, "fabric", "skew.png"))


if __name__ == "__main__":
    sys.exit(main())
