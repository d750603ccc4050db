// A proof-of-authority node's pending transactions: every client transaction it knows of (accepted
// from its own clients, received by tx-gossip, or returned from blocks a reorganisation abandoned)
// that it has not yet seen committed, in arrival order. An authority seals the pending
// transactions that the chain it extends does not already hold; a transaction leaves the pool only
// when a block holding it is committed, so one abandoned by a reorganisation is proposed again.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "ledger/arrival_queue.h"
#include "ledger/bytes.h"
#include "ledger/hash256_map.h"
#include "ledger/transaction.h"

namespace hlsim {

class PoaMempool {
 public:
  // False when the transaction is already pending.
  bool add(const TxRef& tx);
  bool contains(const Hash256& id) const { return seq_of_.contains(id); }
  void erase(const Hash256& id);
  void clear();
  std::size_t size() const { return by_seq_.size(); }

  // Pending transactions in arrival order, skipping those `excluded` selects, until the next one
  // would pass max_tx transactions or max_bytes of encoded transactions (a transaction larger
  // than max_bytes on its own fills a block alone, so it cannot stall the pool).
  std::vector<TxRef> select(const std::function<bool(const Hash256&)>& excluded,
                            std::uint32_t max_tx, std::uint64_t max_bytes) const;

 private:
  ArrivalQueue<TxRef> by_seq_;
  Hash256Map<std::uint64_t> seq_of_;  // id -> sequence number in by_seq_
};

}  // namespace hlsim
