// Randomised fault runs in the style of deterministic simulation testing: each seed picks the
// cluster size, block limits, latency jitter (so messages overtake each other), message loss,
// crashes, restarts (with or without storage) and partitions for a faulty phase, then heals
// everything for a liveness phase. The checkers sit outside the replicas, in the harness and here;
// a failure names the seed that reproduces it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "consensus/hotstuff/hotstuff_test_util.h"

namespace hlsim::testing {
namespace {

void run_seed(std::uint64_t seed) {
  SCOPED_TRACE("reproduce with seed=" + std::to_string(seed));
  Rng setup = Rng::stream(seed, RngDomain::kScenario, 0);
  const auto nodes = static_cast<std::uint32_t>(4 + setup.next_below(4));
  HotStuffClusterOptions o;
  o.nodes = nodes;
  o.seed = seed;
  o.params.max_block_tx = static_cast<std::uint32_t>(1 + setup.next_below(20));
  o.params.fetch_max_blocks = static_cast<std::uint32_t>(1 + setup.next_below(8));
  o.params.view_timeout_ns = 200 * kNsPerMs;
  o.params.view_timeout_max_ns = 1600 * kNsPerMs;
  o.params.mempool_regossip_ns = 300 * kNsPerMs;
  o.params.fetch_retry_ns = 50 * kNsPerMs;
  o.jitter_ns = static_cast<TimeNs>(setup.next_below(4)) * kNsPerMs;
  auto c = make_hotstuff_cluster(o);
  const double loss = static_cast<double>(setup.next_below(15)) / 100.0;
  Rng loss_rng = Rng::stream(seed, RngDomain::kNetwork, 1);
  c->set_drop_filter([&](const Envelope&) { return loss_rng.bernoulli(loss); });
  bool timers_ok = true;
  c->set_after_job([&] {
    for (NodeId n = 0; n < nodes; ++n) {
      if (c->live_timers(n, HotStuff::kViewTimer) > 1 ||
          c->live_timers(n, HotStuff::kFetchTimer) > 1) {
        timers_ok = false;
      }
    }
  });

  c->start();
  std::vector<TimeNs> last_crash(nodes, -1);
  struct Accepted {
    Hash256 id;
    NodeId node;
    TimeNs at;
  };
  std::vector<Accepted> accepted;
  std::uint64_t nonce = 0;
  for (TimeNs t = 0; t < 3 * kNsPerSec; t += 50 * kNsPerMs) {
    c->run_until(t);
    const std::uint64_t action = setup.next_below(100);
    const auto pick = static_cast<NodeId>(setup.next_below(nodes));
    if (action < 4 && c->is_up(pick)) {
      c->crash(pick);
      last_crash[pick] = c->now();
    } else if (action < 12 && !c->is_up(pick)) {
      c->restart(pick, setup.bernoulli(0.5));
    } else if (action < 15) {
      std::vector<NodeId> side;
      for (NodeId n = 0; n < nodes; ++n) {
        if (setup.bernoulli(0.5)) side.push_back(n);
      }
      c->partition({side});
    } else if (action < 22) {
      c->heal();
    }
    for (std::uint64_t k = setup.next_below(4); k > 0; --k) {
      const auto target = static_cast<NodeId>(setup.next_below(nodes));
      const TxRef tx = c->make_tx(static_cast<ClientId>(target), nonce++);
      if (!c->is_up(target)) continue;
      c->submit(target, tx);
      accepted.push_back({tx->id, target, c->now()});
    }
  }

  // Liveness phase: everything healed and up, no loss. A transaction counts when the node that
  // accepted it did not crash afterwards (its mempool is volatile).
  c->heal();
  c->set_drop_filter(nullptr);
  for (NodeId n = 0; n < nodes; ++n) c->restart(n, false);
  std::set<Hash256> must_commit;
  for (const Accepted& a : accepted) {
    if (last_crash[a.node] < a.at) must_commit.insert(a.id);
  }
  const std::vector<NodeId> all = all_nodes(*c);
  const bool live =
      c->run_until([&] { return all_committed(*c, all, must_commit); }, c->now() + 30 * kNsPerSec);
  EXPECT_TRUE(c->violations().empty()) << c->violations().front();
  EXPECT_EQ(c->divergence(), "");
  EXPECT_TRUE(timers_ok);
  EXPECT_TRUE(live) << nodes << " nodes, loss " << loss << ", " << must_commit.size()
                    << " transactions must commit, node 0 committed "
                    << c->committed_tx_ids(0).size();
}

// The suite runs a slice of seeds; set HLSIM_HOTSTUFF_SEEDS to run more.
TEST(HotStuffRandomized, SafetyUnderFaultsAndLivenessAfterHealingForManySeeds) {
  std::uint64_t seeds = 20;
  if (const char* env = std::getenv("HLSIM_HOTSTUFF_SEEDS")) {
    seeds = std::strtoull(env, nullptr, 10);
  }
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    run_seed(seed);
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace hlsim::testing
