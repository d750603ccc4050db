// Vote counting for Tendermint: the thresholds and the set of prevotes or precommits of one round.
//
// With equal voting power, "2f + 1 messages" of Algorithm 1 means more than two thirds of the n
// validators (2n/3 + 1, which is 2f + 1 for n = 3f + 1 and keeps any two quorums intersecting in
// an honest validator for every n), and "f + 1" means more than one third (n/3 + 1).
//
// VoteTally follows the paper's message-log semantics: it counts, for each value (block hash, or
// zero for nil), the distinct validators that sent a vote for it. A Byzantine validator that
// votes for two values counts for both (as in the paper, where both messages are in the log);
// safety does not depend on it, since two quorums share an honest validator and an honest one
// votes once per round and step. To bound what a Byzantine voter can make a node store, at most
// kMaxValuesPerVoter values are kept per voter; further ones are dropped. Votes are verified
// before they are added (the tally does not check signatures).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "ledger/bytes.h"
#include "ledger/vote.h"
#include "sim/kernel/ids.h"

namespace hlsim {

// Orders hashes by their bytes, for ordered containers (deterministic iteration without going
// through Hash256's defaulted operator<=>).
struct HashOrder {
  bool operator()(const Hash256& a, const Hash256& b) const { return a.bytes < b.bytes; }
};

// 2f + 1: more than two thirds of `nodes`.
constexpr std::uint32_t quorum(std::uint32_t nodes) { return 2 * nodes / 3 + 1; }
// f + 1: more than one third of `nodes` (at least one honest validator among them).
constexpr std::uint32_t one_third_plus(std::uint32_t nodes) { return nodes / 3 + 1; }

class VoteTally {
 public:
  static constexpr std::size_t kMaxValuesPerVoter = 2;

  // Records a verified vote. False when it adds nothing: the voter already voted for this value,
  // or already has kMaxValuesPerVoter values.
  bool add(const SignedVote& vote);
  // True when adding a vote of `voter` for `value` would add nothing (so it need not be verified).
  bool redundant(NodeId voter, const Hash256& value) const;

  // Distinct voters for `value` (zero hash: nil).
  std::uint32_t count(const Hash256& value) const;
  // Distinct voters for anything ("2f + 1 ⟨PREVOTE, h, r, ∗⟩").
  std::uint32_t voters() const { return static_cast<std::uint32_t>(by_voter_.size()); }
  // Non-nil values with at least `threshold` voters, in hash order.
  std::vector<Hash256> values_with(std::uint32_t threshold) const;
  // The votes for `value`, in voter order (a commit certificate when value has a quorum).
  std::vector<SignedVote> votes_for(const Hash256& value) const;
  // Every vote `voter` sent that this tally holds.
  std::vector<SignedVote> votes_of(NodeId voter) const;

 private:
  std::map<NodeId, std::vector<SignedVote>> by_voter_;
  std::map<Hash256, std::uint32_t, HashOrder> counts_;
};

}  // namespace hlsim
