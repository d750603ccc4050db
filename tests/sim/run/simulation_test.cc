// End-to-end runs through the real stack: kernel, network, nodes, Raft, the EHR workload, real
// Ed25519 signatures and the metrics observer.
#include "sim/run/simulation.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <atomic>

#include "ledger/transaction.h"
#include "sim/results/summary.h"

namespace hlsim {
namespace {

const std::string kDataDir = HLSIM_SOURCE_DIR;

Scenario scenario(const std::string& yaml, std::vector<Override> overrides = {}) {
  auto sc = load_scenario_text(yaml, "test.yaml", overrides, kDataDir, kDataDir);
  if (!sc.ok()) ADD_FAILURE() << sc.error().message;
  return sc.value();
}

const char* kSmall =
    "seed: 11\nduration_s: 10\ndrain_s: 3\n"
    "consensus: {protocol: raft, nodes: 4}\n"
    "workload: {kind: ehr, clients: 8, rate_tps: 200}\n"
    "network: {topology: full_mesh, latency_ms: 2, jitter: {dist: exponential, mean_ms: 0.3}}\n";

struct Ran {
  std::unique_ptr<Simulation> sim;
  RunOutcome outcome;
};

Ran run(const Scenario& sc, const std::atomic<bool>* interrupt = nullptr) {
  auto sim = Simulation::create(sc);
  EXPECT_TRUE(sim.ok()) << (sim.ok() ? "" : sim.error().message);
  Ran r{std::move(sim.value()), {}};
  r.outcome = r.sim->run(interrupt, nullptr);
  return r;
}

TEST(SimulationTest, SmallRaftRunCommitsEverythingSubmittedWithoutViolations) {
  Ran r = run(scenario(kSmall));
  ASSERT_TRUE(r.outcome.complete) << r.outcome.stop_reason;
  const RunSummary s = summarize(*r.sim, r.outcome);
  EXPECT_TRUE(s.violations.empty());
  EXPECT_GT(s.submitted, 1500u);  // ≈ 200 tx/s for 10 s
  EXPECT_LT(s.submitted, 2500u);
  EXPECT_EQ(s.pending, 0u) << "the 3 s drain must be enough at this load";
  EXPECT_EQ(s.committed, s.submitted);
  EXPECT_GT(s.denied, 0u);           // the EHR contract denies some access requests
  EXPECT_GT(s.latency.p50_ms, 2.0);  // at least a client hop and a replication round trip
  EXPECT_LT(s.latency.p99_ms, 200.0);
  // Every validator holds the same chain.
  const Height h = r.sim->nodes()[0]->chain().height();
  EXPECT_GT(h, 10u);
  for (const auto& node : r.sim->nodes()) {
    ASSERT_EQ(node->chain().height(), h);
    EXPECT_EQ(node->chain().head_hash(), r.sim->nodes()[0]->chain().head_hash());
  }
}

TEST(SimulationTest, EveryCommittedTransactionCarriesAValidSignature) {
  Ran r = run(scenario(kSmall, {{"workload.forged_fraction", "0.2"}}));
  const RunSummary s = summarize(*r.sim, r.outcome);
  EXPECT_TRUE(s.violations.empty());
  // About a fifth are forged; each is rejected at its gateway and never ordered.
  EXPECT_GT(s.rejected, s.submitted / 10);
  EXPECT_LT(s.rejected, s.submitted * 3 / 10);
  EXPECT_EQ(s.committed + s.rejected, s.submitted);
  std::uint64_t rejected_at_gateways = 0;
  for (const auto& node : r.sim->nodes()) {
    rejected_at_gateways += node->counters().client_txs_rejected;
    for (const auto& block : node->chain().blocks()) {
      for (const auto& tx : block->txs) ASSERT_TRUE(verify_tx(*tx));
    }
  }
  EXPECT_EQ(rejected_at_gateways, s.rejected);
}

std::string digest(const Simulation& sim) {
  std::string d;
  for (const TxRecord& t : sim.metrics().txs()) {
    d += t.id.hex() + std::to_string(t.submit_ns) + ":" + std::to_string(t.commit_ns()) + ":" +
         to_string(t.status) + ";";
  }
  for (const BlockRecord& b : sim.metrics().blocks()) {
    d += b.hash.hex() + std::to_string(b.first_commit_ns) + ";";
  }
  for (const auto& n : sim.nodes()) d += std::to_string(n->cpu().busy_ns()) + ",";
  return d;
}

TEST(SimulationTest, OneThreadAndTwoThreadsGiveIdenticalResults) {
  std::string one, two;
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    Ran r = run(scenario(kSmall, {{"workload.forged_fraction", "0.1"}}));
    one = digest(*r.sim);
  }
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
    Ran r = run(scenario(kSmall, {{"workload.forged_fraction", "0.1"}}));
    two = digest(*r.sim);
  }
  EXPECT_FALSE(one.empty());
  EXPECT_EQ(one, two);
}

