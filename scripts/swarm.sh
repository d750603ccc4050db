#!/usr/bin/env bash
# A slice of `hlsim fuzz` (swarm testing) for CI: HLSIM_SWARM_SEEDS seeds (default 60) of every
# protocol with short phases, each 10th seed run twice for the determinism self-check, then the
# canary, which must find violations. Fails on any violation, liveness failure or mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="${HLSIM_SWARM_SEEDS:-60}"
hlsim=build/release/hlsim
"$hlsim" fuzz --seeds "$seeds" --safety-s 5 --liveness-s 10 -j "${HLSIM_JOBS:-2}" --quiet \
  --report build/release/swarm.json
"$hlsim" fuzz --canary --protocol pbft --protocol tendermint --seeds 10 --safety-s 5 \
  --liveness-s 10 -j "${HLSIM_JOBS:-2}" --quiet
