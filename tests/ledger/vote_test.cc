#include "ledger/vote.h"

#include <gtest/gtest.h>

#include "ledger/crypto/sha256.h"
#include "ledger_test_util.h"

namespace hlsim {
namespace {

SignedVote make_vote(const SigningKey& key) {
  SignedVote v;
  v.kind = 2;
  v.height = 17;
  v.epoch = 4;
  v.block_hash = sha256(as_bytes("block"));
  v.voter = 3;
  sign_vote(v, key);
  return v;
}

class SignedVoteTest : public ::testing::TestWithParam<SigScheme> {};

TEST_P(SignedVoteTest, RoundTripsAndVerifies) {
  const SigningKey key = SigningKey::derive(2, "validator-3", GetParam());
  const SignedVote v = make_vote(key);
  EXPECT_TRUE(verify_vote(v));
  const Bytes enc = v.encode();
  EXPECT_EQ(enc.size(), v.encoded_size());
  const std::optional<SignedVote> back = SignedVote::decode(enc);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->encode(), enc);
  EXPECT_EQ(back->id(), v.id());
  EXPECT_TRUE(verify_vote(*back));
}

TEST_P(SignedVoteTest, EveryByteFlipIsRejectedOrFailsVerification) {
  const SignedVote v = make_vote(SigningKey::derive(2, "validator-3", GetParam()));
  const Bytes enc = v.encode();
  for (std::size_t i = 0; i < enc.size(); ++i) {
    Bytes bad = enc;
    bad[i] ^= 0x20;
    const std::optional<SignedVote> back = SignedVote::decode(bad);
    EXPECT_FALSE(back && verify_vote(*back)) << "byte " << i;
  }
  for (std::size_t len = 0; len < enc.size(); ++len) {
    EXPECT_FALSE(SignedVote::decode(ByteView(enc).first(len)).has_value()) << len;
  }
  Bytes longer = enc;
  longer.push_back(0);
  EXPECT_FALSE(SignedVote::decode(longer).has_value());
}

TEST_P(SignedVoteTest, AVoteSignatureIsNotATransactionSignature) {
  // The domain prefix: the signature over a vote never verifies over the bare body.
  const SignedVote v = make_vote(SigningKey::derive(2, "validator-3", GetParam()));
  EXPECT_FALSE(verify_signature(v.voter_key, v.body(), v.signature));
}

INSTANTIATE_TEST_SUITE_P(BothSchemes, SignedVoteTest,
                         ::testing::Values(SigScheme::kEd25519, SigScheme::kEcdsaP256),
                         [](const ::testing::TestParamInfo<SigScheme>& p) {
                           return p.param == SigScheme::kEd25519 ? std::string("Ed25519")
                                                                 : std::string("EcdsaP256");
                         });

}  // namespace
}  // namespace hlsim
