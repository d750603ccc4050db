#include "ledger/storage/state_overlay.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ledger/storage/memory_ledger_store.h"
#include "temp_dir.h"

namespace hlsim {
namespace {

class StateOverlayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.commit_block(
        1, {}, std::vector<StateWrite>{{"a", "1"}, {"b", "22"}, {"c", "333"}}, Hash256{}));
  }
  MemoryLedgerStore store_;  // a: 1, b: 22, c: 333 -> 3 keys, 9 bytes
};

TEST_F(StateOverlayTest, ReadsFallThroughToTheStore) {
  StateOverlay o(store_);
  EXPECT_EQ(o.get("b"), "22");
  EXPECT_FALSE(o.get("zz").has_value());
  EXPECT_EQ(o.key_count(), 3u);
  EXPECT_EQ(o.bytes(), 9u);
  EXPECT_TRUE(o.take_writes().empty());
}

TEST_F(StateOverlayTest, ReadsItsOwnWritesWithoutTouchingTheStore) {
  StateOverlay o(store_);
  o.put("b", "new");
  o.put("d", "4");
  EXPECT_EQ(o.get("b"), "new");
  EXPECT_EQ(o.get("d"), "4");
  EXPECT_EQ(store_.get("b"), "22");
  EXPECT_FALSE(store_.get("d").has_value());
  o.put("d", "44");
  EXPECT_EQ(o.get("d"), "44");
}

TEST_F(StateOverlayTest, EraseThenGetIsNullopt) {
  StateOverlay o(store_);
  o.erase("a");  // in the store
  EXPECT_FALSE(o.get("a").has_value());
  o.put("x", "pending");
  o.erase("x");  // only pending
  EXPECT_FALSE(o.get("x").has_value());
  o.put("a", "back");
  EXPECT_EQ(o.get("a"), "back");
}

TEST_F(StateOverlayTest, TakeWritesIsSortedWithTheLastWritePerKey) {
  StateOverlay o(store_);
  o.put("m", "1");
  o.put("\xff", "high");
  o.put("b", "x");
  o.erase("a");
  o.put("m", "2");
  o.put(std::string(1, '\0'), "nul");
  o.erase("c");
  o.put("c", "again");
  o.erase("not-there");  // invisible: records nothing
  const std::vector<StateWrite> expected = {{std::string(1, '\0'), "nul"},
                                            {"a", std::nullopt},
                                            {"b", "x"},
                                            {"c", "again"},
                                            {"m", "2"},
                                            {"\xff", "high"}};
  EXPECT_EQ(o.take_writes(), expected);
  // Empty afterwards: reads see the store again.
  EXPECT_EQ(o.pending(), 0u);
  EXPECT_EQ(o.get("a"), "1");
  EXPECT_FALSE(o.get("m").has_value());
  EXPECT_EQ(o.key_count(), 3u);
  EXPECT_EQ(o.bytes(), 9u);
  EXPECT_TRUE(o.take_writes().empty());
}

TEST_F(StateOverlayTest, TheWriteSetDoesNotDependOnTheOrderOfIndependentWrites) {
  StateOverlay x(store_);
  x.put("k1", "v1");
  x.erase("b");
  x.put("k2", "v2");
  StateOverlay y(store_);
  y.put("k2", "v2");
  y.put("k1", "v1");
  y.erase("b");
  EXPECT_EQ(x.take_writes(), y.take_writes());
}

TEST_F(StateOverlayTest, CountersIncludePendingWrites) {
  StateOverlay o(store_);
  o.put("d", "4444");  // new: +1 key, +5 bytes
  EXPECT_EQ(o.key_count(), 4u);
  EXPECT_EQ(o.bytes(), 14u);
  o.put("c", "3");  // overwrite: 333 -> 3, -2 bytes
  EXPECT_EQ(o.key_count(), 4u);
  EXPECT_EQ(o.bytes(), 12u);
  o.erase("a");  // -1 key, -2 bytes
  EXPECT_EQ(o.key_count(), 3u);
  EXPECT_EQ(o.bytes(), 10u);
  o.erase("a");   // already erased: nothing
  o.erase("zz");  // never existed: nothing
  EXPECT_EQ(o.key_count(), 3u);
  EXPECT_EQ(o.bytes(), 10u);
  o.put("d", "");  // pending overwrite: 4444 -> "", -4 bytes
  EXPECT_EQ(o.bytes(), 6u);
  o.erase("d");  // pending erase of a pending key
  EXPECT_EQ(o.key_count(), 2u);
  EXPECT_EQ(o.bytes(), 5u);
  o.put("a", "11");  // re-create an erased key
  EXPECT_EQ(o.key_count(), 3u);
  EXPECT_EQ(o.bytes(), 8u);

  // Committing the write set yields exactly the counters the overlay reported.
  const std::uint64_t keys = o.key_count();
  const std::uint64_t bytes = o.bytes();
  ASSERT_TRUE(store_.commit_block(2, {}, o.take_writes(), Hash256{}));
  EXPECT_EQ(store_.key_count(), keys);
  EXPECT_EQ(store_.state_bytes(), bytes);
  EXPECT_EQ(store_.get("a"), "11");
  EXPECT_FALSE(store_.get("d").has_value());
}

TEST(StateOverlayRocksDbTest, WorksOverTheRocksDbBackend) {
  test_util::TempDir tmp;
  auto opened = open_rocksdb_ledger_store(tmp.sub("db"), true);
  ASSERT_TRUE(opened) << opened.error().message;
  LedgerStore& store = **opened;
  ASSERT_TRUE(
      store.commit_block(1, {}, std::vector<StateWrite>{{"a", "1"}, {"b", "22"}}, Hash256{}));
  StateOverlay o(store);
  o.put("c", "333");
  o.erase("a");
  EXPECT_EQ(o.get("b"), "22");
  EXPECT_FALSE(o.get("a").has_value());
  EXPECT_EQ(o.key_count(), 2u);
  EXPECT_EQ(o.bytes(), 3u + 4u);
  ASSERT_TRUE(store.commit_block(2, {}, o.take_writes(), Hash256{}));
  EXPECT_EQ(store.key_count(), 2u);
  EXPECT_EQ(store.state_bytes(), 7u);
  EXPECT_EQ(store.get("c"), "333");
}

}  // namespace
}  // namespace hlsim
