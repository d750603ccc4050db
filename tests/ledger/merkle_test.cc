#include "ledger/merkle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ledger/crypto/sha256.h"
#include "ledger_test_util.h"

namespace hlsim {
namespace {

using testing::hex_hash;

std::vector<Hash256> make_leaves(std::size_t n) {
  std::vector<Hash256> leaves;
  for (std::size_t i = 0; i < n; ++i) leaves.push_back(sha256(as_bytes(std::to_string(i))));
  return leaves;
}

Hash256 hash_prefixed(std::uint8_t prefix, ByteView a, ByteView b = {}) {
  Bytes buf = {prefix};
  buf.insert(buf.end(), a.begin(), a.end());
  buf.insert(buf.end(), b.begin(), b.end());
  return sha256(buf);
}

// RFC 6962 §2.1 MTH, written straight from the definition as an oracle.
Hash256 reference_root(std::span<const Hash256> d) {
  if (d.empty()) return sha256({});
  if (d.size() == 1) return hash_prefixed(0x00, d[0].view());
  std::size_t k = 1;
  while (k * 2 < d.size()) k *= 2;
  return hash_prefixed(0x01, reference_root(d.first(k)).view(),
                       reference_root(d.subspan(k)).view());
}

void flip_bit(Hash256& h, std::size_t bit) {
  h.bytes[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
}

TEST(MerkleTest, HandComputedRootsForZeroToThreeLeaves) {
  const std::vector<Hash256> leaves = make_leaves(3);
  ASSERT_EQ(leaves[0].hex(), "5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9");
  EXPECT_EQ(merkle_root({}).hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // SHA-256(00 || L0)
  EXPECT_EQ(merkle_root(std::span(leaves).first(1)),
            hex_hash("13a77175e35eb1d9da91ee14df0d7772cea71289800206e2b45c882ecb06efbf"));
  // SHA-256(01 || SHA-256(00 || L0) || SHA-256(00 || L1))
  EXPECT_EQ(merkle_root(std::span(leaves).first(2)),
            hex_hash("bbb441530bdded54e6e2bfcdc829819ff39b30768eb9f023071dffc16b410f10"));
  // SHA-256(01 || root of the first two || SHA-256(00 || L2))
  EXPECT_EQ(merkle_root(leaves),
            hex_hash("8be871f13785b4c81a1700459c76ac2b3ae2caebb7876c376e223c6adff98c47"));
}

TEST(MerkleTest, RootMatchesRfc6962DefinitionForEverySizeUpTo257) {
  const std::vector<Hash256> leaves = make_leaves(257);
  for (std::size_t n = 0; n <= leaves.size(); ++n) {
    const auto d = std::span(leaves).first(n);
    EXPECT_EQ(merkle_root(d), reference_root(d)) << n << " leaves";
  }
}

TEST(MerkleTest, RootDependsOnLeafOrder) {
  std::vector<Hash256> leaves = make_leaves(4);
  const Hash256 root = merkle_root(leaves);
  std::swap(leaves[1], leaves[2]);
  EXPECT_NE(merkle_root(leaves), root);
}

TEST(MerkleTest, EveryProofVerifiesAndAnyFlippedBitFailsForEverySizeUpTo257) {
  const std::vector<Hash256> all = make_leaves(257);
  std::size_t checked = 0;
  for (std::size_t n = 1; n <= all.size(); ++n) {
    const auto leaves = std::span(all).first(n);
    const Hash256 root = merkle_root(leaves);
    for (std::size_t i = 0; i < n; ++i) {
      const std::vector<Hash256> proof = merkle_proof(leaves, i);
      ASSERT_TRUE(merkle_verify(root, leaves[i], i, n, proof)) << n << "/" << i;
      ++checked;
      // One bit per object, varied with (n, i) so that every bit position is hit across sizes.
      const std::size_t bit = (n * 31 + i * 7) % 256;
      Hash256 leaf = leaves[i];
      flip_bit(leaf, bit);
      EXPECT_FALSE(merkle_verify(root, leaf, i, n, proof)) << n << "/" << i;
      Hash256 bad_root = root;
      flip_bit(bad_root, bit);
      EXPECT_FALSE(merkle_verify(bad_root, leaves[i], i, n, proof)) << n << "/" << i;
      for (std::size_t k = 0; k < proof.size(); ++k) {
        std::vector<Hash256> bad = proof;
        flip_bit(bad[k], (bit + k * 13) % 256);
        EXPECT_FALSE(merkle_verify(root, leaves[i], i, n, bad)) << n << "/" << i << " elem " << k;
      }
    }
  }
  EXPECT_EQ(checked, 257u * 258u / 2u);
}

TEST(MerkleTest, EveryBitOfOneProofLeafAndRootIsCovered) {
  const std::vector<Hash256> leaves = make_leaves(13);
  const std::size_t index = 6;
  const Hash256 root = merkle_root(leaves);
  const std::vector<Hash256> proof = merkle_proof(leaves, index);
  ASSERT_EQ(proof.size(), 4u);
  for (std::size_t bit = 0; bit < 256; ++bit) {
    Hash256 leaf = leaves[index];
    flip_bit(leaf, bit);
    EXPECT_FALSE(merkle_verify(root, leaf, index, 13, proof)) << bit;
    Hash256 bad_root = root;
    flip_bit(bad_root, bit);
    EXPECT_FALSE(merkle_verify(bad_root, leaves[index], index, 13, proof)) << bit;
    for (std::size_t k = 0; k < proof.size(); ++k) {
      std::vector<Hash256> bad = proof;
      flip_bit(bad[k], bit);
      EXPECT_FALSE(merkle_verify(root, leaves[index], index, 13, bad)) << k << " bit " << bit;
    }
  }
}

TEST(MerkleTest, WrongIndexSizeOrProofLengthFails) {
  const std::vector<Hash256> leaves = make_leaves(10);
  const Hash256 root = merkle_root(leaves);
  const std::vector<Hash256> proof = merkle_proof(leaves, 3);
  ASSERT_TRUE(merkle_verify(root, leaves[3], 3, 10, proof));
  EXPECT_FALSE(merkle_verify(root, leaves[3], 2, 10, proof));
  EXPECT_FALSE(merkle_verify(root, leaves[3], 3, 8, proof));
  EXPECT_FALSE(merkle_verify(root, leaves[3], 3, 4, proof));
  // RFC 6962 roots do not commit to the tree size: a size with the same path shape for this
  // index (9..16 leaves here) accepts the same proof. Blocks bind the size through tx_count.
  EXPECT_TRUE(merkle_verify(root, leaves[3], 3, 11, proof));
  EXPECT_FALSE(merkle_verify(root, leaves[3], 10, 10, proof));
  EXPECT_FALSE(merkle_verify(root, leaves[4], 3, 10, proof));
  std::vector<Hash256> shorter(proof.begin(), proof.end() - 1);
  EXPECT_FALSE(merkle_verify(root, leaves[3], 3, 10, shorter));
  std::vector<Hash256> longer = proof;
  longer.push_back(root);
  EXPECT_FALSE(merkle_verify(root, leaves[3], 3, 10, longer));
  EXPECT_FALSE(merkle_verify(root, leaves[3], 3, 10, {}));
}

TEST(MerkleTest, SingleLeafTreeHasEmptyProof) {
  const std::vector<Hash256> leaves = make_leaves(1);
  EXPECT_TRUE(merkle_proof(leaves, 0).empty());
  EXPECT_TRUE(merkle_verify(merkle_root(leaves), leaves[0], 0, 1, {}));
  EXPECT_FALSE(merkle_verify(leaves[0], leaves[0], 0, 1, {}));  // the root is not the raw leaf
}

TEST(MerkleTest, ProofIndexOutOfRangeThrows) {
  const std::vector<Hash256> leaves = make_leaves(3);
  EXPECT_THROW(merkle_proof(leaves, 3), std::out_of_range);
  EXPECT_THROW(merkle_proof({}, 0), std::out_of_range);
}

TEST(MerkleTest, InnerNodeCannotPassAsLeaf) {
  // Tree of 4: root = H(01 || N01 || N23). Presenting N01 as a "leaf" of a 2-leaf tree with the
  // proof [N23] would reproduce the root without domain separation; with it, it must fail.
  const std::vector<Hash256> leaves = make_leaves(4);
  const Hash256 root = merkle_root(leaves);
  const Hash256 n01 = merkle_root(std::span(leaves).first(2));
  const Hash256 n23 = merkle_root(std::span(leaves).subspan(2));
  ASSERT_EQ(root, hash_prefixed(0x01, n01.view(), n23.view()));
  const std::vector<Hash256> fake_proof = {n23};
  EXPECT_FALSE(merkle_verify(root, n01, 0, 2, fake_proof));
  // A leaf hash presented as a leaf is hashed again, so it does not verify either.
  const Hash256 leaf_hash = merkle_root(std::span(leaves).first(1));
  const std::vector<Hash256> proof = merkle_proof(leaves, 0);
  EXPECT_FALSE(merkle_verify(root, leaf_hash, 0, 4, proof));
  EXPECT_TRUE(merkle_verify(root, leaves[0], 0, 4, proof));
}

}  // namespace
}  // namespace hlsim
