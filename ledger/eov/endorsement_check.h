// The state-free half of a committing peer's validation of one ordered transaction: its envelope
// decodes, names the channel, comes from the transaction's creator, and carries endorsements that
// satisfy the channel's policy. MVCC (mvcc.h) is the state-dependent half.
//
// An endorsement counts for its organisation only when the endorsing peer is registered (the
// membership list), belongs to the organisation the endorsement names, signs with its registered
// key, and the signature over endorsement_digest(channel, proposal, status, rwset) verifies. So a
// forged endorsement (a bad signature, an unknown key, a peer claiming another organisation, or a
// signature over another read-write set) never counts.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "ledger/crypto/signature.h"
#include "ledger/eov/envelope.h"
#include "ledger/eov/mvcc.h"
#include "ledger/eov/policy.h"
#include "ledger/verifier.h"

namespace hlsim {

// One registered peer: its organisation and public key (index = Endorsement::peer).
struct PeerIdentity {
  OrgIndex org = 0;
  PublicKey key;
};

struct EnvelopeCheck {
  ValidationCode code = ValidationCode::kValid;
  std::optional<Envelope> envelope;        // set whenever it decoded
  std::uint32_t endorsements_checked = 0;  // signature verifications done (for the cost model)
};

// The policies a channel's transactions answer to: the channel's own, and each private data
// collection's (index = collection; null for a collection of another channel).
struct ChannelPolicies {
  const EndorsementPolicy* channel = nullptr;
  std::span<const EndorsementPolicy* const> collections;
};

// Judges `tx` (an ordered transaction whose own signature check gave `creator_valid`) for
// `channel` under `policies`, verifying endorsement signatures through `verifier` (its policy:
// every-node, once or model-only). A private envelope (ledger/eov/private_data.h) must name a
// collection of the channel, carry a private proposal of that collection, and satisfy the
// collection's policy; otherwise it is a bad envelope.
EnvelopeCheck check_envelope(const Transaction& tx, bool creator_valid, std::uint32_t channel,
                             const ChannelPolicies& policies,
                             const std::vector<PeerIdentity>& peers, std::size_t orgs,
                             Verifier& verifier);
// The same for a channel without collections.
EnvelopeCheck check_envelope(const Transaction& tx, bool creator_valid, std::uint32_t channel,
                             const EndorsementPolicy& policy,
                             const std::vector<PeerIdentity>& peers, std::size_t orgs,
                             Verifier& verifier);

}  // namespace hlsim
