// Credentials payloads and state values: round-trips and exact-encoding decoders.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "workloads/credentials/credentials_payloads.h"
#include "workloads/credentials/credentials_state.h"

namespace hlsim::credentials {
namespace {

TEST(CredentialsEncodingTest, LicenceActionRoundTripsWithItsDocumentedSize) {
  LicenceAction p{123'456'789, 1, Bytes(50, 7)};
  const Bytes b = encode(p);
  EXPECT_EQ(b.size(), kLicenceActionFixedBytes + 50);
  const std::optional<LicenceAction> d = decode_licence_action(b);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->clinician, 123'456'789u);
  EXPECT_EQ(d->board, 1u);
  EXPECT_EQ(d->details, p.details);
}

TEST(CredentialsEncodingTest, VerificationRoundTripsWithItsDocumentedSize) {
  Verification p{42, 0, 5, Bytes(10, 1)};
  const Bytes b = encode(p);
  EXPECT_EQ(b.size(), kVerificationFixedBytes + 10);
  const std::optional<Verification> d = decode_verification(b);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->clinician, 42u);
  EXPECT_EQ(d->board, 0u);
  EXPECT_EQ(d->hospital, 5u);
  EXPECT_EQ(d->context, p.context);
}

TEST(CredentialsEncodingTest, TruncatedTrailingOrOversizedInputDoesNotDecode) {
  Bytes b = encode(LicenceAction{1, 0, Bytes(4, 0)});
  Bytes longer = b;
  longer.push_back(0);
  EXPECT_FALSE(decode_licence_action(longer).has_value());
  EXPECT_FALSE(decode_licence_action(ByteView(b.data(), b.size() - 1)).has_value());
  EXPECT_FALSE(decode_licence_action(ByteView(b.data(), 0)).has_value());
  Bytes v = encode(Verification{1, 0, 2, {}});
  v[v.size() - 1] = 0x7F;  // an attacker's length prefix far beyond the input
  EXPECT_FALSE(decode_verification(v).has_value());
  // A verification is four bytes longer than a licence action: neither parses as the other.
  EXPECT_FALSE(decode_verification(encode(LicenceAction{1, 0, {}})).has_value());
}

TEST(CredentialsEncodingTest, StateValuesRoundTripAndRejectBadBytes) {
  const LicenceState s{-5, 1'000, true, 700, 3};
  const std::optional<LicenceState> d = decode_licence_state(encode_value(s));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->issued_ns, -5);
  EXPECT_EQ(d->expiry_ns, 1'000);
  EXPECT_TRUE(d->revoked);
  EXPECT_EQ(d->revoked_ns, 700);
  EXPECT_EQ(d->renewals, 3u);
  std::string bad = encode_value(s);
  bad[16] = 2;  // the revoked flag
  EXPECT_FALSE(decode_licence_state(bad).has_value());

  VerificationAudit a{4, 99, VerifyResult::kExpired, {}};
  a.tx_id.bytes[0] = 0xAB;
  const std::optional<VerificationAudit> da = decode_verification_audit(encode_value(a));
  ASSERT_TRUE(da.has_value());
  EXPECT_EQ(da->hospital, 4u);
  EXPECT_EQ(da->result, VerifyResult::kExpired);
  EXPECT_EQ(da->tx_id, a.tx_id);
  std::string bad_audit = encode_value(a);
  bad_audit[12] = kVerifyResultCount;
  EXPECT_FALSE(decode_verification_audit(bad_audit).has_value());
  EXPECT_EQ(decode_seq(encode_seq(17)), 17u);
  EXPECT_FALSE(decode_seq("1234567").has_value());
}

TEST(CredentialsEncodingTest, KeysAreFixedWidthHex) {
  EXPECT_EQ(licence_key(1, 255), "cred/lic/00000001/00000000000000ff");
  EXPECT_EQ(audit_key(1, 255, 2), "cred/audit/00000001/00000000000000ff/0000000000000002");
  EXPECT_EQ(audit_next_key(0, 1), "cred/audit_next/00000000/0000000000000001");
  EXPECT_LT(audit_key(1, 255, 9), audit_key(1, 255, 10));
}

TEST(CredentialsEncodingTest, KindNamesAreInCodeOrder) {
  EXPECT_STREQ(kind_name(0), "licence_issue");
  EXPECT_STREQ(kind_name(1), "recredential");
  EXPECT_STREQ(kind_name(2), "verify");
  EXPECT_STREQ(kind_name(3), "revoke");
  EXPECT_STREQ(kind_name(4), "verify_revoked");
  EXPECT_EQ(kind_name(5), nullptr);
  EXPECT_TRUE(is_verification_kind(2));
  EXPECT_TRUE(is_verification_kind(4));
  EXPECT_FALSE(is_verification_kind(3));
}

}  // namespace
}  // namespace hlsim::credentials
