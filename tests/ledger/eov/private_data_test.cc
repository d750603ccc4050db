#include "ledger/eov/private_data.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "ledger/eov/endorsement_check.h"
#include "ledger/eov/envelope.h"

namespace hlsim {
namespace {

std::string text_of(const Bytes& b) { return {b.begin(), b.end()}; }

Transaction clear_tx(const SigningKey& key) {
  Transaction tx;
  tx.kind = 1;
  tx.client = 4;
  tx.nonce = 7;
  tx.submit_ns = 123;
  const std::string secret = "diagnosis: patient 77 has condition X";
  tx.payload.assign(secret.begin(), secret.end());
  sign_tx(tx, key);
  return tx;
}

TEST(PrivateDataTest, PrivateProposalCarriesOnlyTheHash) {
  const SigningKey key = SigningKey::derive(5, "client-4");
  const Transaction clear = clear_tx(key);
  const Transaction p = private_proposal(clear, 3, key);
  EXPECT_EQ(p.kind, clear.kind);
  EXPECT_EQ(p.client, clear.client);
  EXPECT_EQ(p.nonce, clear.nonce);
  EXPECT_EQ(p.submit_ns, clear.submit_ns);
  EXPECT_EQ(text_of(p.encode()).find("condition X"), std::string::npos);
  const auto ref = private_ref(p);
  ASSERT_TRUE(ref.has_value());
  EXPECT_EQ(ref->collection, 3u);
  EXPECT_EQ(ref->payload_bytes, clear.payload.size());
  EXPECT_FALSE(private_ref(clear).has_value());
  // Its signature covers the hash: a peer verifies it without the payload.
  Verifier verifier(VerifyPolicy::kEveryNode);
  EXPECT_TRUE(verifier.verify_tx(p));
}

TEST(PrivateDataTest, TransientDataMustMatchTheSignedHash) {
  const SigningKey key = SigningKey::derive(5, "client-4");
  const Transaction clear = clear_tx(key);
  const Transaction p = private_proposal(clear, 0, key);
  const auto full = with_transient(p, clear.payload);
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(full->payload, clear.payload);
  EXPECT_EQ(full->id, p.id);  // the signed private proposal's identity
  Bytes tampered = clear.payload;
  tampered[3] ^= 1;
  EXPECT_FALSE(with_transient(p, tampered).has_value());
  tampered = clear.payload;
  tampered.push_back(0);
  EXPECT_FALSE(with_transient(p, tampered).has_value());
  EXPECT_FALSE(with_transient(clear, clear.payload).has_value());  // not a private proposal
}

TEST(PrivateDataTest, HashedRwSetHidesKeysAndValuesAndStaysCanonical) {
  RwSet clear;
  clear.reads = {{"alpha", Version{2, 1}}, {"beta", std::nullopt}, {"gamma", Version{1, 0}}};
  clear.writes = {{"alpha", std::string("secret-1")},
                  {"delta", std::nullopt},
                  {"zeta", std::string("secret-2")}};
  const RwSet hashed = hashed_rwset(9, clear);
  ASSERT_EQ(hashed.reads.size(), 3u);
  ASSERT_EQ(hashed.writes.size(), 3u);
  const std::string encoded = text_of(hashed.encode());
  for (const char* s : {"alpha", "beta", "gamma", "delta", "zeta", "secret-1", "secret-2"}) {
    EXPECT_EQ(encoded.find(s), std::string::npos) << s;
  }
  // Canonical: sorted by (hashed) key, so it decodes and re-encodes to itself.
  EXPECT_TRUE(std::is_sorted(hashed.reads.begin(), hashed.reads.end(),
                             [](const KvRead& a, const KvRead& b) { return a.key < b.key; }));
  const Bytes bytes = hashed.encode();
  Reader r(bytes);
  const auto decoded = RwSet::decode_from(r);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, hashed);
  // Versions are kept (what MVCC compares); a delete stays a delete.
  const auto read = std::find_if(hashed.reads.begin(), hashed.reads.end(),
                                 [&](const KvRead& x) { return x.key == hashed_key(9, "alpha"); });
  ASSERT_NE(read, hashed.reads.end());
  EXPECT_EQ(read->version, (Version{2, 1}));
  const auto del = std::find_if(hashed.writes.begin(), hashed.writes.end(),
                                [&](const KvWrite& x) { return x.key == hashed_key(9, "delta"); });
  ASSERT_NE(del, hashed.writes.end());
  EXPECT_FALSE(del->value.has_value());
  // Deterministic, and per collection.
  EXPECT_EQ(hashed_rwset(9, clear), hashed);
  EXPECT_NE(hashed_key(9, "alpha"), hashed_key(8, "alpha"));
  RwSet other = clear;
  other.writes[0].value = "secret-3";
  EXPECT_NE(hashed_rwset(9, other).hash(), hashed.hash());
}

// A private envelope answers to its collection's policy, and must name a collection of the
// channel that matches its proposal.
class PrivateEnvelopeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (std::uint32_t p = 0; p < 3; ++p) {
      keys_.push_back(SigningKey::derive(11, "peer-" + std::to_string(p)));
      peers_.push_back(PeerIdentity{p, keys_.back().public_key()});
    }
    channel_policy_ = EndorsementPolicy::parse("OutOf(2, 'a', 'b', 'c')", orgs_).value();
    collection_policy_ = EndorsementPolicy::parse("AND('a', 'b')", orgs_).value();
  }
  Envelope envelope(std::uint32_t collection) const {
    Envelope env;
    env.collection = collection;
    const Transaction clear = clear_tx(client_);
    env.proposal = private_proposal(clear, collection, client_);
    RwSet rw;
    rw.writes = {{"record-77", std::string("condition X")}};
    env.rwset = hashed_rwset(collection, rw);
    return env;
  }
  void endorse(Envelope& env, std::uint32_t peer) const {
    const Hash256 d =
        endorsement_digest(env.channel, env.proposal.id, env.status, env.rwset.hash());
    env.endorsements.push_back(
        Endorsement{peer, peer, keys_[peer].public_key(), keys_[peer].sign(d.view())});
  }
  ValidationCode code(const Envelope& env, std::vector<const EndorsementPolicy*> collections) {
    Verifier verifier(VerifyPolicy::kEveryNode);
    return check_envelope(wrap_envelope(env, client_), true, 0,
                          ChannelPolicies{&channel_policy_, collections}, peers_, 3, verifier)
        .code;
  }

  const std::vector<std::string> orgs_ = {"a", "b", "c"};
  const SigningKey client_ = SigningKey::derive(11, "client-4");
  std::vector<SigningKey> keys_;
  std::vector<PeerIdentity> peers_;
  EndorsementPolicy channel_policy_;
  EndorsementPolicy collection_policy_;
};

