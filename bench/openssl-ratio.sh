#!/usr/bin/env bash
# hlsim's real crypto beside this machine's own `openssl speed`, as ratios (hlsim / openssl):
# Ed25519 and ECDSA P-256 sign and verify on one core, batch verification of a 500-transaction
# block on two threads against twice openssl's single-core rate, SHA-256 and AES-256-GCM bytes/s.
# Builds nothing: it runs bench_crypto and bench_storage from the build dir.
#
# Usage: bench/openssl-ratio.sh [build dir] [--rounds R] [--seconds S] [--quick]
#   build dir   default build/release
#   --rounds R  rounds (default 3). A round runs each operation's openssl measurement and, right
#               after it, hlsim's (openssl ed25519, hlsim Ed25519, openssl ecdsap256, hlsim ECDSA,
#               ...), so machine noise hits both alike; each figure is the median over the
#               rounds, each ratio the ratio of those medians
#   --seconds S openssl speed -seconds per operation (default 3)
#   --quick     1 round, openssl 1 s, short hlsim runs: a smoke test (well under a minute)
#
# What is compared (same operation, same machine, same OpenSSL library):
#   sign/verify  BM_Ed25519Sign/Verify, BM_EcdsaP256Sign/Verify (200-byte message, one key)
#                vs `openssl speed ed25519 ecdsap256`, operations per second
#   2 threads    BM_BatchVerify{Ed25519,EcdsaP256}/txs:500/threads:2 (a TBB arena of 2 threads)
#                vs 2 x openssl's single-core verify/s measured just before; the goal is >= 1.8x
#                openssl single-core, i.e. a ratio >= 0.9 against 2x. As a control, `openssl
#                speed -multi 2` on the same two CPUs shows how much of two cores the machine
#                gives right now (on a shared machine, often far less than 2x)
#   SHA-256      BM_Sha256/65536 vs `openssl speed -evp sha256 -bytes 8192`, bytes per second
#   AES-256-GCM  bench_storage BM_Aes256GcmSeal/1048576 vs `openssl speed -evp aes-256-gcm
#                -bytes 8192`, bytes per second (both bulk sizes; hlsim allocates its output and
#                sets up a context per call, openssl reuses one)
# Time bases. Single-core rows compare rates per CPU-second of the measuring thread (openssl
# speed's default, user CPU time; Google Benchmark's CPU time), which other processes on a shared
# machine disturb least. 2-thread rows compare rates per wall-clock second (the benchmark's real
# time against `openssl speed -elapsed`, run right before it), the only basis on which two
# threads compare with one. On a busy machine the wall-clock figures drop; the interleaving spreads
# that over both sides, the per-round ratios show how much it moved, and the load average is
# printed. Single-core runs are pinned to one CPU and 2-thread runs to two, with taskset when
# present.
set -euo pipefail

build=build/release
rounds=3
seconds=3
quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=${2:?--rounds needs a number}; shift 2 ;;
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    --quick) quick=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "openssl-ratio: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) build=$1; shift ;;
  esac
done
if [ "$quick" = 1 ]; then
  rounds=1 seconds=1 reps=3 min_time=0.05
else
  reps=5 min_time=0.5
fi
case "$rounds$seconds" in *[!0-9]*|'') echo "openssl-ratio: --rounds and --seconds take whole numbers" >&2; exit 2 ;; esac
[ "$rounds" -ge 1 ] && [ "$seconds" -ge 1 ] || { echo "openssl-ratio: --rounds and --seconds must be >= 1" >&2; exit 2; }

py=/usr/bin/python3
crypto="$build/bench/bench_crypto"
storage="$build/bench/bench_storage"
for b in "$crypto" "$storage"; do
  [ -x "$b" ] || { echo "openssl-ratio: $b not found; build it: cmake --build $build --target $(basename "$b")" >&2; exit 2; }
done
command -v openssl >/dev/null || { echo "openssl-ratio: openssl not found" >&2; exit 2; }
[ -x "$py" ] || { echo "openssl-ratio: $py not found (parses the JSON)" >&2; exit 2; }

