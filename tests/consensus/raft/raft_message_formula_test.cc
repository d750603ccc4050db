// Raft's message cost per committed block, pinned exactly on a fault-free constant-latency
// network, and its commit latency in one-way delays — the baseline the BFT protocols' formulas
// are compared against (README "Consensus comparison").
//
// One block, steady state, leader L, n validators:
//   AppendEntries carrying the block     n - 1   (L -> each follower)
//   AppendReply acknowledging it         n - 1
//   AppendEntries announcing the commit  n - 1   (sent as soon as a majority acknowledged: §5.3
//                                                  lets followers learn the commit index from the
//                                                  next heartbeat; hlsim, like etcd, does not wait)
//   AppendReply to that announcement     n - 1
// = 4(n - 1) messages, linear in n. The leader commits 2 one-way delays after it sends the block
// (there and back), followers 3 (the announcement).
#include <gtest/gtest.h>

#include "consensus/raft/raft_test_util.h"

namespace hlsim::testing {
namespace {

constexpr auto kAppend = static_cast<std::uint16_t>(RaftMessageType::kAppendEntries);
constexpr auto kReply = static_cast<std::uint16_t>(RaftMessageType::kAppendReply);
constexpr auto kForward = static_cast<std::uint16_t>(RaftMessageType::kForward);
constexpr auto kRequestVote = static_cast<std::uint16_t>(RaftMessageType::kRequestVote);

class RaftMessageFormulaTest : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(RaftMessageFormulaTest, OneBlockCostsFourMessagesPerFollowerAndCommitsInTwoAndThreeDelays) {
  const std::uint32_t n = GetParam();
  RaftParams p;
  // Heartbeats and elections far apart, so that only the block's own traffic is counted.
  p.election_timeout_min_ns = 20 * kNsPerSec;
  p.election_timeout_max_ns = 40 * kNsPerSec;
  p.heartbeat_ns = 5 * kNsPerSec;
  p.batch_timeout_ns = 10 * kNsPerMs;
  const TimeNs latency = kNsPerMs;
  auto c = make_raft_cluster(n, 1, p, latency);
  c->start();
  ASSERT_TRUE(campaign(*c, 0));
  c->stabilize();  // the new term's no-op block commits everywhere
  ASSERT_EQ(c->chain(n - 1).height(), 1u);
  ASSERT_EQ(c->in_flight().size(), 0u);

  const std::uint64_t append0 = c->sent(kAppend);
  const std::uint64_t reply0 = c->sent(kReply);
  const std::uint64_t votes0 = c->sent(kRequestVote);
  const TimeNs submit_ns = c->now();
  c->submit(0, c->make_tx(1, 1));  // at the leader: no forward
  c->run_for(100 * kNsPerMs);      // less than a heartbeat interval

  EXPECT_EQ(c->sent(kAppend) - append0, 2u * (n - 1));
  EXPECT_EQ(c->sent(kReply) - reply0, 2u * (n - 1));
  EXPECT_EQ(c->sent(kForward), 0u);
  EXPECT_EQ(c->sent(kRequestVote), votes0);

  // The block is sealed batch_timeout after the transaction arrives, then 2 one-way delays to
  // commit at the leader and 3 at the followers.
  const TimeNs sealed_ns = submit_ns + p.batch_timeout_ns;
  std::uint32_t commits = 0;
  for (const CommitRecord& r : c->commits()) {
    if (r.height != 2) continue;
    ++commits;
    EXPECT_EQ(r.time_ns - sealed_ns, (r.node == 0 ? 2 : 3) * latency) << "node " << r.node;
  }
  EXPECT_EQ(commits, n);
  for (NodeId i = 0; i < n; ++i) EXPECT_EQ(c->chain(i).height(), 2u);
}

INSTANTIATE_TEST_SUITE_P(ClusterSizes, RaftMessageFormulaTest, ::testing::Values(4u, 7u, 10u, 16u));

}  // namespace
}  // namespace hlsim::testing
