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

TEST(FaultSectionTest, ScheduledByzantineRolesAreParsedAndCountAsByzantine) {
  auto sc = load_scenario_text(
      "consensus: {protocol: pbft, nodes: 10}\nduration_s: 30\n"
      "byzantine: {nodes: {6: equivocate}}\n"
      "faults:\n"
      "  - {at_s: 2, until_s: 6, byzantine: {nodes: {0: silent, 3: withhold_votes}}}\n"
      "  - {at_s: 8, until_s: 9, byzantine: {nodes: {3: delay_proposals}}}\n",
      "test.yaml", {}, kDataDir, kDataDir);
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  const FaultEvent& f = sc->faults[0];
  EXPECT_EQ(f.kind, FaultKind::kByzantine);
  EXPECT_TRUE(f.is_condition());
  EXPECT_EQ(f.nodes, (std::vector<NodeId>{0, 3}));
  EXPECT_EQ(f.roles, (std::vector<Behavior>{Behavior::kSilent, Behavior::kWithholdVotes}));
  EXPECT_EQ(f.describe(), "byzantine 0: silent, 3: withhold_votes");
  const ByzantineConfig& b = sc->byzantine;
  EXPECT_TRUE(b.faulty(0));
  EXPECT_TRUE(b.faulty(3));
  EXPECT_TRUE(b.faulty(6));
  EXPECT_FALSE(b.faulty(1));
  EXPECT_TRUE(b.is_scheduled(0));
  EXPECT_FALSE(b.is_scheduled(6));
  EXPECT_EQ(b.of(0), Behavior::kHonest);  // honest outside its windows
  // Scheduled and whole-run Byzantine validators count together against f.
  auto over = load_scenario_text(
      "consensus: {protocol: pbft, nodes: 4}\nduration_s: 30\n"
      "byzantine: {nodes: {3: equivocate}}\n"
      "faults:\n  - {at_s: 2, until_s: 6, byzantine: {nodes: {0: silent}}}\n",
      "test.yaml", {}, kDataDir, kDataDir);
  ASSERT_FALSE(over.ok());
  EXPECT_THAT(over.error().message,
              HasSubstr("faults: 2 validators are Byzantine (byzantine section and scheduled "
                        "roles), but pbft with 4 nodes tolerates f = 1"));
  auto twice = load_scenario_text(
      "consensus: {protocol: pbft, nodes: 7}\nduration_s: 30\n"
      "byzantine: {nodes: {3: equivocate}}\n"
      "faults:\n  - {at_s: 2, until_s: 6, byzantine: {nodes: {3: silent}}}\n",
      "test.yaml", {}, kDataDir, kDataDir);
  ASSERT_FALSE(twice.ok());
  EXPECT_THAT(twice.error().message,
              HasSubstr("faults[0].byzantine.nodes.3: validator 3 is already Byzantine for the "
                        "whole run"));
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
                 "faults[0].clock_drift.rate: expected a rate > 0"},
        BadFault{"scheduled_equivocation",
                 "  - {at_s: 5, until_s: 6, byzantine: {nodes: {1: equivocate}}}\n",
                 "faults[0].byzantine.nodes.1: expected silent, withhold_votes, "
                 "invalid_signatures or delay_proposals, got 'equivocate'"},
        BadFault{"scheduled_role_not_for_raft",
                 "  - {at_s: 5, until_s: 6, byzantine: {nodes: {1: withhold_votes}}}\n",
                 "faults[0].byzantine.nodes.1: behaviour 'withhold_votes' does not apply to raft"},
        BadFault{"scheduled_beyond_f",
                 "  - {at_s: 5, until_s: 6, byzantine: {nodes: {0: silent, 1: silent}}}\n"
                 "  - {at_s: 7, until_s: 8, byzantine: {nodes: {2: silent}}}\n",
                 "faults: 3 validators are Byzantine"},
        BadFault{"scheduled_out_of_range",
                 "  - {at_s: 5, until_s: 6, byzantine: {nodes: {9: silent}}}\n",
                 "faults[0]: node 9 does not exist"},
        BadFault{"scheduled_not_a_map", "  - {at_s: 5, until_s: 6, byzantine: {nodes: [1]}}\n",
                 "faults[0].byzantine.nodes: expected a map of validator id -> behaviour"}),
    [](const ::testing::TestParamInfo<BadFault>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace hlsim