# CPUs this process may use; single-core runs on the last one, 2-thread runs on the last two.
mapfile -t cpus < <("$py" -c 'import os; [print(c) for c in sorted(os.sched_getaffinity(0))]')
ncpu=${#cpus[@]}
pin1=() pin2=()
if command -v taskset >/dev/null; then
  pin1=(taskset -c "${cpus[ncpu-1]}")
  [ "$ncpu" -ge 2 ] && pin2=(taskset -c "${cpus[ncpu-2]},${cpus[ncpu-1]}")
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
exec 3>&2  # progress and failures, whatever a command's stderr is redirected to
# A failed run leaves its figures out (printed as n/a) instead of ending the comparison.
try() { "$@" || echo "openssl-ratio: failed, its figures will show n/a: $*" >&3; }
gb=(--benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true
    --benchmark_min_time="$min_time" --benchmark_format=json)
ossl() { try "${pin1[@]}" openssl speed -mr -seconds "$seconds" "$@"; }
hl1() { try "${pin1[@]}" "$1" "${gb[@]}" --benchmark_filter="$2"; }
hl2() { if [ "$ncpu" -ge 2 ]; then try "${pin2[@]}" "$crypto" "${gb[@]}" --benchmark_filter="$1"; fi; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= rounds; r++)); do
  echo "openssl-ratio: round $r/$rounds: Ed25519" >&3
  ossl ed25519 >"$tmp/ossl-ed-$r" 2>&1
  hl1 "$crypto" '^BM_Ed25519(Sign|Verify)$' >"$tmp/hlsim-ed-$r.json" 2>/dev/null
  if [ "$ncpu" -ge 2 ]; then
    ossl -elapsed ed25519 >"$tmp/ossl-edwall-$r" 2>&1
    try "${pin2[@]}" openssl speed -mr -elapsed -multi 2 -seconds "$seconds" ed25519 \
      >"$tmp/ossl-edmulti-$r" 2>&1
  fi
  hl2 '^BM_BatchVerifyEd25519/txs:500/threads:2/real_time$' >"$tmp/hlsim-edbatch-$r.json" 2>/dev/null
  echo "openssl-ratio: round $r/$rounds: ECDSA P-256" >&3
  ossl ecdsap256 >"$tmp/ossl-ec-$r" 2>&1
  hl1 "$crypto" '^BM_EcdsaP256(Sign|Verify)$' >"$tmp/hlsim-ec-$r.json" 2>/dev/null
  if [ "$ncpu" -ge 2 ]; then
    ossl -elapsed ecdsap256 >"$tmp/ossl-ecwall-$r" 2>&1
    try "${pin2[@]}" openssl speed -mr -elapsed -multi 2 -seconds "$seconds" ecdsap256 \
      >"$tmp/ossl-ecmulti-$r" 2>&1
  fi
  hl2 '^BM_BatchVerifyEcdsaP256/txs:500/threads:2/real_time$' >"$tmp/hlsim-ecbatch-$r.json" 2>/dev/null
  echo "openssl-ratio: round $r/$rounds: SHA-256, AES-256-GCM" >&3
  ossl -bytes 8192 -evp sha256 >"$tmp/ossl-sha-$r" 2>&1
  hl1 "$crypto" '^BM_Sha256/65536$' >"$tmp/hlsim-sha-$r.json" 2>/dev/null
  ossl -bytes 8192 -evp aes-256-gcm >"$tmp/ossl-aes-$r" 2>&1
  hl1 "$storage" '^BM_Aes256GcmSeal/1048576$' >"$tmp/hlsim-aes-$r.json" 2>/dev/null
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

