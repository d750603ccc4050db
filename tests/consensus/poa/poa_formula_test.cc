// Message formulas and commit latency, fault-free with constant 1 ms links (no jitter).
//
// Aura's only consensus message is the block, and hlsim disseminates it as one broadcast by its
// sealer over the full mesh (receivers do not re-propagate it, as devp2p gossip and the Aura
// wiki's "each honest node propagates the best chain" would), so every sealed block costs
// exactly n - 1 "block" messages. Client transactions travel separately, in tx-gossip batches of
// n - 1 messages each; without faults nothing is ever fetched. Finality trails the
// chain by a fixed number of blocks, so after K steps (K blocks) C committed blocks cost
//   block       = (n - 1) * (C + lag)   lag = floor(n / 2) with majority finality
//                                            (the blocks above the highest final one),
//                                            = confirmations with confirmation finality
//   tx-gossip   = (n - 1) * batches
//   fetch       = fetch-reply = 0
// i.e. n - 1 block messages per committed block in the long run.
#include <gtest/gtest.h>

#include <set>

#include "consensus/poa/poa_test_util.h"

namespace hlsim::testing {
namespace {

constexpr TimeNs kLat = kNsPerMs;

struct Counts {
  std::uint64_t committed = 0;  // blocks, the same on every node
  std::uint64_t sealed = 0;
};

Counts run_steps(Cluster& c, const PoaParams& p, std::uint64_t steps, std::uint64_t txs) {
  HashSet ids;
  for (std::uint64_t i = 0; i < txs; ++i) {
    const TxRef tx = c.make_tx(static_cast<ClientId>(i % 3), i);
    ids.insert(tx->id);
    c.submit(0, tx);
  }
  // Every block of steps 1..K has reached everyone one link after step K begins.
  c.run_until(static_cast<TimeNs>(steps) * p.step_duration_ns + kLat);
  EXPECT_TRUE(all_committed(c, all_nodes(c), ids));
  Counts out;
  out.committed = c.chain(0).height();
  for (NodeId n = 0; n < c.size(); ++n) {
    EXPECT_EQ(c.chain(n).height(), out.committed) << n;
    out.sealed += poa(c, n).blocks_sealed();
  }
  EXPECT_TRUE(c.chains_identical());
  return out;
}

TEST(PoaFormula, OneBroadcastPerBlockWithMajorityFinality) {
  for (std::uint32_t n : {4u, 7u, 10u, 16u}) {
    SCOPED_TRACE("n=" + std::to_string(n));
    PoaParams p;  // 5 s steps, majority finality, empty blocks sealed
    auto c = make_poa_cluster(n, 3, p);
    c->start();
    const std::uint64_t k = 2 * n + 5;
    const Counts got = run_steps(*c, p, k, 50);
    const std::uint64_t lag = n / 2;
    EXPECT_EQ(got.sealed, k);  // one block per step, none skipped
    EXPECT_EQ(got.committed, k - lag);
    EXPECT_EQ(c->sent(kBlockType), (n - 1) * (got.committed + lag));
    EXPECT_EQ(c->sent(kGossipType), n - 1);  // 50 transactions: one batch
    EXPECT_EQ(c->sent(kFetchType), 0u);
    EXPECT_EQ(c->sent(kFetchReplyType), 0u);
    EXPECT_TRUE(c->reorgs().empty());
    expect_safe(*c);
  }
}

TEST(PoaFormula, OneBroadcastPerBlockWithConfirmationFinality) {
  for (std::uint32_t n : {4u, 7u, 10u, 16u}) {
    SCOPED_TRACE("n=" + std::to_string(n));
    PoaParams p;
    p.finality = PoaFinality::kConfirmations;
    p.confirmations = 5;
    p.max_block_tx = 7;  // 40 transactions: 6 non-empty blocks, the rest empty
    auto c = make_poa_cluster(n, 4, p);
    c->start();
    const std::uint64_t k = 30;
    const Counts got = run_steps(*c, p, k, 40);
    EXPECT_EQ(got.committed, k - p.confirmations);
    EXPECT_EQ(c->sent(kBlockType), (n - 1) * (got.committed + p.confirmations));
    EXPECT_EQ(c->sent(kGossipType), n - 1);
    EXPECT_EQ(c->sent(kFetchType) + c->sent(kFetchReplyType), 0u);
    std::uint64_t full = 0;
    for (const BlockRef& b : c->chain(0).blocks()) full += b->txs.size() == 7 ? 1 : 0;
    EXPECT_EQ(full, 5u);
    expect_safe(*c);
  }
}

TEST(PoaFormula, GossipIsOneBatchPerIntervalPerGateway) {
  PoaParams p;
  p.seal_empty = false;  // no empty blocks: only the batches' transactions make blocks
  auto c = make_poa_cluster(4, 5, p);
  c->start();
  // Three gateways, each with transactions spread over two gossip intervals (0-99 ms and
  // 100-199 ms): two batches each.
  std::uint64_t nonce = 0;
  for (NodeId g : {0u, 1u, 3u}) {
    for (TimeNs t : {0 * kNsPerMs, 50 * kNsPerMs, 150 * kNsPerMs}) {
      c->submit_at(t, g, c->make_tx(g, nonce++));
    }
  }
  c->run_until(4 * kNsPerSec);
  EXPECT_EQ(c->sent(kGossipType), 3u * 2u * 3u);
  EXPECT_EQ(c->sent(kBlockType), 0u);  // nothing sealed before step 1
  // Step 1's primary seals all nine at once; with nothing pending afterwards, steps are skipped.
  c->run_until(8 * kNsPerSec);
  EXPECT_EQ(c->sent(kBlockType), 3u);
  for (NodeId n = 0; n < 4; ++n) EXPECT_EQ(poa(*c, n).best_height(), 1u);
  expect_safe(*c);
}

// A transaction submitted at t0 is gossiped at t0 + 100 ms (arriving a link later), sealed by
// the primary of the next step at S, and final once the block `lag` heights above it exists: at
// S + lag * step on the node that seals that block, one link later elsewhere. Latency is
// "confirmations x step" (plus the wait for the next step and one network delay).
void expect_latency(std::uint32_t n, PoaFinality finality, std::uint32_t confirmations,
                    std::uint64_t lag) {
  SCOPED_TRACE("n=" + std::to_string(n) + " " + to_string(finality) + " " +
               std::to_string(confirmations));
  PoaParams p;
  p.finality = finality;
  p.confirmations = confirmations;
  const TimeNs step = p.step_duration_ns;
  auto c = make_poa_cluster(n, 6, p);
  c->start();
  const TimeNs t0 = 2 * step + 1 * kNsPerSec;  // mid step 2
  c->run_until(t0);
  const TxRef tx = c->make_tx(1, 0);
  c->submit(1, tx);
  const std::uint64_t sealed_step = 3;  // the next step (gossip arrives at t0 + 101 ms)
  const TimeNs sealed_at = static_cast<TimeNs>(sealed_step) * step;
  c->run_until(sealed_at + static_cast<TimeNs>(lag + 2) * step);
  const NodeId confirmer = static_cast<NodeId>((sealed_step + lag) % n);
  std::size_t seen = 0;
  for (const CommitRecord& r : c->commits()) {
    const bool has = std::any_of(r.block->txs.begin(), r.block->txs.end(),
                                 [&](const TxRef& t) { return t->id == tx->id; });
    if (!has) continue;
    ++seen;
    EXPECT_EQ(r.block->header.epoch, sealed_step);
    const TimeNs expected =
        sealed_at + static_cast<TimeNs>(lag) * step + (r.node == confirmer ? 0 : kLat);
    EXPECT_EQ(r.time_ns, expected) << "node " << r.node;
  }
  EXPECT_EQ(seen, n);
  expect_safe(*c);
}

TEST(PoaFormula, LatencyIsConfirmationsTimesTheStep) {
  expect_latency(4, PoaFinality::kConfirmations, 1, 1);
  expect_latency(4, PoaFinality::kConfirmations, 3, 3);
  expect_latency(7, PoaFinality::kConfirmations, 6, 6);
  expect_latency(4, PoaFinality::kConfirmations, 12, 12);
}

TEST(PoaFormula, MajorityLatencyIsHalfTheAuthoritiesTimesTheStep) {
  expect_latency(4, PoaFinality::kMajority, 1, 2);
  expect_latency(7, PoaFinality::kMajority, 1, 3);
  expect_latency(10, PoaFinality::kMajority, 1, 5);
}

}  // namespace
}  // namespace hlsim::testing
