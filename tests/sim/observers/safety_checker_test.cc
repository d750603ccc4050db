// The safety checker judges honest nodes' commits: each kind of violation is found and named with
// the seed, height and nodes; Byzantine nodes and tentative-chain reorgs are not violations.
#include "sim/observers/safety_checker.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ledger/block.h"
#include "ledger/transaction.h"

namespace hlsim {
namespace {

class SafetyCheckerTest : public ::testing::Test {
 protected:
  SigningKey key_ = SigningKey::derive(1, "node-0");
  SigningKey client_ = SigningKey::derive(1, "client-0");

  TxRef tx(std::uint64_t nonce) {
    Transaction t;
    t.client = 0;
    t.nonce = nonce;
    t.payload = Bytes(8, static_cast<std::uint8_t>(nonce));
    sign_tx(t, client_);
    return std::make_shared<const Transaction>(std::move(t));
  }
  BlockRef block(Height h, const Hash256& prev, std::vector<TxRef> txs, std::uint64_t epoch = 0) {
    return seal_block(h, prev, 0, epoch, 0, std::move(txs), key_);
  }
};

TEST_F(SafetyCheckerTest, AgreeingHonestCommitsAreClean) {
  SafetyChecker c(7, {false, false, false});
  const TxRef t = tx(1);
  c.on_submit(t->id);
  const BlockRef b1 = block(1, Hash256{}, {t});
  const BlockRef b2 = block(2, b1->hash, {});
  for (NodeId n = 0; n < 3; ++n) {
    c.on_commit(n, *b1, 10);
    c.on_commit(n, *b2, 20);
  }
  EXPECT_TRUE(c.violations().empty());
}

TEST_F(SafetyCheckerTest, DisagreementNamesSeedHeightAndBothNodes) {
  SafetyChecker c(7, {false, false, false});
  const BlockRef a = block(1, Hash256{}, {}, 1);
  const BlockRef b = block(1, Hash256{}, {}, 2);
  c.on_commit(0, *a, 10);
  c.on_commit(2, *b, 12);
  ASSERT_EQ(c.violations().size(), 1u);
  EXPECT_EQ(c.violations()[0].kind, "agreement");
  const std::string d = c.describe(c.violations()[0]);
  EXPECT_NE(d.find("seed 7"), std::string::npos) << d;
  EXPECT_NE(d.find("height 1"), std::string::npos) << d;
  EXPECT_NE(d.find("nodes 0 and 2"), std::string::npos) << d;
}

TEST_F(SafetyCheckerTest, ByzantineNodesAreNotJudged) {
  SafetyChecker c(7, {false, true});
  c.on_commit(0, *block(1, Hash256{}, {}, 1), 10);
  c.on_commit(1, *block(1, Hash256{}, {}, 2), 10);
  c.on_node_violation(1, "its own ledger disagreed", 11);
  EXPECT_TRUE(c.violations().empty());
}

TEST_F(SafetyCheckerTest, ABlockThatDoesNotExtendItsPredecessorIsAChainViolation) {
  SafetyChecker c(1, {false});
  const BlockRef b1 = block(1, Hash256{}, {});
  c.on_commit(0, *b1, 1);
  c.on_commit(0, *block(2, Hash256{}, {}), 2);  // wrong prev_hash
  ASSERT_EQ(c.violations().size(), 1u);
  EXPECT_EQ(c.violations()[0].kind, "chain");
  c.on_commit(0, *block(3, b1->hash, {}), 3);  // skips a height
  EXPECT_EQ(c.violations().size(), 2u);
}

TEST_F(SafetyCheckerTest, ATransactionCommittedTwiceOrNeverSubmittedIsFound) {
  SafetyChecker c(1, {false});
  const TxRef t = tx(1);
  c.on_submit(t->id);
  const BlockRef b1 = block(1, Hash256{}, {t});
  const BlockRef b2 = block(2, b1->hash, {t, tx(2)});
  c.on_commit(0, *b1, 1);
  c.on_commit(0, *b2, 2);
  ASSERT_EQ(c.violations().size(), 2u);
  EXPECT_EQ(c.violations()[0].kind, "integrity");
  EXPECT_EQ(c.violations()[1].kind, "validity");
}

TEST_F(SafetyCheckerTest, ANodeThatLostItsLedgerMayCommitFromHeightOneAgain) {
  SafetyChecker c(1, {false, false});
  const BlockRef b1 = block(1, Hash256{}, {});
  c.on_commit(0, *b1, 1);
  c.on_storage_lost(0);
  c.on_commit(0, *b1, 5);
  EXPECT_TRUE(c.violations().empty());
}

TEST_F(SafetyCheckerTest, ReorgsAreCountedNotViolations) {
  SafetyChecker c(1, {false, true});
  c.on_reorg(0, 4, 2, 1);
  c.on_reorg(0, 9, 1, 0);
  c.on_reorg(1, 9, 5, 5);  // Byzantine: not counted
  EXPECT_TRUE(c.violations().empty());
  EXPECT_EQ(c.reorgs().reorgs, 2u);
  EXPECT_EQ(c.reorgs().blocks_abandoned, 3u);
  EXPECT_EQ(c.reorgs().max_depth_blocks, 2u);
  EXPECT_EQ(c.reorgs().own_blocks_abandoned, 1u);
}

}  // namespace
}  // namespace hlsim
