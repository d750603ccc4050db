// Commit certificates and catch-up bookkeeping (tendermint_sync.h).
#include "consensus/tendermint/tendermint_sync.h"

#include <algorithm>
#include <set>
#include <utility>

#include "consensus/tendermint/tendermint_messages.h"
#include "consensus/tendermint/tendermint_votes.h"

namespace hlsim {

std::optional<CommitCertificate> verify_commit(NodeCrypto& crypto, const Block& block,
                                               std::span<const SignedVote> precommits,
                                               std::uint32_t nodes) {
  if (precommits.empty()) return std::nullopt;
  // All of one round: the round of the first precommit for the block.
  std::optional<Round> round;
  std::vector<SignedVote> candidates;
  std::set<NodeId> voters;
  for (const SignedVote& v : precommits) {
    const bool matches = v.kind == static_cast<std::uint8_t>(VoteKind::kPrecommit) &&
                         v.height == block.header.height && v.block_hash == block.hash &&
                         v.voter < nodes && (!round || v.epoch == *round);
    if (!matches || !voters.insert(v.voter).second) continue;
    round = v.epoch;
    candidates.push_back(v);
  }
  if (candidates.size() < quorum(nodes)) return std::nullopt;  // cannot reach a quorum: no work
  const std::vector<std::uint8_t> valid = crypto.verify_votes(candidates);
  CommitCertificate cert{*round, {}};
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (valid[i] != 0) cert.precommits.push_back(candidates[i]);
  }
  if (cert.precommits.size() < quorum(nodes)) return std::nullopt;
  std::sort(cert.precommits.begin(), cert.precommits.end(),
            [](const SignedVote& a, const SignedVote& b) { return a.voter < b.voter; });
  return cert;
}

void BlockSync::store(Height height, CommitCertificate certificate) {
  certificates_[height] = std::move(certificate);
}

const CommitCertificate* BlockSync::certificate(Height height) const {
  auto it = certificates_.find(height);
  return it == certificates_.end() ? nullptr : &it->second;
}

bool BlockSync::wants_precommit(Height height, const Hash256& block_hash,
                                const SignedVote& vote) const {
  const CommitCertificate* c = certificate(height);
  if (c == nullptr || vote.epoch != c->round || vote.block_hash != block_hash) return false;
  return std::none_of(c->precommits.begin(), c->precommits.end(),
                      [&](const SignedVote& v) { return v.voter == vote.voter; });
}

void BlockSync::add_precommit(Height height, const Hash256& block_hash, const SignedVote& vote) {
  if (!wants_precommit(height, block_hash, vote)) return;
  std::vector<SignedVote>& votes = certificates_[height].precommits;
  auto at = std::lower_bound(votes.begin(), votes.end(), vote.voter,
                             [](const SignedVote& v, NodeId voter) { return v.voter < voter; });
  votes.insert(at, vote);
}

void BlockSync::buffer(Height height, Height next, Message msg) {
  if (height <= next || height > next + kBufferWindow) return;
  buffered_.emplace(height, std::move(msg));
}

std::optional<Message> BlockSync::take(Height height) {
  auto it = buffered_.find(height);
  if (it == buffered_.end()) return std::nullopt;
  Message msg = std::move(it->second);
  buffered_.erase(it);
  return msg;
}

void BlockSync::drop_below(Height next) {
  buffered_.erase(buffered_.begin(), buffered_.lower_bound(next));
}

NodeId BlockSync::next_peer(NodeId peer, NodeId self, std::uint32_t nodes) {
  NodeId p = (peer + 1) % nodes;
  if (p == self) p = (p + 1) % nodes;
  return p;
}

bool BlockSync::may_push(NodeId peer, Height height, TimeNs now, TimeNs retry) {
  auto it = pushed_.find(peer);
  if (it != pushed_.end() && it->second.height == height && now < it->second.at + retry) {
    return false;
  }
  pushed_[peer] = Pushed{height, now};
  return true;
}

void BlockSync::reset_volatile() {
  buffered_.clear();
  max_seen_ = 0;
  fetch_.reset();
  pushed_.clear();
}

}  // namespace hlsim
