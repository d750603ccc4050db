// Kernel micro-benchmarks: the event queue on its own (the "hold" model) and PHOLD through the
// real engine path, each next to a baseline built on std::priority_queue with the same event
// struct, the same (time, node, seq) order and the same model, so the ratio of their events/s
// is the speed-up the kernel's queue buys.
//
//   Hold/<impl>/N:  N pending events; each step pops the minimum and pushes one event at the
//                   popped time + Exp(1). Increments come from a pre-drawn table so that only
//                   the queue is measured. <impl> is Hlsim (EventQueue), EventHeap (its 4-ary
//                   heap alone) or StdPq (the baseline).
//   Phold/<impl>/N: N LPs with one event each; handling an event schedules one event at
//                   now + 0.1 + Exp(1) time units (1 unit = 1 ms) at a uniformly random LP,
//                   drawing from the handling LP's own Rng stream. "Hlsim" is Kernel with a
//                   registered EventHandler; "StdPq" is a minimal engine of the same shape.
//
// Each benchmark first runs 2 events per pending event untimed, so that what is timed is the
// steady state (and not the first fill of the queue's memory). Every benchmark reports
// items_processed = events handled, so the output shows events/s.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <queue>
#include <vector>

#include "sim/kernel/distributions.h"
#include "sim/kernel/event.h"
#include "sim/kernel/event_heap.h"
#include "sim/kernel/event_queue.h"
#include "sim/kernel/kernel.h"
#include "sim/kernel/rng.h"

namespace hlsim {
namespace {

constexpr std::uint64_t kSeed = 42;
constexpr double kNsPerUnit = 1'000'000.0;
constexpr std::size_t kEventsPerIteration = 1 << 14;
constexpr std::size_t kWarmUpPerPending = 2;

// ---------------------------------------------------------------------------------------------
// Baseline: std::priority_queue of the kernel's Event plus its insertion seq, ordered by
// (time_ns, node, seq).

struct SeqEvent {
  Event e;
  std::uint64_t seq;
};

struct Later {
  bool operator()(const SeqEvent& a, const SeqEvent& b) const {
    if (a.e.time_ns != b.e.time_ns) return a.e.time_ns > b.e.time_ns;
    if (a.e.node != b.e.node) return a.e.node > b.e.node;
    return a.seq > b.seq;
  }
};

using StdQueue = std::priority_queue<SeqEvent, std::vector<SeqEvent>, Later>;

// The minimal engine for the PHOLD baseline: Kernel's run loop and dispatch over StdQueue.
// schedule() and run() are kept out of line, as Kernel's are (they live in the kernel library).
class StdPqEngine {
 public:
  EventKind register_handler(EventHandler* handler) {
    handlers_.push_back(handler);
    return static_cast<EventKind>(handlers_.size() - 1);
  }

  [[gnu::noinline]] void schedule(TimeNs at, NodeId node, EventKind kind, std::uint64_t arg) {
    queue_.push(SeqEvent{Event{at, node, kind, arg}, next_seq_++});
  }

  [[gnu::noinline]] std::uint64_t run(TimeNs until_ns) {
    stop_requested_ = false;
    std::uint64_t handled = 0;
    for (;;) {
      if (queue_.empty() || queue_.top().e.time_ns > until_ns) break;
      const Event e = queue_.top().e;
      queue_.pop();
      now_ns_ = e.time_ns;
      handlers_[e.kind]->handle(e);
      ++handled;
      if (stop_requested_) break;
    }
    events_handled_ += handled;
    return handled;
  }

  void stop() { stop_requested_ = true; }
  TimeNs now() const { return now_ns_; }
  std::size_t pending() const { return queue_.size(); }

 private:
  StdQueue queue_;
  std::vector<EventHandler*> handlers_;
  TimeNs now_ns_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t events_handled_ = 0;
  bool stop_requested_ = false;
};

// ---------------------------------------------------------------------------------------------
// Hold model

class IncrementTable {
 public:
  IncrementTable() : delays_ns_(kSize) {
    Rng rng(kSeed);
    for (auto& d : delays_ns_) d = static_cast<TimeNs>(sample_exponential(rng, 1.0) * kNsPerUnit);
  }
  TimeNs next() { return delays_ns_[i_++ & (kSize - 1)]; }

 private:
  static constexpr std::size_t kSize = 1 << 16;
  std::vector<TimeNs> delays_ns_;
  std::size_t i_ = 0;
};

void BM_Hold_Hlsim(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  IncrementTable inc;
  EventQueue q;
  q.reserve(n + 1);
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < n; ++i) {
    q.push(Event{inc.next(), static_cast<NodeId>(i), 0, i}, seq++);
  }
  auto hold = [&](std::size_t steps) {
    for (std::size_t i = 0; i < steps; ++i) {
      const Event e = q.pop();
      q.push(Event{e.time_ns + inc.next(), e.node, e.kind, e.arg}, seq++);
    }
  };
  hold(kWarmUpPerPending * n);
  for (auto _ : state) hold(kEventsPerIteration);
  benchmark::DoNotOptimize(q.top());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kEventsPerIteration));
}

