#include "sim/kernel/event_heap.h"

#include <cstdio>
#include <cstdlib>

namespace hlsim {

void PackedEvent::limits_exceeded(NodeId node, std::uint64_t seq) {
  std::fprintf(stderr,
               "hlsim: event key limits exceeded: node %u (limit %llu), seq %llu (limit %llu)\n",
               static_cast<unsigned>(node), static_cast<unsigned long long>(kMaxNodes),
               static_cast<unsigned long long>(seq), static_cast<unsigned long long>(kMaxSeq));
  std::abort();
}

void EventHeap::grow(std::size_t n) {
  // Whole sibling groups only, so that every group the descent reads is inside the vector.
  const std::size_t slots = (kRoot + n + 3) / 4 * 4;
  if (slots > slots_.size()) {
    slots_.resize(slots, PackedEvent{PackedEvent::kSentinelKey, 0, 0, 0});
  }
}

void EventHeap::assign(const PackedEvent* first, const PackedEvent* last) {
  const auto n = static_cast<std::size_t>(last - first);
  reserve(n);
  PackedEvent* const s = slots_.data();
  for (std::size_t i = 0; i < n; ++i) s[kRoot + i] = first[i];
  size_ = n;
  if (n < 2) return;
  // Floyd's heap construction: sift each internal node down, last parent first.
  const std::size_t end = kRoot + n;
  for (std::size_t p = parent(end - 1) + 1; p-- > kRoot;) {
    const PackedEvent x = s[p];
    std::size_t hole = p;
    for (std::size_t c = first_child(hole); c < end; c = first_child(hole)) {
      std::size_t best = c;
      for (std::size_t i = c + 1; i < c + 4; ++i) {
        if (s[i].key < s[best].key) best = i;
      }
      if (!(s[best].key < x.key)) break;
      s[hole] = s[best];
      hole = best;
    }
    s[hole] = x;
  }
}

void EventHeap::clear() {
  for (std::size_t i = kRoot; i < kRoot + size_; ++i) slots_[i].key = PackedEvent::kSentinelKey;
  size_ = 0;
}

void EventHeap::shrink_if_larger_than(std::size_t n) {
  if (size_ == 0 && slots_.size() > kRoot + n) {
    decltype(slots_)().swap(slots_);
  }
}

}  // namespace hlsim
