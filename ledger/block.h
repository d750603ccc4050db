// Blocks: a signed header committing to an ordered list of transactions.
//
// Header encoding (version 1): u8 version | u64 height | prev_hash | tx_root | u32 proposer |
//   u64 epoch | i64 timestamp_ns | u32 tx_count | 32-byte proposer public key
// hash = SHA-256(header encoding); the proposer signs the hash.
// Block encoding: header | 64-byte signature | u32 tx count | each transaction's encoding.
// tx_root is the Merkle root (ledger/merkle.h) of the transaction ids in block order.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "ledger/bytes.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/transaction.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/time.h"

namespace hlsim {

inline constexpr std::uint8_t kBlockEncodingVersion = 1;

struct BlockHeader {
  Height height = 0;
  Hash256 prev_hash;  // hash of the block at height - 1 (zero for genesis)
  Hash256 tx_root;    // Merkle root of the transaction ids
  NodeId proposer = 0;
  std::uint64_t epoch = 0;  // term / view / round of the protocol that made it
  TimeNs timestamp_ns = 0;  // proposer's virtual time when it sealed the block
  std::uint32_t tx_count = 0;
  PublicKey proposer_key;

  Bytes encode() const;
};

struct Block {
  BlockHeader header;
  Signature signature;  // proposer's signature over `hash`
  std::vector<TxRef> txs;
  Hash256 hash;  // SHA-256(header.encode()), set by seal_block / decode

  Bytes encode() const;
  std::size_t encoded_size() const;
  std::uint64_t payload_bytes() const;  // sum of the transactions' encoded sizes
  static std::optional<Block> decode(ByteView data);
  static std::optional<Block> decode_from(class Reader& reader);
  void encode_to(class Writer& writer) const;
};

using BlockRef = std::shared_ptr<const Block>;

// Builds a block over `txs`: computes tx_root, tx_count, proposer_key, hash and signature.
BlockRef seal_block(Height height, const Hash256& prev_hash, NodeId proposer, std::uint64_t epoch,
                    TimeNs timestamp_ns, std::vector<TxRef> txs, const SigningKey& key);

enum class BlockCheck : std::uint8_t {
  kOk,
  kBadHash,       // hash != SHA-256(header)
  kBadTxCount,    // header.tx_count != txs.size()
  kBadTxRoot,     // Merkle root mismatch
  kBadSignature,  // proposer signature invalid
};
const char* to_string(BlockCheck c);

// Checks the block's own integrity (not its transactions' signatures and not chain linkage).
BlockCheck check_block(const Block& block);
// The same, with the proposer-signature verification memoised in `cache` (identical result).
BlockCheck check_block(const Block& block, class VerifyCache& cache);

}  // namespace hlsim
