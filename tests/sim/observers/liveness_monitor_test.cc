// The liveness monitor's longest gap without a commit and its recovery time per fault.
#include "sim/observers/liveness_monitor.h"

#include <gtest/gtest.h>

namespace hlsim {
namespace {

TEST(LivenessMonitorTest, LongestGapRunsFromTheFirstCommitToTheEndOfTheWindow) {
  LivenessMonitor m;
  m.on_new_height(300);  // start-up: not a gap
  m.on_new_height(350);
  m.on_new_height(400);
  auto r = m.report(1000);
  EXPECT_EQ(r.first_commit_ns, 300);
  EXPECT_EQ(r.longest_gap_ns, 600);  // 400 -> end of window
  EXPECT_EQ(r.longest_gap_start_ns, 400);
  r = m.report(420);
  EXPECT_EQ(r.longest_gap_ns, 50);  // 300 -> 350 (the first of equal gaps)
  EXPECT_EQ(r.longest_gap_start_ns, 300);
}

TEST(LivenessMonitorTest, NothingCommittedIsOneGapAsLongAsTheWindow) {
  LivenessMonitor m;
  const auto r = m.report(5000);
  EXPECT_EQ(r.first_commit_ns, -1);
  EXPECT_EQ(r.longest_gap_ns, 5000);
}

TEST(LivenessMonitorTest, AFirstCommitAfterTheWindowLeavesTheWholeWindowAsTheGap) {
  LivenessMonitor m;
  m.on_new_height(7000);
  const auto r = m.report(5000);
  EXPECT_EQ(r.first_commit_ns, 7000);
  EXPECT_EQ(r.longest_gap_ns, 5000);
  EXPECT_EQ(r.longest_gap_start_ns, 0);
}

TEST(LivenessMonitorTest, RecoveryIsTheTimeFromEachFaultToTheNextCommit) {
  LivenessMonitor m;
  m.on_new_height(10);
  m.on_fault(20, "crash node 1");
  m.on_fault(25, "restart node 2");
  m.on_new_height(90);
  m.on_fault(100, "crash node 3");
  const auto r = m.report(200);
  ASSERT_EQ(r.recoveries.size(), 3u);
  EXPECT_EQ(r.recoveries[0].recovery_ns, 70);
  EXPECT_EQ(r.recoveries[1].recovery_ns, 65);
  EXPECT_EQ(r.recoveries[2].recovery_ns, -1);  // never recovered
  EXPECT_EQ(r.recoveries[2].fault, "crash node 3");
}

}  // namespace
}  // namespace hlsim
