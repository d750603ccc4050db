#include "sim/scenario/profile_loader.h"

#include <filesystem>

#include "sim/kernel/params.h"

namespace hlsim {
namespace {

namespace fs = std::filesystem;

}  // namespace

Result<HardwareProfile> profile_from_yaml(const YAML::Node& node, const std::string& path) {
  HardwareProfile p;
  if (!node.IsMap()) return Error{path + ": expected a map of profile fields"};
  // `calibration` holds what `hlsim calibrate` measured (medians, spreads, host): informational.
  std::vector<std::string> names = {"name", "description", "calibration"};
  for (const auto& f : kHardwareProfileFields) names.emplace_back(f.name);
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    const std::string where = path + "." + key;
    if (key == "name") {
      p.name = kv.second.as<std::string>();
      continue;
    }
    if (key == "description" || key == "calibration") continue;
    const HardwareProfileField* field = nullptr;
    for (const auto& f : kHardwareProfileFields) {
      if (key == f.name) field = &f;
    }
    if (field == nullptr) {
      const std::string hint = closest_match(key, names);
      return Error{where + ": unknown profile field" +
                   (hint.empty() ? "" : " (did you mean '" + hint + "'?)")};
    }
    double v = 0;
    if (!kv.second.IsScalar() || !parse_double(kv.second.Scalar(), v) || v < 0) {
      return Error{where + ": expected a number >= 0 (ns), got '" +
                   (kv.second.IsScalar() ? kv.second.Scalar() : std::string("a non-scalar")) + "'"};
    }
    p.*(field->member) = v;
  }
  return p;
}

Result<HardwareProfile> load_profile(const std::string& name_or_path, const std::string& base_dir,
                                     const std::string& data_dir) {
  if (name_or_path == "default") return HardwareProfile{};
  std::vector<fs::path> candidates;
  const bool looks_like_path =
      name_or_path.find('/') != std::string::npos || name_or_path.ends_with(".yaml");
  if (looks_like_path) {
    if (fs::path(name_or_path).is_absolute()) {
      candidates.emplace_back(name_or_path);
    } else {
      candidates.push_back(fs::path(base_dir) / name_or_path);
      candidates.emplace_back(name_or_path);
    }
  } else {
    candidates.push_back(fs::path(data_dir) / "results" / "profiles" / (name_or_path + ".yaml"));
  }
  for (const auto& c : candidates) {
    if (!fs::exists(c)) continue;
    YAML::Node node;
    try {
      node = YAML::LoadFile(c.string());
    } catch (const YAML::Exception& e) {
      return Error{c.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg};
    }
    auto p = profile_from_yaml(node, c.string());
    if (p.ok() && p->name == "default") p->name = name_or_path;
    return p;
  }
  std::string tried;
  for (const auto& c : candidates) tried += (tried.empty() ? "" : ", ") + c.string();
  return Error{"hardware profile '" + name_or_path + "' not found (looked for " + tried + ")"};
}

std::vector<std::pair<std::string, double>> profile_fields(const HardwareProfile& p) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& f : kHardwareProfileFields) out.emplace_back(f.name, p.*(f.member));
  return out;
}

}  // namespace hlsim
