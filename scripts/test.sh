#!/usr/bin/env bash
# Second command of the README (and what CI runs): install, build, check formatting, run the whole
# test suite, then a short slice of every benchmark so they cannot rot, the macro suite against its
# baselines (bench/macro_compare.py), a self-compare slice of the speed compare
# (bench/speed_compare.py), and a slice of `hlsim fuzz` (scripts/swarm.sh).
#   HLSIM_TIDY=1 also runs clang-tidy over the sources (warnings are errors).
#   HLSIM_SANITIZE=1 also builds the debug preset (ASan + UBSan) and runs the tests under it.
#   HLSIM_FUZZ=1 also builds the fuzz preset (clang-14) and runs every fuzz target briefly
#   (HLSIM_FUZZ_SECONDS each, default 15; see scripts/fuzz.sh).
# Prints each step's wall time, and the total, so that CI's time budget can be watched.
set -euo pipefail
cd "$(dirname "$0")/.."
# step NAME COMMAND...: runs COMMAND, then prints how long it took.
step() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  echo "test.sh: step '$name' took $((SECONDS - start)) s (total $SECONDS s)"
}
step install-deps bash scripts/install-deps.sh
step format bash scripts/check-format.sh
step build-release bash scripts/build.sh release
if [ "${HLSIM_TIDY:-0}" = 1 ]; then step tidy bash scripts/tidy.sh; fi
step ctest-release ctest --preset release
step bench-smoke bash scripts/bench-smoke.sh
# The macro suite's simulated figures against results/baseline/ (exact: any change is behaviour).
step macro-compare /usr/bin/python3 bench/macro_compare.py
# The README's generated figures are what results/ makes (analysis/readme_figures.py).
step readme-figures /usr/bin/python3 analysis/readme_figures.py --check
# The scale benchmark's script at 64 validators (the real one: bench/scale.py, README).
step scale-quick /usr/bin/python3 bench/scale.py --quick
# The speed compare on real binaries, build/release against itself: proves the tool works end to
# end (gbench and scenario entries, pairing, table, exit status), it is NOT a regression check: a
# self-compare must say "same" and exit 0. CPU clock and a wide threshold so that a busy CI machine
# cannot fail it; real comparisons: scripts/speed-compare.sh.
step speed-compare /usr/bin/python3 bench/speed_compare.py --baseline build/release \
  --candidate build/release --pairs 2 --clock cpu --threshold 25 --only merkle-10k \
  --only quickstart
step swarm bash scripts/swarm.sh
if [ "${HLSIM_SANITIZE:-0}" = 1 ]; then
  step build-debug bash scripts/build.sh debug
  step ctest-debug ctest --preset debug
fi
if [ "${HLSIM_FUZZ:-0}" = 1 ]; then
  step fuzz bash scripts/fuzz.sh "${HLSIM_FUZZ_SECONDS:-15}"
fi
echo "test.sh: all steps passed in $SECONDS s"
