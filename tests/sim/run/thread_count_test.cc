// The host's thread count never changes a run: the same scenario created and run inside a TBB
// arena of one thread and of two gives identical results, for both signature schemes, under the
// every-node policy (so every block's transactions go through the parallel verification path on
// every node) — also with forgeries in the mix, whose rejection must not depend on scheduling.
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <string>
#include <vector>

#include "sim/results/summary.h"
#include "sim/run/run_fingerprint.h"
#include "sim/run/simulation.h"

namespace hlsim {
namespace {

using test_util::expect_same_run;
using test_util::run_fingerprint;

const std::string kDataDir = HLSIM_SOURCE_DIR;

const char* kScenario =
    "seed: 23\nduration_s: 3\ndrain_s: 2\n"
    // Blocks of about ten transactions, so block verification splits across threads.
    "consensus: {protocol: raft, nodes: 4, batch_timeout_ms: 50}\n"
    "workload: {kind: ehr, clients: 8, rate_tps: 200}\n"
    "network: {topology: full_mesh, latency_ms: 2, jitter: {dist: exponential, mean_ms: 0.3}}\n"
    "ledger: {verify: every-node}\n";

struct ArenaRun {
  std::vector<std::string> fingerprint;
  std::uint64_t real_checks = 0;
  std::uint64_t rejected = 0;
  Height height = 0;
  bool complete = false;
  std::size_t violations = 0;
};

ArenaRun run_in_arena(int threads, const std::vector<Override>& overrides) {
  auto sc = load_scenario_text(kScenario, "threads.yaml", overrides, kDataDir, kDataDir);
  EXPECT_TRUE(sc.ok()) << sc.error().message;
  ArenaRun out;
  tbb::task_arena arena(threads);
  EXPECT_EQ(arena.max_concurrency(), threads);
  arena.execute([&] {
    auto sim = Simulation::create(sc.value());
    ASSERT_TRUE(sim.ok()) << sim.error().message;
    const RunOutcome outcome = sim.value()->run(nullptr, nullptr);
    out.fingerprint = run_fingerprint(*sim.value(), outcome);
    out.real_checks = sim.value()->shared().verifier.real_checks();
    out.rejected = summarize(*sim.value(), outcome).rejected;
    out.height = sim.value()->nodes()[0]->chain().height();
    out.complete = outcome.complete;
    out.violations = sim.value()->safety().violations().size();
  });
  return out;
}

class ThreadCountTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ThreadCountTest, OneAndTwoThreadArenasGiveIdenticalRuns) {
  const std::vector<Override> overrides = {{"ledger.signature", GetParam()}};
  const ArenaRun one = run_in_arena(1, overrides);
  const ArenaRun two = run_in_arena(2, overrides);
  ASSERT_TRUE(one.complete);
  EXPECT_EQ(one.violations, 0u);
  EXPECT_GT(one.height, 5u);
  // every-node: each validator really checked each committed transaction, in parallel.
  EXPECT_GT(one.real_checks, 1000u);
  EXPECT_EQ(one.real_checks, two.real_checks);
  expect_same_run(one.fingerprint, two.fingerprint, std::string(GetParam()) + ": 1 vs 2 threads");
}

TEST_P(ThreadCountTest, ForgeriesAreRejectedTheSameWayWithOneAndTwoThreads) {
  const std::vector<Override> overrides = {{"ledger.signature", GetParam()},
                                           {"workload.forged_fraction", "0.05"}};
  const ArenaRun one = run_in_arena(1, overrides);
  const ArenaRun two = run_in_arena(2, overrides);
  ASSERT_TRUE(one.complete);
  EXPECT_EQ(one.violations, 0u);
  EXPECT_GT(one.rejected, 0u);
  expect_same_run(one.fingerprint, two.fingerprint,
                  std::string(GetParam()) + " forged: 1 vs 2 threads");
}

INSTANTIATE_TEST_SUITE_P(Schemes, ThreadCountTest, ::testing::Values("ed25519", "ecdsa-p256"),
                         [](const auto& p) {
                           return std::string(p.param) == "ed25519" ? "Ed25519" : "EcdsaP256";
                         });

}  // namespace
}  // namespace hlsim
