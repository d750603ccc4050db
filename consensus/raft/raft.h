// Raft (Ongaro & Ousterhout, "In Search of an Understandable Consensus Algorithm", USENIX ATC
// 2014) as a pure state machine over blocks: one instance per validator, driven only through the
// Protocol interface.
//
// Leader election (§5.2) with randomised timeouts from the node's own RNG stream; votes granted
// at most once per term and only to candidates whose log is at least as up to date (§5.4.1).
// Log entries are blocks (raft_log.h). A leader batches client transactions into blocks, appends
// an empty block when elected (§8) so earlier terms' entries can commit, and replicates with
// pipelined AppendEntries: a follower that rejects is probed one message at a time, backing
// next_index off by its hint, then streamed to again. Heartbeats are empty AppendEntries. Only
// entries of the leader's own term commit by counting replicas (§5.4.2); when the commit index
// moves, the leader tells the followers at once rather than with the next heartbeat. Every
// committed entry goes to Context::commit() once, in height order; the committed chain is the
// source of truth after a restart.
//
// Transactions are never lost while the node that accepted them is alive: each node keeps the
// client transactions it accepted until they appear in a committed block, forwards them to the
// leader it knows, forwards all of them again whenever it learns of a new leader (including after
// it stepped down as leader), and, while it follows, re-forwards every forward_retry interval
// those the leader's blocks have not brought back to it (the forward may have been lost). The
// leader drops a transaction already in its log or queue.
//
// Persistent state: current term and vote (always survive a restart) and the log (survives with
// durable storage; with memory storage the node re-fetches it from the leader and abstains from
// votes and elections until it has caught up). Everything else is volatile.
// Not thread-safe; one instance is driven by one node's jobs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "consensus/protocol.h"
#include "consensus/raft/raft_log.h"
#include "consensus/raft/raft_messages.h"
#include "consensus/raft/raft_params.h"

namespace hlsim {

class Raft final : public Protocol {
 public:
  enum class Role : std::uint8_t { kFollower, kCandidate, kLeader };

  // Timer tags (Context::set_timer's tag argument).
  static constexpr std::uint64_t kElectionTimer = 1;
  static constexpr std::uint64_t kHeartbeatTimer = 2;
  static constexpr std::uint64_t kBatchTimer = 3;
  static constexpr std::uint64_t kForwardRetryTimer = 4;

  // REQUIRES: params.check() ok, self < nodes.
  Raft(const RaftParams& params, NodeId self, std::uint32_t nodes);

  void start(Context& ctx) override;
  void on_transaction(Context& ctx, const TxRef& tx) override;
  void on_message(Context& ctx, NodeId from, const Message& msg) override;
  void on_timer(Context& ctx, TimerId id, std::uint64_t tag) override;
  void on_restart(Context& ctx, bool storage_lost) override;

  std::uint64_t epoch() const override { return current_term_; }
  bool is_leader() const override { return role_ == Role::kLeader; }

  // Introspection for tests and observers.
  Role role() const { return role_; }
  NodeId leader_id() const { return leader_; }  // kNoNode when unknown
  std::optional<NodeId> voted_for() const { return voted_for_; }
  Height commit_index() const { return commit_index_; }
  const RaftLog& log() const { return log_; }
  std::size_t pending_count() const { return pending_.size(); }  // accepted, not yet committed
  const RaftParams& params() const { return params_; }
  // Leader only (0 otherwise): the highest index known replicated on `peer`.
  Height match_index(NodeId peer) const;
  // True after a restart that lost the log, until the node has caught up (see catching_up_).
  bool catching_up() const { return catching_up_; }

 private:
  // The leader's view of one follower (as etcd-raft's Progress): in kProbe it sends one
  // AppendEntries per reply or heartbeat until a match is found; in kReplicate it streams.
  struct Peer {
    enum class Mode : std::uint8_t { kProbe, kReplicate };
    Height next_index = 1;
    Height match_index = 0;
    Mode mode = Mode::kProbe;
    Height commit_known = 0;  // the follower can commit up to here from what it was sent
  };

  // Role changes.
  void become_follower(Context& ctx, std::uint64_t term, NodeId leader);
  void start_election(Context& ctx);
  void become_leader(Context& ctx);
  void learn_leader(Context& ctx, NodeId leader);
  void reset_volatile(Context& ctx);

