#include "sim/kernel/event_queue.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <span>

namespace hlsim {
namespace {

constexpr std::uint64_t kLastTimeKey = std::numeric_limits<std::uint64_t>::max();

// Evenly spaced sample of `far` used to estimate how densely its earliest events are packed.
constexpr std::size_t kSampleSize = 127;

[[noreturn]] void chunk_pool_exhausted() {
  std::fputs("hlsim: EventQueue: more than 2^32 storage chunks (about 1.7e10 events) pending\n",
             stderr);
  std::abort();
}

}  // namespace

void EventQueue::Front::assign(const PackedEvent* first, const PackedEvent* last) {
  const auto n = static_cast<std::size_t>(last - first);
  head_ = 0;
  if (n > kMaxRun) {
    end_ = 0;
    heap_mode_ = true;
    heap_.assign(first, last);
    return;
  }
  heap_mode_ = false;
  heap_.shrink_if_larger_than(kKeepHeapEvents);  // a past burst's heap is not kept for ever
  end_ = n;
  insertion_sort(first, n);
}

void EventQueue::Front::assign_short(PackedEvent* events, std::size_t n) {
  head_ = 0;
  end_ = n;
  if (heap_mode_) {
    heap_mode_ = false;
    heap_.shrink_if_larger_than(kKeepHeapEvents);  // a past burst's heap is not kept for ever
  }
  // Counting sort by rank: each event's position is the number of events with a smaller key.
  // n^2 compares, but branch-free ones, which beats any branching sort on short runs of random
  // keys. The compares run over the events padded with sentinels to a multiple of kRankStride, so
  // that the inner trip count takes only a few values and its exit is predicted; a sentinel is
  // never smaller than a real key, so it adds nothing to a rank.
  //
  // The first pass ranks by time alone: a 64-bit compare is half the work of the full 128-bit
  // key's, and when the times are distinct their order is the key order. The ranks are then a
  // permutation of 0..n-1 and sum to n(n-1)/2; equal times share a rank and make the sum smaller,
  // and then the full keys are ranked instead (they are distinct: seq is unique). While equal
  // times keep coming, the time pass is skipped.
  const std::size_t padded = (n + kRankStride - 1) / kRankStride * kRankStride;
  for (std::size_t k = n; k < padded; ++k) events[k].key = PackedEvent::kSentinelKey;
  const std::size_t distinct_rank_sum = n * (n - 1) / 2;
  PackedEvent* const out = run_.data();
  if (full_key_refills_ == 0) {
    std::array<std::uint64_t, kShortRoom> times;
    for (std::size_t k = 0; k < padded; ++k) times[k] = events[k].time_key();
    if (rank_into(times.data(), events, n, padded, out) == distinct_rank_sum) return;
    full_key_refills_ = kFullKeyRefillsAfterTie;
  } else {
    --full_key_refills_;
  }
  std::array<EventKey, kShortRoom> keys;
  for (std::size_t k = 0; k < padded; ++k) keys[k] = events[k].key;
  if (rank_into(keys.data(), events, n, padded, out) != distinct_rank_sum) [[unlikely]] {
    insertion_sort(events, n);  // equal keys: a broken caller, but still a sorted run
  }
}

template <class Key>
std::size_t EventQueue::Front::rank_into(const Key* keys, const PackedEvent* events, std::size_t n,
                                         std::size_t padded, PackedEvent* out) {
  std::size_t rank_sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Key key = keys[i];
    std::size_t rank = 0;
    for (std::size_t j = 0; j < padded; j += kRankStride) {
      // Unrolled a whole stride: the compares are independent, so each is a load, a compare
      // and an add with carry, without loop overhead between them.
#pragma GCC unroll 8
      for (std::size_t k = 0; k < kRankStride; ++k) {
        rank += static_cast<std::size_t>(keys[j + k] < key);
      }
    }
    out[rank] = events[i];
    rank_sum += rank;
  }
  return rank_sum;
}

void EventQueue::Front::insertion_sort(const PackedEvent* events, std::size_t n) {
  PackedEvent* const out = run_.data();
  std::copy(events, events + n, out);
  for (std::size_t i = 1; i < n; ++i) {
    const PackedEvent x = out[i];
    std::size_t j = i;
    for (; j > 0 && x.key < out[j - 1].key; --j) out[j] = out[j - 1];
    out[j] = x;
  }
}

void EventQueue::Front::insert(PackedEvent x) {
  if (end_ == kMaxRun) {
    if (head_ == 0) {
      // The run is full: from now on the front is a heap.
      heap_.assign(run_.data(), run_.data() + end_);
      end_ = 0;
      heap_mode_ = true;
      heap_.push(x);
      return;
    }
    std::copy(run_.data() + head_, run_.data() + end_, run_.data());
    end_ -= head_;
    head_ = 0;
  }
  PackedEvent* const a = run_.data();
  std::size_t j = end_++;
  for (; j > head_ && x.key < a[j - 1].key; --j) a[j] = a[j - 1];
  a[j] = x;
}

