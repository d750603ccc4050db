// ClaimsContract under the trace-replay rules: payers after the providers (first_payer),
// membership only by enrolment (Membership::kEnrolled), any procedure code (Codes::kOpaque).
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "workloads/claims/claims_contract.h"
#include "workloads/claims/claims_payloads.h"
#include "workloads/claims/claims_state.h"

namespace hlsim::claims {
namespace {

// Clients 0..2 are providers, 3 and 4 payers.
constexpr ClaimsRules kTraceRules{.organisations = 5,
                                  .payers = 2,
                                  .first_payer = 3,
                                  .patients = 10,
                                  .annual_limit_cents = 1'000'000,
                                  .membership = Membership::kEnrolled,
                                  .codes = Codes::kOpaque};
constexpr std::uint32_t kProvider = 1;
constexpr std::uint32_t kPayer = 3;
constexpr std::uint32_t kOtherPayer = 4;
constexpr std::uint64_t kPatient = 7;
constexpr TimeNs kT0 = 1'000 * kNsPerSec;
constexpr std::uint32_t kSnomedCheckUp = 185349003;  // no entry of the built-in table

Transaction make_tx(Kind kind, std::uint32_t client, Bytes payload) {
  Transaction tx;
  tx.kind = static_cast<std::uint16_t>(kind);
  tx.client = client;
  tx.payload = std::move(payload);
  return tx;
}

Claim claim(std::uint64_t seq, std::uint32_t payer, std::vector<ClaimLine> lines,
            std::uint32_t day = 3) {
  Claim c;
  c.claim_seq = seq;
  c.provider = kProvider;
  c.patient = kPatient;
  c.payer = payer;
  c.service_day = day;
  c.lines = std::move(lines);
  return c;
}

class ClaimsTraceRulesTest : public ::testing::Test {
 protected:
  TxOutcome apply(Kind kind, std::uint32_t client, Bytes payload) {
    return contract_.apply(state_, make_tx(kind, client, std::move(payload)), kT0).outcome;
  }
  TxOutcome enroll(std::uint32_t payer, std::uint64_t limit_cents = 1'000'000) {
    Enroll e;
    e.patient = kPatient;
    e.payer = payer;
    e.plan = Plan::kBasic;
    e.annual_limit_cents = limit_cents;
    return apply(Kind::kEnroll, payer, encode(e));
  }
  TxOutcome submit(const Claim& c) { return apply(Kind::kClaimSubmit, c.provider, encode(c)); }
  ClaimRecord record(std::uint64_t seq) const {
    const std::optional<std::string> raw = state_.get(claim_key(kProvider, seq));
    EXPECT_TRUE(raw.has_value());
    return raw ? decode_claim_record(*raw).value_or(ClaimRecord{}) : ClaimRecord{};
  }

