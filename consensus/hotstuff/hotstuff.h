// Chained HotStuff (Yin, Malkhi, Reiter, Gueta & Abraham, "HotStuff: BFT Consensus with Linearity
// and Responsiveness", PODC 2019, §5 Algorithm 3 / §6 Algorithm 4) as a pure state machine: one
// instance per validator, n = 3f + 1, driven only through the Protocol interface. This file is the
// glue between the safety rules (hotstuff_core.h), the pacemaker (hotstuff_pacemaker.h), the
// mempool (hotstuff_mempool.h), vote collection (hotstuff_quorum.h) and the wire
// (hotstuff_messages.h).
//
// Normal case, one block per view: the leader of view v (v mod n) seals a block extending the
// block its highQC certifies (header.epoch = v, height = parent height + 1) and broadcasts it with
// that QC as justify. A replica checks the block, verifies the justify QC (one verify_votes call),
// applies it (highQC, lock, three-chain commit: hotstuff_core.h), and, if the voting rule allows,
// sends its signed vote to the leader of view v + 1 only (linear), then enters view v + 1. That
// leader verifies n - f votes for the block in one verify_votes call, forms the QC, and proposes
// the next block on it. A block commits when the QC of its grandchild completes a three-chain
// with consecutive views.
//
// When to propose: the leader of the current view proposes once it holds a QC for the previous
// view or new-view messages from n - f validators (extending the highest QC they and it know),
// and only if there is something to order: a pending transaction (new ones go into the block;
// when all are in uncommitted ancestors the block is empty and only drives the three-chain), or
// a commit of transactions that the other validators learn only from this proposal's justify
// (the QC this leader just formed). Otherwise it idles without a block and without a timer (see
// the pacemaker's idle rule); the first transaction to arrive starts it again.
//
// View change (§4.4): a validator with pending work whose view times out sends the next leader a
// NEW-VIEW with its highQC, signed, and its last vote, and moves on (hotstuff_pacemaker.h). The
// next leader proposes once n - f validators (itself included) sent one, on the highest QC among
// them; the votes they carry for the block the failed leader was to certify are counted too, so
// that leader's QC is recovered when n - f of them voted for that block. (Without that, the QC of
// the view before a crashed leader's is lost with it, and since every commit needs three
// certified consecutive views plus the leader that certifies the third, a single crashed
// validator in n = 4 would stop every commit: it is among any four consecutive leaders.) A
// validator votes by the voting rule alone, even for a view its timers already left behind, so one
// that was cut off and ran ahead still helps the others form quorums.
//
// Missing blocks and catch-up: a QC whose block (or an ancestor of it above the committed chain)
// is unknown waits while the node fetches the blocks from a peer (the proposer, the voter, the
// new-view's sender first, then the others in turn), newest first: each arriving block is
// authenticated by the hash its child or the verified QC names. A restarted node also asks a
// peer for its highQC (fetch with a zero target) and the blocks under it, so it catches up even
// when nothing is being proposed; committed blocks reach its ledger through the ordinary
// three-chain rule, proven by the QC that completes it. A leader that idles answers a new-view
// carrying an older QC than its own with the same reply, so a straggler that missed the last
// proposal commits what the others did.
//
// What survives a restart (hard state, the few bytes a deployment writes to disk before voting):
// the current view, the last voted view and the locked block (hash, height, view). Everything
// else (block tree, highQC, votes, new-views, mempool, fetches, timers) is volatile. With durable
// storage the committed chain survives in ctx.ledger(); with memory storage the node starts from
// an empty ledger and catches up as above. It never votes in a view at or below its last voted
// view, and it votes only by the kept lock, so catching up cannot make it contradict a vote it
// cast before the crash.
//
// Equivocation (Behavior::kEquivocate, `equivocate`): as leader it seals two different blocks for
// its view, both extending its highQC (one with the pending transactions, one empty), and sends
// the first to validators [0, n/2) and the second to the rest (nothing to split when it has no new
// transactions: then it sends one block). When it holds two QCs of the highest view for different
// blocks (possible only when more than f validators equivocate), the second block extends the
// other one, so each fork grows. As replica it votes for every valid proposal it sees, ignoring
// the voting rule (lock and one vote per view).
//
// Not thread-safe; one instance is driven by one node's jobs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "consensus/hotstuff/hotstuff_core.h"
#include "consensus/hotstuff/hotstuff_mempool.h"
#include "consensus/hotstuff/hotstuff_messages.h"
#include "consensus/hotstuff/hotstuff_pacemaker.h"
#include "consensus/hotstuff/hotstuff_params.h"
#include "consensus/hotstuff/hotstuff_quorum.h"
#include "consensus/protocol.h"

