// Determinism (DESIGN.md invariant 1): a seed reproduces a Raft run exactly; another seed does not.
#include <gtest/gtest.h>

#include <vector>

#include "consensus/raft/raft_test_util.h"

namespace hlsim::testing {
namespace {

struct Transcript {
  std::vector<CommitRecord> commits;
  std::vector<LeaderNote> leaders;
};

// Five nodes, 300 transactions to pseudo-random nodes, the first leader crashed at 500 ms and
// restarted at 1.2 s.
Transcript run(std::uint64_t seed) {
  auto c = make_raft_cluster(5, seed);
  c->start();
  Rng rng(seed);
  for (std::uint64_t i = 0; i < 300; ++i) {
    c->submit_at(static_cast<TimeNs>(i) * 3 * kNsPerMs, static_cast<NodeId>(rng.next_below(5)),
                 c->make_tx(static_cast<ClientId>(i % 5), i));
  }
  c->run_until(500 * kNsPerMs);
  const NodeId first = c->leader().value_or(0);
  c->crash(first);
  c->run_until(1200 * kNsPerMs);
  c->restart(first);
  c->run_until(3 * kNsPerSec);
  EXPECT_TRUE(c->violations().empty());
  return {c->commits(), c->leader_notes()};
}

TEST(RaftDeterminism, SameSeedGivesTheSameCommitTranscript) {
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
}

TEST(RaftDeterminism, DifferentSeedGivesDifferentElectionTiming) {
  const Transcript a = run(77);
  const Transcript b = run(78);
  ASSERT_FALSE(a.leaders.empty());
  ASSERT_FALSE(b.leaders.empty());
  EXPECT_NE(a.leaders.front().time_ns, b.leaders.front().time_ns);
}

}  // namespace
}  // namespace hlsim::testing