TEST_F(PrivateEnvelopeTest, CollectionPolicyDecides) {
  Envelope env = envelope(1);
  endorse(env, 0);
  endorse(env, 2);  // satisfies the channel's 2-of-3, not the collection's AND(a, b)
  EXPECT_EQ(code(env, {nullptr, &collection_policy_}), ValidationCode::kEndorsementPolicyFailure);
  Envelope good = envelope(1);
  endorse(good, 0);
  endorse(good, 1);
  EXPECT_EQ(code(good, {nullptr, &collection_policy_}), ValidationCode::kValid);
}

TEST_F(PrivateEnvelopeTest, UnknownOrMismatchedCollectionIsABadEnvelope) {
  Envelope env = envelope(1);
  endorse(env, 0);
  endorse(env, 1);
  EXPECT_EQ(code(env, {}), ValidationCode::kBadEnvelope);  // no collection in this channel
  EXPECT_EQ(code(env, {&collection_policy_, nullptr}), ValidationCode::kBadEnvelope);
  Envelope lying = envelope(1);
  lying.collection = 0;  // the proposal names collection 1
  endorse(lying, 0);
  endorse(lying, 1);
  EXPECT_EQ(code(lying, {&collection_policy_, &collection_policy_}), ValidationCode::kBadEnvelope);
  Envelope public_env = envelope(1);
  public_env.collection = kNoCollection;  // a public envelope answers to the channel's policy
  endorse(public_env, 0);
  endorse(public_env, 2);
  EXPECT_EQ(code(public_env, {nullptr, &collection_policy_}), ValidationCode::kValid);
}

TEST(EnvelopeChannelTest, ReadsTheChannelFromTheHead) {
  Envelope env;
  env.channel = 5;
  env.proposal.payload = {1, 2, 3};
  const Bytes b = env.encode();
  EXPECT_EQ(envelope_channel(b), std::optional<std::uint32_t>(5));
  EXPECT_FALSE(envelope_channel(Bytes{kEnvelopeVersion, 1}).has_value());
  EXPECT_FALSE(envelope_channel(Bytes{}).has_value());
  Bytes old = b;
  old[0] = 1;  // another version
  EXPECT_FALSE(envelope_channel(old).has_value());
}

}  // namespace
}  // namespace hlsim
