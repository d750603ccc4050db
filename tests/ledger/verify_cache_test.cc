#include "ledger/verify_cache.h"

#include <gtest/gtest.h>

#include "ledger_test_util.h"

namespace hlsim {
namespace {

using testing::make_tx;

class VerifyCacheTest : public ::testing::Test {
 protected:
  const SigningKey key_ = SigningKey::derive(5, "client-1");
};

TEST_F(VerifyCacheTest, FirstCheckMissesLaterChecksHit) {
  VerifyCache cache;
  const Transaction tx = make_tx(key_, 1);
  EXPECT_TRUE(cache.verify(tx));
  EXPECT_EQ(cache.hits(), 0u);
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_TRUE(cache.verify(tx));
  EXPECT_TRUE(cache.verify(tx));
  EXPECT_EQ(cache.hits(), 2u);
  EXPECT_EQ(cache.misses(), 1u);
  const Transaction other = make_tx(key_, 2);
  EXPECT_TRUE(cache.verify(other));
  EXPECT_EQ(cache.misses(), 2u);
}

TEST_F(VerifyCacheTest, InvalidResultIsCachedAsInvalid) {
  VerifyCache cache;
  Transaction tx = make_tx(key_, 1);
  tx.signature.bytes[5] ^= 1;
  EXPECT_FALSE(cache.verify(tx));
  EXPECT_FALSE(cache.verify(tx));
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 1u);
}

TEST_F(VerifyCacheTest, TamperedTransactionAfterCachedValidOneIsRejected) {
  VerifyCache cache;
  const Transaction good = make_tx(key_, 3);
  ASSERT_TRUE(cache.verify(good));

  Transaction stale_id = good;  // same id and signature fields, different body
  stale_id.payload[0] ^= 1;
  EXPECT_FALSE(cache.verify(stale_id));

  Transaction fresh_id = stale_id;
  fresh_id.id = fresh_id.compute_id();
  EXPECT_FALSE(cache.verify(fresh_id));

  Transaction bad_sig = good;
  bad_sig.signature.bytes[63] ^= 0x10;
  EXPECT_FALSE(cache.verify(bad_sig));

  Transaction other_signer = good;
  other_signer.signer = SigningKey::derive(5, "client-2").public_key();
  EXPECT_FALSE(cache.verify(other_signer));

  Transaction wrong_id = good;
  wrong_id.id.bytes[0] ^= 1;
  EXPECT_FALSE(cache.verify(wrong_id));

  // The genuine transaction is still answered from the cache.
  const std::uint64_t hits = cache.hits();
  EXPECT_TRUE(cache.verify(good));
  EXPECT_EQ(cache.hits(), hits + 1);
}

TEST_F(VerifyCacheTest, AgreesWithVerifyTxAcrossEvictions) {
  VerifyCache cache(4);
  std::vector<Transaction> txs;
  for (std::uint64_t i = 0; i < 10; ++i) {
    Transaction tx = make_tx(key_, i);
    if (i % 3 == 0) tx.signature.bytes[0] ^= 1;
    txs.push_back(tx);
  }
  for (int round = 0; round < 3; ++round) {
    for (const Transaction& tx : txs) EXPECT_EQ(cache.verify(tx), verify_tx(tx));
  }
  EXPECT_EQ(cache.hits() + cache.misses(), 30u);
  EXPECT_GT(cache.misses(), 10u);  // capacity 4 cannot hold all ten
}

TEST_F(VerifyCacheTest, ZeroCapacityNeverHitsButStillAnswers) {
  VerifyCache cache(0);
  const Transaction tx = make_tx(key_, 1);
  EXPECT_TRUE(cache.verify(tx));
  EXPECT_TRUE(cache.verify(tx));
  EXPECT_EQ(cache.hits(), 0u);
  EXPECT_EQ(cache.misses(), 2u);
}

}  // namespace
}  // namespace hlsim
