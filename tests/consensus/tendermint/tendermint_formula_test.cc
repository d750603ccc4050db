// The exact message cost and latency of a committed block in the fault-free steady state
// (round 0, constant latency, no jitter).
//
// Per committed block (Algorithm 1, round 0):
//   proposal   = n - 1        (proposer(h, 0) broadcasts PROPOSAL once)
//   prevote    = n (n - 1)    (every validator broadcasts one PREVOTE)
//   precommit  = n (n - 1)    (every validator broadcasts one PRECOMMIT)
//   fetch = commit-sync = 0   (nobody falls behind)
// tx-gossip is the mempool, not consensus: one broadcast (n - 1 messages) per batch of
// transactions a gateway accepted. Latency: with one-way delay L, a block proposed at t is decided
// everywhere at t + 3L (proposal, prevotes, precommits).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

#include "consensus/tendermint/tendermint_test_util.h"

namespace hlsim::testing {
namespace {

using T = TendermintMessageType;

struct Counts {
  std::uint64_t proposal = 0, prevote = 0, precommit = 0, tx_gossip = 0, fetch = 0, sync = 0;
};

Counts counts(const Cluster& c) {
  return {c.sent(type_of(T::kProposal)),  c.sent(type_of(T::kPrevote)),
          c.sent(type_of(T::kPrecommit)), c.sent(type_of(T::kTxGossip)),
          c.sent(type_of(T::kFetch)),     c.sent(type_of(T::kCommitSync))};
}

// `blocks` heights, each made of `per_block` transactions submitted at one instant to one
// gateway (not the proposer: a proposer with a transaction proposes at once), 3 s apart (more
// than timeout_commit + 3L). The gateway's tx-gossip brings all of them to the proposer at once.
void run_blocks(std::uint32_t n, int blocks, int per_block) {
  SCOPED_TRACE("n = " + std::to_string(n));
  const TimeNs latency = kNsPerMs;
  auto c = make_quiet_cluster(n, 100 + n);
  // When each height's proposal is sent (the first copy).
  std::map<Height, TimeNs> proposed_at;
  c->set_send_observer([&](const Envelope& e) {
    if (auto p = as_proposal(e)) proposed_at.emplace(p->height, e.sent_ns);
  });
  c->start();
  HashSet ids;
  for (int b = 0; b < blocks; ++b) {
    const Height h = static_cast<Height>(b) + 1;
    c->run_until(kNsPerSec + 3 * kNsPerSec * b);
    const NodeId gateway = (proposer(h, 0, n) + 1) % n;
    for (int i = 0; i < per_block; ++i) {
      const TxRef tx = c->make_tx(static_cast<ClientId>(b), static_cast<std::uint64_t>(i));
      ids.insert(tx->id);
      c->submit(gateway, tx);
    }
  }
  c->run_until(c->now() + 10 * kNsPerSec);

  // Quiescent: nothing in flight, every node waiting in round 0 of the next height.
  EXPECT_TRUE(c->in_flight().empty());
  ASSERT_TRUE(all_committed(*c, all_nodes(*c), ids));
  expect_safe(*c);
  const auto b = static_cast<std::uint64_t>(blocks);
  for (NodeId node = 0; node < n; ++node) {
    ASSERT_EQ(c->chain(node).height(), b);
    for (Height h = 1; h <= b; ++h)
      EXPECT_EQ(c->chain(node).at(h)->txs.size(), static_cast<std::size_t>(per_block));
  }

  const Counts k = counts(*c);
  const std::uint64_t nn = n;
  EXPECT_EQ(k.proposal, b * (nn - 1));
  EXPECT_EQ(k.prevote, b * nn * (nn - 1));
  EXPECT_EQ(k.precommit, b * nn * (nn - 1));
  EXPECT_EQ(k.fetch, 0u);
  EXPECT_EQ(k.sync, 0u);
  EXPECT_EQ(k.tx_gossip, b * (nn - 1));  // one batch per block here

  // Latency: every node decides height h exactly 3 one-way delays after its proposal was sent.
  for (const CommitRecord& r : c->commits()) {
    ASSERT_TRUE(proposed_at.contains(r.height));
    EXPECT_EQ(r.time_ns, proposed_at[r.height] + 3 * latency)
        << "node " << r.node << " height " << r.height;
  }
}

TEST(TendermintFormula, MessagesPerBlockN4) { run_blocks(4, 3, 5); }
TEST(TendermintFormula, MessagesPerBlockN7) { run_blocks(7, 3, 5); }
TEST(TendermintFormula, MessagesPerBlockN10) { run_blocks(10, 3, 5); }
TEST(TendermintFormula, MessagesPerBlockN16) { run_blocks(16, 3, 5); }

// With create_empty_blocks = true (the default) an idle chain grows by one empty block per
// timeout_commit + 3L: height k is decided at (k - 1) * timeout_commit + 3kL, each at the same
// message cost as above.
TEST(TendermintFormula, IdleChainGrowsOneEmptyBlockPerTimeoutCommitPlusThreeDelays) {
  auto c = make_tm_cluster(TmClusterSpec{});
  c->start();
  const TimeNs commit = tm(*c, 0).params().timeout_commit_ns;
  // Stop between heights: the 5th block is decided at 4 s + 15 ms, the 6th is proposed at 5 s +
  // 15 ms.
  c->run_until(5 * kNsPerSec);
  ASSERT_EQ(c->chain(0).height(), 5u);
  for (const CommitRecord& r : c->commits()) {
    const auto k = static_cast<TimeNs>(r.height);
    EXPECT_EQ(r.time_ns, (k - 1) * commit + 3 * k * kNsPerMs);
    EXPECT_TRUE(r.block->txs.empty());
  }
  const Counts k = counts(*c);
  EXPECT_EQ(k.proposal, 5u * 3);
  EXPECT_EQ(k.prevote, 5u * 12);
  EXPECT_EQ(k.precommit, 5u * 12);
  EXPECT_EQ(k.tx_gossip + k.fetch + k.sync, 0u);
  expect_safe(*c);
}

}  // namespace
}  // namespace hlsim::testing
