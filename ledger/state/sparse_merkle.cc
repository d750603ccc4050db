#include "ledger/state/sparse_merkle.h"

#include <bit>
#include <cstring>
#include <stdexcept>

#include "ledger/crypto/sha256.h"
#include "ledger/encoding.h"

namespace hlsim {

namespace {

constexpr std::uint8_t kLeafPrefix = 0x00;
constexpr std::uint8_t kInnerPrefix = 0x01;
constexpr std::uint8_t kFlagOtherLeaf = 0x01;

Hash256 hash_pair(std::uint8_t prefix, const Hash256& a, const Hash256& b) {
  std::uint8_t buf[1 + 32 + 32];
  buf[0] = prefix;
  std::memcpy(buf + 1, a.bytes.data(), 32);
  std::memcpy(buf + 33, b.bytes.data(), 32);
  return sha256({buf, sizeof buf});
}

// Bit `depth` of `h`, most significant bit first. REQUIRES: depth < 256.
unsigned bit_at(const Hash256& h, std::size_t depth) {
  return (h.bytes[depth / 8] >> (7 - depth % 8)) & 1u;
}

// The first bit at or after `from` where a and b differ. REQUIRES: a != b and that they agree
// on bits [0, from).
std::size_t first_difference(const Hash256& a, const Hash256& b, std::size_t from) {
  for (std::size_t i = from / 8; i < a.bytes.size(); ++i) {
    const auto x = static_cast<std::uint8_t>(a.bytes[i] ^ b.bytes[i]);
    if (x != 0) return i * 8 + static_cast<std::size_t>(std::countl_zero(x));
  }
  throw std::logic_error("SparseMerkleTree: equal key hashes have no differing bit");
}

// True when a and b agree on their first `bits` bits.
bool same_prefix(const Hash256& a, const Hash256& b, std::size_t bits) {
  const std::size_t whole = bits / 8;
  if (std::memcmp(a.bytes.data(), b.bytes.data(), whole) != 0) return false;
  if (bits % 8 == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFFu << (8 - bits % 8));
  return ((a.bytes[whole] ^ b.bytes[whole]) & mask) == 0;
}

}  // namespace

Hash256 state_key_hash(std::string_view key) { return sha256(as_bytes(key)); }

Hash256 state_value_hash(std::string_view value) { return sha256(as_bytes(value)); }

Hash256 state_leaf_hash(const Hash256& key_hash, const Hash256& value_hash) {
  return hash_pair(kLeafPrefix, key_hash, value_hash);
}

Hash256 state_inner_hash(const Hash256& left, const Hash256& right) {
  return hash_pair(kInnerPrefix, left, right);
}

// --- StateProof ---------------------------------------------------------------------------------

Bytes StateProof::encode() const {
  if (siblings.size() > SparseMerkleTree::kMaxDepth) {
    throw std::length_error("StateProof::encode: more than 256 siblings");
  }
  const std::size_t depth = siblings.size();
  Bytes bitmap((depth + 7) / 8, 0);
  std::size_t present = 0;
  for (std::size_t d = 0; d < depth; ++d) {
    if (!siblings[d].is_zero()) {
      bitmap[d / 8] |= static_cast<std::uint8_t>(1u << (d % 8));
      ++present;
    }
  }
  Writer w(1 + 2 + bitmap.size() + 32 * present + (other_leaf ? 64 : 0));
  w.u8(other_leaf ? kFlagOtherLeaf : 0);
  w.u16(static_cast<std::uint16_t>(depth));
  w.raw(bitmap);
  for (const Hash256& s : siblings) {
    if (!s.is_zero()) w.hash(s);
  }
  if (other_leaf) {
    w.hash(other_leaf->key_hash);
    w.hash(other_leaf->value_hash);
  }
  return w.take();
}

std::optional<StateProof> StateProof::decode(ByteView in) {
  Reader r(in);
  std::uint8_t flags = 0;
  std::uint16_t depth = 0;
  if (!r.u8(flags) || !r.u16(depth)) return std::nullopt;
  if ((flags & ~kFlagOtherLeaf) != 0 || depth > SparseMerkleTree::kMaxDepth) return std::nullopt;
  ByteView bitmap;
  if (!r.view(bitmap, (depth + 7u) / 8u)) return std::nullopt;
  // Bits past `depth` must be clear, or two encodings would decode to the same proof.
  if (depth % 8 != 0 && (bitmap.back() >> (depth % 8)) != 0) return std::nullopt;
  StateProof p;
  p.siblings.resize(depth);
  for (std::size_t d = 0; d < depth; ++d) {
    if (((bitmap[d / 8] >> (d % 8)) & 1u) == 0) continue;
    // A flagged sibling must be non-zero: zero ones are encoded by a clear bit only.
    if (!r.hash(p.siblings[d]) || p.siblings[d].is_zero()) return std::nullopt;
  }
  if ((flags & kFlagOtherLeaf) != 0) {
    StateLeaf leaf;
    if (!r.hash(leaf.key_hash) || !r.hash(leaf.value_hash)) return std::nullopt;
    p.other_leaf = leaf;
  }
  if (!r.done()) return std::nullopt;
  return p;
}

bool verify_state_proof(const Hash256& root, std::string_view key,
                        std::optional<std::string_view> value, const StateProof& proof) {
  const std::size_t depth = proof.siblings.size();
  if (depth > SparseMerkleTree::kMaxDepth) return false;
  const Hash256 key_hash = state_key_hash(key);
  Hash256 node;  // the hash at the end of the path, then of each ancestor in turn
  if (value) {
    if (proof.other_leaf) return false;
    node = state_leaf_hash(key_hash, state_value_hash(*value));
  } else if (proof.other_leaf) {
    const StateLeaf& other = *proof.other_leaf;
    if (other.key_hash == key_hash || !same_prefix(other.key_hash, key_hash, depth)) return false;
    node = state_leaf_hash(other.key_hash, other.value_hash);
  }  // else the path ends in an empty subtree: node stays zero
  // In a canonical tree, an inner node holds at least two keys: the last sibling of a path that
  // ends at a leaf or at an empty subtree is never empty (the parent would have been compacted).
  if (depth > 0 && proof.siblings.back().is_zero()) return false;
  for (std::size_t d = depth; d-- > 0;) {
    node = bit_at(key_hash, d) == 0 ? state_inner_hash(node, proof.siblings[d])
                                    : state_inner_hash(proof.siblings[d], node);
  }
  return node == root;
}

// --- SparseMerkleTree ---------------------------------------------------------------------------

namespace {

constexpr bool is_leaf_ref(std::uint32_t r) { return (r & 1u) != 0; }
constexpr bool is_inner_ref(std::uint32_t r) { return r != 0 && (r & 1u) == 0; }
constexpr std::size_t leaf_index(std::uint32_t r) { return r >> 1; }
constexpr std::size_t inner_index(std::uint32_t r) { return (r >> 1) - 1; }
constexpr std::size_t kMaxIndex = (std::size_t{1} << 31) - 2;

}  // namespace

void SparseMerkleTree::put(std::string_view key, std::string_view value) {
  put_hashed(state_key_hash(key), state_value_hash(value));
}

void SparseMerkleTree::erase(std::string_view key) { erase_hashed(state_key_hash(key)); }

void SparseMerkleTree::apply(std::span<const StateWrite> writes) {
  for (const StateWrite& w : writes) {
    if (w.value) {
      put(w.key, *w.value);
    } else {
      erase(w.key);
    }
  }
}

SparseMerkleTree::Ref SparseMerkleTree::descend(const Hash256& key_hash, Path& path,
                                                std::size_t& depth) const {
  Ref r = root_;
  std::size_t d = 0;  // a local, so the loop does not store through `depth` at every level
  while (is_inner_ref(r)) {
    const auto i = static_cast<std::uint32_t>(inner_index(r));
    path[d] = i;
    r = inner_[i].child[bit_at(key_hash, d)];
    ++d;
  }
  depth = d;
  return r;
}

void SparseMerkleTree::set_slot(const Hash256& key_hash, const Path& path, std::size_t depth,
                                Ref ref) {
  if (depth == 0) {
    root_ = ref;
  } else {
    inner_[path[depth - 1]].child[bit_at(key_hash, depth - 1)] = ref;
  }
}

void SparseMerkleTree::mark_stale(const Path& path, std::size_t depth) {
  for (std::size_t d = 0; d < depth; ++d) inner_[path[d]].hash = Hash256{};
}

void SparseMerkleTree::put_hashed(const Hash256& key_hash, const Hash256& value_hash) {
  Path path;
  std::size_t depth = 0;
  const Ref end = descend(key_hash, path, depth);
  if (end == kEmpty) {
    set_slot(key_hash, path, depth, new_leaf(key_hash, value_hash));
    ++size_;
  } else if (leaves_[leaf_index(end)].key_hash == key_hash) {
    Leaf& leaf = leaves_[leaf_index(end)];
    if (leaf.value_hash == value_hash) return;  // nothing changes, nothing goes stale
    leaf.value_hash = value_hash;
  } else {
    // Another key's shortcut leaf holds this subtree: push both leaves down to the first bit
    // where their paths part, with a run of single-child inner nodes above it.
    const std::size_t split = first_difference(key_hash, leaves_[leaf_index(end)].key_hash, depth);
    const Ref added = new_leaf(key_hash, value_hash);
    Ref sub = bit_at(key_hash, split) == 0 ? new_inner(added, end) : new_inner(end, added);
    for (std::size_t d = split; d-- > depth;) {
      sub = bit_at(key_hash, d) == 0 ? new_inner(sub, kEmpty) : new_inner(kEmpty, sub);
    }
    set_slot(key_hash, path, depth, sub);
    ++size_;
  }
  mark_stale(path, depth);
}

void SparseMerkleTree::erase_hashed(const Hash256& key_hash) {
  Path path;
  std::size_t depth = 0;
  const Ref end = descend(key_hash, path, depth);
  if (!is_leaf_ref(end) || leaves_[leaf_index(end)].key_hash != key_hash) return;
  free_leaf(leaf_index(end));
  --size_;
  // Every inner node holds at least two keys. Walking up, while the node above holds exactly one
  // key (its other child is a leaf and ours is now empty, or ours is a leaf and the other is
  // empty), it collapses into that leaf.
  Ref carry = kEmpty;
  while (depth > 0) {
    const Inner& parent = inner_[path[depth - 1]];
    const Ref other = parent.child[1 - bit_at(key_hash, depth - 1)];
    if (carry == kEmpty && is_leaf_ref(other)) {
      carry = other;
    } else if (!(is_leaf_ref(carry) && other == kEmpty)) {
      break;
    }
    free_inner(path[depth - 1]);
    --depth;
  }
  set_slot(key_hash, path, depth, carry);
  mark_stale(path, depth);
}

Hash256 SparseMerkleTree::hash_of(Ref ref) {
  if (ref == kEmpty) return Hash256{};
  if (is_leaf_ref(ref)) {
    const Leaf& leaf = leaves_[leaf_index(ref)];
    return state_leaf_hash(leaf.key_hash, leaf.value_hash);
  }
  Inner& node = inner_[inner_index(ref)];
  if (!node.hash.is_zero()) return node.hash;
  // Only stale nodes are descended into; the recursion is as deep as the tree (at most 257).
  const Hash256 left = hash_of(node.child[0]);
  const Hash256 right = hash_of(node.child[1]);
  node.hash = state_inner_hash(left, right);
  return node.hash;
}

Hash256 SparseMerkleTree::root() { return hash_of(root_); }

std::optional<Hash256> SparseMerkleTree::value_hash(std::string_view key) const {
  const Hash256 key_hash = state_key_hash(key);
  Path path;
  std::size_t depth = 0;
  const Ref end = descend(key_hash, path, depth);
  if (!is_leaf_ref(end) || leaves_[leaf_index(end)].key_hash != key_hash) return std::nullopt;
  return leaves_[leaf_index(end)].value_hash;
}

StateProof SparseMerkleTree::prove(std::string_view key) {
  root();  // every inner node clean, so each sibling's hash below is cached or a leaf's
  const Hash256 key_hash = state_key_hash(key);
  StateProof proof;
  Ref r = root_;
  std::size_t depth = 0;
  while (is_inner_ref(r)) {
    const Inner& node = inner_[inner_index(r)];
    const unsigned b = bit_at(key_hash, depth);
    proof.siblings.push_back(hash_of(node.child[1 - b]));
    r = node.child[b];
    ++depth;
  }
  if (is_leaf_ref(r) && leaves_[leaf_index(r)].key_hash != key_hash) {
    const Leaf& leaf = leaves_[leaf_index(r)];
    proof.other_leaf = StateLeaf{leaf.key_hash, leaf.value_hash};
  }
  return proof;
}

std::size_t SparseMerkleTree::memory_bytes() const {
  return inner_.memory_bytes() + leaves_.memory_bytes() +
         (free_inner_.capacity() + free_leaves_.capacity()) * sizeof(std::uint32_t);
}

SparseMerkleTree::Ref SparseMerkleTree::new_leaf(const Hash256& key_hash,
                                                 const Hash256& value_hash) {
  std::size_t i = 0;
  if (!free_leaves_.empty()) {
    i = free_leaves_.back();
    free_leaves_.pop_back();
    leaves_[i] = Leaf{key_hash, value_hash};
  } else {
    if (leaves_.size() > kMaxIndex) throw std::length_error("SparseMerkleTree: too many keys");
    i = leaves_.push_back(Leaf{key_hash, value_hash});
  }
  return static_cast<Ref>((i << 1) | 1u);
}

SparseMerkleTree::Ref SparseMerkleTree::new_inner(Ref left, Ref right) {
  std::size_t i = 0;
  if (!free_inner_.empty()) {
    i = free_inner_.back();
    free_inner_.pop_back();
    inner_[i] = Inner{Hash256{}, {left, right}};
  } else {
    if (inner_.size() > kMaxIndex) {
      throw std::length_error("SparseMerkleTree: too many inner nodes");
    }
    i = inner_.push_back(Inner{Hash256{}, {left, right}});
  }
  return static_cast<Ref>((i + 1) << 1);
}

void SparseMerkleTree::free_leaf(std::size_t index) {
  free_leaves_.push_back(static_cast<std::uint32_t>(index));
}

void SparseMerkleTree::free_inner(std::size_t index) {
  free_inner_.push_back(static_cast<std::uint32_t>(index));
}

}  // namespace hlsim
