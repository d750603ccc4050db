// The scheme-generic signature layer: both schemes through one interface, their canonical
// encodings, and transactions, blocks and votes signed with either.
#include "ledger/crypto/signature.h"

#include <gtest/gtest.h>

#include <string>

#include "ledger/block.h"
#include "ledger/encoding.h"
#include "ledger_test_util.h"

namespace hlsim {
namespace {

using testing::make_tx;

class SchemeTest : public ::testing::TestWithParam<SigScheme> {};

TEST_P(SchemeTest, SignVerifyRoundTripAndRejectsOtherMessageOrKey) {
  const SigningKey a = SigningKey::derive(3, "a", GetParam());
  const SigningKey b = SigningKey::derive(3, "b", GetParam());
  EXPECT_EQ(a.scheme(), GetParam());
  EXPECT_EQ(a.public_key().scheme, GetParam());
  EXPECT_EQ(a.public_key().view().size(), public_key_bytes(GetParam()));
  const Bytes msg = {1, 2, 3, 4};
  const Signature sig = a.sign(msg);
  EXPECT_LE(sig.size, signature_bytes_max(GetParam()));
  EXPECT_TRUE(verify_signature(a.public_key(), msg, sig));
  EXPECT_FALSE(verify_signature(b.public_key(), msg, sig));
  EXPECT_FALSE(verify_signature(a.public_key(), Bytes{1, 2, 3}, sig));
  EXPECT_FALSE(verify_signature(a.public_key(), msg, Signature{}));
}

TEST_P(SchemeTest, DerivationAndSigningAreDeterministic) {
  const SigningKey a1 = SigningKey::derive(11, "node-4", GetParam());
  const SigningKey a2 = SigningKey::derive(11, "node-4", GetParam());
  EXPECT_EQ(a1.public_key(), a2.public_key());
  EXPECT_NE(a1.public_key(), SigningKey::derive(12, "node-4", GetParam()).public_key());
  const Bytes msg = {7};
  EXPECT_EQ(a1.sign(msg), a2.sign(msg));
}

TEST_P(SchemeTest, EncodingsRoundTripAndRejectTruncation) {
  const SigningKey key = SigningKey::derive(5, "enc", GetParam());
  const Signature sig = key.sign(Bytes{9});
  Writer w;
  key.public_key().encode_to(w);
  sig.encode_to(w);
  const Bytes enc = w.take();
  EXPECT_EQ(enc.size(), key.public_key().encoded_size() + sig.encoded_size());
  {
    Reader r(enc);
    EXPECT_EQ(PublicKey::decode_from(r), key.public_key());
    EXPECT_EQ(Signature::decode_from(r), sig);
    EXPECT_TRUE(r.done());
  }
  for (std::size_t len = 0; len < enc.size(); ++len) {
    Reader r(ByteView(enc).first(len));
    const auto k = PublicKey::decode_from(r);
    const auto s = k ? Signature::decode_from(r) : std::nullopt;
    EXPECT_FALSE(k && s) << "length " << len;
  }
}

TEST_P(SchemeTest, TransactionsAndBlocksVerifyAndDetectEveryByteFlip) {
  const SigningKey client = SigningKey::derive(8, "client-0", GetParam());
  const SigningKey proposer = SigningKey::derive(8, "validator-1", GetParam());
  std::vector<TxRef> txs;
  for (std::uint64_t i = 0; i < 2; ++i) {
    txs.push_back(std::make_shared<const Transaction>(make_tx(client, i, 8)));
  }
  const BlockRef block = seal_block(1, Hash256{}, 1, 1, 5, txs, proposer);
  ASSERT_EQ(check_block(*block), BlockCheck::kOk);
  for (const TxRef& tx : block->txs) ASSERT_TRUE(verify_tx(*tx));
  const Bytes enc = block->encode();
  ASSERT_EQ(enc.size(), block->encoded_size());
  for (std::size_t i = 0; i < enc.size(); ++i) {
    Bytes bad = enc;
    bad[i] ^= 0x01;
    const std::optional<Block> back = Block::decode(bad);
    if (!back) continue;  // rejected while parsing
    bool all_ok = check_block(*back) == BlockCheck::kOk;
    for (const TxRef& tx : back->txs) all_ok = all_ok && verify_tx(*tx);
    EXPECT_FALSE(all_ok) << "flip at byte " << i << " of " << enc.size() << " went unnoticed";
  }
}

INSTANTIATE_TEST_SUITE_P(BothSchemes, SchemeTest,
                         ::testing::Values(SigScheme::kEd25519, SigScheme::kEcdsaP256),
                         [](const ::testing::TestParamInfo<SigScheme>& p) {
                           return p.param == SigScheme::kEd25519 ? std::string("Ed25519")
                                                                 : std::string("EcdsaP256");
                         });

TEST(SignatureTest, SchemeNamesRoundTrip) {
  for (SigScheme s : {SigScheme::kEd25519, SigScheme::kEcdsaP256}) {
    EXPECT_EQ(parse_sig_scheme(to_string(s)), s);
  }
  EXPECT_FALSE(parse_sig_scheme("rsa").has_value());
}

TEST(SignatureTest, DecodeRejectsUnknownSchemeAndOverlongSignature) {
  const Bytes unknown_scheme = {0x07, 1, 2, 3};
  Reader r1(unknown_scheme);
  EXPECT_FALSE(PublicKey::decode_from(r1).has_value());
  Bytes overlong = {73};
  overlong.resize(1 + 73, 0x30);
  Reader r2(overlong);
  EXPECT_FALSE(Signature::decode_from(r2).has_value());
}

TEST(SignatureTest, KeyOfOneSchemeNeverVerifiesTheOthersSignature) {
  const SigningKey ed = SigningKey::derive(1, "x", SigScheme::kEd25519);
  const SigningKey ec = SigningKey::derive(1, "x", SigScheme::kEcdsaP256);
  const Bytes msg = {4, 2};
  EXPECT_FALSE(verify_signature(ed.public_key(), msg, ec.sign(msg)));
  EXPECT_FALSE(verify_signature(ec.public_key(), msg, ed.sign(msg)));
  // The same bytes labelled with the other scheme do not verify either.
  PublicKey relabelled = ed.public_key();
  relabelled.scheme = SigScheme::kEcdsaP256;
  EXPECT_FALSE(verify_signature(relabelled, msg, ed.sign(msg)));
}

}  // namespace
}  // namespace hlsim
