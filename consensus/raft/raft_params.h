// Raft's tunable parameters and its registry entry.
//
// RaftParams is the typed form of the `consensus:` keys a scenario may set for protocol "raft";
// raft_protocol_info() declares those keys (with units, bounds and the sources of their
// defaults), checks the combinations single keys cannot, and builds one Raft per validator.
#pragma once

#include <cstdint>
#include <vector>

#include "consensus/registry.h"
#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "sim/kernel/time.h"

namespace hlsim {

struct RaftParams {
  // Each follower / candidate waits a fresh uniform draw from [min, max] without hearing from a
  // leader before it starts an election (Raft §5.2, §9.3).
  TimeNs election_timeout_min_ns = 150 * kNsPerMs;
  TimeNs election_timeout_max_ns = 300 * kNsPerMs;
  // A leader sends (possibly empty) AppendEntries to every follower this often.
  TimeNs heartbeat_ns = 50 * kNsPerMs;
  // A leader seals its queued transactions into a block at whichever limit comes first.
  std::uint32_t max_block_tx = 500;
  std::uint64_t max_block_bytes = 1 << 20;  // encoded transactions
  TimeNs batch_timeout_ns = 20 * kNsPerMs;  // after the first queued transaction
  // At most this many blocks in one AppendEntries.
  std::uint32_t max_append_blocks = 16;
  // A follower forwards a pending transaction again when this long after its last forward the
  // leader's blocks have not brought it back (the forward or the leader's queue was lost).
  TimeNs forward_retry_ns = 300 * kNsPerMs;

  // REQUIRES: values validated against raft_param_specs().
  static RaftParams from(const ParamValues& values);
  // The checks single parameters cannot make (min < max timeout, heartbeat < min timeout).
  Status check() const;
};

const std::vector<ParamSpec>& raft_param_specs();

const ProtocolInfo& raft_protocol_info();

}  // namespace hlsim
