// Determinism (DESIGN.md invariant 1): a seed reproduces a Tendermint run exactly, with jitter, a
// crash and a restart; another seed does not.
#include <gtest/gtest.h>

#include <vector>

#include "consensus/tendermint/tendermint_test_util.h"

namespace hlsim::testing {
namespace {

struct Transcript {
  std::vector<CommitRecord> commits;
  std::vector<LeaderNote> leaders;
  std::uint64_t prevotes = 0;
};

// Four validators with jittered links, 60 transactions to pseudo-random gateways, the proposer of
// the moment crashed at 2.5 s and restarted without its chain at 6 s.
Transcript run(std::uint64_t seed) {
  auto c = make_tm_cluster(TmClusterSpec{4, seed, kNsPerMs, kNsPerMs, {}, {}});
  c->start();
  Rng rng(seed);
  for (std::uint64_t i = 0; i < 60; ++i) {
    c->submit_at(static_cast<TimeNs>(i) * 100 * kNsPerMs, static_cast<NodeId>(rng.next_below(4)),
                 c->make_tx(static_cast<ClientId>(i % 5), i));
  }
  c->run_until(2500 * kNsPerMs);
  const NodeId first = c->leader().value_or(0);
  c->crash(first);
  c->run_until(6 * kNsPerSec);
  c->restart(first, /*storage_lost=*/true);
  c->run_until(12 * kNsPerSec);
  EXPECT_TRUE(c->violations().empty());
  return {c->commits(), c->leader_notes(), c->sent(type_of(TendermintMessageType::kPrevote))};
}

TEST(TendermintDeterminism, SameSeedGivesTheSameCommitTranscript) {
  const Transcript a = run(77);
  const Transcript b = run(77);
  ASSERT_FALSE(a.commits.empty());
  EXPECT_EQ(a.commits, b.commits);
  EXPECT_EQ(a.prevotes, b.prevotes);
  ASSERT_EQ(a.leaders.size(), b.leaders.size());
  for (std::size_t i = 0; i < a.leaders.size(); ++i) {
    EXPECT_EQ(a.leaders[i].time_ns, b.leaders[i].time_ns);
    EXPECT_EQ(a.leaders[i].leader, b.leaders[i].leader);
    EXPECT_EQ(a.leaders[i].epoch, b.leaders[i].epoch);
  }
}

TEST(TendermintDeterminism, DifferentSeedGivesADifferentRun) {
  const Transcript a = run(77);
  const Transcript b = run(78);
  ASSERT_FALSE(a.commits.empty());
  ASSERT_FALSE(b.commits.empty());
  // Different keys, so different block hashes (and jitter draws).
  EXPECT_NE(a.commits.front().hash, b.commits.front().hash);
}

}  // namespace
}  // namespace hlsim::testing
