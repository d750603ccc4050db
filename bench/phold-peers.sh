#!/usr/bin/env bash
# PHOLD on hlsim against the same PHOLD on ns-3 (each of its schedulers) and on SimGrid
# (bench/peers/), every run interleaved in a fresh random order per repetition so that machine
# noise hits all alike; prints each simulator's median events/s with its spread, and the ratios
# hlsim / fastest ns-3 scheduler and hlsim / SimGrid against the goals (>= 4x, >= 50x), on wall
# time and again on each process's CPU time (steadier when other processes share the machine; pin
# the whole script to one core with taskset for the steadiest figures).
# Usage: bench/phold-peers.sh [build dir] [repetitions]
#   PHOLD_PEERS_PENDING  pending-event counts (default "1000 100000 1000000")
#   PHOLD_PEERS_EVENTS   events timed per run (default 3000000)
#   PHOLD_PEERS_BUDGET   wall seconds a peer run may time before it stops early (default 3)
#   PHOLD_PEERS_JSON     also write the medians, spreads and ratios here as JSON (the README's
#                        generated PHOLD table: analysis/readme_figures.py)
# Work per run: every run first handles 2 events per pending event untimed (the warm-up), then
# times PHOLD_PEERS_EVENTS events, a peer stopping early once it has timed PHOLD_PEERS_BUDGET
# seconds (so slow schedulers finish; their events are then fewer, shown in the table). hlsim runs
# through bench_kernel's BM_Phold_Hlsim/<N> with --benchmark_min_time chosen from its previous rate
# to time about PHOLD_PEERS_EVENTS events; its events/s are taken on wall time (Google Benchmark's
# items_per_second is per CPU second; it is scaled by cpu_time / real_time), as the peers'.
# Peers not built (ns-3 or SimGrid not installed when configuring) are skipped with a note. Left
# out by design: ns-3's ListScheduler above 10000 pending (O(N) insertion: the warm-up alone walks
# ~N^2 list nodes), its CalendarScheduler above 100000 (at 1000000 pending it degenerates to ~6k
# events/s, so its warm-up alone takes minutes) and SimGrid above 100000 pending (one actor and
# its stack per pending event).
# Exits 1 if any run fails its own correctness check (pending count, handled count).
set -euo pipefail
build=${1:-build/release}
reps=${2:-5}
pendings=${PHOLD_PEERS_PENDING:-1000 100000 1000000}
events=${PHOLD_PEERS_EVENTS:-3000000}
budget=${PHOLD_PEERS_BUDGET:-3}

kernel_bench="$build/bench/bench_kernel"
ns3="$build/bench/peers/phold_ns3"
simgrid="$build/bench/peers/phold_simgrid"
[ -x "$kernel_bench" ] || { echo "phold-peers: $kernel_bench not built" >&2; exit 2; }

notes=()
jobs=()
hlsim_cases=$("$kernel_bench" --benchmark_list_tests --benchmark_filter='^BM_Phold_Hlsim/')
for n in $pendings; do
  if grep -qx "BM_Phold_Hlsim/$n" <<<"$hlsim_cases"; then
    jobs+=("hlsim $n")
  else
    notes+=("hlsim skipped at $n pending: bench_kernel has no BM_Phold_Hlsim/$n")
  fi
  if [ -x "$ns3" ]; then
    for s in map heap calendar priority-queue list; do
      if [ "$s" = list ] && [ "$n" -gt 10000 ]; then continue; fi
      if [ "$s" = calendar ] && [ "$n" -gt 100000 ]; then continue; fi
      jobs+=("ns3-$s $n")
    done
  fi
  if [ -x "$simgrid" ] && [ "$n" -le 100000 ]; then jobs+=("simgrid $n"); fi
done
[ -x "$ns3" ] || notes+=("ns-3 skipped: $ns3 not built (install libns3-dev, reconfigure)")
[ -x "$simgrid" ] || notes+=("SimGrid skipped: $simgrid not built (install libsimgrid-dev, reconfigure)")
if [ -x "$ns3" ]; then
  notes+=("ns3-list only at <= 10000 pending (O(N) insertion)")
  notes+=("ns3-calendar only at <= 100000 pending (at 1000000 it degenerates: ~6k ev/s, ~9 min a run)")
