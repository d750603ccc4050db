// VoteTally (tendermint_votes.h).
#include "consensus/tendermint/tendermint_votes.h"

#include <algorithm>

namespace hlsim {

bool VoteTally::redundant(NodeId voter, const Hash256& value) const {
  auto it = by_voter_.find(voter);
  if (it == by_voter_.end()) return false;
  if (it->second.size() >= kMaxValuesPerVoter) return true;
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](const SignedVote& v) { return v.block_hash == value; });
}

bool VoteTally::add(const SignedVote& vote) {
  if (redundant(vote.voter, vote.block_hash)) return false;
  by_voter_[vote.voter].push_back(vote);
  ++counts_[vote.block_hash];
  return true;
}

std::uint32_t VoteTally::count(const Hash256& value) const {
  auto it = counts_.find(value);
  return it == counts_.end() ? 0 : it->second;
}

std::vector<Hash256> VoteTally::values_with(std::uint32_t threshold) const {
  std::vector<Hash256> out;
  for (const auto& [value, n] : counts_) {
    if (!value.is_zero() && n >= threshold) out.push_back(value);
  }
  return out;
}

std::vector<SignedVote> VoteTally::votes_for(const Hash256& value) const {
  std::vector<SignedVote> out;
  for (const auto& [voter, votes] : by_voter_) {
    for (const SignedVote& v : votes) {
      if (v.block_hash == value) out.push_back(v);
    }
  }
  return out;
}

std::vector<SignedVote> VoteTally::votes_of(NodeId voter) const {
  auto it = by_voter_.find(voter);
  return it == by_voter_.end() ? std::vector<SignedVote>{} : it->second;
}

}  // namespace hlsim
