// `hlsim sweep SWEEP.yaml [-o out.h5] [-j N] [--plan] [-q]`: a base scenario over a grid of
// scenario keys and seeds, runs in parallel, one results file (sim/sweep/).
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "apps/hlsim/commands.h"
#include "apps/hlsim/sweep_mpi.h"
#include "sim/sweep/sweep_file.h"
#include "sim/sweep/sweep_runner.h"
#include "sim/sweep/sweep_spec.h"

namespace hlsim::app {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_sweep_interrupted{false};
extern "C" void on_sweep_signal(int) { g_sweep_interrupted.store(true); }

struct SweepOptions {
  std::string spec_path;
  std::string output;
  int jobs = 0;  // 0: every core
  bool plan_only = false;
  bool quiet = false;
  bool no_memory_check = false;
};

std::string clock_text(double s) {
  char buf[32];
  const long t = std::lround(s);
  if (t >= 3600) {
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t / 60) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  }
  return buf;
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// "402.1 ± 3.2" (the 95% interval's half width), or the mean alone for one seed.
std::string mean_pm(const MeanCi& c, const char* f) {
  if (c.n == 0) return "-";
  std::string s = fmt(f, c.mean);
  if (c.n > 1) s += " ± " + fmt(f, (c.hi - c.lo) / 2);
  return s;
}

std::string render_table(const SweepPlan& plan, const SweepTables& t) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head = plan.parameters;
  for (const char* h : {"seeds ok", "committed tx/s", "p50 ms", "p99 ms", "msgs/block"}) {
    head.emplace_back(h);
  }
  rows.push_back(head);
  for (const SweepAggregate& a : t.aggregates) {
    std::vector<std::string> r = plan.points[a.point];
    std::size_t runs = 0;
    for (const SweepRun& run : plan.runs) runs += run.point == a.point ? 1 : 0;
    r.push_back(std::to_string(a.committed_tps.n) + "/" + std::to_string(runs));
    r.push_back(mean_pm(a.committed_tps, "%.1f"));
    r.push_back(mean_pm(a.p50_ms, "%.1f"));
    r.push_back(mean_pm(a.p99_ms, "%.1f"));
    r.push_back(mean_pm(a.msgs_per_block, "%.1f"));
    rows.push_back(std::move(r));
  }
  std::vector<std::size_t> width(head.size(), 0);
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < r.size(); ++c) {
      // "±" is two bytes and one column.
      std::size_t len = r[c].size();
      if (r[c].find("±") != std::string::npos) --len;
      width[c] = std::max(width[c], len);
    }
  }
  std::ostringstream out;
  for (const auto& r : rows) {
    out << " ";
    for (std::size_t c = 0; c < r.size(); ++c) {
      std::size_t len = r[c].size();
      if (r[c].find("±") != std::string::npos) --len;
      out << " " << r[c] << std::string(width[c] - len + 1, ' ');
    }
    out << "\n";
  }
  return out.str();
}

