#include "ledger/eov/envelope.h"

#include <gtest/gtest.h>

#include "ledger/crypto/signature.h"

namespace hlsim {
namespace {

class EnvelopeTest : public ::testing::Test {
 protected:
  Envelope make() const {
    Envelope env;
    env.channel = 2;
    env.proposal.kind = 1;
    env.proposal.client = 9;
    env.proposal.nonce = 4;
    env.proposal.submit_ns = 1234;
    env.proposal.payload = {1, 2, 3};
    sign_tx(env.proposal, client_);
    env.rwset.reads = {{"k", Version{1, 0}}};
    env.rwset.writes = {{"k", std::string("v")}};
    env.status = 1;
    const Hash256 d =
        endorsement_digest(env.channel, env.proposal.id, env.status, env.rwset.hash());
    env.endorsements.push_back(Endorsement{0, 3, peer_.public_key(), peer_.sign(d.view())});
    return env;
  }
  const SigningKey client_ = SigningKey::derive(7, "client-9");
  const SigningKey peer_ = SigningKey::derive(7, "peer-3");
};

TEST_F(EnvelopeTest, RoundTripsThroughItsTransaction) {
  const Envelope env = make();
  const Transaction tx = wrap_envelope(env, client_);
  EXPECT_TRUE(verify_tx(tx));
  EXPECT_EQ(tx.client, env.proposal.client);
  EXPECT_EQ(tx.nonce, env.proposal.nonce);
  const auto back = Envelope::decode(tx.payload);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, env);
  EXPECT_EQ(back->proposal.id, env.proposal.id);
  EXPECT_TRUE(verify_tx(back->proposal));
}

TEST_F(EnvelopeTest, EndorsementSignaturesBindChannelStatusProposalAndReadWriteSet) {
  const Envelope env = make();
  const Endorsement& e = env.endorsements[0];
  const Hash256 rw = env.rwset.hash();
  auto check = [&](const PublicKey& key, std::uint32_t channel, std::uint8_t status,
                   const Hash256& rwset) {
    const Hash256 d = endorsement_digest(channel, env.proposal.id, status, rwset);
    return verify_signature(key, d.view(), e.signature);
  };
  EXPECT_TRUE(check(e.endorser, env.channel, env.status, rw));
  EXPECT_FALSE(check(e.endorser, env.channel + 1, env.status, rw));
  EXPECT_FALSE(check(e.endorser, env.channel, 0, rw));
  RwSet other = env.rwset;
  other.writes[0].value = "forged";
  EXPECT_FALSE(check(e.endorser, env.channel, env.status, other.hash()));
  // A signature by a key other than the claimed endorser's does not verify.
  const SigningKey mallory = SigningKey::derive(7, "mallory");
  EXPECT_FALSE(check(mallory.public_key(), env.channel, env.status, rw));
}

TEST_F(EnvelopeTest, MalformedEncodingsAreRejected) {
  const Bytes enc = make().encode();
  for (std::size_t cut = 0; cut < enc.size(); ++cut) {
    EXPECT_FALSE(Envelope::decode(ByteView(enc).first(cut)).has_value()) << cut;
  }
  Bytes trailing = enc;
  trailing.push_back(0);
  EXPECT_FALSE(Envelope::decode(trailing).has_value());
  Bytes wrong_version = enc;
  wrong_version[0] = 99;
  EXPECT_FALSE(Envelope::decode(wrong_version).has_value());
}

}  // namespace
}  // namespace hlsim
