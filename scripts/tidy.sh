#!/usr/bin/env bash
# clang-tidy over the project's own sources (not tests or benchmarks), using the release build's
# compile_commands.json; .clang-tidy makes every warning an error.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/release/compile_commands.json ] || cmake --preset release >/dev/null
mapfile -t files < <(git ls-files 'sim/*.cc' 'ledger/*.cc' 'consensus/*.cc' 'workloads/*.cc' 'apps/*.cc')
run-clang-tidy -quiet -j "${HLSIM_JOBS:-2}" -p build/release "${files[@]}" >build/release/tidy.log 2>&1 || {
  grep -E "(warning|error):" build/release/tidy.log | sort -u | head -50
  echo "tidy: clang-tidy found problems (full log: build/release/tidy.log)" >&2
  exit 1
}
echo "tidy: ${#files[@]} files clean"
