// A mixed workload through the whole simulator: per-kind accounting adds up to the totals, every
// component is drafted and committed, and its ledger re-executes.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/results/summary.h"
#include "sim/run/simulation.h"

namespace hlsim {
namespace {

const std::string kDataDir = HLSIM_SOURCE_DIR;

TEST(MixRunTest, PerKindAccountingAddsUpAndEveryComponentCommits) {
  auto sc = load_scenario_text(
      "seed: 3\nduration_s: 15\ndrain_s: 3\n"
      "consensus: {protocol: raft, nodes: 4}\n"
      "workload:\n"
      "  kind: mix\n  clients: 12\n  rate_tps: 300\n"
      "  mix: {ehr: 2, supply: 1, claims: 1, ycsb: 1}\n"
      "  ehr: {patients: 2000}\n",
      "mix.yaml", {}, kDataDir, kDataDir);
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  auto sim = Simulation::create(sc.value());
  ASSERT_TRUE(sim.ok()) << sim.error().message;
  const RunOutcome out = sim.value()->run(nullptr, nullptr);
  ASSERT_TRUE(out.complete);
  const RunSummary s = summarize(*sim.value(), out);
  std::uint64_t submitted = 0, committed = 0, denied = 0, invalid = 0;
  std::map<std::string, std::uint64_t> by_component;
  for (const KindSummary& k : s.kinds) {
    submitted += k.submitted;
    committed += k.committed;
    denied += k.denied;
    invalid += k.invalid;
    by_component[k.kind.substr(0, k.kind.find('/'))] += k.committed;
  }
  EXPECT_EQ(submitted, s.submitted);
  EXPECT_EQ(committed, s.committed);
  EXPECT_EQ(denied, s.denied);
  EXPECT_EQ(invalid, s.invalid);
  ASSERT_EQ(by_component.size(), 4u);
  for (const auto& [component, n] : by_component) EXPECT_GT(n, 100u) << component;
  // Weights 2 : 1 : 1 : 1.
  EXPECT_NEAR(static_cast<double>(by_component["ehr"]) / static_cast<double>(s.committed), 0.4,
              0.05);
  EXPECT_EQ(s.invalid, 0u);
  EXPECT_TRUE(s.violations.empty());
  // Figures of the components with their own metrics, each under its name.
  bool ehr = false, supply = false, claims = false;
  for (const auto& f : s.workload_figures) {
    ehr = ehr || f.name.rfind("ehr.", 0) == 0;
    supply = supply || f.name.rfind("supply.", 0) == 0;
    claims = claims || f.name.rfind("claims.", 0) == 0;
  }
  EXPECT_TRUE(ehr && supply && claims);
}

TEST(MixRunTest, ScenarioErrorsNameTheKey) {
  for (const auto& [yaml, key] : std::vector<std::pair<std::string, std::string>>{
           {"workload: {kind: mix, mix: {ehr: 1, suply: 1}}", "workload.mix.suply"},
           {"workload: {kind: mix, mix: {ehr: -1}}", "workload.mix.ehr"},
           {"workload: {kind: mix}", "workload.mix"},
           {"workload: {kind: mix, mix: {ehr: 1}, supply: {manufacturers: 2}}", "workload.supply"},
           {"workload: {kind: ehr, ehr: {patients: 5}}", "workload.ehr"},
           {"workload: {kind: mix, mix: {ehr: 1}, ehr: {patiens: 5}}", "workload.ehr.patiens"},
       }) {
    auto sc = load_scenario_text(yaml + "\n", "mix.yaml", {}, kDataDir, kDataDir);
    ASSERT_FALSE(sc.ok()) << yaml;
    EXPECT_NE(sc.error().message.find(key), std::string::npos) << sc.error().message;
  }
}

}  // namespace
}  // namespace hlsim
