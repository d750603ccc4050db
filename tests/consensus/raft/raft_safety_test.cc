// Raft §5.4.2: committing entries from previous terms — the Figure 8 scenario, stepped by hand.
//
// Servers S1..S5 are nodes 0..4. Every transaction is its own entry (max_block_tx = 1) and every
// AppendEntries carries at most one entry, so each step of the figure can be staged exactly.
// Entry 1 is S1's empty block of term 1; "entry 2 of term 1" plays the figure's entry of term 2.
#include <gtest/gtest.h>

#include "consensus/raft/raft_test_util.h"

namespace hlsim::testing {
namespace {

class RaftFigure8 : public ::testing::Test {
 protected:
  void SetUp() override {
    RaftParams params;
    params.max_block_tx = 1;
    params.max_append_blocks = 1;
    c_ = make_raft_cluster(5, 8, params);
    c_->start();
  }

  Raft& node(NodeId n) { return raft(*c_, n); }

  void heartbeat_round(NodeId leader) {
    c_->fire_timer(leader, Raft::kHeartbeatTimer);
    c_->stabilize();
  }

  // (a) S1 leads term 1, commits its empty block everywhere, then replicates entry 2 to S2 only
  // and crashes. (b) S5 is elected for term 2 by S3, S4 and itself, appends its own entry 2 and
  // crashes before sending it. (c) S1 restarts and is elected for term 3 by S2 and S3.
  void stage_a_to_c() {
    ASSERT_TRUE(campaign(*c_, 0));
    c_->stabilize();
    heartbeat_round(0);
    for (NodeId n = 0; n < 5; ++n) ASSERT_EQ(c_->chain(n).height(), 1u);

    c_->submit(0, c_->make_tx(0, 0));
    c_->drop([](const Envelope& e) { return e.from == 0 && e.to != 1; });
    c_->stabilize();
    ASSERT_EQ(node(0).log().last_index(), 2u);
    ASSERT_EQ(node(1).log().last_index(), 2u);
    entry2_term1_ = node(0).log().hash_at(2);
    EXPECT_EQ(node(0).commit_index(), 1u);  // on 2 of 5 only
    c_->crash(0);

    // (b) S1 and S2 do not hear S5's request; S5's log [1] is as up to date as S3's and S4's.
    c_->set_drop_filter([](const Envelope& e) { return e.to <= 1; });
    ASSERT_TRUE(campaign(*c_, 4));
    EXPECT_EQ(node(4).epoch(), 2u);
    c_->crash(4);
    c_->drop([](const Envelope& e) { return e.from == 4; });
    ASSERT_EQ(node(4).log().last_index(), 2u);
    entry2_term2_ = node(4).log().hash_at(2);
    ASSERT_EQ(node(4).log().term_at(2), 2u);

    // (c) S1 comes back; S4 hears nothing, so S1 needs S2 and S3 (S3 voted for S5 in term 2,
    // so S1 wins term 3). Nobody receives S1's own entry 3 yet.
    c_->restart(0);
    c_->set_drop_filter([](const Envelope& e) {
      return e.to == 3 || e.to == 4 || (e.from == 0 && carries_index_at_least(e, 3));
    });
    ASSERT_TRUE(campaign(*c_, 0));
    EXPECT_EQ(node(0).epoch(), 3u);
    ASSERT_EQ(node(0).log().last_index(), 3u);
    ASSERT_EQ(node(0).log().term_at(3), 3u);
  }

  std::unique_ptr<Cluster> c_;
  Hash256 entry2_term1_;
  Hash256 entry2_term2_;
};

TEST_F(RaftFigure8, Section5_4_2_LeaderDoesNotCommitAnEarlierTermEntryByCountingReplicas) {
  stage_a_to_c();
  // S1 brings S3 up to date with entry 2 (term 1); S2 already has it. Entry 3 is still lost.
  c_->stabilize();
  for (int i = 0; i < 3; ++i) heartbeat_round(0);
  ASSERT_EQ(node(2).log().hash_at(2), entry2_term1_);
  ASSERT_EQ(node(2).log().last_index(), 2u);
  // S1 knows entry 2 is on a majority (S1, S2, S3)...
  EXPECT_GE(node(0).match_index(1), 2u);
  EXPECT_GE(node(0).match_index(2), 2u);
  // ...but it is of term 1, not 3, so it must not commit by counting replicas.
  EXPECT_EQ(node(0).commit_index(), 1u);
  for (NodeId n = 0; n < 5; ++n) EXPECT_EQ(c_->chain(n).height(), 1u) << n;

  // (d) S1 crashes; S5 restarts and is elected for term 4 by S2, S3, S4 (its last entry has a
  // higher term than theirs), then overwrites entry 2 everywhere.
  c_->crash(0);
  c_->drop([](const Envelope& e) { return e.from == 0; });
  c_->set_drop_filter(nullptr);
  c_->restart(4);
  ASSERT_TRUE(campaign(*c_, 4));
  EXPECT_EQ(node(4).epoch(), 4u);
  c_->stabilize();
  for (int i = 0; i < 3; ++i) heartbeat_round(4);
  for (NodeId n = 1; n < 5; ++n) {
    EXPECT_EQ(node(n).log().hash_at(2), entry2_term2_) << n;
    EXPECT_EQ(c_->chain(n).height(), 3u) << n;
  }
  // Had S1 committed entry 2 of term 1, this would have been a safety violation. Nobody did:
  for (const CommitRecord& r : c_->commits()) EXPECT_NE(r.hash, entry2_term1_);

  // The old leader restarts and its entries 2 and 3 are replaced too.
  c_->restart(0);
  c_->stabilize();
  for (int i = 0; i < 3; ++i) heartbeat_round(4);
  EXPECT_EQ(node(0).log().hash_at(2), entry2_term2_);
  EXPECT_TRUE(c_->chains_identical());
  expect_safe(*c_);
}

TEST_F(RaftFigure8, Section5_4_2_EntryOfTheCurrentTermCommitsEarlierOnesWithIt) {
  stage_a_to_c();
  // (e) This time S1's empty block of term 3 reaches S2 and S3 before S1 crashes.
  c_->set_drop_filter([](const Envelope& e) { return e.to == 3 || e.to == 4; });
  c_->stabilize();
  for (int i = 0; i < 3; ++i) heartbeat_round(0);
  EXPECT_EQ(node(0).commit_index(), 3u);
  EXPECT_EQ(c_->chain(0).at(2)->hash, entry2_term1_);
  for (NodeId n = 1; n <= 2; ++n) EXPECT_EQ(c_->chain(n).height(), 3u) << n;

  // Now S5 cannot be elected: S2 and S3 hold entry 3 of term 3, newer than S5's last entry.
  c_->crash(0);
  c_->drop([](const Envelope& e) { return e.from == 0; });
  c_->set_drop_filter(nullptr);
  c_->restart(4);
  EXPECT_FALSE(campaign(*c_, 4, 4));
  // S2 (complete log) wins instead, and entry 2 of term 1 stays committed everywhere.
  c_->stabilize();
  ASSERT_TRUE(campaign(*c_, 1));
  c_->stabilize();
  for (int i = 0; i < 3; ++i) heartbeat_round(1);
  c_->restart(0);
  c_->stabilize();
  for (int i = 0; i < 3; ++i) heartbeat_round(1);
  for (NodeId n = 0; n < 5; ++n) EXPECT_EQ(c_->chain(n).at(2)->hash, entry2_term1_) << n;
  EXPECT_TRUE(c_->chains_identical());
  expect_safe(*c_);
}

}  // namespace
}  // namespace hlsim::testing
