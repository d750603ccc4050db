// Quorum certificates and vote collection; the contract is in hotstuff_quorum.h.
#include "consensus/hotstuff/hotstuff_quorum.h"

#include <algorithm>
#include <vector>

namespace hlsim::hotstuff {

bool qc_well_formed(const QuorumCert& qc, std::uint32_t nodes, std::uint32_t quorum) {
  if (qc.is_genesis()) return qc.votes.empty();
  if (qc.view == 0 || qc.height == 0 || qc.votes.size() < quorum || qc.votes.size() > nodes) {
    return false;
  }
  // One flag per validator: a QC carries up to `nodes` votes, so this is linear where a set of
  // voters would allocate a node per vote (the check runs for every QC every validator receives).
  std::vector<bool> voted(nodes, false);
  for (const SignedVote& v : qc.votes) {
    if (v.kind != kVoteKind || v.epoch != qc.view || v.height != qc.height ||
        v.block_hash != qc.block_hash || v.voter >= nodes || voted[v.voter]) {
      return false;
    }
    voted[v.voter] = true;
  }
  return true;
}

bool verify_all(NodeCrypto& crypto, std::span<const SignedVote> votes) {
  if (votes.empty()) return true;
  const std::vector<std::uint8_t> valid = crypto.verify_votes(votes);
  return valid.size() == votes.size() &&
         std::all_of(valid.begin(), valid.end(), [](std::uint8_t ok) { return ok == 1; });
}

bool VoteCollector::add(const SignedVote& vote, bool verified) {
  Tally& t = tallies_[Key{vote.epoch, vote.height, vote.block_hash}];
  if (t.certified || t.valid.contains(vote.voter) || t.unverified.contains(vote.voter)) {
    return false;
  }
  (verified ? t.valid : t.unverified).emplace(vote.voter, vote);
  return true;
}

std::optional<QuorumCert> VoteCollector::try_certify(const SignedVote& vote, NodeCrypto& crypto,
                                                     std::uint32_t quorum) {
  auto it = tallies_.find(Key{vote.epoch, vote.height, vote.block_hash});
  if (it == tallies_.end()) return std::nullopt;
  Tally& t = it->second;
  if (t.certified || t.valid.size() + t.unverified.size() < quorum) return std::nullopt;
  if (!t.unverified.empty()) {
    std::vector<SignedVote> batch;
    batch.reserve(t.unverified.size());
    for (const auto& [voter, v] : t.unverified) batch.push_back(v);
    const std::vector<std::uint8_t> ok = crypto.verify_votes(batch);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      // A forged vote is dropped; its voter may still send a genuine one.
      if (i < ok.size() && ok[i] == 1) t.valid.emplace(batch[i].voter, batch[i]);
    }
    t.unverified.clear();
  }
  if (t.valid.size() < quorum) return std::nullopt;
  QuorumCert qc;
  qc.view = vote.epoch;
  qc.height = vote.height;
  qc.block_hash = vote.block_hash;
  for (const auto& [voter, v] : t.valid) {
    if (qc.votes.size() == quorum) break;
    qc.votes.push_back(v);
  }
  t.certified = true;
  return qc;
}

void VoteCollector::prune_below(std::uint64_t view) {
  tallies_.erase(tallies_.begin(), tallies_.lower_bound(Key{view, 0, Hash256{}}));
}

}  // namespace hlsim::hotstuff
