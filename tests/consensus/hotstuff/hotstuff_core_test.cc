// HotStuff's safety rules (hotstuff_core.h) on hand-built block trees, without any network:
// safeNode and one vote per view, locking on the two-chain, the three-chain commit with consecutive
// views, and the block tree's ancestry checks.
#include "consensus/hotstuff/hotstuff_core.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "ledger/crypto/signature.h"

namespace hlsim::hotstuff {
namespace {

const SigningKey& key() {
  static const SigningKey k = SigningKey::derive(1, "node-0");
  return k;
}

TxRef tx(std::uint64_t nonce) {
  static const SigningKey client = SigningKey::derive(1, "client-0");
  Transaction t;
  t.nonce = nonce;
  t.payload = {1, 2, 3};
  sign_tx(t, client);
  return std::make_shared<const Transaction>(std::move(t));
}

// A block of `view` on `parent` (nullptr: genesis).
BlockRef child(const BlockRef& parent, std::uint64_t view, std::vector<TxRef> txs = {}) {
  const Height h = parent ? parent->header.height + 1 : 1;
  return seal_block(h, parent ? parent->hash : Hash256{}, 0, view, 0, std::move(txs), key());
}

// A QC for `b` (the votes are not checked by the core).
QuorumCert qc_for(const BlockRef& b) {
  QuorumCert qc;
  qc.view = b->header.epoch;
  qc.height = b->header.height;
  qc.block_hash = b->hash;
  return qc;
}

TEST(HotStuffCore, VotingRuleSafeNodeAndOneVotePerView) {
  Core core;
  Chain ledger;
  const BlockRef b1 = child(nullptr, 1);
  const BlockRef b2 = child(b1, 2);
  const BlockRef b3 = child(b2, 3);
  for (const BlockRef& b : {b1, b2, b3}) ASSERT_TRUE(core.add_block(b, ledger));
  // Genesis lock: the genesis QC extends it.
  EXPECT_TRUE(core.safe_to_vote(1, QuorumCert{}));
  core.record_vote(1);
  EXPECT_FALSE(core.safe_to_vote(1, QuorumCert{}));  // one vote per view
  // QC(b3) locks b2 (two-chain b2 <- b3).
  core.apply_qc(qc_for(b3), ledger);
  EXPECT_EQ(core.lock().hash, b2->hash);
  EXPECT_EQ(core.lock().view, 2u);
  // A proposal whose justify certifies the lock itself: extends it.
  EXPECT_TRUE(core.safe_to_vote(5, qc_for(b2)));
  // Justify older than the lock (a fork from b1): refused.
  EXPECT_FALSE(core.safe_to_vote(5, qc_for(b1)));
  EXPECT_FALSE(core.safe_to_vote(5, QuorumCert{}));
  // Same view as the lock but another block (only possible with > f equivocators): refused.
  const BlockRef other2 = child(b1, 2, {tx(9)});
  EXPECT_FALSE(core.safe_to_vote(5, qc_for(other2)));
  // Justify newer than the lock, on any branch: the liveness rule accepts it.
  const BlockRef fork = child(nullptr, 4);
  EXPECT_TRUE(core.safe_to_vote(5, qc_for(fork)));
  // ... but never at or below the last voted view.
  core.record_vote(5);
  EXPECT_FALSE(core.safe_to_vote(5, qc_for(fork)));
  EXPECT_FALSE(core.safe_to_vote(4, qc_for(fork)));
  EXPECT_TRUE(core.safe_to_vote(6, qc_for(fork)));
}

TEST(HotStuffCore, ThreeChainWithConsecutiveViewsCommitsWithAncestorsInHeightOrder) {
  Core core;
  Chain ledger;
  // b1(1) <- b2(3) <- b3(4) <- b4(5): the first link skips view 2.
  const BlockRef b1 = child(nullptr, 1, {tx(1)});
  const BlockRef b2 = child(b1, 3, {tx(2)});
  const BlockRef b3 = child(b2, 4);
  const BlockRef b4 = child(b3, 5);
  for (const BlockRef& b : {b1, b2, b3, b4}) ASSERT_TRUE(core.add_block(b, ledger));
  // QC(b3): b1 <- b2 <- b3 has views 1, 3, 4: not consecutive, nothing commits.
  Core::Outcome o = core.apply_qc(qc_for(b3), ledger);
  EXPECT_TRUE(o.new_high_qc);
  EXPECT_TRUE(o.lock_moved);
  EXPECT_TRUE(o.commit.empty());
  EXPECT_EQ(core.lock().hash, b2->hash);
  // QC(b4): b2 <- b3 <- b4 has views 3, 4, 5: b2 commits, after its ancestor b1.
  o = core.apply_qc(qc_for(b4), ledger);
  ASSERT_EQ(o.commit.size(), 2u);
  EXPECT_EQ(o.commit[0]->hash, b1->hash);
  EXPECT_EQ(o.commit[1]->hash, b2->hash);
  EXPECT_EQ(core.lock().hash, b3->hash);
  EXPECT_EQ(core.high_qc().block_hash, b4->hash);
  for (const BlockRef& b : o.commit) ASSERT_TRUE(ledger.append(b).ok());
  core.prune(ledger);
  EXPECT_EQ(core.tree_size(), 2u);
  // An older QC changes nothing: not the highQC, not the lock, no commit.
  o = core.apply_qc(qc_for(b3), ledger);
  EXPECT_FALSE(o.new_high_qc);
  EXPECT_FALSE(o.lock_moved);
  EXPECT_TRUE(o.commit.empty());
  EXPECT_EQ(core.high_qc().block_hash, b4->hash);
}

TEST(HotStuffCore, AncestryFindsMissingAndConflictingBlocksAndCollectsUncommittedTxs) {
  Core core;
  Chain ledger;
  const BlockRef b1 = child(nullptr, 1, {tx(1)});
  const BlockRef b2 = child(b1, 2, {tx(2)});
  const BlockRef b3 = child(b2, 3, {tx(3)});
  ASSERT_TRUE(ledger.append(b1).ok());
  // b3 is known, b2 is not: b3's ancestry misses b2.
  ASSERT_TRUE(core.add_block(b3, ledger));
  Core::Ancestry a = core.ancestry(b3->hash, 3, ledger);
  EXPECT_EQ(a.link, Core::Link::kMissing);
  EXPECT_EQ(a.missing_hash, b2->hash);
  EXPECT_EQ(a.missing_height, 2u);
  ASSERT_TRUE(core.add_block(b2, ledger));
  EXPECT_EQ(core.ancestry(b3->hash, 3, ledger).link, Core::Link::kConnected);
  EXPECT_EQ(core.ancestry(b1->hash, 1, ledger).link, Core::Link::kConnected);
  const auto ids = core.uncommitted_txs(b3->hash, 3, ledger);
  EXPECT_EQ(ids.size(), 2u);  // b2's and b3's, not b1's (committed)
  EXPECT_TRUE(ids.contains(b2->txs[0]->id));
  EXPECT_TRUE(ids.contains(b3->txs[0]->id));
  // A fork from genesis at height 2: its ancestry leaves the committed chain.
  const BlockRef f1 = child(nullptr, 4);
  const BlockRef f2 = child(f1, 5);
  EXPECT_FALSE(core.add_block(f1, ledger));  // at the committed height
  ASSERT_TRUE(core.add_block(f2, ledger));
  EXPECT_EQ(core.ancestry(f2->hash, 2, ledger).link, Core::Link::kConflicting);
  EXPECT_EQ(core.ancestry(f1->hash, 1, ledger).link, Core::Link::kConflicting);
  // A block whose view does not exceed its known parent's is refused.
  const BlockRef bad = child(b2, 2);
  EXPECT_FALSE(core.add_block(bad, ledger));
  EXPECT_FALSE(core.add_block(b2, ledger));  // already known
  // Lookups reach the ledger, the tree and genesis.
  EXPECT_EQ(core.lookup(b1->hash, 1, ledger), b1);
  EXPECT_EQ(core.lookup(b2->hash, 2, ledger), b2);
  EXPECT_EQ(core.lookup(b2->hash, 1, ledger), nullptr);
  ASSERT_TRUE(core.meta(Hash256{}, 0, ledger).has_value());
  EXPECT_EQ(core.meta(Hash256{}, 0, ledger)->view, 0u);
}

TEST(HotStuffCore, RestartKeepsLockAndLastVoteAndForgetsTreeAndHighQc) {
  Core core;
  Chain ledger;
  const BlockRef b1 = child(nullptr, 1);
  const BlockRef b2 = child(b1, 2);
  ASSERT_TRUE(core.add_block(b1, ledger));
  ASSERT_TRUE(core.add_block(b2, ledger));
  core.apply_qc(qc_for(b2), ledger);
  core.record_vote(2);
  core.restart();
  EXPECT_EQ(core.lock().hash, b1->hash);
  EXPECT_EQ(core.last_voted_view(), 2u);
  EXPECT_TRUE(core.high_qc().is_genesis());
  EXPECT_EQ(core.tree_size(), 0u);
  // The kept lock still decides votes.
  EXPECT_FALSE(core.safe_to_vote(3, QuorumCert{}));
  EXPECT_TRUE(core.safe_to_vote(3, qc_for(b1)));
  EXPECT_FALSE(core.safe_to_vote(2, qc_for(b1)));
}

}  // namespace
}  // namespace hlsim::hotstuff
