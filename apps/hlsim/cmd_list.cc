// `hlsim list [protocols|workloads|topologies|storage|profiles|keys]`: every pluggable module with
// its parameters, defaults and units.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "apps/hlsim/commands.h"
#include "consensus/registry.h"
#include "ledger/hardware_profile.h"
#include "sim/kernel/distributions.h"
#include "sim/scenario/profile_loader.h"
#include "sim/scenario/scenario.h"
#include "workloads/workload.h"

namespace hlsim::app {
namespace {

void print_param(const std::string& key, const std::string& type, const std::string& def,
                 const std::string& unit, const std::string& help) {
  std::printf("    %-28s %-8s default %-12s %-10s %s\n", key.c_str(), type.c_str(), def.c_str(),
              unit.empty() ? "" : ("[" + unit + "]").c_str(), help.c_str());
}

void print_specs(const std::vector<ParamSpec>& specs) {
  for (const auto& s : specs) {
    std::string help = s.help;
    if (!s.choices.empty()) {
      help += " (one of:";
      for (const auto& c : s.choices) help += " " + c;
      help += ")";
    }
    print_param(s.name, to_string(s.type), s.default_value.empty() ? "\"\"" : s.default_value,
                s.unit, help);
  }
}

void list_protocols() {
  std::printf("protocols (consensus.protocol; parameters go under consensus:)\n");
  for (const auto& p : protocol_registry()) {
    std::printf("  %s — %s\n    defaults from: %s\n    messages:", p.name.c_str(),
                p.summary.c_str(), p.reference.c_str());
    for (std::size_t t = 0; t < p.message_types.size(); ++t) {
      const auto type = static_cast<std::uint16_t>(t);
      const char* role = p.is_proposal(type) ? " (proposal)" : p.is_vote(type) ? " (vote)" : "";
      std::printf(" %s%s", p.message_types[t].c_str(), role);
    }
    std::printf("\n    tolerates f faulty validators (min %u nodes):", p.min_nodes);
    for (std::uint32_t n : {4u, 7u, 16u, 64u}) {
      std::printf(" n=%u f=%u", n, p.max_faulty ? p.max_faulty(n) : 0);
    }
    std::printf("\n    byzantine behaviours:");
    for (Behavior b : p.behaviors) std::printf(" %s", to_string(b));
    std::printf("\n");
    print_specs(p.params);
  }
  std::printf("byzantine behaviours (byzantine.nodes: {<id>: <behaviour>}):\n");
  for (const BehaviorDoc& d : behavior_docs()) {
    if (d.behavior == Behavior::kHonest) continue;
    std::printf("    %-20s %s\n", d.name, d.help);
  }
}

void list_workloads() {
  std::printf("workloads (workload.kind; parameters go under workload:)\n");
  for (const auto& w : workload_registry()) {
    std::printf("  %s — %s\n", w.name.c_str(), w.summary.c_str());
    if (w.typical_rate_per_org_per_day > 0) {
      std::printf(
          "    typical load (rate_per_org_per_day: typical): %g tx per organisation per day — %s\n",
          w.typical_rate_per_org_per_day, w.typical_rate_source.c_str());
    }
    print_specs(w.params);
  }
}

void list_keys(const std::string& prefix) {
  for (const auto& k : scenario_key_docs()) {
    if (!prefix.empty() && k.key.rfind(prefix, 0) != 0) continue;
    print_param(k.key, k.type, k.default_value.empty() ? "\"\"" : k.default_value, k.unit, k.help);
  }
}

void list_topologies() {
  std::printf("topologies (network.topology; keys under network:)\n");
  std::printf(
      "  full_mesh — every pair of validators linked directly at latency_ms, bandwidth_mbps\n");
  std::printf(
      "  star      — validator 0 is the hub (a health information exchange); others link "
      "to it at latency_ms, so leaf-to-leaf is 2 x latency_ms\n");
  std::printf(
      "  regions   — validator i in region i %% regions; latency_ms within a region, "
      "inter_latency_ms / inter_bandwidth_mbps between regions\n");
  std::printf(
      "  csv       — an edge list file (network.csv) with header "
      "src,dst,latency_ms,bandwidth_mbps[,loss]; shortest paths by latency\n");
  std::printf("  network keys:\n");
  list_keys("network.");
  std::printf("  jitter distributions:");
  for (const auto& d : Distribution::kind_names()) std::printf(" %s", d.c_str());
  std::printf("\n");
}

void list_storage() {
  std::printf("storage backends (state and block store of each validator)\n");
  std::printf(
      "  memory — ordered in-memory map per validator; kept across a simulated crash "
      "(as if persisted)\n");
}

void list_profiles() {
  std::printf("hardware profile fields (nodes.profile; simulated cost of each operation)\n");
  for (const auto& [name, value] : profile_fields(HardwareProfile{})) {
    print_param(name, "number", std::to_string(static_cast<long long>(value)), "ns", "");
  }
  std::printf("  named profiles:\n    default (built in)\n");
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(data_dir()) / "results" / "profiles";
  std::error_code ec;
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  for (const auto& n : names) std::printf("    %s\n", n.c_str());
}

}  // namespace

Runner add_list_command(CLI::App& app) {
  auto what = std::make_shared<std::string>("all");
  CLI::App* cmd = app.add_subcommand(
      "list", "List protocols, workloads, topologies, storage backends, profiles and keys");
  cmd->add_option("what", *what, "What to list")
      ->check(CLI::IsMember(
          {"all", "protocols", "workloads", "topologies", "storage", "profiles", "keys"}));
  return [what] {
    const std::string& w = *what;
    if (w == "all" || w == "protocols") list_protocols();
    if (w == "all" || w == "workloads") list_workloads();
    if (w == "all" || w == "topologies") list_topologies();
    if (w == "all" || w == "storage") list_storage();
    if (w == "all" || w == "profiles") list_profiles();
    if (w == "all" || w == "keys") {
      std::printf("scenario keys\n");
      list_keys("");
    }
    return kExitOk;
  };
}

}  // namespace hlsim::app
