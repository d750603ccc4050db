// `hlsim run SCENARIO [--seed N] [--set key=value]... [-o results.h5] [--quiet]`
#include <tbb/global_control.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include "apps/hlsim/commands.h"
#include "sim/results/h5_writer.h"
#include "sim/results/summary.h"
#include "sim/run/simulation.h"
#include "sim/scenario/memory_estimate.h"
#include "sim/scenario/scenario.h"

namespace hlsim::app {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_interrupted{false};

extern "C" void on_signal(int) { g_interrupted.store(true); }

struct RunOptions {
  std::string scenario_path;
  std::vector<std::string> sets;
  std::int64_t seed = -1;
  std::string output;
  bool quiet = false;
  bool json = false;
  bool no_memory_check = false;
  int threads = 0;  // 0: every core
};

std::string gib(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  return buf;
}

std::string summary_path_for(const std::string& h5_path) {
  fs::path p(h5_path);
  p.replace_extension(".summary.json");
  return p.string();
}

// Ends the process once a run's results are written and closed, without destroying the
// simulation. Freeing its millions of small objects one by one took a fifth of a 1,000-validator
// run's wall time; the operating system takes the memory back at once. Only for memory storage:
// RocksDB ledgers are closed properly by the normal return.
[[noreturn]] void exit_without_teardown(int code) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(code);
}

