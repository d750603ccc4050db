// `hlsim size SIZE.yaml [-j N] [-q]`: the cheapest configurations that meet service levels, found
// by simulation (sim/size/size_search.h).
#include <tbb/global_control.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>

#include "apps/hlsim/commands.h"
#include "consensus/registry.h"
#include "sim/results/summary.h"
#include "sim/run/simulation.h"
#include "sim/size/size_search.h"

namespace hlsim::app {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_size_interrupted{false};
extern "C" void on_size_signal(int) { g_size_interrupted.store(true); }

struct SizeOptions {
  std::string spec_path;
  int jobs = 0;
  bool quiet = false;
};

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::vector<Override> overrides_for(const SizeSpec& spec, const SizeConfig& c, std::uint64_t seed,
                                    const std::string& output) {
  std::vector<Override> o = spec.sets;
  o.push_back({"consensus.protocol", c.protocol});
  o.push_back({"consensus.nodes", std::to_string(c.nodes)});
  if (c.cores > 0) o.push_back({"nodes.cores", std::to_string(c.cores)});
  if (c.bandwidth_mbps > 0) o.push_back({"network.bandwidth_mbps", fmt("%.17g", c.bandwidth_mbps)});
  o.push_back({"seed", std::to_string(seed)});
  o.push_back({"output.path", output});
  return o;
}

// Simulates one configuration over the spec's seeds.
SizeMeasure measure(const SizeSpec& spec, const SizeConfig& c, const std::string& scratch) {
  SizeMeasure m;
  m.ok = true;
  double tps_sum = 0;
  for (std::uint64_t seed : spec.seeds) {
    if (g_size_interrupted.load()) return {false, "interrupted", 0, 0};
    const std::string out =
        (fs::path(scratch) /
         (c.protocol + "-" + std::to_string(c.nodes) + "-" + std::to_string(c.cores) + "-" +
          fmt("%.0f", c.bandwidth_mbps) + "-" + std::to_string(seed) + ".h5"))
            .string();
    auto sc = load_scenario_file(spec.base_path, overrides_for(spec, c, seed, out), data_dir());
    if (!sc.ok()) return {false, sc.error().message, 0, 0};
    auto sim = Simulation::create(sc.value());
    if (!sim.ok()) return {false, sim.error().message, 0, 0};
    const RunOutcome o = (*sim)->run(&g_size_interrupted, {});
    const RunSummary s = summarize(**sim, o);
    if (!s.violations.empty()) return {false, "safety violation: " + s.violations.front(), 0, 0};
    if (!o.complete) return {false, "run incomplete: " + o.stop_reason, 0, 0};
    tps_sum += s.committed_tps;
    m.p99_ms = std::max(m.p99_ms, s.latency.p99_ms);
  }
  m.committed_tps = tps_sum / static_cast<double>(spec.seeds.size());
  return m;
}

// How far `value` lies from `target`, in percent of the target ("+3%": 3% above it).
std::string margin(double value, double target) {
  if (target <= 0) return "";
  return " (" + fmt("%+.0f%%", 100.0 * (value - target) / target) + ")";
}

int size(const SizeOptions& opt) {
  auto spec = load_size_spec_file(opt.spec_path);
  if (!spec.ok()) {
    std::cerr << "hlsim: error: " << spec.error().message << "\n";
    return kExitBadInput;
  }
  for (const std::string& p : spec->protocols) {
    if (find_protocol(p) == nullptr) {
      std::cerr << "hlsim: error: " << opt.spec_path << ": consider.protocols: unknown protocol '"
                << p << "' (see hlsim list)\n";
      return kExitBadInput;
    }
  }
  // The base with the fixed overrides must load before anything runs.
  if (auto sc = load_scenario_file(spec->base_path, spec->sets, data_dir()); !sc.ok()) {
    std::cerr << "hlsim: error: " << sc.error().message << "\n";
    return kExitBadInput;
  }
  std::error_code ec;
  const fs::path scratch =
      fs::temp_directory_path(ec) / ("hlsim-size-" + std::to_string(::getpid()));
  fs::create_directories(scratch, ec);
  if (ec) {
    std::cerr << "hlsim: error: cannot create a scratch folder " << scratch << ": " << ec.message()
              << "\n";
    return kExitFailed;
  }
  std::optional<tbb::global_control> limit;
  if (opt.jobs > 0) {
    limit.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(opt.jobs));
  }
  const ServiceLevels& lv = spec->levels;
  if (!opt.quiet) {
    std::cout << "hlsim size " << opt.spec_path << ": committed >= " << fmt("%g", lv.committed_tps)
              << " tx/s" << (lv.p99_ms > 0 ? ", p99 <= " + fmt("%g", lv.p99_ms) + " ms" : "")
              << ", failures tolerated: " << lv.failures << "; " << spec->seeds.size()
              << " seeds per configuration\n";
    std::cout.flush();
  }
  std::signal(SIGINT, on_size_signal);
  std::signal(SIGTERM, on_size_signal);
  std::mutex print;
  const auto start = std::chrono::steady_clock::now();
  const SizeResult r = search_sizes(
      spec.value(),
      [](const std::string& protocol, std::uint32_t n) -> std::int64_t {
        const ProtocolInfo* info = find_protocol(protocol);
        if (info == nullptr || n < info->min_nodes) return -1;
        return info->max_faulty(n);
      },
      [&](const SizeConfig& c) {
        SizeMeasure m = measure(spec.value(), c, scratch.string());
        if (!opt.quiet) {
          const std::lock_guard lock(print);
          std::cout << "  " << c.protocol << " n=" << c.nodes << " cores=" << c.cores
                    << " bandwidth=" << fmt("%g", c.bandwidth_mbps) << " Mbit/s: "
                    << (m.ok ? fmt("%.1f tx/s", m.committed_tps) + ", p99 " +
                                   fmt("%.1f ms", m.p99_ms)
                             : m.error)
                    << (meets(lv, m) ? "  meets" : "") << "\n";
          std::cout.flush();
        }
        return m;
      });
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  fs::remove_all(scratch, ec);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::ostringstream out;
  out << "simulated " << r.evaluations << " configurations (a full grid: " << r.grid << "), "
      << r.evaluations * spec->seeds.size() << " runs, in " << fmt("%.0f", wall_s) << " s\n";
  if (r.feasible.empty()) {
    out << "NO configuration meets the service levels.\n";
  } else {
    out << "cheapest configurations that meet the levels (per protocol and bandwidth, the fewest "
           "cores):\n";
    char line[256];
    std::snprintf(line, sizeof line, "  %8s  %-11s %4s %6s %10s  %-26s %s\n", "cost", "protocol",
                  "n", "cores", "Mbit/s", "committed tx/s (margin)", "p99 ms (margin)");
    out << line;
    for (const SizeCandidate& c : r.feasible) {
      std::snprintf(
          line, sizeof line, "  %8.2f  %-11s %4u %6u %10g  %-26s %s\n", c.cost,
          c.config.protocol.c_str(), c.config.nodes, c.config.cores, c.config.bandwidth_mbps,
          (fmt("%.1f", c.measure.committed_tps) + margin(c.measure.committed_tps, lv.committed_tps))
              .c_str(),
          (fmt("%.1f", c.measure.p99_ms) + margin(c.measure.p99_ms, lv.p99_ms)).c_str());
      out << line;
    }
  }
  if (!r.rejected.empty()) {
    out << "cannot meet them (at the most cores considered):\n";
    for (const std::string& why : r.rejected) out << "  " << why << "\n";
  }
  std::cout << out.str();
  if (g_size_interrupted.load()) return kExitInterrupted;
  return r.feasible.empty() ? kExitFailed : kExitOk;
}

}  // namespace

Runner add_size_command(CLI::App& app) {
  auto opt = std::make_shared<SizeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "size",
      "Find the cheapest configurations (protocol, validators, cores, bandwidth) that meet "
      "service levels for a workload, by simulation");
  cmd->add_option("size", opt->spec_path,
                  "Size file (YAML: base, set, service, consider, cost, seeds)")
      ->required();
  cmd->add_option("-j,--jobs", opt->jobs, "Protocols searched in parallel (default: every core)")
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("-q,--quiet", opt->quiet, "Only the result");
  return [opt] { return size(*opt); };
}

}  // namespace hlsim::app
