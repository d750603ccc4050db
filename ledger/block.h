// Blocks: a signed header committing to an ordered list of transactions.
//
// Header encoding (version 2): u8 version | u64 height | prev_hash | tx_root | u64 state_height |
//   state_root | u32 proposer | u64 epoch | i64 timestamp_ns | u32 tx_count |
//   proposer public key (u8 scheme + key bytes)
// hash = SHA-256(header encoding); the proposer signs the hash.
// Block encoding: header | signature (u8 length + bytes) | u32 tx count | each transaction.
// tx_root is the Merkle root (ledger/merkle.h) of the transactions' commitments (id and signature,
// Transaction::commitment) in block order, so the header fixes every byte of the block.
//
// The state commitment: state_root is the root of the authenticated world state
// (ledger/state/sparse_merkle.h) after executing blocks 1..state_height, where state_height <
// height is the last block the proposer had executed when it sealed this one (0 and the empty
// root before any). As with Tendermint's app hash, a header commits to the state of an earlier
// height so that proposing never waits for execution; every validator checks the commitment when
// it commits the block, and `hlsim verify` re-checks it on a stored ledger.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "ledger/bytes.h"
#include "ledger/crypto/signature.h"
#include "ledger/transaction.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/time.h"

namespace hlsim {

inline constexpr std::uint8_t kBlockEncodingVersion = 2;

// A header's commitment to the world state after block `height` (see above).
struct StateCommitment {
  Height height = 0;
  Hash256 root;
  bool operator==(const StateCommitment&) const = default;
};

struct BlockHeader {
  Height height = 0;
  Hash256 prev_hash;      // hash of the block at height - 1 (zero for genesis)
  Hash256 tx_root;        // Merkle root of the transaction ids
  StateCommitment state;  // world state after block state.height (< height)
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
                    TimeNs timestamp_ns, std::vector<TxRef> txs, const SigningKey& key,
                    const StateCommitment& state = {});

// Inclusion proofs: the RFC 6962 audit path of block.txs[index]'s commitment (id and signature).
// REQUIRES: index < block.txs.size().
std::vector<Hash256> tx_inclusion_proof(const Block& block, std::size_t index);
// True when `proof` shows that `tx` (as signed) is transaction `index` of the block with `header`:
// a light client holding only a (signed) header can check a transaction against it.
bool verify_tx_inclusion(const BlockHeader& header, const Transaction& tx, std::size_t index,
                         std::span<const Hash256> proof);

enum class BlockCheck : std::uint8_t {
  kOk,
  kBadHash,         // hash != SHA-256(header)
  kBadTxCount,      // header.tx_count != txs.size()
  kBadTxRoot,       // Merkle root mismatch
  kBadSignature,    // proposer signature invalid
  kBadStateHeight,  // header.state.height >= header.height
};
const char* to_string(BlockCheck c);

// Checks the block's own integrity (not its transactions' signatures and not chain linkage).
BlockCheck check_block(const Block& block);
// The same, with the proposer signature checked under `verifier`'s policy.
BlockCheck check_block(const Block& block, class Verifier& verifier);

}  // namespace hlsim