int run(const RunOptions& opt) {
  // Threads only do real work ahead of the simulation (signing, verification); the results are
  // identical for any count.
  std::optional<tbb::global_control> thread_limit;
  if (opt.threads > 0) {
    thread_limit.emplace(tbb::global_control::max_allowed_parallelism,
                         static_cast<std::size_t>(opt.threads));
  }
  std::vector<Override> overrides;
  for (const auto& s : opt.sets) {
    auto o = parse_override(s);
    if (!o.ok()) {
      std::cerr << "hlsim: error: " << o.error().message << "\n";
      return kExitBadInput;
    }
    overrides.push_back(o.value());
  }
  if (opt.seed >= 0) overrides.push_back({"seed", std::to_string(opt.seed)});
  if (!opt.output.empty()) overrides.push_back({"output.path", opt.output});

  auto scenario = load_scenario_file(opt.scenario_path, overrides, data_dir());
  if (!scenario.ok()) {
    std::cerr << "hlsim: error: " << scenario.error().message << "\n";
    return kExitBadInput;
  }
  // Refuse, before anything runs, a scenario that cannot fit in this machine's memory.
  const MemoryEstimate memory = estimate_memory(scenario.value());
  const double machine_bytes = machine_memory_bytes();
  if (!opt.no_memory_check && machine_bytes > 0 && memory.bytes > machine_bytes) {
    char tx[32];
    std::snprintf(tx, sizeof tx, "%.3g", memory.transactions);
    std::cerr << "hlsim: error: " << opt.scenario_path << ": the run would need about "
              << gib(memory.bytes) << " of memory (" << tx
              << " transactions, rate_tps x (duration_s + drain_s), kept by each of "
              << scenario->consensus.nodes << " validators), more than this machine's "
              << gib(machine_bytes)
              << "; lower workload.rate_tps, duration_s or consensus.nodes "
                 "(--no-memory-check runs it anyway)\n";
    return kExitBadInput;
  }
  const std::string out_path = scenario->output_path;
  const fs::path parent = fs::path(out_path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent)) {
    std::cerr << "hlsim: error: output.path: directory '" << parent.string()
              << "' does not exist\n";
    return kExitBadInput;
  }
  if (access(parent.empty() ? "." : parent.c_str(), W_OK) != 0) {
    std::cerr << "hlsim: error: output.path: directory '"
              << (parent.empty() ? std::string(".") : parent.string()) << "' is not writable\n";
    return kExitBadInput;
  }

  auto sim = Simulation::create(scenario.value());
  if (!sim.ok()) {
    std::cerr << "hlsim: error: " << sim.error().message << "\n";
    return kExitBadInput;
  }
  // One run alone on the machine: a spare core signs the validators' common votes ahead of them.
  const unsigned threads =
      opt.threads > 0 ? static_cast<unsigned>(opt.threads) : std::thread::hardware_concurrency();
  if (threads > 1) sim.value()->enable_background_signing();

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  const bool show_progress = !opt.quiet && isatty(STDERR_FILENO);
  const auto wall_start = std::chrono::steady_clock::now();
  auto last_print = wall_start;
  bool printed = false;
  auto progress = [&](const RunProgress& p) {
    if (!show_progress) return;
    const auto now = std::chrono::steady_clock::now();
    const double wall_s = std::chrono::duration<double>(now - wall_start).count();
    if (wall_s < 1.0 || std::chrono::duration<double>(now - last_print).count() < 0.25) return;
    last_print = now;
    const double frac = p.end_ns > 0 ? static_cast<double>(p.now_ns) / p.end_ns : 1.0;
    const double eta_s = frac > 0 ? wall_s * (1 - frac) / frac : 0;
    std::fprintf(
        stderr, "\r  simulated %6.1f / %.1f s  |  wall %6.1f s  |  ETA %5.1f s  |  %.2fM events ",
        ns_to_s(p.now_ns), ns_to_s(p.end_ns), wall_s, eta_s, static_cast<double>(p.events) / 1e6);
    std::fflush(stderr);
    printed = true;
  };

  const RunOutcome outcome = (*sim)->run(&g_interrupted, progress);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (printed) std::fprintf(stderr, "\r%100s\r", "");

  RunSummary summary = summarize(**sim, outcome);
  summary.host.wall_s = wall_s;
  summary.host.events_per_s = wall_s > 0 ? static_cast<double>(outcome.events) / wall_s : 0;
  summary.host.sim_s_per_wall_s = wall_s > 0 ? ns_to_s(outcome.end_ns) / wall_s : 0;

  if (opt.json) {
    std::cout << summary_json(summary);
  } else if (!opt.quiet) {
    std::cout << render_console(summary);
  }
  Status written = write_results_h5(out_path, "0", **sim, outcome, summary);
  if (!written.ok()) {
    std::cerr << "hlsim: error: " << written.error().message << "\n";
    return kExitFailed;
  }
  const std::string json_path = summary_path_for(out_path);
  Status json_written = write_text_atomically(json_path, summary_json(summary));
  if (!json_written.ok()) {
    std::cerr << "hlsim: error: " << json_written.error().message << "\n";
    return kExitFailed;
  }
  if (!opt.quiet && !opt.json) {
    std::cout << "  results: " << out_path << " (tables tx, blocks, nodes, messages, timeseries, "
              << "leaders, faults, offchain_reads; the chain for hlsim verify), " << json_path
              << "\n";
    if (summary.storage == "rocksdb") {
      std::cout << "  ledgers: " << ledger_dir_for(out_path) << "/node-<i> (RocksDB)\n";
    }
  }
  int code = kExitOk;
  if (!summary.violations.empty()) {
    code = kExitFailed;
  } else if (!outcome.complete) {
    code = kExitInterrupted;
  }
  if (scenario.value().ledger.storage == "memory") exit_without_teardown(code);
  return code;
}

}  // namespace

Runner add_run_command(CLI::App& app) {
  auto opt = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Simulate one scenario and write its results");
  cmd->add_option("scenario", opt->scenario_path, "Scenario YAML file")->required();
  cmd->add_option("--seed", opt->seed, "Run seed (overrides the scenario's `seed`)");
  cmd->add_option("--set", opt->sets,
                  "Override any scenario key, e.g. --set workload.rate_tps=2000 (repeatable)");
  cmd->add_option("-o,--output", opt->output, "Results file (HDF5); default output.path");
  cmd->add_flag("-q,--quiet", opt->quiet, "No progress line and no table");
  cmd->add_flag("--json", opt->json, "Print the summary as JSON instead of the table");
  cmd->add_flag("--no-memory-check", opt->no_memory_check,
                "Run even when the memory estimate exceeds this machine's memory");
  cmd->add_option("--threads", opt->threads,
                  "Worker threads for real crypto done ahead of the simulation (default: all "
                  "cores); results do not depend on it")
      ->check(CLI::Range(1, 1024));
  return [opt] { return run(*opt); };
}

}  // namespace hlsim::app
