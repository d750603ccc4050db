#include "ledger/eov/endorsement_check.h"

#include <gtest/gtest.h>

namespace hlsim {
namespace {

// Three organisations with one peer each; a client's transaction endorsed by chosen peers.
class EndorsementCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (std::uint32_t p = 0; p < 3; ++p) {
      keys_.push_back(SigningKey::derive(11, "peer-" + std::to_string(p)));
      peers_.push_back(PeerIdentity{p, keys_.back().public_key()});
    }
  }

  Envelope envelope() const {
    Envelope env;
    env.proposal.kind = 2;
    env.proposal.client = 5;
    env.proposal.payload = {9, 9};
    sign_tx(env.proposal, client_);
    env.rwset.reads = {{"k", Version{1, 0}}};
    env.rwset.writes = {{"k", std::string("v")}};
    return env;
  }
  Endorsement endorse(const Envelope& env, std::uint32_t peer, const SigningKey& key) const {
    const Hash256 d =
        endorsement_digest(env.channel, env.proposal.id, env.status, env.rwset.hash());
    return Endorsement{peers_[peer].org, peer, key.public_key(), key.sign(d.view())};
  }
  EnvelopeCheck check(const Envelope& env, const char* policy_text, bool creator_valid = true,
                      VerifyPolicy vp = VerifyPolicy::kEveryNode) {
    const Transaction tx = wrap_envelope(env, client_);
    auto policy = EndorsementPolicy::parse(policy_text, orgs_);
    EXPECT_TRUE(policy.ok());
    Verifier verifier(vp);
    return check_envelope(tx, creator_valid, 0, policy.value(), peers_, orgs_.size(), verifier);
  }

  const std::vector<std::string> orgs_ = {"hospital", "insurer", "regulator"};
  const SigningKey client_ = SigningKey::derive(11, "client-5");
  std::vector<SigningKey> keys_;
  std::vector<PeerIdentity> peers_;
};

TEST_F(EndorsementCheckTest, SatisfiedPolicyIsValid) {
  Envelope env = envelope();
  env.endorsements = {endorse(env, 0, keys_[0]), endorse(env, 1, keys_[1])};
  const EnvelopeCheck c = check(env, "AND('hospital', 'insurer')");
  EXPECT_EQ(c.code, ValidationCode::kValid);
  EXPECT_EQ(c.endorsements_checked, 2u);
  ASSERT_TRUE(c.envelope.has_value());
  EXPECT_EQ(*c.envelope, env);
  EXPECT_EQ(check(env, "OutOf(2, 'hospital', 'insurer', 'regulator')").code,
            ValidationCode::kValid);
}

TEST_F(EndorsementCheckTest, UnsatisfiedPolicyFails) {
  Envelope env = envelope();
  env.endorsements = {endorse(env, 0, keys_[0])};
  EXPECT_EQ(check(env, "AND('hospital', 'insurer')").code,
            ValidationCode::kEndorsementPolicyFailure);
  // Two endorsements from one organisation's peer count once.
  env.endorsements.push_back(endorse(env, 0, keys_[0]));
  EXPECT_EQ(check(env, "OutOf(2, 'hospital', 'insurer', 'regulator')").code,
            ValidationCode::kEndorsementPolicyFailure);
  env.endorsements.clear();
  EXPECT_EQ(check(env, "'hospital'").code, ValidationCode::kEndorsementPolicyFailure);
}

TEST_F(EndorsementCheckTest, ForgedEndorsementsNeverCount) {
  for (const VerifyPolicy vp : {VerifyPolicy::kEveryNode, VerifyPolicy::kOnce}) {
    const Envelope base = envelope();
    const Endorsement good = endorse(base, 0, keys_[0]);
    const auto only = [&](Endorsement forged) {
      Envelope env = base;
      env.endorsements = {good, forged};
      return check(env, "AND('hospital', 'insurer')", true, vp).code;
    };
    // A flipped signature byte.
    Endorsement bad_sig = endorse(base, 1, keys_[1]);
    bad_sig.signature.bytes[3] ^= 1;
    EXPECT_EQ(only(bad_sig), ValidationCode::kEndorsementPolicyFailure);
    // Signed by an outsider who claims to be the insurer's peer, with its own key.
    const SigningKey mallory = SigningKey::derive(11, "mallory");
    EXPECT_EQ(only(endorse(base, 1, mallory)), ValidationCode::kEndorsementPolicyFailure);
    // The hospital's peer claiming to speak for the insurer.
    Endorsement wrong_org = endorse(base, 0, keys_[0]);
    wrong_org.org = 1;
    EXPECT_EQ(only(wrong_org), ValidationCode::kEndorsementPolicyFailure);
    // A real insurer signature over another read-write set.
    Envelope other = base;
    other.rwset.writes[0].value = "something else";
    EXPECT_EQ(only(endorse(other, 1, keys_[1])), ValidationCode::kEndorsementPolicyFailure);
    // An unknown peer index.
    Endorsement unknown = endorse(base, 1, keys_[1]);
    unknown.peer = 99;
    EXPECT_EQ(only(unknown), ValidationCode::kEndorsementPolicyFailure);
    // And the real one passes.
    EXPECT_EQ(only(endorse(base, 1, keys_[1])), ValidationCode::kValid);
  }
}

TEST_F(EndorsementCheckTest, ABadCreatorOrEnvelopeIsRejectedFirst) {
  Envelope env = envelope();
  env.endorsements = {endorse(env, 0, keys_[0])};
  EXPECT_EQ(check(env, "'hospital'", /*creator_valid=*/false).code, ValidationCode::kBadEnvelope);
  // Wrapped by another client than the proposal's.
  Transaction tx = wrap_envelope(env, SigningKey::derive(11, "client-6"));
  auto policy = EndorsementPolicy::parse("'hospital'", orgs_);
  Verifier verifier(VerifyPolicy::kEveryNode);
  EXPECT_EQ(check_envelope(tx, true, 0, policy.value(), peers_, 3, verifier).code,
            ValidationCode::kBadEnvelope);
  // Another channel.
  EXPECT_EQ(
      check_envelope(wrap_envelope(env, client_), true, 1, policy.value(), peers_, 3, verifier)
          .code,
      ValidationCode::kBadEnvelope);
  // Garbage payload.
  Transaction junk = wrap_envelope(env, client_);
  junk.payload = {1, 2, 3};
  EXPECT_EQ(check_envelope(junk, true, 0, policy.value(), peers_, 3, verifier).code,
            ValidationCode::kBadEnvelope);
}

}  // namespace
}  // namespace hlsim
