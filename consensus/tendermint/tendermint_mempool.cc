// Mempool (tendermint_mempool.h).
#include "consensus/tendermint/tendermint_mempool.h"

namespace hlsim {

bool Mempool::add(const TxRef& tx, bool local) {
  if (!tx || by_id_.contains(tx->id)) return false;
  const std::uint64_t seq = next_seq_++;
  by_seq_.emplace(seq, tx);
  by_id_.emplace(tx->id, seq);
  if (local) to_gossip_.push_back(seq);
  return true;
}

void Mempool::remove_committed(const Block& block) {
  for (const TxRef& tx : block.txs) {
    auto it = by_id_.find(tx->id);
    if (it == by_id_.end()) continue;
    by_seq_.erase(it->second);
    by_id_.erase(it);
  }
}

std::vector<TxRef> Mempool::take_gossip() {
  std::vector<TxRef> out;
  out.reserve(to_gossip_.size());
  for (std::uint64_t seq : to_gossip_) {
    auto it = by_seq_.find(seq);
    if (it != by_seq_.end()) out.push_back(it->second);
  }
  to_gossip_.clear();
  return out;
}

std::vector<TxRef> Mempool::select(std::uint32_t max_tx, std::uint64_t max_bytes) const {
  std::vector<TxRef> out;
  std::uint64_t bytes = 0;
  for (const auto& [seq, tx] : by_seq_) {
    if (out.size() >= max_tx) break;
    const std::uint64_t size = tx->encoded_size();
    if (bytes + size > max_bytes) continue;
    out.push_back(tx);
    bytes += size;
  }
  return out;
}

void Mempool::clear() {
  by_seq_.clear();
  by_id_.clear();
  to_gossip_.clear();
}

}  // namespace hlsim
