// Sizing search (size_search.h).
#include "sim/size/size_search.h"

#include <tbb/parallel_for.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include "sim/scenario/yaml_map.h"

namespace hlsim {
namespace {

namespace fs = std::filesystem;

std::string at(const std::string& source, const YAML::Node& node) {
  return node.Mark().line >= 0 ? source + ":" + std::to_string(node.Mark().line + 1) : source;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// A positive number at `node`, or an error naming `where`.
Result<double> positive(const YAML::Node& node, const std::string& where, bool allow_zero) {
  try {
    const double v = node.as<double>();
    if (v > 0 || (allow_zero && v == 0)) return v;
  } catch (const YAML::Exception&) {
    // Falls through.
  }
  return Error{where + ": expected a " + (allow_zero ? "non-negative" : "positive") + " number"};
}

template <class T>
Result<std::vector<T>> ascending_list(const YAML::Node& node, const std::string& where) {
  if (!node.IsSequence() || node.size() == 0) return Error{where + ": expected a non-empty list"};
  std::set<T> values;
  for (const auto& v : node) {
    try {
      const T x = v.as<T>();
      if (!(x > 0)) return Error{where + ": values must be positive"};
      values.insert(x);
    } catch (const YAML::Exception&) {
      return Error{where + ": every value must be a number"};
    }
  }
  return std::vector<T>(values.begin(), values.end());
}

std::string describe(const SizeConfig& c) {
  return c.protocol + " n=" + std::to_string(c.nodes) + " cores=" + std::to_string(c.cores) +
         " bandwidth=" + num(c.bandwidth_mbps) + " Mbit/s";
}

}  // namespace

Result<SizeSpec> parse_size_spec(const std::string& text, const std::string& source,
                                 const std::string& base_dir) {
  auto parsed =
      parse_yaml_map(text, source, "a map with base, set, service, consider, cost and seeds");
  if (!parsed.ok()) return parsed.error();
  const YAML::Node root = parsed.value();
  SizeSpec spec;
  spec.source = source;
  spec.seeds = {1};
  bool have_base = false, have_service = false, have_consider = false;
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    const std::string where = at(source, kv.first) + ": " + key;
    const YAML::Node& v = kv.second;
    if (key == "base") {
      if (!v.IsScalar()) return Error{where + ": expected the path of a scenario file"};
      const fs::path p(v.as<std::string>());
      spec.base_path =
          p.is_absolute() || base_dir.empty() ? p.string() : (fs::path(base_dir) / p).string();
      have_base = true;
    } else if (key == "set") {
      if (!v.IsMap()) return Error{where + ": expected a map of scenario keys to values"};
      for (const auto& s : v)
        spec.sets.push_back({s.first.as<std::string>(), s.second.as<std::string>()});
    } else if (key == "service") {
      if (!v.IsMap()) return Error{where + ": expected committed_tps, p99_ms and failures"};
      for (const auto& s : v) {
        const std::string k = s.first.as<std::string>();
        const std::string w = at(source, s.first) + ": service." + k;
        if (k == "committed_tps") {
          auto x = positive(s.second, w, false);
          if (!x.ok()) return x.error();
          spec.levels.committed_tps = *x;
        } else if (k == "p99_ms") {
          auto x = positive(s.second, w, false);
          if (!x.ok()) return x.error();
          spec.levels.p99_ms = *x;
        } else if (k == "failures") {
          auto x = positive(s.second, w, true);
          if (!x.ok()) return x.error();
          spec.levels.failures = static_cast<std::uint32_t>(*x);
        } else {
          return Error{w + ": unknown key (expected committed_tps, p99_ms, failures)"};
        }
      }
      if (spec.levels.committed_tps <= 0) {
        return Error{where + ".committed_tps: missing (the throughput to sustain, tx/s)"};
      }
      have_service = true;
    } else if (key == "consider") {
      if (!v.IsMap()) return Error{where + ": expected protocols, nodes, cores, bandwidth_mbps"};
      for (const auto& s : v) {
        const std::string k = s.first.as<std::string>();
        const std::string w = at(source, s.first) + ": consider." + k;
        if (k == "protocols") {
          if (!s.second.IsSequence() || s.second.size() == 0) {
            return Error{w + ": expected a non-empty list of protocol names"};
          }
          for (const auto& p : s.second) spec.protocols.push_back(p.as<std::string>());
        } else if (k == "nodes" || k == "cores") {
          auto l = ascending_list<std::uint32_t>(s.second, w);
          if (!l.ok()) return l.error();
          (k == "nodes" ? spec.nodes : spec.cores) = std::move(l.value());
        } else if (k == "bandwidth_mbps") {
          auto l = ascending_list<double>(s.second, w);
          if (!l.ok()) return l.error();
          spec.bandwidth_mbps = std::move(l.value());
        } else {
          return Error{w + ": unknown key (expected protocols, nodes, cores, bandwidth_mbps)"};
        }
      }
      have_consider = true;
    } else if (key == "cost") {
      if (!v.IsMap()) return Error{where + ": expected per_node, per_core, per_gbps"};
      for (const auto& s : v) {
        const std::string k = s.first.as<std::string>();
        const std::string w = at(source, s.first) + ": cost." + k;
        auto x = positive(s.second, w, true);
        if (!x.ok()) return x.error();
        if (k == "per_node") {
          spec.cost.per_node = *x;
        } else if (k == "per_core") {
          spec.cost.per_core = *x;
        } else if (k == "per_gbps") {
          spec.cost.per_gbps = *x;
        } else {
          return Error{w + ": unknown key (expected per_node, per_core, per_gbps)"};
        }
      }
    } else if (key == "seeds") {
      try {
        const auto n = v.as<long long>();
        if (n < 1 || n > 1000) return Error{where + ": expected a count from 1 to 1000"};
        spec.seeds.clear();
        for (long long s = 1; s <= n; ++s) spec.seeds.push_back(static_cast<std::uint64_t>(s));
      } catch (const YAML::Exception&) {
        return Error{where + ": expected a count from 1 to 1000"};
      }
    } else {
      return Error{where + ": unknown key (expected base, set, service, consider, cost, seeds)"};
    }
  }
  if (!have_base) return Error{source + ": base: missing (the scenario with the workload)"};
  if (!have_service) return Error{source + ": service: missing (committed_tps, p99_ms, failures)"};
  if (!have_consider || spec.protocols.empty() || spec.nodes.empty()) {
    return Error{source + ": consider: needs protocols and nodes (cores, bandwidth_mbps optional)"};
  }
  return spec;
}

Result<SizeSpec> load_size_spec_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{path + ": cannot open size file"};
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_size_spec(ss.str(), path, fs::path(path).parent_path().string());
}

