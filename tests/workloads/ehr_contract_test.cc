// EhrContract rules: each allowed and each rejected case, the audit trail, malformed payloads.
#include "workloads/ehr/ehr_contract.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "workloads/contract.h"
#include "workloads/ehr/ehr_payloads.h"
#include "workloads/ehr/ehr_state.h"

namespace hlsim::ehr {
namespace {

constexpr std::uint32_t kOrgs = 4;
constexpr std::uint64_t kPatients = 100;
// Patient 9's home organisation is 9 % 4 = 1.
constexpr std::uint64_t kPatient = 9;
constexpr std::uint32_t kHome = 1;
constexpr std::uint32_t kOther = 2;
constexpr std::uint32_t kThird = 3;
constexpr TimeNs kT0 = 1'000 * kNsPerSec;
constexpr TimeNs kExpiry = kT0 + 3'600 * kNsPerSec;

Transaction make_tx(Kind kind, std::uint32_t client, Bytes payload, std::uint64_t nonce = 0) {
  Transaction tx;
  tx.kind = static_cast<std::uint16_t>(kind);
  tx.client = client;
  tx.nonce = nonce;
  tx.payload = std::move(payload);
  // A distinct id per transaction, so audit entries can be matched to their request.
  tx.id.bytes[0] = static_cast<std::uint8_t>(client);
  tx.id.bytes[1] = static_cast<std::uint8_t>(nonce);
  tx.id.bytes[2] = static_cast<std::uint8_t>(kind);
  return tx;
}

RecordWrite record(std::uint64_t patient, std::uint64_t record_id) {
  RecordWrite p;
  p.patient = patient;
  p.record_id = record_id;
  for (std::size_t i = 0; i < p.content_hash.bytes.size(); ++i) {
    p.content_hash.bytes[i] = static_cast<std::uint8_t>(i + 1);
  }
  p.uri = "https://org-1.hie.example/fhir/DocumentReference/9-0";
  p.record_type = RecordType::kEmergency;
  p.meta = Bytes(40, 0xAB);
  return p;
}

ConsentGrant grant(std::uint64_t patient, std::uint32_t grantee, TimeNs expiry_ns) {
  ConsentGrant p;
  p.patient = patient;
  p.grantee = grantee;
  p.expiry_ns = expiry_ns;
  p.consent_id = 7;
  p.scope = Bytes(16, 0x01);
  return p;
}

ConsentRevoke revoke(std::uint64_t patient, std::uint32_t grantee) {
  ConsentRevoke p;
  p.patient = patient;
  p.grantee = grantee;
  p.consent_id = 7;
  return p;
}

AccessRequest access(std::uint64_t patient, std::uint32_t requester) {
  AccessRequest p;
  p.patient = patient;
  p.requester = requester;
  p.purpose = Purpose::kTreatment;
  p.justification = Bytes(8, 0x02);
  return p;
}

class EhrContractTest : public ::testing::Test {
 protected:
  ApplyResult apply(const Transaction& tx, TimeNs block_time_ns = kT0) {
    return contract_.apply(state_, tx, block_time_ns);
  }
  ApplyResult write(std::uint32_t client, const RecordWrite& p, TimeNs t = kT0) {
    return apply(make_tx(Kind::kRecordWrite, client, encode(p), nonce_++), t);
  }
  ApplyResult grant_by(std::uint32_t client, const ConsentGrant& p, TimeNs t = kT0) {
    return apply(make_tx(Kind::kConsentGrant, client, encode(p), nonce_++), t);
  }
  ApplyResult revoke_by(std::uint32_t client, const ConsentRevoke& p, TimeNs t = kT0) {
    return apply(make_tx(Kind::kConsentRevoke, client, encode(p), nonce_++), t);
  }
  ApplyResult access_by(std::uint32_t client, const AccessRequest& p, TimeNs t = kT0) {
    return apply(make_tx(Kind::kAccessRequest, client, encode(p), nonce_++), t);
  }
  std::optional<ConsentState> consent(std::uint64_t patient, std::uint32_t grantee) const {
    const std::optional<std::string> raw = state_.get(consent_key(patient, grantee));
    if (!raw) return std::nullopt;
    return decode_consent_state(*raw);
  }
  std::optional<AuditEntry> audit(std::uint64_t patient, std::uint64_t seq) const {
    const std::optional<std::string> raw = state_.get(audit_key(patient, seq));
    if (!raw) return std::nullopt;
    return decode_audit_entry(*raw);
  }

