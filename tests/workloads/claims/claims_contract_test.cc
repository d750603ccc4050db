// ClaimsContract rules: each allowed and each rejected case, adjudication records, payments.
#include "workloads/claims/claims_contract.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "workloads/claims/claims_payloads.h"
#include "workloads/claims/claims_state.h"

namespace hlsim::claims {
namespace {

// Clients 0 and 1 are payers, 2..4 providers. Patient 9: payer 9 % 2 = 1, plan (9 / 2) % 3 = 1
// (Standard). Patient 0: payer 0, plan Basic. Patient 4: payer 0, plan (4 / 2) % 3 = 2.
constexpr ClaimsRules kRules{.organisations = 5,
                             .payers = 2,
                             .patients = 100,
                             .annual_limit_cents = 100'000};  // a $1,000 annual limit
constexpr std::uint32_t kProvider = 2;
constexpr std::uint32_t kOtherProvider = 3;
constexpr std::uint64_t kPatient = 9;  // Standard plan, payer 1
constexpr std::uint32_t kPayer = 1;
constexpr std::uint32_t kOtherPayer = 0;
constexpr TimeNs kT0 = 5'000 * kNsPerSec;

Transaction make_tx(Kind kind, std::uint32_t client, Bytes payload) {
  Transaction tx;  // the claims contract reads neither the id nor the nonce
  tx.kind = static_cast<std::uint16_t>(kind);
  tx.client = client;
  tx.payload = std::move(payload);
  return tx;
}

Claim claim(std::uint64_t seq, std::vector<ClaimLine> lines, std::uint64_t patient = kPatient,
            std::uint32_t payer = kPayer, std::uint32_t provider = kProvider,
            std::uint32_t day = 10) {
  Claim c;
  c.claim_seq = seq;
  c.provider = provider;
  c.patient = patient;
  c.payer = payer;
  c.service_day = day;
  c.lines = std::move(lines);
  c.attachment = Bytes(32, 0x11);
  return c;
}

const ClaimLine kVisit{99213, 1, 24, 9'200};   // 20 minutes support 99213
const ClaimLine kEcg{93000, 1, 0, 1'600};      // Standard covers it, Basic does not
const ClaimLine kTherapy{97110, 2, 0, 5'800};  // only Comprehensive covers it

class ClaimsContractTest : public ::testing::Test {
 protected:
  TxOutcome submit(const Claim& c, Kind kind = Kind::kClaimSubmit) {
    return contract_.apply(state_, make_tx(kind, c.provider, encode(c)), kT0).outcome;
  }
  TxOutcome submit_as(std::uint32_t client, const Claim& c) {
    return contract_.apply(state_, make_tx(Kind::kClaimSubmit, client, encode(c)), kT0).outcome;
  }
  TxOutcome pay(std::uint32_t client, std::uint32_t payer, std::vector<ClaimRef> refs,
                TimeNs t = kT0 + kNsPerSec) {
    Payment p;
    p.payer = payer;
    p.claims = std::move(refs);
    return contract_.apply(state_, make_tx(Kind::kPayment, client, encode(p)), t).outcome;
  }
  TxOutcome enroll(std::uint32_t client, std::uint32_t payer, std::uint64_t patient, Plan plan,
                   std::uint64_t limit_cents = 100'000) {
    Enroll e;
    e.patient = patient;
    e.payer = payer;
    e.plan = plan;
    e.annual_limit_cents = limit_cents;
    return contract_.apply(state_, make_tx(Kind::kEnroll, client, encode(e)), kT0).outcome;
  }
  ClaimRecord record(std::uint32_t provider, std::uint64_t seq) const {
    const std::optional<std::string> raw = state_.get(claim_key(provider, seq));
    EXPECT_TRUE(raw.has_value()) << "no record for " << provider << "/" << seq;
    return raw ? decode_claim_record(*raw).value_or(ClaimRecord{}) : ClaimRecord{};
  }
  std::uint64_t used(std::uint64_t patient, std::uint32_t year) const {
    const std::optional<std::string> raw = state_.get(usage_key(patient, year));
    return raw ? decode_cents(*raw).value_or(0) : 0;
  }

  ClaimsContract contract_{kRules};
  MemoryStore state_;
};

TEST_F(ClaimsContractTest, CoveredClaimWithinScheduleIsApprovedInFullAndRecorded) {
  EXPECT_EQ(submit(claim(0, {kVisit, kEcg})), TxOutcome::kApplied);
  const ClaimRecord r = record(kProvider, 0);
  EXPECT_EQ(r.reason, ClaimReason::kApproved);
  EXPECT_EQ(r.billed_cents, 10'800u);
  EXPECT_EQ(r.approved_cents, 10'800u);
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].reason, LineReason::kApproved);
  EXPECT_EQ(r.lines[1].approved_cents, 1'600u);
  EXPECT_EQ(r.submitted_ns, kT0);
  EXPECT_FALSE(r.paid);
  EXPECT_EQ(used(kPatient, 0), 10'800u);
}

TEST_F(ClaimsContractTest, ClaimNamingAnotherProviderThanItsSubmitterIsInvalid) {
  EXPECT_EQ(submit_as(kOtherProvider, claim(0, {kVisit})), TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(ClaimsContractTest, ClaimFromAPayerIsInvalid) {
  EXPECT_EQ(submit(claim(0, {kVisit}, kPatient, kPayer, kOtherPayer)), TxOutcome::kInvalid);
}

TEST_F(ClaimsContractTest, ClaimWithImpossibleFieldsIsInvalid) {
  EXPECT_EQ(submit(claim(0, {{12345, 1, 0, 100}})), TxOutcome::kInvalid);  // unknown code
  EXPECT_EQ(submit(claim(0, {{99213, 0, 24, 0}})), TxOutcome::kInvalid);   // zero units
  EXPECT_EQ(submit(claim(0, {{99213, 1, 24, kLineAmountMaxCents + 1}})), TxOutcome::kInvalid);
  EXPECT_EQ(submit(claim(0, {kVisit}, kRules.patients)), TxOutcome::kInvalid);
  EXPECT_EQ(submit(claim(0, {kVisit}, kPatient, kRules.payers)), TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(ClaimsContractTest, ReusedClaimNumberIsInvalid) {
  EXPECT_EQ(submit(claim(0, {kVisit})), TxOutcome::kApplied);
  EXPECT_EQ(submit(claim(0, {kEcg})), TxOutcome::kInvalid);
}

TEST_F(ClaimsContractTest, ClaimToAPayerThePatientDoesNotBelongToIsDenied) {
  EXPECT_EQ(submit(claim(0, {kVisit}, kPatient, kOtherPayer)), TxOutcome::kDenied);
  EXPECT_EQ(record(kProvider, 0).reason, ClaimReason::kNotMember);
  EXPECT_EQ(record(kProvider, 0).lines[0].reason, LineReason::kNotAdjudicated);
  EXPECT_EQ(used(kPatient, 0), 0u);
}

TEST_F(ClaimsContractTest, ResubmittedLineSetIsDeniedAsDuplicateWhateverTheOrderAndNumber) {
  EXPECT_EQ(submit(claim(0, {kVisit, kEcg})), TxOutcome::kApplied);
  EXPECT_EQ(submit(claim(1, {kEcg, kVisit}), Kind::kFraudDuplicateClaim), TxOutcome::kDenied);
  EXPECT_EQ(record(kProvider, 1).reason, ClaimReason::kDuplicate);
  EXPECT_EQ(used(kPatient, 0), 10'800u);  // paid for once
}

TEST_F(ClaimsContractTest, SameLinesOnAnotherDayOrByAnotherProviderAreNotDuplicates) {
  EXPECT_EQ(submit(claim(0, {kVisit})), TxOutcome::kApplied);
  EXPECT_EQ(submit(claim(1, {kVisit}, kPatient, kPayer, kProvider, 11)), TxOutcome::kApplied);
  EXPECT_EQ(submit(claim(0, {kVisit}, kPatient, kPayer, kOtherProvider)), TxOutcome::kApplied);
  EXPECT_EQ(submit(claim(2, {kVisit, kVisit})), TxOutcome::kApplied);  // a different line set
}

TEST_F(ClaimsContractTest, ADeniedClaimStillRegistersItsFingerprint) {
  ClaimLine over = kVisit;
  over.amount_cents += 1;
  EXPECT_EQ(submit(claim(0, {over})), TxOutcome::kDenied);
  EXPECT_EQ(submit(claim(1, {over})), TxOutcome::kDenied);
  EXPECT_EQ(record(kProvider, 1).reason, ClaimReason::kDuplicate);
}

TEST_F(ClaimsContractTest, LineAboveUnitsTimesFeeMaximumDeniesTheWholeClaim) {
  ClaimLine at_max = kTherapy;  // 2 units x 2,900
  ClaimLine above = kEcg;
  above.amount_cents = 1'601;
  EXPECT_EQ(submit(claim(0, {kVisit, above}), Kind::kFraudUpcodedClaim), TxOutcome::kDenied);
  EXPECT_EQ(record(kProvider, 0).reason, ClaimReason::kUpcoded);
  at_max.units = 3;
  at_max.amount_cents = 3 * 2'900;
  EXPECT_EQ(submit(claim(1, {kVisit, kEcg, at_max}, 4, 0)), TxOutcome::kApplied);
  EXPECT_EQ(used(kPatient, 0), 0u);
}

TEST_F(ClaimsContractTest, EmLevelAboveWhatItsMinutesSupportIsDeniedAsUpcoded) {
  const ClaimLine upcoded{99215, 1, 39, 18'300};  // 99215 needs 40 minutes
  EXPECT_EQ(submit(claim(0, {upcoded}), Kind::kFraudUpcodedClaim), TxOutcome::kDenied);
  EXPECT_EQ(record(kProvider, 0).reason, ClaimReason::kUpcoded);
  // Minutes are not part of the fingerprint: the supported claim goes on another day, or it
  // would be a duplicate of the upcoded one.
  const ClaimLine supported{99215, 1, 40, 18'300};
  EXPECT_EQ(submit(claim(1, {supported}, kPatient, kPayer, kProvider, 11)), TxOutcome::kApplied);
  const ClaimLine minimal{99211, 1, 0, 2'300};  // 99211 has no minimum time
  EXPECT_EQ(submit(claim(2, {minimal})), TxOutcome::kApplied);
}

TEST_F(ClaimsContractTest, UncoveredLineIsDeniedAndTheRestApproved) {
  EXPECT_EQ(submit(claim(0, {kVisit, kTherapy})), TxOutcome::kApplied);
  const ClaimRecord r = record(kProvider, 0);
  EXPECT_EQ(r.reason, ClaimReason::kPartial);
  EXPECT_EQ(r.lines[1].reason, LineReason::kNotCovered);
  EXPECT_EQ(r.approved_cents, 9'200u);
  EXPECT_EQ(used(kPatient, 0), 9'200u);
}

TEST_F(ClaimsContractTest, ClaimWithEveryLineUncoveredIsDenied) {
  EXPECT_EQ(submit(claim(0, {kTherapy})), TxOutcome::kDenied);
  EXPECT_EQ(record(kProvider, 0).reason, ClaimReason::kAllLinesDenied);
}

TEST_F(ClaimsContractTest, AnnualLimitReducesThenDeniesLinesUntilTheNextPlanYear) {
  // 10 visits of $92 use $920 of the $1,000 limit.
  for (std::uint64_t s = 0; s < 10; ++s) {
    ASSERT_EQ(
        submit(claim(s, {kVisit}, kPatient, kPayer, kProvider, static_cast<std::uint32_t>(s))),
        TxOutcome::kApplied);
  }
  EXPECT_EQ(submit(claim(10, {kVisit, kEcg}, kPatient, kPayer, kProvider, 20)),
            TxOutcome::kApplied);
  ClaimRecord r = record(kProvider, 10);
  EXPECT_EQ(r.reason, ClaimReason::kPartial);
  EXPECT_EQ(r.lines[0].reason, LineReason::kLimitReduced);
  EXPECT_EQ(r.lines[0].approved_cents, 8'000u);
  EXPECT_EQ(r.lines[1].reason, LineReason::kLimitExhausted);
  EXPECT_EQ(used(kPatient, 0), 100'000u);

  EXPECT_EQ(submit(claim(11, {kVisit}, kPatient, kPayer, kProvider, 21)), TxOutcome::kDenied);
  EXPECT_EQ(record(kProvider, 11).reason, ClaimReason::kAllLinesDenied);
  EXPECT_EQ(record(kProvider, 11).lines[0].reason, LineReason::kLimitExhausted);

  EXPECT_EQ(submit(claim(12, {kVisit}, kPatient, kPayer, kProvider, kDaysPerPlanYear + 1)),
            TxOutcome::kApplied);
  EXPECT_EQ(used(kPatient, 1), 9'200u);
}

TEST_F(ClaimsContractTest, EnrolmentReplacesTheConventionsCoverage) {
  EXPECT_EQ(submit(claim(0, {kVisit, kTherapy})), TxOutcome::kApplied);
  EXPECT_EQ(record(kProvider, 0).reason, ClaimReason::kPartial);
  EXPECT_EQ(enroll(kPayer, kPayer, kPatient, Plan::kComprehensive, 200'000), TxOutcome::kApplied);
  EXPECT_EQ(submit(claim(1, {kVisit, kTherapy}, kPatient, kPayer, kProvider, 11)),
            TxOutcome::kApplied);
  EXPECT_EQ(record(kProvider, 1).reason, ClaimReason::kApproved);
  const std::optional<Enrolment> e = decode_enrolment(*state_.get(member_key(kPatient)));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->annual_limit_cents, 200'000u);
  EXPECT_EQ(e->enrolled_ns, kT0);
}

TEST_F(ClaimsContractTest, EnrolmentOfAnotherPayersMemberIsDenied) {
  EXPECT_EQ(enroll(kOtherPayer, kOtherPayer, kPatient, Plan::kBasic), TxOutcome::kDenied);
  EXPECT_FALSE(state_.get(member_key(kPatient)).has_value());
}

TEST_F(ClaimsContractTest, EnrolmentWithImpossibleFieldsIsInvalid) {
  EXPECT_EQ(enroll(kOtherPayer, kPayer, kPatient, Plan::kBasic), TxOutcome::kInvalid);
  EXPECT_EQ(enroll(kProvider, kProvider, kPatient, Plan::kBasic), TxOutcome::kInvalid);
  EXPECT_EQ(enroll(kPayer, kPayer, kRules.patients + 1, Plan::kBasic), TxOutcome::kInvalid);
  EXPECT_EQ(enroll(kPayer, kPayer, kPatient, Plan::kBasic, 0), TxOutcome::kInvalid);
}

TEST_F(ClaimsContractTest, PaymentPaysApprovedClaimsOnce) {
  ASSERT_EQ(submit(claim(0, {kVisit})), TxOutcome::kApplied);
  ASSERT_EQ(submit(claim(0, {kVisit, kEcg}, kPatient, kPayer, kOtherProvider)),
            TxOutcome::kApplied);
  EXPECT_EQ(pay(kPayer, kPayer, {{kProvider, 0}, {kOtherProvider, 0}}), TxOutcome::kApplied);
  EXPECT_TRUE(record(kProvider, 0).paid);
  EXPECT_EQ(record(kOtherProvider, 0).paid_ns, kT0 + kNsPerSec);
  EXPECT_EQ(pay(kPayer, kPayer, {{kProvider, 0}}), TxOutcome::kDenied);
}

TEST_F(ClaimsContractTest, PaymentByAnotherPayerIsDenied) {
  ASSERT_EQ(submit(claim(0, {kVisit})), TxOutcome::kApplied);
  EXPECT_EQ(pay(kOtherPayer, kOtherPayer, {{kProvider, 0}}), TxOutcome::kDenied);
  EXPECT_FALSE(record(kProvider, 0).paid);
}

TEST_F(ClaimsContractTest, PaymentOfADeniedOrUnknownClaimOrTheSameClaimTwiceIsDenied) {
  ASSERT_EQ(submit(claim(0, {kTherapy})), TxOutcome::kDenied);
  ASSERT_EQ(submit(claim(1, {kVisit})), TxOutcome::kApplied);
  EXPECT_EQ(pay(kPayer, kPayer, {{kProvider, 0}}), TxOutcome::kDenied);
  EXPECT_EQ(pay(kPayer, kPayer, {{kProvider, 7}}), TxOutcome::kDenied);
  EXPECT_EQ(pay(kPayer, kPayer, {{kProvider, 1}, {kProvider, 1}}), TxOutcome::kDenied);
  EXPECT_FALSE(record(kProvider, 1).paid);
}

TEST_F(ClaimsContractTest, PaymentWithOneBadClaimPaysNothing) {
  ASSERT_EQ(submit(claim(0, {kVisit})), TxOutcome::kApplied);
  EXPECT_EQ(pay(kPayer, kPayer, {{kProvider, 0}, {kProvider, 99}}), TxOutcome::kDenied);
  EXPECT_FALSE(record(kProvider, 0).paid);
  EXPECT_EQ(pay(kPayer, kPayer, {{kProvider, 0}}), TxOutcome::kApplied);
}

TEST_F(ClaimsContractTest, PaymentNamingAnotherPayerOrFromAProviderIsInvalid) {
  ASSERT_EQ(submit(claim(0, {kVisit})), TxOutcome::kApplied);
  EXPECT_EQ(pay(kOtherPayer, kPayer, {{kProvider, 0}}), TxOutcome::kInvalid);
  EXPECT_EQ(pay(kProvider, kProvider, {{kProvider, 0}}), TxOutcome::kInvalid);
  EXPECT_FALSE(record(kProvider, 0).paid);
}

TEST_F(ClaimsContractTest, MalformedPayloadUnknownKindAndUnknownClientAreInvalid) {
  Bytes truncated = encode(claim(0, {kVisit}));
  truncated.pop_back();
  EXPECT_EQ(contract_.apply(state_, make_tx(Kind::kClaimSubmit, kProvider, truncated), kT0).outcome,
            TxOutcome::kInvalid);
  Transaction odd = make_tx(Kind::kClaimSubmit, kProvider, encode(claim(0, {kVisit})));
  odd.kind = kKindCount;
  EXPECT_EQ(contract_.apply(state_, odd, kT0).outcome, TxOutcome::kInvalid);
  Claim stranger = claim(0, {kVisit}, kPatient, kPayer, kRules.organisations);
  EXPECT_EQ(submit(stranger), TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(ClaimsContractTest, FraudKindsAreJudgedOnTheirPayloadLikeAnyClaim) {
  // An honest payload under a fraud label is approved: the label decides nothing.
  EXPECT_EQ(submit(claim(0, {kVisit}), Kind::kFraudUpcodedClaim), TxOutcome::kApplied);
  EXPECT_EQ(submit(claim(1, {kEcg}), Kind::kFraudDuplicateClaim), TxOutcome::kApplied);
}

TEST_F(ClaimsContractTest, ApplyReportsItsWrites) {
  const ApplyResult r = contract_.apply(
      state_, make_tx(Kind::kClaimSubmit, kProvider, encode(claim(0, {kVisit}))), kT0);
  EXPECT_EQ(r.writes, 3u);  // usage, fingerprint, record
  EXPECT_EQ(r.written_bytes, state_.bytes());
}

}  // namespace
}  // namespace hlsim::claims
