// `hlsim fuzz [--protocol P]... [--seeds N] [--first-seed S] [--jobs N] [--canary]
//             [--seed N [--trace | --print-scenario]] [--report FILE.json]`
//
// Swarm testing: every seed is a randomised scenario within the protocol's fault bound
// (sim/swarm/swarm_case.h), judged for safety and then for liveness after every fault heals.
// Seeds run in parallel (TBB); the outcome of each is a pure function of (protocol, seed,
// options, version), so any failure is reproduced bit for bit by the command printed with it.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "apps/hlsim/commands.h"
#include "consensus/registry.h"
#include "sim/results/h5_writer.h"
#include "sim/swarm/swarm_run.h"

namespace hlsim::app {
namespace {

std::atomic<bool> g_fuzz_interrupted{false};
extern "C" void on_fuzz_signal(int) { g_fuzz_interrupted.store(true); }

struct FuzzOptions {
  std::vector<std::string> protocols;
  std::uint64_t seeds = 100;
  std::uint64_t first_seed = 1;
  std::int64_t seed = -1;  // one seed only
  bool trace = false;
  bool print_scenario = false;
  bool canary = false;
  int jobs = 0;                          // 0: every core
  std::uint64_t determinism_every = 10;  // every k-th seed runs twice; 0: never
  double safety_s = 8;
  double liveness_s = 20;
  std::string report;
  bool quiet = false;
};

// One unit of parallel work: a seed of a protocol, or its determinism re-run.
struct Job {
  std::size_t protocol = 0;
  std::uint64_t seed = 0;
  bool rerun = false;
};

struct Done {
  SwarmResult result;
  double wall_s = 0;
};

std::string repro_command(const FuzzOptions& opt, const SwarmResult& r) {
  std::ostringstream s;
  s << "hlsim fuzz --protocol " << r.protocol << " --seed " << r.seed;
  if (opt.canary) s << " --canary";
  if (opt.safety_s != FuzzOptions{}.safety_s) s << " --safety-s " << opt.safety_s;
  if (opt.liveness_s != FuzzOptions{}.liveness_s) s << " --liveness-s " << opt.liveness_s;
  s << " --trace";
  return s.str();
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

int one_seed(const FuzzOptions& opt, const std::string& protocol, const SwarmOptions& so) {
  auto c = make_swarm_case(protocol, static_cast<std::uint64_t>(opt.seed), so);
  if (!c.ok()) {
    std::cerr << "hlsim: error: " << c.error().message << "\n";
    return kExitBadInput;
  }
  if (opt.print_scenario) {
    std::cout << "# " << c->outline << "\n" << c->yaml;
    return kExitOk;
  }
  std::function<void(const std::string&)> trace;
  if (opt.trace) trace = [](const std::string& line) { std::cout << line << "\n"; };
  std::signal(SIGINT, on_fuzz_signal);
  std::signal(SIGTERM, on_fuzz_signal);
  const SwarmResult r = run_swarm_case(c.value(), data_dir(), trace, &g_fuzz_interrupted);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  std::cout << "seed " << r.seed << " (" << r.outline << "): " << to_string(r.verdict);
  if (!r.detail.empty()) std::cout << ": " << r.detail;
  std::cout << "\n  events " << r.events << ", digest " << std::hex << r.digest << std::dec
            << ", committed " << r.committed << " tx";
  if (r.recovery_ns >= 0)
    std::cout << ", recovery after heal " << fmt("%.1f", r.recovery_ns / 1e6) << " ms";
  std::cout << "\n";
  if (opt.canary) return r.verdict == SwarmVerdict::kSafety ? kExitOk : kExitFailed;
  return r.verdict == SwarmVerdict::kPass || r.verdict == SwarmVerdict::kOutsideModel ? kExitOk
                                                                                      : kExitFailed;
}

int fuzz(const FuzzOptions& opt) {
  std::vector<std::string> protocols = opt.protocols;
  if (protocols.empty() ||
      std::find(protocols.begin(), protocols.end(), "all") != protocols.end()) {
    protocols.clear();
    for (const ProtocolInfo& p : protocol_registry()) protocols.push_back(p.name);
  }
  for (const std::string& p : protocols) {
    if (find_protocol(p) == nullptr) {
      std::cerr << "hlsim: error: --protocol: unknown protocol '" << p << "' (see hlsim list)\n";
      return kExitBadInput;
    }
  }
  if (!(opt.safety_s >= 1) || !(opt.liveness_s >= 1)) {
    std::cerr << "hlsim: error: --safety-s and --liveness-s: expected at least 1 s\n";
    return kExitBadInput;
  }
  const SwarmOptions so{
      .safety_s = opt.safety_s, .liveness_s = opt.liveness_s, .canary = opt.canary};
  if (opt.seed >= 0) {
    if (protocols.size() != 1) {
      std::cerr << "hlsim: error: --seed: name exactly one --protocol\n";
      return kExitBadInput;
    }
    return one_seed(opt, protocols.front(), so);
  }
  if (opt.trace || opt.print_scenario) {
    std::cerr << "hlsim: error: --trace and --print-scenario replay one seed: add --seed N\n";
    return kExitBadInput;
  }
  if (opt.canary) {
    // Protocols the canary cannot break are skipped when all were asked for, an error when named.
    const bool named =
        !opt.protocols.empty() &&
        std::find(opt.protocols.begin(), opt.protocols.end(), "all") == opt.protocols.end();
    std::vector<std::string> breakable;
    for (const std::string& p : protocols) {
      if (auto c = make_swarm_case(p, opt.first_seed, so); !c.ok()) {
        if (named) {
          std::cerr << "hlsim: error: " << c.error().message << "\n";
          return kExitBadInput;
        }
        std::cout << "  (" << c.error().message << ": skipped)\n";
        continue;
      }
      breakable.push_back(p);
    }
    protocols = breakable;
  }

  std::vector<Job> jobs;
  for (std::size_t p = 0; p < protocols.size(); ++p) {
    for (std::uint64_t i = 0; i < opt.seeds; ++i) {
      const std::uint64_t seed = opt.first_seed + i;
      jobs.push_back({p, seed, false});
      if (opt.determinism_every > 0 && i % opt.determinism_every == 0) {
        jobs.push_back({p, seed, true});
      }
    }
  }
  std::vector<Done> done(jobs.size());
  const int threads =
      opt.jobs > 0 ? opt.jobs : static_cast<int>(std::thread::hardware_concurrency());
  const bool show_progress = !opt.quiet && isatty(STDERR_FILENO);
  std::atomic<std::size_t> finished{0}, failures{0};
  std::mutex print_mutex;
  const auto wall_start = std::chrono::steady_clock::now();
  auto last_print = wall_start;
  const std::string dir = data_dir();

  std::signal(SIGINT, on_fuzz_signal);
  std::signal(SIGTERM, on_fuzz_signal);
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, jobs.size(), 1), [&](const auto& range) {
      for (std::size_t j = range.begin(); j != range.end(); ++j) {
        if (g_fuzz_interrupted.load()) return;
        const Job& job = jobs[j];
        const auto t0 = std::chrono::steady_clock::now();
        auto c = make_swarm_case(protocols[job.protocol], job.seed, so);
        Done d;
        if (c.ok()) {
          d.result = run_swarm_case(c.value(), dir, {}, &g_fuzz_interrupted);
        } else {
          d.result.protocol = protocols[job.protocol];
          d.result.seed = job.seed;
          d.result.verdict = SwarmVerdict::kError;
          d.result.detail = c.error().message;
        }
        const auto t1 = std::chrono::steady_clock::now();
        d.wall_s = std::chrono::duration<double>(t1 - t0).count();
        const bool failed = d.result.verdict != SwarmVerdict::kPass &&
                            d.result.verdict != SwarmVerdict::kOutsideModel;
        done[j] = std::move(d);
        const std::size_t n = ++finished;
        if (failed && !job.rerun) ++failures;
        if (!show_progress) continue;
        const std::lock_guard lock(print_mutex);
        const auto now = std::chrono::steady_clock::now();
        if (n != jobs.size() && std::chrono::duration<double>(now - last_print).count() < 0.5) {
          continue;
        }
        last_print = now;
        const double wall = std::chrono::duration<double>(now - wall_start).count();
        std::fprintf(stderr, "\r  fuzz: %zu / %zu runs  |  %zu failing  |  %.1f runs/min  ", n,
                     jobs.size(), failures.load(), wall > 0 ? 60.0 * n / wall : 0.0);
        std::fflush(stderr);
      }
    });
  });
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (show_progress) std::fprintf(stderr, "\r%100s\r", "");
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const bool interrupted = g_fuzz_interrupted.load();

  // Per protocol: verdicts, recovery after the heal, seeds per minute.
  struct Tally {
    std::uint64_t seeds = 0, pass = 0, safety = 0, outside = 0, liveness = 0, error = 0,
                  rechecked = 0, nondeterministic = 0, reorgs = 0;
    double cpu_s = 0;
    TimeNs max_recovery_ns = -1;
    std::vector<TimeNs> recoveries;
  };
  std::vector<Tally> tally(protocols.size());
  std::vector<std::string> failure_lines, outside_lines, determinism_lines;
  nlohmann::json report;
  report["protocols"] = protocols;
  report["canary"] = opt.canary;
  report["safety_s"] = opt.safety_s;
  report["liveness_s"] = opt.liveness_s;
  report["failures"] = nlohmann::json::array();
  report["outside_model"] = nlohmann::json::array();
  std::map<std::pair<std::size_t, std::uint64_t>, std::size_t> first_run;
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    if (finished.load() == 0) break;
    const Job& job = jobs[j];
    const Done& d = done[j];
    if (d.result.protocol.empty()) continue;  // not run (interrupted)
    Tally& t = tally[job.protocol];
    t.cpu_s += d.wall_s;
    if (job.rerun) {
      const auto it = first_run.find({job.protocol, job.seed});
      if (it == first_run.end()) continue;
      const SwarmResult& a = done[it->second].result;
      ++t.rechecked;
      if (a.digest != d.result.digest || a.summary_json != d.result.summary_json ||
          a.verdict != d.result.verdict) {
        ++t.nondeterministic;
        std::ostringstream s;
        s << "  " << protocols[job.protocol] << " seed " << job.seed << ": two runs differ (digest "
          << std::hex << a.digest << " vs " << d.result.digest << std::dec << ")";
        determinism_lines.push_back(s.str());
      }
      continue;
    }
    first_run[{job.protocol, job.seed}] = j;
    const SwarmResult& r = d.result;
    ++t.seeds;
    t.reorgs += r.reorgs;
    switch (r.verdict) {
      case SwarmVerdict::kPass:
        ++t.pass;
        break;
      case SwarmVerdict::kSafety:
        ++t.safety;
        break;
      case SwarmVerdict::kLiveness:
        ++t.liveness;
        break;
      case SwarmVerdict::kOutsideModel:
        ++t.outside;
        break;
      case SwarmVerdict::kError:
        ++t.error;
        break;
    }
    if (r.recovery_ns >= 0) {
      t.recoveries.push_back(r.recovery_ns);
      t.max_recovery_ns = std::max(t.max_recovery_ns, r.recovery_ns);
    }
    if (r.verdict == SwarmVerdict::kOutsideModel) {
      outside_lines.push_back("  " + r.protocol + " seed " + std::to_string(r.seed) + ": " +
                              r.detail + "\n    case: " + r.outline +
                              "\n    reproduce: " + repro_command(opt, r));
      report["outside_model"].push_back({{"protocol", r.protocol},
                                         {"seed", r.seed},
                                         {"detail", r.detail},
                                         {"case", r.outline},
                                         {"reproduce", repro_command(opt, r)}});
    } else if (r.verdict != SwarmVerdict::kPass) {
      failure_lines.push_back("  " + r.protocol + " seed " + std::to_string(r.seed) + " " +
                              to_string(r.verdict) + ": " + r.detail + "\n    case: " + r.outline +
                              "\n    reproduce: " + repro_command(opt, r));
      report["failures"].push_back({{"protocol", r.protocol},
                                    {"seed", r.seed},
                                    {"verdict", to_string(r.verdict)},
                                    {"detail", r.detail},
                                    {"case", r.outline},
                                    {"reproduce", repro_command(opt, r)}});
    }
  }

  std::ostringstream out;
  out << "hlsim fuzz" << (opt.canary ? " --canary" : "") << ": seeds " << opt.first_seed << "-"
      << opt.first_seed + opt.seeds - 1 << ", safety phase " << opt.safety_s
      << " s, liveness phase " << opt.liveness_s << " s, " << threads << " jobs"
      << (interrupted ? "  (INTERRUPTED: partial results)" : "") << "\n";
  out << "  protocol     seeds   pass  safety  liveness  error  outside  reorgs  recovery p50/max "
         "ms  seeds/min  seeds/min/core  re-run same\n";
  bool ok = !interrupted;
  report["results"] = nlohmann::json::array();
  for (std::size_t p = 0; p < protocols.size(); ++p) {
    Tally& t = tally[p];
    std::sort(t.recoveries.begin(), t.recoveries.end());
    const double p50 = t.recoveries.empty() ? -1 : t.recoveries[t.recoveries.size() / 2] / 1e6;
    const double max = t.max_recovery_ns / 1e6;
    // Seeds per minute as this run achieved it (its share of the wall time, by CPU time), and
    // per core (one seed after another).
    double total_cpu = 0;
    for (const Tally& x : tally) total_cpu += x.cpu_s;
    const double share_wall = total_cpu > 0 ? wall_s * t.cpu_s / total_cpu : 0;
    const double per_min = share_wall > 0 ? 60.0 * t.seeds / share_wall : 0;
    const double per_min_core = t.cpu_s > 0 ? 60.0 * (t.seeds + t.rechecked) / t.cpu_s : 0;
    char line[256];
    std::snprintf(
        line, sizeof line,
        "  %-10s %7llu %6llu %7llu %9llu %6llu %8llu %7llu %10.0f / %-8.0f %10.1f %15.1f "
        "%6llu/%llu\n",
        protocols[p].c_str(), static_cast<unsigned long long>(t.seeds),
        static_cast<unsigned long long>(t.pass), static_cast<unsigned long long>(t.safety),
        static_cast<unsigned long long>(t.liveness), static_cast<unsigned long long>(t.error),
        static_cast<unsigned long long>(t.outside), static_cast<unsigned long long>(t.reorgs), p50,
        max, per_min, per_min_core,
        static_cast<unsigned long long>(t.rechecked - t.nondeterministic),
        static_cast<unsigned long long>(t.rechecked));
    out << line;
    report["results"].push_back({{"protocol", protocols[p]},
                                 {"seeds", t.seeds},
                                 {"pass", t.pass},
                                 {"safety", t.safety},
                                 {"liveness", t.liveness},
                                 {"error", t.error},
                                 {"outside_model", t.outside},
                                 {"reorgs", t.reorgs},
                                 {"recovery_p50_ms", p50},
                                 {"recovery_max_ms", max},
                                 {"seeds_per_min", per_min},
                                 {"seeds_per_min_per_core", per_min_core},
                                 {"determinism_rechecked", t.rechecked},
                                 {"determinism_mismatches", t.nondeterministic}});
    if (t.nondeterministic > 0) ok = false;
    if (opt.canary) {
      if (t.safety == 0 && t.seeds > 0) ok = false;
    } else if (t.pass + t.outside != t.seeds) {
      ok = false;
    }
  }
  out << "  wall " << fmt("%.1f", wall_s) << " s\n";
  if (!determinism_lines.empty()) {
    out << "DETERMINISM FAILURES (the same seed ran twice and differed):\n";
    for (const auto& l : determinism_lines) out << l << "\n";
  }
  if (opt.canary) {
    out << "canary: the fault bound was broken on purpose; the checkers must report violations.\n";
    for (std::size_t p = 0; p < protocols.size(); ++p) {
      out << "  " << protocols[p] << ": "
          << (tally[p].safety > 0 ? "detected (" + std::to_string(tally[p].safety) + " of " +
                                        std::to_string(tally[p].seeds) + " seeds)"
                                  : "NOT DETECTED in " + std::to_string(tally[p].seeds) +
                                        " seeds: the checker may be unable to fail")
          << "\n";
    }
    for (std::size_t i = 0; i < failure_lines.size() && i < 5; ++i) {
      out << failure_lines[i] << "\n";
    }
  } else if (!failure_lines.empty()) {
    out << "FAILURES:\n";
    for (const auto& l : failure_lines) out << l << "\n";
  }
  if (!opt.canary && !outside_lines.empty()) {
    out << "OUTSIDE THE PROTOCOL'S MODEL (violations it does not promise to prevent under these "
           "faults; not failures):\n";
    for (const auto& l : outside_lines) out << l << "\n";
  }
  std::cout << out.str();
  if (!opt.report.empty()) {
    report["wall_s"] = wall_s;
    report["ok"] = ok;
    if (Status st = write_text_atomically(opt.report, report.dump(2) + "\n"); !st.ok()) {
      std::cerr << "hlsim: error: " << st.error().message << "\n";
      return kExitFailed;
    }
  }
  if (interrupted) return kExitInterrupted;
  return ok ? kExitOk : kExitFailed;
}

}  // namespace

