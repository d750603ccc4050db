// Randomised fault runs in the style of deterministic simulation testing: each seed picks the
// cluster size, block and message limits, latency jitter (so messages overtake each other),
// message loss, crashes, restarts and partitions for a faulty phase, then heals everything for a
// liveness phase. The checkers sit outside the replicas, in the harness and here; a failure
// names the seed that reproduces it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "consensus/raft/raft_test_util.h"

namespace hlsim::testing {
namespace {

void run_seed(std::uint64_t seed) {
  SCOPED_TRACE("reproduce with seed=" + std::to_string(seed));
  Rng setup = Rng::stream(seed, RngDomain::kScenario, 0);
  const auto nodes = static_cast<std::uint32_t>(1 + setup.next_below(5));
  RaftParams params;
  params.max_block_tx = static_cast<std::uint32_t>(1 + setup.next_below(40));
  params.max_append_blocks = static_cast<std::uint32_t>(1 + setup.next_below(8));
  ClusterOptions options;
  options.nodes = nodes;
  options.seed = seed;
  options.latency_ns = kNsPerMs;
  options.jitter_ns = static_cast<TimeNs>(setup.next_below(5)) * kNsPerMs;
  Cluster c(options,
            [&](NodeId self, std::uint32_t n) { return std::make_unique<Raft>(params, self, n); });
  const double loss = static_cast<double>(setup.next_below(20)) / 100.0;
  Rng loss_rng = Rng::stream(seed, RngDomain::kNetwork, 1);
  c.set_drop_filter([&](const Envelope&) { return loss_rng.bernoulli(loss); });
  bool timers_ok = true;
  c.set_after_job([&] {
    for (NodeId n = 0; n < nodes; ++n) {
      if (c.live_timers(n, Raft::kElectionTimer) > 1) timers_ok = false;
    }
  });

  c.start();
  std::vector<TimeNs> last_crash(nodes, -1);
  struct Accepted {
    Hash256 id;
    NodeId node;
    TimeNs at;
  };
  std::vector<Accepted> accepted;
  std::uint64_t nonce = 0;
  for (TimeNs t = 0; t < 4 * kNsPerSec; t += 20 * kNsPerMs) {
    c.run_until(t);
    const std::uint64_t action = setup.next_below(100);
    const auto pick = static_cast<NodeId>(setup.next_below(nodes));
    if (action < 3 && c.is_up(pick)) {
      c.crash(pick);
      last_crash[pick] = c.now();
    } else if (action < 10 && !c.is_up(pick)) {
      c.restart(pick);
    } else if (action < 13) {
      std::vector<NodeId> side;
      for (NodeId n = 0; n < nodes; ++n) {
        if (setup.bernoulli(0.5)) side.push_back(n);
      }
      c.partition({side});
    } else if (action < 18) {
      c.heal();
    }
    for (std::uint64_t k = setup.next_below(4); k > 0; --k) {
      const auto target = static_cast<NodeId>(setup.next_below(nodes));
      const TxRef tx = c.make_tx(static_cast<ClientId>(target), nonce++);
      if (!c.is_up(target)) continue;
      c.submit(target, tx);
      accepted.push_back({tx->id, target, c.now()});
    }
  }

  // Liveness phase: everything healed and up, no loss.
  c.heal();
  c.set_drop_filter(nullptr);
  for (NodeId n = 0; n < nodes; ++n) c.restart(n);
  std::set<Hash256> must_commit;
  for (const Accepted& a : accepted) {
    if (last_crash[a.node] < a.at) must_commit.insert(a.id);
  }
  auto all_committed = [&] {
    if (!c.chains_identical()) return false;
    const std::vector<Hash256> ids = c.committed_tx_ids(0);
    const std::set<Hash256> got(ids.begin(), ids.end());
    for (const Hash256& id : must_commit) {
      if (!got.contains(id)) return false;
    }
    return true;
  };
  const bool live = c.run_until(all_committed, c.now() + 10 * kNsPerSec);

  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
  EXPECT_EQ(c.divergence(), "");
  EXPECT_TRUE(timers_ok);
  EXPECT_TRUE(live) << nodes << " nodes, loss " << loss << ", " << must_commit.size()
                    << " transactions must commit, node 0 committed "
                    << c.committed_tx_ids(0).size();
  std::map<std::uint64_t, std::set<NodeId>> leaders_by_term;
  for (const LeaderNote& note : c.leader_notes()) leaders_by_term[note.epoch].insert(note.leader);
  for (const auto& [term, leaders] : leaders_by_term) EXPECT_EQ(leaders.size(), 1u) << term;
}

// The suite runs a slice of seeds; set HLSIM_RAFT_SEEDS to run more.
TEST(RaftRandomized, SafetyUnderFaultsAndLivenessAfterHealingForManySeeds) {
  std::uint64_t seeds = 40;
  if (const char* env = std::getenv("HLSIM_RAFT_SEEDS")) seeds = std::strtoull(env, nullptr, 10);
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    run_seed(seed);
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace hlsim::testing
