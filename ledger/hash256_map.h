// A flat hash map (and set) keyed by 256-bit hashes: open addressing with linear probing in one
// array, so a lookup costs one cache line rather than a walk of heap nodes. It holds the
// per-validator indexes every transaction passes through (mempools, committed ids), which at
// 1,000 validators are the simulator's hottest tables.
//
// Contracts:
// * Keys are usually SHA-256 digests, but any key works: the slot is chosen from all 32 bytes,
//   mixed, so keys that differ in one byte anywhere still spread.
// * Pointers returned by find() and try_emplace() stay valid until the next insertion or erase.
// * for_each() visits entries in slot order, which depends only on the sequence of insertions
//   and erases (never on addresses), so it is deterministic; callers that need a meaningful
//   order keep one themselves.
// * Erase shifts later entries of the probe run back (no tombstones), so a table that churns
//   (a mempool) never degrades.
// Not thread-safe.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "ledger/bytes.h"

namespace hlsim {

template <class Value>
class Hash256Map {
 public:
  Hash256Map() = default;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // The value for `key`, or null.
  Value* find(const Hash256& key) {
    const std::size_t i = locate(key);
    return i == kNone ? nullptr : &slots_[i].value;
  }
  const Value* find(const Hash256& key) const {
    const std::size_t i = locate(key);
    return i == kNone ? nullptr : &slots_[i].value;
  }
  bool contains(const Hash256& key) const { return locate(key) != kNone; }

  // Inserts `value` for `key` unless `key` is present; the entry for `key` and whether it was
  // inserted.
  std::pair<Value*, bool> try_emplace(const Hash256& key, Value value = Value{}) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    std::size_t i = home(key);
    while (slots_[i].full) {
      if (slots_[i].key == key) return {&slots_[i].value, false};
      i = (i + 1) & mask_;
    }
    slots_[i].key = key;
    slots_[i].value = std::move(value);
    slots_[i].full = true;
    ++size_;
    return {&slots_[i].value, true};
  }

  // Removes `key`; false when absent.
  bool erase(const Hash256& key) { return erase_at(locate(key)); }

  // Removes `key` and moves its value to `out`; false (and `out` untouched) when absent.
  bool take(const Hash256& key, Value& out) {
    const std::size_t i = locate(key);
    if (i == kNone) return false;
    out = std::move(slots_[i].value);
    return erase_at(i);
  }

  // Removes every entry and releases the storage.
  void clear() {
    slots_.clear();
    slots_.shrink_to_fit();
    mask_ = 0;
    bits_ = 0;
    size_ = 0;
  }

  // Makes room for `n` entries without growing.
  void reserve(std::size_t n) {
    while (n * 4 > slots_.size() * 3) grow();
  }

  // Calls f(key, value) for every entry, in slot order (see the contract above).
  template <class F>
  void for_each(F&& f) const {
    for (const Slot& s : slots_) {
      if (s.full) f(s.key, s.value);
    }
  }

 private:
  struct Slot {
    Hash256 key;
    [[no_unique_address]] Value value{};
    bool full = false;
  };
  static constexpr std::size_t kNone = ~std::size_t{0};
  static constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

  std::size_t home(const Hash256& key) const {
    std::uint64_t w[4];
    std::memcpy(w, key.bytes.data(), sizeof w);
    const std::uint64_t mixed =
        (w[0] ^ std::rotl(w[1], 16) ^ std::rotl(w[2], 32) ^ std::rotl(w[3], 48)) * kGolden;
    return static_cast<std::size_t>(mixed >> (64 - bits_));
  }

  bool erase_at(std::size_t hole) {
    if (hole == kNone) return false;
    // Backward-shift deletion: move each later entry of the run whose home is not in
    // (hole, here] into the hole, until an empty slot ends the run.
    std::size_t i = hole;
    for (;;) {
      i = (i + 1) & mask_;
      if (!slots_[i].full) break;
      const std::size_t want = home(slots_[i].key);
      const bool stays = hole <= i ? (hole < want && want <= i) : (hole < want || want <= i);
      if (stays) continue;
      slots_[hole] = std::move(slots_[i]);
      hole = i;
    }
    slots_[hole] = Slot{};
    --size_;
    return true;
  }

  std::size_t locate(const Hash256& key) const {
    if (size_ == 0) return kNone;
    std::size_t i = home(key);
    while (slots_[i].full) {
      if (slots_[i].key == key) return i;
      i = (i + 1) & mask_;
    }
    return kNone;
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    bits_ = old.empty() ? 4 : bits_ + 1;
    slots_ = std::vector<Slot>(std::size_t{1} << bits_);
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (Slot& s : old) {
      if (!s.full) continue;
      std::size_t i = home(s.key);
      while (slots_[i].full) i = (i + 1) & mask_;
      slots_[i] = std::move(s);
      ++size_;
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  unsigned bits_ = 0;
  std::size_t size_ = 0;
};

// A set of 256-bit hashes, on the same table.
class Hash256Set {
 public:
  std::size_t size() const { return map_.size(); }
  bool empty() const { return map_.empty(); }
  bool contains(const Hash256& key) const { return map_.contains(key); }
  // True when inserted (absent before).
  bool insert(const Hash256& key) { return map_.try_emplace(key).second; }
  bool erase(const Hash256& key) { return map_.erase(key); }
  void clear() { map_.clear(); }
  void reserve(std::size_t n) { map_.reserve(n); }
  template <class F>
  void for_each(F&& f) const {
    map_.for_each([&](const Hash256& key, const Empty&) { f(key); });
  }

 private:
  struct Empty {};
  Hash256Map<Empty> map_;
};

}  // namespace hlsim
