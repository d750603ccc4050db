#include "ledger/transaction.h"

#include <gtest/gtest.h>

#include "ledger/crypto/sha256.h"
#include "ledger/encoding.h"
#include "ledger_test_util.h"

namespace hlsim {
namespace {

using testing::make_tx;

class TransactionTest : public ::testing::Test {
 protected:
  const SigningKey key_ = SigningKey::derive(2024, "client-7");
};

TEST_F(TransactionTest, EncodingLayoutIsTheDocumentedOne) {
  Transaction tx;
  tx.kind = 0x0102;
  tx.client = 0x03040506;
  tx.nonce = 9;
  tx.submit_ns = -1;
  tx.payload = {0xaa, 0xbb};
  sign_tx(tx, key_);
  const Bytes enc = tx.encode();
  ASSERT_EQ(enc.size(), 1u + 2 + 4 + 8 + 8 + 4 + 2 + 33 + 65);
  EXPECT_EQ(to_hex(ByteView(enc).first(30)),
            "02"
            "0201"
            "06050403"
            "0900000000000000"
            "ffffffffffffffff"
            "02000000"
            "aabb"
            "01");  // signer scheme: Ed25519
  EXPECT_EQ(to_hex(ByteView(enc).subspan(30, 32)), to_hex(key_.public_key().view()));
  EXPECT_EQ(enc[62], 64);  // signature length
  EXPECT_EQ(to_hex(ByteView(enc).subspan(63)), to_hex(tx.signature.view()));
  EXPECT_EQ(tx.body(), Bytes(enc.begin(), enc.end() - 65));
  EXPECT_EQ(tx.id, sha256(tx.body()));
  EXPECT_EQ(tx.compute_id(), tx.id);
}

TEST_F(TransactionTest, EncodedSizeMatchesEncodeForManyPayloadSizes) {
  for (std::size_t n : {0u, 1u, 31u, 64u, 1000u, 70'000u}) {
    const Transaction tx = make_tx(key_, n, n);
    EXPECT_EQ(tx.encoded_size(), tx.encode().size()) << n;
    EXPECT_EQ(tx.encoded_size(), 125 + n);
  }
}

TEST_F(TransactionTest, RoundTripPreservesEveryFieldAndTheId) {
  const Transaction tx = make_tx(key_, 5, 100);
  const std::optional<Transaction> back = Transaction::decode(tx.encode());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->kind, tx.kind);
  EXPECT_EQ(back->client, tx.client);
  EXPECT_EQ(back->nonce, tx.nonce);
  EXPECT_EQ(back->submit_ns, tx.submit_ns);
  EXPECT_EQ(back->payload, tx.payload);
  EXPECT_EQ(back->signer, tx.signer);
  EXPECT_EQ(back->signature, tx.signature);
  EXPECT_EQ(back->id, tx.id);
  EXPECT_EQ(back->encode(), tx.encode());
  EXPECT_TRUE(verify_tx(*back));
}

TEST_F(TransactionTest, IdIsStableAcrossSigningsAndDependsOnEveryField) {
  const Transaction a = make_tx(key_, 1);
  const Transaction b = make_tx(key_, 1);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.signature, b.signature);
  Transaction c = a;
  c.submit_ns += 1;
  sign_tx(c, key_);
  EXPECT_NE(c.id, a.id);
  EXPECT_NE(make_tx(key_, 2).id, a.id);
}

TEST_F(TransactionTest, SignedTransactionVerifies) {
  for (std::uint64_t nonce = 0; nonce < 8; ++nonce) {
    EXPECT_TRUE(verify_tx(make_tx(key_, nonce, nonce * 13)));
  }
}

TEST_F(TransactionTest, FlippingEveryByteOfTheEncodingIsRejected) {
  const Bytes enc = make_tx(key_, 3, 40).encode();
  int undecodable = 0;
  int unverifiable = 0;
  for (std::size_t pos = 0; pos < enc.size(); ++pos) {
    for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}, std::uint8_t{0xff}}) {
      Bytes bad = enc;
      bad[pos] ^= mask;
      const std::optional<Transaction> tx = Transaction::decode(bad);
      if (!tx) {
        ++undecodable;
        continue;
      }
      EXPECT_FALSE(verify_tx(*tx)) << "byte " << pos << " mask " << int{mask};
      ++unverifiable;
    }
  }
  // Both defences are exercised: the version and length bytes break parsing, the rest the check.
  EXPECT_GT(undecodable, 0);
  EXPECT_GT(unverifiable, 0);
  EXPECT_EQ(undecodable + unverifiable, static_cast<int>(enc.size() * 3));
}

