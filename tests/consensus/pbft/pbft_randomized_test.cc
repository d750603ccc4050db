// Randomised crash-fault runs in the style of deterministic simulation testing: each seed picks
// the cluster size, jitter, message loss, crashes (of at most f replicas at a time), restarts
// with or without the stored chain, and isolated replicas for a faulty phase, then heals
// everything for a liveness phase. Safety is checked throughout by the harness; at the end every
// replica must hold the same chain and every transaction of the liveness phase. A failure names
// the seed that reproduces it.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "consensus/pbft/pbft_test_util.h"

namespace hlsim::testing {
namespace {

void run_seed(std::uint64_t seed) {
  SCOPED_TRACE("reproduce with seed=" + std::to_string(seed));
  Rng setup = Rng::stream(seed, RngDomain::kScenario, 0);
  const std::uint32_t n = std::vector<std::uint32_t>{4, 5, 7}[setup.next_below(3)];
  const std::uint32_t f = (n - 1) / 3;
  PbftParams params;
  params.view_change_timeout_ns = 300 * kNsPerMs;
  params.batch_timeout_ns = 20 * kNsPerMs;
  params.max_block_tx = static_cast<std::uint32_t>(2 + setup.next_below(8));
  params.checkpoint_interval = static_cast<std::uint32_t>(2 + setup.next_below(6));
  params.log_window = params.checkpoint_interval * 2;
  params.max_inflight_blocks = static_cast<std::uint32_t>(1 + setup.next_below(4));
  params.max_fetch_blocks = static_cast<std::uint32_t>(1 + setup.next_below(8));
  params.fetch_retry_ns = 50 * kNsPerMs;
  auto c = make_pbft_cluster(n, seed, params, kNsPerMs,
                             static_cast<TimeNs>(setup.next_below(3)) * kNsPerMs);
  const double loss = static_cast<double>(setup.next_below(4)) / 100.0;
  Rng loss_rng = Rng::stream(seed, RngDomain::kNetwork, 1);
  c->set_drop_filter([&](const Envelope&) { return loss_rng.bernoulli(loss); });
  c->start();

  std::uint64_t nonce = 0;
  std::set<NodeId> down;
  std::set<NodeId> isolated;
  for (TimeNs t = 0; t < 3 * kNsPerSec; t += 25 * kNsPerMs) {
    c->run_until(t);
    const std::uint64_t action = setup.next_below(100);
    const auto pick = static_cast<NodeId>(setup.next_below(n));
    if (action < 3 && !down.contains(pick) && down.size() + isolated.size() < f) {
      c->crash(pick);
      down.insert(pick);
    } else if (action < 8 && down.contains(pick)) {
      c->restart(pick, setup.next_below(2) == 0);
      down.erase(pick);
    } else if (action < 10 && isolated.empty() && down.size() < f && !down.contains(pick)) {
      c->isolate(pick);
      isolated.insert(pick);
    } else if (action < 14 && !isolated.empty()) {
      c->heal();
      isolated.clear();
    }
    if (setup.next_below(6) == 0) {
      const auto to = static_cast<NodeId>(setup.next_below(n));
      c->submit(to, c->make_tx(1, nonce++));
    }
  }
  // Liveness phase: everything heals.
  c->set_drop_filter(nullptr);
  c->heal();
  for (NodeId d : down) c->restart(d, setup.next_below(2) == 0);
  std::vector<Hash256> must;
  for (int i = 0; i < 10; ++i) {
    const TxRef tx = c->make_tx(2, nonce++);
    must.push_back(tx->id);
    c->submit_at(c->now() + static_cast<TimeNs>(i) * 10 * kNsPerMs,
                 static_cast<NodeId>(setup.next_below(n)), tx);
  }
  const bool done = c->run_until(
      [&] {
        for (NodeId i = 0; i < n; ++i) {
          const std::vector<Hash256> ids = c->committed_tx_ids(i);
          const std::set<Hash256> got(ids.begin(), ids.end());
          for (const Hash256& id : must) {
            if (!got.contains(id)) return false;
          }
          if (c->chain(i).height() != c->chain(0).height()) return false;
        }
        return true;
      },
      c->now() + 120 * kNsPerSec);
  expect_safe(*c);
  ASSERT_TRUE(done) << "n=" << n << " height " << c->chain(0).height() << " view "
                    << pbft(*c, 0).view();
}

TEST(PbftRandomized, CrashesRestartsPartitionsAndLossThenLiveness) {
  for (std::uint64_t seed = 1; seed <= 16; ++seed) {
    run_seed(seed);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace hlsim::testing
