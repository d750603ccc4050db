// BoundedMemo: finds what was inserted, keeps the first value of a key, drops the oldest entries
// beyond its capacity, counts hits and misses, and keeps nothing at capacity 0.
#include "ledger/bounded_memo.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace hlsim {
namespace {

Hash256 key(std::uint8_t b) {
  Hash256 h;
  h.bytes[31] = b;
  return h;
}

TEST(BoundedMemoTest, FindsWhatWasInsertedAndKeepsTheFirstValueOfAKey) {
  BoundedMemo<std::string> memo(4);
  EXPECT_EQ(memo.find(key(1)), nullptr);
  memo.insert(key(1), "one");
  ASSERT_NE(memo.find(key(1)), nullptr);
  EXPECT_EQ(*memo.find(key(1)), "one");
  memo.insert(key(1), "uno");
  EXPECT_EQ(*memo.find(key(1)), "one");
  EXPECT_EQ(memo.size(), 1u);
  EXPECT_EQ(memo.hits(), 3u);
  EXPECT_EQ(memo.misses(), 1u);
}

TEST(BoundedMemoTest, DropsTheOldestEntriesBeyondItsCapacity) {
  BoundedMemo<int> memo(2);
  for (std::uint8_t i = 0; i < 5; ++i) memo.insert(key(i), i);
  EXPECT_EQ(memo.size(), 2u);
  for (std::uint8_t i = 0; i < 3; ++i) EXPECT_EQ(memo.find(key(i)), nullptr) << int{i};
  ASSERT_NE(memo.find(key(3)), nullptr);
  ASSERT_NE(memo.find(key(4)), nullptr);
  EXPECT_EQ(*memo.find(key(4)), 4);
  // Re-inserting a kept key does not make it younger: it is still the next to go.
  memo.insert(key(3), 30);
  memo.insert(key(5), 5);
  EXPECT_EQ(memo.find(key(3)), nullptr);
  EXPECT_NE(memo.find(key(5)), nullptr);
}

TEST(BoundedMemoTest, CapacityZeroKeepsNothingAndCountsNothing) {
  BoundedMemo<int> memo(0);
  EXPECT_FALSE(memo.enabled());
  memo.insert(key(1), 1);
  EXPECT_EQ(memo.find(key(1)), nullptr);
  EXPECT_EQ(memo.size(), 0u);
  EXPECT_EQ(memo.hits() + memo.misses(), 0u);
}

}  // namespace
}  // namespace hlsim
