// PoaMempool (poa_mempool.h).
#include "consensus/poa/poa_mempool.h"

namespace hlsim {

bool PoaMempool::add(const TxRef& tx) {
  if (!tx) return false;
  const auto [seq, added] = seq_of_.try_emplace(tx->id);
  if (!added) return false;
  *seq = by_seq_.push(tx);
  return true;
}

void PoaMempool::erase(const Hash256& id) {
  std::uint64_t seq = 0;
  if (seq_of_.take(id, seq)) by_seq_.erase(seq);
}

void PoaMempool::clear() {
  by_seq_.clear();
  seq_of_.clear();
}

std::vector<TxRef> PoaMempool::select(const std::function<bool(const Hash256&)>& excluded,
                                      std::uint32_t max_tx, std::uint64_t max_bytes) const {
  std::vector<TxRef> out;
  std::uint64_t bytes = 0;
  by_seq_.for_each_while([&](std::uint64_t, const TxRef& tx) {
    if (out.size() >= max_tx || bytes >= max_bytes) return false;
    if (excluded && excluded(tx->id)) return true;
    const std::uint64_t size = tx->encoded_size();
    if (!out.empty() && bytes + size > max_bytes) return false;
    out.push_back(tx);
    bytes += size;
    return true;
  });
  return out;
}

}  // namespace hlsim
