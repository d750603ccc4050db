// PHOLD on SimGrid's s4u API, for bench/phold-peers.sh: the model of BM_Phold_* in
// bench/kernel_bench.cc (see phold_common.h).
//
// Mapping: one actor per in-flight event. Actor k is the event that LP k started with; it sleeps
// (this_actor::sleep_for) until its event's time, then handles the event at its current LP: it
// draws the delay and the destination from that LP's stream, "moves" to the destination LP (an
// index, nothing more) and sleeps for the delay. So the N pending events are the N sleeping
// actors, and each handled event is one actor wake-up scheduled by SimGrid's maestro, which is how
// an s4u model expresses "something happens at time t". All actors live on one host of a one-host
// full zone built with the s4u create_zone API (no platform file): PHOLD has no resources, and a
// sleep uses none.
//
// Why not the alternatives:
// * LP actors exchanging messages through mailboxes (detached puts on a loopback link): a link's
//   latency is fixed, so the per-event random delay would still need a sleep, in the receiving LP,
//   which would serialise an LP's events (an LP can hold several pending events, at any times),
//   so it is not the same model, and every event would cost a communication on top of the sleep.
// * Execs on a CPU or comms on a link timed to the delay: concurrent activities share the
//   resource, so their durations stretch with the number in flight; not the model either.
// * The kernel's timers (simgrid::kernel::timer::Timer): a bare callback queue under the actor
//   layer, not part of s4u; a model written against s4u does not use it.
//
// Settings, each for fidelity or feasibility, none for speed:
// * surf/precision 1e-9 s: SimGrid completes every action ending within "precision" of now in the
//   same round (default 1e-5 s = 10 us = 0.01 model units, coarser than the ~1 us between events
//   at 1000 pending), which would move events in time. 1 ns is the resolution of hlsim and ns-3.
//   (Measured: the default runs no faster, at 1000 or 100000 pending.)
// * contexts/stack-size 16 KiB and contexts/guard-size 0: N actors with the default 8 MiB stack
//   and a guard page each do not fit at N = 100000 (memory, and the kernel's mapping limit);
//   the actors' code needs little stack. The context factory is SimGrid's default.
//
// Simulated time is in seconds (1 model unit = 1 ms = 1e-3 s).
//
// Usage: phold_simgrid <pending> <events> [max seconds]
// Prints one line "phold sim=simgrid pending=N events=E seconds=S events_per_s=R cpu_seconds=C
// events_per_cpu_s=RC budget_hit=0|1" and exits 1 (after a FAIL line) if the events left pending at
// the end (the actors still sleeping once the timed phase is over, each of which then ends) are not
// exactly N, or the handled count is not the one requested.
#include <xbt/log.h>

#include <cstdint>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <string>
#include <vector>

#include "phold_common.h"

namespace {

constexpr double kSecondsPerUnit = 1e-3;

struct Model {
  std::vector<phold::Rng> rngs;
  phold::Run run;
};

Model* g_model = nullptr;

// The event that LP `lp` started with, from its first time on.
void event_actor(std::uint64_t lp, double first_delay_s) {
  Model& m = *g_model;
  simgrid::s4u::this_actor::sleep_for(first_delay_s);
  while (m.run.on_event()) {
    phold::Rng& rng = m.rngs[lp];
    const double delay_s = phold::delay_units(rng) * kSecondsPerUnit;
    lp = rng.next_below(m.rngs.size());
    simgrid::s4u::this_actor::sleep_for(delay_s);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const phold::Args args = phold::parse_args(argc, argv, 1, "<pending> <events> [max seconds]");

  xbt_log_control_set("root.thres:warning");
  int engine_argc = 1;
  simgrid::s4u::Engine engine(&engine_argc, argv);
  simgrid::s4u::Engine::set_config("surf/precision", 1e-9);
  simgrid::s4u::Engine::set_config("contexts/stack-size", 16);
  simgrid::s4u::Engine::set_config("contexts/guard-size", 0);

  simgrid::s4u::NetZone* zone = simgrid::s4u::create_full_zone("phold");
  simgrid::s4u::Host* host = zone->create_host("lps", 1e9);
  zone->seal();

  Model model{phold::make_streams(args.pending),
              phold::Run(args.pending, args.events, args.max_seconds)};
  g_model = &model;
  for (std::uint64_t lp = 0; lp < args.pending; ++lp) {
    const double first_delay_s = phold::delay_units(model.rngs[lp]) * kSecondsPerUnit;
    simgrid::s4u::Actor::create("e" + std::to_string(lp), host, event_actor, lp, first_delay_s);
  }
  // Runs warm-up, timed phase and drain; returns once every actor has ended.
  engine.run();
  return model.run.report("simgrid", -1);
}
