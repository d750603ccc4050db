// Behaviour names and documentation (behavior.h).
#include "consensus/behavior.h"

namespace hlsim {

const std::vector<BehaviorDoc>& behavior_docs() {
  static const std::vector<BehaviorDoc> docs = {
      {Behavior::kHonest, "honest", "follows the protocol"},
      {Behavior::kSilent, "silent",
       "receives and processes everything but sends nothing (crash-like, still connected)"},
      {Behavior::kEquivocate, "equivocate",
       "as leader, proposes different blocks at one height to the two halves of the validators; "
       "as voter, votes for every proposal it sees"},
      {Behavior::kWithholdVotes, "withhold_votes", "sends none of the protocol's votes"},
      {Behavior::kInvalidSignatures, "invalid_signatures",
       "corrupts one byte of every signature it makes (votes, blocks)"},
      {Behavior::kDelayProposals, "delay_proposals",
       "holds each proposal back for 90% of the time its peers wait for one (just under the "
       "timeout)"},
  };
  return docs;
}

const char* to_string(Behavior behavior) {
  for (const BehaviorDoc& d : behavior_docs()) {
    if (d.behavior == behavior) return d.name;
  }
  return "?";
}

std::optional<Behavior> parse_behavior(std::string_view name) {
  for (const BehaviorDoc& d : behavior_docs()) {
    if (name == d.name) return d.behavior;
  }
  return std::nullopt;
}

}  // namespace hlsim
