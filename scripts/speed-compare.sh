#!/usr/bin/env bash
# Host speed of this tree against a baseline revision: builds both, then bench/speed_compare.py
# times the speed suite (bench/speed/suite.txt) on them, interleaved (see its header for the
# method, the table and the verdict rule).
#
# Usage: scripts/speed-compare.sh [BASE_REV] [speed_compare.py options...]
#   BASE_REV   any git revision (default: main)
#   options    passed on, e.g. --pairs 11, --only quickstart, --clock cpu, --instructions,
#              --json speed.json
# Examples:
#   scripts/speed-compare.sh                          # this tree vs main, 7 pairs
#   scripts/speed-compare.sh HEAD~1 --instructions    # vs the previous commit, + callgrind counts
#
# Baseline: a detached `git worktree` of BASE_REV in build/speed-baseline/src, built (Release,
# the revision's own `release` preset, tests off) in build/speed-baseline/src/build/release: only
# hlsim and the bench_* targets. build/speed-baseline/built-commit records the commit built; when
# it matches BASE_REV's commit and the binaries are there, nothing is rebuilt. Otherwise the
# worktree is moved to the commit and rebuilt incrementally.
# To drop it: git worktree remove --force build/speed-baseline/src && rm -rf build/speed-baseline
# Candidate: build/release of this tree (configured with the release preset if need be), again
# only hlsim and bench_*, brought up to date first.
# Both builds use ccache when installed, with CCACHE_BASEDIR at this tree's root: the baseline's
# build directory sits at the same depth under its source as build/release does here, so files
# unchanged between the revisions compile once. SPEED_JOBS sets the build parallelism (default 2).
# Exit status: speed_compare.py's (0 no regression, 1 a regression, 2 bad input), or the build's.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

base_rev=main
if [ $# -gt 0 ] && [[ $1 != -* ]]; then
  base_rev=$1
  shift
fi
if ! commit=$(git rev-parse --verify --quiet "$base_rev^{commit}"); then
  echo "speed-compare: '$base_rev' is not a revision of this repository" >&2
  exit 2
fi

jobs=${SPEED_JOBS:-2}
configure_extra=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
  configure_extra+=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

# hlsim and one bench_<suite> per bench/<suite>_bench.cc of the source tree $1.
targets_of() {
  local t=(hlsim) f
  for f in "$1"/bench/*_bench.cc; do
    [ -e "$f" ] || continue
    f=${f##*/}
    t+=("bench_${f%_bench.cc}")
  done
  echo "${t[@]}"
}

# build_targets SOURCE_DIR BUILD_DIR [CMAKE_ARGS...]: configure (release preset, + CMAKE_ARGS) if
# there is no build yet, then build hlsim + bench_*.
build_targets() {
  local src=$1 build=$2
  shift 2
  if [ ! -f "$build/build.ninja" ]; then
    (cd "$src" && cmake --preset release "$@" "${configure_extra[@]}" >/dev/null)
  fi
  # shellcheck disable=SC2046  # one word per target
  cmake --build "$build" -j "$jobs" --target $(targets_of "$src")
}

all_built() {
  local t
  for t in $(targets_of "$1"); do
    if [ "$t" = hlsim ]; then t=$2/hlsim; else t=$2/bench/$t; fi
    [ -x "$t" ] || return 1
  done
}

base_dir=build/speed-baseline
base_src=$base_dir/src
base_build=$base_src/build/release
stamp=$base_dir/built-commit
short=$(git rev-parse --short "$commit")

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$commit" ] && all_built "$base_src" "$base_build"; then
  echo "speed-compare: baseline $base_rev ($short) already built in $base_build" >&2
else
  echo "speed-compare: building baseline $base_rev ($short) in $base_build" >&2
  mkdir -p "$base_dir"
  rm -f "$stamp"
  if [ -e "$base_src/.git" ]; then
    git -C "$base_src" checkout --quiet --detach --force "$commit"
    git -C "$base_src" clean --quiet -fd   # untracked sources only: ignored build/ stays
  else
    git worktree prune   # forgets a worktree whose directory was deleted by hand
    git worktree add --quiet --detach "$base_src" "$commit"
  fi
  build_targets "$base_src" "$base_build" -DHLSIM_BUILD_TESTS=OFF
  echo "$commit" >"$stamp"
fi

echo "speed-compare: bringing the candidate (this tree) up to date in build/release" >&2
build_targets "$root" build/release

exec /usr/bin/python3 bench/speed_compare.py --baseline "$base_build" --candidate build/release "$@"
