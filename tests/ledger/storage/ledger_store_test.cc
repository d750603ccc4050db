// The LedgerStore contract, run against both backends: memory and rocksdb.
#include "ledger/storage/ledger_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "temp_dir.h"

namespace hlsim {
namespace {

struct MemoryBackend {
  static constexpr const char* kName = "memory";
  std::unique_ptr<LedgerStore> open() { return make_memory_ledger_store(); }
};

struct RocksDbBackend {
  static constexpr const char* kName = "rocksdb";
  test_util::TempDir dir;
  std::unique_ptr<LedgerStore> open() {
    auto r = open_rocksdb_ledger_store(dir.sub("ledger"), /*create=*/true);
    if (!r) throw std::runtime_error(r.error().message);
    return std::move(r).value();
  }
};

template <class Backend>
class LedgerStoreTest : public ::testing::Test {
 protected:
  Backend backend_;
  std::unique_ptr<LedgerStore> store_ = backend_.open();
};

// Names the instantiations LedgerStoreTest/memory and LedgerStoreTest/rocksdb.
struct BackendName {
  template <class Backend>
  static std::string GetName(int) {
    return Backend::kName;
  }
};

using Backends = ::testing::Types<MemoryBackend, RocksDbBackend>;
TYPED_TEST_SUITE(LedgerStoreTest, Backends, BackendName);

Bytes encoding(Height h, std::size_t size = 100) {
  Bytes b(size);
  for (std::size_t i = 0; i < size; ++i) b[i] = static_cast<std::uint8_t>(h * 31 + i);
  return b;
}

StateWrite put(std::string key, std::string value) { return {std::move(key), std::move(value)}; }
StateWrite erase(std::string key) { return {std::move(key), std::nullopt}; }

std::map<std::string, std::string> dump(const LedgerStore& s) {
  std::map<std::string, std::string> out;
  std::string previous;
  bool first = true;
  s.for_each_state([&](std::string_view k, std::string_view v) {
    if (!first) {
      EXPECT_LT(previous, std::string(k)) << "for_each_state out of byte order";
    }
    previous = std::string(k);
    first = false;
    out.emplace(std::string(k), std::string(v));
  });
  return out;
}

// A block committed held decoded (commit_block_ref) reads back as its encoding, between blocks
// committed as bytes, with its writes and root applied as commit_block would.
TYPED_TEST(LedgerStoreTest, BlocksCommittedDecodedReadBackAsTheirEncoding) {
  const SigningKey key = SigningKey::derive(9, "node-0");
  const BlockRef block = seal_block(2, Hash256{}, 0, 1, 5, {}, key);
  Hash256 root;
  root.bytes[0] = 2;
  const std::vector<StateWrite> first = {put("a", "1")};
  ASSERT_TRUE(this->store_->commit_block(1, encoding(1), first, Hash256{}).ok());
  const auto writes =
      std::make_shared<const std::vector<StateWrite>>(std::vector{put("b", "2"), erase("a")});
  ASSERT_TRUE(this->store_->commit_block_ref(2, block, writes, root).ok());
  ASSERT_TRUE(this->store_->commit_block(3, encoding(3), {}, Hash256{}).ok());
  EXPECT_FALSE(this->store_->commit_block_ref(3, block, writes, root).ok());
  EXPECT_EQ(this->store_->height(), 3u);
  EXPECT_EQ(this->store_->block(1), encoding(1));
  EXPECT_EQ(this->store_->block(2), block->encode());
  EXPECT_EQ(this->store_->block(3), encoding(3));
  EXPECT_EQ(this->store_->state_root(2), root);
  EXPECT_EQ(this->store_->get("a"), std::nullopt);
  EXPECT_EQ(this->store_->get("b"), "2");
}

// Two stores that commit the same shared write set each see it applied to their own state; what
// one writes later never shows in the other.
TYPED_TEST(LedgerStoreTest, StoresSharingAWriteSetKeepTheirOwnState) {
  TypeParam other_backend;
  const std::unique_ptr<LedgerStore> other = other_backend.open();
  const SigningKey key = SigningKey::derive(9, "node-0");
  const BlockRef block = seal_block(1, Hash256{}, 0, 1, 5, {}, key);
  const auto shared = std::make_shared<const std::vector<StateWrite>>(
      std::vector{put("a", "1"), put("b", "2"), put("a", "3")});
  ASSERT_TRUE(this->store_->commit_block_ref(1, block, shared, Hash256{}).ok());
  ASSERT_TRUE(other->commit_block_ref(1, block, shared, Hash256{}).ok());
  const std::vector<StateWrite> later = {erase("a"), put("b", "4")};
  ASSERT_TRUE(this->store_->commit_block(2, encoding(2), later, Hash256{}).ok());
  EXPECT_EQ(this->store_->get("a"), std::nullopt);
  EXPECT_EQ(this->store_->get("b"), "4");
  EXPECT_EQ(this->store_->key_count(), 1u);
  EXPECT_EQ(other->get("a"), "3");
  EXPECT_EQ(other->get("b"), "2");
  EXPECT_EQ(other->key_count(), 2u);
  EXPECT_EQ(other->state_bytes(), 4u);
  EXPECT_EQ(dump(*other), (std::map<std::string, std::string>{{"a", "3"}, {"b", "2"}}));
}

TYPED_TEST(LedgerStoreTest, StartsEmpty) {
  LedgerStore& s = *this->store_;
  EXPECT_EQ(s.height(), 0u);
  EXPECT_FALSE(s.block(0).has_value());
  EXPECT_FALSE(s.block(1).has_value());
  EXPECT_FALSE(s.get("k").has_value());
  EXPECT_EQ(s.key_count(), 0u);
  EXPECT_EQ(s.state_bytes(), 0u);
  EXPECT_TRUE(dump(s).empty());
  EXPECT_FALSE(s.get_meta("scheme").has_value());
}

TYPED_TEST(LedgerStoreTest, CommitsASequenceOfBlocks) {
  LedgerStore& s = *this->store_;
  for (Height h = 1; h <= 5; ++h) {
    const std::vector<StateWrite> writes = {put("height", std::to_string(h)),
                                            put("k" + std::to_string(h), "v")};
    ASSERT_TRUE(s.commit_block(h, encoding(h, 50 * h), writes, Hash256{})) << h;
    EXPECT_EQ(s.height(), h);
  }
  for (Height h = 1; h <= 5; ++h) EXPECT_EQ(s.block(h), encoding(h, 50 * h)) << h;
  EXPECT_FALSE(s.block(0).has_value());
  EXPECT_FALSE(s.block(6).has_value());
  EXPECT_EQ(s.get("height"), "5");
  EXPECT_EQ(s.get("k3"), "v");
  EXPECT_EQ(s.key_count(), 6u);
}

TYPED_TEST(LedgerStoreTest, EmptyBlockAndNoWrites) {
  LedgerStore& s = *this->store_;
  ASSERT_TRUE(s.commit_block(1, {}, {}, Hash256{}));
  EXPECT_EQ(s.height(), 1u);
  EXPECT_EQ(s.block(1), Bytes{});
}

TYPED_TEST(LedgerStoreTest, CommitAtAnyHeightButNextFailsAndChangesNothing) {
  LedgerStore& s = *this->store_;
  const std::vector<StateWrite> writes = {put("a", "1")};
  for (Height bad : {Height{0}, Height{2}, Height{7}}) {
    const Status st = s.commit_block(bad, encoding(bad), writes, Hash256{});
    EXPECT_FALSE(st) << bad;
    EXPECT_NE(st.error().message.find("next height is 1"), std::string::npos) << st.error().message;
  }
  EXPECT_EQ(s.height(), 0u);
  EXPECT_FALSE(s.get("a").has_value());
  EXPECT_EQ(s.key_count(), 0u);
  EXPECT_EQ(s.state_bytes(), 0u);
  EXPECT_FALSE(s.block(2).has_value());

  ASSERT_TRUE(s.commit_block(1, encoding(1), writes, Hash256{}));
  const std::vector<StateWrite> other = {put("a", "changed"), put("b", "2")};
  for (Height bad : {Height{1}, Height{3}, Height{0}})
    EXPECT_FALSE(s.commit_block(bad, {}, other, Hash256{}));
  EXPECT_EQ(s.height(), 1u);
  EXPECT_EQ(s.block(1), encoding(1));
  EXPECT_FALSE(s.block(2).has_value());
  EXPECT_EQ(s.get("a"), "1");
  EXPECT_FALSE(s.get("b").has_value());
  EXPECT_EQ(s.key_count(), 1u);
  EXPECT_EQ(s.state_bytes(), 2u);
}

TYPED_TEST(LedgerStoreTest, LaterWriteToTheSameKeyWins) {
  LedgerStore& s = *this->store_;
  const std::vector<StateWrite> writes = {put("a", "1"),  put("a", "22"), put("b", "x"),
                                          erase("b"),     put("c", "3"),  erase("c"),
                                          put("c", "44"), erase("zz")};
  ASSERT_TRUE(s.commit_block(1, {}, writes, Hash256{}));
  EXPECT_EQ(s.get("a"), "22");
  EXPECT_FALSE(s.get("b").has_value());
  EXPECT_EQ(s.get("c"), "44");
  EXPECT_EQ(s.key_count(), 2u);
  EXPECT_EQ(s.state_bytes(), (1u + 2u) + (1u + 2u));
}

TYPED_TEST(LedgerStoreTest, GetAfterEraseIsNullopt) {
  LedgerStore& s = *this->store_;
  ASSERT_TRUE(s.commit_block(1, {}, std::vector<StateWrite>{put("p/1", "abc"), put("p/2", "de")},
                             Hash256{}));
  ASSERT_TRUE(s.commit_block(2, {}, std::vector<StateWrite>{erase("p/1")}, Hash256{}));
  EXPECT_FALSE(s.get("p/1").has_value());
  EXPECT_EQ(s.get("p/2"), "de");
  EXPECT_EQ(s.key_count(), 1u);
  EXPECT_EQ(s.state_bytes(), 5u);
  // Erasing a missing key is a no-op, also for the counters.
  ASSERT_TRUE(
      s.commit_block(3, {}, std::vector<StateWrite>{erase("p/1"), erase("never")}, Hash256{}));
  EXPECT_EQ(s.key_count(), 1u);
  EXPECT_EQ(s.state_bytes(), 5u);
}

TYPED_TEST(LedgerStoreTest, ForEachStateVisitsKeysInByteOrder) {
  LedgerStore& s = *this->store_;
  const std::vector<std::string> keys = {
      "b",         "a",         "ab",        std::string("a\0b", 3),
      "\xff",      "\x7f",      "B",         std::string(1, '\0'),
      "\x80zzzzz", "patient/9", "patient/10"};
  std::vector<StateWrite> writes;
  for (const std::string& k : keys) writes.push_back(put(k, "v:" + k));
  ASSERT_TRUE(s.commit_block(1, {}, writes, Hash256{}));

  std::vector<std::string> expected = keys;
  // Byte order: compare as unsigned bytes.
  std::sort(expected.begin(), expected.end(), [](const std::string& x, const std::string& y) {
    return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(), [](char p, char q) {
      return static_cast<unsigned char>(p) < static_cast<unsigned char>(q);
    });
  });
  std::vector<std::string> seen;
  s.for_each_state([&](std::string_view k, std::string_view v) {
    seen.emplace_back(k);
    EXPECT_EQ(v, "v:" + std::string(k));
  });
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(seen.front(), std::string(1, '\0'));
  EXPECT_EQ(seen.back(), "\xff");
}

TYPED_TEST(LedgerStoreTest, BinaryKeysAndValuesRoundTrip) {
  LedgerStore& s = *this->store_;
  std::string value;
  for (int i = 0; i < 256; ++i) value.push_back(static_cast<char>(i));
  const std::string key("k\0\xff", 3);
  ASSERT_TRUE(
      s.commit_block(1, {}, std::vector<StateWrite>{put(key, value), put("empty", "")}, Hash256{}));
  EXPECT_EQ(s.get(key), value);
  EXPECT_EQ(s.get("empty"), "");
  EXPECT_FALSE(s.get(std::string("k", 1)).has_value());
  EXPECT_EQ(s.state_bytes(), 3u + 256u + 5u);
}

// Counters and contents against a reference model over many blocks of mixed inserts, updates and
// erases (a fixed xorshift sequence, so the test is deterministic).
TYPED_TEST(LedgerStoreTest, CountersTrackAReferenceModel) {
  LedgerStore& s = *this->store_;
  std::map<std::string, std::string> model;
  std::uint64_t x = 0x9e3779b97f4a7c15ULL;
  const auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (Height h = 1; h <= 40; ++h) {
    std::vector<StateWrite> writes;
    for (int i = 0; i < 60; ++i) {
      const std::string key = "key/" + std::to_string(next() % 150);
      if (next() % 4 == 0) {
        writes.push_back(erase(key));
        model.erase(key);
      } else {
        std::string value(next() % 40, static_cast<char>('a' + h % 26));
        writes.push_back(put(key, value));
        model[key] = value;
      }
    }
    ASSERT_TRUE(s.commit_block(h, encoding(h), writes, Hash256{}));
    std::uint64_t bytes = 0;
    for (const auto& [k, v] : model) bytes += k.size() + v.size();
    ASSERT_EQ(s.key_count(), model.size()) << h;
    ASSERT_EQ(s.state_bytes(), bytes) << h;
  }
  EXPECT_EQ(dump(s), model);
}

TYPED_TEST(LedgerStoreTest, MetadataIsSeparateFromState) {
  LedgerStore& s = *this->store_;
  const Bytes scheme = {'e', 'd', '2', '5', '5', '1', '9'};
  ASSERT_TRUE(s.put_meta("scheme", scheme));
  ASSERT_TRUE(s.put_meta("empty", {}));
  EXPECT_EQ(s.get_meta("scheme"), scheme);
  EXPECT_EQ(s.get_meta("empty"), Bytes{});
  EXPECT_FALSE(s.get_meta("absent").has_value());
  EXPECT_FALSE(s.get("scheme").has_value());
  EXPECT_EQ(s.key_count(), 0u);

  const Bytes other = {1, 2, 3};
  ASSERT_TRUE(s.put_meta("scheme", other));
  EXPECT_EQ(s.get_meta("scheme"), other);
  ASSERT_TRUE(s.commit_block(1, {}, std::vector<StateWrite>{put("scheme", "state")}, Hash256{}));
  EXPECT_EQ(s.get_meta("scheme"), other);
  EXPECT_EQ(s.get("scheme"), "state");
  // Keys the RocksDB backend uses for its own bookkeeping are ordinary metadata keys here.
  ASSERT_TRUE(s.put_meta("height", other));
  EXPECT_EQ(s.height(), 1u);
  EXPECT_EQ(s.get_meta("height"), other);
}

TYPED_TEST(LedgerStoreTest, LargeBlockEncoding) {
  LedgerStore& s = *this->store_;
  const Bytes big = encoding(1, 3u << 20);
  ASSERT_TRUE(s.commit_block(1, big, {}, Hash256{}));
  EXPECT_EQ(s.block(1), big);
}

}  // namespace
}  // namespace hlsim
