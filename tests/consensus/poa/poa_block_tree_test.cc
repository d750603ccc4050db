// The block tree's fork choice and pruning, and both finality rules, on hand-made blocks.
#include <gtest/gtest.h>

#include <vector>

#include "consensus/poa/block_tree.h"
#include "consensus/poa/poa_finality.h"
#include "ledger/crypto/signature.h"

namespace hlsim {
namespace {

// A block of `step` (sealed by authority step mod 4) on `parent` at `height`.
BlockRef block(const BlockRef& parent, std::uint64_t step) {
  const Height height = parent ? parent->header.height + 1 : 1;
  const Hash256 prev = parent ? parent->hash : Hash256{};
  const auto proposer = static_cast<NodeId>(step % 4);
  return seal_block(height, prev, proposer, step, 0, {},
                    SigningKey::derive(1, "node-" + std::to_string(proposer)));
}

TEST(PoaBlockTree, HighestBlockWinsThenLowerStepThenLowerHash) {
  using P = PoaBlockTree::Position;
  const Hash256 lo{};
  Hash256 hi;
  hi.bytes[0] = 1;
  EXPECT_TRUE(PoaBlockTree::prefer(P{5, 9}, hi, P{4, 1}, lo));  // height first
  EXPECT_TRUE(PoaBlockTree::prefer(P{5, 6}, hi, P{5, 7}, lo));  // then the earlier step
  EXPECT_TRUE(PoaBlockTree::prefer(P{5, 7}, lo, P{5, 7}, hi));  // then the hash
  EXPECT_FALSE(PoaBlockTree::prefer(P{5, 7}, hi, P{5, 7}, lo));
}

TEST(PoaBlockTree, InsertTracksTheBestHeadAndChains) {
  PoaBlockTree t;
  const BlockRef a1 = block(nullptr, 1);
  const BlockRef a2 = block(a1, 2);
  const BlockRef b2 = block(a1, 3);  // same height as a2, later step
  EXPECT_TRUE(t.insert(a1));
  EXPECT_TRUE(t.insert(a2));
  EXPECT_FALSE(t.insert(b2));
  EXPECT_EQ(t.best(), a2->hash);
  const BlockRef b3 = block(b2, 4);
  EXPECT_TRUE(t.insert(b3));
  EXPECT_EQ(t.best(), b3->hash);
  EXPECT_EQ(t.best_chain(), (std::vector<BlockRef>{a1, b2, b3}));
  EXPECT_EQ(t.common_ancestor(a2->hash, b3->hash), a1->hash);
  EXPECT_EQ(t.common_ancestor(a1->hash, b3->hash), a1->hash);
  EXPECT_EQ(t.common_ancestor(t.root_hash(), b3->hash), t.root_hash());
  EXPECT_THROW(t.insert(a2), std::logic_error);  // held already
}

TEST(PoaBlockTree, AdvancingTheRootDropsOtherBranchesAndLowOrphans) {
  PoaBlockTree t;
  const BlockRef a1 = block(nullptr, 1);
  const BlockRef x1 = block(nullptr, 2);
  const BlockRef a2 = block(a1, 3);
  const BlockRef y2 = block(x1, 4);
  for (const BlockRef& b : {a1, x1, a2, y2}) t.insert(b);
  ASSERT_EQ(t.best(), a2->hash);  // height 2 at step 3 beats height 2 at step 4
  const BlockRef orphan_low = block(block(nullptr, 5), 6);  // height 2, unknown parent
  const BlockRef orphan_high = block(block(a2, 7), 8);      // height 4, unknown parent
  EXPECT_TRUE(t.add_orphan(orphan_low));
  EXPECT_TRUE(t.add_orphan(orphan_high));
  EXPECT_FALSE(t.add_orphan(orphan_high));
  t.advance_root(a1);
  EXPECT_EQ(t.root_hash(), a1->hash);
  EXPECT_EQ(t.root(), (PoaBlockTree::Position{1, 1}));
  EXPECT_EQ(t.size(), 1u);
  EXPECT_TRUE(t.knows(a2->hash));
  EXPECT_FALSE(t.knows(x1->hash));
  EXPECT_FALSE(t.knows(y2->hash));
  t.advance_root(a2);
  EXPECT_FALSE(t.has_orphan(orphan_low->hash));
  EXPECT_TRUE(t.has_orphan(orphan_high->hash));
  EXPECT_EQ(t.take_orphans(orphan_high->header.prev_hash).size(), 1u);
  EXPECT_EQ(t.orphan_count(), 0u);
  EXPECT_THROW(t.advance_root(y2), std::logic_error);
}

TEST(PoaFinality, ConfirmationsCountBlocksOnTop) {
  std::vector<BlockRef> chain;
  BlockRef parent;
  for (std::uint64_t s = 1; s <= 5; ++s) chain.push_back(parent = block(parent, s));
  EXPECT_EQ(poa_final_height(chain, 0, PoaFinality::kConfirmations, 1, 4), 4u);
  EXPECT_EQ(poa_final_height(chain, 0, PoaFinality::kConfirmations, 5, 4), 0u);
  EXPECT_EQ(poa_final_height(chain, 0, PoaFinality::kConfirmations, 4, 4), 1u);
  EXPECT_EQ(poa_final_height({}, 7, PoaFinality::kConfirmations, 1, 4), 7u);
}

TEST(PoaFinality, MajorityNeedsMoreThanHalfDistinctSealersOnAndAbove) {
  // Sealers 1, 2, 3, 0, 1 (steps 1..5) with n = 4: more than 2 distinct from height 3 up
  // (3, 0, 1), so heights 1..3 are final.
  std::vector<BlockRef> chain;
  BlockRef parent;
  for (std::uint64_t s = 1; s <= 5; ++s) chain.push_back(parent = block(parent, s));
  EXPECT_EQ(poa_final_height(chain, 0, PoaFinality::kMajority, 0, 4), 3u);
  // Repeated sealers do not count twice: steps 1, 5, 9 are all sealer 1.
  std::vector<BlockRef> same;
  parent = nullptr;
  for (std::uint64_t s : {1u, 5u, 9u}) same.push_back(parent = block(parent, s));
  EXPECT_EQ(poa_final_height(same, 0, PoaFinality::kMajority, 0, 4), 0u);
  // n = 1: every block is final at once; n = 2 needs both.
  EXPECT_EQ(poa_final_height(same, 0, PoaFinality::kMajority, 0, 1), 3u);
  EXPECT_EQ(poa_final_height(chain, 0, PoaFinality::kMajority, 0, 2), 4u);
}

}  // namespace
}  // namespace hlsim
