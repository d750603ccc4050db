// Raft §5.3 log replication, batching into blocks, forwarding and deduplication.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "consensus/raft/raft_test_util.h"

namespace hlsim::testing {
namespace {

std::set<Hash256> as_set(const std::vector<Hash256>& ids) { return {ids.begin(), ids.end()}; }

TEST(RaftReplication, Section5_3_ThousandTransactionsCommitOnceInOneOrderEverywhere) {
  RaftParams params;
  params.max_block_tx = 40;
  params.max_block_bytes = 16 * 1024;
  auto c = make_raft_cluster(5, 11, params);
  c->start();
  // Submissions start before any leader exists (kept pending, then forwarded) and go to random
  // nodes, with payloads from tiny to large so both block limits come into play.
  Rng rng(99);
  std::set<Hash256> submitted;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    const TxRef tx = c->make_tx(static_cast<ClientId>(i % 17), i, 8 + rng.next_below(1200));
    submitted.insert(tx->id);
    c->submit_at(static_cast<TimeNs>(i) * kNsPerMs / 2, static_cast<NodeId>(rng.next_below(5)), tx);
  }
  ASSERT_TRUE(c->run_until(
      [&] {
        for (NodeId n = 0; n < 5; ++n) {
          if (c->committed_tx_ids(n).size() < submitted.size()) return false;
        }
        return true;
      },
      20 * kNsPerSec));

