// PBFT (Castro & Liskov, "Practical Byzantine Fault Tolerance", OSDI 1999, and "Practical
// Byzantine Fault Tolerance and Proactive Recovery", TOCS 2002) as a pure state machine over a
// hash chain of blocks: one instance per validator, driven only through the Protocol interface.
// Section numbers cite the OSDI paper.
//
// Normal case (§4.2). n = 3f+1 replicas (any n >= 4 works with quorum q = ceil((n+f+1)/2), 2f+1
// when n = 3f+1); the primary of view v is v mod n; the sequence number is the block height. The
// primary batches client transactions into a block (max_block_tx / max_block_bytes, or
// batch_timeout after the first queued one) and broadcasts PRE-PREPARE(v, n, block) carrying its
// signed pre-prepare vote. A backup accepts it when it is in view v, n lies within the watermarks
// (low, low + log_window], it accepted no other block at (v, n), the block decodes with height n,
// and the block chains onto the block it accepted at (v, n-1) — or onto the block at n-1 when
// that one is final for it (executed, or proven by 2f+1 commit / checkpoint votes) — and repeats
// no transaction of the committed chain or of those uncommitted ancestors. It then broadcasts a
// signed PREPARE. Prepared = the pre-prepare plus 2f matching prepares from distinct backups (its
// own included); a prepared replica broadcasts a signed COMMIT, and 2f+1 matching commits are a
// commit certificate: the block and, through the hash chain, all its ancestors are final. Blocks
// are executed (Context::commit) in height order as soon as a finality proof reaches them.
// Pipelining: the primary keeps up to max_inflight_blocks pre-prepared and not yet executed
// blocks; pre-prepares that arrive before their parent wait in a buffer, as do messages for a
// view this replica has not installed yet.
//
// Checkpoints (§4.3): after executing a multiple of checkpoint_interval a replica broadcasts a
// signed CHECKPOINT for that block's hash; 2f+1 matching ones make it stable (a finality proof),
// move the low watermark and garbage-collect the log below it.
//
// View change (§4.4, adapted to a hash chain: see pbft_view_change.h for the rule and the
// argument). A backup starts its view-change timer when it holds a client transaction or an
// accepted pre-prepare that is not yet executed, and restarts it when that one executes while
// another waits; on expiry it broadcasts the transactions it is waiting for to every replica (as
// a PBFT client retransmits to all, so the others start their timers too) and sends
// VIEW-CHANGE(v+1). A replica also joins when f+1 others ask for higher views (it picks the
// smallest view that f+1 of them reached). With 2f+1 VIEW-CHANGEs for its view a replica starts a
// timer of view_change_timeout * 2^attempts; if no valid NEW-VIEW arrives in time it moves on to
// the next view (§4.5.2). The new primary broadcasts NEW-VIEW(V, O); each replica re-checks every
// signature in it in one verify_votes call, recomputes O from V and installs the view.
// Retransmission (the papers assume it): a replica in a view change re-sends its VIEW-CHANGE every
// view_change_timeout until 2f+1 are in; a replica that receives a VIEW-CHANGE for a view it has
// installed (as its primary) answers with the NEW-VIEW, and one that has moved past that view
// answers with the VIEW-CHANGE it had sent for it. A replica that left a view stops voting there
// but still collects that view's commits and blocks, so it keeps executing what the others commit
// (a replica that timed out alone does not fall behind); while no primary is known it hands new
// client transactions to every replica.
//
// Transactions. Each node keeps the client transactions it accepted until they appear in an
// executed block, forwards them to the primary (message "forward"), and forwards them again to
// each new primary; the primary drops transactions already in the chain, in its in-flight blocks
// or in its queue.
//
// State transfer. A replica that learns that blocks above its chain are final (2f+1 commits or
// checkpoints it cannot execute for lack of blocks, f+1 checkpoints above it, a NEW-VIEW floor
// above it, f+1 replicas voting above its high watermark, or a restart) broadcasts FETCH after
// fetch_retry (at once after a restart); replicas answer with executed blocks from the requested
// height up to one for which they hold a finality proof (2f+1 commit or checkpoint votes), which
// the fetcher checks (one verify_votes call) before executing the run. FETCH also asks for the
// replier's NEW-VIEW when f+1 replicas were seen in a view this one has not installed.
//
// Persistent state. Hard state (kept across every restart): the view, whether a view change is
// under way, and the highest sequence number this replica ever signed a pre-prepare, prepare or
// commit for. With durable storage the whole message log also survives (accepted pre-prepares,
// votes, prepared certificates, blocks, finality proofs, checkpoints, the last NEW-VIEW). A
// replica restarted with storage lost is recovering: it fetches the chain and signs no
// pre-prepare, prepare, commit or view-change until its chain reaches that highest sequence
// number — it might otherwise sign a second block at a sequence number it already voted for, or
// send a VIEW-CHANGE omitting a certificate a commit relied on. Volatile: pending transactions,
// the primary's queue, timers, buffers.
//
// Equivocation (Behavior::kEquivocate): as primary, each fresh block goes to validators
// [n/2, n) while an empty block for the same (view, height, parent) goes to [0, n/2), and the
// primary commits both at once; as replica, it prepares and commits every pre-prepare it receives
// and every (view, sequence number, hash) it sees another replica prepare, whether or not it holds
// the block.
//
// Not thread-safe; one instance is driven by one node's jobs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "consensus/pbft/pbft_messages.h"
#include "consensus/pbft/pbft_params.h"
#include "consensus/pbft/pbft_view_change.h"
#include "consensus/protocol.h"

