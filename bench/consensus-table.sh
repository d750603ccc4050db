#!/usr/bin/env bash
# The consensus comparison: runs scenarios/consensus/<protocol>-n<N>.yaml for every protocol and
# N in 4 16 64 (the same EHR workload and network), then writes the table and plot that the
# README shows. Usage:
#   bench/consensus-table.sh [--quick] [--build DIR] [--out DIR] [--protocols "raft pbft ..."]
#                            [--nodes "4 16 64"]
#   --quick   10 s of simulated load per run instead of the scenarios' own duration (a smoke test)
#   --out     where summaries, table.md and consensus.png go (default results/consensus)
# HDF5 files go to a temporary directory and are removed; only the summaries are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/release
out=results/consensus
protocols="raft pbft hotstuff tendermint poa"
nodes="4 16 64"
quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --build) build=$2; shift ;;
    --out) out=$2; shift ;;
    --protocols) protocols=$2; shift ;;
    --nodes) nodes=$2; shift ;;
    *) echo "consensus-table: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
hlsim="$build/hlsim"
[ -x "$hlsim" ] || { echo "consensus-table: $hlsim not built (run scripts/build.sh)" >&2; exit 2; }
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
summaries=()
for p in $protocols; do
  for n in $nodes; do
    sc=scenarios/consensus/$p-n$n.yaml
    [ -f "$sc" ] || { echo "consensus-table: missing $sc" >&2; exit 2; }
    extra=()
    [ "$quick" = 1 ] && extra=(--set duration_s=10)
    start=$(date +%s)
    "$hlsim" run "$sc" -o "$tmp/$p-n$n.h5" --quiet "${extra[@]}" >"$tmp/$p-n$n.log" 2>&1 || {
      echo "consensus-table: $sc failed:" >&2; tail -20 "$tmp/$p-n$n.log" >&2; exit 1; }
    cp "$tmp/$p-n$n.summary.json" "$out/$p-n$n.summary.json"
    summaries+=("$out/$p-n$n.summary.json")
    echo "consensus-table: $p n=$n done in $(( $(date +%s) - start )) s wall" >&2
  done
done
/usr/bin/python3 analysis/consensus_table.py "${summaries[@]}" --markdown "$out/table.md" \
  --plot "$out/consensus.png"
