#include "ledger/merkle.h"

#include <cstring>
#include <stdexcept>
#include <string>

#include "ledger/crypto/sha256.h"

namespace hlsim {

namespace {

constexpr std::uint8_t kLeafPrefix = 0x00;
constexpr std::uint8_t kInnerPrefix = 0x01;

Hash256 leaf_hash(const Hash256& leaf) {
  std::uint8_t buf[1 + 32];
  buf[0] = kLeafPrefix;
  std::memcpy(buf + 1, leaf.bytes.data(), 32);
  return sha256({buf, sizeof buf});
}

Hash256 inner_hash(const Hash256& left, const Hash256& right) {
  std::uint8_t buf[1 + 32 + 32];
  buf[0] = kInnerPrefix;
  std::memcpy(buf + 1, left.bytes.data(), 32);
  std::memcpy(buf + 33, right.bytes.data(), 32);
  return sha256({buf, sizeof buf});
}

// The largest power of two strictly smaller than n. REQUIRES: n > 1.
std::size_t split_point(std::size_t n) {
  std::size_t k = 1;
  while (k << 1 < n) k <<= 1;
  return k;
}

// RFC 6962 PATH(m, leaves), appended to `out` from the leaf upwards.
void append_path(std::span<const Hash256> leaves, std::size_t m, std::vector<Hash256>& out) {
  const std::size_t n = leaves.size();
  if (n <= 1) return;
  const std::size_t k = split_point(n);
  if (m < k) {
    append_path(leaves.first(k), m, out);
    out.push_back(merkle_root(leaves.subspan(k)));
  } else {
    append_path(leaves.subspan(k), m - k, out);
    out.push_back(merkle_root(leaves.first(k)));
  }
}

}  // namespace

Hash256 merkle_root(std::span<const Hash256> leaves) {
  if (leaves.empty()) return sha256({});
  // Pairing each level left to right and carrying an odd last node up unchanged yields exactly
  // RFC 6962's MTH (split at the largest power of two below n), without recursion.
  std::vector<Hash256> level(leaves.size());
  for (std::size_t i = 0; i < leaves.size(); ++i) level[i] = leaf_hash(leaves[i]);
  std::size_t n = level.size();
  while (n > 1) {
    std::size_t out = 0;
    for (std::size_t i = 0; i + 1 < n; i += 2) level[out++] = inner_hash(level[i], level[i + 1]);
    if (n % 2 == 1) level[out++] = level[n - 1];
    n = out;
  }
  return level[0];
}

std::vector<Hash256> merkle_proof(std::span<const Hash256> leaves, std::size_t index) {
  if (index >= leaves.size()) {
    throw std::out_of_range("merkle_proof: index " + std::to_string(index) + " of a tree of " +
                            std::to_string(leaves.size()) + " leaves");
  }
  std::vector<Hash256> proof;
  append_path(leaves, index, proof);
  return proof;
}

bool merkle_verify(const Hash256& root, const Hash256& leaf, std::size_t index,
                   std::size_t leaf_count, std::span<const Hash256> proof) {
  // RFC 9162 §2.1.3.2: walk up from the leaf; `fn` is the node's index at the current level and
  // `sn` the index of the level's last node. A right-edge node without a sibling moves up as is.
  if (index >= leaf_count) return false;
  std::size_t fn = index;
  std::size_t sn = leaf_count - 1;
  Hash256 r = leaf_hash(leaf);
  for (const Hash256& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = inner_hash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = inner_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

}  // namespace hlsim
