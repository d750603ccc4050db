// Faults: a crashed authority, a healed partition (fork, reorganisation and no violation with
// majority finality), the canary (a partition with one-confirmation finality commits different
// blocks on the two sides: the test can fail), and restarts with and without storage.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "consensus/poa/poa_test_util.h"

namespace hlsim::testing {
namespace {

constexpr TimeNs kLat = kNsPerMs;

// Submits `count` transactions to each node in `gateways`, one every 700 ms from `from`.
HashSet submit_spread(Cluster& c, const std::vector<NodeId>& gateways, TimeNs from, int count,
                      std::uint64_t& nonce) {
  HashSet ids;
  for (int i = 0; i < count; ++i) {
    for (NodeId g : gateways) {
      const TxRef tx = c.make_tx(g, nonce++);
      ids.insert(tx->id);
      c.submit_at(from + i * 700 * kNsPerMs, g, tx);
    }
  }
  return ids;
}

bool is_prefix_of(const std::vector<CommitRecord>& before, const Cluster& c, NodeId n) {
  for (const CommitRecord& r : before) {
    if (r.node != n) continue;
    if (c.chain(n).height() < r.height || c.chain(n).at(r.height)->hash != r.hash) return false;
  }
  return true;
}

// Wiki, Description: a primary that is down simply produces no block in its steps; the next
// primaries keep extending the chain and finality resumes with the live majority.
void crash_an_authority(std::uint32_t n, std::uint64_t seed) {
  SCOPED_TRACE("n=" + std::to_string(n));
  PoaParams p;
  const TimeNs step = p.step_duration_ns;
  auto c = make_poa_cluster(n, seed, p);
  c->start();
  std::uint64_t nonce = 0;
  std::vector<NodeId> live;
  const NodeId victim = 2;  // the primary of step 2n + 2, crashed at its start
  for (NodeId i = 0; i < n; ++i) {
    if (i != victim) live.push_back(i);
  }
  HashSet before_ids = submit_spread(*c, all_nodes(*c), 0, 4, nonce);
  const TimeNs crash_at = static_cast<TimeNs>(2 * n + 2) * step + kNsPerMs / 2;
  c->run_until(crash_at);
  ASSERT_TRUE(poa(*c, victim).is_leader());
  const std::vector<CommitRecord> before = c->commits();
  ASSERT_FALSE(before.empty());
  c->crash(victim);
  HashSet after_ids = submit_spread(*c, live, crash_at, 6, nonce);

  // The first commit after the crash: within floor(n/2) + 2 steps (floor(n/2) + 1 live blocks
  // are enough, with at most the victim's step skipped among them) plus a link.
  const std::size_t commits_before = c->commits().size();
  ASSERT_TRUE(c->run_until([&] { return c->commits().size() > commits_before; },
                           crash_at + 10 * static_cast<TimeNs>(n) * step));
  EXPECT_LE(c->now() - crash_at, static_cast<TimeNs>(n / 2 + 2) * step + kLat);

  c->run_until(crash_at + static_cast<TimeNs>(3 * n + 10) * step);
  for (NodeId i : live) EXPECT_TRUE(is_prefix_of(before, *c, i)) << "node " << i;
  after_ids.insert(before_ids.begin(), before_ids.end());
  // Everything submitted to the live nodes commits (the victim's own earlier ones were gossiped
  // before the crash, so they commit too).
  EXPECT_TRUE(all_committed(*c, live, after_ids));
  expect_safe(*c, live);
  // The victim's steps passed without blocks.
  for (const BlockRef& b : c->chain(live[0]).blocks()) {
    if (b->header.proposer == victim) {
      EXPECT_LT(b->header.timestamp_ns, crash_at);
    }
  }
}

TEST(PoaFault, CrashedAuthorityCostsItsStepsOnly) {
  crash_an_authority(4, 31);
  crash_an_authority(7, 32);
}

// A 2 | 2 partition of four authorities: each side keeps sealing in its own steps (Aura favours
// availability, De Angelis et al., ITASEC 2018), so the chain forks. With majority finality neither
// side can finalise anything (2 sealers are not more than n/2), so when the partition heals the
// shorter branch is abandoned without a violation, and its transactions are sealed again.
TEST(PoaFault, HealedPartitionForksReorganisesAndStaysSafeWithMajorityFinality) {
  PoaParams p;
  const TimeNs step = p.step_duration_ns;
  auto c = make_poa_cluster(4, 41, p);
  c->start();
  std::uint64_t nonce = 0;
  HashSet ids = submit_spread(*c, all_nodes(*c), 0, 2, nonce);
  c->run_until(8 * step + kNsPerMs / 2);
  const Height committed_before = c->chain(0).height();
  ASSERT_GT(committed_before, 0u);

  c->partition({{0, 1}, {2, 3}});
  HashSet more = submit_spread(*c, all_nodes(*c), c->now(), 8, nonce);
  ids.insert(more.begin(), more.end());
  c->run_until(c->now() + 20 * step);
  // Both sides kept sealing; nobody finalised during the partition beyond a block's lag.
  for (NodeId n = 0; n < 4; ++n) {
    EXPECT_GT(poa(*c, n).best_height(), committed_before + 5) << n;
    EXPECT_LE(c->chain(n).height(), committed_before + 2) << n;
  }
  EXPECT_NE(poa(*c, 0).best_head(), poa(*c, 2).best_head());
  EXPECT_TRUE(c->reorgs().empty());

  c->heal();
  c->run_until(c->now() + 12 * step);
  // One side switched branches (reported, with the depth of what it abandoned)...
  ASSERT_FALSE(c->reorgs().empty());
  std::uint32_t deepest = 0;
  for (const ReorgNote& r : c->reorgs()) deepest = std::max(deepest, r.depth_blocks);
  EXPECT_GE(deepest, 5u);
  EXPECT_GT(c->sent(kFetchType), 0u);
  // ...and every transaction of both sides is committed once, everywhere, on one chain.
  EXPECT_TRUE(all_committed(*c, all_nodes(*c), ids));
  expect_safe(*c);
  for (NodeId n = 0; n < 4; ++n) {
    EXPECT_EQ(c->committed_tx_ids(n).size(), ids.size()) << n;
  }
}

// The canary: the same partition with finality after a single confirmation. Each side
// finalises its own blocks (a block with one block on top), so the two sides commit different
// blocks at the same heights — the latency / safety trade-off made visible. The harness's
// divergence check catches it, proving these tests can fail; with majority finality (previous
// test) the same schedule is safe.
TEST(PoaFault, CanaryPartitionWithOneConfirmationDiverges) {
  int diverged = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    for (PoaFinality finality : {PoaFinality::kConfirmations, PoaFinality::kMajority}) {
      PoaParams p;
      p.finality = finality;
      p.confirmations = 1;
      PoaClusterOptions o;
      o.nodes = 4;
      o.seed = seed;
      o.params = p;
      o.jitter_ns = kLat;
      auto c = make_poa_cluster(o);
      c->start();
      c->run_until(3 * p.step_duration_ns + 2 * kNsPerMs);
      c->partition({{0, 1}, {2, 3}});
      c->run_until(c->now() + 10 * p.step_duration_ns);
      c->heal();
      c->run_until(c->now() + 10 * p.step_duration_ns);
      const std::string where = c->divergence();
      if (finality == PoaFinality::kMajority) {
        EXPECT_EQ(where, "") << "seed " << seed;
      } else if (!where.empty()) {
        ++diverged;
        // Each node's own chain is still a valid chain: the violation is between nodes.
        EXPECT_TRUE(c->violations().empty());
      }
    }
  }
  EXPECT_GE(diverged, 1);
}

// Sync after a restart that lost the storage: the node keeps only its last sealed step, fetches
// the chain from its peers page by page (max_fetch_blocks = 4, so the 20-odd blocks take
// several pages), commits it again from height 1, and seals again in its next steps.
TEST(PoaFault, RestartWithStorageLostCatchesUpAndSealsAgain) {
  PoaParams p;
  p.max_fetch_blocks = 4;
  const TimeNs step = p.step_duration_ns;
  auto c = make_poa_cluster(4, 51, p);
  c->start();
  std::uint64_t nonce = 0;
  HashSet ids = submit_spread(*c, all_nodes(*c), 0, 5, nonce);
  c->run_until(14 * step + 2 * kNsPerMs);
  const std::uint64_t sealed = poa(*c, 1).last_sealed_step();
  EXPECT_EQ(sealed, 13u);
  c->crash(1);
  HashSet more = submit_spread(*c, {0, 2, 3}, c->now(), 5, nonce);
  ids.insert(more.begin(), more.end());
  c->run_until(22 * step + kNsPerSec);
  c->restart(1, /*storage_lost=*/true);
  EXPECT_EQ(poa(*c, 1).last_sealed_step(), sealed);  // hard state
  EXPECT_TRUE(poa(*c, 1).catching_up());
  EXPECT_EQ(c->chain(1).height(), 0u);
  // One link out, one back: the forward pages arrive and attach within a few round trips.
  c->run_until(c->now() + 50 * kNsPerMs);
  EXPECT_FALSE(poa(*c, 1).catching_up());
  EXPECT_EQ(poa(*c, 1).best_head(), poa(*c, 0).best_head());
  EXPECT_EQ(c->chain(1).height(), c->chain(0).height());
  EXPECT_GT(c->sent(kFetchType), 3u);  // more than one page from each peer
  c->run_until(32 * step + 2 * kNsPerMs);
  EXPECT_EQ(poa(*c, 1).last_sealed_step(), 29u);
  EXPECT_TRUE(all_committed(*c, all_nodes(*c), ids));
  expect_safe(*c);
}

TEST(PoaFault, DurableRestartKeepsTheTreeAndFetchesWhatItMissed) {
  PoaParams p;
  const TimeNs step = p.step_duration_ns;
  auto c = make_poa_cluster(4, 52, p);
  c->start();
  c->run_until(9 * step + 2 * kNsPerMs);
  c->crash(3);
  c->run_until(15 * step + 2 * kNsPerMs);
  const Height kept = c->chain(3).height();
  c->restart(3, /*storage_lost=*/false);
  EXPECT_EQ(c->chain(3).height(), kept);
  EXPECT_EQ(poa(*c, 3).best_height(), 9u);  // its tree survived
  c->run_until(c->now() + 20 * kNsPerMs);
  EXPECT_EQ(poa(*c, 3).best_head(), poa(*c, 0).best_head());
  c->run_until(20 * step + 2 * kNsPerMs);
  EXPECT_TRUE(c->chains_identical());
  expect_safe(*c);
}

// Hard state: an authority that sealed its step, crashed and came back with nothing within the
// same step must not seal that step again (two blocks of one step would be equivocation). The
// control run shows the path is live: restarted within its step before it sealed, it does seal
// once caught up.
TEST(PoaFault, RestartWithinItsOwnStepNeverSealsTwice) {
  for (bool sealed_before_crash : {true, false}) {
    SCOPED_TRACE(sealed_before_crash ? "sealed, then crashed" : "crashed before its step");
    PoaParams p;
    const TimeNs step = p.step_duration_ns;
    auto c = make_poa_cluster(4, 53, p);
    std::map<std::uint64_t, HashSet> blocks_of_step;  // sealed by node 2
    c->set_send_observer([&](const Envelope& e) {
      if (auto b = block_in(e); b && b->header.proposer == 2) {
        blocks_of_step[b->header.epoch].insert(b->hash);
      }
    });
    c->start();
    const TimeNs own_step = 10 * step;  // step 10 belongs to authority 2
    c->run_until(sealed_before_crash ? own_step + kNsPerMs / 2 : own_step - kNsPerMs);
    c->crash(2);
    c->run_until(own_step + kNsPerSec);
    c->restart(2, /*storage_lost=*/true);
    c->run_until(own_step + 2 * kNsPerSec);
    EXPECT_FALSE(poa(*c, 2).catching_up());
    EXPECT_EQ(poa(*c, 2).last_sealed_step(), 10u);
    ASSERT_TRUE(blocks_of_step.contains(10));
    EXPECT_EQ(blocks_of_step[10].size(), 1u);
    c->run_until(20 * step);
    for (const auto& [s, hashes] : blocks_of_step) EXPECT_EQ(hashes.size(), 1u) << "step " << s;
    for (NodeId n = 0; n < 4; ++n) EXPECT_EQ(poa(*c, n).equivocations_seen(), 0u);
    expect_safe(*c);
  }
}

// While catching up the node does not seal: here every fetch-reply is lost, so it never catches
// up through sync; only a live block that attaches (impossible on an empty tree until the
// chain is fetched) would end it.
TEST(PoaFault, NoSealingWhileCatchingUp) {
  PoaParams p;
  const TimeNs step = p.step_duration_ns;
  auto c = make_poa_cluster(4, 54, p);
  c->start();
  c->run_until(6 * step + 2 * kNsPerMs);
  c->crash(0);
  c->run_until(6 * step + kNsPerSec);
  c->set_drop_filter([](const Envelope& e) { return is_type(e, PoaMessageType::kFetchReply); });
  c->restart(0, true);
  c->run_until(14 * step + 2 * kNsPerMs);  // steps 8 and 12 are node 0's
  EXPECT_TRUE(poa(*c, 0).catching_up());
  EXPECT_EQ(poa(*c, 0).last_sealed_step(), 4u);
  EXPECT_EQ(c->chain(0).height(), 0u);
  c->set_drop_filter(nullptr);
  c->run_until(22 * step + 2 * kNsPerMs);  // the next live block's fetch brings the chain
  EXPECT_FALSE(poa(*c, 0).catching_up());
  EXPECT_EQ(poa(*c, 0).last_sealed_step(), 20u);
  EXPECT_TRUE(c->chains_identical());
  expect_safe(*c);
}

// A node cut off for longer than a fetch page: the first block it hears after healing has an
// unknown parent; it fetches the range below it, and pages further down until the range
// attaches to its tree.
TEST(PoaFault, IsolatedNodePagesBackwardsToItsTree) {
  PoaParams p;
  p.max_fetch_blocks = 3;
  const TimeNs step = p.step_duration_ns;
  auto c = make_poa_cluster(4, 55, p);
  c->start();
  c->run_until(4 * step + 2 * kNsPerMs);
  c->isolate(3);
  c->run_until(20 * step + 2 * kNsPerMs);
  EXPECT_LT(poa(*c, 3).best_height(), poa(*c, 0).best_height());
  c->heal();
  c->run_until(22 * step + 2 * kNsPerMs);
  EXPECT_EQ(poa(*c, 3).best_head(), poa(*c, 0).best_head());
  EXPECT_GE(c->sent(kFetchType), 3u);
  EXPECT_FALSE(c->reorgs().empty());  // its own lonely blocks were abandoned
  c->run_until(26 * step + 2 * kNsPerMs);
  EXPECT_TRUE(c->chains_identical());
  expect_safe(*c);
}

}  // namespace
}  // namespace hlsim::testing