  expect_safe(*c);
  EXPECT_TRUE(c->chains_identical());
  const std::vector<Hash256> order = c->committed_tx_ids(0);
  EXPECT_EQ(order.size(), 1000u);  // exactly once (the harness also flags duplicates)
  EXPECT_EQ(as_set(order), submitted);
  bool hit_tx_limit = false, hit_byte_limit = false;
  for (NodeId n = 0; n < 5; ++n) {
    EXPECT_EQ(c->committed_tx_ids(n), order) << "node " << n;
    EXPECT_EQ(raft(*c, n).pending_count(), 0u);
    for (Height h = 1; h <= c->chain(n).height(); ++h) {
      const Block& b = *c->chain(n).at(h);
      EXPECT_EQ(b.hash, c->chain(0).at(h)->hash);
      EXPECT_LE(b.txs.size(), params.max_block_tx);
      EXPECT_LE(b.payload_bytes(), params.max_block_bytes);
      hit_tx_limit |= b.txs.size() == params.max_block_tx;
      hit_byte_limit |= b.payload_bytes() + 1400 > params.max_block_bytes;
    }
  }
  EXPECT_TRUE(hit_tx_limit || hit_byte_limit);
}

TEST(RaftReplication, BatchSealsAtMaxBlockTxAtOnceAndOtherwiseAfterBatchTimeout) {
  RaftParams params;
  params.max_block_tx = 10;
  auto c = make_raft_cluster(3, 2, params);
  c->start();
  ASSERT_TRUE(run_until_stable_leader(*c, 2 * kNsPerSec));
  const NodeId leader = *c->leader();
  c->run_for(100 * kNsPerMs);
  const Height before = raft(*c, leader).log().last_index();

  // Ten transactions at once: one full block, sealed in the same instant.
  const TimeNs t0 = c->now();
  for (std::uint64_t i = 0; i < 10; ++i) c->submit(leader, c->make_tx(1, i));
  ASSERT_EQ(raft(*c, leader).log().last_index(), before + 1);
  EXPECT_EQ(raft(*c, leader).log().at(before + 1)->txs.size(), 10u);
  EXPECT_EQ(raft(*c, leader).log().at(before + 1)->header.timestamp_ns, t0);

  // Three more: sealed batch_timeout after the first of them.
  const TimeNs t1 = c->now();
  for (std::uint64_t i = 10; i < 13; ++i) c->submit(leader, c->make_tx(1, i));
  EXPECT_EQ(raft(*c, leader).log().last_index(), before + 1);
  ASSERT_TRUE(c->run_until([&] { return raft(*c, leader).log().last_index() == before + 2; },
                           t1 + kNsPerSec));
  EXPECT_EQ(raft(*c, leader).log().at(before + 2)->txs.size(), 3u);
  EXPECT_EQ(raft(*c, leader).log().at(before + 2)->header.timestamp_ns,
            t1 + params.batch_timeout_ns);
  expect_safe(*c);
}

TEST(RaftReplication, ByteLimitSealsBeforeABlockWouldOverflow) {
  RaftParams params;
  params.max_block_bytes = 4000;
  auto c = make_raft_cluster(3, 3, params);
  c->start();
  ASSERT_TRUE(run_until_stable_leader(*c, 2 * kNsPerSec));
  const NodeId leader = *c->leader();
  // 1,000-byte payloads (about 1.1 kB encoded): three fit in 4,000 bytes, the fourth does not.
  for (std::uint64_t i = 0; i < 12; ++i) c->submit(leader, c->make_tx(2, i, 1000));
  c->run_for(200 * kNsPerMs);
  const Chain& chain = c->chain(leader);
  std::size_t txs = 0;
  for (Height h = 2; h <= chain.height(); ++h) {
    EXPECT_LE(chain.at(h)->payload_bytes(), params.max_block_bytes);
    EXPECT_EQ(chain.at(h)->txs.size(), 3u);
    txs += chain.at(h)->txs.size();
  }
  EXPECT_EQ(txs, 12u);
  expect_safe(*c);
}

TEST(RaftReplication, DuplicateSubmissionsToManyNodesCommitOnce) {
  auto c = make_raft_cluster(5, 4);
  c->start();
  ASSERT_TRUE(run_until_stable_leader(*c, 2 * kNsPerSec));
  const TxRef tx = c->make_tx(3, 0);
  for (NodeId n = 0; n < 5; ++n) c->submit(n, tx);
  c->submit(*c->leader(), tx);
  c->run_for(500 * kNsPerMs);
  // ...and again after it committed.
  for (NodeId n = 0; n < 5; ++n) c->submit(n, tx);
  c->run_for(500 * kNsPerMs);
  for (NodeId n = 0; n < 5; ++n) {
    EXPECT_EQ(c->committed_tx_ids(n), std::vector<Hash256>{tx->id});
    EXPECT_EQ(raft(*c, n).pending_count(), 0u);
  }
  expect_safe(*c);
}

TEST(RaftReplication, FollowerForwardsToTheLeaderInOneMessagePerJob) {
  auto c = make_raft_cluster(3, 5);
  c->start();
  ASSERT_TRUE(run_until_stable_leader(*c, 2 * kNsPerSec));
  const NodeId leader = *c->leader();
  const NodeId follower = (leader + 1) % 3;
  const auto forward = static_cast<std::uint16_t>(RaftMessageType::kForward);
  const std::uint64_t before = c->sent(forward);
  c->submit(follower, c->make_tx(4, 0));
  EXPECT_EQ(c->sent(forward), before + 1);
  EXPECT_EQ(raft(*c, follower).pending_count(), 1u);
  c->run_for(200 * kNsPerMs);
  EXPECT_EQ(c->committed_tx_ids(follower).size(), 1u);
  EXPECT_EQ(raft(*c, follower).pending_count(), 0u);  // dropped once committed
  expect_safe(*c);
}

TEST(RaftReplication, FollowersLearnOfACommitOneLatencyAfterTheLeader) {
  auto c = make_raft_cluster(3, 8);
  c->start();
  ASSERT_TRUE(run_until_stable_leader(*c, 2 * kNsPerSec));
  const NodeId leader = *c->leader();
  c->run_for(10 * kNsPerMs);  // off the heartbeat grid
  c->submit(leader, c->make_tx(8, 0));
  const Height h = raft(*c, leader).log().last_index() + 1;
  ASSERT_TRUE(c->run_until(
      [&] {
        return c->chain((leader + 1) % 3).height() >= h && c->chain((leader + 2) % 3).height() >= h;
      },
      c->now() + kNsPerSec));
  TimeNs leader_at = -1;
  for (const CommitRecord& r : c->commits()) {
    if (r.height == h && r.node == leader) leader_at = r.time_ns;
  }
  ASSERT_GE(leader_at, 0);
  for (const CommitRecord& r : c->commits()) {
    if (r.height == h && r.node != leader) {
      EXPECT_EQ(r.time_ns, leader_at + kNsPerMs);
    }
  }
}

TEST(RaftReplication, LostForwardIsSentAgainAfterForwardRetry) {
  const RaftParams params;
  auto c = make_raft_cluster(3, 7, params);
  c->start();
  ASSERT_TRUE(run_until_stable_leader(*c, 2 * kNsPerSec));
  const NodeId follower = (*c->leader() + 1) % 3;
  int dropped = 0;
  c->set_drop_filter([&](const Envelope& e) {
    if (!is_type(e, RaftMessageType::kForward) || dropped > 0) return false;
    ++dropped;
    return true;
  });
  const TimeNs t0 = c->now();
  const TxRef tx = c->make_tx(9, 0);
  c->submit(follower, tx);
  ASSERT_TRUE(
      c->run_until([&] { return c->committed_tx_ids(follower).size() == 1; }, t0 + 2 * kNsPerSec));
  EXPECT_EQ(dropped, 1);
  EXPECT_GE(c->now() - t0, params.forward_retry_ns);
  EXPECT_EQ(c->sent(static_cast<std::uint16_t>(RaftMessageType::kForward)), 2u);
  expect_safe(*c);
}

// Regression (randomised run, seed 59): a single node elected with transactions already pending
// commits while it queues them, which must not disturb the walk over its pending list.
TEST(RaftReplication, SingleNodeElectedWithABacklogOfOneTxBlocksCommitsItAll) {
  RaftParams params;
  params.max_block_tx = 1;
  auto c = make_raft_cluster(1, 59, params);
  c->start();
  std::vector<Hash256> ids;
  for (std::uint64_t i = 0; i < 20; ++i) {
    const TxRef tx = c->make_tx(0, i);
    ids.push_back(tx->id);
    c->submit(0, tx);  // before the first election timeout: no leader yet
  }
  EXPECT_EQ(raft(*c, 0).pending_count(), 20u);
  c->run_for(params.election_timeout_max_ns + kNsPerMs);
  EXPECT_TRUE(raft(*c, 0).is_leader());
  EXPECT_EQ(c->committed_tx_ids(0), ids);
  EXPECT_EQ(c->chain(0).height(), 21u);  // the empty block, then one block per transaction
  EXPECT_EQ(raft(*c, 0).pending_count(), 0u);
  expect_safe(*c);
}

TEST(RaftReplication, SingleNodeClusterCommitsByItself) {
  auto c = make_raft_cluster(1, 6);
  c->start();
  std::vector<Hash256> ids;
  for (std::uint64_t i = 0; i < 50; ++i) {
    const TxRef tx = c->make_tx(0, i);
    ids.push_back(tx->id);
    c->submit_at(static_cast<TimeNs>(i) * 10 * kNsPerMs, 0, tx);
  }
  c->run_for(2 * kNsPerSec);
  EXPECT_TRUE(raft(*c, 0).is_leader());
  EXPECT_EQ(c->committed_tx_ids(0), ids);  // in submission order
  EXPECT_EQ(raft(*c, 0).commit_index(), raft(*c, 0).log().last_index());
  EXPECT_EQ(raft(*c, 0).pending_count(), 0u);
  expect_safe(*c);
}

}  // namespace
}  // namespace hlsim::testing
