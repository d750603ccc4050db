// Merkle trees over transaction ids, domain-separated as in RFC 6962 §2.1:
//   leaf hash  = SHA-256(0x00 || leaf)
//   inner hash = SHA-256(0x01 || left || right)
// so a leaf can never be passed off as an inner node. The root of an empty list is SHA-256("").
// A tree of n leaves splits at the largest power of two smaller than n (RFC 6962's MTH).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ledger/bytes.h"

namespace hlsim {

Hash256 merkle_root(std::span<const Hash256> leaves);

// The audit path for leaves[index] (RFC 6962 PATH), siblings from the leaf upwards.
std::vector<Hash256> merkle_proof(std::span<const Hash256> leaves, std::size_t index);

// True when `proof` proves that `leaf` is at `index` of a tree of `leaf_count` leaves with `root`.
bool merkle_verify(const Hash256& root, const Hash256& leaf, std::size_t index,
                   std::size_t leaf_count, std::span<const Hash256> proof);

}  // namespace hlsim
