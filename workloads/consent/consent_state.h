// World-state layout of the clinical-trial consent contract.
//
// Keys are ASCII with fixed-width lower-case hex numbers, so the store's byte order lists a
// trial's sites and viewers, and a participant's audit trail, in numeric order.
//
//   consent/trial/<trial:8>                -> TrialState        (registered trials)
//   consent/site/<trial:8>/<site:8>        -> SiteState         (sites activated for a trial)
//   consent/part/<participant:16>          -> ParticipantState  (enrolled, ever; never erased)
//   consent/viewer/<trial:8>/<org:8>       -> ViewerState       (latest grant or revocation)
//   consent/audit/<participant:16>/<seq:16> -> AuditEntry       (one per data access)
//   consent/audit_next/<participant:16>    -> u64 next audit seq (absent means 0)
//
// Values use the canonical encoding (ledger/encoding.h):
//   TrialState       : u32 sponsor | u32 version | i64 registered_ns | i64 amended_ns
//   SiteState        : i64 activated_ns
//   ParticipantState : u32 trial | u32 site | u32 consent_version | u8 withdrawn (0/1) |
//                      i64 enrolled_ns | i64 updated_ns
//   ViewerState      : u8 granted (0/1) | i64 updated_ns
//   AuditEntry       : u32 reader | u32 trial | u32 consent_version | i64 time_ns |
//                      u8 decision (AccessDecision) | 32-byte tx id
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/bytes.h"
#include "sim/kernel/time.h"

namespace hlsim::consent {

std::string trial_key(std::uint32_t trial);
std::string site_key(std::uint32_t trial, std::uint32_t site);
std::string participant_key(std::uint64_t participant);
std::string viewer_key(std::uint32_t trial, std::uint32_t org);
std::string audit_key(std::uint64_t participant, std::uint64_t seq);
std::string audit_next_key(std::uint64_t participant);

struct TrialState {
  std::uint32_t sponsor = 0;
  std::uint32_t version = 1;  // current consent version; 1 at registration
  TimeNs registered_ns = 0;
  TimeNs amended_ns = 0;  // block time of the latest amendment (0: none)
};

struct SiteState {
  TimeNs activated_ns = 0;
};

struct ParticipantState {
  std::uint32_t trial = 0;
  std::uint32_t site = 0;
  std::uint32_t consent_version = 0;  // the version last signed
  bool withdrawn = false;             // permanent
  TimeNs enrolled_ns = 0;
  TimeNs updated_ns = 0;  // block time of the last re-consent or the withdrawal
};

struct ViewerState {
  bool granted = false;
  TimeNs updated_ns = 0;
};

// Why a data access was decided as it was, in the order the contract checks.
enum class AccessDecision : std::uint8_t {
  kGranted = 0,
  kNotViewer = 1,      // reader is neither the trial's sponsor nor a granted viewer
  kNotEnrolled = 2,    // the participant is not enrolled in this trial
  kWithdrawn = 3,      // the participant withdrew
  kStaleConsent = 4,   // participant's or cited consent version is not the trial's current one
  kNotRegistered = 5,  // no such trial registered (yet)
};
inline constexpr std::uint8_t kAccessDecisionCount = 6;

struct AuditEntry {
  std::uint32_t reader = 0;
  std::uint32_t trial = 0;
  std::uint32_t consent_version = 0;  // as cited by the request
  TimeNs time_ns = 0;                 // block time of the request
  AccessDecision decision = AccessDecision::kNotViewer;
  Hash256 tx_id;
};

std::string encode_value(const TrialState& v);
std::string encode_value(const SiteState& v);
std::string encode_value(const ParticipantState& v);
std::string encode_value(const ViewerState& v);
std::string encode_value(const AuditEntry& v);
std::string encode_seq(std::uint64_t seq);

// nullopt unless `value` is an exact encoding.
std::optional<TrialState> decode_trial_state(std::string_view value);
std::optional<SiteState> decode_site_state(std::string_view value);
std::optional<ParticipantState> decode_participant_state(std::string_view value);
std::optional<ViewerState> decode_viewer_state(std::string_view value);
std::optional<AuditEntry> decode_audit_entry(std::string_view value);
std::optional<std::uint64_t> decode_seq(std::string_view value);

}  // namespace hlsim::consent
