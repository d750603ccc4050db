// PackedEvent and EventHeap: the building blocks of EventQueue (sim/kernel/event_queue.h).
//
// PackedEvent is an Event plus its tie-break sequence in 32 bytes, with the whole order key in one
// unsigned 128-bit integer, so that comparing two events is a single 128-bit compare (cmp + sbb)
// that the compiler can turn into conditional moves:
//
//   key = (time_ns XOR 2^63) << 64  |  node << 40  |  seq
//
// Flipping the sign bit maps int64 time onto uint64 monotonically, so negative times order
// correctly. The packing limits nodes to < 2^24 (kMaxNodes) and seq to < 2^40 (kMaxSeq, about
// 10^12 events per run); PackedEvent::pack() checks both in every build and aborts when they are
// exceeded, since a silently wrapped key would break determinism.
//
// EventHeap is an implicit 4-ary min-heap of PackedEvents. The four children of a node are
// contiguous and aligned to 128 bytes (two cache lines). Slots past the last element hold a
// sentinel key greater than every real key, so the min-of-four step never tests how many children
// exist. pop() walks the hole from the root to a leaf, always into the smallest child, without
// comparing against the element being re-inserted (Floyd's bottom-up variant: the last element
// nearly always belongs near the leaves), then sifts that last element up from the leaf.
//
// Neither type is thread-safe; both are copyable and movable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "sim/kernel/event.h"

namespace hlsim {

// 128-bit integers are a compiler extension, not ISO C++; __extension__ marks the use deliberate.
__extension__ typedef unsigned __int128 EventKey;

struct PackedEvent {
  static constexpr std::uint64_t kMaxNodes = std::uint64_t{1} << 24;
  static constexpr std::uint64_t kMaxSeq = std::uint64_t{1} << 40;
  static constexpr std::uint64_t kTimeFlip = std::uint64_t{1} << 63;
  static constexpr EventKey kSentinelKey = ~EventKey{0};

  EventKey key;
  std::uint64_t arg;
  EventKind kind;
  std::uint32_t unused;  // zero; EventQueue's staging ring keeps a bucket level here meanwhile

  // REQUIRES: e.node < kMaxNodes, seq < kMaxSeq (checked; aborts otherwise).
  static PackedEvent pack(const Event& e, std::uint64_t seq) {
    return PackedEvent{pack_key(e, seq), e.arg, e.kind, 0};
  }
  // The key pack() would store. REQUIRES: as pack().
  static EventKey pack_key(const Event& e, std::uint64_t seq) {
    if (((static_cast<std::uint64_t>(e.node) >> 24) | (seq >> 40)) != 0) [[unlikely]] {
      limits_exceeded(e.node, seq);
    }
    const std::uint64_t hi = static_cast<std::uint64_t>(e.time_ns) ^ kTimeFlip;
    const std::uint64_t lo = (static_cast<std::uint64_t>(e.node) << 40) | seq;
    return (static_cast<EventKey>(hi) << 64) | lo;
  }

  // The time as an order-preserving unsigned number.
  std::uint64_t time_key() const { return static_cast<std::uint64_t>(key >> 64); }
  TimeNs time_ns() const { return static_cast<TimeNs>(time_key() ^ kTimeFlip); }
  NodeId node() const { return static_cast<NodeId>(static_cast<std::uint64_t>(key) >> 40); }
  std::uint64_t seq() const { return static_cast<std::uint64_t>(key) & (kMaxSeq - 1); }
  Event unpack() const { return Event{time_ns(), node(), kind, arg}; }

