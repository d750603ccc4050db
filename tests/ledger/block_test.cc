#include "ledger/block.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "ledger/crypto/sha256.h"
#include "ledger/encoding.h"
#include "ledger/merkle.h"
#include "ledger_test_util.h"

namespace hlsim {
namespace {

using testing::make_tx;

// Fixed fields (137 bytes) and an Ed25519 proposer key (1 + 32).
constexpr std::size_t kHeaderBytes = 170;

class BlockTest : public ::testing::Test {
 protected:
  std::vector<TxRef> make_txs(std::size_t n, std::size_t payload_bytes = 24) const {
    std::vector<TxRef> txs;
    for (std::size_t i = 0; i < n; ++i) {
      txs.push_back(std::make_shared<const Transaction>(make_tx(client_, i, payload_bytes + i)));
    }
    return txs;
  }
  BlockRef seal(std::size_t n, std::size_t payload_bytes = 24) const {
    Hash256 prev;
    prev.bytes[0] = 0xAB;
    StateCommitment state{3, {}};
    state.root.bytes[31] = 0xCD;
    return seal_block(5, prev, 2, 9, 123'456'789, make_txs(n, payload_bytes), proposer_, state);
  }
  // Re-hashes the header after an in-memory edit, as a forger would, keeping the old signature.
  static void rehash(Block& b) { b.hash = sha256(b.header.encode()); }

  const SigningKey proposer_ = SigningKey::derive(99, "node-2");
  const SigningKey client_ = SigningKey::derive(99, "client-0");
};

TEST_F(BlockTest, SealFillsHeaderAndChecksOk) {
  const BlockRef b = seal(5);
  EXPECT_EQ(b->header.height, 5u);
  EXPECT_EQ(b->header.proposer, 2u);
  EXPECT_EQ(b->header.epoch, 9u);
  EXPECT_EQ(b->header.timestamp_ns, 123'456'789);
  EXPECT_EQ(b->header.tx_count, 5u);
  EXPECT_EQ(b->header.proposer_key, proposer_.public_key());
  std::vector<Hash256> leaves;
  for (const TxRef& tx : b->txs) {
    leaves.push_back(tx->commitment());
    Bytes id_and_sig(tx->id.bytes.begin(), tx->id.bytes.end());
    id_and_sig.push_back(tx->signature.size);
    id_and_sig.insert(id_and_sig.end(), tx->signature.view().begin(), tx->signature.view().end());
    EXPECT_EQ(tx->commitment(), sha256(id_and_sig));
  }
  EXPECT_EQ(b->header.tx_root, merkle_root(leaves));
  EXPECT_EQ(b->hash, sha256(b->header.encode()));
  EXPECT_TRUE(verify_signature(proposer_.public_key(), b->hash.view(), b->signature));
  EXPECT_EQ(check_block(*b), BlockCheck::kOk);
}

TEST_F(BlockTest, EmptyBlockChecksOkWithEmptyRoot) {
  const BlockRef b = seal(0);
  EXPECT_EQ(b->header.tx_root, sha256({}));
  EXPECT_EQ(check_block(*b), BlockCheck::kOk);
  const auto back = Block::decode(b->encode());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->hash, b->hash);
  EXPECT_TRUE(back->txs.empty());
}

TEST_F(BlockTest, HeaderEncodingLayoutIsTheDocumentedOne) {
  const BlockRef b = seal(1);
  const Bytes h = b->header.encode();
  ASSERT_EQ(h.size(), kHeaderBytes);
  EXPECT_EQ(h[0], kBlockEncodingVersion);
  EXPECT_EQ(to_hex(ByteView(h).subspan(1, 8)), "0500000000000000");
  EXPECT_EQ(to_hex(ByteView(h).subspan(9, 32)), b->header.prev_hash.hex());
  EXPECT_EQ(to_hex(ByteView(h).subspan(41, 32)), b->header.tx_root.hex());
  EXPECT_EQ(to_hex(ByteView(h).subspan(73, 8)), "0300000000000000");  // state height
  EXPECT_EQ(to_hex(ByteView(h).subspan(81, 32)), b->header.state.root.hex());
  EXPECT_EQ(to_hex(ByteView(h).subspan(113, 4)), "02000000");
  EXPECT_EQ(to_hex(ByteView(h).subspan(117, 8)), "0900000000000000");
  EXPECT_EQ(to_hex(ByteView(h).subspan(125, 8)), "15cd5b0700000000");
  EXPECT_EQ(to_hex(ByteView(h).subspan(133, 4)), "01000000");
  EXPECT_EQ(h[137], static_cast<std::uint8_t>(SigScheme::kEd25519));
  EXPECT_EQ(to_hex(ByteView(h).subspan(138, 32)), to_hex(proposer_.public_key().view()));
  const Bytes enc = b->encode();
  EXPECT_EQ(Bytes(enc.begin(), enc.begin() + kHeaderBytes), h);
  EXPECT_EQ(enc[kHeaderBytes], 64);  // signature length
  EXPECT_EQ(to_hex(ByteView(enc).subspan(kHeaderBytes + 1, 64)), to_hex(b->signature.view()));
  EXPECT_EQ(to_hex(ByteView(enc).subspan(kHeaderBytes + 65, 4)), "01000000");
  EXPECT_EQ(Bytes(enc.begin() + kHeaderBytes + 69, enc.end()), b->txs[0]->encode());
}

TEST_F(BlockTest, EncodedSizeAndPayloadBytesMatchTheEncoding) {
  const BlockRef b = seal(7, 50);
  std::uint64_t payload = 0;
  for (const TxRef& tx : b->txs) payload += tx->encode().size();
  EXPECT_EQ(b->payload_bytes(), payload);
  EXPECT_EQ(b->encoded_size(), b->encode().size());
  EXPECT_EQ(b->encoded_size(), kHeaderBytes + 65 + 4 + payload);
}

TEST_F(BlockTest, RoundTripGivesSameHashAndTransactions) {
  const BlockRef b = seal(6);
  const std::optional<Block> back = Block::decode(b->encode());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->hash, b->hash);
  EXPECT_EQ(back->signature, b->signature);
  EXPECT_EQ(back->header.encode(), b->header.encode());
  ASSERT_EQ(back->txs.size(), b->txs.size());
  for (std::size_t i = 0; i < b->txs.size(); ++i) {
    EXPECT_EQ(back->txs[i]->id, b->txs[i]->id);
    EXPECT_TRUE(verify_tx(*back->txs[i]));
  }
  EXPECT_EQ(back->encode(), b->encode());
  EXPECT_EQ(check_block(*back), BlockCheck::kOk);
}

