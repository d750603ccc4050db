#include "ledger/verify_cache.h"

#include "ledger/crypto/sha256.h"

namespace hlsim {

// The key is the id recomputed from the transaction's body, not the `id` field as given: a
// transaction altered after a valid copy was cached (its stale id kept) therefore misses the cache
// or fails the id check, and is never answered with the cached "valid". Because the key fixes
// (signer, body, signature) up to SHA-256 collisions, a cached answer is the answer a fresh
// verification would give.
//
// When the cache is full it is cleared wholesale (this drops at least every entry older than the
// `capacity` most recent, as the contract allows). Eviction only ever costs a repeated real
// verification (wall time); it never changes a result, and simulated time is charged by the caller
// regardless of hits.
bool VerifyCache::verify(const Transaction& tx) {
  if (tx.payload.size() > kTxPayloadBytesMax) {
    ++misses_;
    return false;
  }
  const Bytes body = tx.body();
  const Key key{sha256(body), tx.signature};
  if (key.id != tx.id) {
    ++misses_;
    return false;
  }
  if (auto it = entries_.find(key); it != entries_.end()) {
    ++hits_;
    return it->second;
  }
  ++misses_;
  const bool valid = verify_signature(tx.signer, body, tx.signature);
  if (entries_.size() >= capacity_) entries_.clear();
  if (capacity_ > 0) entries_.emplace(key, valid);
  return valid;
}

std::optional<bool> VerifyCache::lookup(const Hash256& body_id, const Signature& sig) {
  if (auto it = entries_.find(Key{body_id, sig}); it != entries_.end()) {
    ++hits_;
    return it->second;
  }
  ++misses_;
  return std::nullopt;
}

void VerifyCache::insert(const Hash256& body_id, const Signature& sig, bool valid) {
  if (entries_.size() >= capacity_) entries_.clear();
  if (capacity_ > 0) entries_.insert_or_assign(Key{body_id, sig}, valid);
}

void VerifyCache::remember(const Transaction& tx, bool valid) {
  if (entries_.size() >= capacity_) entries_.clear();
  if (capacity_ > 0) entries_.insert_or_assign(Key{tx.compute_id(), tx.signature}, valid);
}

bool VerifyCache::verify_digest(const PublicKey& key, const Hash256& digest, const Signature& sig) {
  const DigestKey k{digest, sig, key};
  if (auto it = digest_entries_.find(k); it != digest_entries_.end()) {
    ++hits_;
    return it->second;
  }
  ++misses_;
  const bool valid = verify_signature(key, digest.view(), sig);
  if (digest_entries_.size() >= capacity_) digest_entries_.clear();
  if (capacity_ > 0) digest_entries_.emplace(k, valid);
  return valid;
}

}  // namespace hlsim
