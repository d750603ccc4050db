// The clinical-trial consent contract (MedRec-style: the ledger holds who consented to what
// version of which trial, and who may read). State layout: consent_state.h. Payloads:
// consent_payloads.h. Roles (sponsors, monitors, sites, participants' home sites): consent_plan.h.
//
// The submitting organisation is the transaction's `client`, which the contract trusts because
// the node verified the client's signature before ordering the transaction. A payload that does
// not decode exactly, names an unknown trial id / participant / organisation, or whose acting
// party is not the signer is kInvalid and leaves the state untouched. A transaction about a trial
// that is not registered (yet) is kDenied. Otherwise:
//   trial_register  signer is a sponsor organisation and the payload's sponsor; kApplied with
//                   consent version 1, kDenied if the trial is already registered.
//   site_activate   signer is the trial's sponsor and the site a site organisation; kApplied,
//                   kDenied if already active.
//   enrol           signer is the payload's site and the participant's home site; kApplied if
//                   the site is active for the trial, the participant has never been enrolled
//                   (in any trial) and the signed version is the trial's current one; kDenied
//                   otherwise (site not active, already enrolled, stale version).
//   amend           signer is the trial's sponsor; kApplied if new_version = current + 1
//                   (participants must re-consent), kDenied otherwise (a concurrent amendment).
//   reconsent       signer is the participant's home site; kApplied if the participant is
//                   enrolled in the trial, not withdrawn, and signs the current version (signing
//                   it again re-affirms); kDenied otherwise.
//   withdraw        signer is the participant's home site; kApplied if enrolled in the trial and
//                   not yet withdrawn (withdrawal is permanent); kDenied otherwise.
//   grant_viewer /  signer is the trial's sponsor; the viewer another known organisation;
//   revoke_viewer   kApplied if the grant changes state, kDenied if already granted / not granted.
//   data_access and violation_*
//                   reader is the signer; kApplied only if the trial is registered, the reader is
//                   its sponsor or a granted viewer, the participant is enrolled in this trial,
//                   not withdrawn, signed the trial's current version, and the request cites
//                   that version; kDenied otherwise. Both decisions append an audit entry with
//                   the reason (AccessDecision).
//
// Deterministic: reads only the state, the transaction and the block time. Stateless itself, so
// one instance may serve any number of stores; apply() is not safe to call concurrently on the
// same store.
#pragma once

#include <cstdint>

#include "workloads/consent/consent_plan.h"
#include "workloads/contract.h"

namespace hlsim::consent {

// Why the contract decided as it did. kOk for kApplied; the next group for kDenied; the last
// group for kInvalid.
enum class Reason : std::uint8_t {
  kOk = 0,
  kNotRegistered,  // the trial (a known id) is not registered (yet)
  kAlreadyRegistered,
  kAlreadyActive,
  kSiteNotActive,
  kAlreadyEnrolled,
  kStaleVersion,  // enrol / reconsent signing, or amend expecting, a version that is not current
  kNotEnrolled,
  kWithdrawn,
  kAlreadyGranted,
  kNotGranted,
  kNotViewer,
  kStaleConsent,  // data access: participant's or cited consent version is not current
  kMalformed,
  kUnknown,       // trial id, participant or organisation out of range
  kUnauthorised,  // the signer is not the acting party the rule requires
};
inline constexpr std::uint8_t kReasonCount = 16;
// snake_case name ("ok", "site_not_active", ...).
const char* reason_name(Reason reason);

struct Judged {
  ApplyResult result;
  Reason reason = Reason::kOk;
};

class ConsentContract final : public Contract {
 public:
  // REQUIRES: roles.sponsors >= 1, roles.sites() >= 1, roles.participants_per_site >= 1,
  // trials >= 1.
  ConsentContract(const Roles& roles, std::uint32_t trials);

  ApplyResult apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) override;
  // apply() with the reason for its outcome.
  Judged apply_judged(KvStore& state, const Transaction& tx, TimeNs block_time_ns) const;

  const Roles& roles() const { return roles_; }
  std::uint32_t trials() const { return trials_; }

 private:
  Roles roles_;
  std::uint32_t trials_;
};

}  // namespace hlsim::consent
