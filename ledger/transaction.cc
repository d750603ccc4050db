#include "ledger/transaction.h"

#include <stdexcept>

#include "ledger/crypto/sha256.h"
#include "ledger/encoding.h"

namespace hlsim {

namespace {

// u8 version | u16 kind | u32 client | u64 nonce | i64 submit_ns | u32 payload length.
constexpr std::size_t kBodyFixedBytes = 1 + 2 + 4 + 8 + 8 + 4;

void write_body(const Transaction& tx, Writer& w) {
  w.u8(kTxEncodingVersion);
  w.u16(tx.kind);
  w.u32(tx.client);
  w.u64(tx.nonce);
  w.i64(tx.submit_ns);
  w.bytes(tx.payload);
  tx.signer.encode_to(w);
}

}  // namespace

Bytes Transaction::body() const {
  Writer w(kBodyFixedBytes + payload.size() + signer.encoded_size());
  write_body(*this, w);
  return w.take();
}

Hash256 Transaction::compute_id() const { return sha256(body()); }

Hash256 Transaction::commitment() const { return commitment_for(id); }

Hash256 Transaction::commitment_for(const Hash256& tx_id) const {
  Writer w(32 + signature.encoded_size());
  w.hash(tx_id);
  signature.encode_to(w);
  return sha256(w.data());
}

std::size_t Transaction::encoded_size() const {
  return kBodyFixedBytes + payload.size() + signer.encoded_size() + signature.encoded_size();
}

void Transaction::encode_to(Writer& writer) const {
  write_body(*this, writer);
  signature.encode_to(writer);
}

Bytes Transaction::encode() const {
  Writer w(encoded_size());
  encode_to(w);
  return w.take();
}

std::optional<Transaction> Transaction::decode_from(Reader& reader) {
  const std::size_t start = reader.position();
  std::uint8_t version = 0;
  if (!reader.u8(version) || version != kTxEncodingVersion) return std::nullopt;
  Transaction tx;
  reader.u16(tx.kind);
  reader.u32(tx.client);
  reader.u64(tx.nonce);
  reader.i64(tx.submit_ns);
  reader.bytes(tx.payload, kTxPayloadBytesMax);
  if (!reader.ok()) return std::nullopt;
  std::optional<PublicKey> signer = PublicKey::decode_from(reader);
  if (!signer) return std::nullopt;
  tx.signer = *signer;
  const std::size_t body_end = reader.position();
  std::optional<Signature> signature = Signature::decode_from(reader);
  if (!signature) return std::nullopt;
  tx.signature = *signature;
  // The id is the hash of the body exactly as received, so it never needs re-encoding.
  tx.id = sha256(reader.input().subspan(start, body_end - start));
  return tx;
}

std::optional<Transaction> Transaction::decode(ByteView data) {
  Reader reader(data);
  std::optional<Transaction> tx = decode_from(reader);
  if (!tx || !reader.done()) return std::nullopt;
  return tx;
}

void sign_tx(Transaction& tx, const SigningKey& key) {
  if (tx.payload.size() > kTxPayloadBytesMax) {
    throw std::length_error("sign_tx: payload of " + std::to_string(tx.payload.size()) +
                            " bytes exceeds the maximum of " + std::to_string(kTxPayloadBytesMax));
  }
  tx.signer = key.public_key();
  const Bytes body = tx.body();
  tx.id = sha256(body);
  tx.signature = key.sign(body);
}

bool verify_tx(const Transaction& tx) {
  if (tx.payload.size() > kTxPayloadBytesMax) return false;
  const Bytes body = tx.body();
  if (sha256(body) != tx.id) return false;
  return verify_signature(tx.signer, body, tx.signature);
}

}  // namespace hlsim