namespace hlsim::testing {
namespace {

// The responder's side of sync: a fetch gets the best chain's blocks (committed and tentative)
// from the asked height, at most one page, none above the head; an empty reply says "nothing
// there". The requester ignores replies whose blocks are tampered or at the wrong heights.
TEST(PoaSync, FetchRepliesServeOnePageOfTheBestChain) {
  PoaParams p;
  p.max_fetch_blocks = 4;
  auto c = make_poa_cluster(4, 56, p);
  c->start();
  c->run_until(9 * p.step_duration_ns + 2 * kNsPerMs);
  ASSERT_EQ(poa(*c, 0).best_height(), 9u);
  ASSERT_EQ(c->chain(0).height(), 7u);  // blocks 8 and 9 are tentative
  // The reply's blocks are views into the message body, so the message travels with them.
  struct Answer {
    Message msg;
    PoaFetchReply reply;
  };
  auto ask = [&](PoaFetch f) {
    c->inject(1, 0, encode_message(f));
    c->deliver([](const Envelope& e) { return is_type(e, PoaMessageType::kFetch); });
    std::vector<Envelope> replies;
    for (const Envelope& e : c->in_flight()) {
      if (is_type(e, PoaMessageType::kFetchReply)) replies.push_back(e);
    }
    c->drop([](const Envelope& e) { return is_type(e, PoaMessageType::kFetchReply); });
    EXPECT_EQ(replies.size(), 1u);
    Answer a{replies.at(0).msg, {}};
    a.reply = decode_poa_fetch_reply(a.msg.view()).value();
    return a;
  };
  const Answer first = ask(PoaFetch{6, 100});
  const PoaFetchReply& r = first.reply;
  ASSERT_EQ(r.blocks.size(), 4u);  // one page: 6, 7 (committed), 8, 9 (tentative)
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(Block::decode(r.blocks[i])->header.height, 6 + i);
  }
  EXPECT_EQ(Block::decode(r.blocks[3])->hash, poa(*c, 0).best_head());
  EXPECT_EQ(ask(PoaFetch{9, 9}).reply.blocks.size(), 1u);
  EXPECT_TRUE(ask(PoaFetch{10, 20}).reply.blocks.empty());
  EXPECT_TRUE(ask(PoaFetch{~Height{0} - 3, ~Height{0}}).reply.blocks.empty());
}

TEST(PoaSync, RepliesWithTamperedOrMisplacedBlocksAreIgnored) {
  PoaParams p;
  auto c = make_poa_cluster(4, 57, p);
  c->start();
  c->run_until(3 * p.step_duration_ns + 2 * kNsPerMs);
  c->isolate(3);
  c->run_until(6 * p.step_duration_ns + 2 * kNsPerMs);
  const Height before = poa(*c, 3).best_height();
  ASSERT_EQ(before, 3u);
  ASSERT_GE(c->chain(0).height(), 4u);
  const Bytes b4 = c->chain(0).at(4)->encode();
  c->heal();
  // Block 4 claimed to be at height 5: the whole reply is dropped.
  c->inject(0, 3, encode_message(PoaFetchReply{5, {b4}}));
  // Block 4 with one byte of its signature flipped: decode_block fails.
  Bytes tampered = b4;
  tampered[tampered.size() / 3] ^= 0x20;
  c->inject(0, 3, encode_message(PoaFetchReply{4, {tampered}}));
  c->deliver([](const Envelope& e) { return e.to == 3; });
  EXPECT_EQ(poa(*c, 3).best_height(), before);
  EXPECT_EQ(poa(*c, 3).blocks_rejected(), 2u);
  // The genuine block attaches.
  c->inject(0, 3, encode_message(PoaFetchReply{4, {b4}}));
  c->deliver([](const Envelope& e) { return e.to == 3; });
  EXPECT_EQ(poa(*c, 3).best_height(), before + 1);
  expect_safe(*c);
}

}  // namespace
}  // namespace hlsim::testing