// The 4-ary heap that backs a crowded front, on its own (for comparison, not a baseline).
void BM_Hold_EventHeap(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  IncrementTable inc;
  EventHeap q;
  q.reserve(n + 1);
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < n; ++i) {
    q.push(PackedEvent::pack(Event{inc.next(), static_cast<NodeId>(i), 0, i}, seq++));
  }
  auto hold = [&](std::size_t steps) {
    for (std::size_t i = 0; i < steps; ++i) {
      const Event e = q.pop().unpack();
      q.push(PackedEvent::pack(Event{e.time_ns + inc.next(), e.node, e.kind, e.arg}, seq++));
    }
  };
  hold(kWarmUpPerPending * n);
  for (auto _ : state) hold(kEventsPerIteration);
  benchmark::DoNotOptimize(q.top());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kEventsPerIteration));
}

void BM_Hold_StdPq(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  IncrementTable inc;
  std::vector<SeqEvent> storage;
  storage.reserve(n + 1);
  StdQueue q(Later{}, std::move(storage));
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < n; ++i) {
    q.push(SeqEvent{Event{inc.next(), static_cast<NodeId>(i), 0, i}, seq++});
  }
  auto hold = [&](std::size_t steps) {
    for (std::size_t i = 0; i < steps; ++i) {
      const Event e = q.top().e;
      q.pop();
      q.push(SeqEvent{Event{e.time_ns + inc.next(), e.node, e.kind, e.arg}, seq++});
    }
  };
  hold(kWarmUpPerPending * n);
  for (auto _ : state) hold(kEventsPerIteration);
  benchmark::DoNotOptimize(q.top());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kEventsPerIteration));
}

// ---------------------------------------------------------------------------------------------
// PHOLD

// The PHOLD model, generic over the engine so that both engines run identical model code.
template <class Engine>
class PholdModel final : public EventHandler {
 public:
  PholdModel(Engine& engine, std::size_t lps) : engine_(engine), kind_(0) {
    rngs_.reserve(lps);
    for (std::size_t lp = 0; lp < lps; ++lp)
      rngs_.push_back(Rng::stream(kSeed, RngDomain::kNode, lp));
    kind_ = engine_.register_handler(this);
    for (std::size_t lp = 0; lp < lps; ++lp) {
      engine_.schedule(delay_ns(rngs_[lp]), static_cast<NodeId>(lp), kind_, 0);
    }
  }

  // Handles `events` events, then stops the engine.
  void run_batch(std::size_t events) {
    budget_ = events;
    engine_.run(kTimeNever);
  }

  void handle(const Event& e) override {
    Rng& rng = rngs_[e.node];
    const TimeNs at = engine_.now() + delay_ns(rng);
    const auto target = static_cast<NodeId>(rng.next_below(rngs_.size()));
    engine_.schedule(at, target, kind_, e.arg + 1);
    if (--budget_ == 0) engine_.stop();
  }

 private:
  static TimeNs delay_ns(Rng& rng) {
    return static_cast<TimeNs>((0.1 + sample_exponential(rng, 1.0)) * kNsPerUnit);
  }

  Engine& engine_;
  EventKind kind_;
  std::vector<Rng> rngs_;
  std::size_t budget_ = 0;
};

template <class Engine>
void run_phold(benchmark::State& state) {
  const auto lps = static_cast<std::size_t>(state.range(0));
  Engine engine;
  PholdModel<Engine> model(engine, lps);
  model.run_batch(kWarmUpPerPending * lps);
  for (auto _ : state) model.run_batch(kEventsPerIteration);
  if (engine.pending() != lps) state.SkipWithError("PHOLD lost or duplicated events");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kEventsPerIteration));
}

void BM_Phold_Hlsim(benchmark::State& state) { run_phold<Kernel>(state); }
void BM_Phold_StdPq(benchmark::State& state) { run_phold<StdPqEngine>(state); }

// ---------------------------------------------------------------------------------------------

BENCHMARK(BM_Hold_Hlsim)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Arg(1'000'000);
BENCHMARK(BM_Hold_EventHeap)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Arg(1'000'000);
BENCHMARK(BM_Hold_StdPq)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Arg(1'000'000);
BENCHMARK(BM_Phold_Hlsim)->Arg(1'000)->Arg(100'000)->Arg(1'000'000);
BENCHMARK(BM_Phold_StdPq)->Arg(1'000)->Arg(100'000)->Arg(1'000'000);

}  // namespace
}  // namespace hlsim

BENCHMARK_MAIN();
