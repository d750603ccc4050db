// A timed fault of a scenario's `faults:` schedule (the loader, sim/scenario, validates them).
//
// Two families:
//   * node events, instantaneous: crash and restart (a validator id, or "leader" / "crashed");
//   * conditions, active over [at_ns, until_ns): a network partition (symmetric between named
//     groups, or one-way from some nodes to others), link degradation (latency factor, extra loss,
//     bandwidth factor), message duplication, message reordering (an extra random delay), a slow
//     node (its CPU costs multiplied), clock drift (its timers last `rate` times as long), and a
//     Byzantine role (consensus/behavior.h: silent, withhold_votes, invalid_signatures,
//     delay_proposals) that validators play only during the window; such a validator counts as
//     Byzantine for the whole run (the safety checker ignores its commits; it counts against f).
// Conditions that overlap compose (sim/faults/fault_conditions.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "consensus/behavior.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/time.h"

namespace hlsim {

enum class FaultKind : std::uint8_t {
  kCrash,
  kRestart,
  kPartition,
  kDegrade,
  kDuplicate,
  kReorder,
  kSlow,
  kClockDrift,
  kByzantine,
};

// The scenario key of each kind ("crash", "restart", "partition", "degrade", "duplicate",
// "reorder", "slow", "clock_drift", "byzantine").
const char* fault_key(FaultKind kind);
const std::vector<std::string>& fault_keys();

struct FaultEvent {
  TimeNs at_ns = 0;
  TimeNs until_ns = kTimeNever;  // conditions only: when it ends (kTimeNever: at the run's end)
  std::size_t source_index = 0;  // its position in the scenario's list (for error messages)
  FaultKind kind = FaultKind::kCrash;

  // crash / restart: a validator id, or kNoNode with a symbolic target: "leader" (crash the
  // current leader) or "crashed" (restart the most recently crashed node).
  NodeId node = kNoNode;
  std::string symbolic;

  // partition, symmetric: named groups of validators; validators in no group form one more group
  // ("rest"). Messages between different groups are dropped.
  std::vector<std::string> group_names;
  std::vector<std::vector<NodeId>> groups;
  // partition, one-way (groups empty): messages from a node of `from` to a node of `to` are
  // dropped; the other direction still flows.
  std::vector<NodeId> from;
  std::vector<NodeId> to;

  // degrade, duplicate, reorder: the links from or to these validators (empty: every link).
  // slow, clock_drift: these validators. byzantine: these validators, playing roles[i].
  std::vector<NodeId> nodes;
  std::vector<Behavior> roles;

  double latency_factor = 1;    // degrade: >= 1, multiplies the path latency
  double bandwidth_factor = 1;  // degrade: in (0, 1], multiplies the path bandwidth
  double loss = 0;              // degrade: extra loss probability in [0, 1)
  double probability = 0;       // duplicate, reorder: per message, in (0, 1]
  TimeNs max_delay_ns = 0;      // reorder: the extra delay is uniform in [0, max_delay_ns]
  double cpu_factor = 1;        // slow: >= 1, multiplies every job's CPU cost
  double clock_rate = 1;        // clock_drift: > 0, multiplies every timer's duration

  bool is_condition() const { return kind != FaultKind::kCrash && kind != FaultKind::kRestart; }
  // Every validator id the fault names (for the loader's range check).
  std::vector<NodeId> named_nodes() const;
  // One line for reports, e.g. "partition east=[0,1] | west=[2,3] | rest=[]" or
  // "degrade links of [2]: latency x3, loss 0.05".
  std::string describe() const;
};

}  // namespace hlsim