int sweep(const SweepOptions& opt) {
  auto spec = load_sweep_spec_file(opt.spec_path);
  if (!spec.ok()) {
    std::cerr << "hlsim: error: " << spec.error().message << "\n";
    return kExitBadInput;
  }
  if (!opt.output.empty()) spec->output = opt.output;
  const fs::path parent = fs::path(spec->output).parent_path();
  const std::string dir = parent.empty() ? std::string(".") : parent.string();
  if (!fs::is_directory(dir) || access(dir.c_str(), W_OK) != 0) {
    std::cerr << "hlsim: error: output: directory '" << dir
              << "' does not exist or is not writable\n";
    return kExitBadInput;
  }
  const SweepPlan plan = expand_sweep(spec.value());
  // Under mpirun: the runs are spread over the ranks (sweep_mpi.h), each running on its share of
  // the machine's cores by default.
  const int launcher = mpi_launcher_ranks();
  const bool distributed = launcher > 1 && !opt.plan_only;
  if (distributed && !mpi_sweep_requested()) {
    std::cerr << "hlsim: error: started with " << launcher
              << " ranks, but this hlsim was built without MPI support (install libopenmpi-dev "
                 "and rebuild), so every rank would run the whole sweep\n";
    return kExitBadInput;
  }
  const bool root = !distributed || std::getenv("OMPI_COMM_WORLD_RANK") == nullptr ||
                    std::string(std::getenv("OMPI_COMM_WORLD_RANK")) == "0";
  int local_ranks = 1;
  if (const char* v = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE"); distributed && v != nullptr) {
    local_ranks = std::max(1, std::atoi(v));
  }
  SweepRunnerOptions ro;
  ro.jobs = opt.jobs > 0
                ? opt.jobs
                : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / local_ranks);
  ro.data_dir = data_dir();
  ro.machine_bytes = opt.no_memory_check ? 0 : machine_memory_bytes();

  if (opt.plan_only) {
    auto planned = plan_sweep(spec.value(), plan, ro);
    if (!planned.ok()) {
      std::cerr << "hlsim: error: " << planned.error().message << "\n";
      return kExitBadInput;
    }
    std::cout << "sweep " << opt.spec_path << ": " << plan.runs.size() << " runs ("
              << plan.points.size() << " points x " << spec->seeds.size() << " seeds) -> "
              << spec->output << "\n";
    for (const SweepRun& r : plan.runs) {
      const SweepEntry& e = planned->entries[r.index];
      std::cout << "  " << sweep_run_id(r.index, plan.runs.size()) << "  "
                << (e.stored              ? "done   "
                    : e.status == "error" ? "ERROR  "
                                          : "to run ")
                << r.label << (e.status == "error" ? "\n      " + e.detail : "") << "\n";
    }
    return kExitOk;
  }

  const bool show_progress = root && !opt.quiet && isatty(STDERR_FILENO);
  std::signal(SIGINT, on_sweep_signal);
  std::signal(SIGTERM, on_sweep_signal);
  const auto start = std::chrono::steady_clock::now();
  auto last_print = start - std::chrono::seconds(1);
  bool printed = false;
  auto progress = [&](const SweepProgress& p) {
    if (!show_progress) return;
    const auto now = std::chrono::steady_clock::now();
    if (p.done != p.to_run && now - last_print < std::chrono::milliseconds(250)) return;
    last_print = now;
    const double elapsed = std::chrono::duration<double>(now - start).count();
    // ETA by simulated seconds (runs differ in length), from the work finished so far.
    const double frac = p.sim_s_total > 0 ? p.sim_s_done / p.sim_s_total : 1.0;
    const double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
    constexpr int kBar = 24;
    const int filled = static_cast<int>(frac * kBar);
    std::fprintf(stderr, "\r  sweep [%s%s] %zu/%zu runs  %zu failed  elapsed %s  ETA %s   ",
                 std::string(filled, '#').c_str(), std::string(kBar - filled, '.').c_str(), p.done,
                 p.to_run, p.failed, clock_text(elapsed).c_str(), clock_text(eta).c_str());
    std::fflush(stderr);
    printed = true;
  };
  if (!opt.quiet && root) {
    std::cout << "sweep " << opt.spec_path << ": " << plan.runs.size() << " runs ("
              << plan.points.size() << " points x " << spec->seeds.size() << " seeds) -> "
              << spec->output << (distributed ? " on " + std::to_string(launcher) + " ranks" : "")
              << "\n";
    std::cout.flush();
  }
  Result<SweepOutcome> outcome = SweepOutcome{};
  if (distributed) {
    MpiSweepOutcome m = run_sweep_mpi(spec.value(), plan, ro, &g_sweep_interrupted, progress);
    if (!m.root) {
      // A worker: its runs went to rank 0, which writes the file and reports.
      finish_mpi();
      return kExitOk;
    }
    outcome = std::move(m.outcome);
  } else {
    outcome = run_sweep(spec.value(), plan, ro, &g_sweep_interrupted, progress);
  }
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (printed) std::fprintf(stderr, "\r%110s\r", "");
  // Rank 0 ends MPI whatever happens next (the workers wait for it in MPI_Finalize).
  struct MpiEnd {
    bool on;
    ~MpiEnd() {
      if (on) finish_mpi();
    }
  } mpi_end{distributed};
  if (!outcome.ok()) {
    std::cerr << "hlsim: error: " << outcome.error().message << "\n";
    return kExitBadInput;
  }
  auto tables = write_sweep_file(spec->output, spec.value(), plan, outcome->entries);
  if (!tables.ok()) {
    std::cerr << "hlsim: error: " << tables.error().message << "\n";
    return kExitFailed;
  }
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::size_t ok = 0, violations = 0, incomplete = 0, errors = 0, not_run = 0;
  std::ostringstream problems;
  for (std::size_t i = 0; i < tables->rows.size(); ++i) {
    const SweepRow& r = tables->rows[i];
    if (r.status == "ok") {
      ++ok;
      continue;
    }
    if (r.status == "violation") ++violations;
    if (r.status == "incomplete") ++incomplete;
    if (r.status == "error") ++errors;
    if (r.status == "not-run") {
      ++not_run;
      continue;
    }
    problems << "  " << r.run_id << " " << plan.runs[i].label << ": " << r.status
             << (r.detail.empty() ? "" : ": " + r.detail) << "\n";
  }
  if (!opt.quiet) {
    std::cout << "  " << outcome->ran << " runs done now on "
              << (distributed ? std::to_string(launcher) + " ranks x " : std::string())
              << outcome->jobs << " jobs, " << outcome->reused
              << " reused from an earlier sweep, in " << clock_text(wall_s) << "\n";
    std::cout << render_table(plan, tables.value());
    std::cout << "  (mean ± half the 95% confidence interval over the seeds that ran to the end "
                 "without a violation)\n";
    std::cout << "  runs: " << ok << " ok, " << violations << " with a safety violation, "
              << incomplete << " incomplete, " << errors << " errors, " << not_run << " not run\n";
    if (!problems.str().empty()) std::cout << problems.str();
    std::cout << "  results: " << spec->output
              << " (/runs/<id> per run as hlsim run writes it; /sweep/runs and /sweep/aggregate)\n";
  }
  if (outcome->interrupted) {
    std::cerr << "hlsim: interrupted: " << ok + violations + incomplete
              << " runs kept; run the same command again to finish the sweep\n";
    return kExitInterrupted;
  }
  return violations + incomplete + errors > 0 ? kExitFailed : kExitOk;
}

}  // namespace

Runner add_sweep_command(CLI::App& app) {
  auto opt = std::make_shared<SweepOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sweep",
      "Run a base scenario over a grid of scenario keys and seeds, in parallel, into one "
      "results file (resumable)");
  cmd->add_option("sweep", opt->spec_path, "Sweep file (YAML: base, set, grid, zip, seeds, output)")
      ->required();
  cmd->add_option("-o,--output", opt->output, "Results file (HDF5); default: the sweep's output");
  cmd->add_option("-j,--jobs", opt->jobs, "Runs in parallel (default: every core)")
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("--plan", opt->plan_only,
                "List the runs (and which are already done) without running anything");
  cmd->add_flag("-q,--quiet", opt->quiet, "No progress line and no table");
  cmd->add_flag("--no-memory-check", opt->no_memory_check,
                "Run even when a run's memory estimate exceeds this machine's memory");
  return [opt] { return sweep(*opt); };
}

}  // namespace hlsim::app
