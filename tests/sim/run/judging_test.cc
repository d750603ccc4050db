// Raft under the observers that judge every protocol: the safety checker, the liveness monitor
// and the per-message-type accounting, through the whole simulator.
#include <gtest/gtest.h>

#include "sim/results/summary.h"
#include "sim/run/simulation.h"

namespace hlsim {
namespace {

const std::string kDataDir = HLSIM_SOURCE_DIR;

RunSummary run(const std::string& yaml) {
  auto sc = load_scenario_text(yaml, "test.yaml", {}, kDataDir, kDataDir);
  EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : sc.error().message);
  auto sim = Simulation::create(sc.value());
  EXPECT_TRUE(sim.ok()) << (sim.ok() ? "" : sim.error().message);
  const RunOutcome out = sim.value()->run(nullptr, nullptr);
  return summarize(*sim.value(), out);
}

const char* kBase =
    "seed: 5\nduration_s: 6\ndrain_s: 2\n"
    "workload: {kind: ehr, clients: 6, rate_tps: 150}\n"
    "network: {topology: full_mesh, latency_ms: 2}\n";

TEST(JudgingTest, RaftLeaderCrashIsRecoveredWithinAnElectionAndReported) {
  const RunSummary s = run(std::string(kBase) +
                           "consensus: {protocol: raft, nodes: 5}\n"
                           "faults: [{at_s: 2, crash: leader}, {at_s: 4, restart: crashed}]\n");
  EXPECT_TRUE(s.violations.empty());
  ASSERT_EQ(s.recoveries.size(), 2u);
  EXPECT_NE(s.recoveries[0].fault.find("crash node"), std::string::npos);
  // A new leader within one maximum election timeout (300 ms) plus a vote round and a batch.
  EXPECT_GT(s.recoveries[0].recovery_ms, 0);
  EXPECT_LT(s.recoveries[0].recovery_ms, 400);
  EXPECT_GE(s.recoveries[1].recovery_ms, 0);
  // The crash is the longest stall of the run.
  EXPECT_NEAR(s.longest_commit_gap_start_s, 2.0, 0.1);
  EXPECT_GE(s.leader_changes, 2u);
}

TEST(JudgingTest, RaftWithASilentMinorityStaysSafeAndLive) {
  const RunSummary s =
      run(std::string(kBase) +
          "consensus: {protocol: raft, nodes: 5}\nbyzantine: {nodes: {1: silent, 3: silent}}\n");
  EXPECT_TRUE(s.violations.empty());
  ASSERT_EQ(s.byzantine.size(), 2u);
  EXPECT_EQ(s.byzantine[0], "node 1: silent");
  EXPECT_GT(s.committed, 0u);
  EXPECT_LT(s.longest_commit_gap_ms, 500);
  // Transactions given to the silent gateways are never passed on.
  EXPECT_GT(s.pending, 0u);
}

TEST(JudgingTest, MessagesPerTypeAddUpToTheTotalAndAreReportedPerBlock) {
  const RunSummary s = run(std::string(kBase) + "consensus: {protocol: raft, nodes: 4}\n");
  ASSERT_GT(s.blocks, 0u);
  std::uint64_t msgs = 0;
  double per_block = 0;
  for (const MessageTypeSummary& t : s.message_types) {
    msgs += t.msgs;
    per_block += t.msgs_per_block;
    if (t.type == "append_entries") {
      EXPECT_EQ(t.role, "proposal");
    }
    if (t.type == "forward") {
      EXPECT_EQ(t.role, "other");
    }
  }
  EXPECT_EQ(msgs, s.msgs_total);
  EXPECT_NEAR(per_block, s.msgs_per_block, 1e-6);
  EXPECT_NEAR(s.msgs_per_block, static_cast<double>(s.msgs_total) / static_cast<double>(s.blocks),
              1e-9);
}

TEST(JudgingTest, SummaryJsonCarriesLivenessForksAndMessageTypes) {
  const RunSummary s = run(std::string(kBase) + "consensus: {protocol: raft, nodes: 3}\n");
  const std::string j = summary_json(s, false);
  for (const char* key : {"\"liveness\"", "\"longest_commit_gap_ms\"", "\"forks\"",
                          "\"message_types\"", "\"per_block\"", "\"byzantine\""}) {
    EXPECT_NE(j.find(key), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace hlsim
