#include "sim/kernel/event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>
#include <tuple>
#include <vector>

#include "sim/kernel/rng.h"

namespace hlsim {
namespace {

// The order the queue must follow, written the obvious way.
struct OracleKey {
  TimeNs time_ns;
  NodeId node;
  std::uint64_t seq;
  EventKind kind;
  std::uint64_t arg;
  bool operator<(const OracleKey& o) const {
    return std::tie(time_ns, node, seq) < std::tie(o.time_ns, o.node, o.seq);
  }
};

void expect_same(const Event& got, const OracleKey& want) {
  EXPECT_EQ(got.time_ns, want.time_ns);
  EXPECT_EQ(got.node, want.node);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.arg, want.arg);
}

TEST(EventQueueTest, NewQueueIsEmpty) {
  EventQueue q;
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.size(), 0u);
}

TEST(EventQueueTest, PopsInTimeOrder) {
  EventQueue q;
  std::uint64_t seq = 0;
  for (TimeNs t : {50, 10, 40, 20, 30})
    q.push(Event{t, 0, 0, static_cast<std::uint64_t>(t)}, seq++);
  for (TimeNs t : {10, 20, 30, 40, 50}) {
    ASSERT_FALSE(q.empty());
    EXPECT_EQ(q.top_time_ns(), t);
    const Event e = q.pop();
    EXPECT_EQ(e.time_ns, t);
    EXPECT_EQ(e.arg, static_cast<std::uint64_t>(t));
  }
  EXPECT_TRUE(q.empty());
}

TEST(EventQueueTest, EqualTimesBreakTiesByNodeThenBySeq) {
  EventQueue q;
  q.push(Event{7, 3, 0, 100}, 0);
  q.push(Event{7, 1, 0, 101}, 1);
  q.push(Event{7, 3, 0, 102}, 2);
  q.push(Event{7, 1, 0, 103}, 3);
  q.push(Event{6, 9, 0, 104}, 4);
  std::vector<std::uint64_t> args;
  while (!q.empty()) args.push_back(q.pop().arg);
  EXPECT_EQ(args, (std::vector<std::uint64_t>{104, 101, 103, 100, 102}));
}

TEST(EventQueueTest, TopSeqIsTheMinimumsSequence) {
  EventQueue q;
  q.push(Event{5, 2, 0, 0}, 17);
  q.push(Event{5, 1, 0, 0}, 18);
  EXPECT_EQ(q.top_seq(), 18u);
  EXPECT_EQ(q.top().node, 1u);
}

