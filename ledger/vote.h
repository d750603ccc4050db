// A validator's signed vote for a block: the unit from which BFT protocols (PBFT's prepare and
// commit, HotStuff's and Tendermint's votes) build quorum certificates.
//
// Canonical encoding (version 1), integers little-endian:
//   body     = u8 version | u8 kind | u64 height | u64 epoch | 32-byte block hash | u32 voter |
//              voter public key (u8 scheme + key bytes)
//   encoding = body | signature (u8 length + bytes)
// The id is SHA-256(body). The voter signs "hlsim-vote-v1" || body: the prefix keeps a vote
// signature from ever verifying as a transaction's or a block's, whatever the body bytes.
// `kind` is protocol-defined (e.g. prepare = 1, commit = 2); the ledger only carries it.
#pragma once

#include <cstdint>
#include <optional>

#include "ledger/bytes.h"
#include "ledger/crypto/signature.h"
#include "sim/kernel/ids.h"

namespace hlsim {

class Writer;
class Reader;

inline constexpr std::uint8_t kVoteEncodingVersion = 1;

struct SignedVote {
  std::uint8_t kind = 0;
  Height height = 0;
  std::uint64_t epoch = 0;  // view / round
  Hash256 block_hash;       // zero for a vote for "no block" (nil)
  NodeId voter = 0;
  PublicKey voter_key;
  Signature signature;

  Bytes body() const;
  Hash256 id() const;  // SHA-256(body())
  Bytes encode() const;
  std::size_t encoded_size() const;
  void encode_to(Writer& w) const;
  // nullopt on malformed, truncated or (for decode) trailing input.
  static std::optional<SignedVote> decode(ByteView data);
  static std::optional<SignedVote> decode_from(Reader& r);
};

// Fills voter_key and signature. The other fields must be set.
void sign_vote(SignedVote& vote, const SigningKey& key);
// True when the signature verifies under voter_key. (Whether voter_key belongs to `voter` is the
// protocol's membership check.)
bool verify_vote(const SignedVote& vote);

}  // namespace hlsim
