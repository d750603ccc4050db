// YcsbContract and YCSB payloads: each rule allowed and rejected, with and without a load phase;
// exact decoding.
#include "workloads/ycsb/ycsb_contract.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "ledger/storage/memory_store.h"
#include "workloads/ycsb/ycsb_payloads.h"

namespace hlsim::ycsb {
namespace {

constexpr std::uint64_t kRecords = 50;
constexpr std::uint32_t kFields = 4;
constexpr std::uint32_t kFieldBytes = 8;

Transaction tx_of(Kind kind, Bytes payload) {
  Transaction tx;
  tx.kind = static_cast<std::uint16_t>(kind);
  tx.payload = std::move(payload);
  return tx;
}

class YcsbContractTest : public ::testing::Test {
 protected:
  ApplyResult apply(Kind kind, Bytes payload) {
    return contract_.apply(state_, tx_of(kind, std::move(payload)), 0);
  }
  ApplyResult read(std::uint64_t key) { return apply(Kind::kRead, encode(Read{key})); }
  ApplyResult update(std::uint64_t key, std::uint8_t field, Bytes value) {
    return apply(Kind::kUpdate, encode(Update{key, field, std::move(value)}));
  }
  ApplyResult insert(std::uint64_t key, Bytes record) {
    return apply(Kind::kInsert, encode(Insert{key, std::move(record)}));
  }
  std::string stored(std::uint64_t key) const { return state_.get(record_key(key)).value_or(""); }

  YcsbContract contract_{kRecords, kFields, kFieldBytes, /*absent_is_default=*/false};
  MemoryStore state_;
};

TEST_F(YcsbContractTest, InsertWritesANewRecordOnceAndItsSizeMustMatch) {
  const ApplyResult r = insert(7, Bytes(32, 'a'));
  EXPECT_EQ(r.outcome, TxOutcome::kApplied);
  EXPECT_EQ(r.writes, 1u);
  EXPECT_EQ(r.written_bytes, record_key(7).size() + 32);
  EXPECT_EQ(stored(7), std::string(32, 'a'));
  EXPECT_EQ(insert(7, Bytes(32, 'b')).outcome, TxOutcome::kDenied);
  EXPECT_EQ(stored(7), std::string(32, 'a'));
  EXPECT_EQ(insert(8, Bytes(31, 'a')).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(insert(kRecords, Bytes(32, 'a')).outcome, TxOutcome::kInvalid);
}

TEST_F(YcsbContractTest, AReadHitsAnExistingRecordAndMissesOtherwise) {
  EXPECT_EQ(read(3).outcome, TxOutcome::kDenied);
  ASSERT_EQ(insert(3, Bytes(32, 'x')).outcome, TxOutcome::kApplied);
  const ApplyResult hit = read(3);
  EXPECT_EQ(hit.outcome, TxOutcome::kApplied);
  EXPECT_EQ(hit.writes, 0u);
  EXPECT_EQ(read(kRecords).outcome, TxOutcome::kInvalid);
}

TEST_F(YcsbContractTest, AnUpdateRewritesOneFieldOrAllOfAnExistingRecord) {
  EXPECT_EQ(update(2, 1, Bytes(8, 'u')).outcome, TxOutcome::kDenied);
  ASSERT_EQ(insert(2, Bytes(32, '.')).outcome, TxOutcome::kApplied);
  const ApplyResult r = update(2, 1, Bytes(8, 'u'));
  EXPECT_EQ(r.outcome, TxOutcome::kApplied);
  EXPECT_EQ(r.written_bytes, record_key(2).size() + 32);  // the whole record is rewritten
  EXPECT_EQ(stored(2), std::string(8, '.') + std::string(8, 'u') + std::string(16, '.'));
  EXPECT_EQ(update(2, kAllFields, Bytes(32, 'z')).outcome, TxOutcome::kApplied);
  EXPECT_EQ(stored(2), std::string(32, 'z'));
}

TEST_F(YcsbContractTest, UpdatesOfAnUnknownFieldOrWithAWrongSizedValueAreInvalid) {
  ASSERT_EQ(insert(2, Bytes(32, '.')).outcome, TxOutcome::kApplied);
  EXPECT_EQ(update(2, kFields, Bytes(8, 'u')).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(update(2, 0, Bytes(9, 'u')).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(update(2, kAllFields, Bytes(8, 'u')).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(update(kRecords, 0, Bytes(8, 'u')).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(stored(2), std::string(32, '.'));
}

TEST_F(YcsbContractTest, MalformedPayloadsAndUnknownKindsAreInvalid) {
  Bytes trailing = encode(Read{1});
  trailing.push_back(0);
  EXPECT_EQ(apply(Kind::kRead, trailing).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(apply(Kind::kUpdate, Bytes{1, 2}).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(apply(Kind::kInsert, encode(Read{1})).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(apply(static_cast<Kind>(kKindCount), encode(Read{1})).outcome, TxOutcome::kInvalid);
}

TEST(YcsbContractNoLoadTest, WithoutALoadPhaseAbsentRecordsReadAsZeroBytes) {
  YcsbContract c(kRecords, kFields, kFieldBytes, /*absent_is_default=*/true);
  MemoryStore state;
  EXPECT_EQ(c.apply(state, tx_of(Kind::kRead, encode(Read{5})), 0).outcome, TxOutcome::kApplied);
  EXPECT_EQ(state.key_count(), 0u);
  EXPECT_EQ(c.apply(state, tx_of(Kind::kUpdate, encode(Update{5, 3, Bytes(8, 'q')})), 0).outcome,
            TxOutcome::kApplied);
  EXPECT_EQ(*state.get(record_key(5)), std::string(24, '\0') + std::string(8, 'q'));
}

TEST(YcsbPayloadTest, EncodingsRoundTripAndOnlyExactOnesDecode) {
  const Bytes u = encode(Update{0xAABBCCDDEEull, 3, Bytes{1, 2, 3}});
  const auto up = decode_update(u);
  ASSERT_TRUE(up.has_value());
  EXPECT_EQ(up->key, 0xAABBCCDDEEull);
  EXPECT_EQ(up->field, 3);
  EXPECT_EQ(up->value, (Bytes{1, 2, 3}));
  for (std::size_t n = 0; n < u.size(); ++n) {
    EXPECT_FALSE(decode_update(ByteView(u.data(), n)).has_value()) << n;
  }
  const Bytes i = encode(Insert{9, Bytes(5, 7)});
  EXPECT_EQ(decode_insert(i)->record, Bytes(5, 7));
  EXPECT_FALSE(decode_insert(ByteView(i.data(), i.size() - 1)).has_value());
  EXPECT_EQ(decode_read(encode(Read{42}))->key, 42u);
  EXPECT_FALSE(decode_read(Bytes(7)).has_value());
  EXPECT_EQ(record_key(42), "ycsb/user42");
  EXPECT_STREQ(kind_name(2), "insert");
  EXPECT_EQ(kind_name(3), nullptr);
}

TEST(YcsbContractConstructionTest, RejectsAnEmptyTableOrFieldLayout) {
  EXPECT_THROW(YcsbContract(0, 1, 1, false), std::invalid_argument);
  EXPECT_THROW(YcsbContract(1, 0, 1, false), std::invalid_argument);
  EXPECT_THROW(YcsbContract(1, kAllFields, 1, false), std::invalid_argument);
  EXPECT_THROW(YcsbContract(1, 1, 0, false), std::invalid_argument);
}

}  // namespace
}  // namespace hlsim::ycsb
