#include "ledger/eov/mvcc.h"

#include <cassert>

namespace hlsim {

const char* to_string(ValidationCode code) {
  switch (code) {
    case ValidationCode::kValid:
      return "valid";
    case ValidationCode::kBadEnvelope:
      return "bad_envelope";
    case ValidationCode::kEndorsementPolicyFailure:
      return "endorsement_policy_failure";
    case ValidationCode::kMvccReadConflict:
      return "mvcc_read_conflict";
  }
  return "?";
}

bool reads_still_hold(const VersionedState& state, const RwSet& rwset) {
  for (const KvRead& r : rwset.reads) {
    if (state.version(r.key) != r.version) return false;
  }
  return true;
}

std::vector<ValidationCode> validate_and_commit(VersionedState& state, Height height,
                                                std::span<const RwSet* const> rwsets,
                                                std::vector<ValidationCode> codes) {
  assert(rwsets.size() == codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] != ValidationCode::kValid) continue;
    const RwSet& rw = *rwsets[i];
    if (!reads_still_hold(state, rw)) {
      codes[i] = ValidationCode::kMvccReadConflict;
      continue;
    }
    state.apply(rw.writes, Version{height, static_cast<std::uint32_t>(i)});
  }
  return codes;
}

}  // namespace hlsim
