// Chained HotStuff's mempool; the contract is in hotstuff_mempool.h.
#include "consensus/hotstuff/hotstuff_mempool.h"

namespace hlsim::hotstuff {

bool Mempool::add(const TxRef& tx, bool own, TimeNs now) {
  if (!tx || committed_.contains(tx->id) || index_.contains(tx->id)) return false;
  const std::uint64_t seq = next_seq_++;
  pending_.emplace(seq, Entry{tx, !own, now});
  index_.try_emplace(tx->id, seq);
  if (own) ++fresh_;
  return true;
}

void Mempool::on_commit(const Block& block) {
  for (const TxRef& tx : block.txs) {
    committed_.insert(tx->id);
    const std::uint64_t* seq = index_.find(tx->id);
    if (seq == nullptr) continue;
    auto entry = pending_.find(*seq);
    if (!entry->second.gossiped) --fresh_;
    pending_.erase(entry);
    index_.erase(tx->id);
  }
}

void Mempool::reset(const Chain& ledger) {
  pending_.clear();
  index_.clear();
  committed_.clear();
  fresh_ = 0;
  for (const BlockRef& block : ledger.blocks()) {
    for (const TxRef& tx : block->txs) committed_.insert(tx->id);
  }
}

std::vector<TxRef> Mempool::select(std::uint32_t max_tx, std::uint64_t max_bytes,
                                   const IdSet& exclude) const {
  std::vector<TxRef> out;
  std::uint64_t bytes = 0;
  for (const auto& [seq, e] : pending_) {
    if (out.size() >= max_tx) break;
    if (exclude.contains(e.tx->id)) continue;
    const std::uint64_t size = e.tx->encoded_size();
    if (!out.empty() && bytes + size > max_bytes) break;
    out.push_back(e.tx);
    bytes += size;
  }
  return out;
}

std::vector<TxRef> Mempool::take_fresh(TimeNs now) {
  std::vector<TxRef> out;
  if (fresh_ == 0) return out;
  for (auto& [seq, e] : pending_) {
    if (e.gossiped) continue;
    e.gossiped = true;
    e.last_ns = now;
    out.push_back(e.tx);
  }
  fresh_ = 0;
  return out;
}

std::vector<TxRef> Mempool::take_stale(TimeNs cutoff, TimeNs now) {
  std::vector<TxRef> out;
  for (auto& [seq, e] : pending_) {
    if (!e.gossiped || e.last_ns > cutoff) continue;
    e.last_ns = now;
    out.push_back(e.tx);
  }
  return out;
}

}  // namespace hlsim::hotstuff
