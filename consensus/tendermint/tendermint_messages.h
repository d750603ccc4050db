// Tendermint's wire messages and their canonical encodings (ledger/encoding.h).
//
// All integers are little-endian. Bodies, by Message::type:
//   proposal     u64 height | u64 round | i64 valid_round | u32 length | encoded block |
//                signature (u8 length + bytes)
//   prevote      SignedVote encoding (kind 1, epoch = round, block hash or zero for nil)
//   precommit    SignedVote encoding (kind 2, epoch = round, block hash or zero for nil)
//   tx-gossip    u32 count | count x encoded transaction
//   fetch        u64 from_height
//   commit-sync  u64 sender_height | u32 length | encoded block | u32 count | count x SignedVote
// A proposal is PROPOSAL(h, r, v, validRound) of Algorithm 1, signed by proposer(h, r) over
// proposal_sign_bytes() (as Tendermint Core signs its Proposal); valid_round is -1 for none.
// commit-sync carries a committed block with the precommits that decided it (its commit
// certificate) and the sender's committed height; fetch asks a peer for the committed blocks from
// a height on.
//
// Decoders reject truncated, trailing or otherwise malformed input with nullopt and never trust a
// length or count beyond the bytes actually present. Blocks are only split out here (as views into
// the message body); they are decoded and checked by the receiver through its NodeCrypto.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "consensus/message.h"
#include "ledger/bytes.h"
#include "ledger/crypto/signature.h"
#include "ledger/transaction.h"
#include "ledger/vote.h"
#include "sim/kernel/ids.h"

namespace hlsim {

// Message::type values; the order matches tendermint_message_type_names().
enum class TendermintMessageType : std::uint16_t {
  kProposal = 0,
  kPrevote = 1,
  kPrecommit = 2,
  kTxGossip = 3,
  kFetch = 4,
  kCommitSync = 5,
};

const std::vector<std::string>& tendermint_message_type_names();

// SignedVote::kind of Tendermint's two votes.
enum class VoteKind : std::uint8_t { kPrevote = 1, kPrecommit = 2 };

inline constexpr std::int64_t kNoRound = -1;

struct Proposal {
  Height height = 0;
  std::uint64_t round = 0;
  std::int64_t valid_round = kNoRound;
  ByteView block;  // the encoded block (a view into the message body, or the caller's bytes)
  Signature signature;
};

struct CommitSync {
  Height sender_height = 0;  // the sender's committed height when it sent this
  ByteView block;            // encoded block
  std::vector<SignedVote> precommits;
};

// What proposer(h, r) signs: a domain prefix, h, r, valid_round and the block's hash.
Bytes proposal_sign_bytes(Height height, std::uint64_t round, std::int64_t valid_round,
                          const Hash256& block_hash);

Message encode_proposal(const Proposal& m);
// Prevote or precommit (by vote.kind). REQUIRES: vote.kind is a VoteKind.
Message encode_vote(const SignedVote& vote);
Message encode_tx_gossip(const std::vector<TxRef>& txs);
Message encode_fetch(Height from_height);
Message encode_commit_sync(const CommitSync& m);

std::optional<Proposal> decode_proposal(ByteView body);
// The vote in a prevote / precommit body; nullopt unless its kind matches `type`.
std::optional<SignedVote> decode_vote(TendermintMessageType type, ByteView body);
std::optional<std::vector<TxRef>> decode_tx_gossip(ByteView body);
std::optional<Height> decode_fetch(ByteView body);
std::optional<CommitSync> decode_commit_sync(ByteView body);

// The height an encoded block's header claims, read without decoding the block (a cheap filter
// before the real, charged decode); nullopt when too short.
std::optional<Height> peek_block_height(ByteView encoded_block);

}  // namespace hlsim