namespace hlsim {

class Pbft final : public Protocol {
 public:
  // Timer tags (Context::set_timer's tag argument).
  static constexpr std::uint64_t kViewChangeTimer = 1;
  static constexpr std::uint64_t kBatchTimer = 2;
  static constexpr std::uint64_t kFetchTimer = 3;

  // REQUIRES: params.check() ok, self < nodes.
  Pbft(const PbftParams& params, NodeId self, std::uint32_t nodes, bool equivocate = false);

  void start(Context& ctx) override;
  void on_transaction(Context& ctx, const TxRef& tx) override;
  void on_message(Context& ctx, NodeId from, const Message& msg) override;
  void on_timer(Context& ctx, TimerId id, std::uint64_t tag) override;
  void on_restart(Context& ctx, bool storage_lost) override;

  std::uint64_t epoch() const override { return view_; }
  bool is_leader() const override { return !in_view_change_ && quorum_.primary(view_) == self_; }

  // Introspection for tests and observers.
  std::uint64_t view() const { return view_; }
  bool in_view_change() const { return in_view_change_; }
  NodeId primary() const { return quorum_.primary(view_); }
  const pbft::PbftQuorum& quorum() const { return quorum_; }
  Height low_watermark() const { return low_; }
  std::size_t pending_count() const { return pending_.size(); }
  bool recovering() const { return recovering_; }
  Height max_voted_seq() const { return max_voted_seq_; }
  const PbftParams& params() const { return params_; }
  // The highest sequence number with a pre-prepare accepted in the current view (0 if none).
  Height last_accepted() const { return accepted_.empty() ? 0 : accepted_.rbegin()->first; }
  // True when this replica holds a prepared certificate for (seq, hash) from any view.
  bool has_prepared(Height seq, const Hash256& hash) const;

 private:
  using VoteKey = std::tuple<Height, std::uint64_t, Hash256>;  // (seq, view, hash)
  using VoteSet = std::map<NodeId, SignedVote>;

  struct Accepted {
    SignedVote pre_prepare;
    BlockRef block;
    bool prepared = false;
  };
  struct Buffered {
    SignedVote pre_prepare;
    BlockRef block;
  };
  struct Pending {
    TxRef tx;
    bool broadcast = false;  // already sent to every replica after a timeout
  };