namespace hlsim {

class HotStuff final : public Protocol {
 public:
  // Timer tags (Context::set_timer's tag argument).
  static constexpr std::uint64_t kViewTimer = hotstuff::Pacemaker::kViewTimerTag;
  static constexpr std::uint64_t kGossipTimer = 2;
  static constexpr std::uint64_t kRegossipTimer = 3;
  static constexpr std::uint64_t kFetchTimer = 4;

  // REQUIRES: params.check() ok, nodes >= 4, self < nodes.
  HotStuff(const HotStuffParams& params, NodeId self, std::uint32_t nodes, bool equivocate = false);

  void start(Context& ctx) override;
  void on_transaction(Context& ctx, const TxRef& tx) override;
  void on_message(Context& ctx, NodeId from, const Message& msg) override;
  void on_timer(Context& ctx, TimerId id, std::uint64_t tag) override;
  void on_restart(Context& ctx, bool storage_lost) override;

  std::uint64_t epoch() const override { return pacemaker_.view(); }
  bool is_leader() const override { return pacemaker_.leader(pacemaker_.view()) == self_; }

  // Introspection for tests and observers.
  const hotstuff::Core& core() const { return core_; }
  const hotstuff::Pacemaker& pacemaker() const { return pacemaker_; }
  const hotstuff::Mempool& mempool() const { return mempool_; }
  const HotStuffParams& params() const { return params_; }
  std::uint32_t quorum() const { return nodes_ - max_faulty_; }
  std::uint32_t max_faulty() const { return max_faulty_; }
  NodeId leader_of(std::uint64_t view) const { return pacemaker_.leader(view); }
  bool equivocates() const { return equivocate_; }
  // Blocks this node wants from its peers (missing ancestors of certified blocks).
  std::size_t wanted_blocks() const { return wanted_.size(); }
  // Messages waiting for missing blocks.
  std::size_t deferred() const { return deferred_.size(); }

 private:
  // Something that waits for a missing block: a proposal, or a QC (from votes, a new-view or a
  // fetch-reply). Its QC is already verified.
  struct Deferred {
    BlockRef block;  // null for a bare QC
    hotstuff::QuorumCert qc;
    NodeId from = 0;
    Hash256 needs;  // the missing block it waits for
  };
  struct Wanted {
    Height height = 0;
    NodeId hint = 0;  // a peer that should have it
    std::uint32_t tries = 0;
  };
  enum class QcResult : std::uint8_t { kApplied, kDeferred, kRejected };

  // Message handlers.
  // `m` is msg's body, decoded; its block lies within that body.
  void handle_proposal(Context& ctx, NodeId from, const Message& msg, const hotstuff::Proposal& m);
  void on_proposal(Context& ctx, NodeId from, const BlockRef& block,
                   const hotstuff::QuorumCert& justify, bool justify_verified);
  void handle_vote(Context& ctx, NodeId from, const SignedVote& vote);
  void handle_new_view(Context& ctx, NodeId from, const hotstuff::NewView& m);
  void handle_tx_gossip(Context& ctx, const hotstuff::TxGossip& m);
  void handle_fetch(Context& ctx, NodeId from, const hotstuff::Fetch& m);
  void handle_fetch_reply(Context& ctx, NodeId from, const hotstuff::FetchReply& m);

