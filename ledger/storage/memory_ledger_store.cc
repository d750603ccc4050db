#include "ledger/storage/memory_ledger_store.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace hlsim {

std::uint64_t MemoryLedgerStore::hash_key(std::string_view key) {
  // Eight bytes at a time, each step multiplied and folded (keys are a few dozen bytes).
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = key.size() * kMul;
  std::size_t i = 0;
  for (; i + 8 <= key.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, key.data() + i, 8);
    h = (h ^ word) * kMul;
    h ^= h >> 32;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, key.data() + i, key.size() - i);
  h = (h ^ tail) * kMul;
  return h ^ (h >> 29);
}

std::size_t MemoryLedgerStore::probe(std::string_view key, std::uint64_t hash) const {
  std::size_t i = home(hash);
  while (slots_[i].write != nullptr && (slots_[i].hash != hash || slots_[i].write->key != key)) {
    i = (i + 1) & (slots_.size() - 1);
  }
  return i;
}

void MemoryLedgerStore::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
  for (const Slot& s : old) {
    if (s.write == nullptr) continue;
    std::size_t i = home(s.hash);
    while (slots_[i].write != nullptr) i = (i + 1) & (slots_.size() - 1);
    slots_[i] = s;
  }
}

void MemoryLedgerStore::erase_slot(std::size_t hole) {
  // Backward-shift deletion: no tombstones, so churn never slows lookups.
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = (hole + 1) & mask; slots_[i].write != nullptr; i = (i + 1) & mask) {
    const std::size_t want = home(slots_[i].hash);
    const bool stays = hole <= i ? (hole < want && want <= i) : (hole < want || want <= i);
    if (stays) continue;
    slots_[hole] = slots_[i];
    hole = i;
  }
  slots_[hole] = Slot{};
}

std::optional<std::string> MemoryLedgerStore::get(std::string_view key) const {
  if (state_keys_ == 0) return std::nullopt;
  const Slot& s = slots_[probe(key, hash_key(key))];
  if (s.write == nullptr) return std::nullopt;
  return *s.write->value;
}

void MemoryLedgerStore::for_each_state(
    const std::function<void(std::string_view key, std::string_view value)>& fn) const {
  // In byte order of the keys, whatever order the index keeps them in.
  std::vector<const StateWrite*> entries;
  entries.reserve(state_keys_);
  for (const Slot& s : slots_) {
    if (s.write != nullptr) entries.push_back(s.write);
  }
  std::sort(entries.begin(), entries.end(),
            [](const StateWrite* a, const StateWrite* b) { return a->key < b->key; });
  for (const StateWrite* w : entries) fn(w->key, *w->value);
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
  apply(std::make_shared<const std::vector<StateWrite>>(writes.begin(), writes.end()));
  return Status::Ok();
}

Status MemoryLedgerStore::commit_block_ref(Height h, const BlockRef& block,
                                           const WriteSetRef& writes, const Hash256& state_root) {
  if (Status s = check_next(h); !s.ok()) return s;
  blocks_.emplace_back(block);
  roots_.push_back(state_root);
  apply(writes);
  return Status::Ok();
}

void MemoryLedgerStore::apply(WriteSetRef writes) {
  if (writes->empty()) return;
  for (const StateWrite& w : *writes) {
    if ((state_keys_ + 1) * 4 > slots_.size() * 3) grow();
    const std::uint64_t hash = hash_key(w.key);
    const std::size_t i = probe(w.key, hash);
    Slot& s = slots_[i];
    if (w.value) {
      if (s.write == nullptr) {
        ++state_keys_;
        state_bytes_ += w.key.size() + w.value->size();
      } else {
        state_bytes_ -= s.write->value->size();
        state_bytes_ += w.value->size();
      }
      s = Slot{hash, &w};
    } else if (s.write != nullptr) {
      state_bytes_ -= s.write->key.size() + s.write->value->size();
      --state_keys_;
      erase_slot(i);
    }
  }
  write_sets_.push_back(std::move(writes));
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
