// Determinism (DESIGN.md invariant 1): a seed reproduces a HotStuff run exactly, with jitter, a
// crashed leader, a restart that lost its storage and an equivocating validator; another seed
// (other jitter draws) does not.
#include <gtest/gtest.h>

#include <vector>

#include "consensus/hotstuff/hotstuff_test_util.h"

namespace hlsim::testing {
namespace {

struct Transcript {
  std::vector<CommitRecord> commits;
  std::vector<LeaderNote> leaders;
  std::uint64_t messages = 0;
};

Transcript run(std::uint64_t seed) {
  HotStuffClusterOptions o;
  o.nodes = 7;
  o.seed = seed;
  o.jitter_ns = 2 * kNsPerMs;
  o.byzantine[5] = Behavior::kEquivocate;
  auto c = make_hotstuff_cluster(o);
  c->start();
  Rng rng(seed);
  for (std::uint64_t i = 0; i < 120; ++i) {
    const auto to = static_cast<NodeId>(rng.next_below(5));  // honest gateways 0..4
    c->submit_at(static_cast<TimeNs>(i) * 7 * kNsPerMs, to,
                 c->make_tx(static_cast<ClientId>(to), i));
  }
  c->run_until(300 * kNsPerMs);
  const NodeId leader = hs(*c, 0).leader_of(hs(*c, 0).epoch());
  c->crash(leader);
  c->run_until(600 * kNsPerMs);
  c->restart(leader, /*storage_lost=*/true);
  c->run_until(4 * kNsPerSec);
  EXPECT_TRUE(c->violations().empty());
  return {c->commits(), c->leader_notes(), total_sent(*c)};
}

TEST(HotStuffDeterminism, SameSeedGivesTheSameCommitTranscript) {
  const Transcript a = run(77);
  const Transcript b = run(77);
  ASSERT_FALSE(a.commits.empty());
  EXPECT_EQ(a.commits, b.commits);
  EXPECT_EQ(a.messages, b.messages);
  ASSERT_EQ(a.leaders.size(), b.leaders.size());
  for (std::size_t i = 0; i < a.leaders.size(); ++i) {
    EXPECT_EQ(a.leaders[i].time_ns, b.leaders[i].time_ns);
    EXPECT_EQ(a.leaders[i].leader, b.leaders[i].leader);
    EXPECT_EQ(a.leaders[i].epoch, b.leaders[i].epoch);
  }
}

TEST(HotStuffDeterminism, DifferentSeedGivesADifferentRun) {
  const Transcript a = run(77);
  const Transcript b = run(78);
  ASSERT_FALSE(a.commits.empty());
  ASSERT_FALSE(b.commits.empty());
  EXPECT_FALSE(a.commits == b.commits);
}

}  // namespace
}  // namespace hlsim::testing
