// PHOLD on ns-3's Simulator, for bench/phold-peers.sh: the model of BM_Phold_* in
// bench/kernel_bench.cc (see phold_common.h) with every event an ns-3 event, as an ns-3 model
// would write it: handling an event is a plain function callback scheduled with
// Simulator::Schedule(delay, &Handle, target LP). Simulated time is ns-3's Time at its default
// nanosecond resolution (1 model unit = 1 ms = 1e6 ns, truncated to whole ns as hlsim does).
//
// Usage: phold_ns3 <map|list|heap|calendar|priority-queue> <pending> <events> [max seconds]
// The scheduler argument picks ns-3's MapScheduler, ListScheduler, HeapScheduler,
// CalendarScheduler or PriorityQueueScheduler (Simulator::SetScheduler before anything is
// scheduled). Prints one line "phold sim=ns3-<scheduler> pending=N events=E seconds=S
// events_per_s=R cpu_seconds=C events_per_cpu_s=RC budget_hit=0|1" and exits 1 (after a FAIL
// line) if the events left pending at the end are not exactly N or the handled counts (ours and
// Simulator::GetEventCount) disagree with those requested.
#include <ns3/nstime.h>
#include <ns3/object-factory.h>
#include <ns3/simulator.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "phold_common.h"

namespace {

struct Model {
  std::vector<phold::Rng> rngs;
  phold::Run run;
};

Model* g_model = nullptr;

void Handle(std::uint32_t lp) {
  Model& m = *g_model;
  if (!m.run.on_event()) return;
  phold::Rng& rng = m.rngs[lp];
  // ns-3 schedules relative to now; the delay in ns (Time(int64) is in the current resolution,
  // nanoseconds by default, which is what NanoSeconds() would reduce to).
  const auto delay_ns = static_cast<std::int64_t>(phold::delay_units(rng) * 1'000'000.0);
  const auto target = static_cast<std::uint32_t>(rng.next_below(m.rngs.size()));
  ns3::Simulator::Schedule(ns3::Time(delay_ns), &Handle, target);
}

}  // namespace

int main(int argc, char** argv) {
  const char* usage = "<map|list|heap|calendar|priority-queue> <pending> <events> [max seconds]";
  const std::map<std::string, std::string> schedulers = {
      {"map", "ns3::MapScheduler"},
      {"list", "ns3::ListScheduler"},
      {"heap", "ns3::HeapScheduler"},
      {"calendar", "ns3::CalendarScheduler"},
      {"priority-queue", "ns3::PriorityQueueScheduler"},
  };
  if (argc < 2 || schedulers.count(argv[1]) == 0) {
    std::fprintf(stderr, "usage: %s %s\n", argv[0], usage);
    return 2;
  }
  const std::string scheduler = argv[1];
  const phold::Args args = phold::parse_args(argc, argv, 2, usage);

  ns3::ObjectFactory factory;
  factory.SetTypeId(schedulers.at(scheduler));
  ns3::Simulator::SetScheduler(factory);

  Model model{phold::make_streams(args.pending),
              phold::Run(args.pending, args.events, args.max_seconds)};
  g_model = &model;
  for (std::uint64_t lp = 0; lp < args.pending; ++lp) {
    const auto delay_ns =
        static_cast<std::int64_t>(phold::delay_units(model.rngs[lp]) * 1'000'000.0);
    ns3::Simulator::Schedule(ns3::Time(delay_ns), &Handle, static_cast<std::uint32_t>(lp));
  }
  // Runs warm-up, timed phase and drain; returns when no event is left.
  ns3::Simulator::Run();
  const auto engine_count = static_cast<long long>(ns3::Simulator::GetEventCount());
  ns3::Simulator::Destroy();
  return model.run.report("ns3-" + scheduler, engine_count);
}
