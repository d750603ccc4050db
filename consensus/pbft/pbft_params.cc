// PBFT's parameter declarations, cross-checks and registry entry (pbft_params.h).
#include "consensus/pbft/pbft_params.h"

#include <memory>
#include <string>

#include "consensus/pbft/pbft.h"
#include "consensus/pbft/pbft_messages.h"

namespace hlsim {

namespace {

// An hour: far beyond any sensible timeout, small enough that nanoseconds never overflow (also
// after the view-change back-off's 2^10).
constexpr double kMaxMs = 3'600'000;

}  // namespace

const std::vector<ParamSpec>& pbft_param_specs() {
  static const std::vector<ParamSpec> specs = {
      int_param("view_change_timeout_ms", "2000", "ms",
                "a backup suspects the primary when a request waits this long (doubled per "
                "failed view change)",
                1, kMaxMs),
      int_param("checkpoint_interval_blocks", "128", "blocks",
                "a signed checkpoint every this many blocks (K)", 1, 1'000'000),
      int_param("log_window_blocks", "256", "blocks",
                "high watermark minus low watermark (L); at least checkpoint_interval_blocks", 1,
                2'000'000),
      int_param("max_inflight_blocks", "4", "blocks",
                "the primary keeps at most this many proposed, unexecuted blocks", 1, 4096),
      int_param("max_block_tx", "500", "tx", "the primary seals a block at this many transactions",
                1, 1'000'000),
      int_param("max_block_bytes", "1048576", "bytes",
                "the primary seals a block at this many bytes of encoded transactions", 1,
                64.0 * 1024 * 1024),
      int_param("batch_timeout_ms", "20", "ms",
                "the primary seals a partial block this long after its first transaction", 1,
                kMaxMs),
      int_param("max_fetch_blocks", "64", "blocks",
                "state transfer: blocks per fetch-reply (extended to the next proven block)", 1,
                100'000),
      int_param("fetch_retry_ms", "200", "ms",
                "state transfer: a replica still behind asks again after this long", 1, kMaxMs),
  };
  return specs;
}

PbftParams PbftParams::from(const ParamValues& values) {
  PbftParams p;
  p.view_change_timeout_ns = values.get_int("view_change_timeout_ms") * kNsPerMs;
  p.checkpoint_interval = static_cast<std::uint32_t>(values.get_int("checkpoint_interval_blocks"));
  p.log_window = static_cast<std::uint32_t>(values.get_int("log_window_blocks"));
  p.max_inflight_blocks = static_cast<std::uint32_t>(values.get_int("max_inflight_blocks"));
  p.max_block_tx = static_cast<std::uint32_t>(values.get_int("max_block_tx"));
  p.max_block_bytes = static_cast<std::uint64_t>(values.get_int("max_block_bytes"));
  p.batch_timeout_ns = values.get_int("batch_timeout_ms") * kNsPerMs;
  p.max_fetch_blocks = static_cast<std::uint32_t>(values.get_int("max_fetch_blocks"));
  p.fetch_retry_ns = values.get_int("fetch_retry_ms") * kNsPerMs;
  return p;
}

Status PbftParams::check() const {
  if (view_change_timeout_ns <= 0 || batch_timeout_ns <= 0 || fetch_retry_ns <= 0 ||
      checkpoint_interval == 0 || log_window == 0 || max_inflight_blocks == 0 ||
      max_block_tx == 0 || max_block_bytes == 0 || max_fetch_blocks == 0) {
    return Error{"consensus: pbft timeouts, intervals and limits must be positive"};
  }
  if (log_window < checkpoint_interval) {
    // The primary could never reach the next checkpoint, so the window would never move.
    return Error{"consensus.log_window_blocks: expected at least checkpoint_interval_blocks (" +
                 std::to_string(checkpoint_interval) + "), got " + std::to_string(log_window)};
  }
  if (max_inflight_blocks > log_window) {
    return Error{"consensus.max_inflight_blocks: expected at most log_window_blocks (" +
                 std::to_string(log_window) + "), got " + std::to_string(max_inflight_blocks)};
  }
  if (batch_timeout_ns >= view_change_timeout_ns) {
    return Error{"consensus.batch_timeout_ms: expected less than view_change_timeout_ms (" +
                 std::to_string(view_change_timeout_ns / kNsPerMs) + "), got " +
                 std::to_string(batch_timeout_ns / kNsPerMs)};
  }
  return Status::Ok();
}

const ProtocolInfo& pbft_protocol_info() {
  static const ProtocolInfo info = [] {
    ProtocolInfo i;
    i.name = "pbft";
    i.summary =
        "Byzantine-fault-tolerant three-phase replication of a block chain with view changes "
        "(PBFT)";
    i.reference =
        "Castro & Liskov, Practical Byzantine Fault Tolerance, OSDI 1999, and Practical Byzantine "
        "Fault Tolerance and Proactive Recovery, ACM TOCS 20(4) 2002: checkpoint interval K = 128 "
        "and log window L = 2K = 256 as in the BFT library's experiments (OSDI §4.3: a window "
        "twice the checkpoint period), view-change back-off doubling per attempt "
        "(OSDI §4.5.2); view-change timeout 2000 ms as BFT-SMaRt's default request timeout "
        "(system.totalordermulticast.timeout); batching limits, pipelining depth and state "
        "transfer retry are hlsim defaults (batching as hlsim's Raft)";
    i.params = pbft_param_specs();
    i.message_types = pbft::pbft_message_type_names();
    i.proposal_types = {static_cast<std::uint16_t>(pbft::PbftMessageType::kPrePrepare),
                        static_cast<std::uint16_t>(pbft::PbftMessageType::kNewView)};
    i.vote_types = {static_cast<std::uint16_t>(pbft::PbftMessageType::kPrepare),
                    static_cast<std::uint16_t>(pbft::PbftMessageType::kCommit)};
    i.min_nodes = 4;
    i.max_faulty = [](std::uint32_t nodes) { return nodes == 0 ? 0 : (nodes - 1) / 3; };
    i.behaviors = {Behavior::kSilent, Behavior::kEquivocate, Behavior::kWithholdVotes,
                   Behavior::kInvalidSignatures, Behavior::kDelayProposals};
    i.proposal_timeout = [](const ParamValues& values) {
      return PbftParams::from(values).view_change_timeout_ns;
    };
    i.validate = [](const ParamValues& values, std::uint32_t nodes) -> Status {
      if (nodes < 4) {
        return Error{"consensus: pbft needs at least 4 validators (n = 3f + 1), got " +
                     std::to_string(nodes)};
      }
      return PbftParams::from(values).check();
    };
    i.make = [](const ParamValues& values, NodeId self, std::uint32_t nodes,
                Behavior behavior) -> std::unique_ptr<Protocol> {
      return std::make_unique<Pbft>(PbftParams::from(values), self, nodes,
                                    behavior == Behavior::kEquivocate);
    };
    return i;
  }();
  return info;
}

}  // namespace hlsim
