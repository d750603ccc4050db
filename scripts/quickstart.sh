#!/usr/bin/env bash
# First command of the README: install what hlsim needs, build it, and run the quick-start
# scenario (5 hospitals running Raft, 20 clinics, 60 simulated seconds of EHR sharing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release
./build/release/hlsim run scenarios/quickstart.yaml -o results.h5
