#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`: clang-14, ASan + UBSan) and runs each one for a
# time budget on a scratch copy of its seed corpus (fuzz/corpus/<name>/ is never modified), after
# replaying its saved regressions (fuzz/regressions/<name>/, which must all pass).
#   bash scripts/fuzz.sh [seconds_per_target] [target...]     default: 20 s, every target
# Prints one line per target; on a crash, leak, timeout or out-of-memory prints the reproducer and
# the command that replays it, and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift || true

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
if [ ! -f build/fuzz/build.ninja ]; then
  cmake --preset fuzz "${launcher[@]}" >/dev/null
fi
cmake --build --preset fuzz

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cd fuzz && ls -- *_fuzz.cc | sed 's/_fuzz\.cc$//')
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hlsim-fuzz.XXXXXX")
keep_work=0
cleanup() { if [ "$keep_work" = 0 ]; then rm -rf "$work"; fi; }
trap cleanup EXIT
# Targets make their own scratch files under TMPDIR; keep them in the work folder.
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"

failed=0
for t in "${targets[@]}"; do
  bin="build/fuzz/fuzz/${t}_fuzz"
  flags=(-timeout=10 -rss_limit_mb=2048)
  if [ -d "fuzz/regressions/$t" ] && [ -n "$(ls -A "fuzz/regressions/$t")" ]; then
    if ! "$bin" "${flags[@]}" "fuzz/regressions/$t"/* >"$work/$t.regressions.log" 2>&1; then
      echo "fuzz: $t: a saved regression fails again (log: $work/$t.regressions.log)"
      echo "  replay: $bin ${flags[*]} fuzz/regressions/$t/*"
      keep_work=1 failed=1
      continue
    fi
  fi
  corpus="$work/corpus/$t"
  mkdir -p "$corpus" "$work/artifacts/$t"
  if [ -d "fuzz/corpus/$t" ]; then cp -- "fuzz/corpus/$t"/* "$corpus"/; fi
  log="$work/$t.log"
  start=$(date +%s)
  status=0
  "$bin" "${flags[@]}" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$t/" "$corpus" >"$log" 2>&1 || status=$?
  elapsed=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  if [ "$status" -ne 0 ]; then
    artifact=$(ls -t "$work/artifacts/$t/" 2>/dev/null | head -1)
    echo "fuzz: $t FAILED after ${elapsed}s (exit $status)"
    grep -E '^==[0-9]+==ERROR|runtime error|fuzz property failed|^SUMMARY' "$log" | head -5 || true
    if [ -n "$artifact" ]; then
      echo "  reproducer: $work/artifacts/$t/$artifact"
      echo "  replay:     $bin ${flags[*]} $work/artifacts/$t/$artifact"
    fi
    echo "  log:        $log"
    keep_work=1 failed=1
  else
    printf 'fuzz: %-11s %9s execs in %3ss (%s/s), coverage %s\n' "$t" "${execs:-?}" "$elapsed" \
      "${rate:-?}" "${cov:-?}"
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "fuzz: failures found; scratch folder kept: $work" >&2
  exit 1
fi
