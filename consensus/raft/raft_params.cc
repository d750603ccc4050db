// Raft's parameter declarations, cross-checks and registry entry (raft_params.h).
#include "consensus/raft/raft_params.h"

#include <memory>
#include <string>

#include "consensus/raft/raft.h"
#include "consensus/raft/raft_messages.h"

namespace hlsim {

namespace {

// An hour: far beyond any sensible timeout, small enough that nanoseconds never overflow.
constexpr double kMaxMs = 3'600'000;

}  // namespace

const std::vector<ParamSpec>& raft_param_specs() {
  static const std::vector<ParamSpec> specs = {
      int_param("election_timeout_min_ms", "150", "ms",
                "lower bound of the randomised election timeout", 1, kMaxMs),
      int_param("election_timeout_max_ms", "300", "ms",
                "upper bound of the randomised election timeout", 1, kMaxMs),
      int_param("heartbeat_ms", "50", "ms", "interval between a leader's AppendEntries", 1, kMaxMs),
      int_param("max_block_tx", "500", "tx", "a leader seals a block at this many transactions", 1,
                1'000'000),
      int_param("max_block_bytes", "1048576", "bytes",
                "a leader seals a block at this many bytes of encoded transactions", 1,
                64.0 * 1024 * 1024),
      int_param("batch_timeout_ms", "20", "ms",
                "a leader seals a partial block this long after its first transaction", 1, kMaxMs),
      int_param("max_append_blocks", "16", "blocks", "at most this many blocks per AppendEntries",
                1, 4096),
      int_param("forward_retry_ms", "300", "ms",
                "a follower re-forwards a transaction the leader has not logged after this long", 1,
                kMaxMs),
  };
  return specs;
}

RaftParams RaftParams::from(const ParamValues& values) {
  RaftParams p;
  p.election_timeout_min_ns = values.get_int("election_timeout_min_ms") * kNsPerMs;
  p.election_timeout_max_ns = values.get_int("election_timeout_max_ms") * kNsPerMs;
  p.heartbeat_ns = values.get_int("heartbeat_ms") * kNsPerMs;
  p.max_block_tx = static_cast<std::uint32_t>(values.get_int("max_block_tx"));
  p.max_block_bytes = static_cast<std::uint64_t>(values.get_int("max_block_bytes"));
  p.batch_timeout_ns = values.get_int("batch_timeout_ms") * kNsPerMs;
  p.max_append_blocks = static_cast<std::uint32_t>(values.get_int("max_append_blocks"));
  p.forward_retry_ns = values.get_int("forward_retry_ms") * kNsPerMs;
  return p;
}

Status RaftParams::check() const {
  auto ms = [](TimeNs ns) { return std::to_string(ns / kNsPerMs); };
  if (election_timeout_min_ns <= 0 || heartbeat_ns <= 0 || batch_timeout_ns <= 0 ||
      forward_retry_ns <= 0 || max_block_tx == 0 || max_block_bytes == 0 ||
      max_append_blocks == 0) {
    return Error{"consensus: raft timeouts, intervals and limits must be positive"};
  }
  if (election_timeout_min_ns >= election_timeout_max_ns) {
    return Error{"consensus.election_timeout_min_ms: expected less than election_timeout_max_ms (" +
                 ms(election_timeout_max_ns) + "), got " + ms(election_timeout_min_ns)};
  }
  if (heartbeat_ns >= election_timeout_min_ns) {
    return Error{"consensus.heartbeat_ms: expected less than election_timeout_min_ms (" +
                 ms(election_timeout_min_ns) + "), got " + ms(heartbeat_ns)};
  }
  return Status::Ok();
}

const ProtocolInfo& raft_protocol_info() {
  static const ProtocolInfo info = [] {
    ProtocolInfo i;
    i.name = "raft";
    i.summary = "crash-fault-tolerant leader-based replication of a block log (Raft)";
    i.reference =
        "Ongaro & Ousterhout, In Search of an Understandable Consensus Algorithm, USENIX ATC "
        "2014: election timeouts 150-300 ms (§9.3), heartbeats well below them (§5.2); batching "
        "AppendEntries limits and the forward retry (one maximum election timeout) are hlsim "
        "defaults";
    i.params = raft_param_specs();
    i.message_types = raft_message_type_names();
    i.proposal_types = {static_cast<std::uint16_t>(RaftMessageType::kAppendEntries)};
    i.vote_types = {static_cast<std::uint16_t>(RaftMessageType::kVote),
                    static_cast<std::uint16_t>(RaftMessageType::kAppendReply)};
    i.min_nodes = 1;
    // Raft tolerates crash faults only: a minority may fail. Of the Byzantine behaviours only the
    // crash-like one applies (a silent node); the others are outside Raft's fault model.
    i.max_faulty = [](std::uint32_t nodes) { return (nodes - 1) / 2; };
    i.behaviors = {Behavior::kSilent};
    i.proposal_timeout = [](const ParamValues& values) {
      return RaftParams::from(values).election_timeout_min_ns;
    };
    i.validate = [](const ParamValues& values, std::uint32_t /*nodes*/) {
      return RaftParams::from(values).check();
    };
    i.make = [](const ParamValues& values, NodeId self, std::uint32_t nodes,
                Behavior /*behavior*/) -> std::unique_ptr<Protocol> {
      return std::make_unique<Raft>(RaftParams::from(values), self, nodes);
    };
    return i;
  }();
  return info;
}

}  // namespace hlsim
