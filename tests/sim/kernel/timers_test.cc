#include "sim/kernel/timers.h"

#include <gtest/gtest.h>

#include <vector>

namespace hlsim {
namespace {

TEST(TimerTableTest, ArmReturnsIncreasingIdsThatAreNeverReused) {
  TimerTable t;
  const TimerId a = t.arm();
  const TimerId b = t.arm();
  EXPECT_LT(a, b);
  EXPECT_TRUE(t.fire(a));
  t.cancel(b);
  const TimerId c = t.arm();
  EXPECT_GT(c, b);  // ids of fired and cancelled timers do not come back
}

TEST(TimerTableTest, ArmedTimerFiresExactlyOnce) {
  TimerTable t;
  const TimerId id = t.arm();
  EXPECT_TRUE(t.is_armed(id));
  EXPECT_TRUE(t.fire(id));
  EXPECT_FALSE(t.fire(id));
  EXPECT_FALSE(t.is_armed(id));
}

TEST(TimerTableTest, CancelledTimerDoesNotFire) {
  TimerTable t;
  const TimerId id = t.arm();
  t.cancel(id);
  EXPECT_FALSE(t.fire(id));
  EXPECT_EQ(t.armed(), 0u);
}

TEST(TimerTableTest, CancelAfterFireOrOfUnknownIdIsANoOp) {
  TimerTable t;
  const TimerId fired = t.arm();
  const TimerId other = t.arm();
  ASSERT_TRUE(t.fire(fired));
  t.cancel(fired);
  t.cancel(12345);
  EXPECT_EQ(t.armed(), 1u);
  EXPECT_TRUE(t.fire(other));
}

TEST(TimerTableTest, CancellingOneTimerLeavesOthersArmed) {
  TimerTable t;
  const TimerId a = t.arm();
  const TimerId b = t.arm();
  const TimerId c = t.arm();
  t.cancel(b);
  EXPECT_EQ(t.armed(), 2u);
  EXPECT_TRUE(t.fire(c));
  EXPECT_TRUE(t.fire(a));
  EXPECT_FALSE(t.fire(b));
}

TEST(TimerTableTest, FireOfNeverArmedIdIsFalse) {
  TimerTable t;
  EXPECT_FALSE(t.fire(0));
  EXPECT_FALSE(t.fire(1));  // the first id arm() would return, but it was not armed
}

TEST(TimerTableTest, ArmedCountReturnsToZeroAfterMillionsOfTimers) {
  // Bookkeeping follows the timers currently armed, not the number ever armed.
  TimerTable t;
  std::vector<TimerId> window;
  for (int round = 0; round < 100'000; ++round) {
    for (int i = 0; i < 20; ++i) window.push_back(t.arm());
    for (std::size_t i = 0; i < window.size(); ++i) {
      if (i % 2 == 0) {
        t.cancel(window[i]);
      } else {
        ASSERT_TRUE(t.fire(window[i]));
      }
    }
    window.clear();
    ASSERT_EQ(t.armed(), 0u);
  }
  EXPECT_EQ(t.arm(), TimerId{2'000'001});
}

TEST(TimerTableTest, ClearDisarmsEverythingButIdsKeepIncreasing) {
  TimerTable t;
  const TimerId a = t.arm();
  t.arm();
  t.clear();
  EXPECT_EQ(t.armed(), 0u);
  EXPECT_FALSE(t.fire(a));
  EXPECT_GT(t.arm(), a + 1);
}

}  // namespace
}  // namespace hlsim