fi
if [ -x "$simgrid" ]; then notes+=("SimGrid only at <= 100000 pending (an actor + stack per event)"); fi

results=$(mktemp)
trap 'rm -f "$results"' EXIT
declare -A hlsim_rate
failed=0

# One run; appends "sim pending events_per_s events events_per_cpu_s" to $results.
run_one() {
  local sim=$1 n=$2 out
  case $sim in
    hlsim)
      local rate=${hlsim_rate[$n]:-20000000} min_time
      min_time=$(awk -v e="$events" -v r="$rate" -v b="$budget" \
        'BEGIN { t = e / r; if (t < 0.05) t = 0.05; if (t > b) t = b; printf "%.3f", t }')
      out=$("$kernel_bench" --benchmark_filter="^BM_Phold_Hlsim/$n\$" \
        --benchmark_min_time="$min_time" --benchmark_format=csv 2>/dev/null | grep '^"BM_Phold') ||
        { echo "phold-peers: FAIL hlsim $n: no result" >&2; failed=1; return; }
      # name,iterations,real_time,cpu_time,time_unit,bytes_per_second,items_per_second,...
      read -r rate ev cpu_rate < <(echo "$out" | awk -F, '{
          if ($9 == "true") exit 1
          ips = $7 + 0; printf "%.0f %.0f %.0f\n", ips * $4 / $3, ips * $2 * $4 * 1e-9, ips }') ||
        { echo "phold-peers: FAIL hlsim $n: $out" >&2; failed=1; return; }
      hlsim_rate[$n]=$rate
      echo "hlsim $n $rate $ev $cpu_rate" >>"$results"
      ;;
    *)
      local cmd
      if [ "$sim" = simgrid ]; then cmd=("$simgrid" "$n" "$events" "$budget")
      else cmd=("$ns3" "${sim#ns3-}" "$n" "$events" "$budget"); fi
      if ! out=$("${cmd[@]}" 2>&1); then
        echo "phold-peers: FAIL $sim $n:" >&2
        echo "$out" >&2
        failed=1
        return
      fi
      echo "$out" | awk -v sim="$sim" -v n="$n" '/^phold / {
          for (i = 2; i <= NF; ++i) { split($i, kv, "="); f[kv[1]] = kv[2] }
          print sim, n, f["events_per_s"], f["events"], f["events_per_cpu_s"] }' >>"$results"
      ;;
  esac
}

for ((r = 1; r <= reps; ++r)); do
  echo "phold-peers: repetition $r/$reps (${#jobs[@]} runs, random order)" >&2
  while read -r job; do
    # shellcheck disable=SC2086
    run_one $job </dev/null
  done < <(printf '%s\n' "${jobs[@]}" | shuf)
done