TEST(SimulationTest, SameSeedGivesIdenticalResultsAndAnotherSeedDoesNot) {
  Ran a = run(scenario(kSmall));
  Ran b = run(scenario(kSmall));
  Ran c = run(scenario(kSmall, {{"seed", "12"}}));
  EXPECT_EQ(a.outcome.events, b.outcome.events);
  EXPECT_EQ(digest(*a.sim), digest(*b.sim));
  EXPECT_NE(digest(*a.sim), digest(*c.sim));
}

TEST(SimulationTest, RaftLeaderCrashElectsANewLeaderAndLosesNothingCommitted) {
  Ran r = run(scenario(std::string(kSmall) + "faults:\n  - {at_s: 4, crash: leader}\n"
                                             "  - {at_s: 7, restart: crashed}\n"));
  ASSERT_TRUE(r.outcome.complete) << r.outcome.stop_reason;
  const RunSummary s = summarize(*r.sim, r.outcome);
  EXPECT_TRUE(s.violations.empty()) << s.violations.front();
  EXPECT_GE(s.leader_changes, 2u);
  // Commits continue after the crash: some block was first committed after 5 s in a term later
  // than the first leader's.
  const auto& leaders = r.sim->metrics().leaders();
  ASSERT_GE(leaders.size(), 2u);
  bool later_term_commit = false;
  for (const BlockRecord& b : r.sim->metrics().blocks()) {
    if (b.first_commit_ns > 5 * kNsPerSec && b.epoch > leaders.front().epoch) {
      later_term_commit = true;
    }
  }
  EXPECT_TRUE(later_term_commit);
  // The restarted node caught up to the same chain.
  const auto& n0 = *r.sim->nodes()[0];
  for (const auto& node : r.sim->nodes()) {
    EXPECT_EQ(node->chain().height(), n0.chain().height());
    EXPECT_EQ(node->chain().head_hash(), n0.chain().head_hash());
  }
  // Every transaction a live validator accepted was committed. Only those sent to the crashed
  // leader are missing: lost when they arrived while it was down, or pending when it accepted
  // them just before crashing (its unreplicated queue died with it).
  const NodeId crashed = leaders.front().leader;
  for (const TxRecord& t : r.sim->metrics().txs()) {
    if (t.status == TxStatus::kPending || t.status == TxStatus::kLost) {
      EXPECT_EQ(t.gateway, crashed) << "tx submitted at " << t.submit_ns;
    }
  }
  EXPECT_LT(s.pending, 20u);
}

TEST(SimulationTest, InterruptStopsTheRunAndMarksItIncomplete) {
  std::atomic<bool> stop{true};
  Ran r = run(scenario(kSmall), &stop);
  EXPECT_FALSE(r.outcome.complete);
  EXPECT_EQ(r.outcome.stop_reason, "interrupted");
  EXPECT_LT(r.outcome.end_ns, 13 * kNsPerSec);
}

TEST(SimulationTest, SlowerHardwareRaisesLatency) {
  Ran fast = run(scenario(kSmall));
  Ran slow = run(scenario(kSmall, {{"nodes.profile", "slow-edge"}, {"nodes.cores", "1"}}));
  const RunSummary f = summarize(*fast.sim, fast.outcome);
  const RunSummary s = summarize(*slow.sim, slow.outcome);
  EXPECT_GT(s.latency.p50_ms, f.latency.p50_ms);
  EXPECT_GT(slow.sim->nodes()[0]->cpu().busy_ns(), fast.sim->nodes()[0]->cpu().busy_ns());
}

TEST(SimulationTest, NothingSubmittedIsExplained) {
  Ran r = run(scenario(kSmall, {{"workload.rate_tps", "0"}}));
  const RunSummary s = summarize(*r.sim, r.outcome);
  EXPECT_EQ(s.submitted, 0u);
  ASSERT_FALSE(s.notes.empty());
  EXPECT_NE(s.notes.front().find("rate_tps is 0"), std::string::npos);
}

}  // namespace
}  // namespace hlsim
