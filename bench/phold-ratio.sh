#!/usr/bin/env bash
# PHOLD through hlsim's engine against the std::priority_queue baseline, interleaved in one run
# (random interleaving of repetitions, so machine noise hits both alike); prints the medians and
# the ratio at each pending-event count. Usage: bench/phold-ratio.sh [build dir] [repetitions]
set -euo pipefail
build=${1:-build/release}
reps=${2:-7}
"$build/bench/bench_kernel" --benchmark_filter='Phold' --benchmark_repetitions="$reps" \
  --benchmark_min_time=0.3 --benchmark_enable_random_interleaving=true \
  --benchmark_report_aggregates_only=true --benchmark_format=csv 2>/dev/null |
  awk -F, '/_median/ {
      split($1, a, "/"); gsub(/"/, "", a[1]); n = a[2]; sub(/_median"/, "", n);
      rate = $7 + 0   # items_per_second
      if (a[1] ~ /Hlsim/) h[n] = rate; else b[n] = rate }
    END {
      printf "%-10s %16s %16s %8s\n", "pending", "hlsim ev/s", "std::pq ev/s", "ratio";
      for (n in h) printf "%-10s %16.0f %16.0f %7.2fx\n", n, h[n], b[n], h[n] / b[n] }' | sort -n
