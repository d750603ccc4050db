// Transaction kinds and payload encodings of the claims workload.
//
// The transaction's kind field selects the payload layout; the payload carries no kind tag. The
// three claim kinds (claim_submit and the two injected frauds) share one layout, and the contract
// judges them alike: on the payload and the state, never on the label. All integers are
// little-endian (ledger/encoding.h); `bytes` is a u32 length followed by the data.
//
//   claim (kinds 0, 3, 4) : u64 claim_seq | u32 provider | u64 patient | u32 payer |
//                           u32 service_day | u16 line_count | line_count x line | bytes attachment
//     line                : u32 code | u16 units | u16 minutes | u64 amount_cents
//   kind 1 payment        : u32 payer | u16 claim_count | claim_count x (u32 provider |
//                           u64 claim_seq) | bytes remittance
//   kind 2 enroll         : u64 patient | u32 payer | u8 plan | u64 annual_limit_cents |
//                           bytes member
//
// `attachment`, `remittance` and `member` stand for the rest of the FHIR Claim, the remittance
// advice and the member's enrolment record; the generator fills them to the configured sizes and
// the contract never interprets them.
//
// Decoders accept only an exact encoding: truncated input, trailing bytes, zero or too many lines
// or claims, an unknown plan code and over-long fields give nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ledger/bytes.h"
#include "workloads/claims/claims_codes.h"

namespace hlsim::claims {

// Kind codes: the index into ClaimsWorkload::kind_names(). The order is fixed.
enum class Kind : std::uint16_t {
  kClaimSubmit = 0,
  kPayment = 1,
  kEnroll = 2,
  kFraudDuplicateClaim = 3,
  kFraudUpcodedClaim = 4,
};
inline constexpr std::uint16_t kKindCount = 5;
// "claim_submit", "payment", "enroll", "fraud_duplicate_claim", "fraud_upcoded_claim"; nullptr if
// out of range.
const char* kind_name(std::uint16_t kind);
// True for the kinds whose payload is a claim.
bool is_claim_kind(std::uint16_t kind);

// Most lines one claim may carry (an X12 837I claim allows 999 service lines) and most claims one
// payment may pay.
inline constexpr std::size_t kClaimLinesMax = 999;
inline constexpr std::size_t kPaymentClaimsMax = 1000;
// Upper bound on the trailing fill fields, so a hostile length prefix cannot make a decoder
// allocate much.
inline constexpr std::size_t kClaimsMaxFieldBytes = 1u << 20;

struct ClaimLine {
  std::uint32_t code = 0;          // procedure code (claims_codes.h)
  std::uint16_t units = 1;         // >= 1 for a valid claim
  std::uint16_t minutes = 0;       // documented total time; read for office E/M levels only
  std::uint64_t amount_cents = 0;  // billed for the line (all units)

  friend bool operator==(const ClaimLine&, const ClaimLine&) = default;
};

struct Claim {
  std::uint64_t claim_seq = 0;  // per provider, from 0: (provider, claim_seq) names the claim
  std::uint32_t provider = 0;   // must equal the submitting client
  std::uint64_t patient = 0;
  std::uint32_t payer = 0;        // the payer the claim is addressed to
  std::uint32_t service_day = 0;  // simulated day of the service (time / day_ns)
  std::vector<ClaimLine> lines;
  Bytes attachment;
};

struct ClaimRef {
  std::uint32_t provider = 0;
  std::uint64_t claim_seq = 0;

  // clang-tidy 14 flags the literal 0 of comparisons it synthesises from a defaulted <=>.
  auto operator<=>(const ClaimRef&) const = default;  // NOLINT(modernize-use-nullptr)
};

struct Payment {
  std::uint32_t payer = 0;  // must equal the submitting client
  std::vector<ClaimRef> claims;
  Bytes remittance;
};

struct Enroll {
  std::uint64_t patient = 0;
  std::uint32_t payer = 0;  // must equal the submitting client
  Plan plan = Plan::kBasic;
  std::uint64_t annual_limit_cents = 0;
  Bytes member;
};

// Encoded sizes with no lines / claims and empty trailing fill.
inline constexpr std::size_t kClaimFixedBytes = 8 + 4 + 8 + 4 + 4 + 2 + 4;
inline constexpr std::size_t kClaimLineBytes = 4 + 2 + 2 + 8;
inline constexpr std::size_t kPaymentFixedBytes = 4 + 2 + 4;
inline constexpr std::size_t kPaymentClaimBytes = 4 + 8;
inline constexpr std::size_t kEnrollFixedBytes = 8 + 4 + 1 + 8 + 4;

Bytes encode(const Claim& p);
Bytes encode(const Payment& p);
Bytes encode(const Enroll& p);

std::optional<Claim> decode_claim(ByteView payload);
std::optional<Payment> decode_payment(ByteView payload);
std::optional<Enroll> decode_enroll(ByteView payload);

// The duplicate-claim fingerprint: SHA-256 over (patient, provider, service_day) and the claim's
// line set, i.e. its lines' (code, units, amount_cents) sorted, so the same lines in another
// order are the same claim. claim_seq, payer, minutes and the attachment are not part of it.
Hash256 claim_fingerprint(const Claim& claim);

}  // namespace hlsim::claims
