// Chained HotStuff's mempool: the transactions a validator knows of and has not yet seen
// committed, and what it owes its peers by gossip.
//
// Any validator may lead the next view, so client transactions reach every validator: each
// validator broadcasts the transactions its clients handed it once per gossip interval (one
// tx-gossip message), and re-broadcasts any transaction still pending a re-gossip interval after
// it last sent or received it (a gossip message may have been lost, or its sender may have
// crashed). Transactions seen in proposals join the pool too, so those of an abandoned fork stay
// pending and are proposed again. A transaction leaves the pool when a block holding it commits;
// the committed ids are remembered so it never re-enters.
//
// Iteration is in arrival order (a sequence number), never in hash order. Volatile: a restart
// starts it again from the committed chain. Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "ledger/arrival_queue.h"
#include "ledger/block.h"
#include "ledger/chain.h"
#include "ledger/hash256_map.h"
#include "ledger/transaction.h"
#include "sim/kernel/time.h"

namespace hlsim::hotstuff {

class Mempool {
 public:
  using IdSet = Hash256Set;

  // Adds a transaction neither committed nor already pending; `own` when this node's client
  // handed it over (it is then due for the next gossip). True when added.
  bool add(const TxRef& tx, bool own, TimeNs now);
  bool empty() const { return pending_.empty(); }
  std::size_t size() const { return pending_.size(); }
  bool contains(const Hash256& id) const { return index_.contains(id); }
  bool committed(const Hash256& id) const { return committed_.contains(id); }

  // The block committed: its transactions leave the pool for good.
  void on_commit(const Block& block);
  // Forgets every pending transaction and rebuilds the committed ids from `ledger`.
  void reset(const Chain& ledger);

  // Up to max_tx transactions (and max_bytes of their encodings) in arrival order, skipping those
  // in `exclude` (the uncommitted ancestors of the block being built).
  std::vector<TxRef> select(std::uint32_t max_tx, std::uint64_t max_bytes,
                            const IdSet& exclude) const;

  // Own transactions not gossiped yet, in arrival order; marks them sent at `now`.
  std::vector<TxRef> take_fresh(TimeNs now);
  bool has_fresh() const { return fresh_ > 0; }
  // Pending transactions last sent or received at or before `cutoff`; marks them sent at `now`.
  std::vector<TxRef> take_stale(TimeNs cutoff, TimeNs now);

 private:
  struct Entry {
    TxRef tx;
    bool gossiped = false;  // own transactions: sent in a tx-gossip already
    TimeNs last_ns = 0;     // last sent or received
  };
  ArrivalQueue<Entry> pending_;
  Hash256Map<std::uint64_t> index_;  // id -> sequence number in pending_
  IdSet committed_;
  std::size_t fresh_ = 0;
};

}  // namespace hlsim::hotstuff
