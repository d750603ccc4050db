// Aura-style proof of authority (OpenEthereum / Parity "Authority Round") as a pure state machine
// over blocks: one instance per authority, driven only through the Protocol interface.
//
// Steps. Time is cut into steps of step_duration; step s = floor(now / step_duration) belongs to
// authority s mod n. At the start of its step an authority seals a block (header.epoch = s) on
// top of its best head with the pending transactions that chain does not hold yet (at most
// max_block_tx / max_block_bytes) and broadcasts it; with seal_empty = false it skips a step in
// which it has nothing to seal. The genesis block has step 0, so the first block is step 1's.
//
// Validation. A received block counts only if decode_block accepts it, its proposer owns its
// step, its step is greater than its parent's and at most one step ahead of the receiver's clock,
// its height is its parent's + 1, and none of its transactions is repeated in it or in its
// ancestry. A block whose parent is unknown waits in the orphan pool while the node fetches the
// missing range from the sender. A second, different block of one authority in one step is
// equivocation evidence: both stay in the tree (fork choice decides) and it is counted.
//
// Fork choice and finality (block_tree.h, poa_finality.h): the best head is the highest block,
// ties to the lower step, then the lower hash. When the best head moves to another branch the
// node reports note_reorg(fork height, abandoned tentative blocks) and the abandoned blocks'
// transactions go back to pending. Final blocks (by `confirmations` depth or by a majority of
// distinct sealers) are committed in height order; the tree then drops everything that does not
// descend from the committed head, so the node never switches to a branch without its committed
// chain. Under a partition, confirmation finality can still let two sides commit different
// blocks: that is the latency / safety trade-off the simulator's checker makes visible. So can,
// more rarely, majority finality: its premise that no honest authority seals on two branches
// holds only while every block arrives within its step, since an honest authority seals on its
// best head and the fork choice can move that head off a block it sealed (reported in note_reorg
// as an own block abandoned).
//
// Mempool. Every node keeps the client transactions it knows of until it sees them committed
// (poa_mempool.h). Those its own clients submit it broadcasts in one tx-gossip message every
// mempool_gossip interval, so each authority can seal them in its step.
//
// Sync. fetch / fetch-reply carry a range of heights of the responder's best chain. A node that
// receives a block with an unknown parent asks the sender for the heights between its committed
// head and that block (at most one fetch outstanding per step duration); a reply whose first
// block is still an orphan is followed by a fetch for the range below it, a full reply by one for
// the range above. After a restart the node asks every peer for the heights above its best head.
//
// Restarts. Hard state: the last step this node sealed in, kept across every restart so that it
// never seals twice in one step (two blocks of one step would be equivocation). With durable
// storage the block tree survives too (a real node keeps imported blocks in its database); with
// storage lost the chain and tree start again from genesis. Either way the node then does not seal
// until it has caught up: until a block broadcast by its sealer attaches to its tree, or a peer's
// fetch-reply reached that peer's head with every block attached. Pending transactions, orphans,
// the gossip batch and fetch state are volatile.
//
// Equivocation (Behavior::kEquivocate): in its step the authority seals two different blocks at
// the same height, one with its pending transactions and one empty (or, with nothing pending, the
// second one on its head's parent), sends the first to validators [0, n/2) and the second to the
// rest, and keeps both in its own tree.
//
// Not thread-safe; one instance is driven by one node's jobs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "consensus/behavior.h"
#include "consensus/poa/block_tree.h"
#include "consensus/poa/poa_mempool.h"
#include "consensus/poa/poa_messages.h"
#include "consensus/poa/poa_params.h"
#include "consensus/protocol.h"
#include "ledger/hash256_map.h"

namespace hlsim {

class Poa final : public Protocol {
 public:
  // Timer tags (Context::set_timer's tag argument).
  static constexpr std::uint64_t kStepTimer = 1;
  static constexpr std::uint64_t kGossipTimer = 2;

  // REQUIRES: params.check() ok, self < nodes; behavior kHonest or kEquivocate.
  Poa(const PoaParams& params, NodeId self, std::uint32_t nodes,
      Behavior behavior = Behavior::kHonest);

  void start(Context& ctx) override;
  void on_transaction(Context& ctx, const TxRef& tx) override;
  void on_message(Context& ctx, NodeId from, const Message& msg) override;
  void on_timer(Context& ctx, TimerId id, std::uint64_t tag) override;
  void on_restart(Context& ctx, bool storage_lost) override;

