// World-state layout of the credentials contract.
//
// Keys are ASCII with fixed-width lower-case hex numbers, so a licence's audit trail lists in
// order under its prefix.
//
//   cred/lic/<board:8>/<clinician:16>                -> LicenceState (absent: the register's,
//                                                       credentials_register.h, or none)
//   cred/audit/<board:8>/<clinician:16>/<seq:16>     -> VerificationAudit (one per verification)
//   cred/audit_next/<board:8>/<clinician:16>         -> u64 next audit seq (absent means 0)
//
// Values (ledger/encoding.h):
//   LicenceState      : i64 issued_ns | i64 expiry_ns | u8 revoked (0/1) | i64 revoked_ns |
//                       u32 renewals
//   VerificationAudit : u32 hospital | i64 time_ns | u8 result | 32-byte tx id
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/bytes.h"
#include "sim/kernel/time.h"

namespace hlsim::credentials {

struct LicenceState {
  TimeNs issued_ns = 0;  // block time of the issue (register licences: before the run)
  TimeNs expiry_ns = 0;  // valid while block time < expiry_ns
  bool revoked = false;
  TimeNs revoked_ns = 0;  // block time of the revocation
  std::uint32_t renewals = 0;
};

// A verification's result, in the order the contract checks it.
enum class VerifyResult : std::uint8_t {
  kValid = 0,    // issued, unrevoked, unexpired: kApplied
  kUnknown = 1,  // no such licence: kDenied
  kRevoked = 2,  // kDenied
  kExpired = 3,  // kDenied
};
inline constexpr std::uint8_t kVerifyResultCount = 4;

struct VerificationAudit {
  std::uint32_t hospital = 0;
  TimeNs time_ns = 0;  // block time
  VerifyResult result = VerifyResult::kUnknown;
  Hash256 tx_id;
};

std::string licence_key(std::uint32_t board, std::uint64_t clinician);
std::string audit_key(std::uint32_t board, std::uint64_t clinician, std::uint64_t seq);
std::string audit_next_key(std::uint32_t board, std::uint64_t clinician);

std::string encode_value(const LicenceState& v);
std::string encode_value(const VerificationAudit& v);
std::string encode_seq(std::uint64_t seq);

// nullopt unless `value` is an exact encoding.
std::optional<LicenceState> decode_licence_state(std::string_view value);
std::optional<VerificationAudit> decode_verification_audit(std::string_view value);
std::optional<std::uint64_t> decode_seq(std::string_view value);

}  // namespace hlsim::credentials
