// PBFT's wire messages and their canonical encodings (ledger/encoding.h).
//
// Every vote-like statement is a SignedVote (ledger/vote.h) whose `kind` is a PbftVoteKind:
//   pre-prepare  (height = sequence number, epoch = view, block_hash = the block's hash), signed
//                by the primary of that view: the primary's part of a prepared certificate;
//   prepare, commit (the same fields), signed by a replica;
//   checkpoint   (height = sequence number, epoch = 0, block_hash = hash of the block executed
//                there: the hash chain makes it a digest of the whole state);
//   view-change  (height = the sender's proven head, epoch = the new view, block_hash =
//                SHA-256 of the view-change content): the signature of a VIEW-CHANGE, so the
//                2f+1 of them a NEW-VIEW carries are checked in one verify_votes call together
//                with every certificate inside them.
//
// All integers are little-endian; NodeId is a u32; `votes` is u32 count | count x SignedVote;
// `blocks` is u32 count | count x (u32 length | encoded block). Bodies, by Message::type:
//   pre-prepare  vote (kind pre-prepare) | u32 length | encoded block
//   prepare      vote (kind prepare)
//   commit       vote (kind commit)
//   checkpoint   vote (kind checkpoint)
//   view-change  u32 length | content | auth vote (kind view-change), where
//                content = u64 new_view | u64 head | head hash | votes head_proof |
//                          u32 cert count | count x votes (pre-prepare first, then prepares) |
//                          blocks
//   new-view     u64 view | u32 count | count x (u32 length | view-change body) |
//                votes (the primary's pre-prepare votes for the re-proposed blocks, in order)
//   forward      u32 count | count x encoded transaction
//   fetch        u64 from_height | u64 want_view
//   fetch-reply  u64 replier_head | blocks | votes proof | u8 has_new_view |
//                [u32 length | new-view body]
//
// Decoders reject truncated, trailing or otherwise malformed input with nullopt and never trust a
// count beyond the bytes present. Blocks are only split out here; the receiver decodes and checks
// them through its NodeCrypto.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "consensus/message.h"
#include "ledger/bytes.h"
#include "ledger/transaction.h"
#include "ledger/vote.h"
#include "sim/kernel/ids.h"

namespace hlsim::pbft {

// Message::type values; the order matches pbft_message_type_names().
enum class PbftMessageType : std::uint16_t {
  kPrePrepare = 0,
  kPrepare = 1,
  kCommit = 2,
  kCheckpoint = 3,
  kViewChange = 4,
  kNewView = 5,
  kForward = 6,
  kFetch = 7,
  kFetchReply = 8,
};

const std::vector<std::string>& pbft_message_type_names();

// SignedVote::kind values.
enum class PbftVoteKind : std::uint8_t {
  kPrePrepare = 1,
  kPrepare = 2,
  kCommit = 3,
  kCheckpoint = 4,
  kViewChange = 5,
};

constexpr std::uint8_t vote_kind(PbftVoteKind k) { return static_cast<std::uint8_t>(k); }

struct PrePrepare {
  SignedVote vote;  // kind pre-prepare, signed by the primary of vote.epoch
  Bytes block;      // the encoded block
};

// A prepared certificate (§4.2 "prepared"): the primary's pre-prepare and at least 2f prepares
// from distinct backups, all for the same (view, sequence number, block hash).
struct PreparedCert {
  SignedVote pre_prepare;
  std::vector<SignedVote> prepares;
  Height seq() const { return pre_prepare.height; }
  std::uint64_t view() const { return pre_prepare.epoch; }
  const Hash256& hash() const { return pre_prepare.block_hash; }
};

// VIEW-CHANGE(v+1, proven head, P) (§4.4), adapted to a hash chain: instead of the stable
// checkpoint alone it proves the highest block the sender knows final (`head`, with 2f+1 commit
// or checkpoint votes: head_proof), then carries its highest-view prepared certificate for each
// sequence number above it, and the blocks of those certificates' chains down to head + 1.
struct ViewChange {
  std::uint64_t new_view = 0;
  Height head = 0;
  Hash256 head_hash;  // zero for head 0 (genesis), with an empty proof
  std::vector<SignedVote> head_proof;
  std::vector<PreparedCert> certs;  // increasing sequence numbers
  std::vector<Bytes> blocks;        // encoded
  SignedVote auth;                  // kind view-change over SHA-256(content())

  // The canonical content the auth vote signs (everything but `auth`).
  Bytes content() const;
};

struct NewView {
  std::uint64_t view = 0;
  std::vector<Bytes> view_changes;       // view-change message bodies, as the senders signed them
  std::vector<SignedVote> pre_prepares;  // O: the re-proposals, in increasing sequence order
};

struct Forward {
  std::vector<TxRef> txs;
};

struct Fetch {
  Height from_height = 1;
  std::uint64_t want_view = 0;  // > 0: send your NEW-VIEW if your view is at least this
  bool operator==(const Fetch&) const = default;
};

struct FetchReply {
  Height replier_head = 0;
  std::vector<Bytes> blocks;      // consecutive heights from the fetch's from_height
  std::vector<SignedVote> proof;  // 2f+1 commit or checkpoint votes for the last block
  std::optional<Bytes> new_view;  // a new-view body
};

Message encode_message(const PrePrepare& m);
// kind must be kPrepare, kCommit or kCheckpoint.
Message encode_vote_message(PbftMessageType type, const SignedVote& vote);
Message encode_message(const ViewChange& m);
Message encode_message(const NewView& m);
Message encode_message(const Forward& m);
Message encode_message(const Fetch& m);
Message encode_message(const FetchReply& m);

std::optional<PrePrepare> decode_pre_prepare(ByteView body);
std::optional<SignedVote> decode_vote_message(ByteView body);
std::optional<ViewChange> decode_view_change(ByteView body);
std::optional<NewView> decode_new_view(ByteView body);
std::optional<Forward> decode_forward_message(ByteView body);
std::optional<Fetch> decode_fetch(ByteView body);
std::optional<FetchReply> decode_fetch_reply(ByteView body);

}  // namespace hlsim::pbft