  // Message handlers.
  void handle_request_vote(Context& ctx, NodeId from, const RequestVote& m);
  void handle_vote(Context& ctx, NodeId from, const Vote& m);
  void handle_append_entries(Context& ctx, NodeId from, const AppendEntries& m);
  void handle_append_reply(Context& ctx, NodeId from, const AppendReply& m);
  void handle_forward(Context& ctx, const Forward& m);
  // Moves to `term` (clearing vote and leader) when it is higher than the current term.
  void observe_term(Context& ctx, std::uint64_t term);

  // Leader: batching and replication.
  void enqueue(Context& ctx, const TxRef& tx);
  void seal_queue(Context& ctx);
  void append_own_block(Context& ctx, std::vector<TxRef> txs);
  // Sends entries from the peer's next_index on (at most max_append_blocks; none for an empty
  // probe or heartbeat) and, when streaming, advances next_index past them.
  void send_append(Context& ctx, NodeId peer, bool with_entries);
  void broadcast_heartbeat(Context& ctx);
  // Commits the highest entry of this term on a majority; true when the commit index moved.
  bool advance_leader_commit(Context& ctx);
  // Tells followers that hold newly committed entries about them at once (empty AppendEntries).
  void notify_commit(Context& ctx);
  // notify_commit for one follower.
  void notify_commit_to(Context& ctx, NodeId peer);
  void release_acknowledged_encodings();

  // Commit and transaction bookkeeping.
  void apply_commits(Context& ctx);
  bool is_committed(const Hash256& tx_id) const;
  void add_pending(const TxRef& tx);
  // Sends the leader every pending transaction (all, or only those forwarded at least one retry
  // interval ago that are not in this node's log), in arrival order, in messages of at most
  // max_block_bytes of transactions.
  void forward_pending(Context& ctx, bool only_unacknowledged);
  void arm_forward_retry(Context& ctx);

  // Timers.
  void arm_election_timer(Context& ctx);
  void cancel_timer(Context& ctx, std::optional<TimerId>& timer);
  TimeNs draw_election_timeout(Context& ctx);

  std::uint32_t majority() const { return nodes_ / 2 + 1; }

  const RaftParams params_;
  const NodeId self_;
  const std::uint32_t nodes_;

  // Persistent state. The log is lost with memory storage; the term and vote never are.
  std::uint64_t current_term_ = 0;
  std::optional<NodeId> voted_for_;
  RaftLog log_;
  // Set when a restart lost the log: the node neither votes nor campaigns until it again holds
  // every entry committed before it crashed. Entries it acknowledged before the crash may have
  // counted towards a commit quorum; voting for a candidate that lacks them could elect a leader
  // without a committed entry. It is caught up once it holds the log up to a commit index the
  // current leader reports for an entry of the leader's own term: that index covers every entry
  // committed in earlier terms (Leader Completeness) and everything this term committed so far.
  bool catching_up_ = false;

  // Volatile state.
  Role role_ = Role::kFollower;
  NodeId leader_ = kNoNode;
  // Last term whose leader was reported through note_leader; kept across restarts (it is only
  // reporting) so a term's leader is reported once.
  std::uint64_t noted_term_ = 0;
  Height commit_index_ = 0;  // highest index known committed
  Height applied_ = 0;       // highest index passed to Context::commit
  std::vector<bool> votes_;  // candidate: granted votes by node
  std::uint32_t vote_count_ = 0;
  std::vector<Peer> peers_;  // leader: by node id (own entry unused)

  // Client transactions this node accepted and has not yet seen committed, in arrival order.
  struct Pending {
    TxRef tx;
    TimeNs forwarded_ns = -1;  // last time it was sent to a leader; -1 never
  };
  std::map<std::uint64_t, Pending> pending_;
  std::unordered_map<Hash256, std::uint64_t, Hash256Hasher> pending_seq_;
  std::uint64_t next_pending_seq_ = 0;

  // Leader: transactions waiting to be sealed into the next block.
  std::vector<TxRef> queue_;
  std::uint64_t queue_bytes_ = 0;
  std::unordered_set<Hash256, Hash256Hasher> queued_ids_;

  // Timers. The election timer is re-armed lazily: resetting it moves election_deadline_, and a
  // firing that comes before the deadline re-arms for the rest, so there is never more than one.
  std::optional<TimerId> election_timer_;
  TimeNs election_deadline_ = 0;
  TimeNs election_fire_ns_ = 0;  // when the armed election timer fires
  std::optional<TimerId> heartbeat_timer_;
  std::optional<TimerId> batch_timer_;
  std::optional<TimerId> forward_retry_timer_;
};

const char* to_string(Raft::Role role);

}  // namespace hlsim
