#!/usr/bin/env bash
# Installs every Debian 12 package hlsim needs to build, test, benchmark, fuzz and analyse.
# (clang-14 and libclang-rt-14-dev: the fuzz preset's compiler and its libFuzzer / sanitizer
# runtimes.)
# HLSIM_PEERS=1 adds the peer simulators for bench/phold-peers.sh (ns-3, SimGrid: ~75 MB, not
# needed to build or test hlsim, so not installed by default or in CI).
# Idempotent: a second run finds everything present and installs nothing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates clang-format clang-tidy
  clang-14 libclang-rt-14-dev
  libssl-dev libtbb-dev libboost-graph-dev libhdf5-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libyaml-cpp-dev libcli11-dev nlohmann-json3-dev librocksdb-dev libexpat1-dev
  python3 python3-h5py python3-pandas python3-numpy python3-matplotlib
  libopenmpi-dev openmpi-bin
)
if [ "${HLSIM_PEERS:-0}" = 1 ]; then packages+=(libns3-dev libsimgrid-dev); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
