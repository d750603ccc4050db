#!/usr/bin/env bash
# The execute-order-validate figures of the README (issue 8), from real runs:
#   * key skew: the Fabric-style pipeline on the ehr workload (patients drawn Zipf(zipf_s)) and on
#     the supply workload (pharmacies drawn Zipf(pharmacy_zipf_s)) at s = 0, 0.5, 1.0, 1.5, 2.0:
#     MVCC conflict rate and valid throughput;
#   * latency split: the same ehr load through the pipeline (Raft and PBFT ordering services)
#     against PBFT and HotStuff order-execute runs;
#   * privacy: the same ehr load with Raft, on one channel, on two channels (access requests
#     apart), and with record writes private to a collection of all three organisations or of
#     the two hospitals.
# Every run: 4 ordering nodes (or validators), 3 organisations with 2 peers each and a MAJORITY
# policy, 5 ms links, 12 clients offering 300 tx/s for 30 s (+10 s drain), seed 1.
# Each run's summary goes to results/fabric/<name>.summary.json; analysis/readme_figures.py turns
# them into the README's tables and analysis/fabric_plot.py into results/fabric/skew.png.
# Usage: bench/fabric-figures.sh [build dir]   (about 5 minutes on 2 cores)
set -euo pipefail
build=${1:-build/release}
hlsim="$build/hlsim"
[ -x "$hlsim" ] || { echo "fabric-figures: $hlsim not built" >&2; exit 2; }
out=results/fabric
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# run NAME PIPELINE_KIND PROTOCOL CONSENSUS_EXTRA WORKLOAD_EXTRA [PIPELINE_EXTRA]
run() {
  local name=$1 kind=$2 protocol=$3 consensus=$4 workload=$5 pipeline=${6:-}
  cat > "$work/$name.yaml" <<YAML
name: $name
seed: 1
duration_s: 30
drain_s: 10
pipeline: {kind: $kind, organisations: "hospital_a:2, hospital_b:2, insurer:2"$pipeline}
consensus: {protocol: $protocol, nodes: 4$consensus}
workload: {clients: 12, rate_tps: 300, $workload}
network: {latency_ms: 5, bandwidth_mbps: 1000, client_latency_ms: 2}
nodes: {cores: 4}
output: {path: $work/$name.h5}
YAML
  "$hlsim" run "$work/$name.yaml" > "$work/$name.log" ||
    { echo "fabric-figures: run $name failed:" >&2; tail -5 "$work/$name.log" >&2; exit 1; }
  cp "$work/$name.summary.json" "$out/$name.summary.json"
  echo "  $name"
}

batching=", max_block_tx: 500, batch_timeout_ms: 250"
echo "fabric-figures: key skew"
for s in 0 0.5 1.0 1.5 2.0; do
  run "skew-ehr-s$s" fabric raft "$batching" "kind: ehr, patients: 20000, zipf_s: $s"
  run "skew-supply-s$s" fabric raft "$batching" "kind: supply, pharmacy_zipf_s: $s"
done
echo "fabric-figures: latency split against order-execute"
run split-fabric-raft fabric raft "$batching" "kind: ehr, patients: 20000"
run split-fabric-pbft fabric pbft "$batching" "kind: ehr, patients: 20000"
run split-oe-pbft none pbft "$batching" "kind: ehr, patients: 20000"
run split-oe-hotstuff none hotstuff "" "kind: ehr, patients: 20000"
echo "fabric-figures: channels and private data"
ehr="kind: ehr, patients: 20000"
cp "$out/split-fabric-raft.summary.json" "$out/privacy-one-channel.summary.json"
echo "  privacy-one-channel (= split-fabric-raft)"
run privacy-two-channels fabric raft "$batching" "$ehr" \
  ", channels: 'care: hospital_a hospital_b insurer; audit: hospital_a hospital_b insurer', channel_kinds: 'audit: access_request'"
run privacy-collection-all fabric raft "$batching" "$ehr" \
  ", collections: 'phi: hospital_a hospital_b insurer', collection_kinds: 'phi: record_write'"
run privacy-collection-2of3 fabric raft "$batching" "$ehr" \
  ", collections: 'phi: hospital_a hospital_b', collection_kinds: 'phi: record_write'"
echo "fabric-figures: wrote $out/"
