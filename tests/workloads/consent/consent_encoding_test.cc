// Consent payloads and state values: exact round-trips, rejection of malformed encodings, the
// key layout and the kind names.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "ledger/encoding.h"
#include "workloads/consent/consent_payloads.h"
#include "workloads/consent/consent_state.h"

namespace hlsim::consent {
namespace {

const Bytes kDoc = {9, 8, 7, 6, 5};

// Every strict prefix of a valid encoding fails to decode, and so does the encoding plus a byte.
template <class Decode>
void expect_only_exact_decodes(const Bytes& encoded, Decode decode) {
  ASSERT_TRUE(decode(encoded).has_value());
  for (std::size_t n = 0; n < encoded.size(); ++n) {
    EXPECT_FALSE(decode(ByteView(encoded.data(), n)).has_value()) << "prefix " << n;
  }
  Bytes longer = encoded;
  longer.push_back(0);
  EXPECT_FALSE(decode(longer).has_value());
}

TEST(ConsentEncodingTest, KindNamesAndClassesFollowTheCodes) {
  EXPECT_STREQ(kind_name(0), "trial_register");
  EXPECT_STREQ(kind_name(8), "data_access");
  EXPECT_STREQ(kind_name(9), "violation_access_after_withdrawal");
  EXPECT_STREQ(kind_name(10), "violation_stale_consent_access");
  EXPECT_STREQ(kind_name(11), "violation_ungranted_viewer");
  EXPECT_EQ(kind_name(kKindCount), nullptr);
  EXPECT_FALSE(is_access_kind(static_cast<std::uint16_t>(Kind::kRevokeViewer)));
  EXPECT_TRUE(is_access_kind(static_cast<std::uint16_t>(Kind::kDataAccess)));
  EXPECT_TRUE(is_access_kind(static_cast<std::uint16_t>(Kind::kViolationUngrantedViewer)));
  EXPECT_FALSE(is_access_kind(kKindCount));
  EXPECT_FALSE(is_violation_kind(static_cast<std::uint16_t>(Kind::kDataAccess)));
  EXPECT_TRUE(is_violation_kind(static_cast<std::uint16_t>(Kind::kViolationAccessAfterWithdrawal)));
}

TEST(ConsentEncodingTest, TrialRegisterAndSiteActivateRoundTrip) {
  const Bytes reg = encode(TrialRegister{7, 1, kDoc});
  EXPECT_EQ(reg.size(), kTrialRegisterFixedBytes + kDoc.size());
  const auto r = decode_trial_register(reg);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->trial, 7u);
  EXPECT_EQ(r->sponsor, 1u);
  EXPECT_EQ(r->doc, kDoc);
  expect_only_exact_decodes(reg, decode_trial_register);

  const Bytes act = encode(SiteActivate{7, 12, {}});
  EXPECT_EQ(act.size(), kSiteActivateFixedBytes);
  const auto a = decode_site_activate(act);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->site, 12u);
  expect_only_exact_decodes(act, decode_site_activate);
}

TEST(ConsentEncodingTest, EnrolAmendReconsentWithdrawRoundTrip) {
  const Bytes en = encode(Enrol{3, 0x1122334455667788ull, 9, 4, kDoc});
  EXPECT_EQ(en.size(), kEnrolFixedBytes + kDoc.size());
  const auto e = decode_enrol(en);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->trial, 3u);
  EXPECT_EQ(e->participant, 0x1122334455667788ull);
  EXPECT_EQ(e->site, 9u);
  EXPECT_EQ(e->consent_version, 4u);
  expect_only_exact_decodes(en, decode_enrol);

  const Bytes am = encode(Amend{3, 5, kDoc});
  EXPECT_EQ(decode_amend(am)->new_version, 5u);
  expect_only_exact_decodes(am, decode_amend);

  const Bytes rc = encode(Reconsent{3, 42, 5, kDoc});
  EXPECT_EQ(rc.size(), kReconsentFixedBytes + kDoc.size());
  EXPECT_EQ(decode_reconsent(rc)->participant, 42u);
  EXPECT_EQ(decode_reconsent(rc)->consent_version, 5u);
  expect_only_exact_decodes(rc, decode_reconsent);

  const Bytes wd = encode(Withdraw{3, 42, {}});
  EXPECT_EQ(wd.size(), kWithdrawFixedBytes);
  EXPECT_EQ(decode_withdraw(wd)->participant, 42u);
  expect_only_exact_decodes(wd, decode_withdraw);
}

