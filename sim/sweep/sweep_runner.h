// Runs a sweep's runs in parallel and keeps each finished run as a part file (sweep_file.h), so
// that an interrupted or crashed sweep resumes where it stopped.
//
// Each run is single-threaded inside; runs are TBB tasks in an arena of `jobs` threads, so a
// run's results do not depend on how many run beside it. A run whose scenario does not load, or
// that throws, is recorded as an error and the others go on. Runs already in the output file
// (same fingerprint: the same effective scenario) or in its parts folder are reused, not run.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sim/kernel/result.h"
#include "sim/sweep/sweep_file.h"
#include "sim/sweep/sweep_spec.h"

namespace hlsim {

struct SweepRunnerOptions {
  int jobs = 1;  // runs in parallel (>= 1)
  std::string data_dir;
  // When > 0: refuse (an error) a run whose memory estimate exceeds it, and run at most
  // machine_bytes / (largest estimate) runs at once.
  double machine_bytes = 0;
  // A distributed sweep's share: which planned runs this process runs (empty: every one).
  std::function<bool(std::size_t run_index)> mine;
  // Called, one call at a time, with each run this process finished (any outcome but
  // interrupted), after its part file is written: a distributed sweep sends it to rank 0.
  std::function<void(std::size_t run_index, const SweepEntry&)> on_finished;
};

struct SweepProgress {
  std::size_t done = 0;    // runs finished by this invocation (any outcome)
  std::size_t to_run = 0;  // runs this invocation runs
  std::size_t failed = 0;  // of done: errors and safety violations
  std::size_t reused = 0;  // runs found complete from an earlier invocation
  double sim_s_done = 0;   // simulated seconds of the finished runs (for an ETA by work)
  double sim_s_total = 0;  // simulated seconds of all runs to run
};

struct SweepOutcome {
  std::vector<SweepEntry> entries;  // one per planned run
  std::size_t reused = 0, ran = 0, errors = 0;
  int jobs = 1;  // as used (the memory bound may lower it)
  bool interrupted = false;
};

// Plans which runs to reuse and which to run, without running anything: entries with `stored`
// set are reused; the others have status "not-run" (or "error" with the load error).
Result<SweepOutcome> plan_sweep(const SweepSpec& spec, const SweepPlan& plan,
                                const SweepRunnerOptions& options);

// Runs the entries of `planned` that have no results, no error and are this process's (`mine`),
// filling them in. Part files go to the parts folder of spec.output.
Status run_planned(const SweepSpec& spec, const SweepPlan& plan, const SweepRunnerOptions& options,
                   SweepOutcome& planned, const std::atomic<bool>* interrupt,
                   const std::function<void(const SweepProgress&)>& progress);

// plan_sweep, then runs what is left. `progress` is called (from worker threads, serialised)
// after each run. An error only when nothing can run at all (every run's scenario fails to load,
// an unreadable earlier output, the memory bound).
Result<SweepOutcome> run_sweep(const SweepSpec& spec, const SweepPlan& plan,
                               const SweepRunnerOptions& options,
                               const std::atomic<bool>* interrupt,
                               const std::function<void(const SweepProgress&)>& progress);

}  // namespace hlsim
