// The arrival processes through the whole simulator: closed loop keeps one transaction per client
// in flight, a daily profile and bursts change what is offered, the per-organisation-per-day rate
// scales, and the results are the same with one thread or two.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <map>

#include "sim/results/summary.h"
#include "sim/run/simulation.h"

namespace hlsim {
namespace {

const std::string kDataDir = HLSIM_SOURCE_DIR;

Result<Scenario> load(const std::string& workload) {
  return load_scenario_text(
      "seed: 5\nduration_s: 20\ndrain_s: 3\n"
      "consensus: {protocol: raft, nodes: 4}\n"
      "workload: {kind: ehr, clients: 8, " +
          workload +
          "}\n"
          "network: {topology: full_mesh, latency_ms: 2}\n",
      "test.yaml", {}, kDataDir, kDataDir);
}

struct Ran {
  std::unique_ptr<Simulation> sim;
  RunSummary summary;
};

Ran run(const std::string& workload) {
  auto sc = load(workload);
  EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : sc.error().message);
  auto sim = Simulation::create(sc.value());
  EXPECT_TRUE(sim.ok());
  const RunOutcome out = sim.value()->run(nullptr, nullptr);
  EXPECT_TRUE(out.complete);
  Ran r{std::move(sim.value()), {}};
  r.summary = summarize(*r.sim, out);
  return r;
}

TEST(ArrivalsRunTest, ClosedLoopClientsWaitForTheirCommitThenThink) {
  Ran r = run("arrivals: closed, think_ms: 100");
  const auto& txs = r.sim->metrics().txs();
  ASSERT_GT(txs.size(), 400u);
  // Per client, in submit order: each transaction is submitted after the previous one committed
  // at the gateway (plus the access link's latency).
  std::map<ClientId, std::vector<const TxRecord*>> by_client;
  for (const TxRecord& t : txs) by_client[t.client].push_back(&t);
  ASSERT_EQ(by_client.size(), 8u);
  for (auto& [client, list] : by_client) {
    std::sort(list.begin(), list.end(),
              [](const TxRecord* a, const TxRecord* b) { return a->submit_ns < b->submit_ns; });
    for (std::size_t i = 1; i < list.size(); ++i) {
      ASSERT_GE(list[i - 1]->gateway_commit_ns, 0) << "client " << client;
      EXPECT_GT(list[i]->submit_ns, list[i - 1]->gateway_commit_ns) << "client " << client;
    }
  }
  // About clients / (think + latency) per second; no configured rate.
  EXPECT_EQ(r.summary.offered_tps_configured, 0);
  EXPECT_EQ(r.summary.closed_timeouts, 0u);
  EXPECT_EQ(r.summary.pending, 0u);
}

TEST(ArrivalsRunTest, ClosedLoopTimeoutMovesAClientOnWhenItsCommitIsLate) {
  // A timeout shorter than any commit: every transaction times out, yet clients keep submitting.
  Ran r = run("arrivals: closed, think_ms: 50, timeout_ms: 1");
  EXPECT_GT(r.summary.closed_timeouts, 100u);
  // Every transaction but each client's last (possibly still waiting at the end) timed out.
  EXPECT_LE(r.summary.closed_timeouts, r.summary.submitted);
  EXPECT_GE(r.summary.closed_timeouts + 8, r.summary.submitted);
}

TEST(ArrivalsRunTest, DailyProfileOfferedRateFollowsTheWindowItCovers) {
  // A day of 40 s with t = 0 at 4 am: the 20 s window covers 4 am to 4 pm.
  Ran r = run("rate_tps: 200, arrivals: daily, day_s: 40, start_hour: 4");
  const double configured = r.summary.offered_tps_configured;
  EXPECT_GT(configured, 150);
  EXPECT_LT(configured, 250);
  EXPECT_NEAR(r.summary.offered_tps_achieved, configured, 0.1 * configured);
  // The night-to-morning climb: the first five seconds (4 to 7 am) offer far less than the last
  // five (1 to 4 pm).
  std::uint64_t early = 0, late = 0;
  for (const TxRecord& t : r.sim->metrics().txs()) {
    if (t.submit_ns < 5 * kNsPerSec) ++early;
    if (t.submit_ns >= 15 * kNsPerSec) ++late;
  }
  EXPECT_LT(2 * early, late);
}

TEST(ArrivalsRunTest, RatePerOrganisationPerDayScalesWithClientsAndDayLength) {
  // 8 organisations x 1000 tx per day, a day of 40 s: 200 tx/s.
  Ran r = run("rate_per_org_per_day: 1000, day_s: 40");
  EXPECT_DOUBLE_EQ(r.summary.offered_tps_configured, 200);
  // The workload's published figure: ehr, 350 encounters per hospital per day (AHA).
  auto typical = load("rate_per_org_per_day: typical, day_s: 70");
  ASSERT_TRUE(typical.ok()) << typical.error().message;
  EXPECT_DOUBLE_EQ(typical->workload.rate_tps, 350.0 * 8 / 70);
  auto bad_rate = load("rate_per_org_per_day: lots");
  ASSERT_FALSE(bad_rate.ok());
  EXPECT_NE(bad_rate.error().message.find("workload.rate_per_org_per_day"), std::string::npos);
  auto both = load("rate_tps: 10, rate_per_org_per_day: 1000");
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().message.find("workload.rate_per_org_per_day"), std::string::npos);
  auto long_burst = load("burst_every_s: 1, burst_duration_s: 2, burst_factor: 3");
  ASSERT_FALSE(long_burst.ok());
  EXPECT_NE(long_burst.error().message.find("workload.burst_duration_s"), std::string::npos);
  auto bad_kind = load("arrivals: bursty");
  ASSERT_FALSE(bad_kind.ok());
  EXPECT_NE(bad_kind.error().message.find("workload.arrivals"), std::string::npos);
}

TEST(ArrivalsRunTest, ClosedLoopAndBurstsGiveTheSameResultsWithOneOrTwoThreads) {
  for (const std::string w : {"arrivals: closed, think_ms: 50",
                              "rate_tps: 100, burst_every_s: 5, burst_duration_s: 1, "
                              "burst_factor: 4"}) {
    std::string one, two;
    {
      tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
      one = summary_json(run(w).summary, false);
    }
    {
      tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
      two = summary_json(run(w).summary, false);
    }
    EXPECT_EQ(one, two) << w;
  }
}

}  // namespace
}  // namespace hlsim
