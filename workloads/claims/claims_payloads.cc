#include "workloads/claims/claims_payloads.h"

#include <algorithm>
#include <tuple>

#include "ledger/crypto/sha256.h"
#include "ledger/encoding.h"

namespace hlsim::claims {

const char* kind_name(std::uint16_t kind) {
  switch (kind) {
    case static_cast<std::uint16_t>(Kind::kClaimSubmit):
      return "claim_submit";
    case static_cast<std::uint16_t>(Kind::kPayment):
      return "payment";
    case static_cast<std::uint16_t>(Kind::kEnroll):
      return "enroll";
    case static_cast<std::uint16_t>(Kind::kFraudDuplicateClaim):
      return "fraud_duplicate_claim";
    case static_cast<std::uint16_t>(Kind::kFraudUpcodedClaim):
      return "fraud_upcoded_claim";
    default:
      return nullptr;
  }
}

bool is_claim_kind(std::uint16_t kind) {
  return kind == static_cast<std::uint16_t>(Kind::kClaimSubmit) ||
         kind == static_cast<std::uint16_t>(Kind::kFraudDuplicateClaim) ||
         kind == static_cast<std::uint16_t>(Kind::kFraudUpcodedClaim);
}

Bytes encode(const Claim& p) {
  Writer w(kClaimFixedBytes + kClaimLineBytes * p.lines.size() + p.attachment.size());
  w.u64(p.claim_seq);
  w.u32(p.provider);
  w.u64(p.patient);
  w.u32(p.payer);
  w.u32(p.service_day);
  w.u16(static_cast<std::uint16_t>(p.lines.size()));
  for (const ClaimLine& l : p.lines) {
    w.u32(l.code);
    w.u16(l.units);
    w.u16(l.minutes);
    w.u64(l.amount_cents);
  }
  w.bytes(p.attachment);
  return w.take();
}

Bytes encode(const Payment& p) {
  Writer w(kPaymentFixedBytes + kPaymentClaimBytes * p.claims.size() + p.remittance.size());
  w.u32(p.payer);
  w.u16(static_cast<std::uint16_t>(p.claims.size()));
  for (const ClaimRef& c : p.claims) {
    w.u32(c.provider);
    w.u64(c.claim_seq);
  }
  w.bytes(p.remittance);
  return w.take();
}

Bytes encode(const Enroll& p) {
  Writer w(kEnrollFixedBytes + p.member.size());
  w.u64(p.patient);
  w.u32(p.payer);
  w.u8(static_cast<std::uint8_t>(p.plan));
  w.u64(p.annual_limit_cents);
  w.bytes(p.member);
  return w.take();
}

std::optional<Claim> decode_claim(ByteView payload) {
  Reader r(payload);
  Claim p;
  std::uint16_t n = 0;
  r.u64(p.claim_seq);
  r.u32(p.provider);
  r.u64(p.patient);
  r.u32(p.payer);
  r.u32(p.service_day);
  if (!r.u16(n) || n == 0 || n > kClaimLinesMax || r.remaining() < kClaimLineBytes * n) {
    return std::nullopt;
  }
  p.lines.resize(n);
  for (ClaimLine& l : p.lines) {
    r.u32(l.code);
    r.u16(l.units);
    r.u16(l.minutes);
    r.u64(l.amount_cents);
  }
  r.bytes(p.attachment, kClaimsMaxFieldBytes);
  if (!r.done()) return std::nullopt;
  return p;
}

std::optional<Payment> decode_payment(ByteView payload) {
  Reader r(payload);
  Payment p;
  std::uint16_t n = 0;
  r.u32(p.payer);
  if (!r.u16(n) || n == 0 || n > kPaymentClaimsMax || r.remaining() < kPaymentClaimBytes * n) {
    return std::nullopt;
  }
  p.claims.resize(n);
  for (ClaimRef& c : p.claims) {
    r.u32(c.provider);
    r.u64(c.claim_seq);
  }
  r.bytes(p.remittance, kClaimsMaxFieldBytes);
  if (!r.done()) return std::nullopt;
  return p;
}

std::optional<Enroll> decode_enroll(ByteView payload) {
  Reader r(payload);
  Enroll p;
  std::uint8_t plan = 0;
  r.u64(p.patient);
  r.u32(p.payer);
  r.u8(plan);
  r.u64(p.annual_limit_cents);
  r.bytes(p.member, kClaimsMaxFieldBytes);
  if (!r.done() || plan >= kPlanCount) return std::nullopt;
  p.plan = static_cast<Plan>(plan);
  return p;
}

Hash256 claim_fingerprint(const Claim& claim) {
  std::vector<std::tuple<std::uint32_t, std::uint16_t, std::uint64_t>> set;
  set.reserve(claim.lines.size());
  for (const ClaimLine& l : claim.lines) set.emplace_back(l.code, l.units, l.amount_cents);
  std::sort(set.begin(), set.end());
  Writer w(8 + 4 + 4 + 4 + set.size() * 14);
  w.u64(claim.patient);
  w.u32(claim.provider);
  w.u32(claim.service_day);
  w.u32(static_cast<std::uint32_t>(set.size()));
  for (const auto& [code, units, amount] : set) {
    w.u32(code);
    w.u16(units);
    w.u64(amount);
  }
  return sha256(w.data());
}

}  // namespace hlsim::claims
