// EventQueue: the kernel's pending-event set, a min-queue on the key (time_ns, node, seq).
//
// `seq` is supplied by the caller (the kernel's global insertion counter) and must be unique, so
// the order is total: equal times are broken by node, then by insertion order. pop() therefore
// returns events in exactly the same order on every compiler and host, whatever the structure
// below does. Any int64 time is accepted, negative ones included, and an event may be pushed
// earlier than the last one popped. Limits: nodes < 2^24, seq < 2^40 (see PackedEvent in
// sim/kernel/event_heap.h; both are checked in every build).
//
// Structure: a calendar with nested rungs (after Tang, Goh and Thng's ladder queue, ACM TOMACS
// 2005), whose last level is a small heap instead of a sorted list:
//   front  exactly the events with time <= front_last_ (one bucket's worth), as a sorted run
//          popped from its head while short, and as an EventHeap when it grows long;
//   rungs  up to kMaxRungs windows of unsorted buckets of equal power-of-two width; each rung
//          covers the times between the next finer rung (or the front) and the coarser one;
//   far    an unsorted vector of every event later than the coarsest rung.
// push() appends to one bucket or to `far` in O(1) (or inserts into the short front). When the
// front empties, the finest rung's next non-empty bucket is sorted into it, or, if that bucket is
// crowded, split into a finer rung first. When every rung is used up, a new coarsest rung is
// built from `far`: its bucket width comes from the density of far's earliest events (estimated
// from an evenly spaced sample) so that buckets hold about kTargetPerBucket events, and it
// extends over the rest of `far` up to a bucket count proportional to |far|; events beyond it stay
// in `far`. Bucket widths are powers of two so that locating a bucket is a subtract and a shift.
//
// A distribution the rungs fit badly only makes the front long, and a long front is a heap, so the
// worst case is O(log n) per operation. Memory is O(pending events): drained buckets that grew past
// kKeepBucketCapacity release their memory. Not thread-safe. Copyable and movable.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/kernel/event.h"
#include "sim/kernel/event_heap.h"

namespace hlsim {

class EventQueue {
 public:
  static constexpr std::uint64_t kMaxNodes = PackedEvent::kMaxNodes;
  static constexpr std::uint64_t kMaxSeq = PackedEvent::kMaxSeq;

  // Adds `e` with tie-break sequence `seq`. REQUIRES: e.node < kMaxNodes, seq < kMaxSeq, and seq
  // distinct from the seq of every other pending event.
  void push(const Event& e, std::uint64_t seq) {
    const PackedEvent x = PackedEvent::pack(e, seq);
    const std::uint64_t t = x.time_key();
    if (size_++ == 0) {
      depth_ = 0;
      front_last_ = t;
    }
    if (t <= front_last_) {
      front_.push(x);
      return;
    }
    for (std::size_t r = depth_; r-- > 0;) {
      Rung& rung = rungs_[r];
      if (t <= rung.last) {
        // t > front_last_ (or the finer rung's last), so the index is a live bucket.
        rung.buckets[(t - rung.base) >> rung.shift].push(x);
        return;
      }
    }
    far_.push_back(x);
  }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  // The minimum event and its parts. REQUIRES: !empty().
  Event top() const { return front_.top().unpack(); }
  TimeNs top_time_ns() const { return front_.top().time_ns(); }
  std::uint64_t top_seq() const { return front_.top().seq(); }

  // Removes and returns the minimum event. REQUIRES: !empty().
  Event pop() {
    const PackedEvent x = front_.pop();
    if (--size_ != 0 && front_.empty()) refill_front();
    return x.unpack();
  }

  // Makes room for `n` pending events in `far`, where a burst of pushes lands.
  void reserve(std::size_t n) { far_.reserve(n); }

  // Removes every event.
  void clear();

 private:
  // Events per bucket that a rung aims at: small enough that the front heap stays within a few
  // cache lines, large enough that few buckets are empty.
  static constexpr std::size_t kTargetPerBucket = 6;
  // A bucket with more events than this is split into a finer rung rather than heapified.
  static constexpr std::size_t kSplitThreshold = 64;
  static constexpr std::size_t kMaxRungs = 8;
  // `far` with at most this many events goes straight to the front heap.
  static constexpr std::size_t kMinRungEvents = 32;
  // A drained bucket whose capacity exceeds this releases its memory.
  static constexpr std::size_t kKeepBucketCapacity = 32;

