// A hand-steppable cluster for testing any Protocol without the simulator.
//
// Cluster runs N protocol instances, each behind its own Context and NodeCrypto, and keeps every
// message, timer and client submission in one queue under the test's control:
//   * virtual-time loop: step() / run_until() / run_for() process events in (time, node,
//     insertion) order, so a run is a pure function of the seed and the test's calls;
//   * manual stepping: deliver() / drop() / stabilize() act on messages in flight and
//     fire_timer() fires one timer of one node (moving time forward to when it was due) without
//     firing any other;
//   * faults: a drop filter, partitions, isolate(), crash() (its timers vanish, messages to it are
//     lost) and restart() (on_restart; with or without its stored chain).
// Each call into a protocol is one job, as in the simulator's cost model (consensus/context.h):
// the messages a job sends leave when it returns, now() is the job's start time, and CPU cost is
// ignored (jobs take no time). As in the simulator's node, commit() extends the node's chain at
// once, so ledger() shows it for the rest of the job. Messages take a constant latency unless the
// options add jitter and loss.
//
// NodeCrypto is real: node keys are SigningKey::derive(seed, "node-<i>"), blocks are sealed with
// seal_block and received blocks are checked with Block::decode + check_block and the proposer's
// registered key. commit() appends to the node's own Chain (in-memory state) and records the
// commit; a commit that does not extend the chain, a transaction whose signature fails, one
// committed twice on a node, or one never made with make_tx is recorded as a violation, which
// tests assert is empty.
//
// Not thread-safe. Protocol instances are owned by the cluster and survive crash()/restart(), so a
// protocol's persistent state is whatever it keeps across on_restart().
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "consensus/context.h"
#include "consensus/message.h"
#include "consensus/protocol.h"
#include "ledger/block.h"
#include "ledger/chain.h"
#include "ledger/crypto/signature.h"
#include "ledger/transaction.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/rng.h"
#include "sim/kernel/time.h"

namespace hlsim::testing {

struct ClusterOptions {
  std::uint32_t nodes = 3;
  std::uint64_t seed = 1;
  TimeNs latency_ns = kNsPerMs;  // every message, every link
  // Optional randomness from the seed's network stream: each message's latency gains a uniform
  // extra in [0, jitter_ns] (so messages can overtake each other), and is lost with loss_rate.
  TimeNs jitter_ns = 0;
  double loss_rate = 0;
  // Verify each committed transaction's signature, as a node does before executing it.
  bool verify_committed_txs = true;
  // Byzantine nodes: what they commit is not judged (no violations recorded for their chains).
  // Build their protocols with make_protocol(info, values, self, nodes, behavior).
  std::set<NodeId> byzantine;
};

// A protocol instance for validator `self` of `nodes`.
using ProtocolFactory = std::function<std::unique_ptr<Protocol>(NodeId self, std::uint32_t nodes)>;

// A message in flight.
struct Envelope {
  NodeId from = 0;
  NodeId to = 0;
  Message msg;
  TimeNs sent_ns = 0;
  TimeNs deliver_ns = 0;
};

struct CommitRecord {
  NodeId node = 0;
  Height height = 0;
  Hash256 hash;
  TimeNs time_ns = 0;
  BlockRef block;
  bool operator==(const CommitRecord& o) const {
    return node == o.node && height == o.height && hash == o.hash && time_ns == o.time_ns;
  }
};

struct LeaderNote {
  NodeId node = 0;  // who reported it
  std::uint64_t epoch = 0;
  NodeId leader = 0;
  TimeNs time_ns = 0;
};

struct ReorgNote {
  NodeId node = 0;
  Height fork_height = 0;
  std::uint32_t depth_blocks = 0;
  std::uint32_t own_blocks = 0;
  TimeNs time_ns = 0;
};

using EnvelopeFilter = std::function<bool(const Envelope&)>;

class Cluster {
 public:
  Cluster(ClusterOptions options, ProtocolFactory factory);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  std::uint32_t size() const { return options_.nodes; }
  const ClusterOptions& options() const { return options_; }
  TimeNs now() const { return now_; }
  Protocol& protocol(NodeId node);
  const Protocol& protocol(NodeId node) const;
  template <class P>
  P& protocol_as(NodeId node) {
    return dynamic_cast<P&>(protocol(node));
  }

