// Proof of authority's parameter declarations, cross-checks and registry entry (poa_params.h).
#include "consensus/poa/poa_params.h"

#include <memory>
#include <string>

#include "consensus/poa/poa.h"
#include "consensus/poa/poa_messages.h"

namespace hlsim {

namespace {

// An hour: far beyond any sensible step, small enough that nanoseconds never overflow.
constexpr double kMaxMs = 3'600'000;

}  // namespace

const char* to_string(PoaFinality finality) {
  switch (finality) {
    case PoaFinality::kConfirmations:
      return "confirmations";
    case PoaFinality::kMajority:
      return "majority";
  }
  return "?";
}

const std::vector<ParamSpec>& poa_param_specs() {
  static const std::vector<ParamSpec> specs = {
      int_param("step_duration_ms", "5000", "ms",
                "length of a step; step s = floor(now / step) is sealed by authority s mod n", 1,
                kMaxMs),
      int_param("max_block_tx", "500", "tx", "an authority seals at most this many transactions", 1,
                1'000'000),
      int_param("max_block_bytes", "1048576", "bytes",
                "an authority seals at most this many bytes of encoded transactions", 1,
                64.0 * 1024 * 1024),
      bool_param("seal_empty", "true",
                 "an authority with nothing pending still seals its step (false: it skips it)"),
      string_param("finality", "majority",
                   "when a block is final: `confirmations` blocks on top of it, or a majority of "
                   "distinct sealers on and above it",
                   {"confirmations", "majority"}),
      int_param("confirmations", "12", "blocks",
                "with finality = confirmations: blocks on top of a block before it is final", 1,
                1'000'000),
      int_param("mempool_gossip_ms", "100", "ms",
                "a node broadcasts the transactions its clients submitted this often, batched", 1,
                kMaxMs),
      int_param("max_fetch_blocks", "64", "blocks", "at most this many blocks per fetch-reply", 1,
                4096),
  };
  return specs;
}

PoaParams PoaParams::from(const ParamValues& values) {
  PoaParams p;
  p.step_duration_ns = values.get_int("step_duration_ms") * kNsPerMs;
  p.max_block_tx = static_cast<std::uint32_t>(values.get_int("max_block_tx"));
  p.max_block_bytes = static_cast<std::uint64_t>(values.get_int("max_block_bytes"));
  p.seal_empty = values.get_bool("seal_empty");
  p.finality = values.get_string("finality") == "confirmations" ? PoaFinality::kConfirmations
                                                                : PoaFinality::kMajority;
  p.confirmations = static_cast<std::uint32_t>(values.get_int("confirmations"));
  p.mempool_gossip_ns = values.get_int("mempool_gossip_ms") * kNsPerMs;
  p.max_fetch_blocks = static_cast<std::uint32_t>(values.get_int("max_fetch_blocks"));
  return p;
}

Status PoaParams::check() const {
  auto ms = [](TimeNs ns) { return std::to_string(ns / kNsPerMs); };
  if (step_duration_ns <= 0 || mempool_gossip_ns <= 0 || max_block_tx == 0 ||
      max_block_bytes == 0 || confirmations == 0 || max_fetch_blocks == 0) {
    return Error{"consensus: poa durations, limits and counts must be positive"};
  }
  // A transaction must reach the authorities within a step of its submission, or sealing waits
  // on gossip rather than on steps.
  if (mempool_gossip_ns >= step_duration_ns) {
    return Error{"consensus.mempool_gossip_ms: expected less than step_duration_ms (" +
                 ms(step_duration_ns) + "), got " + ms(mempool_gossip_ns)};
  }
  return Status::Ok();
}

const ProtocolInfo& poa_protocol_info() {
  static const ProtocolInfo info = [] {
    ProtocolInfo i;
    i.name = "poa";
    i.summary =
        "Aura-style proof of authority: round-robin sealing steps, heaviest-chain fork choice, "
        "finality by confirmations or by a majority of distinct sealers";
    i.reference =
        "OpenEthereum / Parity Authority Round (Aura) engine, openethereum.github.io/Aura and "
        "ethcore/engines/authority_round: step = floor(time / stepDuration) sealed by authority "
        "step mod n, stepDuration 5 s as in OpenEthereum's Aura demo chain spec, empty blocks "
        "sealed (force-sealing) so finality keeps advancing, RollingFinality (a block is final "
        "when it and its descendants are signed by more than n/2 authorities; 2f + 1 <= n); De "
        "Angelis et al., PBFT vs Proof-of-Authority: applying the CAP theorem to permissioned "
        "blockchain, ITASEC 2018 (Aura favours availability over "
        "consistency under partitions); 12 confirmations as common for Ethereum-like chains; "
        "block limits, the gossip interval and the fetch page are hlsim defaults";
    i.params = poa_param_specs();
    i.message_types = poa_message_type_names();
    i.proposal_types = {static_cast<std::uint16_t>(PoaMessageType::kBlock)};
    i.vote_types = {};  // Aura has no votes: a block is its sealer's only message
    i.min_nodes = 1;
    // Aura's majority assumption (2f + 1 <= n): the faulty authorities cannot finalise a block
    // on their own. kWithholdVotes does not apply (no votes).
    i.max_faulty = [](std::uint32_t nodes) { return nodes == 0 ? 0 : (nodes - 1) / 2; };
    i.behaviors = {Behavior::kSilent, Behavior::kEquivocate, Behavior::kInvalidSignatures,
                   Behavior::kDelayProposals};
    // Receivers do not wait for a block; the step is the time an authority has to deliver its
    // block before the next authority seals on top of what it has (a delayed block arrives 90%
    // into its step).
    i.proposal_timeout = [](const ParamValues& values) {
      return PoaParams::from(values).step_duration_ns;
    };
    i.validate = [](const ParamValues& values, std::uint32_t /*nodes*/) {
      return PoaParams::from(values).check();
    };
    i.make = [](const ParamValues& values, NodeId self, std::uint32_t nodes,
                Behavior behavior) -> std::unique_ptr<Protocol> {
      return std::make_unique<Poa>(PoaParams::from(values), self, nodes, behavior);
    };
    return i;
  }();
  return info;
}

}  // namespace hlsim
