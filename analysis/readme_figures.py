#!/usr/bin/python3
"""Writes the README's figures from results/: the README never holds a hand-copied number.

Usage: analysis/readme_figures.py [--check] [--readme README.md] [--results results]

The README marks each generated block with a pair of HTML comments:
  <!-- BEGIN generated: consensus -->  the consensus comparison table: protocols x node counts on
                                       the standard EHR scenario, from
                                       results/consensus/<protocol>-n<N>.summary.json
                                       (bench/consensus-table.sh writes them)
  <!-- BEGIN generated: scale -->      the simulator's speed at scale, from results/speed/scale.json
                                       (bench/scale.py --json writes it)
  <!-- BEGIN generated: phold -->      PHOLD against ns-3 and SimGrid, from
                                       results/speed/phold-peers.json (bench/phold-peers.sh --json)
  <!-- BEGIN generated: fabric-skew --> execute-order-validate under key skew, and
  <!-- BEGIN generated: fabric-split -->  its latency split against order-execute,
  <!-- BEGIN generated: fabric-privacy --> and the cost of channels and private data, from
                                       results/fabric/*.summary.json (bench/fabric-figures.sh)
each closed by <!-- END generated: NAME -->. Everything between a pair is replaced; a block whose
source is missing is left as it is, with a warning. --check changes nothing and exits 1 when the
README is not what the results would make (CI runs it, so a results update without the README, or
a hand edit inside a block, fails). Exit status 0 when up to date (or rewritten), 1 with --check
when stale, 2 for bad input (a marker without its pair, an unreadable results file).
"""
import argparse
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import consensus_table  # noqa: E402  (a sibling script)
import fabric_figures  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROTOCOL_ORDER = ["raft", "pbft", "hotstuff", "tendermint", "poa"]
GIB = 1024.0**3


class FiguresError(Exception):
    """Bad input: the message names the file."""


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise FiguresError(f"{path}: {e}") from e


def consensus_block(results):
    paths = sorted(glob.glob(os.path.join(results, "consensus", "*.summary.json")))
    if not paths:
        return None
    rows = []
    for path in paths:
        try:
            rows.append(consensus_table.row(load_json(path)))
        except KeyError as e:
            raise FiguresError(f"{path}: missing key {e}") from e
    rank = {p: i for i, p in enumerate(PROTOCOL_ORDER)}
    rows.sort(key=lambda r: (rank.get(r["protocol"], len(rank)), r["protocol"], r["nodes"]))
    return consensus_table.markdown(rows)


def json_table(path, header, row_cells):
    """A markdown table with one row per entry of the JSON file's "rows" (row_cells gives a row's
    cells), or None when the file does not exist."""
    if not os.path.exists(path):
        return None
    data = load_json(path)
    lines = ["| " + " | ".join(name for name, _ in header) + " |",
             "|" + "|".join(align for _, align in header) + "|"]
    try:
        for r in data["rows"]:
            lines.append("| " + " | ".join(row_cells(r)) + " |")
    except (KeyError, TypeError) as e:
        raise FiguresError(f"{path}: missing or bad key {e}") from e
    return "\n".join(lines) + "\n"


def optional(value, fmt):
    return "-" if value is None else format(value, fmt)


def scale_block(results):
    header = [("protocol", "---"), ("validators", "---:"), ("events/s", "---:"),
              ("simulated s per wall s", "---:"), ("peak memory GiB", "---:"),
              ("peak tx in flight", "---:"), ("bytes per tx per validator", "---:"),
              ("events", "---:"), ("wall s", "---:")]
    return json_table(
        os.path.join(results, "speed", "scale.json"), header,
        lambda r: [r["protocol"], str(r["nodes"]), f"{r['events_per_s']:,.0f}",
                   f"{r['sim_s_per_wall_s']:.3f}", f"{r['peak_rss_bytes'] / GIB:.2f}",
                   str(r["peak_in_flight"]), optional(r.get("bytes_per_tx_per_validator"), ",.0f"),
                   f"{r['events']:,}", f"{r['wall_s']:.1f}"])


def phold_block(results):
    header = [("simulator", "---"), ("pending events", "---:"), ("events/s (median)", "---:"),
              ("spread (min-max)", "---:"), ("hlsim / this", "---:")]
    return json_table(
        os.path.join(results, "speed", "phold-peers.json"), header,
        lambda r: [r["simulator"], f"{r['pending']:,}", f"{r['median_events_per_s']:,.0f}",
                   f"{r['min_events_per_s']:,.0f}-{r['max_events_per_s']:,.0f}",
                   optional(r.get("hlsim_ratio"), ".2f") + ("x" if r.get("hlsim_ratio") else "")])


def fabric_block(table):
    """A block from one of fabric_figures' tables, its errors naming results/fabric."""
    def block(results):
        try:
            return table(results)
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise FiguresError(f"{results}/fabric: {e}") from e
    return block


BLOCKS = {"consensus": consensus_block, "scale": scale_block, "phold": phold_block,
          "fabric-skew": fabric_block(fabric_figures.skew_table),
          "fabric-split": fabric_block(fabric_figures.split_table),
          "fabric-privacy": fabric_block(fabric_figures.privacy_table)}
MARKER = re.compile(r"<!-- (BEGIN|END) generated: ([a-z-]+) -->")


def render(readme_text, results):
    """The README with every generated block replaced; raises FiguresError on bad markers."""
    out = []
    pos = 0
    open_name = None
    open_end = 0
    for m in MARKER.finditer(readme_text):
        kind, name = m.group(1), m.group(2)
        line = readme_text.count("\n", 0, m.start()) + 1
        if kind == "BEGIN":
            if open_name is not None:
                raise FiguresError(f"README line {line}: BEGIN {name} inside block {open_name}")
            if name not in BLOCKS:
                raise FiguresError(f"README line {line}: unknown generated block '{name}' "
                                   f"(known: {', '.join(BLOCKS)})")
            out.append(readme_text[pos:m.end()])
            open_name, open_end = name, m.end()
        else:
            if open_name != name:
                raise FiguresError(f"README line {line}: END {name} without its BEGIN")
            body = BLOCKS[name](results)
            if body is None:
                print(f"readme_figures: no results for block '{name}'; left as it is",
                      file=sys.stderr)
                out.append(readme_text[open_end:m.start()])
            else:
                out.append("\n" + body)
            pos = m.start()
            open_name = None
    if open_name is not None:
        raise FiguresError(f"README: block '{open_name}' has no END marker")
    out.append(readme_text[pos:])
    return "".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readme", default=os.path.join(ROOT, "README.md"))
    parser.add_argument("--results", default=os.path.join(ROOT, "results"))
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when the README is stale")
    args = parser.parse_args()
    try:
        with open(args.readme, encoding="utf-8") as f:
            current = f.read()
        updated = render(current, args.results)
    except (OSError, FiguresError) as e:
        print(f"readme_figures: {e}", file=sys.stderr)
        return 2
    if updated == current:
        return 0
    if args.check:
        print(f"readme_figures: {args.readme} is not what results/ makes; run "
              "analysis/readme_figures.py and commit the README", file=sys.stderr)
        return 1
    tmp = args.readme + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(updated)
    os.replace(tmp, args.readme)
    print(f"readme_figures: {args.readme} updated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