  EhrContract contract_{kOrgs, kPatients};
  MemoryStore state_;
  std::uint64_t nonce_ = 0;
};

// ---------------------------------------------------------------------------------------------
// record_write

TEST_F(EhrContractTest, RecordWriteByHomeOrganisationIsAppliedAndStoresThePointer) {
  const RecordWrite p = record(kPatient, 0);
  const ApplyResult r = write(kHome, p);

  EXPECT_EQ(r.outcome, TxOutcome::kApplied);
  EXPECT_EQ(r.writes, 1u);
  const std::string key = record_key(kPatient, 0);
  const std::optional<std::string> raw = state_.get(key);
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(r.written_bytes, key.size() + raw->size());
  const std::optional<RecordState> stored = decode_record_state(*raw);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->written_ns, kT0);
  EXPECT_EQ(stored->content_hash, p.content_hash);
  EXPECT_EQ(stored->uri, p.uri);
  EXPECT_EQ(stored->record_type, RecordType::kEmergency);
  EXPECT_EQ(stored->meta, p.meta);
}

TEST_F(EhrContractTest, RecordWriteByNonHomeOrganisationIsInvalidAndWritesNothing) {
  const ApplyResult r = write(kOther, record(kPatient, 0));

  EXPECT_EQ(r.outcome, TxOutcome::kInvalid);
  EXPECT_EQ(r.writes, 0u);
  EXPECT_EQ(r.written_bytes, 0u);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(EhrContractTest, RecordWriteOfAnExistingRecordIdIsInvalidBecausePointersAreAppendOnly) {
  ASSERT_EQ(write(kHome, record(kPatient, 3)).outcome, TxOutcome::kApplied);
  const std::string before = *state_.get(record_key(kPatient, 3));

  RecordWrite again = record(kPatient, 3);
  again.uri = "https://elsewhere.example/x";
  EXPECT_EQ(write(kHome, again, kT0 + 1).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(*state_.get(record_key(kPatient, 3)), before);
  EXPECT_EQ(write(kHome, record(kPatient, 4)).outcome, TxOutcome::kApplied);
}

TEST_F(EhrContractTest, RecordWriteForAPatientOutsideThePopulationIsInvalid) {
  // Patient 101 would have home 1, but the population is 0..99.
  EXPECT_EQ(write(kHome, record(kPatients + 1, 0)).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(EhrContractTest, TransactionFromAClientThatIsNoOrganisationIsInvalid) {
  EXPECT_EQ(write(kOrgs, record(kPatient, 0)).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(access_by(kOrgs, access(kPatient, kOrgs)).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

// ---------------------------------------------------------------------------------------------
// consent_grant

TEST_F(EhrContractTest, ConsentGrantByHomeOrganisationIsAppliedAndStoresExpiry) {
  const ApplyResult r = grant_by(kHome, grant(kPatient, kOther, kExpiry));

  EXPECT_EQ(r.outcome, TxOutcome::kApplied);
  EXPECT_EQ(r.writes, 1u);
  const std::string key = consent_key(kPatient, kOther);
  EXPECT_EQ(r.written_bytes, key.size() + state_.get(key)->size());
  const std::optional<ConsentState> c = consent(kPatient, kOther);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->expiry_ns, kExpiry);
  EXPECT_FALSE(c->revoked);
  EXPECT_EQ(c->consent_id, 7u);
  EXPECT_EQ(c->updated_ns, kT0);
}

TEST_F(EhrContractTest, ConsentGrantByNonHomeOrganisationIsInvalid) {
  EXPECT_EQ(grant_by(kOther, grant(kPatient, kThird, kExpiry)).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(EhrContractTest, ConsentGrantToTheHomeOrganisationItselfIsInvalid) {
  EXPECT_EQ(grant_by(kHome, grant(kPatient, kHome, kExpiry)).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(EhrContractTest, ConsentGrantToAnUnknownOrganisationIsInvalid) {
  EXPECT_EQ(grant_by(kHome, grant(kPatient, kOrgs, kExpiry)).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(EhrContractTest, ConsentGrantThatIsAlreadyExpiredAtBlockTimeIsInvalid) {
  EXPECT_EQ(grant_by(kHome, grant(kPatient, kOther, kT0 - 1), kT0).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(grant_by(kHome, grant(kPatient, kOther, kT0), kT0).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
  EXPECT_EQ(grant_by(kHome, grant(kPatient, kOther, kT0 + 1), kT0).outcome, TxOutcome::kApplied);
}

TEST_F(EhrContractTest, ConsentGrantReplacesAnEarlierRevokedConsent) {
  ASSERT_EQ(grant_by(kHome, grant(kPatient, kOther, kExpiry)).outcome, TxOutcome::kApplied);
  ASSERT_EQ(revoke_by(kHome, revoke(kPatient, kOther)).outcome, TxOutcome::kApplied);
  ConsentGrant again = grant(kPatient, kOther, kExpiry + kNsPerSec);
  again.consent_id = 8;
  EXPECT_EQ(grant_by(kHome, again, kT0 + 5).outcome, TxOutcome::kApplied);

  const std::optional<ConsentState> c = consent(kPatient, kOther);
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->revoked);
  EXPECT_EQ(c->expiry_ns, kExpiry + kNsPerSec);
  EXPECT_EQ(c->consent_id, 8u);
  EXPECT_EQ(access_by(kOther, access(kPatient, kOther), kT0 + 6).outcome, TxOutcome::kApplied);
}

// ---------------------------------------------------------------------------------------------
// consent_revoke

TEST_F(EhrContractTest, ConsentRevokeOfAnExistingConsentIsAppliedAndMarksItRevoked) {
  ASSERT_EQ(grant_by(kHome, grant(kPatient, kOther, kExpiry)).outcome, TxOutcome::kApplied);
  const ApplyResult r = revoke_by(kHome, revoke(kPatient, kOther), kT0 + 10);

  EXPECT_EQ(r.outcome, TxOutcome::kApplied);
  EXPECT_EQ(r.writes, 1u);
  EXPECT_GT(r.written_bytes, 0u);
  const std::optional<ConsentState> c = consent(kPatient, kOther);
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->revoked);
  EXPECT_EQ(c->expiry_ns, kExpiry);
  EXPECT_EQ(c->updated_ns, kT0 + 10);
}

TEST_F(EhrContractTest, ConsentRevokeWithoutAConsentIsInvalid) {
  EXPECT_EQ(revoke_by(kHome, revoke(kPatient, kOther)).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(EhrContractTest, ConsentRevokeByNonHomeOrganisationIsInvalid) {
  ASSERT_EQ(grant_by(kHome, grant(kPatient, kOther, kExpiry)).outcome, TxOutcome::kApplied);
  EXPECT_EQ(revoke_by(kOther, revoke(kPatient, kOther)).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(revoke_by(kThird, revoke(kPatient, kOther)).outcome, TxOutcome::kInvalid);
  EXPECT_FALSE(consent(kPatient, kOther)->revoked);
}

TEST_F(EhrContractTest, ConsentRevokeOfAnAlreadyRevokedConsentIsInvalid) {
  ASSERT_EQ(grant_by(kHome, grant(kPatient, kOther, kExpiry)).outcome, TxOutcome::kApplied);
  ASSERT_EQ(revoke_by(kHome, revoke(kPatient, kOther)).outcome, TxOutcome::kApplied);
  EXPECT_EQ(revoke_by(kHome, revoke(kPatient, kOther)).outcome, TxOutcome::kInvalid);
}

TEST_F(EhrContractTest, ConsentRevokeOfAnExpiredConsentIsApplied) {
  ASSERT_EQ(grant_by(kHome, grant(kPatient, kOther, kExpiry)).outcome, TxOutcome::kApplied);
  EXPECT_EQ(revoke_by(kHome, revoke(kPatient, kOther), kExpiry + 1).outcome, TxOutcome::kApplied);
}

// ---------------------------------------------------------------------------------------------
// access_request

TEST_F(EhrContractTest, AccessByTheHomeOrganisationIsAppliedWithoutAnyConsent) {
  const ApplyResult r = access_by(kHome, access(kPatient, kHome));
  EXPECT_EQ(r.outcome, TxOutcome::kApplied);
  EXPECT_EQ(r.writes, 2u);  // the audit entry and the patient's audit counter
}

TEST_F(EhrContractTest, AccessByTheGranteeWithAValidConsentIsApplied) {
  ASSERT_EQ(grant_by(kHome, grant(kPatient, kOther, kExpiry)).outcome, TxOutcome::kApplied);
  EXPECT_EQ(access_by(kOther, access(kPatient, kOther), kT0 + 1).outcome, TxOutcome::kApplied);
}

TEST_F(EhrContractTest, AccessAfterRevokeIsDenied) {
  ASSERT_EQ(grant_by(kHome, grant(kPatient, kOther, kExpiry)).outcome, TxOutcome::kApplied);
  ASSERT_EQ(revoke_by(kHome, revoke(kPatient, kOther), kT0 + 1).outcome, TxOutcome::kApplied);
  EXPECT_EQ(access_by(kOther, access(kPatient, kOther), kT0 + 2).outcome, TxOutcome::kDenied);
}

TEST_F(EhrContractTest, AccessJustBeforeExpiryIsAppliedAndAtOrAfterExpiryIsDenied) {
  ASSERT_EQ(grant_by(kHome, grant(kPatient, kOther, kExpiry)).outcome, TxOutcome::kApplied);
  EXPECT_EQ(access_by(kOther, access(kPatient, kOther), kExpiry - 1).outcome, TxOutcome::kApplied);
  EXPECT_EQ(access_by(kOther, access(kPatient, kOther), kExpiry).outcome, TxOutcome::kDenied);
  EXPECT_EQ(access_by(kOther, access(kPatient, kOther), kExpiry + kNsPerSec).outcome,
            TxOutcome::kDenied);
}

TEST_F(EhrContractTest, AccessByAnOrganisationWithoutConsentIsDenied) {
  EXPECT_EQ(access_by(kOther, access(kPatient, kOther)).outcome, TxOutcome::kDenied);
}

TEST_F(EhrContractTest, AccessUnderAConsentGrantedToAnotherOrganisationIsDenied) {
  ASSERT_EQ(grant_by(kHome, grant(kPatient, kOther, kExpiry)).outcome, TxOutcome::kApplied);
  EXPECT_EQ(access_by(kThird, access(kPatient, kThird), kT0 + 1).outcome, TxOutcome::kDenied);
  // A consent for another patient of the same home does not help either.
  EXPECT_EQ(access_by(kOther, access(kPatient + kOrgs, kOther), kT0 + 1).outcome,
            TxOutcome::kDenied);
}

TEST_F(EhrContractTest, AccessRequestNamingAnotherRequesterThanTheSubmitterIsInvalid) {
  ASSERT_EQ(grant_by(kHome, grant(kPatient, kOther, kExpiry)).outcome, TxOutcome::kApplied);
  const std::uint64_t keys = state_.key_count();
  EXPECT_EQ(access_by(kThird, access(kPatient, kOther)).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), keys);
}

TEST_F(EhrContractTest, EveryAccessRequestAppendsAnAuditEntryWithItsDecision) {
  ASSERT_EQ(grant_by(kHome, grant(kPatient, kOther, kExpiry)).outcome, TxOutcome::kApplied);

  struct Step {
    std::uint32_t requester;
    TimeNs t;
    TxOutcome expected;
  };
  const std::vector<Step> steps = {
      {kHome, kT0 + 1, TxOutcome::kApplied},   // home
      {kOther, kT0 + 2, TxOutcome::kApplied},  // grantee
      {kThird, kT0 + 3, TxOutcome::kDenied},   // no consent
      {kOther, kExpiry, TxOutcome::kDenied},   // expired
      {kHome, kExpiry + 1, TxOutcome::kApplied},
  };
  std::vector<Hash256> ids;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    AccessRequest p = access(kPatient, s.requester);
    p.purpose = Purpose::kPublicHealth;
    const Transaction tx = make_tx(Kind::kAccessRequest, s.requester, encode(p), nonce_++);
    ids.push_back(tx.id);
    const ApplyResult r = apply(tx, s.t);
    ASSERT_EQ(r.outcome, s.expected) << "step " << i;
    EXPECT_EQ(r.writes, 2u);
    const std::string entry_key = audit_key(kPatient, i);
    const std::string next_key = audit_next_key(kPatient);
    EXPECT_EQ(r.written_bytes, entry_key.size() + state_.get(entry_key)->size() + next_key.size() +
                                   state_.get(next_key)->size());
  }

  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::optional<AuditEntry> e = audit(kPatient, i);
    ASSERT_TRUE(e.has_value()) << "audit entry " << i;
    EXPECT_EQ(e->requester, steps[i].requester);
    EXPECT_EQ(e->time_ns, steps[i].t);
    EXPECT_EQ(e->decision, steps[i].expected == TxOutcome::kApplied ? AuditDecision::kGranted
                                                                    : AuditDecision::kDenied);
    EXPECT_EQ(e->purpose, Purpose::kPublicHealth);
    EXPECT_EQ(e->tx_id, ids[i]);
  }
  EXPECT_FALSE(audit(kPatient, steps.size()).has_value());
  EXPECT_EQ(decode_seq(*state_.get(audit_next_key(kPatient))), steps.size());
  // Another patient's trail is separate and starts at 0.
  ASSERT_EQ(access_by(kThird, access(kPatient + 1, kThird)).outcome, TxOutcome::kDenied);
  EXPECT_TRUE(audit(kPatient + 1, 0).has_value());
  EXPECT_FALSE(audit(kPatient + 1, 1).has_value());
}

// ---------------------------------------------------------------------------------------------
// Malformed payloads

struct KindPayload {
  Kind kind;
  std::uint32_t client;
  Bytes payload;
};

std::vector<KindPayload> valid_payloads() {
  return {
      {Kind::kRecordWrite, kHome, encode(record(kPatient, 0))},
      {Kind::kConsentGrant, kHome, encode(grant(kPatient, kOther, kExpiry))},
      {Kind::kConsentRevoke, kHome, encode(revoke(kPatient, kOther))},
      {Kind::kAccessRequest, kHome, encode(access(kPatient, kHome))},
  };
}

TEST_F(EhrContractTest, EveryTruncationOfEveryKindsPayloadIsInvalid) {
  // A consent to revoke, so that an accidentally accepted truncated revoke would be visible.
  ASSERT_EQ(grant_by(kHome, grant(kPatient, kOther, kExpiry)).outcome, TxOutcome::kApplied);
  const std::string consent_before = *state_.get(consent_key(kPatient, kOther));
  const std::uint64_t keys_before = state_.key_count();

  for (const KindPayload& kp : valid_payloads()) {
    for (std::size_t len = 0; len < kp.payload.size(); ++len) {
      const Bytes cut(kp.payload.begin(), kp.payload.begin() + static_cast<std::ptrdiff_t>(len));
      const ApplyResult r = apply(make_tx(kp.kind, kp.client, cut, nonce_++));
      EXPECT_EQ(r.outcome, TxOutcome::kInvalid)
          << kind_name(static_cast<std::uint16_t>(kp.kind)) << " truncated to " << len << " bytes";
      EXPECT_EQ(r.writes, 0u);
    }
  }
  EXPECT_EQ(state_.key_count(), keys_before);
  EXPECT_EQ(*state_.get(consent_key(kPatient, kOther)), consent_before);
}

TEST_F(EhrContractTest, ATrailingByteAfterAnyKindsPayloadIsInvalid) {
  ASSERT_EQ(grant_by(kHome, grant(kPatient, kOther, kExpiry)).outcome, TxOutcome::kApplied);
  const std::uint64_t keys_before = state_.key_count();
  for (KindPayload kp : valid_payloads()) {
    kp.payload.push_back(0);
    EXPECT_EQ(apply(make_tx(kp.kind, kp.client, kp.payload, nonce_++)).outcome, TxOutcome::kInvalid)
        << kind_name(static_cast<std::uint16_t>(kp.kind));
  }
  EXPECT_EQ(state_.key_count(), keys_before);
  EXPECT_FALSE(consent(kPatient, kOther)->revoked);
}

TEST_F(EhrContractTest, AnUnknownKindCodeIsInvalid) {
  for (const std::uint16_t kind : {std::uint16_t{4}, std::uint16_t{99}, std::uint16_t{0xFFFF}}) {
    Transaction tx = make_tx(Kind::kRecordWrite, kHome, encode(record(kPatient, 0)));
    tx.kind = kind;
    EXPECT_EQ(apply(tx).outcome, TxOutcome::kInvalid) << "kind " << kind;
  }
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(EhrContractTest, APayloadOfTheWrongKindIsInvalid) {
  // An access request's bytes presented as a consent grant: shorter than a grant, so it cannot
  // decode exactly.
  EXPECT_EQ(apply(make_tx(Kind::kConsentGrant, kHome, encode(access(kPatient, kHome)))).outcome,
            TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(EhrContractTest, AnUnknownRecordTypeOrPurposeCodeIsInvalid) {
  Bytes rec = encode(record(kPatient, 0));
  // The record type byte sits right after the URI, before the meta length and bytes.
  const std::size_t type_at = rec.size() - 4 - record(kPatient, 0).meta.size() - 1;
  rec[type_at] = kRecordTypeCount;
  EXPECT_EQ(apply(make_tx(Kind::kRecordWrite, kHome, rec)).outcome, TxOutcome::kInvalid);

  Bytes req = encode(access(kPatient, kHome));
  const std::size_t purpose_at = 8 + 4;
  req[purpose_at] = kPurposeCount;
  EXPECT_EQ(apply(make_tx(Kind::kAccessRequest, kHome, req)).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(EhrContractTest, AHugeLengthPrefixIsInvalidNotACrash) {
  Bytes rec = encode(record(kPatient, 0));
  // Overwrite the URI length (after patient, record id and hash) with 0xFFFFFFFF.
  for (std::size_t i = 0; i < 4; ++i) rec[8 + 8 + 32 + i] = 0xFF;
  EXPECT_EQ(apply(make_tx(Kind::kRecordWrite, kHome, rec)).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST(TxOutcomeTest, ToStringNamesEveryOutcome) {
  EXPECT_STREQ(to_string(TxOutcome::kApplied), "applied");
  EXPECT_STREQ(to_string(TxOutcome::kDenied), "denied");
  EXPECT_STREQ(to_string(TxOutcome::kInvalid), "invalid");
}

}  // namespace
}  // namespace hlsim::ehr
