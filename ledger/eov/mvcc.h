// Validation of an ordered block by a committing peer of the execute-order-validate pipeline, and
// the commit of its valid transactions.
//
// A transaction is judged in block order, after the checks that need no state (its envelope
// decodes, its creator's signature verifies, its endorsements satisfy the channel's policy). MVCC
// then compares each key it read, with the version it read at endorsement, against the key's
// version now: the committed state as updated by the valid transactions before it in the same
// block. Any difference (written since, deleted, or created since a read of an absent key) makes it
// an MVCC read conflict. A valid transaction's writes are applied at once, stamped with version
// (block height, index in block), so a later transaction of the same block that read one of those
// keys conflicts (as in Fabric). As in Fabric too, versions belong to existing keys: a read of an
// absent key still holds when the key was created and deleted again since.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ledger/eov/rwset.h"
#include "ledger/eov/versioned_state.h"

namespace hlsim {

enum class ValidationCode : std::uint8_t {
  kValid,
  kBadEnvelope,               // malformed envelope, or its creator's signature does not verify
  kEndorsementPolicyFailure,  // the valid endorsements do not satisfy the channel's policy
  kMvccReadConflict,          // a key it read changed between endorsement and validation
};
inline constexpr std::size_t kValidationCodes = 4;
// "valid", "bad_envelope", "endorsement_policy_failure", "mvcc_read_conflict".
const char* to_string(ValidationCode code);

// True when every read of `rwset` still holds in `state`.
bool reads_still_hold(const VersionedState& state, const RwSet& rwset);

// Runs MVCC over block `height`'s transactions in order, starting from the state-free verdicts
// `codes` (a transaction not kValid there keeps its code and is not applied), and applies the
// valid ones' writes to `state`. rwsets[i] may be null only when codes[i] != kValid. Returns the
// final codes. REQUIRES: rwsets.size() == codes.size().
std::vector<ValidationCode> validate_and_commit(VersionedState& state, Height height,
                                                std::span<const RwSet* const> rwsets,
                                                std::vector<ValidationCode> codes);

}  // namespace hlsim