  ClaimsContract contract_{kTraceRules};
  MemoryStore state_;
};

TEST(ClaimsTraceRules, PayersSitAfterTheProviders) {
  EXPECT_FALSE(kTraceRules.is_payer(0));
  EXPECT_FALSE(kTraceRules.is_payer(2));
  EXPECT_TRUE(kTraceRules.is_payer(3));
  EXPECT_TRUE(kTraceRules.is_payer(4));
  EXPECT_FALSE(kTraceRules.is_payer(5));
  EXPECT_TRUE(kTraceRules.is_provider(0));
  EXPECT_FALSE(kTraceRules.is_provider(4));
  EXPECT_FALSE(kTraceRules.is_provider(5));
  EXPECT_EQ(kTraceRules.payer_of(0), 3u);
  EXPECT_EQ(kTraceRules.payer_of(1), 4u);
}

TEST(ClaimsTraceRules, ConstructorRejectsPayersPastTheLastClient) {
  ClaimsRules r = kTraceRules;
  r.first_payer = 4;  // payers 4 and 5 of 5 clients
  EXPECT_THROW(ClaimsContract{r}, std::invalid_argument);
}

TEST_F(ClaimsTraceRulesTest, ClaimBeforeAnyEnrolmentIsDeniedNotMember) {
  EXPECT_EQ(submit(claim(0, kPayer, {{kSnomedCheckUp, 1, 0, 12'000}})), TxOutcome::kDenied);
  EXPECT_EQ(record(0).reason, ClaimReason::kNotMember);
}

TEST_F(ClaimsTraceRulesTest, AnyPayerMayEnrolAnyPatientAndOnlyItsMembershipCounts) {
  EXPECT_EQ(enroll(kOtherPayer), TxOutcome::kApplied);  // no convention: 7 % 2 would say 4 only
  EXPECT_EQ(enroll(kPayer), TxOutcome::kApplied);
  EXPECT_TRUE(state_.get(member_key(kPatient, kPayer)).has_value());
  EXPECT_FALSE(state_.get(member_key(kPatient)).has_value());
  EXPECT_EQ(submit(claim(0, kPayer, {{kSnomedCheckUp, 1, 0, 12'000}})), TxOutcome::kApplied);
  EXPECT_EQ(submit(claim(1, kOtherPayer, {{kSnomedCheckUp, 2, 0, 9'000}})), TxOutcome::kApplied);
  EXPECT_EQ(record(1).payer, kOtherPayer);
}

TEST_F(ClaimsTraceRulesTest, EnrolmentByAnotherPayerDoesNotMakeAMember) {
  ASSERT_EQ(enroll(kOtherPayer), TxOutcome::kApplied);
  EXPECT_EQ(submit(claim(0, kPayer, {{kSnomedCheckUp, 1, 0, 12'000}})), TxOutcome::kDenied);
  EXPECT_EQ(record(0).reason, ClaimReason::kNotMember);
}

TEST_F(ClaimsTraceRulesTest, OpaqueCodesAreCoveredWithoutFeeMaximumButStillLimited) {
  ASSERT_EQ(enroll(kPayer, 50'000), TxOutcome::kApplied);
  // A table code billed far above its fee maximum is not upcoded here: codes are identifiers.
  EXPECT_EQ(submit(claim(0, kPayer, {{99215, 1, 0, 40'000}})), TxOutcome::kApplied);
  EXPECT_EQ(record(0).reason, ClaimReason::kApproved);
  // The enrolment's annual limit still applies: 10'000 left of 50'000.
  EXPECT_EQ(submit(claim(1, kPayer, {{kSnomedCheckUp, 1, 0, 30'000}})), TxOutcome::kApplied);
  EXPECT_EQ(record(1).reason, ClaimReason::kPartial);
  EXPECT_EQ(record(1).approved_cents, 10'000u);
}

TEST_F(ClaimsTraceRulesTest, DuplicatesAreStillDetected) {
  ASSERT_EQ(enroll(kPayer), TxOutcome::kApplied);
  EXPECT_EQ(submit(claim(0, kPayer, {{kSnomedCheckUp, 1, 0, 12'000}})), TxOutcome::kApplied);
  EXPECT_EQ(submit(claim(1, kPayer, {{kSnomedCheckUp, 1, 0, 12'000}})), TxOutcome::kDenied);
  EXPECT_EQ(record(1).reason, ClaimReason::kDuplicate);
}

TEST_F(ClaimsTraceRulesTest, PaymentOnlyByTheNamedPayerClient) {
  ASSERT_EQ(enroll(kPayer), TxOutcome::kApplied);
  ASSERT_EQ(submit(claim(0, kPayer, {{kSnomedCheckUp, 1, 0, 12'000}})), TxOutcome::kApplied);
  Payment p;
  p.payer = kOtherPayer;
  p.claims = {{kProvider, 0}};
  EXPECT_EQ(apply(Kind::kPayment, kOtherPayer, encode(p)), TxOutcome::kDenied);
  p.payer = kPayer;
  EXPECT_EQ(apply(Kind::kPayment, kOtherPayer, encode(p)), TxOutcome::kInvalid);  // not signer
  EXPECT_EQ(apply(Kind::kPayment, kPayer, encode(p)), TxOutcome::kApplied);
  EXPECT_TRUE(record(0).paid);
}

TEST_F(ClaimsTraceRulesTest, ProvidersCannotEnrol) {
  Enroll e;
  e.patient = kPatient;
  e.payer = kProvider;
  e.annual_limit_cents = 1;
  EXPECT_EQ(apply(Kind::kEnroll, kProvider, encode(e)), TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

}  // namespace
}  // namespace hlsim::claims
