// The memory estimate: a fixed base, a part proportional to transactions and one to transactions
// x validators, and close to the peak memory measured for the quick start (167 MB).
#include "sim/scenario/memory_estimate.h"

#include <gtest/gtest.h>

namespace hlsim {
namespace {

const std::string kDataDir = HLSIM_SOURCE_DIR;

Scenario load(const std::string& yaml) {
  auto sc = load_scenario_text(yaml, "test.yaml", {}, kDataDir, kDataDir);
  EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : sc.error().message);
  return sc.ok() ? sc.value() : Scenario{};
}

TEST(MemoryEstimateTest, GrowsWithTransactionsTimesValidators) {
  const MemoryEstimate a = estimate_memory(
      load("duration_s: 55\ndrain_s: 5\nconsensus: {nodes: 4}\nworkload: {rate_tps: 100}\n"));
  EXPECT_DOUBLE_EQ(a.transactions, 6000);
  const double fixed = kBaseBytes + 6000 * kBytesPerTx;
  EXPECT_DOUBLE_EQ(a.bytes, fixed + 6000 * 4 * kBytesPerTxPerValidator);
  const MemoryEstimate b = estimate_memory(
      load("duration_s: 55\ndrain_s: 5\nconsensus: {nodes: 8}\nworkload: {rate_tps: 100}\n"));
  EXPECT_DOUBLE_EQ(b.bytes - fixed, 2 * (a.bytes - fixed));
}

TEST(MemoryEstimateTest, TheQuickStartIsEstimatedNearItsMeasuredPeak) {
  auto sc = load_scenario_file(kDataDir + "/scenarios/quickstart.yaml", {}, kDataDir);
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  const double mb = estimate_memory(sc.value()).bytes / 1e6;
  EXPECT_GT(mb, 167 * 0.7);
  EXPECT_LT(mb, 167 * 1.5);
}

}  // namespace
}  // namespace hlsim
