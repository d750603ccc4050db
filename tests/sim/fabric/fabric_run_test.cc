// The execute-order-validate pipeline through the whole simulator: transactions are endorsed,
// ordered and validated; every peer reaches the same state; an orderer crash loses no ordered
// block; the latency split adds up; MVCC conflicts grow with key skew; runs are deterministic and
// bad pipeline settings are rejected with the key named.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <map>

#include "sim/results/summary.h"
#include "sim/run/simulation.h"
#include "tests/sim/fabric/fabric_runs.h"
#include "tests/sim/run/run_fingerprint.h"

namespace hlsim {
namespace {

std::string yaml(const std::string& extra_top, const std::string& consensus = "raft",
                 const std::string& workload = "kind: ehr, clients: 9, rate_tps: 120") {
  return "seed: 3\nduration_s: 8\ndrain_s: 4\n" + extra_top +
         "pipeline: {kind: fabric, organisations: 'hospital:2, insurer:1, regulator:2'}\n"
         "consensus: {protocol: " +
         consensus + ", nodes: 4, max_block_tx: 100}\nworkload: {" + workload +
         "}\nnetwork: {latency_ms: 2}\n";
}

TEST(FabricRunTest, TransactionsAreEndorsedOrderedAndValidatedByEveryPeer) {
  const Ran r = run(yaml(""));
  ASSERT_TRUE(r.outcome.complete) << r.outcome.stop_reason;
  expect_peers_agree(*r.sim);
  const FabricPipeline& p = *r.sim->pipeline();
  EXPECT_EQ(p.peer_count(), 5u);
  EXPECT_GT(r.figures.at("valid"), 500);
  EXPECT_EQ(r.figures.at("ordered_txs"), r.figures.at("valid") + r.figures.at("mvcc_conflicts") +
                                             r.figures.at("endorsement_failures") +
                                             r.figures.at("bad_envelopes"));
  EXPECT_EQ(r.figures.at("endorsement_failures"), 0);
  EXPECT_EQ(r.figures.at("bad_envelopes"), 0);
  // Every transaction's latency is exactly endorse + order + validate, and each part is positive.
  const auto& txs = r.sim->metrics().txs();
  std::size_t split = 0;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    const PipelineTxTimes& t = p.tx_times()[i];
    if (t.gateway_commit_ns < 0) continue;
    ++split;
    EXPECT_EQ(txs[i].gateway_commit_ns, t.gateway_commit_ns);
    EXPECT_LT(txs[i].submit_ns, t.endorsed_ns);
    EXPECT_LT(t.endorsed_ns, t.ordered_ns);
    EXPECT_LT(t.ordered_ns, t.gateway_commit_ns);
    // Endorsement takes at least the client's and two peer hops (2 ms each way).
    EXPECT_GE(t.endorsed_ns - txs[i].submit_ns, 4 * kNsPerMs);
    // Each transaction was judged, and a valid one is committed (applied or denied).
    EXPECT_TRUE(t.validated);
    EXPECT_EQ(txs[i].status == TxStatus::kInvalid, t.code != ValidationCode::kValid);
  }
  EXPECT_GT(split, 500u);
  // Peers endorsed (the policy's majority is 2 of 3 organisations: two endorsements each).
  std::uint64_t endorsements = 0;
  for (const PeerCounters& c : p.peer_counters()) endorsements += c.endorsements;
  EXPECT_GE(endorsements, 2 * split);
}

TEST(FabricRunTest, ByzantineFaultTolerantOrderingServicesWorkToo) {
  for (const std::string protocol : {"pbft", "hotstuff"}) {
    const std::string text =
        protocol == "hotstuff"
            ? "seed: 3\nduration_s: 6\ndrain_s: 4\n"
              "pipeline: {kind: fabric, organisations: 'hospital:1, insurer:1', policy: "
              "\"AND('hospital', 'insurer')\"}\n"
              "consensus: {protocol: hotstuff, nodes: 4}\n"
              "workload: {kind: ehr, clients: 6, rate_tps: 80}\nnetwork: {latency_ms: 2}\n"
            : yaml("", protocol);
    const Ran r = run(text);
    ASSERT_TRUE(r.outcome.complete) << protocol << ": " << r.outcome.stop_reason;
    expect_peers_agree(*r.sim);
    EXPECT_GT(r.figures.at("valid"), 200) << protocol;
  }
}

TEST(FabricRunTest, AnOrdererCrashLosesNoOrderedBlock) {
  // The Raft leader crashes mid-load and comes back (catching up from its peers); later another
  // orderer crashes for good. Peers pulling from them reconnect, envelopes sent to them are
  // resent, and every ordered block reaches every peer.
  const Ran r =
      run(yaml("faults:\n  - {at_s: 2, crash: leader}\n  - {at_s: 3.5, restart: crashed}\n"
               "  - {at_s: 5, crash: 1}\n"));
  ASSERT_TRUE(r.outcome.complete) << r.outcome.stop_reason;
  expect_peers_agree(*r.sim);
  std::uint64_t reconnects = 0;
  for (const PeerCounters& c : r.sim->pipeline()->peer_counters()) reconnects += c.reconnects;
  EXPECT_GT(reconnects, 0u);
  EXPECT_GT(r.figures.at("resubmitted"), 0);
  // Every transaction the ordering service ordered was validated.
  for (const PipelineTxTimes& t : r.sim->pipeline()->tx_times()) {
    if (t.ordered_ns >= 0) {
      EXPECT_TRUE(t.validated);
    }
  }
  // Transactions kept committing after the crashes.
  TimeNs last_commit_ns = 0;
  for (const TxRecord& t : r.sim->metrics().txs()) {
    last_commit_ns = std::max(last_commit_ns, t.first_commit_ns);
  }
  EXPECT_GT(last_commit_ns, 7 * kNsPerSec);
}

TEST(FabricRunTest, MvccConflictsGrowWithKeySkew) {
  double previous = -1;
  for (const char* zipf : {"0", "1.0", "1.6"}) {
    const Ran r =
        run(yaml("", "raft", std::string("kind: ehr, clients: 9, rate_tps: 250, zipf_s: ") + zipf));
    ASSERT_TRUE(r.outcome.complete);
    const double rate = r.figures.at("mvcc_conflict_rate");
    EXPECT_GT(rate, previous) << "zipf_s " << zipf;
    previous = rate;
  }
  EXPECT_GT(previous, 3.0);  // a heavy skew makes conflicts common
}

TEST(FabricRunTest, SameResultsEveryTimeAndWithOneOrTwoThreads) {
  std::vector<std::string> first;
  for (const int threads : {1, 2, 1}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    const Ran r = run(yaml(""));
    std::vector<std::string> fp = test_util::run_fingerprint(*r.sim, r.outcome);
    for (const auto& [name, value] : r.figures) fp.push_back(name + "=" + std::to_string(value));
    for (std::uint32_t i = 0; i < r.sim->pipeline()->peer_count(); ++i) {
      fp.push_back("peer " + std::to_string(r.sim->pipeline()->peer_state_digest(i)));
    }
    if (first.empty()) {
      first = fp;
      continue;
    }
    ASSERT_EQ(fp.size(), first.size());
    for (std::size_t i = 0; i < fp.size(); ++i) ASSERT_EQ(fp[i], first[i]) << "threads " << threads;
  }
}

TEST(FabricRunTest, ClosedLoopClientsAndReactiveWorkloadsHearFromTheirGatewayPeer) {
  // Closed loop: each client waits for its transaction's commit at its gateway peer, and they
  // keep coming.
  const Ran closed = run(yaml("", "raft", "kind: ehr, clients: 6, arrivals: closed, think_ms: 20"));
  ASSERT_TRUE(closed.outcome.complete);
  EXPECT_GT(closed.figures.at("valid"), 200);
  EXPECT_EQ(closed.sim->closed_loop_timeouts(), 0u);
  // Supply chain: wholesalers and pharmacies act on what they see shipped to them.
  const Ran supply = run(yaml("", "raft", "kind: supply, clients: 12, rate_tps: 80"));
  ASSERT_TRUE(supply.outcome.complete);
  expect_peers_agree(*supply.sim);
  EXPECT_GT(supply.figures.at("valid"), 200);
  EXPECT_FALSE(supply.sim->workload_figures().empty());
}

TEST(FabricRunTest, BadPipelineSettingsNameTheKey) {
  const auto error = [](const std::string& pipeline) {
    auto sc =
        load_scenario_text("pipeline: " + pipeline + "\n", "bad.yaml", {}, kDataDir, kDataDir);
    EXPECT_FALSE(sc.ok()) << pipeline;
    return sc.ok() ? std::string() : sc.error().message;
  };
  EXPECT_NE(error("{kind: fabric, policy: \"AND('hospital', 'clinic')\"}")
                .find("pipeline.policy: 'main': endorsement policy: at character 18: unknown "
                      "organisation "
                      "'clinic'"),
            std::string::npos);
  EXPECT_NE(error("{kind: fabric, organisations: 'hospital:0'}").find("pipeline.organisations"),
            std::string::npos);
  EXPECT_NE(error("{kind: fabric, organisations: 'a:1, a:2'}").find("listed twice"),
            std::string::npos);
  EXPECT_NE(error("{kind: fabrik}").find("pipeline.kind"), std::string::npos);
}

}  // namespace
}  // namespace hlsim