  // The step of the node's clock at its last job.
  std::uint64_t epoch() const override { return step_; }
  bool is_leader() const override { return step_ % nodes_ == self_; }

  // Introspection for tests and observers.
  const PoaParams& params() const { return params_; }
  const PoaBlockTree& tree() const { return tree_; }
  Height best_height() const { return tree_.best_position().height; }
  const Hash256& best_head() const { return tree_.best(); }
  std::size_t pending_count() const { return mempool_.size(); }
  // Hard state: the last step this node sealed a block in (0 before any).
  std::uint64_t last_sealed_step() const { return last_sealed_step_; }
  bool catching_up() const { return catching_up_; }
  // Second blocks seen from one authority in one step.
  std::uint64_t equivocations_seen() const { return equivocations_; }
  std::uint64_t reorgs() const { return reorgs_; }
  std::uint64_t blocks_sealed() const { return blocks_sealed_; }
  std::uint64_t blocks_rejected() const { return blocks_rejected_; }
  // Which authority owns step s.
  NodeId authority_of(std::uint64_t step) const { return static_cast<NodeId>(step % nodes_); }
  std::uint64_t step_at(TimeNs t) const {
    return static_cast<std::uint64_t>(t / params_.step_duration_ns);
  }

 private:
  // Lifecycle.
  void reset_tree(Context& ctx);
  void rebuild_committed_ids(Context& ctx);
  void arm_step_timer(Context& ctx);

  // Sealing.
  void on_step(Context& ctx);
  void try_seal(Context& ctx);
  void finish_catch_up(Context& ctx);

  // Blocks.
  void handle_block(Context& ctx, NodeId from, const Message& msg);
  void handle_fetch(Context& ctx, NodeId from, const PoaFetch& m);
  void handle_fetch_reply(Context& ctx, NodeId from, const PoaFetchReply& m);
  void handle_tx_gossip(const PoaTxGossip& m);
  // Outcome of offering one block to the tree.
  enum class Offer : std::uint8_t { kAttached, kKnown, kOrphan, kRejected };
  // Checks `block` and adds it to the tree (and the orphans waiting for it), or to the orphan pool
  // when its parent is unknown. Does not move the committed head.
  Offer offer(Context& ctx, const BlockRef& block);
  // The checks that need the parent (known): step, height, no repeated transaction.
  bool fits_parent(const Block& block) const;
  void insert(const BlockRef& block);
  // After blocks were added: reports a switch of branch, returns abandoned transactions to the
  // pool and commits whatever became final.
  void settle(Context& ctx, const Hash256& old_best);
  void commit_final(Context& ctx);
  void request_fetch(Context& ctx, NodeId peer, Height from, Height to);

  // Mempool.
  bool is_committed(const Hash256& id) const { return committed_ids_.contains(id); }
  void flush_gossip(Context& ctx);

  const PoaParams params_;
  const NodeId self_;
  const std::uint32_t nodes_;
  const Behavior behavior_;

  // Hard state (survives every restart).
  std::uint64_t last_sealed_step_ = 0;

  // Durable state (survives a restart unless storage is lost).
  PoaBlockTree tree_;
  // Equivocation evidence: the first block seen per (authority, step) above the committed head.
  std::map<std::pair<NodeId, std::uint64_t>, Hash256> first_of_step_;

  // Volatile state.
  std::uint64_t step_ = 0;
  bool catching_up_ = false;
  PoaMempool mempool_;
  Hash256Set committed_ids_;
  std::vector<TxRef> gossip_batch_;  // accepted from own clients since the last tx-gossip
  std::optional<TimerId> step_timer_;
  std::optional<TimerId> gossip_timer_;
  // The one orphan-driven fetch in flight: to whom and when (kNoNode: a restart's broadcast).
  struct Outstanding {
    NodeId peer = kNoNode;
    TimeNs sent_ns = 0;
  };
  std::optional<Outstanding> fetch_;

  // Counters.
  std::uint64_t equivocations_ = 0;
  std::uint64_t reorgs_ = 0;
  std::uint64_t blocks_sealed_ = 0;
  std::uint64_t blocks_rejected_ = 0;
};

}  // namespace hlsim