TEST(ConsentEncodingTest, ViewerChangeAndDataAccessRoundTrip) {
  const Bytes vc = encode(ViewerChange{2, 5, kDoc});
  EXPECT_EQ(decode_viewer_change(vc)->viewer, 5u);
  expect_only_exact_decodes(vc, decode_viewer_change);

  const Bytes da = encode(DataAccess{2, 77, 5, 3, kDoc});
  EXPECT_EQ(da.size(), kDataAccessFixedBytes + kDoc.size());
  const auto d = decode_data_access(da);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->trial, 2u);
  EXPECT_EQ(d->participant, 77u);
  EXPECT_EQ(d->reader, 5u);
  EXPECT_EQ(d->consent_version, 3u);
  EXPECT_EQ(d->doc, kDoc);
  expect_only_exact_decodes(da, decode_data_access);
}

TEST(ConsentEncodingTest, AnOverLongDocLengthIsRejectedWithoutAllocating) {
  Writer w;
  w.u32(1);
  w.u32(2);
  w.u32(static_cast<std::uint32_t>(kConsentMaxFieldBytes + 1));
  EXPECT_FALSE(decode_trial_register(w.data()).has_value());
}

TEST(ConsentEncodingTest, StateValuesRoundTrip) {
  const TrialState t{1, 3, 100, 200};
  const auto t2 = decode_trial_state(encode_value(t));
  ASSERT_TRUE(t2.has_value());
  EXPECT_EQ(t2->sponsor, 1u);
  EXPECT_EQ(t2->version, 3u);
  EXPECT_EQ(t2->registered_ns, 100);
  EXPECT_EQ(t2->amended_ns, 200);

  EXPECT_EQ(decode_site_state(encode_value(SiteState{55}))->activated_ns, 55);

  const ParticipantState p{2, 7, 3, true, 10, 20};
  const auto p2 = decode_participant_state(encode_value(p));
  ASSERT_TRUE(p2.has_value());
  EXPECT_EQ(p2->trial, 2u);
  EXPECT_EQ(p2->site, 7u);
  EXPECT_EQ(p2->consent_version, 3u);
  EXPECT_TRUE(p2->withdrawn);
  EXPECT_EQ(p2->enrolled_ns, 10);
  EXPECT_EQ(p2->updated_ns, 20);

  const auto v2 = decode_viewer_state(encode_value(ViewerState{true, 9}));
  ASSERT_TRUE(v2.has_value());
  EXPECT_TRUE(v2->granted);

  AuditEntry a{4, 2, 3, 99, AccessDecision::kStaleConsent, {}};
  a.tx_id.bytes[31] = 0xEE;
  const auto a2 = decode_audit_entry(encode_value(a));
  ASSERT_TRUE(a2.has_value());
  EXPECT_EQ(a2->decision, AccessDecision::kStaleConsent);
  EXPECT_EQ(a2->tx_id, a.tx_id);
  EXPECT_EQ(decode_seq(encode_seq(12345)), 12345u);
}

TEST(ConsentEncodingTest, MalformedStateValuesAreRejected) {
  std::string p = encode_value(ParticipantState{2, 7, 3, false, 10, 20});
  p[12] = 2;  // the withdrawn flag
  EXPECT_FALSE(decode_participant_state(p).has_value());
  std::string v = encode_value(ViewerState{true, 9});
  v[0] = 7;
  EXPECT_FALSE(decode_viewer_state(v).has_value());
  std::string a = encode_value(AuditEntry{});
  a[20] = kAccessDecisionCount;  // the decision byte
  EXPECT_FALSE(decode_audit_entry(a).has_value());
  EXPECT_FALSE(decode_trial_state(encode_value(TrialState{}) + "x").has_value());
  EXPECT_FALSE(decode_site_state("short").has_value());
  EXPECT_FALSE(decode_seq("").has_value());
}

TEST(ConsentEncodingTest, KeysAreFixedWidthHexSoByteOrderIsNumericOrder) {
  EXPECT_EQ(trial_key(0x1a), "consent/trial/0000001a");
  EXPECT_EQ(site_key(1, 0x20), "consent/site/00000001/00000020");
  EXPECT_EQ(participant_key(255), "consent/part/00000000000000ff");
  EXPECT_EQ(viewer_key(2, 3), "consent/viewer/00000002/00000003");
  EXPECT_EQ(audit_key(1, 2), "consent/audit/0000000000000001/0000000000000002");
  EXPECT_EQ(audit_next_key(1), "consent/audit_next/0000000000000001");
  EXPECT_LT(participant_key(9), participant_key(10));
  EXPECT_LT(audit_key(5, 0xf), audit_key(5, 0x10));
}

}  // namespace
}  // namespace hlsim::consent
