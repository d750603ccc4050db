#!/usr/bin/python3
"""Consensus comparison table (and plot) from hlsim run summaries.

Usage: analysis/consensus_table.py SUMMARY.json... [--markdown OUT.md] [--plot OUT.png]

Each SUMMARY.json is the <results>.summary.json that `hlsim run` writes next to its HDF5 file.
Rows are sorted by protocol (in the order first seen) and node count. Columns:
  committed tx/s      transactions committed during the load window / its length
  p50 / p99 ms        client-observed commit latency (submit -> gateway commit)
  msgs/block          protocol messages sent by all nodes / committed blocks
  consensus msgs/blk  the same for the protocol's proposal and vote message types only
  KiB/block           protocol bytes sent / committed blocks
  longest gap ms      longest stretch of the load window without a new block
Only the standard library is needed for the table; the plot needs matplotlib.
"""
import argparse
import json
import sys


def row(summary):
    types = summary.get("message_types", {})
    consensus = sum(t["per_block"] for t in types.values() if t["role"] in ("proposal", "vote"))
    msgs = summary["messages"]
    return {
        "protocol": summary["protocol"],
        "nodes": summary["nodes"],
        "tps": summary["committed_tps"],
        "offered": summary["offered_tps_configured"],
        "p50": summary["latency"]["p50_ms"],
        "p99": summary["latency"]["p99_ms"],
        "msgs_per_block": msgs.get("per_block", 0.0),
        "consensus_per_block": consensus,
        "kib_per_block": msgs.get("bytes_per_block", 0.0) / 1024.0,
        "blocks": summary["blocks"],
        "gap": summary.get("liveness", {}).get("longest_commit_gap_ms", 0.0),
        "violations": len(summary.get("violations", [])),
        "complete": summary.get("complete", False),
    }


def markdown(rows):
    out = [
        "| protocol | n | committed tx/s (offered) | p50 ms | p99 ms | msgs/block | "
        "consensus msgs/block | KiB/block | longest gap ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        flag = "" if r["complete"] and r["violations"] == 0 else " (!)"
        out.append(
            f"| {r['protocol']}{flag} | {r['nodes']} | {r['tps']:.0f} ({r['offered']:.0f}) | "
            f"{r['p50']:.1f} | {r['p99']:.1f} | {r['msgs_per_block']:.0f} | "
            f"{r['consensus_per_block']:.0f} | {r['kib_per_block']:.0f} | {r['gap']:.0f} |")
    return "\n".join(out) + "\n"


def plot(rows, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("consensus_table: matplotlib not available, no plot written", file=sys.stderr)
        return
    protocols = list(dict.fromkeys(r["protocol"] for r in rows))
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    # One colour per protocol in every panel; in the latency panel p50 is solid, p99 dashed.
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, p in enumerate(protocols):
        c = colours[i % len(colours)]
        rs = sorted((r for r in rows if r["protocol"] == p), key=lambda r: r["nodes"])
        n = [r["nodes"] for r in rs]
        axes[0].plot(n, [r["tps"] for r in rs], marker="o", color=c, label=p)
        # A run with no commit has no latency; leave the point out rather than plot 0 on a log axis.
        lat = [r for r in rs if r["p50"] > 0]
        axes[1].plot([r["nodes"] for r in lat], [r["p50"] for r in lat], marker="o", color=c,
                     label=p + " p50")
        axes[1].plot([r["nodes"] for r in lat], [r["p99"] for r in lat], marker="x", color=c,
                     linestyle="--", label=p + " p99")
        axes[2].plot(n, [max(r["consensus_per_block"], 1e-9) for r in rs], marker="o", color=c,
                     label=p)
    axes[0].set(title="committed throughput", xlabel="validators", ylabel="tx/s", xscale="log")
    axes[1].set(title="commit latency", xlabel="validators", ylabel="ms", xscale="log",
                yscale="log")
    axes[2].set(title="consensus messages per block", xlabel="validators", ylabel="messages",
                xscale="log", yscale="log")
    for ax in axes:
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"consensus_table: plot written to {path}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("summaries", nargs="+")
    ap.add_argument("--markdown", help="also write the table to this file")
    ap.add_argument("--plot", help="write a PNG plot (throughput, latency, messages vs n)")
    args = ap.parse_args()
    rows = []
    for path in args.summaries:
        try:
            with open(path) as f:
                rows.append(row(json.load(f)))
        except (OSError, ValueError, KeyError) as e:
            print(f"consensus_table: {path}: {e}", file=sys.stderr)
            return 2
    order = {p: i for i, p in enumerate(dict.fromkeys(r["protocol"] for r in rows))}
    rows.sort(key=lambda r: (order[r["protocol"]], r["nodes"]))
    text = markdown(rows)
    sys.stdout.write(text)
    if args.markdown:
        with open(args.markdown + ".tmp", "w") as f:
            f.write(text)
        import os
        os.replace(args.markdown + ".tmp", args.markdown)
    if args.plot:
        plot(rows, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
