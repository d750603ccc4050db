// Transaction kinds and payload encodings of the credentials workload.
//
// The kind field selects the layout; verify and the injected verify_revoked share one, and the
// contract judges them alike. Integers little-endian (ledger/encoding.h); `bytes` is a u32
// length followed by the data.
//
//   licence (kinds 0 licence_issue, 1 recredential, 3 revoke) : u64 clinician | u32 board |
//                                                                bytes details
//   verification (kinds 2 verify, 4 verify_revoked)           : u64 clinician | u32 board |
//                                                                u32 hospital | bytes context
//
// `details` stands for the licence document (FHIR Practitioner.qualification with its
// VerificationResult) and `context` for the point-of-care request; the generator fills them to
// the configured sizes and the contract never interprets them. Decoders accept only an exact
// encoding (no truncation, no trailing bytes, fields at most kCredentialsMaxFieldBytes).
#pragma once

#include <cstdint>
#include <optional>

#include "ledger/bytes.h"

namespace hlsim::credentials {

// Kind codes: the index into CredentialsWorkload::kind_names(). The order is fixed.
enum class Kind : std::uint16_t {
  kLicenceIssue = 0,
  kRecredential = 1,
  kVerify = 2,
  kRevoke = 3,
  kVerifyRevoked = 4,
};
inline constexpr std::uint16_t kKindCount = 5;
// "licence_issue", "recredential", "verify", "revoke", "verify_revoked"; nullptr if out of range.
const char* kind_name(std::uint16_t kind);
bool is_verification_kind(std::uint16_t kind);

inline constexpr std::size_t kCredentialsMaxFieldBytes = 1u << 20;

// A board's action on one licence: (board, clinician) names the licence.
struct LicenceAction {
  std::uint64_t clinician = 0;
  std::uint32_t board = 0;  // must equal the submitting client
  Bytes details;
};

struct Verification {
  std::uint64_t clinician = 0;
  std::uint32_t board = 0;     // the licence checked
  std::uint32_t hospital = 0;  // must equal the submitting client
  Bytes context;
};

inline constexpr std::size_t kLicenceActionFixedBytes = 8 + 4 + 4;
inline constexpr std::size_t kVerificationFixedBytes = 8 + 4 + 4 + 4;

Bytes encode(const LicenceAction& p);
Bytes encode(const Verification& p);

std::optional<LicenceAction> decode_licence_action(ByteView payload);
std::optional<Verification> decode_verification(ByteView payload);

}  // namespace hlsim::credentials
