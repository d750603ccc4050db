// One seed of `hlsim fuzz`: a randomised scenario (swarm testing in the style of FoundationDB's
// and TigerBeetle's simulators) within a protocol's fault bound.
//
// A case is a pure function of (protocol, seed, options, hlsim version): it is generated as
// scenario YAML, so it can be printed, saved and run with `hlsim run` like any other scenario.
// Each seed draws, from its own random stream:
//   * the cluster: node count (protocol-dependent), topology (full mesh or regions), link latency,
//     background loss;
//   * the workload: kind, clients and offered rate;
//   * a fault schedule inside the safety phase [0, heal): up to `budget` faulty validators (f for
//     the BFT protocols, a minority for Raft and PoA), each either Byzantine (a behaviour the
//     protocol supports) or crashing and restarting; and network conditions on any validators
//     (partitions, symmetric or one-way; degraded links; duplication; reordering; slow CPUs;
//     clock drift), each ending by `heal`;
//   * at `heal` every condition has ended and every crashed validator restarts; the liveness
//     phase [heal, heal + liveness) must commit again within the liveness bound.
// The canary variant breaks the bound on purpose: f + 1 equivocating validators (BFT and PoA) or
// a crash of a majority that loses its storage while the up-to-date minority is cut off (Raft).
#pragma once

#include <cstdint>
#include <string>

#include "sim/kernel/result.h"
#include "sim/kernel/time.h"

namespace hlsim {

struct SwarmOptions {
  double safety_s = 8;     // length of the faulty phase (simulated seconds)
  double liveness_s = 20;  // length of the healed phase that must commit again
  bool canary = false;     // break the fault bound on purpose
};

struct SwarmCase {
  std::string protocol;
  std::uint64_t seed = 0;
  std::string yaml;     // the whole scenario
  std::string outline;  // one line: nodes, topology, workload, faults
  TimeNs heal_ns = 0;   // every fault has ended, every crashed validator restarted
  TimeNs end_ns = 0;    // end of the submission window (heal + liveness)
  std::uint32_t nodes = 0;
  std::uint32_t budget = 0;  // faulty validators allowed (the protocol's f)
  std::uint32_t faulty = 0;  // faulty validators drawn (Byzantine or crashing)
};

// REQUIRES: `protocol` is registered (find_protocol), options positive. Errors: a protocol the
// swarm cannot drive.
Result<SwarmCase> make_swarm_case(const std::string& protocol, std::uint64_t seed,
                                  const SwarmOptions& options);

}  // namespace hlsim
