#include "ledger/block.h"

#include <algorithm>

#include "ledger/crypto/sha256.h"
#include "ledger/encoding.h"
#include "ledger/merkle.h"
#include "ledger/verifier.h"

namespace hlsim {

namespace {

// u8 version | u64 height | prev_hash | tx_root | u64 state_height | state_root | u32 proposer |
// u64 epoch | i64 timestamp_ns | u32 tx_count (the proposer key follows).
constexpr std::size_t kHeaderFixedBytes = 1 + 8 + 32 + 32 + 8 + 32 + 4 + 8 + 8 + 4;
// The smallest possible transaction encoding (empty payload, Ed25519 key, empty signature):
// bounds how many a block of a given size can hold.
constexpr std::size_t kTxMinBytes = 1 + 2 + 4 + 8 + 8 + 4 + 33 + 1;

void write_header(const BlockHeader& h, Writer& w) {
  w.u8(kBlockEncodingVersion);
  w.u64(h.height);
  w.hash(h.prev_hash);
  w.hash(h.tx_root);
  w.u64(h.state.height);
  w.hash(h.state.root);
  w.u32(h.proposer);
  w.u64(h.epoch);
  w.i64(h.timestamp_ns);
  w.u32(h.tx_count);
  h.proposer_key.encode_to(w);
}

}  // namespace

Bytes BlockHeader::encode() const {
  Writer w(kHeaderFixedBytes + proposer_key.encoded_size());
  write_header(*this, w);
  return w.take();
}

std::uint64_t Block::payload_bytes() const {
  std::uint64_t total = 0;
  for (const TxRef& tx : txs) total += tx->encoded_size();
  return total;
}

std::size_t Block::encoded_size() const {
  return kHeaderFixedBytes + header.proposer_key.encoded_size() + signature.encoded_size() + 4 +
         static_cast<std::size_t>(payload_bytes());
}

void Block::encode_to(Writer& writer) const {
  write_header(header, writer);
  signature.encode_to(writer);
  writer.u32(static_cast<std::uint32_t>(txs.size()));
  for (const TxRef& tx : txs) tx->encode_to(writer);
}

Bytes Block::encode() const {
  Writer w(encoded_size());
  encode_to(w);
  return w.take();
}

std::optional<Block> Block::decode_from(Reader& reader) {
  const std::size_t start = reader.position();
  std::uint8_t version = 0;
  if (!reader.u8(version) || version != kBlockEncodingVersion) return std::nullopt;
  Block b;
  BlockHeader& h = b.header;
  reader.u64(h.height);
  reader.hash(h.prev_hash);
  reader.hash(h.tx_root);
  reader.u64(h.state.height);
  reader.hash(h.state.root);
  reader.u32(h.proposer);
  reader.u64(h.epoch);
  reader.i64(h.timestamp_ns);
  reader.u32(h.tx_count);
  if (!reader.ok()) return std::nullopt;
  std::optional<PublicKey> key = PublicKey::decode_from(reader);
  if (!key) return std::nullopt;
  h.proposer_key = *key;
  const std::size_t header_end = reader.position();
  std::optional<Signature> signature = Signature::decode_from(reader);
  if (!signature) return std::nullopt;
  b.signature = *signature;
  std::uint32_t n = 0;
  reader.u32(n);
  if (!reader.ok()) return std::nullopt;
  b.hash = sha256(reader.input().subspan(start, header_end - start));
  // A count that disagrees with header.tx_count is left for check_block to report (kBadTxCount);
  // decoding only rejects what cannot be parsed. The reservation is bounded by the input size.
  b.txs.reserve(std::min<std::size_t>(n, reader.remaining() / kTxMinBytes));
  for (std::uint32_t i = 0; i < n; ++i) {
    std::optional<Transaction> tx = Transaction::decode_from(reader);
    if (!tx) return std::nullopt;
    b.txs.push_back(std::make_shared<const Transaction>(std::move(*tx)));
  }
  return b;
}

std::optional<Block> Block::decode(ByteView data) {
  Reader reader(data);
  std::optional<Block> b = decode_from(reader);
  if (!b || !reader.done()) return std::nullopt;
  return b;
}

BlockRef seal_block(Height height, const Hash256& prev_hash, NodeId proposer, std::uint64_t epoch,
                    TimeNs timestamp_ns, std::vector<TxRef> txs, const SigningKey& key,
                    const StateCommitment& state) {
  auto b = std::make_shared<Block>();
  std::vector<Hash256> leaves;
  leaves.reserve(txs.size());
  for (const TxRef& tx : txs) leaves.push_back(tx->commitment());
  BlockHeader& h = b->header;
  h.height = height;
  h.prev_hash = prev_hash;
  h.tx_root = merkle_root(leaves);
  h.state = state;
  h.proposer = proposer;
  h.epoch = epoch;
  h.timestamp_ns = timestamp_ns;
  h.tx_count = static_cast<std::uint32_t>(txs.size());
  h.proposer_key = key.public_key();
  b->txs = std::move(txs);
  b->hash = sha256(h.encode());
  b->signature = key.sign(b->hash.view());
  return b;
}

std::vector<Hash256> tx_inclusion_proof(const Block& block, std::size_t index) {
  std::vector<Hash256> leaves;
  leaves.reserve(block.txs.size());
  for (const TxRef& tx : block.txs) leaves.push_back(tx->commitment());
  return merkle_proof(leaves, index);
}

bool verify_tx_inclusion(const BlockHeader& header, const Transaction& tx, std::size_t index,
                         std::span<const Hash256> proof) {
  // The commitment is recomputed from the body, so a transaction edited after signing fails.
  return merkle_verify(header.tx_root, tx.commitment_for(tx.compute_id()), index, header.tx_count,
                       proof);
}

const char* to_string(BlockCheck c) {
  switch (c) {
    case BlockCheck::kOk:
      return "ok";
    case BlockCheck::kBadHash:
      return "block hash does not match its header";
    case BlockCheck::kBadTxCount:
      return "header tx_count does not match the number of transactions";
    case BlockCheck::kBadTxRoot:
      return "tx_root does not match the transactions";
    case BlockCheck::kBadSignature:
      return "proposer signature does not verify";
    case BlockCheck::kBadStateHeight:
      return "header commits to the state of a height not below its own";
  }
  return "unknown block check";
}

namespace {

template <class VerifySignature>
BlockCheck check_block_impl(const Block& block, VerifySignature&& verify_signature) {
  if (sha256(block.header.encode()) != block.hash) return BlockCheck::kBadHash;
  if (block.header.tx_count != block.txs.size()) return BlockCheck::kBadTxCount;
  if (block.header.state.height >= block.header.height) return BlockCheck::kBadStateHeight;
  // Ids are recomputed from the transaction bodies rather than trusted, so a transaction altered
  // in memory after signing (its stale id kept) cannot hide behind a matching root; a stored id
  // that disagrees with its body is itself a defect of the block.
  std::vector<Hash256> leaves;
  leaves.reserve(block.txs.size());
  for (const TxRef& tx : block.txs) {
    if (!tx) return BlockCheck::kBadTxRoot;
    const Hash256 id = tx->compute_id();
    if (id != tx->id) return BlockCheck::kBadTxRoot;
    leaves.push_back(tx->commitment_for(id));
  }
  if (merkle_root(leaves) != block.header.tx_root) return BlockCheck::kBadTxRoot;
  if (!verify_signature()) return BlockCheck::kBadSignature;
  return BlockCheck::kOk;
}

}  // namespace

BlockCheck check_block(const Block& block) {
  return check_block_impl(block, [&] {
    return verify_signature(block.header.proposer_key, block.hash.view(), block.signature);
  });
}

BlockCheck check_block(const Block& block, Verifier& verifier) {
  return check_block_impl(block, [&] {
    return verifier.verify_digest(block.header.proposer_key, block.hash, block.signature);
  });
}

}  // namespace hlsim
