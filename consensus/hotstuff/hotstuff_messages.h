// Chained HotStuff's wire messages and their canonical encodings (ledger/encoding.h).
//
// All integers are little-endian; a NodeId is a u32; a vote is a SignedVote (ledger/vote.h).
//   qc           u64 view | u64 height | 32-byte block hash | u32 count | count x SignedVote
//   proposal     u32 length | encoded block | qc justify
//   vote         SignedVote (kind kVote, epoch = the block's view, height, block hash)
//   new-view     u64 view | u64 committed height | qc high_qc | SignedVote timeout |
//                u8 has_vote | [SignedVote last vote]
//   tx-gossip    u32 count | count x encoded transaction
//   fetch        32-byte target hash | u64 target height | u64 low height
//   fetch-reply  u8 has_qc | [qc] | u32 count | count x (u32 length | encoded block)
// A quorum certificate (QC) certifies the block `block_hash` at `height` proposed in `view` with
// the n - f votes of distinct validators; the genesis QC (view 0, height 0, zero hash, no votes)
// certifies the implicit genesis block. A new-view's timeout vote (kind kTimeoutKind) is the
// sender's signature over (view, high_qc's height and block hash): it authenticates the timeout and
// binds the QC the sender reports. A new-view also carries the sender's last vote (as LibraBFT's
// timeout messages do), so the leader after a failed one can still form the QC the failed leader
// was to collect. A fetch asks for the block `target` and its ancestors above `low
// height` (the zero hash asks for the peer's highest QC and its block instead); the reply carries
// them from the top down, so each block is authenticated by the hash its child (or the QC) names.
//
// Decoders reject truncated, trailing or otherwise malformed input with nullopt and never trust a
// length or count beyond the bytes actually present. Blocks are only split out here (as views into
// the message body, valid as long as it is); the receiver decodes and checks them through its
// NodeCrypto.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "consensus/message.h"
#include "ledger/bytes.h"
#include "ledger/transaction.h"
#include "ledger/vote.h"
#include "sim/kernel/ids.h"

namespace hlsim {

// Message::type values; the order matches hotstuff_message_type_names().
enum class HotStuffMessageType : std::uint16_t {
  kProposal = 0,
  kVote = 1,
  kNewView = 2,
  kTxGossip = 3,
  kFetch = 4,
  kFetchReply = 5,
};

const std::vector<std::string>& hotstuff_message_type_names();

// The wire types and codec live in their own namespace: other protocols have proposals, votes
// and fetches of their own.
namespace hotstuff {

// SignedVote::kind values.
inline constexpr std::uint8_t kVoteKind = 1;     // a vote for a proposed block
inline constexpr std::uint8_t kTimeoutKind = 2;  // a new-view's timeout signature

// The votes of a certificate, shared by its copies: a certificate is copied into the state of
// every validator that accepts it (n - f votes, 667 at 1,000 validators), and a copy costs one
// reference count instead of the votes. Appending to a list another copy shares copies it first.
// Single-threaded, like the protocol that holds it.
class VoteList {
 public:
  using const_iterator = std::vector<SignedVote>::const_iterator;

  std::size_t size() const { return votes_ ? votes_->size() : 0; }
  bool empty() const { return size() == 0; }
  const SignedVote& operator[](std::size_t i) const { return (*votes_)[i]; }
  const_iterator begin() const { return votes_ ? votes_->cbegin() : const_iterator{}; }
  const_iterator end() const { return votes_ ? votes_->cend() : const_iterator{}; }
  operator std::span<const SignedVote>() const {  // NOLINT(google-explicit-constructor)
    return votes_ ? std::span<const SignedVote>(*votes_) : std::span<const SignedVote>();
  }
  void push_back(const SignedVote& vote) { own().push_back(vote); }
  void reserve(std::size_t n) { own().reserve(n); }

 private:
  std::vector<SignedVote>& own() {
    if (!votes_) {
      votes_ = std::make_shared<std::vector<SignedVote>>();
    } else if (votes_.use_count() > 1) {
      votes_ = std::make_shared<std::vector<SignedVote>>(*votes_);
    }
    return *votes_;
  }
  std::shared_ptr<std::vector<SignedVote>> votes_;
};

struct QuorumCert {
  std::uint64_t view = 0;
  Height height = 0;
  Hash256 block_hash;
  VoteList votes;

  bool is_genesis() const { return view == 0 && height == 0 && block_hash.is_zero(); }
  void encode_to(class Writer& w) const;
  static std::optional<QuorumCert> decode_from(class Reader& r);
};

struct Proposal {
  ByteView block;  // encoded block (a view into the message body when decoded)
  QuorumCert justify;
};

struct NewView {
  std::uint64_t view = 0;  // the view the sender enters
  Height committed_height = 0;
  QuorumCert high_qc;
  SignedVote timeout;
  std::optional<SignedVote> last_vote;
};

struct TxGossip {
  std::vector<TxRef> txs;
};

struct Fetch {
  Hash256 target;  // zero: "your highest QC and its block"
  Height target_height = 0;
  Height low_height = 0;  // the requester holds the committed chain up to here
  bool operator==(const Fetch&) const = default;
};

struct FetchReply {
  std::optional<QuorumCert> qc;
  std::vector<ByteView> blocks;  // encoded, from the highest down
};

Message encode_message(const Proposal& m);
Message encode_message(const SignedVote& vote);
Message encode_message(const NewView& m);
Message encode_message(const TxGossip& m);
Message encode_message(const Fetch& m);
Message encode_message(const FetchReply& m);

std::optional<Proposal> decode_proposal(ByteView body);
std::optional<SignedVote> decode_vote(ByteView body);
std::optional<NewView> decode_new_view(ByteView body);
std::optional<TxGossip> decode_tx_gossip(ByteView body);
std::optional<Fetch> decode_fetch(ByteView body);
std::optional<FetchReply> decode_fetch_reply(ByteView body);

}  // namespace hotstuff
}  // namespace hlsim