TEST_F(TransactionTest, TamperingInMemoryIsRejected) {
  const Transaction good = make_tx(key_, 4);
  Transaction t = good;
  t.payload[0] ^= 1;  // id now stale
  EXPECT_FALSE(verify_tx(t));
  t.id = t.compute_id();  // id fixed, signature still over the old body
  EXPECT_FALSE(verify_tx(t));
  t = good;
  t.id.bytes[0] ^= 1;
  EXPECT_FALSE(verify_tx(t));
  t = good;
  t.nonce += 1;
  t.id = t.compute_id();
  EXPECT_FALSE(verify_tx(t));
}

TEST_F(TransactionTest, SignedByOneKeyButClaimingAnotherSignerIsRejected) {
  const SigningKey other = SigningKey::derive(2024, "client-8");
  Transaction tx = make_tx(key_, 0);
  // Claim `other` as the signer while keeping key_'s signature over the new body.
  tx.signer = other.public_key();
  tx.id = tx.compute_id();
  tx.signature = key_.sign(tx.body());
  EXPECT_FALSE(verify_tx(tx));
  const std::optional<Transaction> decoded = Transaction::decode(tx.encode());
  ASSERT_TRUE(decoded.has_value());
  EXPECT_FALSE(verify_tx(*decoded));
}

TEST_F(TransactionTest, DecodeRejectsTruncationAtEveryLength) {
  const Bytes enc = make_tx(key_, 6, 20).encode();
  for (std::size_t len = 0; len < enc.size(); ++len) {
    EXPECT_FALSE(Transaction::decode(ByteView(enc).first(len)).has_value()) << "length " << len;
  }
  EXPECT_TRUE(Transaction::decode(enc).has_value());
}

TEST_F(TransactionTest, DecodeRejectsTrailingBytes) {
  Bytes enc = make_tx(key_, 6).encode();
  enc.push_back(0);
  EXPECT_FALSE(Transaction::decode(enc).has_value());
}

TEST_F(TransactionTest, DecodeRejectsUnknownVersion) {
  Bytes enc = make_tx(key_, 6).encode();
  for (int v : {0, 1, 3, 255}) {
    enc[0] = static_cast<std::uint8_t>(v);
    EXPECT_FALSE(Transaction::decode(enc).has_value()) << v;
  }
}

TEST_F(TransactionTest, DecodeRejectsPayloadOverSixteenMebibytes) {
  Writer w;
  w.u8(kTxEncodingVersion);
  w.u16(0);
  w.u32(0);
  w.u64(0);
  w.i64(0);
  w.bytes(Bytes(kTxPayloadBytesMax + 1, 0));
  w.u8(static_cast<std::uint8_t>(SigScheme::kEd25519));
  w.raw(Bytes(32, 0));
  w.u8(64);
  w.raw(Bytes(64, 0));
  EXPECT_FALSE(Transaction::decode(w.data()).has_value());

  Transaction at_limit;
  at_limit.payload.assign(kTxPayloadBytesMax, 0x11);
  sign_tx(at_limit, key_);
  const std::optional<Transaction> back = Transaction::decode(at_limit.encode());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->id, at_limit.id);
}

TEST_F(TransactionTest, SignRefusesOversizedPayload) {
  Transaction tx;
  tx.payload.resize(kTxPayloadBytesMax + 1);
  EXPECT_THROW(sign_tx(tx, key_), std::length_error);
}

TEST_F(TransactionTest, DecodeFromReadsConsecutiveTransactions) {
  const Transaction a = make_tx(key_, 1, 10);
  const Transaction b = make_tx(key_, 2, 0);
  Writer w;
  a.encode_to(w);
  b.encode_to(w);
  Reader r(w.data());
  const auto da = Transaction::decode_from(r);
  const auto db = Transaction::decode_from(r);
  ASSERT_TRUE(da && db);
  EXPECT_TRUE(r.done());
  EXPECT_EQ(da->id, a.id);
  EXPECT_EQ(db->id, b.id);
}

}  // namespace
}  // namespace hlsim