void EventQueue::Front::clear() {
  head_ = 0;
  end_ = 0;
  heap_.clear();
  heap_.shrink_if_larger_than(kKeepHeapEvents);
  heap_mode_ = false;
}

std::uint64_t EventQueue::Rung::bucket_last(std::size_t i) const {
  __extension__ typedef unsigned __int128 Wide;
  const Wide last_key = Wide{base} + (Wide{i + 1} << shift) - 1;
  return last_key > kLastTimeKey ? kLastTimeKey : static_cast<std::uint64_t>(last_key);
}

void EventQueue::Rung::reset(std::uint64_t base_key, unsigned width_shift, std::size_t n) {
  base = base_key;
  shift = width_shift;
  next = 0;
  count = n;
  last = bucket_last(n - 1);
  if (buckets.size() > 4 * n + 64) {
    // A much smaller rung than before: give back the surplus buckets.
    buckets.resize(n);
    buckets.shrink_to_fit();
  } else if (buckets.size() < n) {
    buckets.resize(n);
  }
}

void EventQueue::grow_chunk_pool(std::size_t n) {
  const std::size_t old_size = chunks_.size();
  if (n <= old_size) return;
  if (n >= kNoChunk) chunk_pool_exhausted();
  chunks_.resize(n);
  next_chunk_.resize(n);
  for (std::size_t c = old_size; c + 1 < n; ++c) next_chunk_[c] = static_cast<std::uint32_t>(c + 1);
  next_chunk_[n - 1] = free_chunk_;
  free_chunk_ = static_cast<std::uint32_t>(old_size);
}

void EventQueue::reserve(std::size_t n) {
  // Buckets are partly filled chunks: allow for about one spare chunk per bucket.
  grow_chunk_pool(n / kChunkEvents + n / kTargetPerBucket + 64);
}

void EventQueue::drain(Bucket& b, PackedEvent* out) {
  // Whole chunks, a fixed number of events each: plain moves, where a copy of b.size events would
  // be a library call per chunk.
  std::uint32_t c = b.head;
  for (std::uint32_t copied = 0;;) {
    for (std::uint32_t k = 0; k < kChunkEvents; ++k) out[k] = chunks_[c].events[k];
    out += kChunkEvents;
    copied += kChunkEvents;
    if (copied >= b.size) break;
    c = next_chunk_[c];
  }
  next_chunk_[b.tail] = free_chunk_;  // the whole chain joins the free list at once
  free_chunk_ = b.head;
  b = Bucket{};
}

template <class F>
void EventQueue::consume(Bucket& b, F f) {
  std::uint32_t remaining = b.size;
  std::uint32_t c = b.head;
  b = Bucket{};
  while (remaining > 0) {
    const std::uint32_t n = std::min(remaining, kChunkEvents);
    std::array<PackedEvent, kChunkEvents> events;
    std::copy(chunks_[c].events, chunks_[c].events + n, events.data());
    const std::uint32_t next = next_chunk_[c];
    next_chunk_[c] = free_chunk_;
    free_chunk_ = c;
    for (std::uint32_t k = 0; k < n; ++k) f(events[k]);
    remaining -= n;
    c = next;
  }
}

void EventQueue::refill_front() {
  flush_staged();
  for (;;) {
    if (depth_ == 0) {
      rebuild_from_far();
      if (depth_ == 0) return;  // `far` went straight to the front
      continue;
    }
    Rung& rung = rungs_[depth_ - 1];
    while (rung.next < rung.count && rung.buckets[rung.next].size == 0) ++rung.next;
    if (rung.next == rung.count) {
      --depth_;
      continue;
    }
    const std::size_t i = rung.next++;
    Bucket& bucket = rung.buckets[i];
    if (bucket.size > kSplitThreshold && rung.shift > 0 && depth_ < kMaxRungs) {
      split_bucket(i);
      continue;
    }
    const std::size_t n = bucket.size;
    if (n <= Front::kRankSortMax) {
      std::array<PackedEvent, Front::kShortRoom> events;
      drain(bucket, events.data());
      front_.assign_short(events.data(), n);
    } else {
      staging_.resize(drain_room(n));
      drain(bucket, staging_.data());
      front_.assign(staging_.data(), staging_.data() + n);
    }
    front_last_ = rung.bucket_last(i);
    return;
  }
}