TEST_F(BlockTest, DecodeRejectsTruncationTrailingBytesAndUnknownVersion) {
  const Bytes enc = seal(2)->encode();
  for (std::size_t len = 0; len < enc.size(); ++len) {
    EXPECT_FALSE(Block::decode(ByteView(enc).first(len)).has_value()) << "length " << len;
  }
  Bytes longer = enc;
  longer.push_back(0);
  EXPECT_FALSE(Block::decode(longer).has_value());
  Bytes bad_version = enc;
  bad_version[0] = 1;  // the previous version is no longer read
  EXPECT_FALSE(Block::decode(bad_version).has_value());
  bad_version[0] = 3;
  EXPECT_FALSE(Block::decode(bad_version).has_value());
}

TEST_F(BlockTest, TamperedTransactionPayloadOnTheWireGivesBadTxRoot) {
  const BlockRef b = seal(3);
  Bytes enc = b->encode();
  // The first transaction's payload starts after its 27-byte fixed prefix and 4-byte length.
  const std::size_t payload_at = kHeaderBytes + 65 + 4 + 27 + 4;
  enc[payload_at] ^= 0x01;
  const std::optional<Block> back = Block::decode(enc);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(check_block(*back), BlockCheck::kBadTxRoot);
  EXPECT_FALSE(verify_tx(*back->txs[0]));
}

TEST_F(BlockTest, TamperedTransactionInMemoryGivesBadTxRoot) {
  const BlockRef b = seal(3);
  Block stale = *b;
  auto tx = std::make_shared<Transaction>(*b->txs[1]);
  tx->payload[0] ^= 1;  // id left as it was
  stale.txs[1] = tx;
  EXPECT_EQ(check_block(stale), BlockCheck::kBadTxRoot);

  Block rehashed = *b;
  auto tx2 = std::make_shared<Transaction>(*b->txs[1]);
  tx2->payload[0] ^= 1;
  tx2->id = tx2->compute_id();
  rehashed.txs[1] = tx2;
  EXPECT_EQ(check_block(rehashed), BlockCheck::kBadTxRoot);

  Block replaced = *b;
  replaced.txs[1] = std::make_shared<const Transaction>(make_tx(client_, 77));
  EXPECT_EQ(check_block(replaced), BlockCheck::kBadTxRoot);

  Block reordered = *b;
  std::swap(reordered.txs[0], reordered.txs[2]);
  EXPECT_EQ(check_block(reordered), BlockCheck::kBadTxRoot);

  // A transaction's signature is committed to as well, valid or not.
  Block resigned = *b;
  auto tx1 = std::make_shared<Transaction>(*b->txs[1]);
  tx1->signature.bytes[0] ^= 1;
  resigned.txs[1] = tx1;
  EXPECT_EQ(check_block(resigned), BlockCheck::kBadTxRoot);
}

