// The EHR-sharing contract: who may write record pointers, grant and revoke consent, and read a
// patient's records. State layout: workloads/ehr/ehr_state.h. Payloads: ehr_payloads.h.
//
// Organisations are the clients 0..organisations-1; patient p (0..patients-1) belongs to home
// organisation p % organisations. The submitting organisation is the transaction's `client`
// field, which the contract trusts because the node verified the client's signature before
// ordering the transaction.
//
// Rules (anything else, and any payload that does not decode exactly, is kInvalid and leaves the
// state untouched):
//   record_write   kApplied if the writer is the patient's home organisation and the pointer
//                  (patient, record_id) does not exist yet; pointers are append-only, a new
//                  version of a document is a new record.
//   consent_grant  kApplied if submitted by the patient's home organisation, the grantee is
//                  another known organisation and expiry_ns > block time. Replaces any earlier
//                  consent for (patient, grantee), revoked or not.
//   consent_revoke kApplied if submitted by the patient's home organisation and an unrevoked
//                  consent for (patient, grantee) exists (expired or not); marks it revoked.
//   access_request requester must equal the submitting organisation. The home organisation is
//                  always granted (kApplied); another organisation is granted (kApplied) only if
//                  its consent exists, is not revoked and expiry_ns > block time, otherwise the
//                  request is kDenied. Both decisions append an audit entry.
//
// Deterministic: reads only the state, the transaction and the block time. Stateless itself, so
// one instance may serve any number of stores; apply() is not safe to call concurrently on the
// same store.
#pragma once

#include <cstdint>

#include "workloads/contract.h"

namespace hlsim::ehr {

class EhrContract final : public Contract {
 public:
  // REQUIRES: organisations >= 1, patients >= 1.
  EhrContract(std::uint32_t organisations, std::uint64_t patients);

  ApplyResult apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) override;

  std::uint32_t organisations() const { return organisations_; }
  std::uint64_t patients() const { return patients_; }
  std::uint32_t home_of(std::uint64_t patient) const {
    return static_cast<std::uint32_t>(patient % organisations_);
  }

 private:
  std::uint32_t organisations_;
  std::uint64_t patients_;
};

}  // namespace hlsim::ehr