  // Inputs.
  void handle_pre_prepare(Context& ctx, NodeId from, const pbft::PrePrepare& m);
  void handle_vote(Context& ctx, NodeId from, pbft::PbftMessageType type, const SignedVote& vote);
  void handle_checkpoint(Context& ctx, NodeId from, const SignedVote& vote);
  void handle_view_change(Context& ctx, NodeId from, ByteView body);
  // `relayed`: came inside a fetch-reply rather than from the primary itself.
  void handle_new_view(Context& ctx, NodeId from, ByteView body, bool relayed);
  void handle_forward(Context& ctx, NodeId from, const pbft::Forward& m);
  void handle_fetch(Context& ctx, NodeId from, const pbft::Fetch& m);
  void handle_fetch_reply(Context& ctx, NodeId from, const pbft::FetchReply& m);

  // Normal case.
  bool verify_one(Context& ctx, const SignedVote& vote);
  void try_accept_buffered(Context& ctx);
  // Accepts (view_, seq) if every rule holds; returns false when it must wait (parent unknown)
  // and sets `drop` when it can never be accepted.
  bool try_accept(Context& ctx, const SignedVote& pp, const BlockRef& block, bool& drop);
  std::optional<Hash256> base_hash(const Context& ctx, Height seq) const;
  bool txs_fresh(const Context& ctx, const Block& block) const;
  void note_beyond_window(Context& ctx, NodeId from, const SignedVote& vote);
  void check_prepared(Context& ctx, Height seq);
  void note_commit_quorum(Context& ctx, const VoteKey& key);
  void send_vote(Context& ctx, pbft::PbftVoteKind kind, Height seq, std::uint64_t view,
                 const Hash256& hash);
  void equivocate_votes(Context& ctx, Height seq, std::uint64_t view, const Hash256& hash);
  void execute_ready(Context& ctx);
  void execute(Context& ctx, const BlockRef& block);
  void set_low(Height seq, const Hash256& hash);
  void garbage_collect(const Context& ctx);

  // Primary.
  void enqueue(Context& ctx, const TxRef& tx);
  void try_propose(Context& ctx);
  void propose_ready(Context& ctx);
  void propose(Context& ctx, std::vector<TxRef> txs, Height seq, const Hash256& prev);

  // Transactions.
  void add_pending(Context& ctx, const TxRef& tx);
  void forward_pending(Context& ctx, NodeId to, bool all_replicas);

  // View change.
  void start_view_change(Context& ctx, std::uint64_t new_view);
  pbft::CheckedViewChange build_view_change(Context& ctx, std::uint64_t new_view, Message& out);
  void check_join(Context& ctx);
  void arm_view_change_wait(Context& ctx);
  void try_send_new_view(Context& ctx);
  void install_view(Context& ctx, std::uint64_t view, const pbft::NewViewPlan& plan,
                    const std::vector<SignedVote>& pre_prepares, Bytes new_view_body);
  void note_peer_view(Context& ctx, NodeId from, std::uint64_t view);

  // State transfer.
  bool behind(const Context& ctx) const;
  void maybe_fetch(Context& ctx);
  // Asks every replica for blocks from the chain's next height (and for its NEW-VIEW when its
  // view is at least max(want_view, want_view_) > 0).
  void send_fetch(Context& ctx, std::uint64_t want_view);
  void raise_fetch_target(Context& ctx, Height height);

  // Timers.
  void update_request_timer(Context& ctx);
  void cancel_timer(Context& ctx, std::optional<TimerId>& timer);
  void note_leader(Context& ctx);
  void reset_volatile();
  void rebuild_committed_ids(const Context& ctx);

  bool is_primary() const { return quorum_.primary(view_) == self_; }
  bool may_sign() const { return !recovering_; }

