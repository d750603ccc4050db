// Tendermint's mempool: the client transactions a validator holds until they are committed.
//
// Every validator proposes in turn, so every validator needs every transaction: a node broadcasts
// the transactions its clients submitted to it (its "local" ones) to all validators, batched into
// one tx-gossip message every mempool_gossip interval (Tendermint Core gossips each mempool
// transaction to every peer). Transactions learnt by gossip are held but not gossiped again (the
// validators form a full mesh). A proposer takes pending transactions in arrival order, up to the
// block limits. A transaction leaves the mempool only when a committed block holds it; the
// gateway that accepted it keeps it (and so proposes it in its own turn) until then.
//
// Iteration order is arrival order (a sequence number), never hash order, so what a proposer
// selects is a function of what it received. Volatile: a restart empties it.
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "ledger/block.h"
#include "ledger/transaction.h"

namespace hlsim {

class Mempool {
 public:
  // Adds a transaction not yet held; `local` marks one a client submitted to this node (it is
  // gossiped). False when already held.
  bool add(const TxRef& tx, bool local);
  bool contains(const Hash256& id) const { return by_id_.contains(id); }
  // Drops the transactions a committed block holds.
  void remove_committed(const Block& block);
  // Local transactions accepted since the last call, still pending, in arrival order.
  std::vector<TxRef> take_gossip();
  bool has_gossip() const { return !to_gossip_.empty(); }
  // Pending transactions in arrival order, at most max_tx of them and at most max_bytes of
  // encoded transactions (a transaction that does not fit is skipped; later smaller ones may).
  std::vector<TxRef> select(std::uint32_t max_tx, std::uint64_t max_bytes) const;

  bool empty() const { return by_seq_.empty(); }
  std::size_t size() const { return by_seq_.size(); }
  void clear();

 private:
  std::map<std::uint64_t, TxRef> by_seq_;
  std::unordered_map<Hash256, std::uint64_t, Hash256Hasher> by_id_;
  std::vector<std::uint64_t> to_gossip_;  // sequence numbers of local transactions
  std::uint64_t next_seq_ = 0;
};

}  // namespace hlsim