  // Certificates.
  // Structure and signatures (one verify_votes call), skipped for a QC verified before.
  bool check_qc(Context& ctx, const hotstuff::QuorumCert& qc);
  bool qc_known(const hotstuff::QuorumCert& qc) const;
  void remember_qc(const hotstuff::QuorumCert& qc);
  // Applies a verified QC, or waits for its block (fetching it from `hint` first).
  QcResult accept_qc(Context& ctx, const hotstuff::QuorumCert& qc, NodeId hint);
  void accept_or_defer(Context& ctx, const hotstuff::QuorumCert& qc, NodeId hint);
  void count_vote(Context& ctx, const SignedVote& vote, bool own, NodeId hint);
  void commit(Context& ctx, const std::vector<BlockRef>& blocks, std::uint64_t qc_view);

  // Proposing and voting.
  void maybe_propose(Context& ctx);
  void extend_late_fork(Context& ctx);
  void own_proposal(Context& ctx, const BlockRef& block, const hotstuff::QuorumCert& justify);
  void cast_vote(Context& ctx, const Block& block);
  // The block's transactions are new: not repeated, not committed, not in its ancestors.
  bool txs_valid(const Block& block, const Chain& ledger) const;
  void send_block(Context& ctx, NodeId to, const BlockRef& block,
                  const hotstuff::QuorumCert& justify);

  // Views.
  void enter_view(Context& ctx, std::uint64_t view, bool certified);
  void view_timed_out(Context& ctx);

  // Block retrieval.
  void want(const Hash256& hash, Height height, NodeId hint, const Chain& ledger);
  void defer(Deferred d, const Chain& ledger);
  void retry_deferred(Context& ctx);
  void issue_fetch(Context& ctx);
  void fetch_timed_out();
  // Blocks from `top` down to just above `low_height`, at most fetch_max_blocks.
  hotstuff::FetchReply chain_reply(Context& ctx, const BlockRef& top, Height low_height,
                                   std::vector<Bytes>& encodings) const;
  NodeId next_peer(NodeId after) const;

  // Mempool gossip.
  void gossip(Context& ctx);
  void regossip(Context& ctx);

  // Runs after every input: retries deferred work, proposes, re-arms or cancels timers, fetches.
  void settle(Context& ctx);
  void reset_volatile(Context& ctx);
  bool has_work() const { return !mempool_.empty(); }

  const HotStuffParams params_;
  const NodeId self_;
  const std::uint32_t nodes_;
  const std::uint32_t max_faulty_;
  const bool equivocate_;

  // Safety rules and block tree; the lock and last voted view in it are hard state.
  hotstuff::Core core_;
  // Leader rotation, view (hard state), back-off, new-views, view timer.
  hotstuff::Pacemaker pacemaker_;
  hotstuff::Mempool mempool_;
  hotstuff::VoteCollector votes_;

  // Volatile state.
  std::optional<SignedVote> last_vote_;  // the highest-view vote cast, for new-views
  // Equivocator only: a second QC of highQC's view, for another block (a fork to extend too).
  std::optional<hotstuff::QuorumCert> alt_qc_;
  std::set<Hash256> extended_;           // equivocator: blocks it extended in proposed_view_
  std::uint64_t proposed_view_ = 0;      // the last view this node proposed in
  std::uint64_t noted_view_ = 0;         // the last view reported through note_leader
  std::uint64_t tx_commit_qc_view_ = 0;  // view of the QC that last committed transactions
  // Blocks whose QC this node verified: hash -> (height, view).
  std::map<Hash256, std::pair<Height, std::uint64_t>> verified_qcs_;
  std::vector<Deferred> deferred_;
  bool blocks_added_ = false;
  std::map<Hash256, Wanted> wanted_;
  struct InFlight {
    Hash256 target;  // zero: a highQC request
    NodeId peer = 0;
  };
  std::optional<InFlight> fetch_;
  bool sync_needed_ = false;  // after a restart: ask a peer for its highQC
  NodeId sync_peer_ = 0;
  std::uint32_t sync_tries_ = 0;
  std::optional<TimerId> fetch_timer_;
  std::optional<TimerId> gossip_timer_;
  std::optional<TimerId> regossip_timer_;
};

}  // namespace hlsim
