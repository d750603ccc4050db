// Running a sweep (sweep_runner.h).
#include "sim/sweep/sweep_runner.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>

#include "sim/results/h5_writer.h"
#include "sim/results/summary.h"
#include "sim/run/simulation.h"
#include "sim/scenario/memory_estimate.h"

namespace hlsim {
namespace {

namespace fs = std::filesystem;

// The output path a run's fingerprint is taken with: the fingerprint is the effective scenario,
// which records output.path, and must not depend on where the sweep writes.
constexpr const char* kFingerprintOutput = "sweep-run.h5";

std::vector<Override> with_output(std::vector<Override> o, const std::string& path) {
  o.push_back({"output.path", path});
  return o;
}

std::string gib(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  return buf;
}

}  // namespace

Result<SweepOutcome> plan_sweep(const SweepSpec& spec, const SweepPlan& plan,
                                const SweepRunnerOptions& options) {
  SweepOutcome out;
  out.entries.resize(plan.runs.size());
  auto earlier = read_sweep_runs(spec.output);
  if (!earlier.ok()) return earlier.error();
  std::size_t loaded = 0;
  std::optional<Error> first_error;
  for (const SweepRun& run : plan.runs) {
    SweepEntry& e = out.entries[run.index];
    auto sc = load_scenario_file(spec.base_path, with_output(run.overrides, kFingerprintOutput),
                                 options.data_dir);
    if (!sc.ok()) {
      e.status = "error";
      e.detail = sc.error().message;
      ++out.errors;
      if (!first_error) first_error = sc.error();
      continue;
    }
    ++loaded;
    e.fingerprint = sc->effective_yaml;
    const std::string part = sweep_part_path(spec.output, e.fingerprint);
    std::error_code ec;
    if (fs::exists(part, ec)) {
      e.stored = StoredRun{part, "runs/0"};
    } else if (auto it = earlier->find(e.fingerprint); it != earlier->end()) {
      e.stored = it->second;
    }
    if (e.stored) {
      ++out.reused;
    } else {
      e.status = "not-run";
    }
  }
  if (loaded == 0 && first_error) {
    return Error{"every run of the sweep fails to load; the first: " + first_error->message};
  }
  return out;
}

Result<SweepOutcome> run_sweep(const SweepSpec& spec, const SweepPlan& plan,
                               const SweepRunnerOptions& options,
                               const std::atomic<bool>* interrupt,
                               const std::function<void(const SweepProgress&)>& progress) {
  auto planned = plan_sweep(spec, plan, options);
  if (!planned.ok()) return planned.error();
  SweepOutcome out = std::move(planned.value());
  if (Status st = run_planned(spec, plan, options, out, interrupt, progress); !st.ok()) {
    return st.error();
  }
  return out;
}

Status run_planned(const SweepSpec& spec, const SweepPlan& plan, const SweepRunnerOptions& options,
                   SweepOutcome& out, const std::atomic<bool>* interrupt,
                   const std::function<void(const SweepProgress&)>& progress) {
  // The runs left, with their scenarios (loaded again with their part file as output, so that
  // a RocksDB ledger of each run gets its own folder).
  struct Pending {
    std::size_t index;
    Scenario scenario;
  };
  std::vector<Pending> pending;
  double largest_bytes = 0;
  SweepProgress p;
  p.reused = out.reused;
  for (const SweepRun& run : plan.runs) {
    SweepEntry& e = out.entries[run.index];
    if (e.stored || e.status == "error") continue;
    if (options.mine && !options.mine(run.index)) continue;
    auto sc = load_scenario_file(
        spec.base_path, with_output(run.overrides, sweep_part_path(spec.output, e.fingerprint)),
        options.data_dir);
    if (!sc.ok()) {  // cannot happen after plan_sweep loaded it; kept as an error, not a crash
      e.status = "error";
      e.detail = sc.error().message;
      ++out.errors;
      continue;
    }
    const double bytes = estimate_memory(sc.value()).bytes;
    if (options.machine_bytes > 0 && bytes > options.machine_bytes) {
      return Error{spec.source + ": run " + run.label + " would need about " + gib(bytes) +
                   " of memory, more than this machine's " + gib(options.machine_bytes)};
    }
    largest_bytes = std::max(largest_bytes, bytes);
    p.sim_s_total += ns_to_s(sc->duration_ns + sc->drain_ns);
    pending.push_back({run.index, std::move(sc.value())});
  }
  p.to_run = pending.size();
  out.jobs = std::max(1, options.jobs);
  if (options.machine_bytes > 0 && largest_bytes > 0) {
    const int fit = static_cast<int>(options.machine_bytes / largest_bytes);
    out.jobs = std::clamp(fit, 1, out.jobs);
  }
  if (pending.empty()) return Status::Ok();

  std::error_code ec;
  fs::create_directories(sweep_parts_dir(spec.output), ec);
  if (ec) {
    return Error{sweep_parts_dir(spec.output) +
                 ": cannot create the folder for finished runs: " + ec.message()};
  }
  std::mutex mu;
  tbb::task_arena arena(out.jobs);
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, pending.size(), 1), [&](const auto& range) {
          for (std::size_t k = range.begin(); k != range.end(); ++k) {
            if (interrupt != nullptr && interrupt->load()) return;
            const Pending& job = pending[k];
            SweepEntry result = out.entries[job.index];
            bool failed = false;
            try {
              auto sim = Simulation::create(job.scenario);
              if (!sim.ok()) {
                result.status = "error";
                result.detail = sim.error().message;
                failed = true;
              } else {
                const auto t0 = std::chrono::steady_clock::now();
                const RunOutcome o = (*sim)->run(interrupt, {});
                const double wall_s =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                if (!o.complete && interrupt != nullptr && interrupt->load()) {
                  // Interrupted mid-run: nothing kept; a resumed sweep runs it again.
                  result.status = "not-run";
                } else {
                  RunSummary s = summarize(**sim, o);
                  s.host.wall_s = wall_s;
                  s.host.events_per_s = wall_s > 0 ? static_cast<double>(o.events) / wall_s : 0;
                  s.host.sim_s_per_wall_s = wall_s > 0 ? ns_to_s(o.end_ns) / wall_s : 0;
                  const std::string part = job.scenario.output_path;
                  if (Status st = write_results_h5(part, "0", **sim, o, s); !st.ok()) {
                    result.status = "error";
                    result.detail = st.error().message;
                    failed = true;
                  } else {
                    result.stored = StoredRun{part, "runs/0"};
                    result.status.clear();
                    failed = !s.violations.empty() || !o.complete;
                  }
                }
              }
            } catch (const std::exception& ex) {
              result.status = "error";
              result.detail = std::string("the run threw: ") + ex.what();
              failed = true;
            }
            const std::lock_guard lock(mu);
            if (result.status == "error") ++out.errors;
            if (result.stored) ++out.ran;
            out.entries[job.index] = std::move(result);
            const SweepEntry& done = out.entries[job.index];
            if (options.on_finished && (done.stored || done.status == "error")) {
              options.on_finished(job.index, done);
            }
            ++p.done;
            if (failed) ++p.failed;
            p.sim_s_done += ns_to_s(job.scenario.duration_ns + job.scenario.drain_ns);
            if (progress) progress(p);
          }
        });
  });
  out.interrupted = interrupt != nullptr && interrupt->load();
  return Status::Ok();
}

}  // namespace hlsim
