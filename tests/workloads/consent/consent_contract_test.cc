// ConsentContract rules: each allowed and each rejected case, the audit trail, malformed payloads.
#include "workloads/consent/consent_contract.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "ledger/storage/memory_store.h"
#include "workloads/consent/consent_payloads.h"
#include "workloads/consent/consent_state.h"

namespace hlsim::consent {
namespace {

// Sponsor 0, monitor 1, sites 2 and 3; participants 0..9 belong to site 2, 10..19 to site 3.
constexpr std::uint32_t kSponsor = 0;
constexpr std::uint32_t kMonitor = 1;
constexpr std::uint32_t kSiteA = 2;
constexpr std::uint32_t kSiteB = 3;
constexpr std::uint32_t kTrial = 1;
constexpr std::uint32_t kOtherTrial = 2;
constexpr std::uint64_t kAlice = 4;   // at site A
constexpr std::uint64_t kBob = 5;     // at site A
constexpr std::uint64_t kCarol = 12;  // at site B
constexpr TimeNs kT0 = 1'000 * kNsPerSec;

Roles roles() { return Roles{1, 1, 4, 10}; }

class ConsentContractTest : public ::testing::Test {
 protected:
  Judged run(Kind kind, std::uint32_t client, Bytes payload) {
    Transaction tx;
    tx.kind = static_cast<std::uint16_t>(kind);
    tx.client = client;
    tx.nonce = nonce_++;
    tx.payload = std::move(payload);
    tx.id.bytes[0] = static_cast<std::uint8_t>(tx.nonce);
    tx.id.bytes[1] = static_cast<std::uint8_t>(tx.nonce >> 8);
    now_ += kNsPerMs;
    return contract_.apply_judged(state_, tx, now_);
  }
  TxOutcome outcome(Kind kind, std::uint32_t client, Bytes payload) {
    return run(kind, client, std::move(payload)).result.outcome;
  }

  TxOutcome register_trial(std::uint32_t trial, std::uint32_t client = kSponsor,
                           std::uint32_t sponsor = kSponsor) {
    return outcome(Kind::kTrialRegister, client, encode(TrialRegister{trial, sponsor, {}}));
  }
  TxOutcome activate(std::uint32_t trial, std::uint32_t site, std::uint32_t client = kSponsor) {
    return outcome(Kind::kSiteActivate, client, encode(SiteActivate{trial, site, {}}));
  }
  Judged enrol(std::uint32_t trial, std::uint64_t p, std::uint32_t site, std::uint32_t version,
               std::uint32_t client) {
    return run(Kind::kEnrol, client, encode(Enrol{trial, p, site, version, {}}));
  }
  Judged enrol_at_home(std::uint32_t trial, std::uint64_t p, std::uint32_t version = 1) {
    const std::uint32_t site = roles().home_site(p);
    return enrol(trial, p, site, version, site);
  }
  Judged amend(std::uint32_t trial, std::uint32_t version, std::uint32_t client = kSponsor) {
    return run(Kind::kAmend, client, encode(Amend{trial, version, {}}));
  }
  Judged reconsent(std::uint32_t trial, std::uint64_t p, std::uint32_t version,
                   std::uint32_t client) {
    return run(Kind::kReconsent, client, encode(Reconsent{trial, p, version, {}}));
  }
  Judged withdraw(std::uint32_t trial, std::uint64_t p, std::uint32_t client) {
    return run(Kind::kWithdraw, client, encode(Withdraw{trial, p, {}}));
  }
  Judged viewer(Kind kind, std::uint32_t trial, std::uint32_t org,
                std::uint32_t client = kSponsor) {
    return run(kind, client, encode(ViewerChange{trial, org, {}}));
  }
  Judged access(std::uint32_t reader, std::uint64_t p, std::uint32_t version,
                std::uint32_t trial = kTrial, Kind kind = Kind::kDataAccess) {
    return run(kind, reader, encode(DataAccess{trial, p, reader, version, Bytes(8, 0x5)}));
  }

