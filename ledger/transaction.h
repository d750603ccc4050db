// A client transaction: a workload-defined payload signed by its client's key (Ed25519 or ECDSA
// P-256, ledger/crypto/signature.h).
//
// Canonical encoding (version 2), all integers little-endian:
//   body      = u8 version | u16 kind | u32 client | u64 nonce | i64 submit_ns |
//               bytes payload (u32 length + data) | signer public key (u8 scheme + key bytes)
//   encoding  = body | signature (u8 length + bytes)
// The id is SHA-256(body). The signature is over the body, so changing any byte of the body
// changes the id and breaks the signature, and changing the signature breaks verification.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "ledger/bytes.h"
#include "ledger/crypto/signature.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/time.h"

namespace hlsim {

inline constexpr std::uint8_t kTxEncodingVersion = 2;
// The largest payload an encoding may carry; decode rejects larger ones and sign_tx refuses them.
inline constexpr std::size_t kTxPayloadBytesMax = std::size_t{16} << 20;

struct Transaction {
  std::uint16_t kind = 0;   // workload-defined kind code (index into the workload's kind names)
  ClientId client = 0;      // submitting client
  std::uint64_t nonce = 0;  // per-client sequence number, from 0
  TimeNs submit_ns = 0;     // the client's submit time
  Bytes payload;            // workload-defined canonical encoding
  PublicKey signer;
  Signature signature;
  Hash256 id;  // SHA-256(body); set by sign_tx / decode

  Bytes body() const;
  // What a block's Merkle tree commits to for this transaction: SHA-256(id || signature encoding).
  // Unlike the id it covers the signature too, so a block's tx_root (and hence its hash and its
  // proposer's signature) fixes every byte of every transaction, including a signature that does
  // not verify (a forgery the block recorded as invalid).
  Hash256 commitment() const;
  // commitment() for a given id (e.g. one recomputed from the body).
  Hash256 commitment_for(const Hash256& tx_id) const;
  // SHA-256(body()) computed now, whatever `id` holds.
  Hash256 compute_id() const;
  Bytes encode() const;
  std::size_t encoded_size() const;  // == encode().size(), without encoding
  // Parses an encoding and computes the id. nullopt on any malformed, truncated or trailing input.
  static std::optional<Transaction> decode(ByteView data);
  // Parses one transaction from the reader's position (for embedding in blocks).
  static std::optional<Transaction> decode_from(class Reader& reader);
  void encode_to(class Writer& writer) const;
};

using TxRef = std::shared_ptr<const Transaction>;

// Fills signer, id and signature. The other fields must be set.
void sign_tx(Transaction& tx, const SigningKey& key);

// The full real check: the id equals SHA-256(body) and the signature verifies under `signer`.
bool verify_tx(const Transaction& tx);

}  // namespace hlsim
