// PBFT under f Byzantine replicas (every behaviour of consensus/behavior.h), with jittered
// latency so messages overtake each other: no safety violation, no divergence among the honest
// replicas, and every transaction submitted to an honest replica ends up committed at every
// honest replica (liveness, §4.5.2: the view changes eventually reach an honest primary).
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "consensus/pbft/pbft_test_util.h"

namespace hlsim::testing {
namespace {

PbftParams byzantine_params() {
  PbftParams p;
  p.view_change_timeout_ns = 400 * kNsPerMs;
  p.batch_timeout_ns = 40 * kNsPerMs;
  p.max_block_tx = 8;
  p.checkpoint_interval = 8;
  p.log_window = 16;
  p.max_inflight_blocks = 3;
  p.fetch_retry_ns = 50 * kNsPerMs;
  return p;
}

struct Outcome {
  bool progress = false;
  std::string failure;
};

// One run: `byzantine` behave as `behavior`; 20 transactions go to honest replicas over the first
// 300 ms; the run ends when every honest replica has committed all of them (or at a deadline).
void run_seed(std::uint32_t n, std::uint64_t seed, const std::set<NodeId>& byzantine,
              Behavior behavior, std::optional<NodeId> amnesiac = std::nullopt) {
  SCOPED_TRACE("n=" + std::to_string(n) + " seed=" + std::to_string(seed) +
               " behavior=" + to_string(behavior));
  constexpr TimeNs kL = kNsPerMs;
  auto c = make_byzantine_cluster(n, seed, byzantine, behavior, byzantine_params(), kL, kL);
  c->start();
  const std::vector<NodeId> honest = all_but(n, byzantine);
  Rng rng = Rng::stream(seed, RngDomain::kScenario, 7);
  std::vector<Hash256> submitted;
  for (std::uint64_t i = 0; i < 20; ++i) {
    const TxRef tx = c->make_tx(static_cast<ClientId>(i % 5), i, 32 + rng.next_below(200));
    submitted.push_back(tx->id);
    NodeId to = honest[rng.next_below(honest.size())];
    if (amnesiac && to == *amnesiac) to = honest[0] == to ? honest[1] : honest[0];
    c->submit_at(static_cast<TimeNs>(rng.next_below(300)) * kNsPerMs, to, tx);
  }
  auto done = [&] {
    for (NodeId h : honest) {
      if (c->committed_tx_ids(h).size() < submitted.size()) return false;
    }
    return true;
  };
  if (amnesiac) {
    // An honest replica crashes mid-run and comes back without its storage: one more fault, so
    // only where f allows it (n = 7, f = 2).
    c->run_until(150 * kNsPerMs);
    c->crash(*amnesiac);
    c->run_until(250 * kNsPerMs);
    c->restart(*amnesiac, /*storage_lost=*/true);
  }
  const bool finished = c->run_until(done, 60 * kNsPerSec);
  EXPECT_TRUE(c->violations().empty()) << c->violations().front();
  EXPECT_EQ(c->divergence(honest), "");
  ASSERT_TRUE(finished) << "honest replicas did not commit every transaction; heights "
                        << c->chain(honest[0]).height() << " view " << pbft(*c, honest[0]).view();
  for (NodeId h : honest) {
    const std::vector<Hash256> ids = c->committed_tx_ids(h);
    const std::set<Hash256> got(ids.begin(), ids.end());
    for (const Hash256& id : submitted) EXPECT_TRUE(got.contains(id)) << "node " << h;
  }
}

// f = 1 of 4: the Byzantine replica is the first primary in half the seeds, a backup otherwise.
void run_behavior(Behavior behavior, std::uint64_t seeds) {
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    const NodeId bad = seed % 2 == 0 ? 0 : static_cast<NodeId>(seed % 4);
    run_seed(4, seed, {bad}, behavior);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// f = 2 of 7, the first primary among them.
void run_behavior_7(Behavior behavior, std::uint64_t seeds) {
  for (std::uint64_t seed = 100; seed < 100 + seeds; ++seed) {
    run_seed(7, seed, {0, static_cast<NodeId>(1 + seed % 6)}, behavior);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(PbftByzantine, SilentReplicas) {
  run_behavior(Behavior::kSilent, 40);
  run_behavior_7(Behavior::kSilent, 3);
}

TEST(PbftByzantine, EquivocatingReplicas) {
  run_behavior(Behavior::kEquivocate, 40);
  run_behavior_7(Behavior::kEquivocate, 3);
}

TEST(PbftByzantine, VoteWithholdingReplicas) {
  run_behavior(Behavior::kWithholdVotes, 40);
  run_behavior_7(Behavior::kWithholdVotes, 3);
}

TEST(PbftByzantine, InvalidSignatureReplicas) {
  run_behavior(Behavior::kInvalidSignatures, 40);
  run_behavior_7(Behavior::kInvalidSignatures, 3);
}

TEST(PbftByzantine, DelayedProposals) {
  run_behavior(Behavior::kDelayProposals, 40);
  run_behavior_7(Behavior::kDelayProposals, 3);
}

TEST(PbftByzantine, ByzantineReplicaPlusAnHonestRestartWithStorageLost) {
  for (std::uint64_t seed = 300; seed < 303; ++seed) {
    for (Behavior b : {Behavior::kSilent, Behavior::kEquivocate}) {
      run_seed(7, seed, {0}, b, static_cast<NodeId>(1 + seed % 6));
      if (HasFatalFailure()) return;
    }
  }
}

}  // namespace
}  // namespace hlsim::testing