TEST_F(BlockTest, EditedHeaderFieldGivesBadHashThenBadSignatureOnceRehashed) {
  const BlockRef b = seal(2);
  using Edit = void (*)(BlockHeader&);
  const std::vector<std::pair<std::string, Edit>> edits = {
      {"height", [](BlockHeader& h) { h.height += 1; }},
      {"prev_hash", [](BlockHeader& h) { h.prev_hash.bytes[31] ^= 1; }},
      {"proposer", [](BlockHeader& h) { h.proposer += 1; }},
      {"epoch", [](BlockHeader& h) { h.epoch += 1; }},
      {"timestamp_ns", [](BlockHeader& h) { h.timestamp_ns -= 1; }},
  };
  for (const auto& [name, edit] : edits) {
    Block t = *b;
    edit(t.header);
    EXPECT_EQ(check_block(t), BlockCheck::kBadHash) << name;
    rehash(t);
    EXPECT_EQ(check_block(t), BlockCheck::kBadSignature) << name;
  }
}

TEST_F(BlockTest, TxCountAndTxRootEditsAreReportedAsSuch) {
  const BlockRef b = seal(3);
  Block count = *b;
  count.header.tx_count = 2;
  rehash(count);
  EXPECT_EQ(check_block(count), BlockCheck::kBadTxCount);

  Block dropped = *b;
  dropped.txs.pop_back();
  EXPECT_EQ(check_block(dropped), BlockCheck::kBadTxCount);

  Block root = *b;
  root.header.tx_root.bytes[0] ^= 0x80;
  rehash(root);
  EXPECT_EQ(check_block(root), BlockCheck::kBadTxRoot);
}

TEST_F(BlockTest, BadSignatureOrForeignProposerKeyIsRejected) {
  const BlockRef b = seal(2);
  for (std::size_t bit = 0; bit < 512; bit += 37) {
    Block t = *b;
    t.signature.bytes[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_EQ(check_block(t), BlockCheck::kBadSignature) << bit;
  }
  // Another node claims the block: its key in the header, the original proposer's signature.
  Block t = *b;
  t.header.proposer_key = SigningKey::derive(99, "node-3").public_key();
  rehash(t);
  EXPECT_EQ(check_block(t), BlockCheck::kBadSignature);
  // And a correctly signed block by a different key still names that key, so it checks.
  const BlockRef other =
      seal_block(5, b->header.prev_hash, 3, 9, 1, make_txs(2), SigningKey::derive(99, "node-3"));
  EXPECT_EQ(check_block(*other), BlockCheck::kOk);
}

TEST_F(BlockTest, EveryByteFlipOfASmallBlockEncodingIsDetected) {
  const Bytes enc = seal(2, 4)->encode();
  int undecodable = 0;
  int bad_block = 0;
  int bad_tx = 0;
  for (std::size_t pos = 0; pos < enc.size(); ++pos) {
    for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0xff}}) {
      Bytes t = enc;
      t[pos] ^= mask;
      const std::optional<Block> blk = Block::decode(t);
      if (!blk) {
        ++undecodable;
        continue;
      }
      if (check_block(*blk) != BlockCheck::kOk) {
        ++bad_block;
        continue;
      }
      bool any_bad_tx = false;
      for (const TxRef& tx : blk->txs) any_bad_tx = any_bad_tx || !verify_tx(*tx);
      EXPECT_TRUE(any_bad_tx) << "byte " << pos << " mask " << int{mask} << " went undetected";
      if (any_bad_tx) ++bad_tx;
    }
  }
  EXPECT_GT(undecodable, 0);
  EXPECT_GT(bad_block, 0);
  // The Merkle root commits to every transaction's signature too, so no flip gets past the block's
  // own check to be caught only by verify_tx.
  EXPECT_EQ(bad_tx, 0);
  EXPECT_EQ(undecodable + bad_block + bad_tx, static_cast<int>(enc.size() * 2));
}

TEST_F(BlockTest, CheckNamesAreDistinct) {
  std::set<std::string> names;
  for (BlockCheck c : {BlockCheck::kOk, BlockCheck::kBadHash, BlockCheck::kBadTxCount,
                       BlockCheck::kBadTxRoot, BlockCheck::kBadSignature}) {
    names.insert(to_string(c));
  }
  EXPECT_EQ(names.size(), 5u);
  EXPECT_STREQ(to_string(BlockCheck::kOk), "ok");
}

TEST_F(BlockTest, EveryTransactionHasAnInclusionProofAgainstTheHeaderAndNoOtherFits) {
  for (std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{33}}) {
    const BlockRef b = seal(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::vector<Hash256> proof = tx_inclusion_proof(*b, i);
      EXPECT_TRUE(verify_tx_inclusion(b->header, *b->txs[i], i, proof)) << n << " " << i;
      EXPECT_FALSE(verify_tx_inclusion(b->header, *b->txs[(i + 1) % n], i, proof) && n > 1);
      Transaction resigned = *b->txs[i];
      resigned.signature.bytes[0] ^= 1;  // the same body under another signature
      EXPECT_FALSE(verify_tx_inclusion(b->header, resigned, i, proof));
      Transaction edited = *b->txs[i];
      edited.payload[0] ^= 1;  // stale id kept: the proof recomputes it
      EXPECT_FALSE(verify_tx_inclusion(b->header, edited, i, proof));
    }
  }
}

}  // namespace
}  // namespace hlsim
