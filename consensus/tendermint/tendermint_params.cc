// Tendermint's parameter declarations, cross-checks and registry entry (tendermint_params.h).
#include "consensus/tendermint/tendermint_params.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "consensus/tendermint/tendermint.h"
#include "consensus/tendermint/tendermint_messages.h"

namespace hlsim {

namespace {

// An hour: far beyond any sensible timeout, small enough that nanoseconds never overflow.
constexpr double kMaxMs = 3'600'000;

}  // namespace

const std::vector<ParamSpec>& tendermint_param_specs() {
  static const std::vector<ParamSpec> specs = {
      int_param("timeout_propose_ms", "3000", "ms",
                "how long a validator waits for the round's proposal in round 0", 1, kMaxMs),
      int_param("timeout_propose_delta_ms", "500", "ms",
                "timeout_propose grows by this much per round", 0, kMaxMs),
      int_param("timeout_prevote_ms", "1000", "ms",
                "wait after 2f+1 prevotes of any kind before precommitting nil, in round 0", 1,
                kMaxMs),
      int_param("timeout_prevote_delta_ms", "500", "ms",
                "timeout_prevote grows by this much per round", 0, kMaxMs),
      int_param("timeout_precommit_ms", "1000", "ms",
                "wait after 2f+1 precommits of any kind before the next round, in round 0", 1,
                kMaxMs),
      int_param("timeout_precommit_delta_ms", "500", "ms",
                "timeout_precommit grows by this much per round", 0, kMaxMs),
      int_param("timeout_commit_ms", "1000", "ms",
                "wait after a decision (collecting precommits) before the next height", 0, kMaxMs),
      bool_param("create_empty_blocks", "true",
                 "propose blocks without transactions; false: round 0 waits for a transaction"),
      int_param("max_block_tx", "500", "tx",
                "a proposer puts at most this many transactions in a block", 1, 1'000'000),
      int_param("max_block_bytes", "1048576", "bytes",
                "a proposer puts at most this many bytes of encoded transactions in a block", 1,
                64.0 * 1024 * 1024),
      int_param("mempool_gossip_ms", "10", "ms",
                "each validator broadcasts the transactions its clients submitted this often", 1,
                kMaxMs),
      int_param("gossip_retry_ms", "2000", "ms",
                "a stalled round re-broadcasts its votes, and a catch-up request moves to "
                "another peer, after this long",
                1, kMaxMs),
      int_param("max_sync_blocks", "20", "blocks",
                "at most this many committed blocks per catch-up request", 1, 4096),
  };
  return specs;
}

TendermintParams TendermintParams::from(const ParamValues& values) {
  TendermintParams p;
  p.timeout_propose_ns = values.get_int("timeout_propose_ms") * kNsPerMs;
  p.timeout_propose_delta_ns = values.get_int("timeout_propose_delta_ms") * kNsPerMs;
  p.timeout_prevote_ns = values.get_int("timeout_prevote_ms") * kNsPerMs;
  p.timeout_prevote_delta_ns = values.get_int("timeout_prevote_delta_ms") * kNsPerMs;
  p.timeout_precommit_ns = values.get_int("timeout_precommit_ms") * kNsPerMs;
  p.timeout_precommit_delta_ns = values.get_int("timeout_precommit_delta_ms") * kNsPerMs;
  p.timeout_commit_ns = values.get_int("timeout_commit_ms") * kNsPerMs;
  p.create_empty_blocks = values.get_bool("create_empty_blocks");
  p.max_block_tx = static_cast<std::uint32_t>(values.get_int("max_block_tx"));
  p.max_block_bytes = static_cast<std::uint64_t>(values.get_int("max_block_bytes"));
  p.mempool_gossip_ns = values.get_int("mempool_gossip_ms") * kNsPerMs;
  p.gossip_retry_ns = values.get_int("gossip_retry_ms") * kNsPerMs;
  p.max_sync_blocks = static_cast<std::uint32_t>(values.get_int("max_sync_blocks"));
  return p;
}

Status TendermintParams::check() const {
  auto ms = [](TimeNs ns) { return std::to_string(ns / kNsPerMs); };
  if (timeout_propose_ns <= 0 || timeout_prevote_ns <= 0 || timeout_precommit_ns <= 0 ||
      timeout_propose_delta_ns < 0 || timeout_prevote_delta_ns < 0 ||
      timeout_precommit_delta_ns < 0 || timeout_commit_ns < 0 || mempool_gossip_ns <= 0 ||
      gossip_retry_ns <= 0 || max_block_tx == 0 || max_block_bytes == 0 || max_sync_blocks == 0) {
    return Error{"consensus: tendermint timeouts, intervals and limits must be positive"};
  }
  // With create_empty_blocks = false the gateway of a transaction arms timeoutPropose at once,
  // while the proposer learns of the transaction only with the next tx-gossip: a propose timeout
  // within one gossip interval would give round 0 up before its proposal can be made.
  if (timeout_propose_ns <= mempool_gossip_ns) {
    return Error{"consensus.timeout_propose_ms: expected more than mempool_gossip_ms (" +
                 ms(mempool_gossip_ns) + "), got " + ms(timeout_propose_ns)};
  }
  // Re-broadcasting a stalled round's votes before its prevote / precommit timeouts could have
  // moved it on only duplicates messages still in flight.
  const TimeNs step_timeout = std::max(timeout_prevote_ns, timeout_precommit_ns);
  if (gossip_retry_ns < step_timeout) {
    return Error{
        "consensus.gossip_retry_ms: expected at least timeout_prevote_ms and "
        "timeout_precommit_ms (" +
        ms(step_timeout) + "), got " + ms(gossip_retry_ns)};
  }
  return Status::Ok();
}

const ProtocolInfo& tendermint_protocol_info() {
  static const ProtocolInfo info = [] {
    ProtocolInfo i;
    i.name = "tendermint";
    i.summary =
        "Byzantine-fault-tolerant rounds of propose / prevote / precommit with locking and a "
        "rotating proposer (Tendermint)";
    i.reference =
        "Buchman, Kwon & Milosevic, The latest gossip on BFT consensus, arXiv:1807.04938, 2018 "
        "(Algorithm 1); timeouts from Tendermint Core / CometBFT config.toml defaults: "
        "timeout_propose 3s (+500ms per round), timeout_prevote 1s (+500ms), timeout_precommit "
        "1s (+500ms), timeout_commit 1s, create_empty_blocks = true; gossip_retry 2s from "
        "peer_query_maj23_sleep_duration; max_sync_blocks 20 from the block-sync reactor's "
        "maxPendingRequestsPerPeer; block limits (500 tx, 1 MiB) and the 10 ms tx-gossip batch "
        "are hlsim defaults (CometBFT's block.max_bytes is 21 MiB)";
    i.params = tendermint_param_specs();
    i.message_types = tendermint_message_type_names();
    i.proposal_types = {static_cast<std::uint16_t>(TendermintMessageType::kProposal)};
    i.vote_types = {static_cast<std::uint16_t>(TendermintMessageType::kPrevote),
                    static_cast<std::uint16_t>(TendermintMessageType::kPrecommit)};
    i.min_nodes = 4;
    i.max_faulty = [](std::uint32_t nodes) { return nodes == 0 ? 0 : (nodes - 1) / 3; };
    i.behaviors = {Behavior::kSilent, Behavior::kEquivocate, Behavior::kWithholdVotes,
                   Behavior::kInvalidSignatures, Behavior::kDelayProposals};
    i.proposal_timeout = [](const ParamValues& values) {
      return TendermintParams::from(values).timeout_propose_ns;
    };
    i.validate = [](const ParamValues& values, std::uint32_t /*nodes*/) {
      return TendermintParams::from(values).check();
    };
    i.make = [](const ParamValues& values, NodeId self, std::uint32_t nodes,
                Behavior behavior) -> std::unique_ptr<Protocol> {
      return std::make_unique<Tendermint>(TendermintParams::from(values), self, nodes,
                                          behavior == Behavior::kEquivocate);
    };
    return i;
  }();
  return info;
}

}  // namespace hlsim
