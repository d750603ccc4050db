// A bounded memo from a key (by default a 256-bit hash) to a value: the results of pure functions
// that the simulated nodes of one run would otherwise each compute again (decoding a block or a
// message, executing a block). The oldest entries beyond `capacity` are dropped; a node that asks
// for one later computes it itself, with the same result. Not thread-safe: one memo per
// simulation thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <utility>

#include "ledger/bytes.h"

namespace hlsim {

template <class Value, class Key = Hash256, class KeyHash = Hash256Hasher>
class BoundedMemo {
 public:
  // `capacity` 0 disables the memo: find() never hits and insert() keeps nothing.
  explicit BoundedMemo(std::size_t capacity) : capacity_(capacity) {}

  // The value for `key`, or null; counts a hit or a miss. Valid until the next insert().
  const Value* find(const Key& key) {
    if (capacity_ == 0) return nullptr;
    const auto it = entries_.find(key);
    if (it == entries_.end()) {
      ++misses_;
      return nullptr;
    }
    ++hits_;
    return &it->second;
  }

  // Records `value` for `key`; a key already present keeps its value.
  void insert(const Key& key, Value value) {
    if (capacity_ == 0) return;
    if (!entries_.try_emplace(key, std::move(value)).second) return;
    order_.push_back(key);
    if (order_.size() > capacity_) {
      entries_.erase(order_.front());
      order_.pop_front();
    }
  }

  bool enabled() const { return capacity_ > 0; }
  std::size_t size() const { return entries_.size(); }
  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }

 private:
  std::size_t capacity_;
  std::unordered_map<Key, Value, KeyHash> entries_;
  std::deque<Key> order_;  // insertion order, oldest first, for eviction
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace hlsim
