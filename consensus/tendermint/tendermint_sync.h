// Catching up: commit certificates and the bookkeeping of block transfer between validators.
//
// Every committed block is kept with its commit certificate: the 2f+1 (or more) precommits of one
// round for its hash that decided it (Tendermint Core's "seen commit", stored with the block). A
// node that lacks committed blocks gets them from a peer as commit-sync messages (block plus
// certificate) and commits each only after verifying its certificate in one verify_votes call.
// Two ways lead there:
//   * pull: a node that sees a message from a height above its own, or that restarted without its
//     chain, sends `fetch(from)` to one peer, which answers with up to max_sync_blocks
//     commit-syncs; the node fetches again when they are used up and it knows of more, and asks
//     the next peer when a request brings nothing within gossip_retry;
//   * push: a node that receives a message of a height it has already committed (and not just a
//     late precommit during its commit wait) sends the sender that height's commit-sync, at most
//     once per gossip_retry per peer and height.
// Commit-syncs that arrive ahead of the node's next height wait in a small buffer.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "consensus/context.h"
#include "consensus/message.h"
#include "consensus/tendermint/tendermint_timing.h"
#include "ledger/block.h"
#include "ledger/vote.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/time.h"

namespace hlsim {

struct CommitCertificate {
  Round round = 0;
  std::vector<SignedVote> precommits;  // distinct voters, all for the block, in voter order
};

// The certificate `precommits` forms for `block`, if it proves the block decided: at least
// quorum(nodes) distinct validators' valid precommits for (block height, one round, block hash).
// Votes for anything else are ignored; the rest are verified in ONE verify_votes call.
std::optional<CommitCertificate> verify_commit(NodeCrypto& crypto, const Block& block,
                                               std::span<const SignedVote> precommits,
                                               std::uint32_t nodes);

class BlockSync {
 public:
  // At most this many heights past the next one are buffered.
  static constexpr Height kBufferWindow = 64;

  // ---- Certificates of committed blocks ------------------------------------------------------
  void store(Height height, CommitCertificate certificate);
  const CommitCertificate* certificate(Height height) const;
  // A late precommit (already verified) for a committed height: added when it matches the
  // certificate's round and block and its voter is new.
  void add_precommit(Height height, const Hash256& block_hash, const SignedVote& vote);
  bool wants_precommit(Height height, const Hash256& block_hash, const SignedVote& vote) const;
  // With the chain (storage lost).
  void forget_certificates() { certificates_.clear(); }

  // ---- Commit-syncs ahead of the chain -------------------------------------------------------
  // Keeps a commit-sync for `height` (> next) until its turn; one per height.
  void buffer(Height height, Height next, Message msg);
  // The buffered commit-sync for `height`, removed; nullopt when none.
  std::optional<Message> take(Height height);
  void drop_below(Height next);

  // ---- What peers have -----------------------------------------------------------------------
  // A peer has committed up to `height`.
  void saw_committed(Height height) { max_seen_ = std::max(max_seen_, height); }
  Height max_seen() const { return max_seen_; }

  // ---- Pull ----------------------------------------------------------------------------------
  struct Fetch {
    NodeId peer = 0;
    Height from = 0;
    Height to = 0;  // the last height the request can bring
    TimeNs sent_ns = 0;
  };
  const std::optional<Fetch>& outstanding() const { return fetch_; }
  void fetched(Fetch f) { fetch_ = f; }
  void fetch_done() { fetch_.reset(); }
  // The peer to ask after `peer` (round robin over the others).
  static NodeId next_peer(NodeId peer, NodeId self, std::uint32_t nodes);

  // ---- Push ----------------------------------------------------------------------------------
  // True (and recorded) when `peer` may be sent height `height` now.
  bool may_push(NodeId peer, Height height, TimeNs now, TimeNs retry);

  // Volatile state (buffer, outstanding fetch, push records, max_seen) after a restart.
  void reset_volatile();

 private:
  std::map<Height, CommitCertificate> certificates_;
  std::map<Height, Message> buffered_;
  Height max_seen_ = 0;
  std::optional<Fetch> fetch_;
  struct Pushed {
    Height height = 0;
    TimeNs at = 0;
  };
  std::map<NodeId, Pushed> pushed_;
};

}  // namespace hlsim
