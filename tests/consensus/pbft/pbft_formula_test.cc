// PBFT message complexity and latency in the fault-free steady state (§4.2, §4.3), pinned
// exactly: constant latency, no jitter, transactions submitted at the primary so no forwards.
//
// Per committed block, with n replicas and checkpoint interval K:
//   pre-prepare  n - 1          (the primary to every backup)
//   prepare      (n - 1)^2      (every backup to every other replica)
//   commit       n (n - 1)      (every replica to every other replica)
//   checkpoint   n (n - 1) / K  (every replica, once per K blocks)
//   view-change, new-view, forward, fetch, fetch-reply: 0
// Latency: a block pre-prepared at t commits at every replica, primary included, at t + 3L
// (pre-prepare, prepare and commit each take one one-way delay L).
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "consensus/pbft/pbft_test_util.h"

namespace hlsim::testing {
namespace {

class PbftFormula : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(PbftFormula, MessagesPerBlockMatchThePhaseCountsExactly) {
  const std::uint32_t n = GetParam();
  constexpr std::uint64_t kBlocks = 8;
  PbftParams params = small_params();  // 4 tx per block, K = 4, L = 8
  auto c = make_pbft_cluster(n, 5, params, kNsPerMs);
  c->start();
  for (std::uint64_t i = 0; i < kBlocks * params.max_block_tx; ++i) {
    c->submit(0, c->make_tx(1, i));  // node 0 is the primary of view 0
  }
  c->run_for(2 * kNsPerSec);

  expect_safe(*c);
  EXPECT_TRUE(c->chains_identical());
  ASSERT_EQ(c->chain(0).height(), kBlocks);
  for (Height h = 1; h <= kBlocks; ++h) EXPECT_EQ(c->chain(0).at(h)->txs.size(), 4u);
  const std::uint64_t nn = n;
  EXPECT_EQ(c->sent(type_of(PbftMessageType::kPrePrepare)), kBlocks * (nn - 1));
  EXPECT_EQ(c->sent(type_of(PbftMessageType::kPrepare)), kBlocks * (nn - 1) * (nn - 1));
  EXPECT_EQ(c->sent(type_of(PbftMessageType::kCommit)), kBlocks * nn * (nn - 1));
  EXPECT_EQ(c->sent(type_of(PbftMessageType::kCheckpoint)),
            kBlocks / params.checkpoint_interval * nn * (nn - 1));
  for (PbftMessageType t :
       {PbftMessageType::kViewChange, PbftMessageType::kNewView, PbftMessageType::kForward,
        PbftMessageType::kFetch, PbftMessageType::kFetchReply}) {
    EXPECT_EQ(c->sent(type_of(t)), 0u) << pbft_message_type_names()[type_of(t)];
  }
  for (NodeId i = 0; i < n; ++i) {
    EXPECT_EQ(pbft(*c, i).view(), 0u);
    EXPECT_EQ(pbft(*c, i).low_watermark(), kBlocks);  // the last checkpoint is stable
  }
}

TEST_P(PbftFormula, CommitThreeOneWayDelaysAfterThePrePrepare) {
  const std::uint32_t n = GetParam();
  constexpr TimeNs kL = 7 * kNsPerMs;
  PbftParams params = small_params();
  auto c = make_pbft_cluster(n, 6, params, kL);
  c->start();
  c->run_for(kNsPerSec);
  const TimeNs t0 = c->now();
  // A full block: sealed and pre-prepared at once, at t0.
  for (std::uint64_t i = 0; i < params.max_block_tx; ++i) c->submit(0, c->make_tx(2, i));
  c->run_for(kNsPerSec);
  std::set<NodeId> seen;
  for (const CommitRecord& r : c->commits()) {
    if (r.height != 1) continue;
    EXPECT_EQ(r.time_ns, t0 + 3 * kL) << "node " << r.node;
    seen.insert(r.node);
  }
  EXPECT_EQ(seen.size(), n);
  EXPECT_EQ(c->chain(0).at(1)->header.timestamp_ns, t0);
}

INSTANTIATE_TEST_SUITE_P(Sizes, PbftFormula, ::testing::Values(4u, 7u, 10u, 16u),
                         [](const ::testing::TestParamInfo<std::uint32_t>& p) {
                           return "n" + std::to_string(p.param);
                         });

}  // namespace
}  // namespace hlsim::testing
