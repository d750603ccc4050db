#include "ledger/eov/private_data.h"

#include <algorithm>

#include "ledger/crypto/sha256.h"
#include "ledger/encoding.h"

namespace hlsim {
namespace {

std::string hash_string(std::string_view text) {
  const Hash256 h = sha256(as_bytes(text));
  const auto view = h.view();
  return {reinterpret_cast<const char*>(view.data()), view.size()};
}

}  // namespace

Transaction private_proposal(const Transaction& clear, std::uint32_t collection,
                             const SigningKey& client_key) {
  Transaction tx;
  tx.kind = clear.kind;
  tx.client = clear.client;
  tx.nonce = clear.nonce;
  tx.submit_ns = clear.submit_ns;
  Writer w(41);
  w.u8(kPrivateProposalTag);
  w.u32(collection);
  w.hash(sha256(clear.payload));
  w.u32(static_cast<std::uint32_t>(clear.payload.size()));
  tx.payload = w.take();
  sign_tx(tx, client_key);
  return tx;
}

std::optional<PrivateRef> private_ref(const Transaction& proposal) {
  Reader r(proposal.payload);
  std::uint8_t tag = 0;
  PrivateRef ref;
  if (!r.u8(tag) || tag != kPrivateProposalTag || !r.u32(ref.collection) ||
      !r.hash(ref.payload_hash) || !r.u32(ref.payload_bytes) || !r.done()) {
    return std::nullopt;
  }
  return ref;
}

std::optional<Transaction> with_transient(const Transaction& proposal, ByteView transient) {
  const auto ref = private_ref(proposal);
  if (!ref || ref->payload_bytes != transient.size() || sha256(transient) != ref->payload_hash) {
    return std::nullopt;
  }
  Transaction tx = proposal;
  tx.payload.assign(transient.begin(), transient.end());
  return tx;
}

std::string hashed_key(std::uint32_t collection, std::string_view key) {
  return "\x01pdc/" + std::to_string(collection) + "/" + hash_string(key);
}

RwSet hashed_rwset(std::uint32_t collection, const RwSet& clear) {
  RwSet out;
  out.reads.reserve(clear.reads.size());
  out.writes.reserve(clear.writes.size());
  for (const KvRead& r : clear.reads)
    out.reads.push_back({hashed_key(collection, r.key), r.version});
  for (const KvWrite& w : clear.writes) {
    out.writes.push_back(
        {hashed_key(collection, w.key),
         w.value ? std::optional<std::string>(hash_string(*w.value)) : std::nullopt});
  }
  std::sort(out.reads.begin(), out.reads.end(),
            [](const KvRead& a, const KvRead& b) { return a.key < b.key; });
  std::sort(out.writes.begin(), out.writes.end(),
            [](const KvWrite& a, const KvWrite& b) { return a.key < b.key; });
  return out;
}

}  // namespace hlsim
