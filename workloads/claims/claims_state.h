// World-state layout of the claims contract.
//
// Keys are ASCII; numbers are fixed-width lower-case hex, so the store's byte order lists a
// provider's claims in submission order.
//
//   claims/claim/<provider:8>/<claim_seq:16>  -> ClaimRecord  (the adjudication, one per claim)
//   claims/dup/<fingerprint:64>               -> ClaimRef     (the first claim with that
//                                                              fingerprint, claims_payloads.h)
//   claims/used/<patient:16>/<plan_year:8>    -> u64 cents approved for the member that year
//   claims/member/<patient:16>                -> Enrolment    (latest enrol; absent: convention)
//   claims/member/<patient:16>/<payer:8>      -> Enrolment    (Membership::kEnrolled: the
//                                                              payer's enrol; absent: no member)
//
// Values use the canonical encoding (ledger/encoding.h):
//   ClaimRecord : u64 patient | u32 payer | u32 service_day | i64 submitted_ns | u8 reason |
//                 u64 billed_cents | u64 approved_cents | u16 n | n x (u8 line_reason |
//                 u64 approved_cents) | u8 paid (0/1) | i64 paid_ns
//   ClaimRef    : u32 provider | u64 claim_seq
//   Enrolment   : u8 plan | u64 annual_limit_cents | i64 enrolled_ns
//
// The claim record is what a FHIR ClaimResponse would carry: the outcome, the approved amount
// per line, the reason of each denied line, and whether and when it was paid.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/bytes.h"
#include "sim/kernel/time.h"
#include "workloads/claims/claims_codes.h"
#include "workloads/claims/claims_payloads.h"

namespace hlsim::claims {

// Why a claim ended as it did. kApproved and kPartial are approved claims (kApplied); the rest
// deny the whole claim (kDenied).
enum class ClaimReason : std::uint8_t {
  kApproved = 0,   // every line approved in full
  kPartial = 1,    // approved, but some line denied or reduced
  kNotMember = 2,  // the patient is not a member of the payer the claim is addressed to
  kDuplicate = 3,  // same fingerprint as an earlier claim
  kUpcoded = 4,    // a line above units x fee maximum, or an E/M level its time does not support
  kAllLinesDenied = 5,  // no line approved (not covered, annual limit exhausted)
};
inline constexpr std::uint8_t kClaimReasonCount = 6;
inline bool is_approved(ClaimReason r) {
  return r == ClaimReason::kApproved || r == ClaimReason::kPartial;
}

enum class LineReason : std::uint8_t {
  kApproved = 0,        // approved in full
  kNotCovered = 1,      // the member's plan does not cover the code
  kLimitReduced = 2,    // approved up to what was left of the annual limit
  kLimitExhausted = 3,  // nothing left of the annual limit
  kNotAdjudicated = 4,  // the whole claim was denied before its lines were judged
};
inline constexpr std::uint8_t kLineReasonCount = 5;

struct LineResult {
  LineReason reason = LineReason::kNotAdjudicated;
  std::uint64_t approved_cents = 0;
};

struct ClaimRecord {
  std::uint64_t patient = 0;
  std::uint32_t payer = 0;
  std::uint32_t service_day = 0;
  TimeNs submitted_ns = 0;  // block time of the submission
  ClaimReason reason = ClaimReason::kAllLinesDenied;
  std::uint64_t billed_cents = 0;
  std::uint64_t approved_cents = 0;  // sum over the lines
  std::vector<LineResult> lines;
  bool paid = false;
  TimeNs paid_ns = 0;  // block time of the payment
};

struct Enrolment {
  Plan plan = Plan::kBasic;
  std::uint64_t annual_limit_cents = 0;
  TimeNs enrolled_ns = 0;
};

std::string claim_key(std::uint32_t provider, std::uint64_t claim_seq);
std::string duplicate_key(const Hash256& fingerprint);
std::string usage_key(std::uint64_t patient, std::uint32_t plan_year);
std::string member_key(std::uint64_t patient);
std::string member_key(std::uint64_t patient, std::uint32_t payer);

std::string encode_value(const ClaimRecord& v);
std::string encode_value(const ClaimRef& v);
std::string encode_value(const Enrolment& v);
std::string encode_cents(std::uint64_t cents);

// nullopt unless `value` is an exact encoding.
std::optional<ClaimRecord> decode_claim_record(std::string_view value);
std::optional<ClaimRef> decode_claim_ref(std::string_view value);
std::optional<Enrolment> decode_enrolment(std::string_view value);
std::optional<std::uint64_t> decode_cents(std::string_view value);

}  // namespace hlsim::claims
