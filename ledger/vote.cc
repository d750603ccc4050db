#include "ledger/vote.h"

#include "ledger/crypto/sha256.h"
#include "ledger/encoding.h"

namespace hlsim {

namespace {

constexpr std::string_view kVoteDomain = "hlsim-vote-v1";
// u8 version | u8 kind | u64 height | u64 epoch | block hash | u32 voter.
constexpr std::size_t kBodyFixedBytes = 1 + 1 + 8 + 8 + 32 + 4;

Bytes signed_message(const SignedVote& v) {
  Writer w(kVoteDomain.size() + kBodyFixedBytes + v.voter_key.encoded_size());
  w.raw(as_bytes(kVoteDomain));
  w.raw(v.body());
  return w.take();
}

}  // namespace

Bytes SignedVote::body() const {
  Writer w(kBodyFixedBytes + voter_key.encoded_size());
  w.u8(kVoteEncodingVersion);
  w.u8(kind);
  w.u64(height);
  w.u64(epoch);
  w.hash(block_hash);
  w.u32(voter);
  voter_key.encode_to(w);
  return w.take();
}

Hash256 SignedVote::id() const { return sha256(body()); }

std::size_t SignedVote::encoded_size() const {
  return kBodyFixedBytes + voter_key.encoded_size() + signature.encoded_size();
}

void SignedVote::encode_to(Writer& w) const {
  w.raw(body());
  signature.encode_to(w);
}

Bytes SignedVote::encode() const {
  Writer w(encoded_size());
  encode_to(w);
  return w.take();
}

std::optional<SignedVote> SignedVote::decode_from(Reader& r) {
  std::uint8_t version = 0;
  if (!r.u8(version) || version != kVoteEncodingVersion) return std::nullopt;
  SignedVote v;
  r.u8(v.kind);
  r.u64(v.height);
  r.u64(v.epoch);
  r.hash(v.block_hash);
  r.u32(v.voter);
  if (!r.ok()) return std::nullopt;
  std::optional<PublicKey> key = PublicKey::decode_from(r);
  if (!key) return std::nullopt;
  v.voter_key = *key;
  std::optional<Signature> sig = Signature::decode_from(r);
  if (!sig) return std::nullopt;
  v.signature = *sig;
  return v;
}

std::optional<SignedVote> SignedVote::decode(ByteView data) {
  Reader r(data);
  std::optional<SignedVote> v = decode_from(r);
  if (!v || !r.done()) return std::nullopt;
  return v;
}

void sign_vote(SignedVote& vote, const SigningKey& key) {
  vote.voter_key = key.public_key();
  vote.signature = key.sign(signed_message(vote));
}

bool verify_vote(const SignedVote& vote) {
  return verify_signature(vote.voter_key, signed_message(vote), vote.signature);
}

}  // namespace hlsim
