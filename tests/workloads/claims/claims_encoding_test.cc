// Claims payloads and state values: round-trips, exact-encoding decoders, the fingerprint.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "workloads/claims/claims_codes.h"
#include "workloads/claims/claims_payloads.h"
#include "workloads/claims/claims_state.h"

namespace hlsim::claims {
namespace {

Claim sample_claim() {
  Claim c;
  c.claim_seq = 41;
  c.provider = 3;
  c.patient = 123'456;
  c.payer = 1;
  c.service_day = 812;
  c.lines = {{99213, 1, 24, 9'200}, {85025, 1, 0, 800}, {97110, 3, 0, 8'700}};
  c.attachment = Bytes(100, 0x5A);
  return c;
}

TEST(ClaimsEncodingTest, ClaimRoundTripsAndHasTheDocumentedSize) {
  const Claim c = sample_claim();
  const Bytes b = encode(c);
  EXPECT_EQ(b.size(), kClaimFixedBytes + 3 * kClaimLineBytes + 100);
  const std::optional<Claim> d = decode_claim(b);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->claim_seq, 41u);
  EXPECT_EQ(d->provider, 3u);
  EXPECT_EQ(d->patient, 123'456u);
  EXPECT_EQ(d->payer, 1u);
  EXPECT_EQ(d->service_day, 812u);
  EXPECT_EQ(d->lines, c.lines);
  EXPECT_EQ(d->attachment, c.attachment);
}

TEST(ClaimsEncodingTest, PaymentAndEnrollRoundTrip) {
  Payment p;
  p.payer = 1;
  p.claims = {{2, 5}, {7, 0}};
  p.remittance = Bytes(9, 1);
  const std::optional<Payment> dp = decode_payment(encode(p));
  ASSERT_TRUE(dp.has_value());
  EXPECT_EQ(dp->payer, 1u);
  EXPECT_EQ(dp->claims, p.claims);
  EXPECT_EQ(dp->remittance, p.remittance);
  EXPECT_EQ(encode(p).size(), kPaymentFixedBytes + 2 * kPaymentClaimBytes + 9);

  Enroll e;
  e.patient = 99;
  e.payer = 1;
  e.plan = Plan::kComprehensive;
  e.annual_limit_cents = 5'000'000;
  e.member = Bytes(3, 2);
  const std::optional<Enroll> de = decode_enroll(encode(e));
  ASSERT_TRUE(de.has_value());
  EXPECT_EQ(de->patient, 99u);
  EXPECT_EQ(de->payer, 1u);
  EXPECT_EQ(de->plan, Plan::kComprehensive);
  EXPECT_EQ(de->annual_limit_cents, 5'000'000u);
  EXPECT_EQ(de->member, e.member);
  EXPECT_EQ(encode(e).size(), kEnrollFixedBytes + 3);
}

TEST(ClaimsEncodingTest, TruncatedOrTrailingInputDoesNotDecode) {
  Bytes claim = encode(sample_claim());
  Bytes longer = claim;
  longer.push_back(0);
  EXPECT_FALSE(decode_claim(longer).has_value());
  for (std::size_t n : {std::size_t{0}, std::size_t{10}, claim.size() - 1}) {
    EXPECT_FALSE(decode_claim(ByteView(claim.data(), n)).has_value()) << n;
  }
  Payment p;
  p.claims = {{2, 5}};
  Bytes pay = encode(p);
  pay.push_back(0);
  EXPECT_FALSE(decode_payment(pay).has_value());
  Bytes enr = encode(Enroll{});
  enr.pop_back();
  EXPECT_FALSE(decode_enroll(enr).has_value());
}

TEST(ClaimsEncodingTest, ClaimWithoutLinesOrTooManyLinesDoesNotDecode) {
  Claim c = sample_claim();
  c.lines.clear();
  EXPECT_FALSE(decode_claim(encode(c)).has_value());
  c.lines.assign(kClaimLinesMax + 1, ClaimLine{99213, 1, 20, 9'200});
  EXPECT_FALSE(decode_claim(encode(c)).has_value());
  c.lines.resize(kClaimLinesMax);
  EXPECT_TRUE(decode_claim(encode(c)).has_value());
}

TEST(ClaimsEncodingTest, EmptyPaymentAndUnknownPlanDoNotDecode) {
  EXPECT_FALSE(decode_payment(encode(Payment{})).has_value());
  Bytes e = encode(Enroll{});
  e[12] = kPlanCount;  // the plan byte follows u64 patient and u32 payer
  EXPECT_FALSE(decode_enroll(e).has_value());
}

TEST(ClaimsEncodingTest, HostileLengthPrefixDoesNotDecode) {
  Claim c = sample_claim();
  c.attachment.clear();
  Bytes b = encode(c);
  // The attachment's u32 length is the last four bytes: claim far more than is there.
  b[b.size() - 1] = 0x7F;
  EXPECT_FALSE(decode_claim(b).has_value());
}

TEST(ClaimsEncodingTest, FingerprintIgnoresLineOrderSeqPayerMinutesAndAttachment) {
  const Claim a = sample_claim();
  Claim b = a;
  std::swap(b.lines[0], b.lines[2]);
  b.claim_seq = 999;
  b.payer = 0;
  b.lines[2].minutes = 35;
  b.attachment = Bytes(7, 1);
  EXPECT_EQ(claim_fingerprint(a), claim_fingerprint(b));
}

TEST(ClaimsEncodingTest, FingerprintChangesWithPatientProviderDayAndEachLineField) {
  const Claim a = sample_claim();
  const Hash256 fp = claim_fingerprint(a);
  Claim b = a;
  b.patient += 1;
  EXPECT_NE(claim_fingerprint(b), fp);
  b = a;
  b.provider += 1;
  EXPECT_NE(claim_fingerprint(b), fp);
  b = a;
  b.service_day += 1;
  EXPECT_NE(claim_fingerprint(b), fp);
  b = a;
  b.lines[1].code = 80053;
  EXPECT_NE(claim_fingerprint(b), fp);
  b = a;
  b.lines[2].units = 2;
  EXPECT_NE(claim_fingerprint(b), fp);
  b = a;
  b.lines[1].amount_cents += 1;
  EXPECT_NE(claim_fingerprint(b), fp);
  b = a;
  b.lines.push_back(b.lines[1]);
  EXPECT_NE(claim_fingerprint(b), fp);
}

TEST(ClaimsEncodingTest, StateValuesRoundTrip) {
  ClaimRecord r;
  r.patient = 5;
  r.payer = 1;
  r.service_day = 3;
  r.submitted_ns = 77;
  r.reason = ClaimReason::kPartial;
  r.billed_cents = 1'000;
  r.approved_cents = 700;
  r.lines = {{LineReason::kApproved, 700}, {LineReason::kNotCovered, 0}};
  r.paid = true;
  r.paid_ns = 99;
  const std::optional<ClaimRecord> d = decode_claim_record(encode_value(r));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->patient, 5u);
  EXPECT_EQ(d->reason, ClaimReason::kPartial);
  EXPECT_EQ(d->approved_cents, 700u);
  ASSERT_EQ(d->lines.size(), 2u);
  EXPECT_EQ(d->lines[1].reason, LineReason::kNotCovered);
  EXPECT_TRUE(d->paid);
  EXPECT_EQ(d->paid_ns, 99);

  const std::optional<ClaimRef> ref = decode_claim_ref(encode_value(ClaimRef{4, 8}));
  ASSERT_TRUE(ref.has_value());
  EXPECT_EQ(*ref, (ClaimRef{4, 8}));
  const std::optional<Enrolment> e =
      decode_enrolment(encode_value(Enrolment{Plan::kStandard, 12, 34}));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->plan, Plan::kStandard);
  EXPECT_EQ(e->annual_limit_cents, 12u);
  EXPECT_EQ(decode_cents(encode_cents(42)), 42u);

  std::string bad = encode_value(r);
  bad.push_back('x');
  EXPECT_FALSE(decode_claim_record(bad).has_value());
  EXPECT_FALSE(decode_cents("abc").has_value());
}

TEST(ClaimsEncodingTest, KeysAreFixedWidthHexAndOrderedByNumber) {
  EXPECT_EQ(claim_key(3, 10), "claims/claim/00000003/000000000000000a");
  EXPECT_LT(claim_key(3, 9), claim_key(3, 10));
  EXPECT_EQ(usage_key(1, 2), "claims/used/0000000000000001/00000002");
  EXPECT_EQ(member_key(255), "claims/member/00000000000000ff");
  EXPECT_EQ(duplicate_key(Hash256{}).size(), std::string("claims/dup/").size() + 64);
}

TEST(ClaimsEncodingTest, CodeTableListsEmLevelsFirstWithRisingTimeAndFee) {
  const auto table = code_table();
  for (std::size_t i = 0; i < kEmLevelCount; ++i) {
    EXPECT_TRUE(table[i].office_em);
    EXPECT_EQ(table[i].code, 99211u + i);
    if (i > 0) {
      EXPECT_GT(table[i].em_min_minutes, table[i - 1].em_min_minutes);
      EXPECT_GT(table[i].fee_max_cents, table[i - 1].fee_max_cents);
    }
  }
  for (std::size_t i = kEmLevelCount; i < table.size(); ++i) EXPECT_FALSE(table[i].office_em);
  EXPECT_FALSE(find_code(12345).has_value());
  ASSERT_TRUE(find_code(71046).has_value());
  EXPECT_FALSE(plan_covers(Plan::kBasic, *find_code(71046)));
  EXPECT_TRUE(plan_covers(Plan::kStandard, *find_code(71046)));
  EXPECT_FALSE(plan_covers(Plan::kStandard, *find_code(97110)));
  EXPECT_TRUE(plan_covers(Plan::kComprehensive, *find_code(97110)));
}

TEST(ClaimsEncodingTest, KindNamesAreInCodeOrder) {
  EXPECT_STREQ(kind_name(0), "claim_submit");
  EXPECT_STREQ(kind_name(1), "payment");
  EXPECT_STREQ(kind_name(2), "enroll");
  EXPECT_STREQ(kind_name(3), "fraud_duplicate_claim");
  EXPECT_STREQ(kind_name(4), "fraud_upcoded_claim");
  EXPECT_EQ(kind_name(5), nullptr);
  EXPECT_TRUE(is_claim_kind(0));
  EXPECT_FALSE(is_claim_kind(1));
  EXPECT_FALSE(is_claim_kind(2));
  EXPECT_TRUE(is_claim_kind(3));
  EXPECT_TRUE(is_claim_kind(4));
}

}  // namespace
}  // namespace hlsim::claims
