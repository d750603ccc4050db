#include "ledger/eov/envelope.h"

#include "ledger/crypto/sha256.h"
#include "ledger/encoding.h"

namespace hlsim {

Hash256 endorsement_digest(std::uint32_t channel, const Hash256& proposal_id, std::uint8_t status,
                           const Hash256& rwset_hash) {
  static constexpr std::string_view kTag = "hlsim-eov-endorsement-v1";
  Writer w(kTag.size() + 5 + 64);
  w.raw(as_bytes(kTag));
  w.u32(channel);
  w.u8(status);
  w.hash(proposal_id);
  w.hash(rwset_hash);
  return sha256(w.data());
}

bool Envelope::operator==(const Envelope& o) const {
  return channel == o.channel && collection == o.collection && status == o.status &&
         proposal.encode() == o.proposal.encode() && rwset == o.rwset &&
         endorsements == o.endorsements;
}

Bytes Envelope::encode() const {
  Writer w(proposal.encoded_size() + rwset.encoded_size() + 16 + endorsements.size() * 110);
  w.u8(kEnvelopeVersion);
  w.u32(channel);
  w.u32(collection);
  w.u8(status);
  proposal.encode_to(w);
  rwset.encode_to(w);
  w.u32(static_cast<std::uint32_t>(endorsements.size()));
  for (const auto& e : endorsements) {
    w.u32(e.org);
    w.u32(e.peer);
    e.endorser.encode_to(w);
    e.signature.encode_to(w);
  }
  return w.take();
}

std::optional<Envelope> Envelope::decode(ByteView data) {
  Reader r(data);
  Envelope env;
  std::uint8_t version = 0;
  if (!r.u8(version) || version != kEnvelopeVersion || !r.u32(env.channel) ||
      !r.u32(env.collection) || !r.u8(env.status)) {
    return std::nullopt;
  }
  auto proposal = Transaction::decode_from(r);
  if (!proposal) return std::nullopt;
  env.proposal = std::move(*proposal);
  auto rwset = RwSet::decode_from(r);
  if (!rwset) return std::nullopt;
  env.rwset = std::move(*rwset);
  std::uint32_t n = 0;
  if (!r.u32(n) || n > kEndorsementsMax) return std::nullopt;
  env.endorsements.resize(n);
  for (auto& e : env.endorsements) {
    if (!r.u32(e.org) || !r.u32(e.peer)) return std::nullopt;
    auto key = PublicKey::decode_from(r);
    if (!key) return std::nullopt;
    e.endorser = *key;
    auto sig = Signature::decode_from(r);
    if (!sig) return std::nullopt;
    e.signature = *sig;
  }
  if (!r.done()) return std::nullopt;
  return env;
}

std::optional<std::uint32_t> envelope_channel(ByteView payload) {
  Reader r(payload);
  std::uint8_t version = 0;
  std::uint32_t channel = 0;
  if (!r.u8(version) || version != kEnvelopeVersion || !r.u32(channel)) return std::nullopt;
  return channel;
}

Transaction envelope_transaction(const Envelope& envelope) {
  Transaction tx;
  tx.kind = envelope.proposal.kind;
  tx.client = envelope.proposal.client;
  tx.nonce = envelope.proposal.nonce;
  tx.submit_ns = envelope.proposal.submit_ns;
  tx.payload = envelope.encode();
  return tx;
}

Transaction wrap_envelope(const Envelope& envelope, const SigningKey& client_key) {
  Transaction tx = envelope_transaction(envelope);
  sign_tx(tx, client_key);
  return tx;
}

}  // namespace hlsim
