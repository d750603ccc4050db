// How a validator behaves: honestly, or as one of the Byzantine behaviours a scenario can assign
// to up to f validators (the `byzantine:` section).
//
// Most behaviours are generic and applied outside the protocol by ByzantineProtocol
// (consensus/byzantine/byzantine_protocol.h), from the message roles a protocol declares in its
// ProtocolInfo. Equivocation needs the protocol's cooperation: a protocol that supports it is
// built with Behavior::kEquivocate and implements it itself (see ProtocolInfo::behaviors).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace hlsim {

enum class Behavior : std::uint8_t {
  kHonest,
  // Crash-like but still connected: receives and processes everything, sends nothing.
  kSilent,
  // As leader / proposer, sends one block to half of the validators and a different block at the
  // same height to the other half; as voter, votes for every proposal it sees (protocol-specific).
  kEquivocate,
  // Sends no votes (the protocol's vote message types); everything else as an honest node.
  kWithholdVotes,
  // Every signature it makes (votes, blocks, certificates it signs) is corrupted in one byte.
  kInvalidSignatures,
  // Holds each proposal back for just under the time its peers wait for one before giving up.
  kDelayProposals,
};

struct BehaviorDoc {
  Behavior behavior;
  const char* name;  // scenario spelling
  const char* help;
};
const std::vector<BehaviorDoc>& behavior_docs();

const char* to_string(Behavior behavior);
// The scenario spelling ("silent", "equivocate", "withhold_votes", "invalid_signatures",
// "delay_proposals", "honest"); nullopt when unknown.
std::optional<Behavior> parse_behavior(std::string_view name);

}  // namespace hlsim
