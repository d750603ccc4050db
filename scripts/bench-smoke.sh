#!/usr/bin/env bash
# Runs every benchmark binary for a few milliseconds per case: proves they build and run, measures
# nothing worth reading. Real measurements: see README "Benchmarks".
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
for b in build/release/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "bench-smoke: $(basename "$b")"
  # Cases over 10^6 items only cost set-up time here (seconds each); the real runs include them.
  "$b" --benchmark_min_time=0.001 --benchmark_filter="${HLSIM_BENCH_FILTER:--1000000}" >/dev/null
done
