#include "sim/kernel/kernel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

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
  EXPECT_EQ(k.now(), 25);  // the clock advances to the horizon
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

}  // namespace
}  // namespace hlsim
