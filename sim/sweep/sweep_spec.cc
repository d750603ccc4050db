// Sweep files (sweep_spec.h).
#include "sim/sweep/sweep_spec.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/scenario/yaml_map.h"

namespace hlsim {
namespace {

namespace fs = std::filesystem;

std::string at(const std::string& source, const YAML::Node& node) {
  return node.Mark().line >= 0 ? source + ":" + std::to_string(node.Mark().line + 1) : source;
}

std::string resolve(const std::string& path, const std::string& base_dir) {
  if (path.empty() || fs::path(path).is_absolute() || base_dir.empty()) return path;
  return (fs::path(base_dir) / path).lexically_normal().string();
}

// A map of dotted key -> list of scalars (grid, zip).
Result<std::vector<SweepAxis>> parse_axes(const YAML::Node& node, const std::string& section,
                                          const std::string& source) {
  if (!node.IsMap()) {
    return Error{at(source, node) + ": " + section +
                 ": expected a map of scenario keys to lists of values, e.g. "
                 "consensus.nodes: [4, 16]"};
  }
  std::vector<SweepAxis> axes;
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    const std::string where = at(source, kv.first) + ": " + section + "." + key;
    if (key == "seed") {
      return Error{where + ": sweep seeds with the top-level `seeds:` key (a count or a list)"};
    }
    if (!kv.second.IsSequence() || kv.second.size() == 0) {
      return Error{where + ": expected a non-empty list of values, e.g. [4, 16]"};
    }
    SweepAxis axis{key, {}};
    std::set<std::string> seen;
    for (const auto& v : kv.second) {
      if (!v.IsScalar()) return Error{where + ": every value must be a scalar (a number or name)"};
      const std::string value = v.as<std::string>();
      if (!seen.insert(value).second) return Error{where + ": value '" + value + "' given twice"};
      axis.values.push_back(value);
    }
    axes.push_back(std::move(axis));
  }
  return axes;
}

Result<std::vector<std::uint64_t>> parse_seeds(const YAML::Node& node, const std::string& source) {
  const std::string where = at(source, node) + ": seeds";
  std::vector<std::uint64_t> seeds;
  try {
    if (node.IsScalar()) {
      const auto count = node.as<long long>();
      if (count < 1 || count > 100000) {
        return Error{where + ": expected a count from 1 to 100000 (seeds 1..N) or a list"};
      }
      for (long long s = 1; s <= count; ++s) seeds.push_back(static_cast<std::uint64_t>(s));
      return seeds;
    }
    if (node.IsSequence() && node.size() > 0) {
      std::set<std::uint64_t> seen;
      for (const auto& v : node) {
        const auto s = v.as<long long>();
        if (s < 0) return Error{where + ": seeds are non-negative integers"};
        if (!seen.insert(static_cast<std::uint64_t>(s)).second) {
          return Error{where + ": seed " + std::to_string(s) + " given twice"};
        }
        seeds.push_back(static_cast<std::uint64_t>(s));
      }
      return seeds;
    }
  } catch (const YAML::Exception&) {
    // Falls through to the message below.
  }
  return Error{where + ": expected a count (seeds 1..N) or a list of integers"};
}

}  // namespace

