// Memoised signature verification for the "once" verification policy.
//
// Verification is a pure function of (public key, message, signature). When several simulated
// nodes verify the same transaction, the first check is real and later ones reuse its result; the
// simulated cost is still charged to every node by the caller, so results are identical with or
// without the cache. Keyed by the transaction id (SHA-256 of the signed body, which contains the
// signer key) and the signature bytes, so a tampered transaction never hits a cached "valid".
// Not thread-safe: one cache per simulation thread.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>

#include "ledger/transaction.h"

namespace hlsim {

class VerifyCache {
 public:
  // verify_tx(tx), memoised. Entries older than the `capacity` most recent are dropped.
  bool verify(const Transaction& tx);

  // Records the result of a real verify_tx(tx) done elsewhere (e.g. on another thread), so the
  // next verify(tx) is a hit. REQUIRES: `valid` is what verify_tx(tx) returned.
  void remember(const Transaction& tx, bool valid);

  // For callers that verify in parallel: the cached answer for a transaction whose body hashes to
  // `body_id` (computed from the body, not taken from tx.id) with `sig`, or nullopt; and the
  // recording of a real answer for it.
  std::optional<bool> lookup(const Hash256& body_id, const Signature& sig);
  void insert(const Hash256& body_id, const Signature& sig, bool valid);

  // verify_signature(key, digest bytes, sig), memoised: for signatures over a 32-byte digest, such
  // as a block proposer's signature over the block hash. The key covers all three inputs.
  bool verify_digest(const PublicKey& key, const Hash256& digest, const Signature& sig);

  explicit VerifyCache(std::size_t capacity = 1u << 20) : capacity_(capacity) {}
  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }

 private:
  struct Key {
    Hash256 id;
    Signature sig;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept { return Hash256Hasher{}(k.id); }
  };
  struct DigestKey {
    Hash256 digest;
    Signature sig;
    PublicKey key;
    bool operator==(const DigestKey&) const = default;
  };
  struct DigestKeyHash {
    std::size_t operator()(const DigestKey& k) const noexcept { return Hash256Hasher{}(k.digest); }
  };
  std::unordered_map<Key, bool, KeyHash> entries_;
  std::unordered_map<DigestKey, bool, DigestKeyHash> digest_entries_;
  std::size_t capacity_;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace hlsim
