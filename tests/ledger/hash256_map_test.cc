// Hash256Map and Hash256Set: agree with std::map under random insert/erase churn (including keys
// that differ in a single byte, which must still spread), keep the first value of a key, take a
// value out, and iterate deterministically.
#include "ledger/hash256_map.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace hlsim {
namespace {

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Keys that differ only in byte `at` (a worst case for a table that hashes a prefix).
Hash256 one_byte_key(std::size_t at, std::uint8_t b) {
  Hash256 h;
  h.bytes[at] = b;
  return h;
}

Hash256 random_key(std::uint64_t& state, std::uint64_t universe) {
  Hash256 h;
  const std::uint64_t v = splitmix(state) % universe;
  // Spread the small universe over all four words so every word of the mix is exercised.
  for (std::size_t i = 0; i < 4; ++i) h.bytes[i * 8 + (v % 8)] = static_cast<std::uint8_t>(v >> i);
  h.bytes[7] = static_cast<std::uint8_t>(v >> 8);
  return h;
}

TEST(Hash256MapTest, FindsInsertsAndKeepsTheFirstValueOfAKey) {
  Hash256Map<std::string> map;
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(map.find(one_byte_key(0, 1)), nullptr);
  EXPECT_FALSE(map.erase(one_byte_key(0, 1)));
  const auto [first, inserted] = map.try_emplace(one_byte_key(0, 1), "one");
  EXPECT_TRUE(inserted);
  EXPECT_EQ(*first, "one");
  const auto [again, inserted_again] = map.try_emplace(one_byte_key(0, 1), "uno");
  EXPECT_FALSE(inserted_again);
  EXPECT_EQ(again, first);
  EXPECT_EQ(*map.find(one_byte_key(0, 1)), "one");
  EXPECT_EQ(map.size(), 1u);
  *map.find(one_byte_key(0, 1)) = "eins";
  EXPECT_EQ(*map.find(one_byte_key(0, 1)), "eins");
  EXPECT_TRUE(map.erase(one_byte_key(0, 1)));
  EXPECT_TRUE(map.empty());
  EXPECT_FALSE(map.contains(one_byte_key(0, 1)));
}

TEST(Hash256MapTest, TakeMovesTheValueOutAndRemovesTheKey) {
  Hash256Map<std::string> map;
  map.try_emplace(one_byte_key(2, 1), "one");
  map.try_emplace(one_byte_key(2, 2), "two");
  std::string out = "untouched";
  EXPECT_FALSE(map.take(one_byte_key(2, 3), out));
  EXPECT_EQ(out, "untouched");
  EXPECT_TRUE(map.take(one_byte_key(2, 1), out));
  EXPECT_EQ(out, "one");
  EXPECT_FALSE(map.contains(one_byte_key(2, 1)));
  EXPECT_EQ(*map.find(one_byte_key(2, 2)), "two");
  EXPECT_EQ(map.size(), 1u);
}

TEST(Hash256MapTest, KeysDifferingInOneByteAnywhereAllFitAndAreFound) {
  for (std::size_t at : {std::size_t{0}, std::size_t{7}, std::size_t{8}, std::size_t{31}}) {
    Hash256Map<int> map;
    for (int b = 0; b < 256; ++b)
      map.try_emplace(one_byte_key(at, static_cast<std::uint8_t>(b)), b);
    ASSERT_EQ(map.size(), 256u) << at;
    for (int b = 0; b < 256; ++b) {
      const int* v = map.find(one_byte_key(at, static_cast<std::uint8_t>(b)));
      ASSERT_NE(v, nullptr) << at << " " << b;
      EXPECT_EQ(*v, b);
    }
  }
}

TEST(Hash256MapTest, AgreesWithAnOrderedMapUnderChurn) {
  std::uint64_t state = 42;
  Hash256Map<std::uint64_t> map;
  std::map<Hash256, std::uint64_t> reference;
  for (int step = 0; step < 200000; ++step) {
    const Hash256 k = random_key(state, 3000);
    const std::uint64_t op = splitmix(state) % 10;
    if (op < 5) {
      const bool inserted = map.try_emplace(k, static_cast<std::uint64_t>(step)).second;
      EXPECT_EQ(inserted, reference.try_emplace(k, step).second);
    } else if (op < 9) {
      EXPECT_EQ(map.erase(k), reference.erase(k) == 1);
    } else {
      const std::uint64_t* v = map.find(k);
      const auto it = reference.find(k);
      ASSERT_EQ(v != nullptr, it != reference.end());
      if (v != nullptr) {
        EXPECT_EQ(*v, it->second);
      }
    }
    ASSERT_EQ(map.size(), reference.size());
  }
  // Every entry is found, with its value, and iteration visits exactly the reference's entries.
  for (const auto& [k, v] : reference) {
    const std::uint64_t* found = map.find(k);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(*found, v);
  }
  std::map<Hash256, std::uint64_t> visited;
  map.for_each([&](const Hash256& k, std::uint64_t v) { visited.emplace(k, v); });
  EXPECT_EQ(visited, reference);
}

TEST(Hash256MapTest, HoldsMoveOnlyValuesAndClearReleasesEverything) {
  Hash256Map<std::unique_ptr<int>> map;
  for (int b = 0; b < 100; ++b) {
    map.try_emplace(one_byte_key(5, static_cast<std::uint8_t>(b)), std::make_unique<int>(b));
  }
  for (int b = 0; b < 100; b += 2) map.erase(one_byte_key(5, static_cast<std::uint8_t>(b)));
  EXPECT_EQ(map.size(), 50u);
  for (int b = 1; b < 100; b += 2) {
    EXPECT_EQ(**map.find(one_byte_key(5, static_cast<std::uint8_t>(b))), b);
  }
  map.clear();
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(map.find(one_byte_key(5, 1)), nullptr);
  map.try_emplace(one_byte_key(5, 1), std::make_unique<int>(7));
  EXPECT_EQ(**map.find(one_byte_key(5, 1)), 7);
}

TEST(Hash256MapTest, IterationDependsOnlyOnTheHistory) {
  auto build = [] {
    Hash256Map<int> map;
    map.reserve(10);
    for (int b = 0; b < 300; ++b)
      map.try_emplace(one_byte_key(3, static_cast<std::uint8_t>(b % 256)), b);
    for (int b = 0; b < 100; ++b) map.erase(one_byte_key(3, static_cast<std::uint8_t>(b * 2)));
    std::vector<int> order;
    map.for_each([&](const Hash256&, int v) { order.push_back(v); });
    return order;
  };
  const std::vector<int> first = build();
  EXPECT_EQ(first.size(), 156u);
  EXPECT_EQ(build(), first);
}

TEST(Hash256SetTest, InsertsOnceErasesAndVisitsEveryMember) {
  Hash256Set set;
  EXPECT_TRUE(set.insert(one_byte_key(31, 1)));
  EXPECT_FALSE(set.insert(one_byte_key(31, 1)));
  EXPECT_TRUE(set.insert(one_byte_key(31, 2)));
  EXPECT_TRUE(set.contains(one_byte_key(31, 2)));
  EXPECT_EQ(set.size(), 2u);
  std::set<Hash256> members;
  set.for_each([&](const Hash256& k) { members.insert(k); });
  EXPECT_EQ(members, (std::set<Hash256>{one_byte_key(31, 1), one_byte_key(31, 2)}));
  EXPECT_TRUE(set.erase(one_byte_key(31, 1)));
  EXPECT_FALSE(set.erase(one_byte_key(31, 1)));
  EXPECT_FALSE(set.contains(one_byte_key(31, 1)));
  set.clear();
  EXPECT_TRUE(set.empty());
}

}  // namespace
}  // namespace hlsim
