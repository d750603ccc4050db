// Fuzzes the ledger's decoders: transactions, blocks, signed votes, state proofs and ECDSA P-256
// public keys.
//
// Input: one selector byte (modulo the number of decoders), then the encoding. Properties: no
// crash, leak or out-of-bounds read; the canonical encodings (transaction, block, vote, state
// proof: "nullopt on any malformed, truncated or trailing input") re-encode to the same bytes and
// report that size as encoded_size(); signature checks on whatever decoded never crash (the keys
// and signatures are hostile). An accepted public key is returned in uncompressed form, which
// parses again to itself.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_check.h"
#include "ledger/block.h"
#include "ledger/crypto/ecdsa_p256.h"
#include "ledger/state/sparse_merkle.h"
#include "ledger/transaction.h"
#include "ledger/vote.h"

namespace {

using hlsim::ByteView;
using hlsim::fuzz::check;
using hlsim::fuzz::round_trip;

void fuzz_transaction(ByteView in) {
  const auto tx = hlsim::Transaction::decode(in);
  round_trip(
      in, tx, [](const hlsim::Transaction& t) { return t.encode(); }, "Transaction");
  if (!tx) return;
  check(tx->encoded_size() == in.size(), "Transaction::encoded_size");
  check(tx->id == tx->compute_id(), "Transaction id");
  (void)hlsim::verify_tx(*tx);
}

void fuzz_block(ByteView in) {
  const auto block = hlsim::Block::decode(in);
  round_trip(
      in, block, [](const hlsim::Block& b) { return b.encode(); }, "Block");
  if (!block) return;
  // txs.size() may differ from header.tx_count: decoding leaves that to check_block.
  check(block->encoded_size() == in.size(), "Block::encoded_size");
}

void fuzz_vote(ByteView in) {
  const auto vote = hlsim::SignedVote::decode(in);
  round_trip(
      in, vote, [](const hlsim::SignedVote& v) { return v.encode(); }, "SignedVote");
  if (!vote) return;
  check(vote->encoded_size() == in.size(), "SignedVote::encoded_size");
  (void)hlsim::verify_vote(*vote);
}

void fuzz_state_proof(ByteView in) {
  const auto proof = hlsim::StateProof::decode(in);
  round_trip(
      in, proof, [](const hlsim::StateProof& p) { return p.encode(); }, "StateProof");
  if (!proof) return;
  // Checking a hostile proof against an arbitrary root must simply say no (or yes), not crash.
  (void)hlsim::verify_state_proof(hlsim::Hash256{}, "key", std::nullopt, *proof);
  (void)hlsim::verify_state_proof(hlsim::Hash256{}, "key", "value", *proof);
}

void fuzz_public_key(ByteView in) {
  const auto key = hlsim::ecdsa_p256::parse_public_key(in);
  if (!key) return;
  check((*key)[0] == 0x04, "parse_public_key: uncompressed form");
  const auto again = hlsim::ecdsa_p256::parse_public_key(ByteView(key->data(), key->size()));
  check(again && *again == *key, "parse_public_key: idempotent");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView in(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      fuzz_transaction(in);
      break;
    case 1:
      fuzz_block(in);
      break;
    case 2:
      fuzz_vote(in);
      break;
    case 3:
      fuzz_state_proof(in);
      break;
    default:
      fuzz_public_key(in);
      break;
  }
  return 0;
}
