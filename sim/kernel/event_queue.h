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
// 2005):
//   front  exactly the events with time <= front_last_ (one bucket's worth), as a sorted run
//          popped from its head while short, and as an EventHeap when it grows long;
//   rungs  up to kMaxRungs windows of unsorted buckets of equal power-of-two width; each rung
//          covers the times between the next finer rung (or the front) and the coarser one;
//   far    an unsorted bucket of every event later than the coarsest rung.
// push() appends to one bucket or to `far` in O(1) (or inserts into the short front); in a large
// queue, where the bucket is rarely in the cache, the event waits a few pushes in a small staging
// ring while its bucket is prefetched (see stage()). When the front empties, the finest rung's
// next non-empty bucket is sorted into it, or, if that bucket is crowded, split into a finer rung
// first. When every rung is used up, a new coarsest rung is
// built from `far`: its bucket width comes from how densely far's earliest events are packed
// (estimated from an evenly spaced sample), so that buckets hold about kTargetPerBucket events,
// and it reaches over at least far's earliest eighth and at most a bucket count proportional to
// |far|; later events stay in `far`. Every rebuild thus moves a constant fraction of what it
// scans, so each event is scanned O(1) times amortized. Bucket widths are powers of two, so
// locating a bucket is a subtract and a shift. All buckets, `far` included, keep their events in
// fixed-size chunks from one pool: the steady state allocates nothing, and memory follows the
// peak number of pending events (about 64 bytes per event at 10^6), whichever level holds them.
//
// A distribution the rungs fit badly only makes the front long, and a long front is a heap, so the
// worst case is O(log n) per operation. Not thread-safe. Copyable and movable.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
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
    const EventKey key = PackedEvent::pack_key(e, seq);
    const auto t = static_cast<std::uint64_t>(key >> 64);
    if (size_++ == 0) {
      depth_ = 0;
      front_last_ = t;
    }
    if (t <= front_last_) {
      front_.push(PackedEvent{key, e.arg, e.kind, 0});
      return;
    }
    auto level = static_cast<std::uint32_t>(kFarLevel);
    std::size_t index = 0;
    Bucket* bucket = &far_;
    for (std::size_t r = depth_; r-- > 0;) {
      Rung& rung = rungs_[r];
      if (t <= rung.last) {
        // t > front_last_ (or the finer rung's last), so the index is a live bucket.
        level = static_cast<std::uint32_t>(r);
        index = (t - rung.base) >> rung.shift;
        bucket = &rung.buckets[index];
        break;
      }
    }
    if (size_ > kStageMinEvents) {
      stage(key, e, level, index, bucket);
    } else {
      PackedEvent* const out = append(*bucket);
      out->key = key;  // field by field, for the reason given at stage()
      out->arg = e.arg;
      out->kind = e.kind;
      out->unused = 0;
    }
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

  // Makes room for about `n` pending events, so that a run of that size allocates nothing.
  void reserve(std::size_t n);

  // Removes every event; keeps the memory for reuse.
  void clear();

 private:
  // Events per bucket that a rung aims at: few enough that sorting a bucket is cheap, enough that
  // few buckets are empty.
  static constexpr std::size_t kTargetPerBucket = 6;
  // A bucket with more events than this is split into a finer rung rather than sorted.
  static constexpr std::size_t kSplitThreshold = 64;
  static constexpr std::size_t kMaxRungs = 8;
  // `far` with at most this many events goes straight to the front.
  static constexpr std::size_t kMinRungEvents = 32;
  // Events per storage chunk (a power of two).
  static constexpr std::uint32_t kChunkEvents = 4;
  static constexpr std::uint32_t kNoChunk = 0xFFFF'FFFFu;

  // The events up to front_last_: a sorted run while short (pop is a read), a heap when long
  // (push stays O(log n) even when a whole burst of equal-time events is here).
  class Front {
   public:
    // Longest sorted run; beyond it the front is a heap.
    static constexpr std::size_t kMaxRun = 64;
    // Runs up to this long are sorted by counting ranks (assign_short), longer ones by insertion.
    static constexpr std::size_t kRankSortMax = 20;
    // assign_short pads its input with sentinels to a multiple of this.
    static constexpr std::size_t kRankStride = 8;
    // Room assign_short needs for kRankSortMax events: whole chunks (what drain writes) and
    // whole strides (what the rank loop reads).
    static constexpr std::size_t kShortRoom = 24;
    static_assert(kShortRoom >= (kRankSortMax + kRankStride - 1) / kRankStride * kRankStride);
    static_assert(kShortRoom >= (kRankSortMax + kChunkEvents - 1) / kChunkEvents * kChunkEvents);
    // Heap capacity kept once the front is back to short runs.
    static constexpr std::size_t kKeepHeapEvents = 4096;

    bool empty() const { return heap_mode_ ? heap_.empty() : head_ == end_; }
    // REQUIRES: !empty().
    const PackedEvent& top() const { return heap_mode_ ? heap_.top() : run_[head_]; }
    PackedEvent pop() { return heap_mode_ ? heap_.pop() : run_[head_++]; }
    // By value, as insert(): a reference would keep the caller's event on the stack on every path.
    void push(PackedEvent x) {
      if (heap_mode_) {
        heap_.push(x);
      } else {
        insert(x);
      }
    }
    // Replaces the contents with [first, last). REQUIRES: empty().
    void assign(const PackedEvent* first, const PackedEvent* last);
    // Replaces the contents with events[0, n); overwrites events[n, kShortRoom).
    // REQUIRES: empty(), n <= kRankSortMax, `events` has room for kShortRoom events.
    void assign_short(PackedEvent* events, std::size_t n);
    void clear();

   private:
    void insert(PackedEvent x);
    // Sets the run to events[0, n) sorted. REQUIRES: n <= kMaxRun.
    void insertion_sort(const PackedEvent* events, std::size_t n);
    // Writes each events[i], i < n, to out[rank], rank = the number of keys[j], j < padded, less
    // than keys[i]; returns the sum of the ranks. REQUIRES: padded a multiple of kRankStride,
    // keys[n, padded) not less than any of keys[0, n).
    template <class Key>
    static std::size_t rank_into(const Key* keys, const PackedEvent* events, std::size_t n,
                                 std::size_t padded, PackedEvent* out);

    // After a run with equal times, this many runs are ranked on full keys straight away.
    static constexpr unsigned kFullKeyRefillsAfterTie = 16;

    std::array<PackedEvent, kMaxRun> run_{};  // ascending by key; run_[head_, end_) are pending
    std::size_t head_ = 0;
    std::size_t end_ = 0;
    EventHeap heap_;
    bool heap_mode_ = false;
    unsigned full_key_refills_ = 0;  // runs still to rank on full keys (see assign_short)
  };

  struct Chunk {
    PackedEvent events[kChunkEvents];
  };

  // An unsorted set of events: a chain of chunks, all full but the last (`tail`).
  struct Bucket {
    std::uint32_t head = kNoChunk;
    std::uint32_t tail = kNoChunk;
    std::uint32_t size = 0;
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
    // Prepares `n` buckets of width 2^shift from `base`. REQUIRES: every bucket empty.
    void reset(std::uint64_t base_key, unsigned width_shift, std::size_t n);
  };

  // Adds a slot to `b` and returns it for the caller to fill. The event is written straight
  // from registers into the slot: passing it by reference would make it go through the stack,
  // and reading it back whole there stalls on the two half-width stores that wrote it.
  PackedEvent* append(Bucket& b) {
    const std::uint32_t slot = b.size & (kChunkEvents - 1);
    if (slot == 0) {
      if (free_chunk_ == kNoChunk) grow_chunk_pool(chunks_.size() + chunks_.size() / 2 + 64);
      const std::uint32_t c = free_chunk_;
      free_chunk_ = next_chunk_[c];
      next_chunk_[c] = kNoChunk;
      if (b.size == 0) {
        b.head = c;
      } else {
        next_chunk_[b.tail] = c;
      }
      b.tail = c;
    }
    ++b.size;
    return &chunks_[b.tail].events[slot];
  }
  // Staging. An event bound for a bucket is not appended at once: the bucket's descriptor (and
  // through it the chunk the event goes to) is usually a cache miss in a large queue, and the
  // append would wait for it. Instead the descriptor is prefetched and the event parked in a
  // small ring, and it is appended kStageDepth pushes later, when the prefetch has landed. A
  // staged event is later than front_last_, so it cannot be the next one popped; every staged
  // event is appended (flush_staged) before anything reads or restructures the buckets
  // (refill_front, clear), so which events the buckets hold is the same as without staging, and
  // so is the order of pops. Staged events count in size_. A slot is identified by the level
  // (rung index, or kFarLevel), which PackedEvent::unused holds while it is staged, and the
  // bucket index, not by a pointer, so that copies of the queue stay valid.
  //
  // Staging pays only when the buckets are beyond the fast caches: below this many pending
  // events (about half a megabyte of them) pushes append at once.
  static constexpr std::size_t kStageMinEvents = std::size_t{1} << 14;
  static constexpr std::size_t kStageDepth = 4;
  static constexpr std::uint32_t kFarLevel = kMaxRungs;
  static constexpr std::uint32_t kNoLevel = kMaxRungs + 1;  // an empty ring slot

  struct Staged {
    PackedEvent event{PackedEvent::kSentinelKey, 0, 0, kNoLevel};
    std::size_t index = 0;  // the bucket in the rung `event.unused`
  };

  // Parks the event with key `key` and e's kind and arg, bound for bucket `index` of level
  // `level` (which is `bucket`). Field by field: an event built whole and then copied would go
  // through the stack, and reading it back there stalls on the narrower stores that wrote it.
  void stage(EventKey key, const Event& e, std::uint32_t level, std::size_t index,
             const Bucket* bucket) {
    __builtin_prefetch(bucket, 1);  // a hint only: no effect on the result
    Staged& slot = staged_[stage_next_];
    if (slot.event.unused != kNoLevel) {
      commit(slot);
    } else {
      ++staged_count_;
    }
    slot.event.key = key;
    slot.event.arg = e.arg;
    slot.event.kind = e.kind;
    slot.event.unused = level;
    slot.index = index;
    stage_next_ = (stage_next_ + 1) % kStageDepth;
  }
  // Appends the slot's event to its bucket and empties the slot.
  void commit(Staged& slot) {
    const std::uint32_t level = slot.event.unused;
    Bucket& b = level == kFarLevel ? far_ : rungs_[level].buckets[slot.index];
    PackedEvent* const out = append(b);
    *out = slot.event;
    out->unused = 0;
    slot.event.unused = kNoLevel;
  }
  // Appends every staged event.
  void flush_staged() {
    if (staged_count_ == 0) return;
    for (Staged& slot : staged_) {
      if (slot.event.unused != kNoLevel) commit(slot);
    }
    staged_count_ = 0;
  }

  // Grows the pool to `n` chunks (if smaller), adding the new ones to the free list.
  void grow_chunk_pool(std::size_t n);
  // Copies `b`'s events to out[0, b.size), returns its chunks to the pool and empties `b`. It
  // copies whole chunks, so `out` needs room for drain_room(b.size) events; the slots past b.size
  // receive stale events. REQUIRES: b.size > 0.
  void drain(Bucket& b, PackedEvent* out);
  static constexpr std::size_t drain_room(std::size_t n) {
    return (n + kChunkEvents - 1) / kChunkEvents * kChunkEvents;
  }
  // Calls f(event) for each event of `b` and empties `b`, returning each chunk to the pool before
  // visiting its events, so `f` may append to any bucket, `b` included.
  template <class F>
  void consume(Bucket& b, F f);

  // Moves the next events into the (empty) front. REQUIRES: front_ empty, size_ > 0.
  void refill_front();
  // Builds the coarsest rung from `far`, or moves a small `far` into the front.
  // REQUIRES: front_ empty, depth_ == 0, far_ not empty.
  void rebuild_from_far();
  // Replaces bucket `i` of the finest rung by a finer rung holding its events.
  void split_bucket(std::size_t i);

  // Invariants (on time keys, PackedEvent::time_key()):
  //  * front_ holds exactly the events <= front_last_, and is empty only when the queue is;
  //  * rungs_[r] for r < depth_ holds the events in (L, rungs_[r].last], where L is
  //    rungs_[r + 1].last, or front_last_ for the finest rung; its buckets below `next` are empty,
  //    and L is the last key of bucket next - 1 (or below base when next == 0);
  //  * far_ holds the events later than rungs_[0].last (all of them when depth_ == 0);
  //  * every chunk is either in exactly one bucket's chain or in the free list.
  Front front_;
  std::array<Rung, kMaxRungs> rungs_;
  std::size_t depth_ = 0;  // rungs in use, coarsest first
  Bucket far_;
  std::vector<Chunk> chunks_;
  std::vector<std::uint32_t> next_chunk_;  // chain links, parallel to chunks_
  std::uint32_t free_chunk_ = kNoChunk;    // head of the free list
  std::vector<PackedEvent> staging_;       // a drained bucket too long for the stack
  std::uint64_t front_last_ = 0;
  std::size_t size_ = 0;
  std::array<Staged, kStageDepth> staged_{};
  std::size_t stage_next_ = 0;    // the ring slot the next push uses
  std::size_t staged_count_ = 0;  // occupied ring slots
};

}  // namespace hlsim
