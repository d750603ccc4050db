// The scenario's faults: section: every fault kind parsed, and every malformed fault rejected
// with a message naming its key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/scenario/scenario.h"

namespace hlsim {
namespace {

using ::testing::HasSubstr;

const std::string kDataDir = HLSIM_SOURCE_DIR;

Result<Scenario> load(const std::string& faults) {
  return load_scenario_text("consensus: {nodes: 5}\nduration_s: 30\nfaults:\n" + faults,
                            "test.yaml", {}, kDataDir, kDataDir);
}

TEST(FaultSectionTest, EveryKindIsParsed) {
  auto sc = load(
      "  - {at_s: 1, until_s: 5, partition: {groups: {east: [0, 1], west: [2, 3]}}}\n"
      "  - {at_s: 2, until_s: 6, partition: {from: [0], to: [1, 2]}}\n"
      "  - {at_s: 3, degrade: {nodes: [2], latency_factor: 3, bandwidth_factor: 0.5, loss: 0.1}}\n"
      "  - {at_s: 4, until_s: 8, duplicate: {probability: 0.2}}\n"
      "  - {at_s: 5, until_s: 9, reorder: {probability: 0.3, max_delay_ms: 40}}\n"
      "  - {at_s: 6, until_s: 10, slow: {nodes: 4, cpu_factor: 8}}\n"
      "  - {at_s: 7, until_s: 11, clock_drift: {nodes: [1, 3], rate: 1.5}}\n"
      "  - {at_s: 8, partition: {groups: [[4]]}}\n");
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  const auto& f = sc->faults;
  ASSERT_EQ(f.size(), 8u);
  EXPECT_EQ(f[0].kind, FaultKind::kPartition);
  EXPECT_EQ(f[0].group_names, (std::vector<std::string>{"east", "west"}));
  EXPECT_EQ(f[0].groups[1], (std::vector<NodeId>{2, 3}));
  EXPECT_EQ(f[0].until_ns, 5 * kNsPerSec);
  EXPECT_TRUE(f[1].groups.empty());
  EXPECT_EQ(f[1].to, (std::vector<NodeId>{1, 2}));
  EXPECT_EQ(f[2].kind, FaultKind::kDegrade);
  EXPECT_EQ(f[2].until_ns, kTimeNever);  // to the end of the run
  EXPECT_EQ(f[2].latency_factor, 3);
  EXPECT_EQ(f[2].bandwidth_factor, 0.5);
  EXPECT_EQ(f[2].loss, 0.1);
  EXPECT_TRUE(f[3].nodes.empty());
  EXPECT_EQ(f[3].probability, 0.2);
  EXPECT_EQ(f[4].max_delay_ns, 40 * kNsPerMs);
  EXPECT_EQ(f[5].nodes, (std::vector<NodeId>{4}));
  EXPECT_EQ(f[5].cpu_factor, 8);
  EXPECT_EQ(f[6].clock_rate, 1.5);
  EXPECT_EQ(f[7].group_names[0], "g0");
  EXPECT_EQ(f[7].describe(), "partition g0=[4]");
}

struct BadFault {
  const char* name;
  const char* yaml;
  const char* message;
};

class FaultErrorTest : public ::testing::TestWithParam<BadFault> {};

TEST_P(FaultErrorTest, IsRejectedNamingTheKey) {
  auto sc = load(GetParam().yaml);
  ASSERT_FALSE(sc.ok());
  EXPECT_THAT(sc.error().message, HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    All, FaultErrorTest,
    ::testing::Values(
        BadFault{"until_before_at", "  - {at_s: 5, until_s: 5, duplicate: {probability: 0.1}}\n",
                 "faults[0].until_s: expected a time after at_s (5 s)"},
        BadFault{"until_on_crash", "  - {at_s: 5, until_s: 6, crash: 1}\n",
                 "faults[0].until_s: a crash is instantaneous"},
        BadFault{"two_actions", "  - {at_s: 5, crash: 1, slow: {nodes: 1, cpu_factor: 2}}\n",
                 "expected exactly one fault key"},
        BadFault{"unknown_action", "  - {at_s: 5, partiton: {groups: [[1]]}}\n",
                 "faults[0].partiton: unknown key (did you mean 'partition'?)"},
        BadFault{"groups_and_from",
                 "  - {at_s: 5, partition: {groups: [[1]], from: [0], to: [1]}}\n",
                 "either 'groups' (symmetric) or both 'from' and 'to'"},
        BadFault{"from_without_to", "  - {at_s: 5, partition: {from: [0]}}\n",
                 "either 'groups' (symmetric) or both 'from' and 'to'"},
        BadFault{"node_in_two_groups", "  - {at_s: 5, partition: {groups: [[0, 1], [1]]}}\n",
                 "faults[0].partition.groups: validator 1 is in two groups"},
        BadFault{"node_out_of_range", "  - {at_s: 5, partition: {groups: [[0, 9]]}}\n",
                 "faults[0]: node 9 does not exist; validators are 0..4"},
        BadFault{"bad_node_id", "  - {at_s: 5, slow: {nodes: [x], cpu_factor: 2}}\n",
                 "faults[0].slow.nodes: expected a validator id or a list of them, got 'x'"},
        BadFault{"slow_without_nodes", "  - {at_s: 5, slow: {cpu_factor: 2}}\n",
                 "faults[0].slow.nodes: required"},
        BadFault{"slow_speeds_up", "  - {at_s: 5, slow: {nodes: 1, cpu_factor: 0.5}}\n",
                 "faults[0].slow.cpu_factor: expected a factor >= 1, got '0.5'"},
        BadFault{"latency_below_one", "  - {at_s: 5, degrade: {latency_factor: 0.5}}\n",
                 "faults[0].degrade.latency_factor: expected a factor >= 1"},
        BadFault{"empty_degrade", "  - {at_s: 5, degrade: {nodes: [1]}}\n",
                 "expected at least one of latency_factor, bandwidth_factor, loss"},
        BadFault{"zero_bandwidth", "  - {at_s: 5, degrade: {bandwidth_factor: 0}}\n",
                 "faults[0].degrade.bandwidth_factor: expected a factor in (0, 1]"},
        BadFault{"certain_loss", "  - {at_s: 5, degrade: {loss: 1}}\n",
                 "faults[0].degrade.loss: expected a probability in [0, 1)"},
        BadFault{"duplicate_without_p", "  - {at_s: 5, duplicate: {nodes: [1]}}\n",
                 "faults[0].duplicate.probability: required"},
        BadFault{"reorder_without_delay", "  - {at_s: 5, reorder: {probability: 0.5}}\n",
                 "faults[0].reorder.max_delay_ms: required"},
        BadFault{"unknown_inner_key",
                 "  - {at_s: 5, reorder: {probability: 0.5, max_dely_ms: 3}}\n",
                 "faults[0].reorder.max_dely_ms: unknown key (did you mean 'max_delay_ms'?)"},
        BadFault{"zero_clock_rate", "  - {at_s: 5, clock_drift: {nodes: 1, rate: 0}}\n",
                 "faults[0].clock_drift.rate: expected a rate > 0"}),
    [](const ::testing::TestParamInfo<BadFault>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace hlsim