TEST(EventQueueTest, CarriesKindAndArgUnchanged) {
  EventQueue q;
  q.push(Event{1, 0xABCDEF, 0xFFFF'FFFFu, 0xFFFF'FFFF'FFFF'FFFFull}, EventQueue::kMaxSeq - 1);
  const Event e = q.pop();
  EXPECT_EQ(e.time_ns, 1);
  EXPECT_EQ(e.node, 0xABCDEFu);
  EXPECT_EQ(e.kind, 0xFFFF'FFFFu);
  EXPECT_EQ(e.arg, 0xFFFF'FFFF'FFFF'FFFFull);
}

TEST(EventQueueTest, NegativeAndExtremeTimesOrderCorrectly) {
  EventQueue q;
  const std::vector<TimeNs> times = {0,
                                     -1,
                                     1,
                                     std::numeric_limits<TimeNs>::min(),
                                     std::numeric_limits<TimeNs>::max(),
                                     -1'000'000'000'000,
                                     1'000'000'000'000};
  std::uint64_t seq = 0;
  for (TimeNs t : times) q.push(Event{t, 0, 0, 0}, seq++);
  std::vector<TimeNs> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  for (TimeNs t : sorted) EXPECT_EQ(q.pop().time_ns, t);
}

// Pushes `n` events with random times (many equal), then pops them all against a sorted oracle.
void check_fill_then_drain(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  EventQueue q;
  std::vector<OracleKey> oracle;
  for (std::uint64_t seq = 0; seq < n; ++seq) {
    const auto t = static_cast<TimeNs>(rng.next_below(n / 2 + 1));
    const auto node = static_cast<NodeId>(rng.next_below(4));
    q.push(Event{t, node, 0, seq}, seq);
    oracle.push_back(OracleKey{t, node, seq, 0, seq});
  }
  EXPECT_EQ(q.size(), n);
  std::sort(oracle.begin(), oracle.end());
  for (const OracleKey& want : oracle) {
    ASSERT_FALSE(q.empty());
    expect_same(q.pop(), want);
  }
  EXPECT_TRUE(q.empty());
}

TEST(EventQueueTest, DrainsInOrderAtSizes0To1000) {
  for (std::size_t n : {0, 1, 2, 5, 33, 100, 1000}) {
    SCOPED_TRACE(n);
    check_fill_then_drain(n, 1000 + n);
  }
}

TEST(EventQueueTest, DrainsInOrderAtLargeSize) { check_fill_then_drain(200'000, 7); }

// Random interleaved pushes and pops against a std::multiset oracle. `delay_ns` draws how far
// after the last popped time a new event lands; pushes may also go before it.
template <class DelayFn>
void check_against_oracle(std::uint64_t seed, int operations, DelayFn delay_ns) {
  Rng rng(seed);
  EventQueue q;
  std::multiset<OracleKey> oracle;
  std::uint64_t seq = 0;
  TimeNs now = 0;
  for (int op = 0; op < operations; ++op) {
    const bool push = oracle.empty() || rng.next_below(100) < 52;
    if (push) {
      const TimeNs t = now + delay_ns(rng);
      const auto node = static_cast<NodeId>(rng.next_below(8));
      const auto kind = static_cast<EventKind>(rng.next_below(3));
      q.push(Event{t, node, kind, seq}, seq);
      oracle.insert(OracleKey{t, node, seq, kind, seq});
      ++seq;
    } else {
      ASSERT_EQ(q.top_time_ns(), oracle.begin()->time_ns);
      ASSERT_EQ(q.top_seq(), oracle.begin()->seq);
      const Event e = q.pop();
      expect_same(e, *oracle.begin());
      if (::testing::Test::HasFailure()) return;
      now = e.time_ns;
      oracle.erase(oracle.begin());
    }
    ASSERT_EQ(q.size(), oracle.size());
  }
  while (!oracle.empty()) {
    expect_same(q.pop(), *oracle.begin());
    if (::testing::Test::HasFailure()) return;
    oracle.erase(oracle.begin());
  }
  EXPECT_TRUE(q.empty());
}

TEST(EventQueueTest, MatchesOracleWithManyEqualTimes) {
  check_against_oracle(1, 50'000, [](Rng& rng) { return static_cast<TimeNs>(rng.next_below(4)); });
}

TEST(EventQueueTest, MatchesOracleWithExponentialDelays) {
  check_against_oracle(2, 50'000, [](Rng& rng) {
    return static_cast<TimeNs>(rng.next_below(2'000'000) * rng.next_below(3));
  });
}

TEST(EventQueueTest, MatchesOracleWithWideSpreadAndPastEvents) {
  // Delays from -10^3 to 10^15 ns: outliers far in the future and pushes before the last pop.
  check_against_oracle(3, 50'000, [](Rng& rng) {
    const std::uint64_t magnitude = rng.next_below(16);
    TimeNs d = static_cast<TimeNs>(rng.next_below(10)) * 1;
    for (std::uint64_t i = 0; i < magnitude; ++i) d *= 10;
    return rng.next_below(10) == 0 ? -static_cast<TimeNs>(rng.next_below(1000)) : d;
  });
}

TEST(EventQueueTest, MatchesOracleWithClusteredBursts) {
  // Bursts of events at nearly the same time, far apart: crowded buckets that must split.
  check_against_oracle(4, 50'000, [](Rng& rng) {
    return static_cast<TimeNs>(rng.next_below(4) * 1'000'000'000 + rng.next_below(50));
  });
}

TEST(EventQueueTest, MatchesOracleWhenTiesComeAndGo) {
  // Short runs are ranked by time alone while times are distinct and on full keys after a tie:
  // phases of distinct times alternate with phases of coarse, often equal times, so the queue
  // switches between both ways many times; run lengths vary from 1 to well past the short-run
  // limit.
  int op = 0;
  check_against_oracle(7, 200'000, [&op](Rng& rng) {
    ++op;
    const bool coarse = (op / 3000) % 2 == 1;
    const std::uint64_t spread = std::uint64_t{1} << rng.next_below(14);
    return static_cast<TimeNs>(coarse ? rng.next_below(4) * 1000 : rng.next_below(spread) * 7);
  });
}

TEST(EventQueueTest, MatchesOracleOnPholdLikeLoadAtScale) {
  // The benchmark's shape: many pending events, each pop followed by a push far ahead (0.1 to a
  // few time units of 10^6 ns), so nearly every push goes to a rung bucket, and pops and pushes
  // alternate across many refills and rebuilds.
  Rng rng(8);
  EventQueue q;
  std::multiset<OracleKey> oracle;
  std::uint64_t seq = 0;
  auto push = [&](TimeNs t) {
    const auto node = static_cast<NodeId>(rng.next_below(50'000));
    q.push(Event{t, node, 0, seq}, seq);
    oracle.insert(OracleKey{t, node, seq, 0, seq});
    ++seq;
  };
  auto delay_ns = [&rng] {
    return 100'000 + static_cast<TimeNs>(rng.next_below(1'000'000) * rng.next_below(4));
  };
  for (int i = 0; i < 50'000; ++i) push(delay_ns());
  for (int op = 0; op < 300'000; ++op) {
    const Event e = q.pop();
    expect_same(e, *oracle.begin());
    ASSERT_FALSE(::testing::Test::HasFailure()) << "at operation " << op;
    oracle.erase(oracle.begin());
    push(e.time_ns + delay_ns());
    ASSERT_EQ(q.size(), oracle.size());
  }
}

TEST(EventQueueTest, MatchesOracleWhenInterleavingOnALargeQueue) {
  // A prefilled queue keeps several rungs and splits busy while pushes and pops interleave.
  Rng rng(6);
  EventQueue q;
  std::multiset<OracleKey> oracle;
  std::uint64_t seq = 0;
  auto push = [&](TimeNs t) {
    const auto node = static_cast<NodeId>(rng.next_below(1000));
    q.push(Event{t, node, 1, seq}, seq);
    oracle.insert(OracleKey{t, node, seq, 1, seq});
    ++seq;
  };
  for (int i = 0; i < 20'000; ++i) push(static_cast<TimeNs>(rng.next_below(1'000'000'000)));
  TimeNs now = 0;
  for (int op = 0; op < 60'000; ++op) {
    if (rng.next_below(2) == 0) {
      // Mostly later than now, at scales from nanoseconds to seconds; sometimes exactly now.
      const TimeNs scale = TimeNs{1} << rng.next_below(31);
      push(now + static_cast<TimeNs>(rng.next_below(static_cast<std::uint64_t>(scale))));
    } else {
      const Event e = q.pop();
      expect_same(e, *oracle.begin());
      ASSERT_FALSE(::testing::Test::HasFailure()) << "at operation " << op;
      oracle.erase(oracle.begin());
      now = e.time_ns;
    }
  }
  while (!oracle.empty()) {
    expect_same(q.pop(), *oracle.begin());
    ASSERT_FALSE(::testing::Test::HasFailure());
    oracle.erase(oracle.begin());
  }
  EXPECT_TRUE(q.empty());
}

TEST(EventQueueTest, BurstAtOneTimeRunsByNodeThenSeqWhilePushesJoinIt) {
  // Thousands of events at one instant (a broadcast), and handlers adding more at that instant:
  // the front has to hold them all and keep (node, seq) order while new ones arrive.
  EventQueue q;
  std::multiset<OracleKey> oracle;
  std::uint64_t seq = 0;
  auto push = [&](TimeNs t, NodeId node) {
    q.push(Event{t, node, 0, seq}, seq);
    oracle.insert(OracleKey{t, node, seq, 0, seq});
    ++seq;
  };
  for (NodeId n = 0; n < 5000; ++n) push(100, 4999 - n);
  push(200, 0);
  for (int i = 0; !oracle.empty(); ++i) {
    const Event e = q.pop();
    expect_same(e, *oracle.begin());
    ASSERT_FALSE(::testing::Test::HasFailure()) << "at pop " << i;
    oracle.erase(oracle.begin());
    if (i % 2 == 0 && e.time_ns == 100 && e.node < 4000) push(100, e.node + 1000);
  }
  EXPECT_TRUE(q.empty());
}

TEST(EventQueueTest, ExtremeTimesMixWithOrdinaryOnesAtScale) {
  Rng rng(7);
  EventQueue q;
  std::vector<TimeNs> times;
  std::uint64_t seq = 0;
  for (int i = 0; i < 20'000; ++i) {
    TimeNs t = static_cast<TimeNs>(rng.next_below(1'000'000));
    const std::uint64_t pick = rng.next_below(50);
    if (pick == 0) t = std::numeric_limits<TimeNs>::max();
    if (pick == 1) t = std::numeric_limits<TimeNs>::min();
    if (pick == 2) t = -t;
    times.push_back(t);
    q.push(Event{t, 0, 0, 0}, seq++);
  }
  std::sort(times.begin(), times.end());
  for (TimeNs t : times) ASSERT_EQ(q.pop().time_ns, t);
  EXPECT_TRUE(q.empty());
}

TEST(EventQueueTest, FewEventsSpanningTheWholeTimeRangeOrderCorrectly) {
  // Just enough events for a rung, spread over all of int64: the widest possible buckets. In the
  // second pattern the earliest eighth sits at the minimum and the rest at the maximum, so the
  // estimated bucket width is the whole range.
  for (int pattern = 0; pattern < 2; ++pattern) {
    for (int n : {33, 40, 100}) {
      EventQueue q;
      std::vector<TimeNs> times;
      for (int i = 0; i < n; ++i) {
        TimeNs t = 0;
        if (pattern == 0) {
          t = i % 3 == 0   ? std::numeric_limits<TimeNs>::min() + i
              : i % 3 == 1 ? std::numeric_limits<TimeNs>::max() - i
                           : TimeNs{i};
        } else {
          t = i < n / 8 ? std::numeric_limits<TimeNs>::min() + i
                        : std::numeric_limits<TimeNs>::max() - i;
        }
        times.push_back(t);
        q.push(Event{t, 0, 0, 0}, static_cast<std::uint64_t>(i));
      }
      std::sort(times.begin(), times.end());
      for (TimeNs t : times) ASSERT_EQ(q.pop().time_ns, t) << "pattern " << pattern << " n=" << n;
    }
  }
}

TEST(EventQueueTest, HoldModelKeepsSizeAndOrder) {
  // Steady state: pop one, push one later; the popped times never decrease.
  Rng rng(5);
  EventQueue q;
  std::uint64_t seq = 0;
  for (int i = 0; i < 10'000; ++i) {
    q.push(Event{static_cast<TimeNs>(rng.next_below(1'000'000)), 0, 0, 0}, seq++);
  }
  TimeNs last = std::numeric_limits<TimeNs>::min();
  for (int i = 0; i < 200'000; ++i) {
    const Event e = q.pop();
    ASSERT_GE(e.time_ns, last);
    last = e.time_ns;
    q.push(Event{e.time_ns + static_cast<TimeNs>(rng.next_below(1'000'000)), 0, 0, 0}, seq++);
  }
  EXPECT_EQ(q.size(), 10'000u);
}

TEST(EventQueueTest, ReserveChangesNothingButMemory) {
  EventQueue reserved;
  reserved.reserve(50'000);
  EventQueue plain;
  Rng rng(8);
  for (std::uint64_t i = 0; i < 30'000; ++i) {
    const Event e{static_cast<TimeNs>(rng.next_below(1'000'000)), 0, 0, i};
    reserved.push(e, i);
    plain.push(e, i);
  }
  while (!plain.empty()) ASSERT_EQ(reserved.pop().arg, plain.pop().arg);
  EXPECT_TRUE(reserved.empty());
}

TEST(EventQueueTest, ClearEmptiesAndStaysUsable) {
  EventQueue q;
  for (std::uint64_t i = 0; i < 1000; ++i) q.push(Event{static_cast<TimeNs>(i % 37), 0, 0, i}, i);
  q.pop();
  q.clear();
  EXPECT_TRUE(q.empty());
  q.push(Event{3, 0, 0, 1}, 5000);
  q.push(Event{2, 0, 0, 2}, 5001);
  EXPECT_EQ(q.pop().arg, 2u);
  EXPECT_EQ(q.pop().arg, 1u);
  EXPECT_TRUE(q.empty());
}

TEST(EventQueueTest, CopyIsIndependent) {
  EventQueue a;
  for (std::uint64_t i = 0; i < 500; ++i) {
    a.push(Event{static_cast<TimeNs>((i * 7919) % 1000), 0, 0, i}, i);
  }
  a.pop();
  EventQueue b = a;
  const Event from_a = a.pop();
  const Event from_b = b.pop();
  EXPECT_EQ(from_a.arg, from_b.arg);
  EXPECT_EQ(a.size(), b.size());
  while (!a.empty()) {
    ASSERT_EQ(a.pop().arg, b.pop().arg);
  }
  EXPECT_TRUE(b.empty());
}

TEST(EventQueueTest, CopyTakenRightAfterPushesIsIndependent) {
  // Pushes bound for rung buckets may still be parked in the queue when it is copied; the copy
  // must hold them too, and later pushes to either queue must not reach the other.
  EventQueue a;
  std::uint64_t seq = 0;
  for (; seq < 2000; ++seq)
    a.push(Event{static_cast<TimeNs>((seq * 7919) % 100'000), 0, 0, seq}, seq);
  a.pop();  // builds the rungs
  for (int i = 0; i < 3; ++i, ++seq) {
    a.push(Event{static_cast<TimeNs>(50'000 + seq), 0, 0, seq}, seq);
  }
  EventQueue b = a;
  a.push(Event{60'000, 0, 0, 9001}, seq++);
  b.push(Event{70'000, 0, 0, 9002}, seq++);
  std::vector<std::uint64_t> from_a;
  std::vector<std::uint64_t> from_b;
  while (!a.empty()) from_a.push_back(a.pop().arg);
  while (!b.empty()) from_b.push_back(b.pop().arg);
  ASSERT_EQ(from_a.size(), 2003u);
  ASSERT_EQ(from_b.size(), 2003u);
  EXPECT_EQ(std::count(from_a.begin(), from_a.end(), 9001u), 1);
  EXPECT_EQ(std::count(from_a.begin(), from_a.end(), 9002u), 0);
  EXPECT_EQ(std::count(from_b.begin(), from_b.end(), 9002u), 1);
  EXPECT_EQ(std::count(from_b.begin(), from_b.end(), 9001u), 0);
  from_a.erase(std::find(from_a.begin(), from_a.end(), 9001u));
  from_b.erase(std::find(from_b.begin(), from_b.end(), 9002u));
  EXPECT_EQ(from_a, from_b);
}

TEST(EventQueueTest, ClearRightAfterPushesDropsThemAll) {
  EventQueue q;
  std::uint64_t seq = 0;
  for (; seq < 2000; ++seq)
    q.push(Event{static_cast<TimeNs>((seq * 7919) % 100'000), 0, 0, seq}, seq);
  q.pop();
  for (int i = 0; i < 3; ++i, ++seq)
    q.push(Event{static_cast<TimeNs>(50'000 + seq), 0, 0, seq}, seq);
  q.clear();
  EXPECT_TRUE(q.empty());
  q.push(Event{5, 0, 0, 1}, seq++);
  q.push(Event{900'000, 0, 0, 2}, seq++);
  q.push(Event{4, 0, 0, 3}, seq++);
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q.pop().arg, 3u);
  EXPECT_EQ(q.pop().arg, 1u);
  EXPECT_EQ(q.pop().arg, 2u);
  EXPECT_TRUE(q.empty());
}

TEST(EventQueueDeathTest, NodeOrSeqBeyondKeyLimitsAborts) {
  EventQueue q;
  EXPECT_DEATH(q.push(Event{0, static_cast<NodeId>(EventQueue::kMaxNodes), 0, 0}, 0),
               "limits exceeded");
  EXPECT_DEATH(q.push(Event{0, 0, 0, 0}, EventQueue::kMaxSeq), "limits exceeded");
}

}  // namespace
}  // namespace hlsim