double size_cost(const SizeCost& c, const SizeConfig& config) {
  return config.nodes *
         (c.per_node + c.per_core * config.cores + c.per_gbps * config.bandwidth_mbps / 1000.0);
}

bool meets(const ServiceLevels& levels, const SizeMeasure& m) {
  return m.ok && m.committed_tps >= levels.committed_tps &&
         (levels.p99_ms <= 0 || m.p99_ms <= levels.p99_ms);
}

std::string shortfall(const ServiceLevels& levels, const SizeMeasure& m) {
  if (!m.ok) return m.error;
  std::string s;
  if (m.committed_tps < levels.committed_tps) {
    s = "committed " + num(m.committed_tps) + " tx/s < " + num(levels.committed_tps);
  }
  if (levels.p99_ms > 0 && m.p99_ms > levels.p99_ms) {
    s += (s.empty() ? "" : ", ") + ("p99 " + num(m.p99_ms) + " ms > " + num(levels.p99_ms));
  }
  return s;
}

SizeResult search_sizes(const SizeSpec& spec, const FaultBound& max_faulty,
                        const SizeEvaluator& evaluate) {
  SizeResult result;
  const std::vector<std::uint32_t> cores =
      spec.cores.empty() ? std::vector<std::uint32_t>{0} : spec.cores;
  const std::vector<double> bandwidths =
      spec.bandwidth_mbps.empty() ? std::vector<double>{0} : spec.bandwidth_mbps;
  result.grid = spec.protocols.size() * spec.nodes.size() * cores.size() * bandwidths.size();
  std::mutex mu;
  tbb::parallel_for(std::size_t{0}, spec.protocols.size(), [&](std::size_t pi) {
    const std::string& protocol = spec.protocols[pi];
    std::vector<SizeCandidate> found;
    std::vector<std::string> rejected;
    std::size_t evaluations = 0;
    // The smallest candidate n at which the protocol runs and tolerates the failures.
    const auto n_it = std::find_if(spec.nodes.begin(), spec.nodes.end(), [&](std::uint32_t n) {
      const std::int64_t f = max_faulty(protocol, n);
      return f >= 0 && f >= static_cast<std::int64_t>(spec.levels.failures);
    });
    if (n_it == spec.nodes.end()) {
      const std::lock_guard lock(mu);
      result.rejected.push_back(protocol + ": no candidate validator count tolerates " +
                                std::to_string(spec.levels.failures) + " failures");
      return;
    }
    const std::uint32_t n = *n_it;
    // Index into `cores` of the fewest cores that met the levels at the previous bandwidth.
    std::size_t hi_limit = cores.size() - 1;
    for (double bw : bandwidths) {
      auto eval = [&](std::size_t ci) {
        ++evaluations;
        const SizeConfig c{protocol, n, cores[ci], bw};
        return SizeCandidate{c, evaluate(c), size_cost(spec.cost, c)};
      };
      SizeCandidate top = eval(hi_limit);
      if (!meets(spec.levels, top.measure)) {
        rejected.push_back(describe(top.config) + ": " + shortfall(spec.levels, top.measure));
        continue;
      }
      // Bisect: cores[lo] fails (or lo = -1, untested below), cores[hi] meets the levels.
      std::ptrdiff_t lo = -1;
      std::size_t hi = hi_limit;
      SizeCandidate best = top;
      while (static_cast<std::ptrdiff_t>(hi) - lo > 1) {
        const std::size_t mid =
            static_cast<std::size_t>((lo + static_cast<std::ptrdiff_t>(hi)) / 2);
        SizeCandidate c = eval(mid);
        if (meets(spec.levels, c.measure)) {
          hi = mid;
          best = c;
        } else {
          lo = static_cast<std::ptrdiff_t>(mid);
        }
      }
      found.push_back(best);
      hi_limit = hi;
      // The fewest cores already: more bandwidth cannot do with fewer and only costs more.
      if (hi == 0) break;
    }
    const std::lock_guard lock(mu);
    result.feasible.insert(result.feasible.end(), found.begin(), found.end());
    result.rejected.insert(result.rejected.end(), rejected.begin(), rejected.end());
    result.evaluations += evaluations;
  });
  std::sort(result.feasible.begin(), result.feasible.end(),
            [](const SizeCandidate& a, const SizeCandidate& b) {
              if (a.cost != b.cost) return a.cost < b.cost;
              if (a.config.protocol != b.config.protocol)
                return a.config.protocol < b.config.protocol;
              return a.config.bandwidth_mbps < b.config.bandwidth_mbps;
            });
  std::sort(result.rejected.begin(), result.rejected.end());
  return result;
}

}  // namespace hlsim