# Medians (and spread) per (sim, pending); then ratios per pending, on wall time (the figure the
# goals are stated for) and on CPU time (steadier when other processes share the machine).
awk '
  function sortcol(key, col,    i, j, t, m) {
    m = cnt[key]
    for (i = 1; i <= m; ++i) s[i] = v[key, col, i]
    for (i = 2; i <= m; ++i) { t = s[i]; for (j = i - 1; j >= 1 && s[j] > t; --j) s[j + 1] = s[j]; s[j + 1] = t }
    return m
  }
  function median(key, col,    m) {
    m = sortcol(key, col)
    return m % 2 ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
  }
  function ratio_line(n, what, h, peer, goal) {
    return sprintf("pending %-8s %-5s hlsim / %-36s %7.2fx  goal >= %2dx: %s\n", n, what, peer ":",
                   h, goal, h >= goal ? "MET" : "NOT MET")
  }
  { key = $1 SUBSEP $2; c = ++cnt[key]; v[key, 1, c] = $3; v[key, 2, c] = $4; v[key, 3, c] = $5
    if (!(key in seen)) { seen[key] = 1; order[++nk] = key }
    if (!($2 in pseen)) { pseen[$2] = 1; pend[++np] = $2 } }
  END {
    printf "%-19s %8s %12s %25s %11s %15s %4s\n", "simulator", "pending", "median ev/s",
           "spread (min - max ev/s)", "events/run", "median ev/CPU-s", "runs"
    for (p = 1; p <= np; ++p) {
      n = pend[p]; best = 0; best_cpu = 0; best_name = ""; best_cpu_name = ""
      for (k = 1; k <= nk; ++k) {
        key = order[k]; split(key, kk, SUBSEP); if (kk[2] != n) continue
        med[key] = median(key, 1); cpu[key] = median(key, 3)
        m = sortcol(key, 1); lo[key] = s[1]; hi[key] = s[m]
        ev[key] = median(key, 2)
        if (kk[1] ~ /^ns3-/ && med[key] > best) { best = med[key]; best_name = kk[1] }
        if (kk[1] ~ /^ns3-/ && cpu[key] > best_cpu) { best_cpu = cpu[key]; best_cpu_name = kk[1] }
      }
      for (k = 1; k <= nk; ++k) {
        key = order[k]; split(key, kk, SUBSEP); if (kk[2] != n) continue
        printf "%-19s %8s %12.0f %12.0f - %-10.0f %11.0f %15.0f %4d\n", kk[1], n, med[key], lo[key],
               hi[key], ev[key], cpu[key], cnt[key]
      }
      h = med["hlsim" SUBSEP n]; hc = cpu["hlsim" SUBSEP n]
      if (best > 0 && h > 0) {
        wall = wall ratio_line(n, "wall", h / best, "ns-3 fastest (" best_name ")", 4)
        cput = cput ratio_line(n, "CPU", hc / best_cpu, "ns-3 fastest (" best_cpu_name ")", 4)
      }
      sg = med["simgrid" SUBSEP n]; sgc = cpu["simgrid" SUBSEP n]
      if (sg > 0 && h > 0) {
        wall = wall ratio_line(n, "wall", h / sg, "SimGrid", 50)
        cput = cput ratio_line(n, "CPU", hc / sgc, "SimGrid", 50)
      }
    }
    printf "\n%s%s", wall, cput
  }' < <(sort -k2,2n -k1,1 "$results")
for note in "${notes[@]}"; do echo "note: $note"; done
if [ -n "${PHOLD_PEERS_JSON:-}" ]; then
  /usr/bin/python3 - "$results" "$PHOLD_PEERS_JSON" "$reps" <<'PY'
import json, os, statistics, sys
raw, out, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
runs = {}
with open(raw, encoding="utf-8") as f:
    for line in f:
        sim, pending, rate, _events, cpu_rate = line.split()
        runs.setdefault((sim, int(pending)), []).append((float(rate), float(cpu_rate)))
rows = []
for (sim, pending), values in sorted(runs.items(), key=lambda kv: (kv[0][1], kv[0][0] != "hlsim", kv[0][0])):
    rates = [r for r, _ in values]
    rows.append({"simulator": sim, "pending": pending, "runs": len(values),
                 "median_events_per_s": statistics.median(rates),
                 "min_events_per_s": min(rates), "max_events_per_s": max(rates),
                 "median_events_per_cpu_s": statistics.median(c for _, c in values)})
hlsim = {r["pending"]: r["median_events_per_s"] for r in rows if r["simulator"] == "hlsim"}
for r in rows:
    h = hlsim.get(r["pending"])
    r["hlsim_ratio"] = h / r["median_events_per_s"] if h and r["simulator"] != "hlsim" else None
tmp = out + ".tmp"
with open(tmp, "w", encoding="utf-8") as f:
    json.dump({"benchmark": "phold-peers", "repetitions": reps, "rows": rows}, f, indent=1)
os.replace(tmp, out)
PY
fi
exit "$failed"
