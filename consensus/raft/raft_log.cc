// Raft's log of blocks; the contract is in raft_log.h.
#include "consensus/raft/raft_log.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace hlsim {

namespace {

[[noreturn]] void violated(const std::string& what) { throw std::logic_error("RaftLog: " + what); }

}  // namespace

std::uint64_t RaftLog::term_at(Height index) const {
  if (index == 0) return 0;
  return at(index)->header.epoch;
}

Hash256 RaftLog::hash_at(Height index) const {
  if (index == 0) return Hash256{};
  return at(index)->hash;
}

const BlockRef& RaftLog::at(Height index) const {
  if (index == 0 || index > last_index()) {
    violated("index " + std::to_string(index) + " outside 1.." + std::to_string(last_index()));
  }
  return entries_[static_cast<std::size_t>(index - 1)].block;
}

void RaftLog::append(BlockRef block) {
  if (!block) violated("append of a null block");
  const BlockHeader& h = block->header;
  if (h.height != last_index() + 1) {
    violated("append of height " + std::to_string(h.height) + " after index " +
             std::to_string(last_index()));
  }
  if (h.prev_hash != hash_at(last_index())) violated("append breaks the hash chain");
  if (h.epoch < last_term()) violated("append of a term lower than the last entry's");
  for (const TxRef& tx : block->txs) tx_index_.try_emplace(tx->id, h.height);
  entries_.push_back(Entry{std::move(block), nullptr});
}

void RaftLog::truncate_after(Height index) {
  if (index > last_index()) violated("truncate past the end of the log");
  while (last_index() > index) {
    const Height removed = last_index();
    for (const TxRef& tx : entries_.back().block->txs) {
      auto it = tx_index_.find(tx->id);
      if (it != tx_index_.end() && it->second == removed) tx_index_.erase(it);
    }
    entries_.pop_back();
  }
  released_through_ = std::min(released_through_, index);
}

Height RaftLog::find_tx(const Hash256& id) const {
  auto it = tx_index_.find(id);
  return it == tx_index_.end() ? 0 : it->second;
}

Height RaftLog::first_index_of_term_run(Height index) const {
  const std::uint64_t term = at(index)->header.epoch;
  Height j = index;
  while (j > 1 && term_at(j - 1) == term) --j;
  return j;
}

std::shared_ptr<const Bytes> RaftLog::encoded(Height index) {
  at(index);  // bounds check
  Entry& e = entries_[static_cast<std::size_t>(index - 1)];
  if (!e.encoded) e.encoded = std::make_shared<const Bytes>(e.block->encode());
  return e.encoded;
}

void RaftLog::release_encodings_through(Height index) {
  index = std::min(index, last_index());
  for (Height i = released_through_ + 1; i <= index; ++i) {
    entries_[static_cast<std::size_t>(i - 1)].encoded.reset();
  }
  released_through_ = std::max(released_through_, index);
}

}  // namespace hlsim
