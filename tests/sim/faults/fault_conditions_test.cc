// FaultConditions: which links a partition cuts, how overlapping conditions compose, and that
// ending a condition restores exactly what was there before.
#include "sim/faults/fault_conditions.h"

#include <gtest/gtest.h>

#include <vector>

namespace hlsim {
namespace {

FaultEvent partition(std::vector<std::vector<NodeId>> groups) {
  FaultEvent f;
  f.kind = FaultKind::kPartition;
  for (std::size_t i = 0; i < groups.size(); ++i) f.group_names.push_back("g" + std::to_string(i));
  f.groups = std::move(groups);
  return f;
}

FaultEvent degrade(std::vector<NodeId> nodes, double latency, double bandwidth, double loss) {
  FaultEvent f;
  f.kind = FaultKind::kDegrade;
  f.nodes = std::move(nodes);
  f.latency_factor = latency;
  f.bandwidth_factor = bandwidth;
  f.loss = loss;
  return f;
}

TEST(FaultConditionsTest, SymmetricPartitionCutsBetweenGroupsAndTheRest) {
  const FaultEvent f = partition({{0, 1}, {2}});  // node 3 and 4 are "the rest"
  EXPECT_FALSE(partition_cuts(f, 0, 1));
  EXPECT_TRUE(partition_cuts(f, 0, 2));
  EXPECT_TRUE(partition_cuts(f, 2, 0));
  EXPECT_TRUE(partition_cuts(f, 1, 3));
  EXPECT_TRUE(partition_cuts(f, 2, 4));
  EXPECT_FALSE(partition_cuts(f, 3, 4));
}

TEST(FaultConditionsTest, OneWayPartitionCutsOneDirectionOnly) {
  FaultEvent f;
  f.kind = FaultKind::kPartition;
  f.from = {0};
  f.to = {1, 2};
  EXPECT_TRUE(partition_cuts(f, 0, 1));
  EXPECT_TRUE(partition_cuts(f, 0, 2));
  EXPECT_FALSE(partition_cuts(f, 1, 0));
  EXPECT_FALSE(partition_cuts(f, 0, 3));
}

TEST(FaultConditionsTest, NothingActiveIsACleanNetwork) {
  const FaultConditions c(4);
  EXPECT_EQ(c.active(), 0u);
  const LinkCondition& l = c.link(0, 1);
  EXPECT_FALSE(l.blocked);
  EXPECT_EQ(l.latency_factor, 1);
  EXPECT_EQ(l.bandwidth_factor, 1);
  EXPECT_EQ(l.loss, 0);
  EXPECT_EQ(l.duplicate, 0);
  EXPECT_EQ(l.reorder, 0);
  EXPECT_EQ(c.cpu_factor(2), 1);
  EXPECT_EQ(c.clock_rate(3), 1);
}

TEST(FaultConditionsTest, OverlappingConditionsComposeAndEndingRestores) {
  std::vector<FaultEvent> faults = {degrade({1}, 2, 0.5, 0.5), degrade({}, 3, 1, 0.5),
                                    partition({{0}})};
  FaultConditions c(3);
  c.begin(0, faults);
  EXPECT_EQ(c.link(0, 1).latency_factor, 2);  // touches node 1
  EXPECT_EQ(c.link(1, 2).latency_factor, 2);
  EXPECT_EQ(c.link(0, 2).latency_factor, 1);  // does not
  c.begin(1, faults);
  EXPECT_EQ(c.link(0, 1).latency_factor, 6);
  EXPECT_EQ(c.link(0, 1).bandwidth_factor, 0.5);
  EXPECT_DOUBLE_EQ(c.link(0, 1).loss, 0.75);  // 1 - 0.5 * 0.5
  EXPECT_EQ(c.link(0, 2).latency_factor, 3);
  c.begin(2, faults);
  EXPECT_TRUE(c.link(0, 1).blocked);
  EXPECT_TRUE(c.link(2, 0).blocked);
  EXPECT_FALSE(c.link(1, 2).blocked);
  EXPECT_EQ(c.active(), 3u);
  c.end(0, faults);
  c.end(2, faults);
  EXPECT_FALSE(c.link(0, 1).blocked);
  EXPECT_EQ(c.link(0, 1).latency_factor, 3);
  EXPECT_DOUBLE_EQ(c.link(0, 1).loss, 0.5);
  c.end(1, faults);
  c.end(1, faults);  // ending twice is harmless
  EXPECT_EQ(c.active(), 0u);
  EXPECT_EQ(c.link(0, 1).latency_factor, 1);
}

TEST(FaultConditionsTest, SlowNodesAndClockDriftAreOnlyTheirs) {
  FaultEvent slow;
  slow.kind = FaultKind::kSlow;
  slow.nodes = {1};
  slow.cpu_factor = 4;
  FaultEvent drift;
  drift.kind = FaultKind::kClockDrift;
  drift.nodes = {1, 2};
  drift.clock_rate = 1.5;
  FaultEvent dup;
  dup.kind = FaultKind::kDuplicate;
  dup.probability = 0.5;
  FaultEvent reorder;
  reorder.kind = FaultKind::kReorder;
  reorder.nodes = {2};
  reorder.probability = 0.25;
  reorder.max_delay_ns = 7;
  const std::vector<FaultEvent> faults = {slow, drift, dup, reorder};
  FaultConditions c(3);
  for (std::size_t i = 0; i < faults.size(); ++i) c.begin(i, faults);
  EXPECT_EQ(c.cpu_factor(0), 1);
  EXPECT_EQ(c.cpu_factor(1), 4);
  EXPECT_EQ(c.clock_rate(1), 1.5);
  EXPECT_EQ(c.clock_rate(2), 1.5);
  EXPECT_EQ(c.clock_rate(0), 1);
  EXPECT_EQ(c.link(0, 1).duplicate, 0.5);
  EXPECT_EQ(c.link(0, 1).reorder, 0);
  EXPECT_EQ(c.link(0, 2).reorder, 0.25);
  EXPECT_EQ(c.link(2, 1).reorder_max_ns, 7);
}

TEST(FaultConditionsTest, DescriptionsNameTheFault) {
  EXPECT_EQ(partition({{0, 1}, {2}}).describe(), "partition g0=[0,1] | g1=[2]");
  EXPECT_EQ(degrade({2}, 3, 1, 0.05).describe(), "degrade links of [2]: latency x3 loss 0.05");
  FaultEvent crash;
  crash.symbolic = "leader";
  EXPECT_EQ(crash.describe(), "crash node leader");
}

}  // namespace
}  // namespace hlsim
