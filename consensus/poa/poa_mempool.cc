// PoaMempool (poa_mempool.h).
#include "consensus/poa/poa_mempool.h"

namespace hlsim {

bool PoaMempool::add(const TxRef& tx) {
  if (!tx || seq_of_.contains(tx->id)) return false;
  const std::uint64_t seq = next_seq_++;
  by_seq_.emplace(seq, tx);
  seq_of_.try_emplace(tx->id, seq);
  return true;
}

void PoaMempool::erase(const Hash256& id) {
  const std::uint64_t* seq = seq_of_.find(id);
  if (seq == nullptr) return;
  by_seq_.erase(*seq);
  seq_of_.erase(id);
}

void PoaMempool::clear() {
  by_seq_.clear();
  seq_of_.clear();
}

std::vector<TxRef> PoaMempool::select(const std::function<bool(const Hash256&)>& excluded,
                                      std::uint32_t max_tx, std::uint64_t max_bytes) const {
  std::vector<TxRef> out;
  std::uint64_t bytes = 0;
  for (const auto& [seq, tx] : by_seq_) {
    if (out.size() >= max_tx || bytes >= max_bytes) break;
    if (excluded && excluded(tx->id)) continue;
    const std::uint64_t size = tx->encoded_size();
    if (!out.empty() && bytes + size > max_bytes) break;
    out.push_back(tx);
    bytes += size;
  }
  return out;
}

}  // namespace hlsim
