// ArrivalQueue: numbers items in arrival order, finds and erases them by number, visits the live
// ones in order (stopping when asked), and keeps its numbers and contents right through churn that
// leaves one old item pending while thousands come and go (the compaction case), against a
// std::map reference.
#include "ledger/arrival_queue.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hlsim {
namespace {

std::vector<std::pair<std::uint64_t, std::string>> contents(const ArrivalQueue<std::string>& q) {
  std::vector<std::pair<std::uint64_t, std::string>> out;
  q.for_each_while([&](std::uint64_t seq, const std::string& v) {
    out.emplace_back(seq, v);
    return true;
  });
  return out;
}

TEST(ArrivalQueueTest, NumbersFindsErasesAndVisitsInArrivalOrder) {
  ArrivalQueue<std::string> q;
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.push("a"), 0u);
  EXPECT_EQ(q.push("b"), 1u);
  EXPECT_EQ(q.push("c"), 2u);
  EXPECT_EQ(q.size(), 3u);
  ASSERT_NE(q.find(1), nullptr);
  EXPECT_EQ(*q.find(1), "b");
  EXPECT_TRUE(q.erase(1));
  EXPECT_FALSE(q.erase(1));
  EXPECT_EQ(q.find(1), nullptr);
  EXPECT_EQ(q.find(7), nullptr);
  using Contents = std::vector<std::pair<std::uint64_t, std::string>>;
  EXPECT_EQ(contents(q), (Contents{{0, "a"}, {2, "c"}}));
  std::vector<std::uint64_t> first;
  q.for_each_while([&](std::uint64_t seq, const std::string&) {
    first.push_back(seq);
    return false;
  });
  EXPECT_EQ(first, std::vector<std::uint64_t>{0});
  *q.find(2) = "C";
  EXPECT_EQ(*q.find(2), "C");
  q.clear();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.push("d"), 3u);  // numbers are never reused
}

TEST(ArrivalQueueTest, AgreesWithAnOrderedMapWhenOneItemStaysPending) {
  ArrivalQueue<std::string> q;
  std::map<std::uint64_t, std::string> reference;
  const std::uint64_t stuck = q.push("stuck");
  reference.emplace(stuck, "stuck");
  std::uint64_t x = 88172645463325252ULL;
  for (int step = 0; step < 20000; ++step) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    if (reference.size() < 50 || x % 3 != 0) {
      const std::string v = std::to_string(step);
      reference.emplace(q.push(v), v);
    }
    if (reference.size() > 40) {
      // Erase a random live item other than the stuck one.
      auto it = reference.upper_bound(stuck);
      std::advance(it, static_cast<long>(x % (reference.size() - 1)));
      ASSERT_TRUE(q.erase(it->first));
      reference.erase(it);
    }
    ASSERT_EQ(q.size(), reference.size());
  }
  for (const auto& [seq, v] : reference) {
    ASSERT_NE(q.find(seq), nullptr) << seq;
    EXPECT_EQ(*q.find(seq), v);
  }
  std::vector<std::pair<std::uint64_t, std::string>> want(reference.begin(), reference.end());
  EXPECT_EQ(contents(q), want);
}

}  // namespace
}  // namespace hlsim
