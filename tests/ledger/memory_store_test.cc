#include "ledger/storage/memory_store.h"

#include <gtest/gtest.h>

namespace hlsim {
namespace {

TEST(MemoryStoreTest, GetMissingIsNullopt) {
  MemoryStore s;
  EXPECT_FALSE(s.get("absent").has_value());
  EXPECT_EQ(s.key_count(), 0u);
  EXPECT_EQ(s.bytes(), 0u);
}

TEST(MemoryStoreTest, PutGetAndBytesCountKeysAndValues) {
  MemoryStore s;
  s.put("patient/1", "abc");
  s.put("patient/22", "");
  EXPECT_EQ(s.get("patient/1"), "abc");
  EXPECT_EQ(s.get("patient/22"), "");
  EXPECT_EQ(s.key_count(), 2u);
  EXPECT_EQ(s.bytes(), (9u + 3u) + (10u + 0u));
}

TEST(MemoryStoreTest, OverwriteAdjustsBytesByValueSizeDifference) {
  MemoryStore s;
  s.put("key", "12345");
  EXPECT_EQ(s.bytes(), 8u);
  s.put("key", "1");
  EXPECT_EQ(s.bytes(), 4u);
  s.put("key", std::string(100, 'x'));
  EXPECT_EQ(s.bytes(), 103u);
  EXPECT_EQ(s.key_count(), 1u);
  EXPECT_EQ(s.get("key"), std::string(100, 'x'));
}

TEST(MemoryStoreTest, EraseRemovesKeyAndItsBytesAndIgnoresMissing) {
  MemoryStore s;
  s.put("a", "xx");
  s.put("bb", "yyy");
  s.erase("a");
  EXPECT_FALSE(s.get("a").has_value());
  EXPECT_EQ(s.key_count(), 1u);
  EXPECT_EQ(s.bytes(), 5u);
  s.erase("a");
  s.erase("zzz");
  EXPECT_EQ(s.bytes(), 5u);
  s.erase("bb");
  EXPECT_EQ(s.bytes(), 0u);
  EXPECT_EQ(s.key_count(), 0u);
}

TEST(MemoryStoreTest, KeysWithEmbeddedNulAreDistinct) {
  MemoryStore s;
  const std::string k1("a\0b", 3);
  const std::string k2("a\0c", 3);
  s.put(k1, "1");
  s.put(k2, "2");
  EXPECT_EQ(s.get(k1), "1");
  EXPECT_EQ(s.get(k2), "2");
  EXPECT_FALSE(s.get("a").has_value());
  EXPECT_EQ(s.bytes(), 8u);
}

}  // namespace
}  // namespace hlsim
