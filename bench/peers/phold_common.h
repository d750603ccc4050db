// What the peer PHOLD drivers (ns3_phold.cc, simgrid_phold.cc) share: the model's random draws,
// the run protocol and the output line, so that the peers differ only in the engine they drive.
//
// Model (the same as BM_Phold_* in bench/kernel_bench.cc): N LPs with one event each; handling an
// event at LP i schedules one event at now + 0.1 + Exp(1) time units (1 unit = 1 ms) at a
// uniformly random LP, both drawn from LP i's own stream.
//
// Randomness: hlsim's own generator and draws (sim/kernel/rng.h, distributions.h; header-only):
// one xoshiro256** stream per LP, the very streams BM_Phold_Hlsim uses, an unbiased bounded
// integer by Lemire's multiply-and-reject and an inverse-CDF exponential, so that every engine pays
// exactly the same for its random numbers. Deliberately not std::*_distribution nor ns-3's
// RandomVariableStream: those are much slower and would charge the peers for their RNG rather than
// their event engine.
//
// Run protocol: warm-up of 2 events per pending event (untimed, as in kernel_bench.cc), then
// `events` events timed with std::chrono::steady_clock, stopping early once the wall budget is
// spent (so an O(N)-per-event scheduler still finishes; the line reports the events actually
// timed), then a drain: every remaining event is handled without rescheduling, which counts the
// events the engine still held. The run passes only if the drain finds exactly N events and the
// timed count is the one the driver asked for; otherwise it prints FAIL and exits 1.
// The line gives the timed phase's rate on wall time and on the process's CPU time (the latter
// leaves out time that other processes took the core: a steadier figure on a shared machine).
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "sim/kernel/distributions.h"
#include "sim/kernel/rng.h"

namespace phold {

constexpr std::uint64_t kSeed = 42;
constexpr std::uint64_t kWarmUpPerPending = 2;
// How often (in handled events) the timed phase looks at the clock for its wall budget.
constexpr std::uint64_t kClockCheckEvery = 4096;

using Rng = hlsim::Rng;

// The PHOLD delay in time units (ms): 0.1 + Exp(mean 1), by inverse CDF (hlsim's own draw).
inline double delay_units(Rng& rng) { return 0.1 + hlsim::sample_exponential(rng, 1.0); }

inline std::vector<Rng> make_streams(std::uint64_t lps) {
  std::vector<Rng> rngs;
  rngs.reserve(lps);
  for (std::uint64_t lp = 0; lp < lps; ++lp)
    rngs.push_back(Rng::stream(kSeed, hlsim::RngDomain::kNode, lp));
  return rngs;
}

// The phases of one run, advanced by the model's handler as events are handled.
class Run {
 public:
  using Clock = std::chrono::steady_clock;

  Run(std::uint64_t pending, std::uint64_t events, double max_seconds)
      : pending_(pending),
        warm_up_(kWarmUpPerPending * pending),
        events_(events),
        max_seconds_(max_seconds) {}

  // Called once per handled event, before the model reschedules. Returns false when the event must
  // not be rescheduled (the drain).
  bool on_event() {
    ++handled_;
    if (draining_) {
      ++drained_;
      return false;
    }
    if (handled_ == warm_up_) {
      start_cpu_ = cpu_seconds();
      start_ = Clock::now();
      timing_ = true;
    } else if (timing_) {
      const std::uint64_t timed = handled_ - warm_up_;
      if (timed == events_ || (timed % kClockCheckEvery == 0 && elapsed() >= max_seconds_)) {
        end_ = Clock::now();
        end_cpu_ = cpu_seconds();
        timed_ = timed;
        timing_ = false;
        draining_ = true;
      }
    }
    return true;
  }

  // Prints the result line; returns the process exit code. `engine_count` is the engine's own
  // count of handled events, or -1 if it keeps none.
  int report(const std::string& sim, long long engine_count) const {
    const double seconds = std::chrono::duration<double>(end_ - start_).count();
    const double rate = timed_ > 0 ? static_cast<double>(timed_) / seconds : 0.0;
    const double cpu = end_cpu_ - start_cpu_;
    const double cpu_rate = timed_ > 0 && cpu > 0 ? static_cast<double>(timed_) / cpu : 0.0;
    const bool budget_stop = timed_ < events_ && timed_ % kClockCheckEvery == 0;
    std::printf(
        "phold sim=%s pending=%llu events=%llu seconds=%.6f events_per_s=%.0f "
        "cpu_seconds=%.6f events_per_cpu_s=%.0f budget_hit=%d\n",
        sim.c_str(), static_cast<unsigned long long>(pending_),
        static_cast<unsigned long long>(timed_), seconds, rate, cpu, cpu_rate, budget_stop ? 1 : 0);
    bool ok = true;
    const std::uint64_t expected_total = warm_up_ + timed_ + pending_;
    if (!draining_ || drained_ != pending_) {
      std::printf("FAIL %s: %llu events left pending at the end, expected %llu\n", sim.c_str(),
                  static_cast<unsigned long long>(drained_),
                  static_cast<unsigned long long>(pending_));
      ok = false;
    }
    if (timed_ == 0 || (timed_ != events_ && !budget_stop)) {
      std::printf("FAIL %s: timed %llu events, requested %llu\n", sim.c_str(),
                  static_cast<unsigned long long>(timed_),
                  static_cast<unsigned long long>(events_));
      ok = false;
    }
    if (handled_ != expected_total ||
        (engine_count >= 0 && static_cast<std::uint64_t>(engine_count) != expected_total)) {
      std::printf("FAIL %s: handled %llu events (engine says %lld), expected %llu\n", sim.c_str(),
                  static_cast<unsigned long long>(handled_), engine_count,
                  static_cast<unsigned long long>(expected_total));
      ok = false;
    }
    return ok ? 0 : 1;
  }

  std::uint64_t pending() const { return pending_; }

 private:
  // The process's CPU time: what the rate would be with the core to itself.
  static double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  std::uint64_t pending_;
  std::uint64_t warm_up_;
  std::uint64_t events_;
  double max_seconds_;
  std::uint64_t handled_ = 0;
  std::uint64_t timed_ = 0;
  std::uint64_t drained_ = 0;
  bool timing_ = false;
  bool draining_ = false;
  Clock::time_point start_{};
  Clock::time_point end_{};
  double start_cpu_ = 0;
  double end_cpu_ = 0;
};

// Parses "<pending> <events> [max seconds]" from argv[first..]; exits with usage on error.
struct Args {
  std::uint64_t pending = 0;
  std::uint64_t events = 0;
  double max_seconds = 1e9;
};

inline Args parse_args(int argc, char** argv, int first, const char* usage) {
  Args a;
  auto fail = [&] {
    std::fprintf(stderr, "usage: %s %s\n", argv[0], usage);
    std::exit(2);
  };
  if (argc < first + 2 || argc > first + 3) fail();
  char* end = nullptr;
  a.pending = std::strtoull(argv[first], &end, 10);
  if (*end != '\0' || a.pending == 0) fail();
  a.events = std::strtoull(argv[first + 1], &end, 10);
  if (*end != '\0' || a.events == 0) fail();
  if (argc == first + 3) {
    a.max_seconds = std::strtod(argv[first + 2], &end);
    if (*end != '\0' || !(a.max_seconds > 0)) fail();
  }
  return a;
}

}  // namespace phold
