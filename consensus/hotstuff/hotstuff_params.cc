// Chained HotStuff's parameter declarations, cross-checks and registry entry (hotstuff_params.h).
#include "consensus/hotstuff/hotstuff_params.h"

#include <memory>
#include <string>

#include "consensus/hotstuff/hotstuff.h"
#include "consensus/hotstuff/hotstuff_messages.h"

namespace hlsim {

namespace {

// An hour: far beyond any sensible timeout, small enough that nanoseconds never overflow.
constexpr double kMaxMs = 3'600'000;

std::string ms(TimeNs ns) { return std::to_string(ns / kNsPerMs); }

}  // namespace

const std::vector<ParamSpec>& hotstuff_param_specs() {
  static const std::vector<ParamSpec> specs = {
      int_param("view_timeout_ms", "1000", "ms",
                "base view timeout: a view with pending work and no progress ends after it", 1,
                kMaxMs),
      int_param("view_timeout_max_ms", "16000", "ms",
                "cap of the view timeout, which doubles with each consecutive failed view", 1,
                kMaxMs),
      int_param("max_block_tx", "400", "tx",
                "a leader puts at most this many transactions in a block", 1, 1'000'000),
      int_param("max_block_bytes", "1048576", "bytes",
                "a leader puts at most this many bytes of encoded transactions in a block", 1,
                64.0 * 1024 * 1024),
      int_param("mempool_gossip_ms", "10", "ms",
                "each validator broadcasts the client transactions it accepted this often", 1,
                kMaxMs),
      int_param("mempool_regossip_ms", "1000", "ms",
                "a transaction still pending this long after its last gossip is gossiped again", 1,
                kMaxMs),
      int_param("fetch_max_blocks", "64", "blocks", "at most this many blocks per fetch-reply", 1,
                4096),
      int_param("fetch_retry_ms", "200", "ms",
                "a block fetch unanswered this long is sent to the next peer", 1, kMaxMs),
  };
  return specs;
}

HotStuffParams HotStuffParams::from(const ParamValues& values) {
  HotStuffParams p;
  p.view_timeout_ns = values.get_int("view_timeout_ms") * kNsPerMs;
  p.view_timeout_max_ns = values.get_int("view_timeout_max_ms") * kNsPerMs;
  p.max_block_tx = static_cast<std::uint32_t>(values.get_int("max_block_tx"));
  p.max_block_bytes = static_cast<std::uint64_t>(values.get_int("max_block_bytes"));
  p.mempool_gossip_ns = values.get_int("mempool_gossip_ms") * kNsPerMs;
  p.mempool_regossip_ns = values.get_int("mempool_regossip_ms") * kNsPerMs;
  p.fetch_max_blocks = static_cast<std::uint32_t>(values.get_int("fetch_max_blocks"));
  p.fetch_retry_ns = values.get_int("fetch_retry_ms") * kNsPerMs;
  return p;
}

Status HotStuffParams::check() const {
  if (view_timeout_ns <= 0 || view_timeout_max_ns <= 0 || mempool_gossip_ns <= 0 ||
      mempool_regossip_ns <= 0 || fetch_retry_ns <= 0 || max_block_tx == 0 ||
      max_block_bytes == 0 || fetch_max_blocks == 0) {
    return Error{"consensus: hotstuff timeouts, intervals and limits must be positive"};
  }
  if (view_timeout_ns > view_timeout_max_ns) {
    return Error{"consensus.view_timeout_ms: expected at most view_timeout_max_ms (" +
                 ms(view_timeout_max_ns) + "), got " + ms(view_timeout_ns)};
  }
  if (mempool_gossip_ns >= mempool_regossip_ns) {
    return Error{"consensus.mempool_gossip_ms: expected less than mempool_regossip_ms (" +
                 ms(mempool_regossip_ns) + "), got " + ms(mempool_gossip_ns)};
  }
  if (fetch_retry_ns > view_timeout_max_ns) {
    return Error{"consensus.fetch_retry_ms: expected at most view_timeout_max_ms (" +
                 ms(view_timeout_max_ns) + "), got " + ms(fetch_retry_ns)};
  }
  return Status::Ok();
}

const ProtocolInfo& hotstuff_protocol_info() {
  static const ProtocolInfo info = [] {
    ProtocolInfo i;
    i.name = "hotstuff";
    i.summary =
        "chained HotStuff: pipelined BFT with linear votes to the next leader, three-chain commit "
        "and a round-robin pacemaker";
    i.reference =
        "Yin, Malkhi, Reiter, Gueta & Abraham, HotStuff: BFT Consensus with Linearity and "
        "Responsiveness, PODC 2019 (chained HotStuff §5, pacemaker §4.4; batch size 400 as in the "
        "§8 evaluation); view timeout 1000 ms doubling per failed view as libhotstuff's "
        "round-robin pacemaker (base timeout 1 s) and Diem/LibraBFT's round_initial_timeout_ms = "
        "1000; the 16 s cap, mempool gossip intervals and block-fetch limits are hlsim defaults";
    i.params = hotstuff_param_specs();
    i.message_types = hotstuff_message_type_names();
    i.proposal_types = {static_cast<std::uint16_t>(HotStuffMessageType::kProposal)};
    i.vote_types = {static_cast<std::uint16_t>(HotStuffMessageType::kVote)};
    i.min_nodes = 4;
    i.max_faulty = [](std::uint32_t nodes) { return nodes == 0 ? 0 : (nodes - 1) / 3; };
    i.behaviors = {Behavior::kSilent, Behavior::kEquivocate, Behavior::kWithholdVotes,
                   Behavior::kInvalidSignatures, Behavior::kDelayProposals};
    i.proposal_timeout = [](const ParamValues& values) {
      return HotStuffParams::from(values).view_timeout_ns;
    };
    i.validate = [](const ParamValues& values, std::uint32_t nodes) -> Status {
      if (nodes < 4) {
        return Error{"consensus.nodes: hotstuff needs at least 4 validators (n = 3f + 1), got " +
                     std::to_string(nodes)};
      }
      return HotStuffParams::from(values).check();
    };
    i.make = [](const ParamValues& values, NodeId self, std::uint32_t nodes,
                Behavior behavior) -> std::unique_ptr<Protocol> {
      return std::make_unique<HotStuff>(HotStuffParams::from(values), self, nodes,
                                        behavior == Behavior::kEquivocate);
    };
    return i;
  }();
  return info;
}

}  // namespace hlsim
