// EHR payload and state encodings: exact round trips, fixed sizes, key layout and order.
#include <gtest/gtest.h>

#include <string>

#include "workloads/ehr/ehr_payloads.h"
#include "workloads/ehr/ehr_state.h"

namespace hlsim::ehr {
namespace {

TEST(EhrPayloadTest, RecordWriteRoundTripsAndHasTheDocumentedSize) {
  RecordWrite p;
  p.patient = 0x0102030405060708ull;
  p.record_id = 42;
  p.content_hash.bytes[31] = 0xEE;
  p.uri = "https://org-3.hie.example/fhir/DocumentReference/8-42";
  p.record_type = RecordType::kInpatient;
  p.meta = Bytes(10, 0x5A);

  const Bytes b = encode(p);
  EXPECT_EQ(b.size(), kRecordWriteFixedBytes + p.uri.size() + p.meta.size());
  const std::optional<RecordWrite> d = decode_record_write(b);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->patient, p.patient);
  EXPECT_EQ(d->record_id, p.record_id);
  EXPECT_EQ(d->content_hash, p.content_hash);
  EXPECT_EQ(d->uri, p.uri);
  EXPECT_EQ(d->record_type, p.record_type);
  EXPECT_EQ(d->meta, p.meta);
}

TEST(EhrPayloadTest, ConsentGrantRevokeAndAccessRoundTripWithTheDocumentedSizes) {
  const ConsentGrant g{7, 3, -5, 11, Bytes(3, 1)};
  const Bytes gb = encode(g);
  EXPECT_EQ(gb.size(), kConsentGrantFixedBytes + 3);
  const std::optional<ConsentGrant> gd = decode_consent_grant(gb);
  ASSERT_TRUE(gd.has_value());
  EXPECT_EQ(gd->patient, 7u);
  EXPECT_EQ(gd->grantee, 3u);
  EXPECT_EQ(gd->expiry_ns, -5);
  EXPECT_EQ(gd->consent_id, 11u);
  EXPECT_EQ(gd->scope, g.scope);

  const ConsentRevoke r{7, 3, 11, {}};
  const Bytes rb = encode(r);
  EXPECT_EQ(rb.size(), kConsentRevokeFixedBytes);
  const std::optional<ConsentRevoke> rd = decode_consent_revoke(rb);
  ASSERT_TRUE(rd.has_value());
  EXPECT_EQ(rd->patient, 7u);
  EXPECT_EQ(rd->grantee, 3u);
  EXPECT_EQ(rd->consent_id, 11u);

  const AccessRequest a{9, 2, Purpose::kResearch, Bytes(5, 9)};
  const Bytes ab = encode(a);
  EXPECT_EQ(ab.size(), kAccessRequestFixedBytes + 5);
  const std::optional<AccessRequest> ad = decode_access_request(ab);
  ASSERT_TRUE(ad.has_value());
  EXPECT_EQ(ad->patient, 9u);
  EXPECT_EQ(ad->requester, 2u);
  EXPECT_EQ(ad->purpose, Purpose::kResearch);
  EXPECT_EQ(ad->justification, a.justification);
}

TEST(EhrPayloadTest, KindNamesFollowTheKindCodes) {
  EXPECT_STREQ(kind_name(0), "record_write");
  EXPECT_STREQ(kind_name(1), "consent_grant");
  EXPECT_STREQ(kind_name(2), "consent_revoke");
  EXPECT_STREQ(kind_name(3), "access_request");
  EXPECT_EQ(kind_name(kKindCount), nullptr);
}

TEST(EhrStateTest, KeysAreFixedWidthHexSoByteOrderIsNumericOrder) {
  EXPECT_EQ(record_key(10, 1), "ehr/rec/000000000000000a/0000000000000001");
  EXPECT_EQ(consent_key(10, 3), "ehr/consent/000000000000000a/00000003");
  EXPECT_EQ(audit_key(255, 16), "ehr/audit/00000000000000ff/0000000000000010");
  EXPECT_EQ(audit_next_key(1), "ehr/audit_next/0000000000000001");
  EXPECT_LT(record_key(9, 0), record_key(10, 0));
  EXPECT_LT(audit_key(3, 9), audit_key(3, 10));
  EXPECT_LT(audit_key(3, 0xFFFF), audit_key(4, 0));
}

TEST(EhrStateTest, StoredValuesRoundTripAndRejectTrailingBytes) {
  const ConsentState c{123, true, 5, 100};
  std::string cv = encode_value(c);
  const std::optional<ConsentState> cd = decode_consent_state(cv);
  ASSERT_TRUE(cd.has_value());
  EXPECT_EQ(cd->expiry_ns, 123);
  EXPECT_TRUE(cd->revoked);
  EXPECT_EQ(cd->consent_id, 5u);
  EXPECT_EQ(cd->updated_ns, 100);
  cv.push_back('x');
  EXPECT_FALSE(decode_consent_state(cv).has_value());

  const AuditEntry e{2, 77, AuditDecision::kGranted, Purpose::kPayment, Hash256{}};
  const std::optional<AuditEntry> ed = decode_audit_entry(encode_value(e));
  ASSERT_TRUE(ed.has_value());
  EXPECT_EQ(ed->requester, 2u);
  EXPECT_EQ(ed->time_ns, 77);
  EXPECT_EQ(ed->decision, AuditDecision::kGranted);
  EXPECT_EQ(ed->purpose, Purpose::kPayment);

  EXPECT_EQ(decode_seq(encode_seq(41)), 41u);
  EXPECT_FALSE(decode_seq("1234567").has_value());
}

}  // namespace
}  // namespace hlsim::ehr
