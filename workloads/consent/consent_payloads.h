// Transaction kinds and payload encodings of the clinical-trial consent workload.
//
// The transaction's kind field selects the payload layout; the payload carries no kind tag (the
// kind is covered by the client's signature). Integers are little-endian (ledger/encoding.h);
// `bytes` is a u32 length followed by the data.
//
//   trial_register   : u32 trial | u32 sponsor | bytes doc
//   site_activate    : u32 trial | u32 site | bytes doc
//   enrol            : u32 trial | u64 participant | u32 site | u32 consent_version | bytes doc
//   amend            : u32 trial | u32 new_version | bytes doc
//   reconsent        : u32 trial | u64 participant | u32 consent_version | bytes doc
//   withdraw         : u32 trial | u64 participant | bytes doc
//   grant_viewer,
//   revoke_viewer    : u32 trial | u32 viewer | bytes doc                       (ViewerChange)
//   data_access and the three violation_* kinds:
//                      u32 trial | u64 participant | u32 reader | u32 consent_version | bytes doc
//
// The violation_* kinds are data accesses drafted to break a rule; they share data_access's
// layout, and the contract judges them exactly like data_access (on payload and state, never on
// the kind label). `doc` stands for what a real consent ledger signs along with the fact (the
// digest and URI of the signed consent form or protocol, the access justification); the
// generator fills it so payloads have the configured size, and the contract never reads it.
//
// Decoders accept only an exact encoding: truncated input, trailing bytes or a `doc` above
// kConsentMaxFieldBytes give nullopt.
#pragma once

#include <cstdint>
#include <optional>

#include "ledger/bytes.h"

namespace hlsim::consent {

// Kind codes: the index into ConsentWorkload::kind_names(). The order is fixed (results files
// refer to kinds by these codes).
enum class Kind : std::uint16_t {
  kTrialRegister = 0,
  kSiteActivate = 1,
  kEnrol = 2,
  kAmend = 3,
  kReconsent = 4,
  kWithdraw = 5,
  kGrantViewer = 6,
  kRevokeViewer = 7,
  kDataAccess = 8,
  kViolationAccessAfterWithdrawal = 9,
  kViolationStaleConsentAccess = 10,
  kViolationUngrantedViewer = 11,
};
inline constexpr std::uint16_t kKindCount = 12;
// The snake_case name of a kind ("trial_register", ...); nullptr if out of range.
const char* kind_name(std::uint16_t kind);
// True for data_access and the three violation_* kinds (the DataAccess layout).
bool is_access_kind(std::uint16_t kind);
// True for the three violation_* kinds.
bool is_violation_kind(std::uint16_t kind);

// Bound on the variable-length field, so a hostile length prefix cannot make a decoder allocate
// much.
inline constexpr std::size_t kConsentMaxFieldBytes = 1u << 20;

struct TrialRegister {
  std::uint32_t trial = 0;
  std::uint32_t sponsor = 0;  // must equal the submitting client
  Bytes doc;
};

struct SiteActivate {
  std::uint32_t trial = 0;
  std::uint32_t site = 0;
  Bytes doc;
};

struct Enrol {
  std::uint32_t trial = 0;
  std::uint64_t participant = 0;
  std::uint32_t site = 0;             // must equal the submitting client and the home site
  std::uint32_t consent_version = 0;  // the version the participant signed
  Bytes doc;
};

struct Amend {
  std::uint32_t trial = 0;
  std::uint32_t new_version = 0;  // must be the trial's current version + 1
  Bytes doc;
};

struct Reconsent {
  std::uint32_t trial = 0;
  std::uint64_t participant = 0;
  std::uint32_t consent_version = 0;
  Bytes doc;
};

struct Withdraw {
  std::uint32_t trial = 0;
  std::uint64_t participant = 0;
  Bytes doc;
};

struct ViewerChange {  // grant_viewer and revoke_viewer
  std::uint32_t trial = 0;
  std::uint32_t viewer = 0;
  Bytes doc;
};

struct DataAccess {  // data_access and the violation_* kinds
  std::uint32_t trial = 0;
  std::uint64_t participant = 0;
  std::uint32_t reader = 0;           // must equal the submitting client
  std::uint32_t consent_version = 0;  // the consent version the read relies on
  Bytes doc;
};

// Encoded sizes with an empty `doc`.
inline constexpr std::size_t kTrialRegisterFixedBytes = 4 + 4 + 4;
inline constexpr std::size_t kSiteActivateFixedBytes = 4 + 4 + 4;
inline constexpr std::size_t kEnrolFixedBytes = 4 + 8 + 4 + 4 + 4;
inline constexpr std::size_t kAmendFixedBytes = 4 + 4 + 4;
inline constexpr std::size_t kReconsentFixedBytes = 4 + 8 + 4 + 4;
inline constexpr std::size_t kWithdrawFixedBytes = 4 + 8 + 4;
inline constexpr std::size_t kViewerChangeFixedBytes = 4 + 4 + 4;
inline constexpr std::size_t kDataAccessFixedBytes = 4 + 8 + 4 + 4 + 4;

Bytes encode(const TrialRegister& p);
Bytes encode(const SiteActivate& p);
Bytes encode(const Enrol& p);
Bytes encode(const Amend& p);
Bytes encode(const Reconsent& p);
Bytes encode(const Withdraw& p);
Bytes encode(const ViewerChange& p);
Bytes encode(const DataAccess& p);

std::optional<TrialRegister> decode_trial_register(ByteView payload);
std::optional<SiteActivate> decode_site_activate(ByteView payload);
std::optional<Enrol> decode_enrol(ByteView payload);
std::optional<Amend> decode_amend(ByteView payload);
std::optional<Reconsent> decode_reconsent(ByteView payload);
std::optional<Withdraw> decode_withdraw(ByteView payload);
std::optional<ViewerChange> decode_viewer_change(ByteView payload);
std::optional<DataAccess> decode_data_access(ByteView payload);

}  // namespace hlsim::consent