  // Trial kTrial registered, active at both sites, Alice (A) and Carol (B) enrolled at version 1.
  void set_up_trial() {
    ASSERT_EQ(register_trial(kTrial), TxOutcome::kApplied);
    ASSERT_EQ(activate(kTrial, kSiteA), TxOutcome::kApplied);
    ASSERT_EQ(activate(kTrial, kSiteB), TxOutcome::kApplied);
    ASSERT_EQ(enrol_at_home(kTrial, kAlice).result.outcome, TxOutcome::kApplied);
    ASSERT_EQ(enrol_at_home(kTrial, kCarol).result.outcome, TxOutcome::kApplied);
  }

  std::optional<ParticipantState> participant(std::uint64_t p) const {
    const auto raw = state_.get(participant_key(p));
    if (!raw) return std::nullopt;
    return decode_participant_state(*raw);
  }

  ConsentContract contract_{roles(), 3};
  MemoryStore state_;
  std::uint64_t nonce_ = 0;
  TimeNs now_ = kT0;
};

void expect(const Judged& j, TxOutcome outcome, Reason reason) {
  EXPECT_EQ(j.result.outcome, outcome) << reason_name(j.reason);
  EXPECT_EQ(j.reason, reason) << reason_name(j.reason) << " expected " << reason_name(reason);
}

TEST_F(ConsentContractTest, TrialRegisterBySponsorAppliesAtVersionOneAndOnlyOnce) {
  const Judged first = run(Kind::kTrialRegister, kSponsor, encode(TrialRegister{kTrial, 0, {}}));
  expect(first, TxOutcome::kApplied, Reason::kOk);
  EXPECT_EQ(first.result.writes, 1u);
  const auto t = decode_trial_state(*state_.get(trial_key(kTrial)));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->sponsor, kSponsor);
  EXPECT_EQ(t->version, 1u);
  EXPECT_EQ(t->registered_ns, now_);
  expect(run(Kind::kTrialRegister, kSponsor, encode(TrialRegister{kTrial, 0, {}})),
         TxOutcome::kDenied, Reason::kAlreadyRegistered);
}

TEST_F(ConsentContractTest, TrialRegisterByANonSponsorOrForSomeoneElseOrUnknownTrialIsInvalid) {
  EXPECT_EQ(register_trial(kTrial, kSiteA, kSiteA), TxOutcome::kInvalid);
  EXPECT_EQ(register_trial(kTrial, kMonitor, kMonitor), TxOutcome::kInvalid);
  EXPECT_EQ(register_trial(kTrial, kSponsor, kSiteA), TxOutcome::kInvalid);
  EXPECT_EQ(register_trial(3, kSponsor, kSponsor), TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(ConsentContractTest, SiteActivateByTheSponsorAppliesOnceForASiteOfARegisteredTrial) {
  EXPECT_EQ(activate(kTrial, kSiteA), TxOutcome::kDenied);  // not registered yet
  ASSERT_EQ(register_trial(kTrial), TxOutcome::kApplied);
  EXPECT_EQ(activate(kTrial, kSiteA), TxOutcome::kApplied);
  EXPECT_EQ(activate(kTrial, kSiteA), TxOutcome::kDenied);
  EXPECT_EQ(activate(kTrial, kSiteB, kSiteB), TxOutcome::kInvalid);  // not the sponsor
  EXPECT_EQ(activate(kTrial, kMonitor), TxOutcome::kInvalid);        // not a site
  EXPECT_TRUE(state_.get(site_key(kTrial, kSiteA)).has_value());
  EXPECT_FALSE(state_.get(site_key(kTrial, kSiteB)).has_value());
}

TEST_F(ConsentContractTest, EnrolAtAnActiveSiteWithTheCurrentVersionApplies) {
  ASSERT_EQ(register_trial(kTrial), TxOutcome::kApplied);
  ASSERT_EQ(activate(kTrial, kSiteA), TxOutcome::kApplied);
  expect(enrol_at_home(kTrial, kAlice), TxOutcome::kApplied, Reason::kOk);
  const auto p = participant(kAlice);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->trial, kTrial);
  EXPECT_EQ(p->site, kSiteA);
  EXPECT_EQ(p->consent_version, 1u);
  EXPECT_FALSE(p->withdrawn);
}

TEST_F(ConsentContractTest, EnrolIsDeniedAtAnInactiveSiteWithAStaleVersionOrTwice) {
  ASSERT_EQ(register_trial(kTrial), TxOutcome::kApplied);
  ASSERT_EQ(register_trial(kOtherTrial), TxOutcome::kApplied);
  ASSERT_EQ(activate(kTrial, kSiteA), TxOutcome::kApplied);
  ASSERT_EQ(activate(kOtherTrial, kSiteA), TxOutcome::kApplied);
  expect(enrol_at_home(kTrial, kCarol), TxOutcome::kDenied, Reason::kSiteNotActive);
  expect(amend(kTrial, 2), TxOutcome::kApplied, Reason::kOk);
  expect(enrol_at_home(kTrial, kAlice, 1), TxOutcome::kDenied, Reason::kStaleVersion);
  expect(enrol_at_home(kTrial, kAlice, 3), TxOutcome::kDenied, Reason::kStaleVersion);
  expect(enrol_at_home(kTrial, kAlice, 2), TxOutcome::kApplied, Reason::kOk);
  expect(enrol_at_home(kTrial, kAlice, 2), TxOutcome::kDenied, Reason::kAlreadyEnrolled);
  // One trial per participant, ever.
  expect(enrol_at_home(kOtherTrial, kAlice, 1), TxOutcome::kDenied, Reason::kAlreadyEnrolled);
  EXPECT_EQ(participant(kAlice)->trial, kTrial);
}

TEST_F(ConsentContractTest, EnrolBySomeoneOtherThanTheHomeSiteIsInvalid) {
  ASSERT_EQ(register_trial(kTrial), TxOutcome::kApplied);
  ASSERT_EQ(activate(kTrial, kSiteA), TxOutcome::kApplied);
  ASSERT_EQ(activate(kTrial, kSiteB), TxOutcome::kApplied);
  expect(enrol(kTrial, kAlice, kSiteB, 1, kSiteB), TxOutcome::kInvalid, Reason::kUnauthorised);
  expect(enrol(kTrial, kAlice, kSiteA, 1, kSiteB), TxOutcome::kInvalid, Reason::kUnauthorised);
  expect(enrol(kTrial, kAlice, kSiteA, 1, kSponsor), TxOutcome::kInvalid, Reason::kUnauthorised);
  expect(enrol(kTrial, 20, kSiteB, 1, kSiteB), TxOutcome::kInvalid, Reason::kUnknown);
  expect(enrol(kOtherTrial, kAlice, kSiteA, 1, kSiteA), TxOutcome::kDenied, Reason::kNotRegistered);
  EXPECT_FALSE(participant(kAlice).has_value());
}

TEST_F(ConsentContractTest, AmendByTheSponsorRaisesTheVersionByExactlyOne) {
  ASSERT_EQ(register_trial(kTrial), TxOutcome::kApplied);
  expect(amend(kTrial, 2), TxOutcome::kApplied, Reason::kOk);
  expect(amend(kTrial, 2), TxOutcome::kDenied, Reason::kStaleVersion);
  expect(amend(kTrial, 4), TxOutcome::kDenied, Reason::kStaleVersion);
  expect(amend(kTrial, 3, kSiteA), TxOutcome::kInvalid, Reason::kUnauthorised);
  expect(amend(kOtherTrial, 2), TxOutcome::kDenied, Reason::kNotRegistered);
  expect(amend(3, 2), TxOutcome::kInvalid, Reason::kUnknown);
  const auto t = decode_trial_state(*state_.get(trial_key(kTrial)));
  EXPECT_EQ(t->version, 2u);
  EXPECT_GT(t->amended_ns, t->registered_ns);
}

TEST_F(ConsentContractTest, ReconsentToTheCurrentVersionByTheHomeSiteApplies) {
  set_up_trial();
  expect(reconsent(kTrial, kAlice, 1, kSiteA), TxOutcome::kApplied, Reason::kOk);  // re-affirm
  ASSERT_EQ(amend(kTrial, 2).result.outcome, TxOutcome::kApplied);
  expect(reconsent(kTrial, kAlice, 1, kSiteA), TxOutcome::kDenied, Reason::kStaleVersion);
  expect(reconsent(kTrial, kAlice, 2, kSiteA), TxOutcome::kApplied, Reason::kOk);
  EXPECT_EQ(participant(kAlice)->consent_version, 2u);
  EXPECT_EQ(participant(kCarol)->consent_version, 1u);
}

TEST_F(ConsentContractTest, ReconsentIsDeniedForOneNotEnrolledOrWithdrawnAndInvalidFromElsewhere) {
  set_up_trial();
  expect(reconsent(kTrial, kBob, 1, kSiteA), TxOutcome::kDenied, Reason::kNotEnrolled);
  ASSERT_EQ(register_trial(kOtherTrial), TxOutcome::kApplied);
  expect(reconsent(kOtherTrial, kAlice, 1, kSiteA), TxOutcome::kDenied, Reason::kNotEnrolled);
  expect(reconsent(kTrial, kAlice, 1, kSiteB), TxOutcome::kInvalid, Reason::kUnauthorised);
  ASSERT_EQ(withdraw(kTrial, kAlice, kSiteA).result.outcome, TxOutcome::kApplied);
  expect(reconsent(kTrial, kAlice, 1, kSiteA), TxOutcome::kDenied, Reason::kWithdrawn);
}

TEST_F(ConsentContractTest, WithdrawIsPermanentAndOnlyByTheHomeSite) {
  set_up_trial();
  expect(withdraw(kTrial, kAlice, kSiteB), TxOutcome::kInvalid, Reason::kUnauthorised);
  expect(withdraw(kTrial, kAlice, kSponsor), TxOutcome::kInvalid, Reason::kUnauthorised);
  expect(withdraw(kTrial, kBob, kSiteA), TxOutcome::kDenied, Reason::kNotEnrolled);
  expect(withdraw(kTrial, kAlice, kSiteA), TxOutcome::kApplied, Reason::kOk);
  EXPECT_TRUE(participant(kAlice)->withdrawn);
  expect(withdraw(kTrial, kAlice, kSiteA), TxOutcome::kDenied, Reason::kWithdrawn);
  // No way back: neither re-enrolment nor re-consent.
  expect(enrol_at_home(kTrial, kAlice), TxOutcome::kDenied, Reason::kAlreadyEnrolled);
  EXPECT_TRUE(participant(kAlice)->withdrawn);
}

TEST_F(ConsentContractTest, GrantAndRevokeViewerBySponsorChangeStateAndRepeatsAreDenied) {
  ASSERT_EQ(register_trial(kTrial), TxOutcome::kApplied);
  expect(viewer(Kind::kRevokeViewer, kTrial, kMonitor), TxOutcome::kDenied, Reason::kNotGranted);
  expect(viewer(Kind::kGrantViewer, kTrial, kMonitor), TxOutcome::kApplied, Reason::kOk);
  expect(viewer(Kind::kGrantViewer, kTrial, kMonitor), TxOutcome::kDenied, Reason::kAlreadyGranted);
  expect(viewer(Kind::kRevokeViewer, kTrial, kMonitor), TxOutcome::kApplied, Reason::kOk);
  expect(viewer(Kind::kRevokeViewer, kTrial, kMonitor), TxOutcome::kDenied, Reason::kNotGranted);
}

TEST_F(ConsentContractTest, ViewerChangesByANonSponsorToTheSponsorOrUnknownAreInvalid) {
  ASSERT_EQ(register_trial(kTrial), TxOutcome::kApplied);
  expect(viewer(Kind::kGrantViewer, kTrial, kMonitor, kMonitor), TxOutcome::kInvalid,
         Reason::kUnauthorised);
  expect(viewer(Kind::kGrantViewer, kTrial, kSponsor), TxOutcome::kInvalid, Reason::kUnknown);
  expect(viewer(Kind::kGrantViewer, kTrial, 4), TxOutcome::kInvalid, Reason::kUnknown);
  expect(viewer(Kind::kGrantViewer, kOtherTrial, kMonitor), TxOutcome::kDenied,
         Reason::kNotRegistered);
  expect(viewer(Kind::kGrantViewer, 3, kMonitor), TxOutcome::kInvalid, Reason::kUnknown);
}

TEST_F(ConsentContractTest, SponsorAndGrantedViewerReadACurrentParticipant) {
  set_up_trial();
  expect(access(kSponsor, kAlice, 1), TxOutcome::kApplied, Reason::kOk);
  expect(access(kMonitor, kAlice, 1), TxOutcome::kDenied, Reason::kNotViewer);
  ASSERT_EQ(viewer(Kind::kGrantViewer, kTrial, kMonitor).result.outcome, TxOutcome::kApplied);
  expect(access(kMonitor, kAlice, 1), TxOutcome::kApplied, Reason::kOk);
  ASSERT_EQ(viewer(Kind::kRevokeViewer, kTrial, kMonitor).result.outcome, TxOutcome::kApplied);
  expect(access(kMonitor, kAlice, 1), TxOutcome::kDenied, Reason::kNotViewer);
  // A site is no viewer, not even of its own participant.
  expect(access(kSiteA, kAlice, 1), TxOutcome::kDenied, Reason::kNotViewer);
}

TEST_F(ConsentContractTest, ReadsAreDeniedForNotEnrolledWithdrawnAndStaleConsent) {
  set_up_trial();
  ASSERT_EQ(register_trial(kOtherTrial), TxOutcome::kApplied);
  expect(access(kSponsor, kBob, 1), TxOutcome::kDenied, Reason::kNotEnrolled);
  expect(access(kSponsor, kAlice, 1, kOtherTrial), TxOutcome::kDenied, Reason::kNotEnrolled);
  ASSERT_EQ(amend(kTrial, 2).result.outcome, TxOutcome::kApplied);
  // Alice has not re-consented: stale whatever version the request cites.
  expect(access(kSponsor, kAlice, 2), TxOutcome::kDenied, Reason::kStaleConsent);
  expect(access(kSponsor, kAlice, 1), TxOutcome::kDenied, Reason::kStaleConsent);
  ASSERT_EQ(reconsent(kTrial, kAlice, 2, kSiteA).result.outcome, TxOutcome::kApplied);
  expect(access(kSponsor, kAlice, 2), TxOutcome::kApplied, Reason::kOk);
  // Current participant, but the request relies on the superseded consent.
  expect(access(kSponsor, kAlice, 1), TxOutcome::kDenied, Reason::kStaleConsent);
  ASSERT_EQ(withdraw(kTrial, kAlice, kSiteA).result.outcome, TxOutcome::kApplied);
  expect(access(kSponsor, kAlice, 2), TxOutcome::kDenied, Reason::kWithdrawn);
}

TEST_F(ConsentContractTest, ReadsNotByTheReaderOrOfUnknownsAreInvalidAndWriteNothing) {
  set_up_trial();
  const std::uint64_t keys = state_.key_count();
  expect(run(Kind::kDataAccess, kMonitor, encode(DataAccess{kTrial, kAlice, kSponsor, 1, {}})),
         TxOutcome::kInvalid, Reason::kUnauthorised);
  expect(access(kSponsor, 20, 1), TxOutcome::kInvalid, Reason::kUnknown);
  expect(access(kSponsor, kAlice, 1, 3), TxOutcome::kInvalid, Reason::kUnknown);
  EXPECT_EQ(state_.key_count(), keys);
}

TEST_F(ConsentContractTest, AReadOfATrialNotYetRegisteredIsDeniedAndAudited) {
  set_up_trial();
  expect(access(kSponsor, kAlice, 1, kOtherTrial), TxOutcome::kDenied, Reason::kNotRegistered);
  const auto e = decode_audit_entry(*state_.get(audit_key(kAlice, 0)));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->decision, AccessDecision::kNotRegistered);
  EXPECT_EQ(e->trial, kOtherTrial);
}

TEST_F(ConsentContractTest, EveryReadIsAuditedWithItsDecision) {
  set_up_trial();
  const Judged ok = access(kSponsor, kAlice, 1);
  EXPECT_EQ(ok.result.writes, 2u);
  const Judged no = access(kMonitor, kAlice, 1);
  EXPECT_EQ(no.result.writes, 2u);
  const auto e0 = decode_audit_entry(*state_.get(audit_key(kAlice, 0)));
  const auto e1 = decode_audit_entry(*state_.get(audit_key(kAlice, 1)));
  ASSERT_TRUE(e0.has_value());
  ASSERT_TRUE(e1.has_value());
  EXPECT_EQ(e0->decision, AccessDecision::kGranted);
  EXPECT_EQ(e0->reader, kSponsor);
  EXPECT_EQ(e1->decision, AccessDecision::kNotViewer);
  EXPECT_EQ(e1->reader, kMonitor);
  EXPECT_EQ(e1->trial, kTrial);
  EXPECT_GT(e1->time_ns, e0->time_ns);
  EXPECT_NE(e0->tx_id, e1->tx_id);
  EXPECT_EQ(decode_seq(*state_.get(audit_next_key(kAlice))), 2u);
}

TEST_F(ConsentContractTest, ViolationKindsAreJudgedOnTheMeritsLikeDataAccess) {
  set_up_trial();
  // The same payload under an injected kind label gets the same decision as data_access.
  expect(access(kSponsor, kAlice, 1, kTrial, Kind::kViolationUngrantedViewer), TxOutcome::kApplied,
         Reason::kOk);
  expect(access(kSiteB, kAlice, 1, kTrial, Kind::kDataAccess), TxOutcome::kDenied,
         Reason::kNotViewer);
  ASSERT_EQ(withdraw(kTrial, kAlice, kSiteA).result.outcome, TxOutcome::kApplied);
  expect(access(kSponsor, kAlice, 1, kTrial, Kind::kViolationAccessAfterWithdrawal),
         TxOutcome::kDenied, Reason::kWithdrawn);
  ASSERT_EQ(amend(kTrial, 2).result.outcome, TxOutcome::kApplied);
  expect(access(kSponsor, kCarol, 1, kTrial, Kind::kViolationStaleConsentAccess),
         TxOutcome::kDenied, Reason::kStaleConsent);
  expect(access(kSiteB, kCarol, 2, kTrial, Kind::kViolationUngrantedViewer), TxOutcome::kDenied,
         Reason::kNotViewer);
}

TEST_F(ConsentContractTest, MalformedPayloadsUnknownKindsAndClientsAreInvalid) {
  set_up_trial();
  const std::uint64_t keys = state_.key_count();
  for (std::uint16_t k = 0; k < kKindCount; ++k) {
    expect(run(static_cast<Kind>(k), kSponsor, Bytes{1, 2, 3}), TxOutcome::kInvalid,
           Reason::kMalformed);
  }
  Bytes trailing = encode(DataAccess{kTrial, kAlice, kSponsor, 1, {}});
  trailing.push_back(0);
  expect(run(Kind::kDataAccess, kSponsor, trailing), TxOutcome::kInvalid, Reason::kMalformed);
  expect(run(static_cast<Kind>(kKindCount), kSponsor, encode(Amend{kTrial, 2, {}})),
         TxOutcome::kInvalid, Reason::kMalformed);
  expect(run(Kind::kAmend, 4, encode(Amend{kTrial, 2, {}})), TxOutcome::kInvalid, Reason::kUnknown);
  EXPECT_EQ(state_.key_count(), keys);
}

TEST_F(ConsentContractTest, ApplyAgreesWithApplyJudged) {
  MemoryStore a;
  MemoryStore b;
  Transaction tx;
  tx.kind = static_cast<std::uint16_t>(Kind::kTrialRegister);
  tx.client = kSponsor;
  tx.payload = encode(TrialRegister{kTrial, kSponsor, {}});
  const ApplyResult plain = contract_.apply(a, tx, kT0);
  const Judged judged = contract_.apply_judged(b, tx, kT0);
  EXPECT_EQ(plain.outcome, judged.result.outcome);
  EXPECT_EQ(plain.writes, judged.result.writes);
  EXPECT_EQ(plain.written_bytes, judged.result.written_bytes);
  EXPECT_EQ(a.get(trial_key(kTrial)), b.get(trial_key(kTrial)));
}

TEST(ConsentContractConstructionTest, RejectsARoleLayoutWithoutSitesSponsorsOrTrials) {
  EXPECT_THROW(ConsentContract(Roles{0, 0, 3, 10}, 1), std::invalid_argument);
  EXPECT_THROW(ConsentContract(Roles{2, 1, 3, 10}, 1), std::invalid_argument);
  EXPECT_THROW(ConsentContract(Roles{1, 0, 3, 0}, 1), std::invalid_argument);
  EXPECT_THROW(ConsentContract(Roles{1, 0, 3, 10}, 0), std::invalid_argument);
}

}  // namespace
}  // namespace hlsim::consent
