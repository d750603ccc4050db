// Each fault condition through the whole simulator: a partition that isolates the leader forces
// a re-election (Raft) or a view change (PBFT) and loses nothing committed; degraded links raise
// latency; duplication and reordering are survived; a slow node's CPU works longer; clock drift
// stretches timeouts; and a run with faults is still a pure function of its scenario.
#include <gtest/gtest.h>

#include <string>

#include "sim/results/summary.h"
#include "sim/run/simulation.h"

namespace hlsim {
namespace {

const std::string kDataDir = HLSIM_SOURCE_DIR;

struct Ran {
  RunSummary summary;
  NetworkCounters net;
  std::vector<LeaderRecord> leaders;
  std::vector<Height> heights;
  std::vector<TimeBucket> buckets;
};

Ran run(const std::string& yaml) {
  auto sc = load_scenario_text(yaml, "test.yaml", {}, kDataDir, kDataDir);
  EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : sc.error().message);
  auto sim = Simulation::create(sc.value());
  EXPECT_TRUE(sim.ok()) << (sim.ok() ? "" : sim.error().message);
  const RunOutcome out = sim.value()->run(nullptr, nullptr);
  Ran r{summarize(*sim.value(), out),
        sim.value()->network_counters(),
        sim.value()->metrics().leaders(),
        {},
        time_buckets(*sim.value(), out.end_ns)};
  for (const auto& n : sim.value()->nodes()) r.heights.push_back(n->chain().height());
  return r;
}

std::string base(const std::string& protocol) {
  return "seed: 7\nduration_s: 8\ndrain_s: 3\n"
         "consensus: {protocol: " +
         protocol +
         ", nodes: 4}\n"
         "workload: {kind: ehr, clients: 8, rate_tps: 100}\n"
         "network: {topology: full_mesh, latency_ms: 5}\n";
}

// The leader at 2 s of a fault-free run of `protocol` (the same run up to the fault).
NodeId leader_at_two_seconds(const std::string& protocol) {
  const Ran r = run(base(protocol) + "faults: []\n");
  NodeId leader = kNoNode;
  for (const LeaderRecord& l : r.leaders) {
    if (l.time_ns <= 2 * kNsPerSec) leader = l.leader;
  }
  EXPECT_NE(leader, kNoNode);
  return leader;
}

// `until_s` leaves the protocol's timeouts room to act (Raft's election: 150-300 ms; PBFT's
// view change: 2 s of a request going unexecuted).
void expect_isolated_leader_replaced(const std::string& protocol, int until_s) {
  const NodeId leader = leader_at_two_seconds(protocol);
  const Ran r = run(base(protocol) + "faults:\n  - {at_s: 2, until_s: " + std::to_string(until_s) +
                    ", partition: {groups: {alone: [" + std::to_string(leader) + "]}}}\n");
  const RunSummary& s = r.summary;
  EXPECT_TRUE(s.violations.empty()) << s.violations.front();
  EXPECT_GT(r.net.partitioned[leader], 0u);
  // Someone else leads during the partition.
  bool replaced = false;
  for (const LeaderRecord& l : r.leaders) {
    if (l.time_ns > 2 * kNsPerSec && l.time_ns < until_s * kNsPerSec && l.leader != leader) {
      replaced = true;
    }
  }
  EXPECT_TRUE(replaced) << protocol << ": no new leader while " << leader << " was cut off";
  // Both ends of the partition are reported, and the system committed again after each.
  ASSERT_EQ(s.recoveries.size(), 2u);
  EXPECT_NE(s.recoveries[0].fault.find("partition alone=[" + std::to_string(leader) + "]"),
            std::string::npos);
  EXPECT_NE(s.recoveries[1].fault.find("ends"), std::string::npos);
  EXPECT_GE(s.recoveries[0].recovery_ms, 0);
  EXPECT_GE(s.recoveries[1].recovery_ms, 0);
  ASSERT_EQ(s.fault_windows.size(), 1u);
  EXPECT_DOUBLE_EQ(s.fault_windows[0].begin_s, 2);
  EXPECT_DOUBLE_EQ(s.fault_windows[0].end_s, until_s);
  EXPECT_GT(s.fault_windows[0].tps_after, 0);
  // Nothing committed is lost: every transaction commits, and the healed node catches up.
  EXPECT_EQ(s.pending, 0u);
  EXPECT_EQ(s.lost, 0u);
  for (Height h : r.heights) EXPECT_EQ(h, r.heights.front());
}

TEST(FaultsRunTest, RaftReElectsWhenThePartitionIsolatesTheLeader) {
  expect_isolated_leader_replaced("raft", 4);
}

TEST(FaultsRunTest, PbftChangesViewWhenThePartitionIsolatesThePrimary) {
  expect_isolated_leader_replaced("pbft", 6);
}

TEST(FaultsRunTest, OneWayPartitionOfAFollowerKeepsTheClusterLive) {
  const NodeId leader = leader_at_two_seconds("raft");
  const NodeId follower = (leader + 1) % 4;
  std::string others;
  for (NodeId n = 0; n < 4; ++n) {
    if (n != follower) others += (others.empty() ? "" : ", ") + std::to_string(n);
  }
  const Ran r = run(base("raft") + "faults:\n  - {at_s: 2, until_s: 5, partition: {from: [" +
                    std::to_string(follower) + "], to: [" + others + "]}}\n");
  EXPECT_TRUE(r.summary.violations.empty());
  EXPECT_GT(r.net.partitioned[follower], 0u);
  for (NodeId n = 0; n < 4; ++n) {
    if (n != follower) {
      EXPECT_EQ(r.net.partitioned[n], 0u);
    }
  }
  EXPECT_LT(r.summary.longest_commit_gap_ms, 1000);
}

TEST(FaultsRunTest, DegradedLinksRaiseLatencyOnlyWhileActive) {
  const Ran r =
      run(base("raft") + "faults:\n  - {at_s: 3, until_s: 6, degrade: {latency_factor: 10}}\n");
  EXPECT_TRUE(r.summary.violations.empty());
  double before = 0, during = 0, after = 0;
  for (const TimeBucket& b : r.buckets) {
    if (b.t_s >= 1 && b.t_s < 3) before = std::max(before, b.p50_ms);
    if (b.t_s >= 4 && b.t_s < 6) during = std::max(during, b.p50_ms);
    if (b.t_s >= 7 && b.t_s < 8) after = std::max(after, b.p50_ms);
  }
  // Raft commits in about two round trips of 5 ms links: 10x slower links make that 100 ms.
  EXPECT_GT(during, 3 * before);
  EXPECT_LT(after, 2 * before);
  // The results say the same per fault window, and the time series marks the seconds it covered.
  ASSERT_EQ(r.summary.fault_windows.size(), 1u);
  const FaultWindowSummary& w = r.summary.fault_windows[0];
  EXPECT_NE(w.fault.find("degrade"), std::string::npos) << w.fault;
  EXPECT_DOUBLE_EQ(w.begin_s, 3);
  EXPECT_DOUBLE_EQ(w.end_s, 6);
  EXPECT_TRUE(w.ended);
  EXPECT_GT(w.p50_during_ms, 3 * w.p50_before_ms);
  EXPECT_LT(w.p50_after_ms, 2 * w.p50_before_ms);
  EXPECT_GT(w.tps_before, 50);  // 100 tx/s offered
  EXPECT_GT(w.tps_during, 50);  // slower, not stopped
  for (const TimeBucket& b : r.buckets) {
    EXPECT_EQ(b.faults_active, (b.t_s >= 3 && b.t_s < 6) ? 1u : 0u) << b.t_s;
  }
}

TEST(FaultsRunTest, DuplicatedAndReorderedMessagesAreSurvived) {
  for (const std::string protocol : {"raft", "pbft", "hotstuff", "tendermint"}) {
    const Ran r = run(base(protocol) +
                      "faults:\n  - {at_s: 1, until_s: 7, duplicate: {probability: 0.3}}\n"
                      "  - {at_s: 1, until_s: 7, reorder: {probability: 0.3, max_delay_ms: 20}}\n");
    EXPECT_TRUE(r.summary.violations.empty()) << protocol;
    std::uint64_t duplicated = 0, reordered = 0;
    for (NodeId n = 0; n < 4; ++n) {
      duplicated += r.net.duplicated[n];
      reordered += r.net.reordered[n];
    }
    EXPECT_GT(duplicated, 0u) << protocol;
    EXPECT_GT(reordered, 0u) << protocol;
    EXPECT_GT(r.summary.committed, 0u) << protocol;
    EXPECT_EQ(r.summary.pending, 0u) << protocol;
  }
}

TEST(FaultsRunTest, ASlowNodeWorksLongerForTheSameJobs) {
  const Ran clean = run(base("pbft") + "faults: []\n");
  const Ran slow =
      run(base("pbft") + "faults:\n  - {at_s: 0, slow: {nodes: [2], cpu_factor: 5}}\n");
  EXPECT_TRUE(slow.summary.violations.empty());
  const TimeNs clean_busy = clean.summary.nodes_detail[2].cpu_busy_ns;
  const TimeNs slow_busy = slow.summary.nodes_detail[2].cpu_busy_ns;
  EXPECT_GT(slow_busy, 4 * clean_busy);
  EXPECT_LT(slow.summary.nodes_detail[1].cpu_busy_ns,
            2 * clean.summary.nodes_detail[1].cpu_busy_ns);
}

TEST(FaultsRunTest, ACrashWindowLastsUntilTheRestartAndShowsTheOutage) {
  const Ran r = run(base("raft") +
                    "faults:\n  - {at_s: 2, crash: leader}\n"
                    "  - {at_s: 4, restart: crashed}\n");
  ASSERT_EQ(r.summary.fault_windows.size(), 1u);
  const FaultWindowSummary& w = r.summary.fault_windows[0];
  EXPECT_EQ(w.fault.rfind("crash node ", 0), 0u) << w.fault;
  EXPECT_NE(w.fault.find("(the leader)"), std::string::npos) << w.fault;
  EXPECT_DOUBLE_EQ(w.begin_s, 2);
  EXPECT_DOUBLE_EQ(w.end_s, 4);
  EXPECT_TRUE(w.ended);
  // Clients of the crashed gateway lose their transactions: fewer commit during the outage.
  EXPECT_LT(w.tps_during, w.tps_before);
}

TEST(FaultsRunTest, ClockDriftStretchesTheElectionAfterALeaderCrash) {
  const std::string crash = "  - {at_s: 2, crash: leader}\n";
  const Ran normal = run(base("raft") + "faults:\n" + crash);
  const Ran drifted = run(base("raft") + "faults:\n" + crash +
                          "  - {at_s: 0, clock_drift: {nodes: [0, 1, 2, 3], rate: 4}}\n");
  ASSERT_FALSE(normal.summary.recoveries.empty());
  ASSERT_GE(drifted.summary.recoveries.size(), 2u);
  const double normal_ms = normal.summary.recoveries[0].recovery_ms;
  double drifted_ms = -1;
  for (const auto& rec : drifted.summary.recoveries) {
    if (rec.fault.find("crash") != std::string::npos) drifted_ms = rec.recovery_ms;
  }
  EXPECT_GT(drifted_ms, 2 * normal_ms);  // election timeouts last four times as long
}

TEST(FaultsRunTest, AScheduledSilentPrimaryForcesAViewChangeAndIsHonestAfterwards) {
  const NodeId primary = leader_at_two_seconds("pbft");
  const Ran r = run(base("pbft") + "faults:\n  - {at_s: 2, until_s: 6, byzantine: {nodes: {" +
                    std::to_string(primary) + ": silent}}}\n");
  EXPECT_TRUE(r.summary.violations.empty());
  bool replaced = false;
  for (const LeaderRecord& l : r.leaders) {
    if (l.time_ns > 2 * kNsPerSec && l.time_ns < 6 * kNsPerSec && l.leader != primary) {
      replaced = true;
    }
  }
  EXPECT_TRUE(replaced) << "no view change while the primary was silent";
  ASSERT_EQ(r.summary.fault_windows.size(), 1u);
  EXPECT_EQ(r.summary.fault_windows[0].fault, "byzantine " + std::to_string(primary) + ": silent");
  EXPECT_GT(r.summary.fault_windows[0].tps_after, 50);
  ASSERT_EQ(r.summary.byzantine.size(), 1u);
  EXPECT_NE(r.summary.byzantine[0].find("scheduled"), std::string::npos);
  // Silent only inside the window: the node sends again afterwards, more than one silent to the
  // end.
  const Ran forever = run(base("pbft") + "faults:\n  - {at_s: 2, byzantine: {nodes: {" +
                          std::to_string(primary) + ": silent}}}\n");
  EXPECT_GT(r.summary.nodes_detail[primary].msgs_sent,
            forever.summary.nodes_detail[primary].msgs_sent + 100);
}

TEST(FaultsRunTest, ARunWithFaultsIsAPureFunctionOfItsScenario) {
  const std::string yaml =
      base("hotstuff") +
      "faults:\n  - {at_s: 1, until_s: 3, partition: {groups: [[0, 1], [2, 3]]}}\n"
      "  - {at_s: 2, until_s: 5, degrade: {nodes: [3], loss: 0.2, latency_factor: 2}}\n"
      "  - {at_s: 2, until_s: 6, duplicate: {probability: 0.1}}\n";
  const Ran a = run(yaml);
  const Ran b = run(yaml);
  EXPECT_EQ(summary_json(a.summary, false), summary_json(b.summary, false));
}

}  // namespace
}  // namespace hlsim
