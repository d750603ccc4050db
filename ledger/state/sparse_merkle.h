// An authenticated world state: a sparse Merkle tree (SMT) over the key-value state, whose root a
// block header commits to so that a read (or the absence of a key) can be proven against it.
//
// Definition (all hashes SHA-256, `||` is concatenation, bit i of a hash is bit 7 - i % 8 of
// byte i / 8, i.e. most significant bit first):
//   key hash    kh = SHA-256(key)                       the key's 256-bit path
//   value hash  vh = SHA-256(value)
//   leaf hash        SHA-256(0x00 || kh || vh)           (65 bytes hashed)
//   inner hash       SHA-256(0x01 || left || right)      (65 bytes hashed)
//   empty subtree    Hash256{} (32 zero bytes)
// For a set S of (kh, vh) pairs whose key hashes all share their first d bits, the subtree hash
//   H(S, d) = Hash256{}                                   when S is empty,
//           = SHA-256(0x00 || kh || vh)                   when S = {(kh, vh)} (a "shortcut leaf"),
//           = SHA-256(0x01 || H(S0, d + 1) || H(S1, d + 1)) otherwise,
// where Sb holds the pairs of S whose bit d is b. The state root is H(state, 0). A subtree holding
// one key is thus that key's leaf hash placed at the top of the subtree, so a path is as deep as
// the longest prefix its key shares with another key (about log2(n) for n keys), not 256.
// Subtrees of two or more keys are never compacted: a run of inner nodes with one empty child
// remains where two keys share a long prefix. The root is a pure function of the set of
// (key, value) pairs: independent of insertion order, batching and erase history.
//
// The leaf and inner prefixes (as in RFC 6962) keep a leaf from passing as an inner node and the
// reverse; the zero empty hash is no SHA-256 output in practice, so "empty" cannot be forged.
// Two keys with the same SHA-256 would be the same key here (a collision is assumed away).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ledger/bytes.h"
#include "ledger/storage/ledger_store.h"

namespace hlsim {

Hash256 state_key_hash(std::string_view key);      // SHA-256(key)
Hash256 state_value_hash(std::string_view value);  // SHA-256(value)
Hash256 state_leaf_hash(const Hash256& key_hash, const Hash256& value_hash);
Hash256 state_inner_hash(const Hash256& left, const Hash256& right);

// A shortcut leaf as a proof carries it.
struct StateLeaf {
  Hash256 key_hash;
  Hash256 value_hash;
  bool operator==(const StateLeaf&) const = default;
};

// The path of one key from the root down to where it ends: at the key's own leaf (membership),
// at an empty subtree, or at another key's shortcut leaf (both non-membership).
struct StateProof {
  // siblings[d] is the hash of the child, not on the key's path, of the inner node at depth d:
  // top down, one per inner node on the path, so siblings.size() is the depth where it ends.
  std::vector<Hash256> siblings;
  // The shortcut leaf the path ends at when that leaf belongs to another key (a non-membership
  // proof); nullopt when the path ends at the key's own leaf or at an empty subtree.
  std::optional<StateLeaf> other_leaf;

  // Canonical encoding, one per proof (decode(encode(p)) == p, and decode accepts nothing else):
  //   u8  flags      bit 0 set when other_leaf is present; other bits zero
  //   u16 depth      siblings.size(), at most 256 (little-endian)
  //   bitmap         ceil(depth / 8) bytes; bit d % 8 (LSB first) of byte d / 8 set when
  //                  siblings[d] is non-zero; bits past depth zero
  //   siblings       the non-zero siblings in order, 32 bytes each (zero ones are left out)
  //   other_leaf     key_hash, value_hash (64 bytes) when flagged
  Bytes encode() const;
  static std::optional<StateProof> decode(ByteView in);

  bool operator==(const StateProof&) const = default;
};

// True when `proof` proves that under `root`, `key` maps to `value`, or is absent when `value` is
// nullopt. Also rejects proofs no canonical tree produces (a leaf or empty end whose last sibling
// is empty, an other_leaf whose key is `key` or lies off `key`'s path, more than 256 siblings).
bool verify_state_proof(const Hash256& root, std::string_view key,
                        std::optional<std::string_view> value, const StateProof& proof);

// The tree itself. Holds hashes only (32-byte key hash and value hash per key), not the keys and
// values: the world state lives in the LedgerStore; this authenticates it.
//
// Writes are cheap: they hash the key and value, walk the path and mark its inner nodes stale;
// root() rehashes only stale nodes, so a block's writes cost one rehash of each touched node
// however many writes touch it. Nodes live in two index-linked arenas (no per-node allocation);
// copying the tree is a deep copy of those arenas. Nothing depends on addresses or hash-table
// order, and the arena layout (which depends on history) never reaches a root or a proof.
// Not thread-safe: root() and prove() write cached hashes.
class SparseMerkleTree {
 public:
  static constexpr std::size_t kMaxDepth = 256;

