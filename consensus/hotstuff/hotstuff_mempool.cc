// Chained HotStuff's mempool; the contract is in hotstuff_mempool.h.
#include "consensus/hotstuff/hotstuff_mempool.h"

namespace hlsim::hotstuff {

bool Mempool::add(const TxRef& tx, bool own, TimeNs now) {
  if (!tx || committed_.contains(tx->id)) return false;
  const auto [seq, added] = index_.try_emplace(tx->id);
  if (!added) return false;
  *seq = pending_.push(Entry{tx, !own, now});
  if (own) ++fresh_;
  return true;
}

void Mempool::on_commit(const Block& block) {
  for (const TxRef& tx : block.txs) {
    committed_.insert(tx->id);
    std::uint64_t seq = 0;
    if (!index_.take(tx->id, seq)) continue;
    if (!pending_.find(seq)->gossiped) --fresh_;
    pending_.erase(seq);
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
  pending_.for_each_while([&](std::uint64_t, const Entry& e) {
    if (out.size() >= max_tx) return false;
    if (exclude.contains(e.tx->id)) return true;
    const std::uint64_t size = e.tx->encoded_size();
    if (!out.empty() && bytes + size > max_bytes) return false;
    out.push_back(e.tx);
    bytes += size;
    return true;
  });
  return out;
}

std::vector<TxRef> Mempool::take_fresh(TimeNs now) {
  std::vector<TxRef> out;
  if (fresh_ == 0) return out;
  pending_.for_each_while([&](std::uint64_t, Entry& e) {
    if (e.gossiped) return true;
    e.gossiped = true;
    e.last_ns = now;
    out.push_back(e.tx);
    return true;
  });
  fresh_ = 0;
  return out;
}

std::vector<TxRef> Mempool::take_stale(TimeNs cutoff, TimeNs now) {
  std::vector<TxRef> out;
  pending_.for_each_while([&](std::uint64_t, Entry& e) {
    if (e.gossiped && e.last_ns <= cutoff) {
      e.last_ns = now;
      out.push_back(e.tx);
    }
    return true;
  });
  return out;
}

}  // namespace hlsim::hotstuff
