// Determinism (DESIGN.md invariant 1): a seed reproduces a PoA run exactly — commits, leader
// notes and reorganisations — even with jitter, an equivocating authority and a restart that
// lost its storage; another seed gives different blocks.
#include <gtest/gtest.h>

#include <vector>

#include "consensus/poa/poa_test_util.h"

namespace hlsim::testing {
namespace {

struct Transcript {
  std::vector<CommitRecord> commits;
  std::vector<LeaderNote> leaders;
  std::vector<ReorgNote> reorgs;
};

Transcript run(std::uint64_t seed) {
  PoaClusterOptions o;
  o.nodes = 5;
  o.seed = seed;
  o.params.step_duration_ns = 20 * kNsPerMs;
  o.params.mempool_gossip_ns = 5 * kNsPerMs;
  o.jitter_ns = 3 * kNsPerMs;
  o.byzantine[4] = Behavior::kEquivocate;
  auto c = make_poa_cluster(o);
  c->start();
  Rng rng(seed);
  for (std::uint64_t i = 0; i < 200; ++i) {
    c->submit_at(static_cast<TimeNs>(i) * 3 * kNsPerMs, static_cast<NodeId>(rng.next_below(4)),
                 c->make_tx(static_cast<ClientId>(i % 5), i));
  }
  c->run_until(300 * kNsPerMs);
  c->crash(1);
  c->run_until(500 * kNsPerMs);
  c->restart(1, /*storage_lost=*/true);
  c->run_until(1500 * kNsPerMs);
  EXPECT_TRUE(c->violations().empty());
  EXPECT_EQ(c->divergence({0, 1, 2, 3}), "");
  return {c->commits(), c->leader_notes(), c->reorgs()};
}

TEST(PoaDeterminism, SameSeedGivesTheSameTranscript) {
  const Transcript a = run(77);
  const Transcript b = run(77);
  ASSERT_FALSE(a.commits.empty());
  EXPECT_EQ(a.commits, b.commits);
  ASSERT_EQ(a.leaders.size(), b.leaders.size());
  for (std::size_t i = 0; i < a.leaders.size(); ++i) {
    EXPECT_EQ(a.leaders[i].time_ns, b.leaders[i].time_ns);
    EXPECT_EQ(a.leaders[i].leader, b.leaders[i].leader);
    EXPECT_EQ(a.leaders[i].epoch, b.leaders[i].epoch);
  }
  ASSERT_FALSE(a.reorgs.empty());
  ASSERT_EQ(a.reorgs.size(), b.reorgs.size());
  for (std::size_t i = 0; i < a.reorgs.size(); ++i) {
    EXPECT_EQ(a.reorgs[i].node, b.reorgs[i].node);
    EXPECT_EQ(a.reorgs[i].fork_height, b.reorgs[i].fork_height);
    EXPECT_EQ(a.reorgs[i].depth_blocks, b.reorgs[i].depth_blocks);
    EXPECT_EQ(a.reorgs[i].time_ns, b.reorgs[i].time_ns);
  }
}

TEST(PoaDeterminism, DifferentSeedGivesDifferentBlocks) {
  const Transcript a = run(77);
  const Transcript b = run(78);
  ASSERT_FALSE(a.commits.empty());
  ASSERT_FALSE(b.commits.empty());
  EXPECT_NE(a.commits.front().hash, b.commits.front().hash);
}

}  // namespace
}  // namespace hlsim::testing
