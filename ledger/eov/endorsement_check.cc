#include "ledger/eov/endorsement_check.h"

#include "ledger/eov/private_data.h"

namespace hlsim {

EnvelopeCheck check_envelope(const Transaction& tx, bool creator_valid, std::uint32_t channel,
                             const ChannelPolicies& policies,
                             const std::vector<PeerIdentity>& peers, std::size_t orgs,
                             Verifier& verifier) {
  EnvelopeCheck out;
  out.envelope = Envelope::decode(tx.payload);
  const Envelope* env = out.envelope ? &*out.envelope : nullptr;
  // The envelope's creator is the proposal's client, signing with the proposal's key.
  const bool same_creator =
      env != nullptr && env->proposal.signer == tx.signer && env->proposal.client == tx.client;
  if (!creator_valid || !same_creator || env->channel != channel) {
    out.code = ValidationCode::kBadEnvelope;
    return out;
  }
  const EndorsementPolicy* policy = policies.channel;
  if (env->collection != kNoCollection) {
    const auto ref = private_ref(env->proposal);
    const bool known = env->collection < policies.collections.size() &&
                       policies.collections[env->collection] != nullptr;
    if (!known || !ref || ref->collection != env->collection) {
      out.code = ValidationCode::kBadEnvelope;
      return out;
    }
    policy = policies.collections[env->collection];
  }
  const Hash256 digest =
      endorsement_digest(env->channel, env->proposal.id, env->status, env->rwset.hash());
  std::vector<bool> endorsed(orgs, false);
  for (const Endorsement& e : env->endorsements) {
    ++out.endorsements_checked;
    const bool registered = e.peer < peers.size() && peers[e.peer].org == e.org && e.org < orgs &&
                            peers[e.peer].key == e.endorser;
    if (registered && verifier.verify_digest(e.endorser, digest, e.signature)) {
      endorsed[e.org] = true;
    }
  }
  if (policy == nullptr || !policy->satisfied(endorsed)) {
    out.code = ValidationCode::kEndorsementPolicyFailure;
  }
  return out;
}

EnvelopeCheck check_envelope(const Transaction& tx, bool creator_valid, std::uint32_t channel,
                             const EndorsementPolicy& policy,
                             const std::vector<PeerIdentity>& peers, std::size_t orgs,
                             Verifier& verifier) {
  return check_envelope(tx, creator_valid, channel, ChannelPolicies{&policy, {}}, peers, orgs,
                        verifier);
}

}  // namespace hlsim
