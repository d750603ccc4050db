#include "sim/kernel/event_queue.h"

#include <algorithm>
#include <array>
#include <bit>
#include <limits>
#include <memory>
#include <utility>

namespace hlsim {
namespace {

constexpr std::uint64_t kLastTimeKey = std::numeric_limits<std::uint64_t>::max();

// Evenly spaced sample of `far` used to estimate how densely its earliest events are packed.
constexpr std::size_t kSampleSize = 127;

}  // namespace

EventQueue::Bucket& EventQueue::Bucket::operator=(const Bucket& other) {
  if (this == &other) return *this;
  release();
  if (other.size_ > 0) {
    data_ = std::make_unique_for_overwrite<PackedEvent[]>(other.size_);
    std::copy(other.begin(), other.end(), data_.get());
    size_ = other.size_;
    capacity_ = other.size_;
  }
  return *this;
}

void EventQueue::Bucket::grow() {
  const std::uint32_t capacity = capacity_ == 0 ? 4 : 2 * capacity_;
  auto data = std::make_unique_for_overwrite<PackedEvent[]>(capacity);
  std::copy(begin(), end(), data.get());
  data_ = std::move(data);
  capacity_ = capacity;
}

void EventQueue::Front::assign(const PackedEvent* first, const PackedEvent* last) {
  const auto n = static_cast<std::size_t>(last - first);
  if (n > kMaxRun) {
    run_.clear();
    head_ = 0;
    heap_mode_ = true;
    heap_.assign(first, last);
    return;
  }
  heap_mode_ = false;
  run_.assign(first, last);
  head_ = 0;
  // Insertion sort: the runs are short, and the copy above has just brought them into cache.
  PackedEvent* const a = run_.data();
  for (std::size_t i = 1; i < n; ++i) {
    const PackedEvent x = a[i];
    std::size_t j = i;
    for (; j > 0 && x.key < a[j - 1].key; --j) a[j] = a[j - 1];
    a[j] = x;
  }
}

void EventQueue::Front::insert(const PackedEvent& x) {
  if (run_.size() - head_ >= kMaxRun) {
    heap_.assign(run_.data() + head_, run_.data() + run_.size());
    run_.clear();
    head_ = 0;
    heap_mode_ = true;
    heap_.push(x);
    return;
  }
  run_.push_back(x);
  PackedEvent* const a = run_.data();
  std::size_t j = run_.size() - 1;
  for (; j > head_ && x.key < a[j - 1].key; --j) a[j] = a[j - 1];
  a[j] = x;
}

void EventQueue::Front::clear() {
  run_.clear();
  head_ = 0;
  heap_.clear();
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

void EventQueue::release_or_clear(Bucket& bucket) {
  if (bucket.capacity() > kKeepBucketCapacity) {
    bucket.release();
  } else {
    bucket.clear();
  }
}

void EventQueue::refill_front() {
  for (;;) {
    if (depth_ == 0) {
      rebuild_from_far();
      if (!front_.empty()) return;
      continue;
    }
    Rung& rung = rungs_[depth_ - 1];
    while (rung.next < rung.count && rung.buckets[rung.next].empty()) ++rung.next;
    if (rung.next == rung.count) {
      --depth_;
      continue;
    }
    const std::size_t i = rung.next++;
    Bucket& bucket = rung.buckets[i];
    if (bucket.size() > kSplitThreshold && rung.shift > 0 && depth_ < kMaxRungs) {
      split_bucket(i);
      continue;
    }
    front_.assign(bucket.begin(), bucket.end());
    release_or_clear(bucket);
    front_last_ = rung.bucket_last(i);
    return;
  }
}

void EventQueue::split_bucket(std::size_t i) {
  Rung& parent = rungs_[depth_ - 1];
  Bucket& bucket = parent.buckets[i];
  // Enough finer buckets for kTargetPerBucket events each if they were spread evenly; a crowded
  // finer bucket is split again, up to kMaxRungs.
  const std::size_t wanted = std::max<std::size_t>(2, bucket.size() / kTargetPerBucket);
  const unsigned bits = std::min<unsigned>(parent.shift, std::bit_width(wanted - 1));
  Rung& child = rungs_[depth_];
  child.reset(parent.base + (std::uint64_t{i} << parent.shift), parent.shift - bits,
              std::size_t{1} << bits);
  for (const PackedEvent& x : bucket) {
    child.buckets[(x.time_key() - child.base) >> child.shift].push(x);
  }
  release_or_clear(bucket);
  ++depth_;
}

void EventQueue::rebuild_from_far() {
  const std::size_t m = far_.size();
  std::uint64_t min_key = kLastTimeKey;
  std::uint64_t max_key = 0;
  for (const PackedEvent& x : far_) {
    min_key = std::min(min_key, x.time_key());
    max_key = std::max(max_key, x.time_key());
  }
  if (m <= kMinRungEvents || min_key == max_key) {
    // Few events, or all at one time: they all go to the front.
    front_.assign(far_.data(), far_.data() + m);
    far_.clear();
    front_last_ = max_key;
    return;
  }

  // The bucket width: from how densely far's earliest events are packed, estimated on an evenly
  // spaced sample, since the buckets near the front are the ones consumed soonest; the coarser
  // spread of later events is refined by splitting when their turn comes.
  std::array<std::uint64_t, kSampleSize> sample{};
  const std::size_t samples = std::min(m, kSampleSize);
  for (std::size_t i = 0; i < samples; ++i) sample[i] = far_[i * m / samples].time_key();
  std::sort(sample.begin(), sample.begin() + samples);
  std::uint64_t span = 0;
  std::uint64_t events_in_span = 0;
  for (std::size_t j = samples / 8; j < samples; j = 2 * j + 1) {
    span = sample[j] - min_key;
    events_in_span = (j + 1) * m / samples;
    if (span > 0) break;
  }
  if (span == 0) {
    span = max_key - min_key;
    events_in_span = m;
  }
  const std::uint64_t wanted = std::max<std::uint64_t>(1, events_in_span / kTargetPerBucket);
  const auto shift = static_cast<unsigned>(std::bit_width(span / wanted));
  // As many buckets as reach the last event, but no more than a few per event in `far`.
  const std::uint64_t reach = ((max_key - min_key) >> shift) + 1;
  const auto count = static_cast<std::size_t>(
      std::min<std::uint64_t>(reach, 2 * (m / kTargetPerBucket) + 16));

  Rung& rung = rungs_[0];
  rung.reset(min_key, shift, count);
  depth_ = 1;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < m; ++i) {
    const PackedEvent& x = far_[i];
    const std::uint64_t index = (x.time_key() - rung.base) >> rung.shift;
    if (index < count) {
      rung.buckets[index].push(x);
    } else {
      far_[kept++] = x;
    }
  }
  far_.resize(kept);
}

void EventQueue::clear() {
  front_.clear();
  for (Rung& rung : rungs_) {
    for (Bucket& bucket : rung.buckets) bucket.clear();
    rung.next = rung.count;
  }
  depth_ = 0;
  far_.clear();
  size_ = 0;
}

}  // namespace hlsim