  // ---- Driving -------------------------------------------------------------------------------
  // Calls start() on every node (in node order) at now().
  void start();
  // A signed transaction from `client` (keys derived from the seed), remembered as submitted.
  TxRef make_tx(ClientId client, std::uint64_t nonce, std::size_t payload_bytes = 64);
  // Hands `tx` to `node` now (on_transaction as one job). Lost if the node is down.
  void submit(NodeId node, const TxRef& tx);
  // Schedules the same at time `at` (>= now()).
  void submit_at(TimeNs at, NodeId node, const TxRef& tx);
  // Puts a message on the wire from `from` to `to` now, as if `from` had sent it.
  void inject(NodeId from, NodeId to, Message msg);

  // ---- Virtual-time loop ---------------------------------------------------------------------
  // Runs the next event; false when there is none.
  bool step();
  // Runs every event at or before `t`, then sets now() to `t` (if later).
  void run_until(TimeNs t);
  void run_for(TimeNs duration_ns) { run_until(now_ + duration_ns); }
  // Runs until `done()` holds (checked before the first and after every event) or the next event
  // is past `deadline`; returns done().
  bool run_until(const std::function<bool()>& done, TimeNs deadline);

  // ---- Manual stepping -----------------------------------------------------------------------
  // Messages in flight, in delivery order.
  std::vector<Envelope> in_flight() const;
  // Delivers the messages now in flight that `which` selects (all when null), in delivery order;
  // messages they cause stay in flight. Time moves forward to each one's arrival. Network faults
  // still apply. Returns how many were handed to a protocol.
  std::size_t deliver(const EnvelopeFilter& which = nullptr);
  // Removes the selected messages from flight; returns how many.
  std::size_t drop(const EnvelopeFilter& which);
  // deliver() until nothing is in flight (at most max_rounds rounds); returns messages delivered.
  std::size_t stabilize(std::size_t max_rounds = 10'000);
  // Fires `node`'s earliest live timer with `tag`, first moving now() forward to its due time if
  // that is later (other timers due meanwhile do not fire); false when it has none.
  bool fire_timer(NodeId node, std::uint64_t tag);
  std::size_t live_timers(NodeId node, std::uint64_t tag) const;
  // When `node`'s earliest live timer with `tag` would fire, if any.
  std::optional<TimeNs> timer_due(NodeId node, std::uint64_t tag) const;

  // ---- Faults --------------------------------------------------------------------------------
  // Messages the filter selects are lost at delivery time (nullptr clears it).
  void set_drop_filter(EnvelopeFilter drop) { drop_filter_ = std::move(drop); }
  // Nodes in different groups cannot exchange messages; unlisted nodes form one more group.
  void partition(const std::vector<std::vector<NodeId>>& groups);
  void isolate(NodeId node);
  void heal();
  bool connected(NodeId a, NodeId b) const { return group_[a] == group_[b]; }
  // The node stops: its timers and pending submissions vanish, messages to it are lost.
  void crash(NodeId node);
  // The node comes back (on_restart) with its committed chain (durable storage), or, when
  // `storage_lost`, with an empty chain and only its protocol's hard state (memory storage).
  void restart(NodeId node, bool storage_lost = false);
  bool is_up(NodeId node) const { return up_[node]; }

  // ---- Observation ---------------------------------------------------------------------------
  const Chain& chain(NodeId node) const { return *chains_[node]; }
  const std::vector<CommitRecord>& commits() const { return commits_; }
  const std::vector<LeaderNote>& leader_notes() const { return leader_notes_; }
  const std::vector<ReorgNote>& reorgs() const { return reorgs_; }
  const std::vector<std::string>& violations() const { return violations_; }
  // Up nodes whose protocol says it leads, in node order.
  std::vector<NodeId> leaders() const;
  // The up node that leads the highest epoch, if any.
  std::optional<NodeId> leader() const;
  // "" when every two chains hold the same block at every height both have; else where not.
  std::string divergence() const;
  // The same among `nodes` only (e.g. the honest ones).
  std::string divergence(const std::vector<NodeId>& nodes) const;
  // True when every node's chain has the same height and blocks.
  bool chains_identical() const;
  // Ids of the transactions committed on `node`, in commit order.
  std::vector<Hash256> committed_tx_ids(NodeId node) const;

  std::uint64_t sent(std::uint16_t type) const;
  std::uint64_t delivered(std::uint16_t type) const;
  std::uint64_t lost() const { return lost_; }
  // Blocks whose decode_block() failed (malformed, tampered or from an unknown key).
  std::uint64_t blocks_rejected() const { return blocks_rejected_; }
  // Called with every message a protocol sends (before faults apply).
  void set_send_observer(std::function<void(const Envelope&)> f) { send_observer_ = std::move(f); }
  // Called after every job.
  void set_after_job(std::function<void()> f) { after_job_ = std::move(f); }

 private:
  class NodeContext;
  class NodeCryptoImpl;
  friend class NodeContext;
  friend class NodeCryptoImpl;

  enum class EventKind : std::uint8_t { kMessage, kTimer, kSubmit };
  struct Key {
    TimeNs time;
    NodeId node;
    std::uint64_t seq;
    auto operator<=>(const Key&) const = default;
  };
  struct Event {
    EventKind kind = EventKind::kMessage;
    Envelope envelope;      // kMessage
    TimerId timer = 0;      // kTimer
    std::uint64_t tag = 0;  // kTimer
    TxRef tx;               // kSubmit
  };

  Key next_key(TimeNs time, NodeId node) { return Key{time, node, next_seq_++}; }
  void run_event(const Key& key, Event event);
  // Runs one job on `node` at now(), then applies what it emitted.
  void run_job(NodeId node, const std::function<void(Protocol&, Context&)>& job);
  void deliver_message(const Envelope& env);
  void apply_commit(NodeId node, const BlockRef& block);
  void violation(std::string what);

  ClusterOptions options_;
  std::vector<std::unique_ptr<Protocol>> protocols_;
  std::vector<std::unique_ptr<NodeContext>> contexts_;
  std::vector<std::unique_ptr<Chain>> chains_;
  Rng network_rng_;
  std::vector<SigningKey> node_keys_;
  std::vector<PublicKey> node_public_keys_;
  std::map<ClientId, SigningKey> client_keys_;
  std::vector<bool> up_;
  std::vector<int> group_;
  std::vector<std::unordered_set<Hash256, Hash256Hasher>> committed_ids_;
  std::unordered_set<Hash256, Hash256Hasher> made_tx_ids_;

  TimeNs now_ = 0;
  std::uint64_t next_seq_ = 0;
  TimerId next_timer_id_ = 1;
  std::map<Key, Event> events_;
  std::unordered_map<TimerId, Key> timers_;

  EnvelopeFilter drop_filter_;
  std::function<void(const Envelope&)> send_observer_;
  std::function<void()> after_job_;

  std::vector<CommitRecord> commits_;
  std::vector<LeaderNote> leader_notes_;
  std::vector<ReorgNote> reorgs_;
  std::vector<std::string> violations_;
  std::map<std::uint16_t, std::uint64_t> sent_;
  std::map<std::uint16_t, std::uint64_t> delivered_;
  std::uint64_t lost_ = 0;
  std::uint64_t blocks_rejected_ = 0;
};

}  // namespace hlsim::testing
