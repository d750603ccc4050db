#include "sim/kernel/kernel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <queue>
#include <tuple>
#include <vector>

#include "sim/kernel/distributions.h"
#include "sim/kernel/rng.h"

namespace hlsim {
namespace {

// Records every event it sees with the kernel's clock at that moment, and runs an optional hook.
class Recorder final : public EventHandler {
 public:
  explicit Recorder(const Kernel& kernel) : kernel_(kernel) {}
  void handle(const Event& e) override {
    seen.push_back(e);
    now_at_handle.push_back(kernel_.now());
    if (hook) hook(e);
  }
  std::vector<Event> seen;
  std::vector<TimeNs> now_at_handle;
  std::function<void(const Event&)> hook;

 private:
  const Kernel& kernel_;
};

TEST(KernelTest, RegisterHandlerReturnsDenseKinds) {
  Kernel k;
  Recorder a(k), b(k), c(k);
  EXPECT_EQ(k.register_handler(&a), 0u);
  EXPECT_EQ(k.register_handler(&b), 1u);
  EXPECT_EQ(k.register_handler(&c), 2u);
}

TEST(KernelTest, DispatchesEachEventToTheHandlerOfItsKind) {
  Kernel k;
  Recorder a(k), b(k);
  const EventKind ka = k.register_handler(&a);
  const EventKind kb = k.register_handler(&b);
  k.schedule(10, 0, kb, 1);
  k.schedule(20, 1, ka, 2);
  k.schedule(30, 2, kb, 3);
  EXPECT_EQ(k.run(kTimeNever), 3u);
  ASSERT_EQ(a.seen.size(), 1u);
  EXPECT_EQ(a.seen[0].arg, 2u);
  EXPECT_EQ(a.seen[0].node, 1u);
  ASSERT_EQ(b.seen.size(), 2u);
  EXPECT_EQ(b.seen[0].arg, 1u);
  EXPECT_EQ(b.seen[1].arg, 3u);
}

TEST(KernelTest, NowEqualsTheEventTimeDuringHandle) {
  Kernel k;
  Recorder r(k);
  const EventKind kind = k.register_handler(&r);
  for (TimeNs t : {300, 100, 200}) k.schedule(t, 0, kind, 0);
  k.run(kTimeNever);
  EXPECT_EQ(r.now_at_handle, (std::vector<TimeNs>{100, 200, 300}));
  EXPECT_EQ(k.now(), 300);
}

TEST(KernelTest, EqualTimesRunByNodeThenScheduleOrder) {
  Kernel k;
  Recorder r(k);
  const EventKind kind = k.register_handler(&r);
  k.schedule(5, 2, kind, 0);
  k.schedule(5, 1, kind, 1);
  k.schedule(5, 2, kind, 2);
  k.schedule(5, 0, kind, 3);
  k.run(kTimeNever);
  std::vector<std::uint64_t> args;
  for (const Event& e : r.seen) args.push_back(e.arg);
  EXPECT_EQ(args, (std::vector<std::uint64_t>{3, 1, 0, 2}));
}

TEST(KernelTest, HandlersMayScheduleAtNow) {
  Kernel k;
  Recorder r(k);
  const EventKind kind = k.register_handler(&r);
  r.hook = [&](const Event& e) {
    if (e.arg < 3) k.schedule(k.now(), e.node, kind, e.arg + 1);
  };
  k.schedule(42, 0, kind, 0);
  EXPECT_EQ(k.run(kTimeNever), 4u);
  EXPECT_EQ(k.now(), 42);
}

TEST(KernelTest, RunUntilStopsBeforeLaterEventsAndResumes) {
  Kernel k;
  Recorder r(k);
  const EventKind kind = k.register_handler(&r);
  for (TimeNs t : {10, 20, 30, 40}) k.schedule(t, 0, kind, static_cast<std::uint64_t>(t));
  EXPECT_EQ(k.run(25), 2u);
  EXPECT_EQ(k.pending(), 2u);
  EXPECT_EQ(k.now(), 25);    // the clock advances to the horizon
  EXPECT_EQ(k.run(30), 1u);  // an event exactly at the horizon runs
  EXPECT_EQ(k.now(), 30);
  EXPECT_EQ(k.run(kTimeNever), 1u);
  EXPECT_EQ(k.now(), 40);
  EXPECT_EQ(r.seen.size(), 4u);
}

TEST(KernelTest, RunUntilOnAnEmptyQueueAdvancesTheClock) {
  Kernel k;
  EXPECT_EQ(k.run(1000), 0u);
  EXPECT_EQ(k.now(), 1000);
  EXPECT_EQ(k.run(kTimeNever), 0u);
  EXPECT_EQ(k.now(), 1000);  // an unbounded run never moves the clock to "never"
}

TEST(KernelTest, StopReturnsAfterTheCurrentEventAndRunResets) {
  Kernel k;
  Recorder r(k);
  const EventKind kind = k.register_handler(&r);
  r.hook = [&](const Event& e) {
    if (e.arg == 2) k.stop();
  };
  for (std::uint64_t i = 1; i <= 4; ++i) k.schedule(static_cast<TimeNs>(i), 0, kind, i);
  EXPECT_EQ(k.run(kTimeNever), 2u);
  EXPECT_TRUE(k.stop_requested());
  EXPECT_EQ(k.now(), 2);
  EXPECT_EQ(k.pending(), 2u);
  EXPECT_EQ(k.run(kTimeNever), 2u);  // the stop request does not carry over
  EXPECT_FALSE(k.stop_requested());
}

TEST(KernelTest, InterruptFlagStopsARunWithinAPollInterval) {
  Kernel k;
  Recorder r(k);
  const EventKind kind = k.register_handler(&r);
  std::atomic<bool> interrupted{false};
  k.set_interrupt_flag(&interrupted);
  r.hook = [&](const Event& e) {
    if (e.arg == 10) interrupted.store(true);
    k.schedule(k.now() + 1, 0, kind, e.arg + 1);  // an endless chain
  };
  k.schedule(0, 0, kind, 0);
  const std::uint64_t handled = k.run(kTimeNever);
  EXPECT_GE(handled, 11u);
  EXPECT_LE(handled, 11u + 4096u);
  EXPECT_EQ(k.pending(), 1u);
}

TEST(KernelTest, EventsHandledAccumulatesAcrossRuns) {
  Kernel k;
  Recorder r(k);
  const EventKind kind = k.register_handler(&r);
  for (TimeNs t = 0; t < 10; ++t) k.schedule(t, 0, kind, 0);
  EXPECT_EQ(k.events_handled(), 0u);
  k.run(4);
  EXPECT_EQ(k.events_handled(), 5u);
  k.run(kTimeNever);
  EXPECT_EQ(k.events_handled(), 10u);
}

// The digest of handled events: equal for the same events in the same order, different when an
// event's time, node, kind or argument differs; the tracer sees every event and changes nothing.
TEST(KernelTest, TraceDigestIdentifiesTheSequenceOfEventsHandled) {
  const auto digest_of = [](const std::vector<Event>& events, bool traced) {
    Kernel k;
    Recorder r(k);
    const EventKind kind = k.register_handler(&r);
    std::uint64_t seen = 0;
    k.enable_trace_digest();
    if (traced) k.set_tracer([&](const Event&) { ++seen; });
    for (const Event& e : events) k.schedule(e.time_ns, e.node, kind, e.arg);
    k.run(kTimeNever);
    EXPECT_EQ(seen, traced ? events.size() : 0u);
    return k.trace_digest();
  };
  const std::vector<Event> base = {{1, 0, 0, 7}, {2, 1, 0, 8}, {3, 0, 0, 9}};
  const std::uint64_t d = digest_of(base, false);
  EXPECT_EQ(d, digest_of(base, false));
  EXPECT_EQ(d, digest_of(base, true));
  auto other_time = base, other_node = base, other_arg = base;
  other_time[1].time_ns = 4;  // now last: a different order
  other_node[1].node = 2;
  other_arg[2].arg = 10;
  EXPECT_NE(d, digest_of(other_time, false));
  EXPECT_NE(d, digest_of(other_node, false));
  EXPECT_NE(d, digest_of(other_arg, false));
  EXPECT_NE(d, digest_of({base[0], base[1]}, false));
  // Not enabled: the digest stays at its start value, whatever runs.
  Kernel plain;
  Recorder r(plain);
  const EventKind kind = plain.register_handler(&r);
  const std::uint64_t start = plain.trace_digest();
  for (const Event& e : base) plain.schedule(e.time_ns, e.node, kind, e.arg);
  plain.run(kTimeNever);
  EXPECT_EQ(plain.events_handled(), base.size());
  EXPECT_EQ(plain.trace_digest(), start);
}

TEST(KernelTest, ManyEventsRunInNondecreasingTimeOrder) {
  Kernel k;
  Recorder r(k);
  const EventKind kind = k.register_handler(&r);
  std::uint64_t state = 12345;
  r.hook = [&](const Event& e) {
    if (e.arg == 0) return;
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    k.schedule(k.now() + static_cast<TimeNs>(state >> 44), e.node, kind, e.arg - 1);
  };
  for (NodeId n = 0; n < 100; ++n) k.schedule(n, n, kind, 1000);
  EXPECT_EQ(k.run(kTimeNever), 100u * 1001u);
  for (std::size_t i = 1; i < r.now_at_handle.size(); ++i) {
    ASSERT_LE(r.now_at_handle[i - 1], r.now_at_handle[i]);
  }
}

TEST(KernelDeathTest, SchedulingInThePastAborts) {
  Kernel k;
  Recorder r(k);
  const EventKind kind = k.register_handler(&r);
  k.schedule(100, 0, kind, 0);
  k.run(kTimeNever);
  EXPECT_DEATH(k.schedule(99, 0, kind, 0), "event in the past");
}

TEST(KernelDeathTest, SchedulingAnUnregisteredKindAborts) {
  Kernel k;
  Recorder r(k);
  k.register_handler(&r);
  EXPECT_DEATH(k.schedule(0, 0, 1, 0), "unregistered event kind");
}

// PHOLD on the Kernel and on a reference engine (a std::priority_queue ordered by
// (time, node, seq)) must handle exactly the same events in the same order: the kernel's queue
// may be clever, but never different.
TEST(KernelTest, PholdRunsInTheSameOrderAsAReferencePriorityQueue) {
  constexpr std::size_t kLps = 500;
  constexpr std::uint64_t kEvents = 200'000;
  struct Step {
    TimeNs time_ns;
    NodeId node;
    std::uint64_t arg;
    bool operator==(const Step&) const = default;
  };

  // Kernel.
  std::vector<Step> kernel_steps;
  {
    Kernel k;
    std::vector<Rng> rngs;
    for (std::size_t lp = 0; lp < kLps; ++lp) rngs.push_back(Rng::stream(7, RngDomain::kNode, lp));
    Recorder r(k);
    const EventKind kind = k.register_handler(&r);
    std::uint64_t next_arg = kLps;
    r.hook = [&](const Event& e) {
      kernel_steps.push_back(Step{e.time_ns, e.node, e.arg});
      Rng& rng = rngs[e.node];
      // Coarse delays (whole microseconds) so that many events share a time.
      const auto delay_ns = static_cast<TimeNs>(sample_exponential(rng, 50.0)) * 1000;
      k.schedule(k.now() + delay_ns, static_cast<NodeId>(rng.next_below(kLps)), kind, next_arg++);
      if (kernel_steps.size() == kEvents) k.stop();
    };
    for (std::size_t lp = 0; lp < kLps; ++lp) k.schedule(0, static_cast<NodeId>(lp), kind, lp);
    k.run(kTimeNever);
  }

  // Reference.
  std::vector<Step> reference_steps;
  {
    using Item = std::tuple<TimeNs, NodeId, std::uint64_t, std::uint64_t>;  // time, node, seq, arg
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> q;
    std::vector<Rng> rngs;
    for (std::size_t lp = 0; lp < kLps; ++lp) rngs.push_back(Rng::stream(7, RngDomain::kNode, lp));
    std::uint64_t seq = 0;
    std::uint64_t next_arg = kLps;
    for (std::size_t lp = 0; lp < kLps; ++lp) q.emplace(0, static_cast<NodeId>(lp), seq++, lp);
    while (reference_steps.size() < kEvents) {
      const auto [t, node, s, arg] = q.top();
      q.pop();
      reference_steps.push_back(Step{t, node, arg});
      Rng& rng = rngs[node];
      const auto delay_ns = static_cast<TimeNs>(sample_exponential(rng, 50.0)) * 1000;
      q.emplace(t + delay_ns, static_cast<NodeId>(rng.next_below(kLps)), seq++, next_arg++);
    }
  }

  ASSERT_EQ(kernel_steps.size(), reference_steps.size());
  for (std::size_t i = 0; i < kEvents; ++i) {
    ASSERT_EQ(kernel_steps[i], reference_steps[i]) << "first difference at event " << i;
  }
}

}  // namespace
}  // namespace hlsim
