#include "workloads/claims/claims_state.h"

#include "ledger/encoding.h"
#include "workloads/state_keys.h"

namespace hlsim::claims {
std::string claim_key(std::uint32_t provider, std::uint64_t claim_seq) {
  std::string k = "claims/claim/";
  append_hex(k, provider, 8);
  k.push_back('/');
  append_hex(k, claim_seq, 16);
  return k;
}

std::string duplicate_key(const Hash256& fingerprint) { return "claims/dup/" + fingerprint.hex(); }

std::string usage_key(std::uint64_t patient, std::uint32_t plan_year) {
  std::string k = "claims/used/";
  append_hex(k, patient, 16);
  k.push_back('/');
  append_hex(k, plan_year, 8);
  return k;
}

std::string member_key(std::uint64_t patient) {
  std::string k = "claims/member/";
  append_hex(k, patient, 16);
  return k;
}

std::string member_key(std::uint64_t patient, std::uint32_t payer) {
  std::string k = member_key(patient);
  k.push_back('/');
  append_hex(k, payer, 8);
  return k;
}

std::string encode_value(const ClaimRecord& v) {
  Writer w;
  w.u64(v.patient);
  w.u32(v.payer);
  w.u32(v.service_day);
  w.i64(v.submitted_ns);
  w.u8(static_cast<std::uint8_t>(v.reason));
  w.u64(v.billed_cents);
  w.u64(v.approved_cents);
  w.u16(static_cast<std::uint16_t>(v.lines.size()));
  for (const LineResult& l : v.lines) {
    w.u8(static_cast<std::uint8_t>(l.reason));
    w.u64(l.approved_cents);
  }
  w.u8(v.paid ? 1 : 0);
  w.i64(v.paid_ns);
  return to_value(w);
}

std::string encode_value(const ClaimRef& v) {
  Writer w;
  w.u32(v.provider);
  w.u64(v.claim_seq);
  return to_value(w);
}

std::string encode_value(const Enrolment& v) {
  Writer w;
  w.u8(static_cast<std::uint8_t>(v.plan));
  w.u64(v.annual_limit_cents);
  w.i64(v.enrolled_ns);
  return to_value(w);
}

std::string encode_cents(std::uint64_t cents) {
  Writer w;
  w.u64(cents);
  return to_value(w);
}

std::optional<ClaimRecord> decode_claim_record(std::string_view value) {
  Reader r(as_bytes(value));
  ClaimRecord v;
  std::uint8_t reason = 0;
  std::uint16_t n = 0;
  std::uint8_t paid = 0;
  r.u64(v.patient);
  r.u32(v.payer);
  r.u32(v.service_day);
  r.i64(v.submitted_ns);
  r.u8(reason);
  r.u64(v.billed_cents);
  r.u64(v.approved_cents);
  if (!r.u16(n) || n > kClaimLinesMax || reason >= kClaimReasonCount) return std::nullopt;
  v.reason = static_cast<ClaimReason>(reason);
  v.lines.resize(n);
  for (LineResult& l : v.lines) {
    std::uint8_t line_reason = 0;
    r.u8(line_reason);
    r.u64(l.approved_cents);
    if (line_reason >= kLineReasonCount) return std::nullopt;
    l.reason = static_cast<LineReason>(line_reason);
  }
  r.u8(paid);
  r.i64(v.paid_ns);
  if (!r.done() || paid > 1) return std::nullopt;
  v.paid = paid == 1;
  return v;
}

std::optional<ClaimRef> decode_claim_ref(std::string_view value) {
  Reader r(as_bytes(value));
  ClaimRef v;
  r.u32(v.provider);
  r.u64(v.claim_seq);
  if (!r.done()) return std::nullopt;
  return v;
}

std::optional<Enrolment> decode_enrolment(std::string_view value) {
  Reader r(as_bytes(value));
  Enrolment v;
  std::uint8_t plan = 0;
  r.u8(plan);
  r.u64(v.annual_limit_cents);
  r.i64(v.enrolled_ns);
  if (!r.done() || plan >= kPlanCount) return std::nullopt;
  v.plan = static_cast<Plan>(plan);
  return v;
}

std::optional<std::uint64_t> decode_cents(std::string_view value) {
  Reader r(as_bytes(value));
  std::uint64_t cents = 0;
  r.u64(cents);
  if (!r.done()) return std::nullopt;
  return cents;
}

}  // namespace hlsim::claims