  [[noreturn]] static void limits_exceeded(NodeId node, std::uint64_t seq);
};
static_assert(sizeof(PackedEvent) == 32);

// std::allocator with a larger alignment, so that a heap's sibling groups share cache lines.
template <class T, std::size_t kAlign>
struct AlignedAllocator {
  using value_type = T;
  template <class U>
  struct rebind {
    using other = AlignedAllocator<U, kAlign>;
  };
  AlignedAllocator() = default;
  template <class U>
  AlignedAllocator(const AlignedAllocator<U, kAlign>&) {}  // NOLINT(google-explicit-constructor)
  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{kAlign}));
  }
  void deallocate(T* p, std::size_t) { ::operator delete (p, std::align_val_t{kAlign}); }
  friend bool operator==(const AlignedAllocator&, const AlignedAllocator&) { return true; }
};

class EventHeap {
 public:
  EventHeap() = default;

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  // REQUIRES: !empty().
  const PackedEvent& top() const { return slots_[kRoot]; }

  void push(const PackedEvent& x) {
    if (kRoot + size_ + 1 > slots_.size()) grow(2 * size_ + 16);
    sift_up(kRoot + size_, x);
    ++size_;
  }

  // Removes and returns the minimum. REQUIRES: !empty().
  PackedEvent pop() {
    PackedEvent* const s = slots_.data();
    const PackedEvent result = s[kRoot];
    const std::size_t last = kRoot + size_ - 1;
    const PackedEvent x = s[last];
    s[last].key = PackedEvent::kSentinelKey;
    if (--size_ == 0) return result;
    // Walk the hole from the root to a leaf, always into the smallest child. Sentinels stand in
    // for missing children, so each step is four loads, three compares and conditional moves.
    std::size_t hole = kRoot;
    for (std::size_t c = first_child(hole); c < last; c = first_child(hole)) {
      const PackedEvent* const g = s + c;
      const EventKey k0 = g[0].key;
      const EventKey k1 = g[1].key;
      const EventKey k2 = g[2].key;
      const EventKey k3 = g[3].key;
      const bool b01 = k1 < k0;
      const bool b23 = k3 < k2;
      const EventKey m01 = b01 ? k1 : k0;
      const EventKey m23 = b23 ? k3 : k2;
      const std::size_t i01 = static_cast<std::size_t>(b01);
      const std::size_t i23 = 2 + static_cast<std::size_t>(b23);
      // A mask, not `?:`: the compiler turns a ternary on this 50/50 outcome into a branch.
      const std::size_t take23 = std::size_t{0} - static_cast<std::size_t>(m23 < m01);
      const std::size_t best = c + (i01 ^ ((i01 ^ i23) & take23));
      s[hole] = s[best];
      hole = best;
    }
    sift_up(hole, x);
    return result;
  }

  // Replaces the contents with [first, last) in O(n). REQUIRES: empty().
  void assign(const PackedEvent* first, const PackedEvent* last);

  void reserve(std::size_t n) {
    if (kRoot + n > slots_.size()) grow(n);
  }

  // Removes every element; keeps the allocation.
  void clear();

  // Releases the allocation when it is far larger than needed. REQUIRES: empty().
  void shrink_if_larger_than(std::size_t n);

 private:
  // Physical index of the root: with the root at 3, the children of p are 4p-8 .. 4p-5, so every
  // sibling group starts at a multiple of 4 entries (128 bytes) from the aligned base.
  static constexpr std::size_t kRoot = 3;
  static constexpr std::size_t kAlignBytes = 128;

  static constexpr std::size_t first_child(std::size_t p) { return 4 * p - 8; }
  static constexpr std::size_t parent(std::size_t c) { return (c + 8) / 4; }

  void sift_up(std::size_t hole, const PackedEvent& x) {
    PackedEvent* const s = slots_.data();
    while (hole > kRoot) {
      const std::size_t p = parent(hole);
      if (!(x.key < s[p].key)) break;
      s[hole] = s[p];
      hole = p;
    }
    s[hole] = x;
  }

  // Makes room for `n` elements; new slots hold sentinels.
  void grow(std::size_t n);

  std::vector<PackedEvent, AlignedAllocator<PackedEvent, kAlignBytes>> slots_;
  std::size_t size_ = 0;
};

}  // namespace hlsim