  // Sets `key` to `value` (overwriting any previous value).
  void put(std::string_view key, std::string_view value);
  // Removes `key`; a no-op when absent.
  void erase(std::string_view key);
  // Applies a block's writes in order (a later write to the same key wins), as LedgerStore does.
  // The same cost as the equivalent put()/erase() calls: hashing is deferred to root() either way.
  void apply(std::span<const StateWrite> writes);

  // The state root; recomputes stale nodes first.
  Hash256 root();
  // Number of keys.
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // SHA-256 of the value `key` holds, or nullopt when absent.
  std::optional<Hash256> value_hash(std::string_view key) const;

  // The path of `key` under root(): a membership proof when present, non-membership otherwise.
  StateProof prove(std::string_view key);

  // Bytes held by the arenas (capacity, not size): the tree's memory footprint.
  std::size_t memory_bytes() const;

 private:
  // A child reference: kEmpty, a leaf (odd: index * 2 + 1) or an inner node (even, non-zero:
  // (index + 1) * 2). 31 bits of index allow 2^31 - 1 leaves and inner nodes.
  using Ref = std::uint32_t;
  static constexpr Ref kEmpty = 0;

  struct Inner {
    // Cached hash of this subtree; all zero while stale (a non-empty subtree never hashes to
    // zero, so zero doubles as the stale mark and costs no extra byte).
    Hash256 hash;
    Ref child[2] = {kEmpty, kEmpty};
  };
  struct Leaf {
    Hash256 key_hash;
    Hash256 value_hash;
  };
  // A growable array of trivially copyable T in fixed chunks of 1024: growth never moves or
  // copies existing elements (so references to elements stay valid) (a vector's doubling would
  // briefly need three times the memory of a large tree) and unused capacity stays below one chunk.
  // Indexing costs one extra load from the small chunk table. Copying copies every chunk (a deep
  // copy).
  template <class T>
  class Arena {
   public:
    static constexpr std::size_t kChunkShift = 10;
    static constexpr std::size_t kChunk = std::size_t{1} << kChunkShift;

    Arena() = default;
    Arena(const Arena& other) { *this = other; }
    Arena& operator=(const Arena& other) {
      if (this == &other) return *this;
      chunks_.clear();
      chunks_.reserve(other.chunks_.size());
      for (std::size_t c = 0; c < other.chunks_.size(); ++c) {
        chunks_.push_back(std::make_unique_for_overwrite<T[]>(kChunk));
        const std::size_t used = std::min(kChunk, other.size_ - c * kChunk);
        std::copy_n(other.chunks_[c].get(), used, chunks_.back().get());
      }
      size_ = other.size_;
      return *this;
    }
    Arena(Arena&&) noexcept = default;
    Arena& operator=(Arena&&) noexcept = default;
    ~Arena() = default;

    T& operator[](std::size_t i) { return chunks_[i >> kChunkShift][i & (kChunk - 1)]; }
    const T& operator[](std::size_t i) const { return chunks_[i >> kChunkShift][i & (kChunk - 1)]; }
    std::size_t size() const { return size_; }
    // Appends `v`; returns its index.
    std::size_t push_back(const T& v) {
      if (size_ == chunks_.size() * kChunk) {
        chunks_.push_back(std::make_unique_for_overwrite<T[]>(kChunk));
      }
      (*this)[size_] = v;
      return size_++;
    }
    std::size_t memory_bytes() const {
      return chunks_.size() * kChunk * sizeof(T) + chunks_.capacity() * sizeof(chunks_[0]);
    }

   private:
    static_assert(std::is_trivially_copyable_v<T>);
    std::vector<std::unique_ptr<T[]>> chunks_;
    std::size_t size_ = 0;
  };

  // The inner nodes from the root down to where a key's path ends; path[d] is at depth d.
  using Path = std::array<std::uint32_t, kMaxDepth>;

  void put_hashed(const Hash256& key_hash, const Hash256& value_hash);
  void erase_hashed(const Hash256& key_hash);
  // Follows `key_hash` from the root, filling path[0..depth); returns the Ref it ends at.
  Ref descend(const Hash256& key_hash, Path& path, std::size_t& depth) const;
  // Points the child slot at `depth` on `key_hash`'s path (the root when depth is 0) at `ref`.
  void set_slot(const Hash256& key_hash, const Path& path, std::size_t depth, Ref ref);
  void mark_stale(const Path& path, std::size_t depth);
  Hash256 hash_of(Ref ref);

  Ref new_leaf(const Hash256& key_hash, const Hash256& value_hash);
  Ref new_inner(Ref left, Ref right);
  // Releases a slot for reuse; the caller has unlinked it.
  void free_leaf(std::size_t index);
  void free_inner(std::size_t index);

  Arena<Inner> inner_;
  Arena<Leaf> leaves_;
  std::vector<std::uint32_t> free_inner_;  // indices of released slots, reused first
  std::vector<std::uint32_t> free_leaves_;
  Ref root_ = kEmpty;
  std::size_t size_ = 0;
};

}  // namespace hlsim