  const PbftParams params_;
  const NodeId self_;
  const pbft::PbftQuorum quorum_;
  const bool equivocate_;

  // Hard state: survives every restart.
  std::uint64_t view_ = 0;
  bool in_view_change_ = false;
  Height max_voted_seq_ = 0;
  std::uint64_t noted_view_ = 0;  // reporting only
  bool noted_any_ = false;

  // Durable state: the message log (lost with memory storage).
  Height low_ = 0;  // low watermark: the stable checkpoint or a NEW-VIEW floor, proven final
  Hash256 low_hash_;
  std::map<Height, Accepted> accepted_;         // the current view's accepted pre-prepares
  std::map<Height, pbft::PreparedCert> certs_;  // highest-view prepared certificate per seq
  std::map<Hash256, BlockRef> blocks_;          // accepted blocks above the low watermark
  std::map<VoteKey, VoteSet> prepares_;
  std::map<VoteKey, VoteSet> commits_;
  std::map<std::pair<Height, Hash256>, VoteSet> checkpoints_;
  std::map<Height, std::vector<SignedVote>> proofs_;  // finality proofs (commit / checkpoint)
  std::set<std::tuple<std::uint8_t, Height, std::uint64_t, Hash256>> sent_votes_;
  std::optional<Bytes> last_new_view_;  // the NEW-VIEW of the current view, if any

  // Volatile state.
  bool recovering_ = false;
  bool resumed_ = false;  // recovery completed during the current execution run
  std::unordered_set<Hash256, Hash256Hasher> committed_ids_;  // lookups only
  std::map<std::uint64_t, Pending> pending_;                  // by arrival order
  std::map<Hash256, std::uint64_t> pending_seq_;
  std::uint64_t next_pending_seq_ = 0;
  std::vector<TxRef> queue_;  // primary: waiting to be sealed
  std::unordered_set<Hash256, Hash256Hasher> queued_ids_;
  bool batch_due_ = false;
  std::map<std::tuple<std::uint64_t, Height, Hash256>, Buffered> buffer_;  // (view, seq, hash)
  std::map<std::uint64_t, std::map<NodeId, pbft::CheckedViewChange>> view_changes_;  // by new view
  std::map<std::uint64_t, Bytes> own_view_changes_;  // bodies this replica sent, by new view
  std::map<NodeId, std::uint64_t> peer_view_;        // highest installed view seen per peer
  // How many peer_view_ entries are >= ahead_view_ (note_peer_view's count, kept incrementally:
  // recounting on every vote made vote handling O(n)). ahead_view_ == 0: not counted yet.
  std::uint64_t ahead_view_ = 0;
  std::uint32_t ahead_count_ = 0;
  std::map<NodeId, Height> peer_seq_;  // highest seq seen above the window, per peer
  std::uint64_t want_view_ = 0;        // > 0: fetch a NEW-VIEW of at least this view
  Height fetch_target_ = 0;            // blocks up to here are known final
  std::uint32_t vc_attempts_ = 0;
  // Re-entrancy guards: executing, accepting and proposing trigger each other.
  bool executing_ = false;
  bool execute_again_ = false;
  bool accepting_ = false;
  bool accept_again_ = false;
  bool proposing_ = false;
  bool propose_again_ = false;
  bool installing_ = false;

  // The request timer's subject (§4.4): the oldest pending transaction and the lowest accepted,
  // unexecuted sequence number when it was armed.
  std::optional<std::uint64_t> subject_pending_;
  std::optional<Height> subject_seq_;

  std::optional<TimerId> vc_timer_;
  // In a view change: true when vc_timer_ waits for the NEW-VIEW (2f+1 VIEW-CHANGEs are in),
  // false when it paces the retransmission of this replica's VIEW-CHANGE.
  bool vc_timer_waits_ = false;
  std::optional<TimerId> batch_timer_;
  std::optional<TimerId> fetch_timer_;
};

}  // namespace hlsim
