// Items in arrival order, each under the sequence number it was given on arrival: a mempool's
// pending transactions, which arrive at the back, leave roughly from the front when committed,
// and are visited in arrival order when a block is built or gossip is due.
//
// One contiguous deque instead of a tree of nodes: arrival is a push at the back, a lookup by
// sequence number a binary search, and a departure marks the item gone. Gone items at the front
// are dropped at once; the others are compacted away once they outnumber the live ones, so
// memory stays proportional to the live items even when one stays pending for long.
// Sequence numbers never change. Not thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <utility>

namespace hlsim {

template <class T>
class ArrivalQueue {
 public:
  // Appends `value`; its sequence number (0, 1, 2, ... in arrival order).
  std::uint64_t push(T value) {
    const std::uint64_t seq = next_seq_++;
    items_.push_back(Item{seq, true, std::move(value)});
    ++live_;
    return seq;
  }

  // The live item with sequence number `seq`, or null.
  T* find(std::uint64_t seq) {
    Item* item = locate(seq);
    return item == nullptr ? nullptr : &item->value;
  }

  // Removes the item with sequence number `seq`; false when there is none.
  bool erase(std::uint64_t seq) {
    Item* item = locate(seq);
    if (item == nullptr) return false;
    item->live = false;
    item->value = T{};
    --live_;
    while (!items_.empty() && !items_.front().live) items_.pop_front();
    if (items_.size() > 32 && items_.size() > 2 * live_) {
      items_.erase(
          std::remove_if(items_.begin(), items_.end(), [](const Item& i) { return !i.live; }),
          items_.end());
    }
    return true;
  }

  std::size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }
  void clear() {
    items_.clear();
    live_ = 0;
  }

  // Calls f(seq, value&) for each live item in arrival order while f returns true.
  template <class F>
  void for_each_while(F&& f) {
    for (Item& i : items_) {
      if (i.live && !f(i.seq, i.value)) return;
    }
  }
  template <class F>
  void for_each_while(F&& f) const {
    for (const Item& i : items_) {
      if (i.live && !f(i.seq, i.value)) return;
    }
  }

 private:
  struct Item {
    std::uint64_t seq = 0;
    bool live = false;
    T value{};
  };

  Item* locate(std::uint64_t seq) {
    const auto it = std::lower_bound(items_.begin(), items_.end(), seq,
                                     [](const Item& i, std::uint64_t s) { return i.seq < s; });
    if (it == items_.end() || it->seq != seq || !it->live) return nullptr;
    return &*it;
  }

  std::deque<Item> items_;  // ascending seq
  std::size_t live_ = 0;
  std::uint64_t next_seq_ = 0;
};

}  // namespace hlsim
