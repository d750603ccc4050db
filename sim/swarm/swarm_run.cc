#include "sim/swarm/swarm_run.h"

#include <exception>
#include <limits>

#include "sim/results/summary.h"
#include "sim/run/simulation.h"
#include "sim/scenario/scenario.h"

namespace hlsim {
namespace {

std::string seconds(TimeNs ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f s", ns_to_s(ns));
  return buf;
}

void judge(const SwarmCase& c, const Simulation& sim, const RunOutcome& out, SwarmResult& r) {
  const RunSummary s = summarize(sim, out);
  r.summary_json = summary_json(s, /*include_host=*/false);
  r.committed = s.committed;
  r.reorgs = sim.metrics().reorg_blocks();
  if (!sim.safety().violations().empty()) {
    const SafetyViolation& v = sim.safety().violations().front();
    r.verdict = SwarmVerdict::kSafety;
    r.detail = sim.safety().describe(v);
    bool all_honest = true;
    for (NodeId i = 0; i < c.nodes; ++i) all_honest = all_honest && sim.safety().is_honest(i);
    const std::uint64_t own = sim.safety().reorgs().own_blocks_abandoned;
    if (c.protocol == "poa" && all_honest && own > 0 &&
        (v.kind == "agreement" || v.kind == "integrity")) {
      r.verdict = SwarmVerdict::kOutsideModel;
      r.detail += "; honest authorities switched forks away from " + std::to_string(own) +
                  " blocks they had sealed, so one sealed on both branches: Aura's finality "
                  "assumes no honest authority does";
    }
    return;
  }
  if (!out.complete) {
    r.verdict = SwarmVerdict::kError;
    r.detail = "the run stopped early: " + out.stop_reason;
    return;
  }
  // Liveness: the first height first committed after the heal.
  TimeNs first_after = std::numeric_limits<TimeNs>::max();
  TimeNs last_commit = -1;
  for (const BlockRecord& b : sim.metrics().blocks()) {
    if (b.first_commit_ns >= c.heal_ns && b.first_commit_ns < first_after) {
      first_after = b.first_commit_ns;
    }
    last_commit = std::max(last_commit, b.first_commit_ns);
  }
  if (first_after == std::numeric_limits<TimeNs>::max() || first_after > c.end_ns) {
    r.verdict = SwarmVerdict::kLiveness;
    r.detail = "no new height committed in the " + seconds(c.end_ns - c.heal_ns) +
               " after every fault healed at " + seconds(c.heal_ns);
    if (first_after != std::numeric_limits<TimeNs>::max()) {
      r.detail += " (the first came at " + seconds(first_after) + ", in the drain)";
    } else {
      r.detail += last_commit >= 0 ? " (last commit at " + seconds(last_commit) + ")"
                                   : " (nothing committed at all)";
    }
    return;
  }
  r.recovery_ns = first_after - c.heal_ns;
  bool fresh_committed = false;
  for (const TxRecord& t : sim.metrics().txs()) {
    if (t.submit_ns >= c.heal_ns && t.first_commit_ns >= 0) {
      fresh_committed = true;
      break;
    }
  }
  if (!fresh_committed) {
    r.verdict = SwarmVerdict::kLiveness;
    r.detail = "heights were committed after the heal at " + seconds(c.heal_ns) +
               ", but no transaction submitted after it";
  }
}

}  // namespace

const char* to_string(SwarmVerdict v) {
  switch (v) {
    case SwarmVerdict::kPass:
      return "pass";
    case SwarmVerdict::kSafety:
      return "safety";
    case SwarmVerdict::kLiveness:
      return "liveness";
    case SwarmVerdict::kOutsideModel:
      return "outside-model";
    case SwarmVerdict::kError:
      return "error";
  }
  return "?";
}

SwarmResult run_swarm_case(const SwarmCase& c, const std::string& data_dir,
                           const std::function<void(const std::string&)>& trace,
                           const std::atomic<bool>* interrupt) {
  SwarmResult r;
  r.protocol = c.protocol;
  r.seed = c.seed;
  r.outline = c.outline;
  try {
    auto scenario =
        load_scenario_text(c.yaml, "fuzz-" + c.protocol + "-" + std::to_string(c.seed) + ".yaml",
                           {}, data_dir, data_dir);
    if (!scenario.ok()) {
      r.verdict = SwarmVerdict::kError;
      r.detail = "the generated scenario did not load: " + scenario.error().message;
      return r;
    }
    auto sim = Simulation::create(scenario.value());
    if (!sim.ok()) {
      r.verdict = SwarmVerdict::kError;
      r.detail = "the generated scenario did not build: " + sim.error().message;
      return r;
    }
    sim.value()->enable_trace_digest();
    if (trace) sim.value()->trace_events(trace);
    const RunOutcome out = sim.value()->run(interrupt, nullptr);
    r.digest = sim.value()->trace_digest();
    r.events = out.events;
    judge(c, *sim.value(), out, r);
  } catch (const std::exception& e) {
    r.verdict = SwarmVerdict::kError;
    r.detail = std::string("the simulator threw: ") + e.what();
  }
  return r;
}

}  // namespace hlsim