void EventQueue::split_bucket(std::size_t i) {
  Rung& parent = rungs_[depth_ - 1];
  Bucket& bucket = parent.buckets[i];
  // Enough finer buckets for kTargetPerBucket events each if they were spread evenly; a crowded
  // finer bucket is split again, up to kMaxRungs.
  const std::size_t wanted = std::max<std::size_t>(2, bucket.size / kTargetPerBucket);
  const unsigned bits = std::min<unsigned>(parent.shift, std::bit_width(wanted - 1));
  Rung& child = rungs_[depth_];
  child.reset(parent.base + (std::uint64_t{i} << parent.shift), parent.shift - bits,
              std::size_t{1} << bits);
  const std::size_t n = bucket.size;
  staging_.resize(drain_room(n));
  drain(bucket, staging_.data());
  for (const PackedEvent& x : std::span(staging_.data(), n)) {
    *append(child.buckets[(x.time_key() - child.base) >> child.shift]) = x;
  }
  ++depth_;
}

void EventQueue::rebuild_from_far() {
  const std::size_t m = far_.size;
  assert(m > 0);
  if (m <= kMinRungEvents) {
    static_assert(drain_room(kMinRungEvents) == kMinRungEvents);
    std::array<PackedEvent, kMinRungEvents> events;
    drain(far_, events.data());
    front_.assign(events.data(), events.data() + m);
    front_last_ = 0;
    for (std::size_t i = 0; i < m; ++i) front_last_ = std::max(front_last_, events[i].time_key());
    return;
  }

  // One pass for the extremes and an evenly spaced sample of the times.
  std::array<std::uint64_t, kSampleSize> sample;
  const std::size_t samples = std::min(m, kSampleSize);
  std::uint64_t min_key = kLastTimeKey;
  std::uint64_t max_key = 0;
  {
    std::size_t k = 0;
    std::size_t taken = 0;
    std::size_t next_sample = 0;
    std::uint32_t c = far_.head;
    for (std::size_t remaining = m; remaining > 0; c = next_chunk_[c]) {
      const std::size_t n = std::min<std::size_t>(remaining, kChunkEvents);
      for (std::size_t j = 0; j < n; ++j, ++k) {
        const std::uint64_t t = chunks_[c].events[j].time_key();
        min_key = std::min(min_key, t);
        max_key = std::max(max_key, t);
        if (k == next_sample && taken < samples) {
          sample[taken++] = t;
          next_sample = taken * m / samples;
        }
      }
      remaining -= n;
    }
  }
  if (min_key == max_key) {
    // All at one time: they all go to the front.
    staging_.resize(drain_room(m));
    drain(far_, staging_.data());
    front_.assign(staging_.data(), staging_.data() + m);
    front_last_ = max_key;
    return;
  }

  // The bucket width: from how densely far's earliest events are packed, estimated on the
  // sample, since the buckets near the front are the ones consumed soonest; the coarser spread of
  // later events is refined by splitting when their turn comes.
  std::uint64_t span = 0;
  std::uint64_t events_in_span = 0;
  // The sample's 1/8 quantile, or a higher one when many events share the minimum time.
  for (std::size_t j = samples / 8; j < samples; j = 2 * j + 1) {
    std::nth_element(sample.begin(), sample.begin() + j, sample.begin() + samples);
    span = sample[j] - min_key;
    events_in_span = (j + 1) * m / samples;
    if (span > 0) break;
  }
  if (span == 0) {
    span = max_key - min_key;
    events_in_span = m;
  }
  const std::uint64_t wanted = std::max<std::uint64_t>(1, events_in_span / kTargetPerBucket);
  // 2^shift > span / wanted; at most 63, so that shifting a 64-bit key by it is defined.
  const auto shift =
      static_cast<unsigned>(std::min<std::uint64_t>(63, std::bit_width(span / wanted)));
  // As many buckets as reach the last event, but no more than a few per event in `far`.
  const std::uint64_t reach = ((max_key - min_key) >> shift) + 1;
  const auto count =
      static_cast<std::size_t>(std::min<std::uint64_t>(reach, 4 * (m / kTargetPerBucket) + 16));

  Rung& rung = rungs_[0];
  rung.reset(min_key, shift, count);
  depth_ = 1;
  consume(far_, [&](const PackedEvent& x) {
    const std::uint64_t index = (x.time_key() - rung.base) >> rung.shift;
    *append(index < count ? rung.buckets[index] : far_) = x;
  });
}

void EventQueue::clear() {
  for (Staged& slot : staged_) slot = Staged{};
  staged_count_ = 0;
  front_.clear();
  for (Rung& rung : rungs_) {
    for (Bucket& bucket : rung.buckets) {
      if (bucket.size > 0) {
        next_chunk_[bucket.tail] = free_chunk_;
        free_chunk_ = bucket.head;
        bucket = Bucket{};
      }
    }
    rung.next = rung.count;
  }
  if (far_.size > 0) {
    next_chunk_[far_.tail] = free_chunk_;
    free_chunk_ = far_.head;
    far_ = Bucket{};
  }
  depth_ = 0;
  size_ = 0;
}

}  // namespace hlsim