Runner add_fuzz_command(CLI::App& app) {
  auto opt = std::make_shared<FuzzOptions>();
  CLI::App* cmd = app.add_subcommand(
      "fuzz",
      "Swarm-test protocols: random clusters, workloads and fault schedules within the fault "
      "bound, judged for safety and for liveness after the faults heal");
  cmd->add_option("--protocol", opt->protocols,
                  "Protocol to test (repeatable; default: all registered)");
  cmd->add_option("--seeds", opt->seeds, "Seeds per protocol")->check(CLI::Range(1, 100000000));
  cmd->add_option("--first-seed", opt->first_seed, "First seed");
  cmd->add_option("--seed", opt->seed, "Run only this seed (with one --protocol) and show it");
  cmd->add_flag("--trace", opt->trace, "With --seed: print every event, one line each");
  cmd->add_flag("--print-scenario", opt->print_scenario,
                "With --seed: print the generated scenario (YAML, for hlsim run) and exit");
  cmd->add_flag("--canary", opt->canary,
                "Break the fault bound on purpose (f + 1 equivocating validators): passes only if "
                "the safety checker reports violations");
  cmd->add_option("-j,--jobs", opt->jobs, "Seeds run in parallel (default: every core)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--determinism-every", opt->determinism_every,
                  "Run every k-th seed twice and compare event-trace digests and summaries (0: "
                  "never)");
  cmd->add_option("--safety-s", opt->safety_s,
                  "Simulated seconds of the faulty phase (faults start and heal inside it)");
  cmd->add_option("--liveness-s", opt->liveness_s,
                  "Simulated seconds after the heal within which a new height must commit");
  cmd->add_option("--report", opt->report, "Also write the results as JSON to this file");
  cmd->add_flag("-q,--quiet", opt->quiet, "No progress line");
  return [opt] { return fuzz(*opt); };
}

}  // namespace hlsim::app
