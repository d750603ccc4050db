// The credentials contract: licence issue, re-credentialing, revocation, and verification at the
// point of care with an audit trail. State: credentials_state.h; payloads:
// credentials_payloads.h; the register convention: credentials_register.h.
//
// Boards are clients 0..boards-1, hospitals the rest. A licence is (board, clinician); its state
// is the stored LicenceState, or, with none stored, the register's licence (issued before the
// run, expiring one interval later) if the register holds one, or none. The signer is the
// transaction's `client`.
//
// Rules (anything else, and any payload that does not decode exactly, is kInvalid and leaves the
// state untouched):
//   licence_issue  kInvalid unless the board is the submitter and may license the clinician (its
//                  register licence, or a new clinician with id % boards == board). kDenied if
//                  the licence is revoked or still valid; otherwise (none, or expired) kApplied:
//                  issued now, expiring one interval after the block time, unrevoked.
//   recredential   kInvalid unless the board is the submitter. kDenied if there is no licence,
//                  it is revoked, or it has expired (a lapsed licence needs a new issue);
//                  otherwise kApplied: expiry = block time + interval.
//   revoke         kInvalid unless the board is the submitter. kDenied if there is no licence or
//                  it is already revoked; otherwise kApplied (expired or not).
//   verify / verify_revoked  kInvalid unless the hospital is the submitter and a hospital, and
//                  the board is a board. Result, checked in this order: unknown (no licence),
//                  revoked, expired (block time >= expiry), else valid. kApplied if valid,
//                  kDenied otherwise; both append an audit entry.
// Because a revocation and a verification are ordered, every verification ordered after the
// revocation of its licence is denied; one ordered before it is judged on the licence as it was.
//
// Deterministic: reads only the state, the transaction and the block time.
#pragma once

#include <cstdint>

#include "workloads/contract.h"
#include "workloads/credentials/credentials_register.h"
#include "workloads/credentials/credentials_state.h"

namespace hlsim::credentials {

class CredentialsContract final : public Contract {
 public:
  // REQUIRES: organisations > register.boards().
  CredentialsContract(std::uint32_t organisations, const Register& reg);

  ApplyResult apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) override;

 private:
  ApplyResult apply_licence_action(KvStore& state, const Transaction& tx, TimeNs block_time_ns);
  ApplyResult apply_verification(KvStore& state, const Transaction& tx, TimeNs block_time_ns);

  std::uint32_t organisations_;
  Register register_;
};

}  // namespace hlsim::credentials