  // An unsorted run of events: a minimal vector whose append stays inline.
  class Bucket {
   public:
    Bucket() = default;
    Bucket(const Bucket& other) { *this = other; }
    Bucket& operator=(const Bucket& other);
    Bucket(Bucket&&) noexcept = default;
    Bucket& operator=(Bucket&&) noexcept = default;
    ~Bucket() = default;

    void push(const PackedEvent& x) {
      if (size_ == capacity_) [[unlikely]] grow();
      data_[size_++] = x;
    }
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    std::size_t capacity() const { return capacity_; }
    const PackedEvent* begin() const { return data_.get(); }
    const PackedEvent* end() const { return data_.get() + size_; }
    void clear() { size_ = 0; }
    void release() {
      data_.reset();
      size_ = 0;
      capacity_ = 0;
    }

   private:
    void grow();
    std::unique_ptr<PackedEvent[]> data_;
    std::uint32_t size_ = 0;
    std::uint32_t capacity_ = 0;
  };

  struct Rung {
    std::uint64_t base = 0;  // time key where bucket 0 starts
    std::uint64_t last = 0;  // last time key the rung covers, saturated at the largest key
    unsigned shift = 0;      // log2 of the bucket width
    std::size_t next = 0;    // buckets below this are used up (empty)
    std::size_t count = 0;   // buckets in use; `buckets` may hold more, kept for reuse
    std::vector<Bucket> buckets;

    // The last time key bucket `i` covers, saturated at the largest key.
    std::uint64_t bucket_last(std::size_t i) const;
    // Prepares `n` empty buckets of width 2^shift from `base`.
    void reset(std::uint64_t base_key, unsigned width_shift, std::size_t n);
  };

  // The events up to front_last_: a sorted run while short (pop is a read), a heap when long
  // (push stays O(log n) even when a whole burst of equal-time events is here).
  class Front {
   public:
    bool empty() const { return heap_mode_ ? heap_.empty() : head_ == run_.size(); }
    // REQUIRES: !empty().
    const PackedEvent& top() const { return heap_mode_ ? heap_.top() : run_[head_]; }
    PackedEvent pop() { return heap_mode_ ? heap_.pop() : run_[head_++]; }
    void push(const PackedEvent& x) {
      if (heap_mode_) {
        heap_.push(x);
      } else {
        insert(x);
      }
    }
    // Replaces the contents with [first, last). REQUIRES: empty().
    void assign(const PackedEvent* first, const PackedEvent* last);
    void clear();

   private:
    // Longest sorted run; beyond it the front is a heap.
    static constexpr std::size_t kMaxRun = 64;
    void insert(const PackedEvent& x);

    std::vector<PackedEvent> run_;  // ascending by key; run_[head_..] are pending
    std::size_t head_ = 0;
    EventHeap heap_;
    bool heap_mode_ = false;
  };

  // Moves the next events into the (empty) front. REQUIRES: front_ empty, size_ > 0.
  void refill_front();
  // Builds the coarsest rung from `far`, or moves a small `far` into the front.
  // REQUIRES: front_ empty, depth_ == 0, far_ not empty.
  void rebuild_from_far();
  // Replaces bucket `i` of the finest rung by a finer rung holding its events.
  void split_bucket(std::size_t i);
  void release_or_clear(Bucket& bucket);

  // Invariants (on time keys, PackedEvent::time_key()):
  //  * front_ holds exactly the events <= front_last_, and is empty only when the queue is;
  //  * rungs_[r] for r < depth_ holds the events in (L, rungs_[r].last], where L is
  //    rungs_[r + 1].last, or front_last_ for the finest rung; its buckets below `next` are empty,
  //    and L is the last key of bucket next - 1 (or base - 1 when next == 0);
  //  * far_ holds the events later than rungs_[0].last (all of them when depth_ == 0).
  Front front_;
  std::array<Rung, kMaxRungs> rungs_;
  std::size_t depth_ = 0;  // rungs in use, coarsest first
  std::vector<PackedEvent> far_;
  std::uint64_t front_last_ = 0;
  std::size_t size_ = 0;
};

}  // namespace hlsim