pinned="not pinned (no taskset)"
if [ ${#pin1[@]} -gt 0 ]; then
  pinned="single-core runs on CPU ${cpus[ncpu-1]}"
  [ ${#pin2[@]} -gt 0 ] && pinned+=", 2-thread runs on CPUs ${cpus[ncpu-2]},${cpus[ncpu-1]}"
fi
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)

"$py" - "$tmp" "$rounds" "$ncpu" "$(openssl version)" "${cpu_model:-unknown CPU}" "$pinned" \
  "$reps" "$seconds" "$load_before" "$load_after" <<'EOF'
import glob, json, statistics, sys

tmp, rounds, ncpu, ossl_version, cpu, pinned, reps, seconds, load0, load1 = sys.argv[1:]
rounds, ncpu = int(rounds), int(ncpu)

def openssl_pk(path):
    """ops/s from `openssl speed -mr` (+F4: ECDSA k:bits:sign:verify; +F6: EdDSA k:bits:name:sign:verify)."""
    out = {}
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return out
    for line in lines:
        f = line.strip().split(":")
        if f[0] == "+F4" and len(f) >= 5 and f[2] == "256":
            out["ecdsa_sign"], out["ecdsa_verify"] = float(f[3]), float(f[4])
        elif f[0] == "+F6" and len(f) >= 6 and f[3] == "Ed25519":
            out["ed_sign"], out["ed_verify"] = float(f[4]), float(f[5])
    return out

def openssl_evp(path, size="8192"):
    """bytes/s at `size` from `openssl speed -mr -evp` (+H: sizes, +F:k:name:bytes/s...)."""
    sizes, values = None, None
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return None
    for line in lines:
        f = line.strip().split(":")
        if f[0] == "+H":
            sizes = f[1:]
        elif f[0] == "+F":
            values = f[3:]
    if sizes and values and size in sizes and sizes.index(size) < len(values):
        return float(values[sizes.index(size)])
    return None

def bench(path):
    """run_name -> items/s or bytes/s of the median aggregate of a Google Benchmark JSON file (per
    CPU second of the benchmark thread, or per wall second for a /real_time benchmark)."""
    try:
        data = json.load(open(path))
    except (OSError, ValueError):
        return {}
    out = {}
    for b in data.get("benchmarks", []):
        if b.get("aggregate_name") != "median" or b.get("error_occurred"):
            continue
        rate = b.get("items_per_second", b.get("bytes_per_second"))
        if rate is None:
            continue
        out[b["run_name"]] = float(rate)
    return out

# Rows: label, hlsim benchmark, openssl key, kind ("ops" or "bytes"), openssl multiplier.
rows = [
    ("Ed25519 sign", "BM_Ed25519Sign", "ed_sign", "ops", 1),
    ("Ed25519 verify", "BM_Ed25519Verify", "ed_verify", "ops", 1),
    ("ECDSA P-256 sign", "BM_EcdsaP256Sign", "ecdsa_sign", "ops", 1),
    ("ECDSA P-256 verify", "BM_EcdsaP256Verify", "ecdsa_verify", "ops", 1),
    ("SHA-256 (64 KiB | 8 KiB)", "BM_Sha256/65536", "sha", "bytes", 1),
    ("AES-256-GCM seal (1 MiB | 8 KiB)", "BM_Aes256GcmSeal/1048576", "aes", "bytes", 1),
    ("Ed25519 verify, 2 threads", "BM_BatchVerifyEd25519/txs:500/threads:2/real_time",
     "ed_verify_wall", "ops", 2),
    ("ECDSA P-256 verify, 2 threads", "BM_BatchVerifyEcdsaP256/txs:500/threads:2/real_time",
     "ecdsa_verify_wall", "ops", 2),
]

# Per round: openssl figures by key, hlsim figures by benchmark name (missing: absent).
ossl_rounds, hl_rounds = [], []
for r in range(1, rounds + 1):
    o = openssl_pk(f"{tmp}/ossl-ed-{r}")
    o.update(openssl_pk(f"{tmp}/ossl-ec-{r}"))
    for f in ("ed", "ec"):
        for k, v in openssl_pk(f"{tmp}/ossl-{f}wall-{r}").items():
            o[k + "_wall"] = v
        # -multi prints each process's line as "Got: +F6:..." and then their sum as "+F6:...".
        for k, v in openssl_pk(f"{tmp}/ossl-{f}multi-{r}").items():
            o[k + "_multi"] = v
    o["sha"] = openssl_evp(f"{tmp}/ossl-sha-{r}")
    o["aes"] = openssl_evp(f"{tmp}/ossl-aes-{r}")
    ossl_rounds.append(o)
    h = {}
    for path in sorted(glob.glob(f"{tmp}/hlsim-*-{r}.json")):
        h.update(bench(path))
    hl_rounds.append(h)

def fmt(v, kind):
    if v is None:
        return "n/a"
    return f"{v / 1e9:,.2f} GB/s" if kind == "bytes" else f"{v:,.0f} /s"

def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None

print(f"hlsim vs openssl speed: {ossl_version}; {cpu}, {ncpu} CPU(s) usable")
print(f"{rounds} round(s), each operation openssl then hlsim; medians over rounds (hlsim: median "
      f"of {reps} repetitions per round; openssl: -seconds {seconds}); {pinned}")
print(f"load average before {load0}, after {load1}; rates per CPU-second on one core, per "
      f"wall-clock second on 2 threads (against openssl speed -elapsed)")
busy = float(load0.split()[0])
if busy >= 0.5:
    print(f"note: the 1-minute load average was {busy:.2f} before the first run: other processes "
          f"compete for the CPUs, so the wall-clock (2-thread) figures understate what an idle "
          f"machine gives (Linux's autogroup scheduling shares CPUs between sessions, not threads)")
print(f"{'operation':<34} {'hlsim':>14} {'openssl':>18} {'ratio':>6}  per-round ratios")
ratios = {}
multi = {}  # 2-thread rows: openssl -multi 2 as a multiple of openssl single-core
for label, name, key, kind, mult in rows:
    two = mult == 2
    if two and ncpu < 2:
        print(f"{label:<34} not meaningful: 1 CPU usable (nproc=1)")
        continue
    h = median([hr.get(name) for hr in hl_rounds])
    o = median([orr.get(key) for orr in ossl_rounds])
    o2 = o * mult if o is not None else None
    ratio = h / o2 if h is not None and o2 else None
    per_round = [hr[name] / (orr[key] * mult) for hr, orr in zip(hl_rounds, ossl_rounds)
                 if hr.get(name) is not None and orr.get(key)]
    spread = " ".join(f"{x:.2f}" for x in per_round) if per_round else "n/a"
    ofmt = ("2 x " if two else "") + fmt(o, kind)
    rtxt = f"{ratio:.2f}" if ratio is not None else "n/a"
    extra = ""
    if two and ratio is not None:
        m = median([orr.get(key.replace("_wall", "_multi")) for orr in ossl_rounds])
        multi[label] = m / o if m else None
        extra = f"  (= {h / o:.2f}x openssl single-core" + (
            f"; openssl -multi 2: {m / o:.2f}x)" if m else ")")
    print(f"{label:<34} {fmt(h, kind):>14} {ofmt:>18} {rtxt:>6}  {spread}{extra}")
    ratios[label] = ratio

print()
print("goals")
for label, _, _, _, mult in rows:
    r = ratios.get(label)
    if mult == 1:
        verdict = "n/a" if r is None else ("PASS" if round(r, 2) >= 0.9 else "MISS")
        print(f"  {label:<34} >= 0.90 of openssl, one core:     "
              f"{'n/a' if r is None else f'{r:.2f}':>6}  {verdict}")
    elif ncpu < 2:
        print(f"  {label:<34} >= 1.8x openssl single-core:     not meaningful on 1 CPU")
    else:
        verdict = "n/a" if r is None else ("PASS" if round(2 * r, 2) >= 1.8 else "MISS")
        m = multi.get(label)
        why = ""
        if verdict == "MISS" and m is not None and m < 1.8:
            why = (f"  (openssl -multi 2 itself reached {m:.2f}x: the machine did not give this "
                   f"session two cores)")
        print(f"  {label:<34} >= 1.8x openssl single-core:     "
              f"{'n/a' if r is None else f'{2 * r:.2f}x':>6}  {verdict}{why}")
EOF
