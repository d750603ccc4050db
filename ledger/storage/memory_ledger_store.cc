#include "ledger/storage/memory_ledger_store.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace hlsim {

std::optional<std::string> MemoryLedgerStore::get(std::string_view key) const {
  auto it = state_.find(key);
  if (it == state_.end()) return std::nullopt;
  return it->second;
}

void MemoryLedgerStore::for_each_state(
    const std::function<void(std::string_view key, std::string_view value)>& fn) const {
  // In byte order of the keys, whatever order the hash map keeps them in.
  std::vector<const std::pair<const std::string, std::string>*> entries;
  entries.reserve(state_.size());
  for (const auto& entry : state_) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  for (const auto* entry : entries) fn(entry->first, entry->second);
}

std::optional<Bytes> MemoryLedgerStore::block(Height h) const {
  if (h == 0 || h > blocks_.size()) return std::nullopt;
  const auto& stored = blocks_[h - 1];
  if (const auto* block = std::get_if<BlockRef>(&stored)) return (*block)->encode();
  return std::get<Bytes>(stored);
}

std::optional<Hash256> MemoryLedgerStore::state_root(Height h) const {
  if (h == 0 || h > roots_.size()) return std::nullopt;
  return roots_[h - 1];
}

Status MemoryLedgerStore::check_next(Height h) const {
  if (h != height() + 1) {
    return Error{"memory ledger store: cannot commit block " + std::to_string(h) +
                 ": the next height is " + std::to_string(height() + 1)};
  }
  return Status::Ok();
}

// The only failure past the height check is std::bad_alloc, so "atomic" needs no undo log: a
// throw leaves at most part of the writes applied, and an out-of-memory simulator is dead anyway.
Status MemoryLedgerStore::commit_block(Height h, ByteView block_encoding,
                                       std::span<const StateWrite> writes,
                                       const Hash256& state_root) {
  if (Status s = check_next(h); !s.ok()) return s;
  blocks_.emplace_back(Bytes(block_encoding.begin(), block_encoding.end()));
  roots_.push_back(state_root);
  apply(writes);
  return Status::Ok();
}

Status MemoryLedgerStore::commit_block_ref(Height h, const BlockRef& block,
                                           std::span<const StateWrite> writes,
                                           const Hash256& state_root) {
  if (Status s = check_next(h); !s.ok()) return s;
  blocks_.emplace_back(block);
  roots_.push_back(state_root);
  apply(writes);
  return Status::Ok();
}

void MemoryLedgerStore::apply(std::span<const StateWrite> writes) {
  for (const StateWrite& w : writes) {
    auto it = state_.find(w.key);
    if (w.value) {
      if (it == state_.end()) {
        state_.emplace(w.key, *w.value);
        state_bytes_ += w.key.size() + w.value->size();
      } else {
        state_bytes_ -= it->second.size();
        state_bytes_ += w.value->size();
        it->second = *w.value;
      }
    } else if (it != state_.end()) {
      state_bytes_ -= it->first.size() + it->second.size();
      state_.erase(it);
    }
  }
}

Status MemoryLedgerStore::put_meta(std::string_view key, ByteView value) {
  auto it = meta_.find(key);
  if (it == meta_.end()) {
    meta_.emplace(std::string(key), Bytes(value.begin(), value.end()));
  } else {
    it->second.assign(value.begin(), value.end());
  }
  return Status::Ok();
}

std::optional<Bytes> MemoryLedgerStore::get_meta(std::string_view key) const {
  auto it = meta_.find(key);
  if (it == meta_.end()) return std::nullopt;
  return it->second;
}

std::unique_ptr<LedgerStore> make_memory_ledger_store() {
  return std::make_unique<MemoryLedgerStore>();
}

}  // namespace hlsim