Result<SweepSpec> parse_sweep_spec(const std::string& text, const std::string& source,
                                   const std::string& base_dir) {
  auto parsed = parse_yaml_map(text, source, "a map with base, grid, zip, set, seeds and output");
  if (!parsed.ok()) return parsed.error();
  const YAML::Node root = parsed.value();
  SweepSpec spec;
  spec.source = source;
  spec.text = text;
  spec.seeds = {1};
  bool have_base = false;
  std::set<std::string> sections;
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    const std::string where = at(source, kv.first) + ": " + key;
    if (!sections.insert(key).second) return Error{where + ": given twice"};
    const YAML::Node& v = kv.second;
    if (key == "base") {
      if (!v.IsScalar() || v.as<std::string>().empty()) {
        return Error{where + ": expected the path of a scenario file"};
      }
      spec.base_path = resolve(v.as<std::string>(), base_dir);
      have_base = true;
    } else if (key == "output") {
      if (!v.IsScalar() || v.as<std::string>().empty()) {
        return Error{where + ": expected the path of the results file (.h5)"};
      }
      spec.output = v.as<std::string>();  // like hlsim run's output: from the current directory
    } else if (key == "set") {
      if (!v.IsMap()) return Error{where + ": expected a map of scenario keys to values"};
      for (const auto& s : v) {
        if (!s.second.IsScalar()) {
          return Error{at(source, s.first) + ": set." + s.first.as<std::string>() +
                       ": expected a scalar value"};
        }
        spec.sets.push_back({s.first.as<std::string>(), s.second.as<std::string>()});
      }
    } else if (key == "grid" || key == "zip") {
      auto axes = parse_axes(v, key, source);
      if (!axes.ok()) return axes.error();
      (key == "grid" ? spec.grid : spec.zip) = std::move(axes.value());
    } else if (key == "seeds") {
      auto seeds = parse_seeds(v, source);
      if (!seeds.ok()) return seeds.error();
      spec.seeds = std::move(seeds.value());
    } else {
      return Error{where + ": unknown key (expected base, set, grid, zip, seeds, output)"};
    }
  }
  if (!have_base)
    return Error{source + ": base: missing (the scenario file every run starts from)"};
  // A key swept twice, or both swept and fixed, would make a run's value ambiguous.
  std::set<std::string> keys;
  for (const auto& o : spec.sets) keys.insert(o.key);
  for (const auto* axes : {&spec.grid, &spec.zip}) {
    for (const SweepAxis& a : *axes) {
      if (!keys.insert(a.key).second) {
        return Error{source + ": " + a.key + ": appears in more than one of set, grid and zip"};
      }
    }
  }
  for (const SweepAxis& a : spec.zip) {
    if (a.values.size() != spec.zip.front().values.size()) {
      return Error{source + ": zip." + a.key + ": " + std::to_string(a.values.size()) +
                   " values, but zip." + spec.zip.front().key + " has " +
                   std::to_string(spec.zip.front().values.size()) +
                   " (zip lists advance together)"};
    }
  }
  // Counted in floating point: a product of list lengths cannot overflow there.
  double runs = static_cast<double>(spec.seeds.size());
  for (const SweepAxis& a : spec.grid) runs *= static_cast<double>(a.values.size());
  if (!spec.zip.empty()) runs *= static_cast<double>(spec.zip.front().values.size());
  if (runs > static_cast<double>(kMaxSweepRuns)) {
    return Error{source + ": the sweep has " + std::to_string(static_cast<long long>(runs)) +
                 " runs, more than " + std::to_string(kMaxSweepRuns)};
  }
  if (spec.output.empty()) spec.output = fs::path(source).stem().string() + ".h5";
  return spec;
}

Result<SweepSpec> load_sweep_spec_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{path + ": cannot open sweep file"};
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_sweep_spec(ss.str(), path, fs::path(path).parent_path().string());
}

SweepPlan expand_sweep(const SweepSpec& spec) {
  SweepPlan plan;
  for (const SweepAxis& a : spec.grid) plan.parameters.push_back(a.key);
  for (const SweepAxis& a : spec.zip) plan.parameters.push_back(a.key);
  // Points: the grid as an odometer (last key fastest), then the zip dimension.
  const std::size_t zip_len = spec.zip.empty() ? 1 : spec.zip.front().values.size();
  std::vector<std::size_t> digit(spec.grid.size(), 0);
  while (true) {
    for (std::size_t z = 0; z < zip_len; ++z) {
      SweepPoint p;
      for (std::size_t g = 0; g < spec.grid.size(); ++g) p.push_back(spec.grid[g].values[digit[g]]);
      for (const SweepAxis& a : spec.zip) p.push_back(a.values[z]);
      plan.points.push_back(std::move(p));
    }
    std::size_t g = spec.grid.size();
    while (g > 0 && ++digit[g - 1] == spec.grid[g - 1].values.size()) digit[--g] = 0;
    if (g == 0) break;
  }
  for (std::size_t p = 0; p < plan.points.size(); ++p) {
    for (std::uint64_t seed : spec.seeds) {
      SweepRun r;
      r.index = plan.runs.size();
      r.point = p;
      r.seed = seed;
      r.overrides = spec.sets;
      for (std::size_t k = 0; k < plan.parameters.size(); ++k) {
        r.overrides.push_back({plan.parameters[k], plan.points[p][k]});
        r.label += plan.parameters[k] + "=" + plan.points[p][k] + " ";
      }
      r.overrides.push_back({"seed", std::to_string(seed)});
      r.label += "seed=" + std::to_string(seed);
      plan.runs.push_back(std::move(r));
    }
  }
  return plan;
}

}  // namespace hlsim
