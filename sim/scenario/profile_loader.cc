#include "sim/scenario/profile_loader.h"

#include <filesystem>

#include "sim/kernel/params.h"

namespace hlsim {
namespace {

namespace fs = std::filesystem;

// One table drives parsing and listing, so they cannot disagree.
struct Field {
  const char* name;
  double HardwareProfile::*member;
};
constexpr Field kFields[] = {
    {"ed25519_sign_ns", &HardwareProfile::ed25519_sign_ns},
    {"ed25519_verify_ns", &HardwareProfile::ed25519_verify_ns},
    {"ecdsa_p256_sign_ns", &HardwareProfile::ecdsa_p256_sign_ns},
    {"ecdsa_p256_verify_ns", &HardwareProfile::ecdsa_p256_verify_ns},
    {"sha256_ns_per_call", &HardwareProfile::sha256_ns_per_call},
    {"sha256_ns_per_byte", &HardwareProfile::sha256_ns_per_byte},
    {"aes256gcm_ns_per_call", &HardwareProfile::aes256gcm_ns_per_call},
    {"aes256gcm_ns_per_byte", &HardwareProfile::aes256gcm_ns_per_byte},
    {"tx_execute_ns", &HardwareProfile::tx_execute_ns},
    {"storage_get_ns_per_op", &HardwareProfile::storage_get_ns_per_op},
    {"storage_get_ns_per_byte", &HardwareProfile::storage_get_ns_per_byte},
    {"storage_put_ns_per_op", &HardwareProfile::storage_put_ns_per_op},
    {"storage_put_ns_per_byte", &HardwareProfile::storage_put_ns_per_byte},
    {"block_fsync_ns", &HardwareProfile::block_fsync_ns},
    {"message_ns_per_byte", &HardwareProfile::message_ns_per_byte},
    {"message_ns_per_call", &HardwareProfile::message_ns_per_call},
};

}  // namespace

Result<HardwareProfile> profile_from_yaml(const YAML::Node& node, const std::string& path) {
  HardwareProfile p;
  if (!node.IsMap()) return Error{path + ": expected a map of profile fields"};
  // `calibration` holds what `hlsim calibrate` measured (medians, spreads, host): informational.
  std::vector<std::string> names = {"name", "description", "calibration"};
  for (const auto& f : kFields) names.emplace_back(f.name);
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    const std::string where = path + "." + key;
    if (key == "name") {
      p.name = kv.second.as<std::string>();
      continue;
    }
    if (key == "description" || key == "calibration") continue;
    const Field* field = nullptr;
    for (const auto& f : kFields) {
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
  for (const auto& f : kFields) out.emplace_back(f.name, p.*(f.member));
  return out;
}

}  // namespace hlsim
