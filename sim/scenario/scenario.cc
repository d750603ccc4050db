#include "sim/scenario/scenario.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "consensus/registry.h"
#include "sim/scenario/pipeline_layout.h"
#include "sim/scenario/profile_loader.h"
#include "sim/scenario/yaml_map.h"
#include "workloads/workload.h"

namespace hlsim {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> protocol_names() {
  std::vector<std::string> out;
  for (const auto& p : protocol_registry()) out.push_back(p.name);
  return out;
}
std::vector<std::string> workload_names() {
  std::vector<std::string> out;
  for (const auto& w : workload_registry()) out.push_back(w.name);
  return out;
}

// Keys of each fixed section. Module parameters are added to consensus / workload at load time.
std::vector<ParamSpec> top_specs() {
  return {string_param("name", "unnamed", "a short name for the run, recorded in the results"),
          string_param("description", "", "free text"),
          int_param("seed", "1", "", "run seed: a run is a pure function of scenario and seed", 0,
                    9.0e15),
          number_param("duration_s", "60", "s", "simulated time during which clients submit", 0.001,
                       1e7),
          number_param("drain_s", "5", "s", "simulated time after submissions stop, for commits", 0,
                       1e7)};
}
std::vector<ParamSpec> consensus_specs() {
  return {
      string_param("protocol", "raft", "consensus protocol (see `hlsim list`)", protocol_names()),
      int_param("nodes", "4", "nodes", "number of validator nodes", 1, 10000)};
}
std::vector<ParamSpec> workload_specs() {
  return {
      string_param("kind", "ehr", "workload (see `hlsim list`)", workload_names()),
      int_param("clients", "10", "clients", "client organisations submitting transactions", 1, 1e6),
      number_param("rate_tps", "100", "tx/s",
                   "total offered rate over all clients (open loop; with arrivals: daily, the "
                   "mean over a day)",
                   0, 1e7),
      string_param("rate_per_org_per_day", "0",
                   "instead of rate_tps: transactions per organisation (client) per day, scaled "
                   "by clients and day_s (rate_tps = this x clients / day_s), or 'typical' for "
                   "the workload's published figure (hlsim list workloads); 0: use rate_tps"),
      string_param("arrivals", "poisson",
                   "when clients submit: poisson (open loop, constant rate), daily (open loop, "
                   "rate following daily_profile over each day_s), closed (each client waits for "
                   "its commit, then thinks for think_ms)",
                   {"poisson", "daily", "closed"}),
      number_param("day_s", "86400", "s",
                   "simulated seconds that stand for one day (daily profile, and every interval a "
                   "workload gives in days); 60 replays a day in a minute",
                   0.001, 8.64e7),
      number_param("start_hour", "0", "h", "time of day at t = 0 (daily profile)", 0, 24),
      string_param("daily_profile", "ed",
                   "arrivals: daily: 'ed' (emergency-department curve, Karaca et al. 2012), "
                   "'flat', or 24 comma-separated hourly weights (normalised to mean 1)"),
      number_param("burst_every_s", "0", "s",
                   "open loop: a burst starts every this many seconds (0: no bursts)", 0, 1e9),
      number_param("burst_duration_s", "0", "s", "open loop: length of each burst", 0, 1e9),
      number_param("burst_factor", "1", "x", "open loop: rate multiplier during a burst", 0, 1e6),
      number_param("think_ms", "1000", "ms",
                   "arrivals: closed: mean think time (exponential) between a commit and the "
                   "client's next submission",
                   0, 1e9),
      number_param("timeout_ms", "30000", "ms",
                   "arrivals: closed: a client gives up waiting for its commit after this and "
                   "moves on (counted as timed out)",
                   1, 1e9),
      number_param("forged_fraction", "0", "fraction",
                   "share of transactions sent with a corrupted signature (attack injection); the "
                   "gateway must reject every one",
                   0, 1)};
}
std::vector<ParamSpec> network_specs() {
  return {
      string_param("topology", "full_mesh", "validator topology",
                   {"full_mesh", "star", "regions", "csv"}),
      number_param("latency_ms", "2", "ms",
                   "one-way link latency (full_mesh), hub link (star), within a region (regions)",
                   0, 1e6),
      number_param("inter_latency_ms", "20", "ms", "regions: one-way latency between regions", 0,
                   1e6),
      int_param("regions", "2", "regions", "regions: number of regions (node i in i % regions)", 1,
                1e4),
      number_param("bandwidth_mbps", "1000", "Mbit/s", "link bandwidth", 1e-6, 1e9),
      number_param("inter_bandwidth_mbps", "1000", "Mbit/s", "regions: bandwidth between regions",
                   1e-6, 1e9),
      number_param("loss", "0", "probability", "per-link message loss probability", 0, 0.999),
      string_param("csv", "",
                   "topology csv: edge list file (src,dst,latency_ms,bandwidth_mbps[,loss])"),
      number_param("client_latency_ms", "5", "ms", "one-way latency of a client's access link", 0,
                   1e6),
      number_param("client_bandwidth_mbps", "100", "Mbit/s", "bandwidth of a client's access link",
                   1e-6, 1e9)};
}
std::vector<ParamSpec> node_specs() {
  return {int_param("cores", "4", "cores", "CPU cores per validator", 1, 1024),
          string_param(
              "profile", "default",
              "hardware profile: a name in results/profiles/, a .yaml path, or an inline map")};
}

std::vector<ParamSpec> pipeline_specs() {
  return {string_param("kind", "none",
                       "none: order-execute (every validator executes); fabric: "
                       "execute-order-validate, the validators being the ordering service",
                       {"none", "fabric"}),
          string_param("organisations", "hospital:1, insurer:1, regulator:1",
                       "fabric: organisations and their peer counts, 'name:peers, ...'"),
          string_param("policy", "MAJORITY",
                       "fabric: endorsement policy over organisation names, AND(...), OR(...), "
                       "OutOf(k, ...), or MAJORITY (more than half of the organisations); the "
                       "default of every channel"),
          string_param("channels", "",
                       "fabric: channels (separate ledgers) and their member organisations, "
                       "'name: org org; ...'; empty: one channel 'main' of all organisations"),
          string_param("channel_policies", "",
                       "fabric: endorsement policy per channel, 'name: POLICY; ...' (default: "
                       "policy, MAJORITY counting the channel's members)"),
          string_param("channel_kinds", "",
                       "fabric: transaction kinds routed to a channel, 'name: kind kind; ...'; a "
                       "transaction goes to the first channel of its client's organisation that "
                       "lists its kind, else to the first that lists no kinds"),
          string_param("collections", "",
                       "fabric: private data collections, 'name@channel: org org; ...' (payload "
                       "and state held by the members only; the rest order and keep hashes)"),
          string_param("collection_policies", "",
                       "fabric: endorsement policy per collection, 'name: POLICY; ...' (default: "
                       "MAJORITY of its members)"),
          string_param("collection_kinds", "",
                       "fabric: transaction kinds private to a collection, 'name: kind kind; "
                       "...'; required for every collection")};
}

// Parses "name:peers, name:peers" into `pc`. Errors name the key.
Status parse_organisations(const std::string& text, PipelineConfig& pc) {
  const std::string key = "pipeline.organisations";
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    std::string item = text.substr(pos, comma - pos);
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    item = first == std::string::npos ? "" : item.substr(first, last - first + 1);
    const auto colon = item.find(':');
    std::string name = item.substr(0, colon);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    std::string count = colon == std::string::npos ? "" : item.substr(colon + 1);
    while (!count.empty() && count.front() == ' ') count.erase(count.begin());
    const bool name_ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
    });
    const bool count_ok =
        !count.empty() && count.size() <= 4 &&
        std::all_of(count.begin(), count.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }) &&
        std::stoul(count) >= 1 && std::stoul(count) <= 256;
    if (!name_ok || !count_ok) {
      return Error{key +
                   ": expected 'name:peers, ...' with names of letters, digits, '_', '-', "
                   "'.' and 1..256 peers each, got '" +
                   item + "' in '" + text + "'"};
    }
    if (std::find(pc.orgs.begin(), pc.orgs.end(), name) != pc.orgs.end()) {
      return Error{key + ": organisation '" + name + "' is listed twice"};
    }
    pc.orgs.push_back(name);
    pc.org_peers.push_back(static_cast<std::uint32_t>(std::stoul(count)));
    pos = comma + 1;
  }
  if (pc.orgs.size() > 64) return Error{key + ": at most 64 organisations"};
  return Status::Ok();
}

std::vector<ParamSpec> ledger_specs() {
  return {string_param("signature", "ed25519",
                       "signature scheme of every validator and client key (ECDSA: P-256 with "
                       "SHA-256, DER signatures)",
                       {"ed25519", "ecdsa-p256"}),
          string_param("verify", "once",
                       "verification policy: every-node (each node really verifies), once (first "
                       "check real, later ones reuse it), model-only (nothing verified, only "
                       "charged; forgeries are NOT rejected)",
                       {"every-node", "once", "model-only"}),
          string_param("storage", "memory",
                       "ledger storage backend: memory (lost on a crash; the node catches up from "
                       "peers) or rocksdb (one RocksDB per node beside the results file; recovered "
                       "from disk on restart)",
                       {"memory", "rocksdb"})};
}

struct Loader {
  std::string source;  // file name for errors
  std::string base_dir;
  std::string data_dir;
  std::map<std::string, int> lines;  // key path -> 1-based line

  Error error_at(const std::string& key, const std::string& msg) const {
    auto it = lines.find(key);
    std::string where = source;
    if (it != lines.end()) where += ":" + std::to_string(it->second);
    return Error{where + ": " + msg};
  }
  // Errors from ParamValues::parse start with the key path.
  Error locate(const Error& e) const {
    const auto colon = e.message.find(':');
    return error_at(colon == std::string::npos ? "" : e.message.substr(0, colon), e.message);
  }

  void note_line(const std::string& key, const YAML::Node& node) {
    if (node.Mark().line >= 0) lines[key] = node.Mark().line + 1;
  }

  // Flattens a map section's scalar entries into name -> text. Nested values are returned in
  // `nested` for the caller when their name is in `nested_ok`, and are an error otherwise.
  Result<std::map<std::string, std::string>> flatten(const YAML::Node& node,
                                                     const std::string& path,
                                                     const std::vector<std::string>& nested_ok,
                                                     std::map<std::string, YAML::Node>* nested) {
    std::map<std::string, std::string> out;
    if (!node || node.IsNull()) return out;
    if (!node.IsMap()) return error_at(path, path + ": expected a map of keys");
    std::map<std::string, int> seen;  // key -> its first line (YAML keeps duplicate keys)
    for (const auto& kv : node) {
      const std::string key = kv.first.as<std::string>();
      const std::string full = path.empty() ? key : path + "." + key;
      const int line = kv.first.Mark().line + 1;
      if (const auto first = seen.find(key); first != seen.end()) {
        lines[full] = line;
        return error_at(
            full, full + ": given twice (first on line " + std::to_string(first->second) + ")");
      }
      seen.emplace(key, line);
      note_line(full, kv.first);
      if (kv.second.IsScalar()) {
        out[key] = kv.second.Scalar();
      } else if (kv.second.IsNull()) {
        out[key] = "";
      } else if (std::find(nested_ok.begin(), nested_ok.end(), key) != nested_ok.end()) {
        (*nested)[key] = kv.second;
      } else {
        return error_at(full, full + ": expected a single value, got a " +
                                  (kv.second.IsMap() ? "map" : "list"));
      }
    }
    return out;
  }

  // Splits `given` into the keys in `specs` and the rest.
  static std::map<std::string, std::string> take(std::map<std::string, std::string>& given,
                                                 const std::vector<ParamSpec>& specs) {
    std::map<std::string, std::string> mine;
    for (const auto& s : specs) {
      auto it = given.find(s.name);
      if (it != given.end()) {
        mine.insert(*it);
        given.erase(it);
      }
    }
    return mine;
  }

  std::string resolve(const std::string& p) const {
    if (p.empty() || fs::path(p).is_absolute()) return p;
    fs::path candidate = fs::path(base_dir) / p;
    if (fs::exists(candidate)) return candidate.string();
    return p;
  }

  // Rejects a key that is neither a module parameter nor a common one, suggesting from both.
  Status check_unknown(const std::map<std::string, std::string>& given,
                       const std::vector<ParamSpec>& module, const std::vector<ParamSpec>& common,
                       const std::string& path) const {
    std::vector<std::string> names;
    for (const auto& s : module) names.push_back(s.name);
    for (const auto& s : common) names.push_back(s.name);
    for (const auto& [k, v] : given) {
      if (std::find(names.begin(), names.end(), k) != names.end()) continue;
      const std::string hint = closest_match(k, names);
      return error_at(path + "." + k, path + "." + k + ": unknown key" +
                                          (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    return Status::Ok();
  }

  // workload.mix: {component: weight, ...} and workload.<component>: {its parameters}, only for
  // kind: mix. Components keep the scenario's order.
  Result<std::vector<MixPart>> mix_parts(const std::string& kind,
                                         std::map<std::string, YAML::Node>& nested) {
    std::vector<MixPart> parts;
    if (kind != kMixWorkload) {
      if (!nested.empty()) {
        const std::string key = "workload." + nested.begin()->first;
        return error_at(key, key + ": only a mixed workload (kind: mix) takes a map here");
      }
      return parts;
    }
    if (!nested.count("mix")) {
      return error_at("workload.kind",
                      "workload.mix: required with kind: mix, e.g. mix: {ehr: 3, supply: 1}");
    }
    const YAML::Node weights = nested["mix"];
    if (!weights.IsMap() || weights.size() == 0) {
      return error_at("workload.mix", "workload.mix: expected a map of workload: weight");
    }
    for (const auto& kv : weights) {
      const std::string name = kv.first.as<std::string>();
      const std::string key = "workload.mix." + name;
      note_line(key, kv.first);
      const WorkloadInfo* info = find_workload(name);
      if (info == nullptr || name == kMixWorkload) {
        const std::string hint = closest_match(name, workload_names());
        return error_at(key, key + ": not a workload that can be mixed" +
                                 (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      }
      double w = 0;
      if (!kv.second.IsScalar() || !parse_double(kv.second.Scalar(), w) || !(w >= 0) ||
          !std::isfinite(w)) {
        return error_at(key, key + ": expected a non-negative weight");
      }
      std::map<std::string, std::string> given;
      if (nested.count(name)) {
        auto flat = flatten(nested[name], "workload." + name, {}, nullptr);
        if (!flat.ok()) return flat.error();
        given = flat.value();
      }
      if (auto unknown = check_unknown(given, info->params, {}, "workload." + name);
          !unknown.ok()) {
        return unknown.error();
      }
      auto params = ParamValues::parse(info->params, given, "workload." + name);
      if (!params.ok()) return locate(params.error());
      parts.push_back({name, w, std::move(params.value())});
    }
    for (const auto& entry : nested) {
      // Not a structured binding: clang 14 cannot capture one in the lambda below.
      const std::string& name = entry.first;
      if (name == "mix") continue;
      if (std::none_of(parts.begin(), parts.end(),
                       [&](const MixPart& p) { return p.kind == name; })) {
        return error_at(
            "workload." + name,
            "workload." + name + ": parameters for a workload that is not in workload.mix");
      }
    }
    return parts;
  }

  Result<Distribution> jitter(const YAML::Node& node, const std::string& path) {
    std::map<std::string, std::string> raw;
    std::map<std::string, YAML::Node> none;
    auto flat = flatten(node, path, {}, &none);
    if (!flat.ok()) return flat.error();
    raw = std::move(flat.value());
    auto kind_it = raw.find("dist");
    if (kind_it == raw.end()) {
      return error_at(path, path +
                                ".dist: missing; expected one of constant, uniform, "
                                "exponential, normal, lognormal, pareto");
    }
    const std::string kind = kind_it->second;
    raw.erase(kind_it);
    // Time-valued parameters are given in ms and converted to ns. lognormal's mu/sigma are of
    // the underlying normal of the value in ms; the ns shift is ln(1e6) on mu.
    std::map<std::string, double> params;
    for (const auto& [k, v] : raw) {
      double d = 0;
      if (!parse_double(v, d)) {
        return error_at(path + "." + k, path + "." + k + ": expected a number, got '" + v + "'");
      }
      std::string name = k;
      const bool in_ms = name.size() > 3 && name.ends_with("_ms");
      if (in_ms) name = name.substr(0, name.size() - 3);
      if (kind == "lognormal") {
        if (name == "mu") d += std::log(1e6);
      } else if (in_ms) {
        d *= 1e6;
      } else if (name != "shape") {
        return error_at(
            path + "." + k,
            path + "." + k + ": time parameters of jitter are given in ms; write '" + k + "_ms'");
      }
      params[name] = d;
    }
    auto dist = Distribution::make(kind, params);
    if (!dist.ok()) return error_at(path, path + ": " + dist.error().message);
    return dist;
  }

  // A list of validator ids, e.g. [0, 2]; an id alone is a list of one.
  Result<std::vector<NodeId>> node_list(const YAML::Node& node, const std::string& path) {
    std::vector<NodeId> out;
    const auto one = [&](const YAML::Node& n) -> Status {
      std::int64_t id = 0;
      if (!n.IsScalar() || !parse_int(n.Scalar(), id) || id < 0 || id > 0xffff'fffe) {
        return error_at(path, path + ": expected a validator id or a list of them, got '" +
                                  (n.IsScalar() ? n.Scalar() : std::string("a map")) + "'");
      }
      if (std::find(out.begin(), out.end(), static_cast<NodeId>(id)) != out.end()) {
        return error_at(path, path + ": validator " + std::to_string(id) + " is listed twice");
      }
      out.push_back(static_cast<NodeId>(id));
      return Status::Ok();
    };
    if (node.IsSequence()) {
      for (const auto& n : node) {
        if (Status st = one(n); !st.ok()) return st.error();
      }
    } else if (Status st = one(node); !st.ok()) {
      return st.error();
    }
    return out;
  }

  // A number under `path` within [lo, hi] (open ends when the flags say so).
  Result<double> bounded(const std::map<std::string, std::string>& raw, const std::string& key,
                         const std::string& path, double fallback, double lo, bool lo_open,
                         double hi, bool hi_open, const std::string& what) {
    const auto it = raw.find(key);
    if (it == raw.end()) return fallback;
    double v = 0;
    const bool ok = parse_double(it->second, v) && std::isfinite(v) &&
                    (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
    if (!ok) {
      return error_at(path + "." + key,
                      path + "." + key + ": expected " + what + ", got '" + it->second + "'");
    }
    return v;
  }

  // The map of a condition fault: its scalar keys in `raw`, its node lists in `lists`; unknown
  // keys are errors naming the closest known one.
  Status condition_keys(const YAML::Node& node, const std::string& path,
                        const std::vector<std::string>& scalars,
                        const std::vector<std::string>& list_keys,
                        std::map<std::string, std::string>& raw,
                        std::map<std::string, YAML::Node>& lists) {
    auto flat = flatten(node, path, list_keys, &lists);
    if (!flat.ok()) return flat.error();
    raw = std::move(flat.value());
    std::vector<std::string> known = scalars;
    known.insert(known.end(), list_keys.begin(), list_keys.end());
    for (auto it = raw.begin(); it != raw.end();) {
      if (std::find(list_keys.begin(), list_keys.end(), it->first) != list_keys.end()) {
        lists[it->first] = node[it->first];  // a single id given as a scalar
        it = raw.erase(it);
        continue;
      }
      if (std::find(known.begin(), known.end(), it->first) == known.end()) {
        const std::string hint = closest_match(it->first, known);
        return error_at(path + "." + it->first,
                        path + "." + it->first + ": unknown key" +
                            (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      }
      ++it;
    }
    return Status::Ok();
  }

  // partition: {groups: {east: [0, 1], west: [2, 3]}} or {groups: [[0, 1], [2, 3]]}, or
  // one-way {from: [0], to: [1, 2]}.
  Status partition(const YAML::Node& node, const std::string& path, FaultEvent& f) {
    if (!node.IsMap()) {
      return error_at(path, path +
                                ": expected {groups: {name: [ids], ...}} or {from: [ids], to: "
                                "[ids]}");
    }
    std::map<std::string, std::string> raw;
    std::map<std::string, YAML::Node> lists;
    if (Status st = condition_keys(node, path, {}, {"groups", "from", "to"}, raw, lists);
        !st.ok()) {
      return st;
    }
    const bool groups = lists.count("groups") > 0;
    const bool one_way = lists.count("from") > 0 || lists.count("to") > 0;
    if (groups == one_way || (one_way && (!lists.count("from") || !lists.count("to")))) {
      return error_at(path, path +
                                ": expected either 'groups' (symmetric) or both 'from' and "
                                "'to' (one-way)");
    }
    if (one_way) {
      auto from = node_list(lists["from"], path + ".from");
      if (!from.ok()) return from.error();
      auto to = node_list(lists["to"], path + ".to");
      if (!to.ok()) return to.error();
      f.from = std::move(from.value());
      f.to = std::move(to.value());
      for (NodeId id : f.from) {
        if (std::find(f.to.begin(), f.to.end(), id) != f.to.end()) {
          return error_at(
              path, path + ": validator " + std::to_string(id) + " is in both 'from' and 'to'");
        }
      }
      return Status::Ok();
    }
    const YAML::Node& g = lists["groups"];
    const std::string gpath = path + ".groups";
    std::vector<std::pair<std::string, YAML::Node>> named;
    if (g.IsMap()) {
      for (const auto& kv : g) named.emplace_back(kv.first.as<std::string>(), kv.second);
    } else if (g.IsSequence()) {
      for (std::size_t i = 0; i < g.size(); ++i) named.emplace_back("g" + std::to_string(i), g[i]);
    }
    if (named.empty()) {
      return error_at(gpath, gpath +
                                 ": expected a map of named groups {name: [ids]} or a list "
                                 "of id lists");
    }
    std::vector<NodeId> seen;
    for (auto& [name, ids] : named) {
      auto list = node_list(ids, gpath + "." + name);
      if (!list.ok()) return list.error();
      for (NodeId id : *list) {
        if (std::find(seen.begin(), seen.end(), id) != seen.end()) {
          return error_at(gpath, gpath + ": validator " + std::to_string(id) + " is in two groups");
        }
        seen.push_back(id);
      }
      f.group_names.push_back(name);
      f.groups.push_back(std::move(list.value()));
    }
    return Status::Ok();
  }

  // byzantine: {nodes: {2: silent, 3: withhold_votes}} (a timed role; validated against the
  // protocol once the whole scenario is read, see timed_byzantine()).
  Status byzantine_role(const YAML::Node& node, const std::string& path, FaultEvent& f) {
    std::map<std::string, std::string> raw;
    std::map<std::string, YAML::Node> lists;
    if (!node.IsMap()) {
      return error_at(path, path + ": expected {nodes: {<id>: <behaviour>, ...}}");
    }
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      note_line(path + "." + key, kv.first);
      if (key != "nodes") {
        return error_at(path + "." + key, path + "." + key + ": unknown key (expected 'nodes')");
      }
    }
    const YAML::Node& nodes = node["nodes"];
    if (!nodes || !nodes.IsMap() || nodes.size() == 0) {
      return error_at(path, path +
                                ".nodes: expected a map of validator id -> behaviour, e.g. {2: "
                                "silent}");
    }
    for (const auto& kv : nodes) {
      const std::string id_text = kv.first.Scalar();
      const std::string npath = path + ".nodes." + id_text;
      note_line(npath, kv.first);
      std::int64_t id = 0;
      if (!parse_int(id_text, id) || id < 0 || id > 0xffff'fffe) {
        return error_at(npath, npath + ": expected a validator id, got '" + id_text + "'");
      }
      const std::string name = kv.second.IsScalar() ? kv.second.Scalar() : "";
      const auto behavior = parse_behavior(name);
      if (!behavior || *behavior == Behavior::kHonest || *behavior == Behavior::kEquivocate) {
        return error_at(npath, npath +
                                   ": expected silent, withhold_votes, invalid_signatures "
                                   "or delay_proposals, got '" +
                                   name +
                                   "' (equivocation is built into a validator for the whole "
                                   "run: use the byzantine section)");
      }
      f.nodes.push_back(static_cast<NodeId>(id));
      f.roles.push_back(*behavior);
    }
    return Status::Ok();
  }

  // The validators given Byzantine roles in the schedule: each role applies to the protocol, no
  // validator is also Byzantine for the whole run, and together with the byzantine section at
  // most f validators are faulty (unless byzantine.beyond_f).
  Status timed_byzantine(Scenario& sc) {
    const ProtocolInfo* info = find_protocol(sc.consensus.protocol);
    ByzantineConfig& b = sc.byzantine;
    b.scheduled.assign(sc.consensus.nodes, false);
    for (std::size_t i = 0; i < sc.faults.size(); ++i) {
      const FaultEvent& f = sc.faults[i];
      if (f.kind != FaultKind::kByzantine) continue;
      const std::string path = "faults[" + std::to_string(f.source_index) + "].byzantine.nodes";
      for (std::size_t k = 0; k < f.nodes.size(); ++k) {
        const std::string npath = path + "." + std::to_string(f.nodes[k]);
        if (!info->supports(f.roles[k])) {
          std::vector<std::string> supported;
          for (Behavior x : info->behaviors) supported.push_back(to_string(x));
          return error_at(npath, npath + ": behaviour '" + to_string(f.roles[k]) +
                                     "' does not apply to " + info->name +
                                     " (it supports: " + join(supported) + ")");
        }
        if (b.of(f.nodes[k]) != Behavior::kHonest) {
          return error_at(npath, npath + ": validator " + std::to_string(f.nodes[k]) +
                                     " is already Byzantine for the whole run (byzantine.nodes)");
        }
        b.scheduled[f.nodes[k]] = true;
      }
    }
    std::uint32_t count = 0;
    for (NodeId v = 0; v < sc.consensus.nodes; ++v) count += b.faulty(v) ? 1 : 0;
    const std::uint32_t fmax = info->max_faulty ? info->max_faulty(sc.consensus.nodes) : 0;
    if (count > fmax && !b.beyond_f) {
      return error_at("faults", "faults: " + std::to_string(count) +
                                    " validators are Byzantine (byzantine section and scheduled "
                                    "roles), but " +
                                    info->name + " with " + std::to_string(sc.consensus.nodes) +
                                    " nodes tolerates f = " + std::to_string(fmax) +
                                    " (set byzantine.beyond_f: true to break it on purpose)");
    }
    return Status::Ok();
  }

  Result<FaultEvent> fault(const YAML::Node& node, const std::string& path) {
    if (!node.IsMap()) return error_at(path, path + ": expected a map {at_s: ..., <fault>: ...}");
    FaultEvent f;
    std::vector<std::string> actions;
    std::string keys;
    for (const auto& kv : node) {
      const std::string key = kv.first.as<std::string>();
      note_line(path + "." + key, kv.first);
      keys += (keys.empty() ? "" : ", ") + key;
      if (key == "at_s" || key == "until_s") continue;
      const auto& all = fault_keys();
      if (std::find(all.begin(), all.end(), key) != all.end()) {
        actions.push_back(key);
        continue;
      }
      std::vector<std::string> known = all;
      known.insert(known.end(), {"at_s", "until_s"});
      const std::string hint = closest_match(key, known);
      return error_at(path + "." + key,
                      path + "." + key + ": unknown key" +
                          (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                          "; a fault is {at_s, [until_s,] one of crash, restart, partition, "
                          "degrade, duplicate, reorder, slow, clock_drift, byzantine}");
    }
    if (actions.size() != 1) {
      return error_at(path, path +
                                ": expected exactly one fault key (crash, restart, partition, "
                                "degrade, duplicate, reorder, slow, clock_drift, byzantine) "
                                "besides at_s, "
                                "got {" +
                                keys + "}");
    }
    const auto time_of = [&](const char* key, bool required) -> Result<TimeNs> {
      const YAML::Node v = node[key];
      double t = 0;
      if (!v) {
        if (!required) return kTimeNever;
        return error_at(path, path + "." + key + ": expected a time >= 0 in seconds, missing");
      }
      if (!v.IsScalar() || !parse_double(v.Scalar(), t) || !(t >= 0) || t > 1e9) {
        return error_at(path + "." + key, path + "." + key +
                                              ": expected a time >= 0 in seconds, got '" +
                                              (v.IsScalar() ? v.Scalar() : "a map or list") + "'");
      }
      return s_to_ns(t);
    };
    auto at = time_of("at_s", true);
    if (!at.ok()) return at.error();
    f.at_ns = *at;
    auto until = time_of("until_s", false);
    if (!until.ok()) return until.error();
    f.until_ns = *until;

    const std::string action = actions.front();
    const std::string apath = path + "." + action;
    const YAML::Node body = node[action];
    for (std::size_t k = 0; k < fault_keys().size(); ++k) {
      if (fault_keys()[k] == action) f.kind = static_cast<FaultKind>(k);
    }
    if (!f.is_condition()) {
      if (f.until_ns != kTimeNever) {
        return error_at(path + ".until_s", path + ".until_s: a " + action +
                                               " is instantaneous; schedule the matching " +
                                               (f.kind == FaultKind::kCrash ? "restart" : "crash") +
                                               " as its own event");
      }
      const std::string target = body.IsScalar() ? body.Scalar() : std::string();
      std::int64_t id = 0;
      if (parse_int(target, id) && id >= 0 && id <= 0xffff'fffe) {
        f.node = static_cast<NodeId>(id);
      } else if ((f.kind == FaultKind::kCrash && target == "leader") ||
                 (f.kind == FaultKind::kRestart && target == "crashed")) {
        f.symbolic = target;
      } else {
        return error_at(apath, apath + ": expected a node id or '" +
                                   (f.kind == FaultKind::kCrash ? "leader" : "crashed") +
                                   "', got '" + (body.IsScalar() ? target : "a map or list") + "'");
      }
      return f;
    }
    if (f.until_ns != kTimeNever && f.until_ns <= f.at_ns) {
      std::ostringstream at_s;
      at_s << ns_to_s(f.at_ns);
      return error_at(path + ".until_s",
                      path + ".until_s: expected a time after at_s (" + at_s.str() + " s)");
    }
    if (f.kind == FaultKind::kPartition) {
      if (Status st = partition(body, apath, f); !st.ok()) return st.error();
      return f;
    }
    if (f.kind == FaultKind::kByzantine) {
      if (Status st = byzantine_role(body, apath, f); !st.ok()) return st.error();
      return f;
    }
    if (!body.IsMap()) return error_at(apath, apath + ": expected a map of the fault's values");
    std::map<std::string, std::string> raw;
    std::map<std::string, YAML::Node> lists;
    std::vector<std::string> scalars;
    switch (f.kind) {
      case FaultKind::kDegrade:
        scalars = {"latency_factor", "bandwidth_factor", "loss"};
        break;
      case FaultKind::kDuplicate:
        scalars = {"probability"};
        break;
      case FaultKind::kReorder:
        scalars = {"probability", "max_delay_ms"};
        break;
      case FaultKind::kSlow:
        scalars = {"cpu_factor"};
        break;
      default:
        scalars = {"rate"};
        break;
    }
    if (Status st = condition_keys(body, apath, scalars, {"nodes"}, raw, lists); !st.ok()) {
      return st.error();
    }
    if (lists.count("nodes")) {
      auto nodes = node_list(lists["nodes"], apath + ".nodes");
      if (!nodes.ok()) return nodes.error();
      f.nodes = std::move(nodes.value());
    }
    const bool per_node = f.kind == FaultKind::kSlow || f.kind == FaultKind::kClockDrift;
    if (per_node && f.nodes.empty()) {
      return error_at(apath, apath + ".nodes: required: the validators it affects");
    }
    const auto need = [&](const std::string& key) -> Status {
      if (raw.count(key)) return Status::Ok();
      return error_at(apath, apath + "." + key + ": required");
    };
    Result<double> v = 0.0;
    switch (f.kind) {
      case FaultKind::kDegrade: {
        if (raw.empty()) {
          return error_at(apath, apath +
                                     ": expected at least one of latency_factor, "
                                     "bandwidth_factor, loss");
        }
        if (v = bounded(raw, "latency_factor", apath, 1, 1, false, 1e6, false,
                        "a factor >= 1 (a fault only slows links)");
            !v.ok()) {
          return v.error();
        }
        f.latency_factor = *v;
        if (v = bounded(raw, "bandwidth_factor", apath, 1, 0, true, 1, false, "a factor in (0, 1]");
            !v.ok()) {
          return v.error();
        }
        f.bandwidth_factor = *v;
        if (v = bounded(raw, "loss", apath, 0, 0, false, 1, true, "a probability in [0, 1)");
            !v.ok()) {
          return v.error();
        }
        f.loss = *v;
        break;
      }
      case FaultKind::kDuplicate:
      case FaultKind::kReorder:
        if (Status st = need("probability"); !st.ok()) return st.error();
        if (v = bounded(raw, "probability", apath, 0, 0, true, 1, false, "a probability in (0, 1]");
            !v.ok()) {
          return v.error();
        }
        f.probability = *v;
        if (f.kind == FaultKind::kReorder) {
          if (Status st = need("max_delay_ms"); !st.ok()) return st.error();
          if (v = bounded(raw, "max_delay_ms", apath, 0, 0, true, 3.6e6, false,
                          "a delay in ms > 0 (and at most an hour)");
              !v.ok()) {
            return v.error();
          }
          f.max_delay_ns = ms_to_ns(*v);
        }
        break;
      case FaultKind::kSlow:
        if (Status st = need("cpu_factor"); !st.ok()) return st.error();
        if (v = bounded(raw, "cpu_factor", apath, 1, 1, false, 1e6, false, "a factor >= 1");
            !v.ok()) {
          return v.error();
        }
        f.cpu_factor = *v;
        break;
      default:
        if (Status st = need("rate"); !st.ok()) return st.error();
        if (v = bounded(raw, "rate", apath, 1, 0, true, 1e3, false,
                        "a rate > 0 (timers last rate x their duration; at most 1000)");
            !v.ok()) {
          return v.error();
        }
        f.clock_rate = *v;
        break;
    }
    return f;
  }

  // byzantine: {nodes: {<id>: <behaviour>, ...}, beyond_f: false}
  Status byzantine(const YAML::Node& node, Scenario& sc) {
    const ProtocolInfo* info = find_protocol(sc.consensus.protocol);
    if (!node.IsMap()) return error_at("byzantine", "byzantine: expected a map with 'nodes'");
    ByzantineConfig& b = sc.byzantine;
    b.behaviors.assign(sc.consensus.nodes, Behavior::kHonest);
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      note_line("byzantine." + key, kv.first);
      if (key == "beyond_f") {
        if (!kv.second.IsScalar() || !parse_bool(kv.second.Scalar(), b.beyond_f)) {
          return error_at("byzantine.beyond_f", "byzantine.beyond_f: expected true or false");
        }
      } else if (key != "nodes") {
        const std::string hint = closest_match(key, {"nodes", "beyond_f"});
        return error_at("byzantine." + key,
                        "byzantine." + key + ": unknown key" +
                            (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      }
    }
    const YAML::Node& nodes = node["nodes"];
    if (!nodes || !nodes.IsMap()) {
      return error_at("byzantine",
                      "byzantine.nodes: expected a map of validator id -> behaviour, "
                      "e.g. {0: equivocate}");
    }
    std::vector<std::string> names;
    for (const BehaviorDoc& d : behavior_docs()) names.push_back(d.name);
    std::uint32_t count = 0;
    for (const auto& kv : nodes) {
      const std::string id_text = kv.first.Scalar();
      const std::string path = "byzantine.nodes." + id_text;
      note_line(path, kv.first);
      std::int64_t id = 0;
      if (!parse_int(id_text, id) || id < 0 || id >= sc.consensus.nodes) {
        return error_at(path, path + ": expected a validator id in 0.." +
                                  std::to_string(sc.consensus.nodes - 1) + ", got '" + id_text +
                                  "'");
      }
      const std::string name = kv.second.IsScalar() ? kv.second.Scalar() : "";
      const auto behavior = parse_behavior(name);
      if (!behavior) {
        const std::string hint = closest_match(name, names);
        return error_at(path, path + ": unknown behaviour '" + name +
                                  "' (expected one of: " + join(names) + ")" +
                                  (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
      }
      if (!info->supports(*behavior)) {
        std::vector<std::string> supported;
        for (Behavior x : info->behaviors) supported.push_back(to_string(x));
        return error_at(path, path + ": behaviour '" + name + "' does not apply to " + info->name +
                                  " (it supports: " + join(supported) + ")");
      }
      b.behaviors[static_cast<std::size_t>(id)] = *behavior;
      if (*behavior != Behavior::kHonest) ++count;
    }
    const std::uint32_t f = info->max_faulty ? info->max_faulty(sc.consensus.nodes) : 0;
    if (count > f && !b.beyond_f) {
      return error_at("byzantine", "byzantine.nodes: " + std::to_string(count) +
                                       " faulty validators, but " + info->name + " with " +
                                       std::to_string(sc.consensus.nodes) +
                                       " nodes tolerates f = " + std::to_string(f) +
                                       " (set byzantine.beyond_f: true to break it on purpose)");
    }
    return Status::Ok();
  }

  static std::string join(const std::vector<std::string>& items) {
    std::string s;
    for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
    return s;
  }

  Result<Scenario> load(const YAML::Node& root) {
    Scenario sc;
    if (!root.IsMap()) return Error{source + ": expected a map of scenario keys at the top level"};
    std::map<std::string, YAML::Node> sections;
    const std::vector<std::string> section_names = {"consensus", "workload", "network",
                                                    "nodes",     "ledger",   "faults",
                                                    "byzantine", "pipeline", "output"};
    auto top = flatten(root, "", section_names, &sections);
    if (!top.ok()) return top.error();
    for (const auto& name : section_names) {
      if (root[name] && root[name].IsScalar() && !root[name].IsNull()) {
        return error_at(name, name + ": expected a " +
                                  std::string(name == "faults" ? "list" : "map") + ", got '" +
                                  root[name].Scalar() + "'");
      }
    }
    {
      auto specs = top_specs();
      std::vector<ParamSpec> all = specs;
      for (const auto& n : section_names) all.push_back(string_param(n, "", ""));
      auto given = top.value();
      auto v = ParamValues::parse(specs, take(given, specs), "");
      for (const auto& [k, val] : given) {
        std::vector<std::string> names;
        for (const auto& s : all) names.push_back(s.name);
        const std::string hint = closest_match(k, names);
        return error_at(
            k, k + ": unknown key" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      }
      if (!v.ok()) return locate(v.error());
      sc.name = v->get_string("name");
      sc.description = v->get_string("description");
      sc.seed = static_cast<std::uint64_t>(v->get_int("seed"));
      sc.duration_ns = s_to_ns(v->get_double("duration_s"));
      sc.drain_ns = s_to_ns(v->get_double("drain_s"));
    }

    // consensus
    {
      auto flat = flatten(sections["consensus"], "consensus", {}, nullptr);
      if (!flat.ok()) return flat.error();
      auto given = flat.value();
      auto specs = consensus_specs();
      auto common = ParamValues::parse(specs, take(given, specs), "consensus");
      if (!common.ok()) return locate(common.error());
      sc.consensus.protocol = common->get_string("protocol");
      sc.consensus.nodes = static_cast<std::uint32_t>(common->get_int("nodes"));
      const ProtocolInfo* info = find_protocol(sc.consensus.protocol);
      if (auto unknown = check_unknown(given, info->params, specs, "consensus"); !unknown.ok()) {
        return unknown.error();
      }
      auto params = ParamValues::parse(info->params, given, "consensus");
      if (!params.ok()) return locate(params.error());
      if (sc.consensus.nodes < info->min_nodes) {
        return error_at("consensus.nodes", "consensus.nodes: " + info->name + " needs at least " +
                                               std::to_string(info->min_nodes) + " nodes, got " +
                                               std::to_string(sc.consensus.nodes));
      }
      if (info->validate) {
        auto st = info->validate(params.value(), sc.consensus.nodes);
        if (!st.ok()) return locate(st.error());
      }
      sc.consensus.params = std::move(params.value());
    }

    // workload
    {
      // A mix has nested maps: its weights (mix) and each component's parameters.
      std::vector<std::string> nested_ok = {"mix"};
      for (const auto& name : workload_names()) nested_ok.push_back(name);
      std::map<std::string, YAML::Node> nested;
      auto flat = flatten(sections["workload"], "workload", nested_ok, &nested);
      if (!flat.ok()) return flat.error();
      auto given = flat.value();
      auto specs = workload_specs();
      const auto common_given = take(given, specs);
      auto common = ParamValues::parse(specs, common_given, "workload");
      if (!common.ok()) return locate(common.error());
      sc.workload.kind = common->get_string("kind");
      sc.workload.clients = static_cast<std::uint32_t>(common->get_int("clients"));
      sc.workload.rate_tps = common->get_double("rate_tps");
      sc.workload.forged_fraction = common->get_double("forged_fraction");
      {
        ArrivalConfig& a = sc.workload.arrivals;
        const std::string kind = common->get_string("arrivals");
        a.kind = kind == "daily"    ? ArrivalKind::kDaily
                 : kind == "closed" ? ArrivalKind::kClosed
                                    : ArrivalKind::kPoisson;
        const double day_s = common->get_double("day_s");
        a.day_ns = static_cast<TimeNs>(std::llround(day_s * 1e9));
        a.start_of_day_ns = static_cast<TimeNs>(
            std::llround(common->get_double("start_hour") / 24.0 * day_s * 1e9));
        const std::string per_org_text = common->get_string("rate_per_org_per_day");
        double per_org_day = 0;
        if (per_org_text == "typical") {
          const WorkloadInfo* w = find_workload(sc.workload.kind);
          per_org_day = w != nullptr ? w->typical_rate_per_org_per_day : 0;
          if (!(per_org_day > 0)) {
            return error_at("workload.rate_per_org_per_day",
                            "workload.rate_per_org_per_day: workload '" + sc.workload.kind +
                                "' has no published typical rate; give a number");
          }
        } else if (!parse_double(per_org_text, per_org_day) || !(per_org_day >= 0) ||
                   !std::isfinite(per_org_day)) {
          return error_at("workload.rate_per_org_per_day",
                          "workload.rate_per_org_per_day: expected a number >= 0 or 'typical', "
                          "got '" +
                              per_org_text + "'");
        }
        if (per_org_day > 0) {
          if (common_given.contains("rate_tps")) {
            return error_at("workload.rate_per_org_per_day",
                            "workload.rate_per_org_per_day: give either rate_tps or "
                            "rate_per_org_per_day, not both");
          }
          sc.workload.rate_tps = per_org_day * sc.workload.clients / day_s;
        }
        a.rate_tps = sc.workload.rate_tps;
        auto profile =
            parse_daily_profile(common->get_string("daily_profile"), "workload.daily_profile");
        if (!profile.ok()) return error_at("workload.daily_profile", profile.error().message);
        a.profile = profile.value();
        a.burst_every_ns =
            static_cast<TimeNs>(std::llround(common->get_double("burst_every_s") * 1e9));
        a.burst_duration_ns =
            static_cast<TimeNs>(std::llround(common->get_double("burst_duration_s") * 1e9));
        a.burst_factor = common->get_double("burst_factor");
        if (a.burst_every_ns > 0 && a.burst_duration_ns > a.burst_every_ns) {
          return error_at("workload.burst_duration_s",
                          "workload.burst_duration_s: a burst cannot last longer than "
                          "burst_every_s");
        }
        a.think_ns = ms_to_ns(common->get_double("think_ms"));
        a.timeout_ns = ms_to_ns(common->get_double("timeout_ms"));
      }
      const WorkloadInfo* info = find_workload(sc.workload.kind);
      if (auto unknown = check_unknown(given, info->params, specs, "workload"); !unknown.ok()) {
        return unknown.error();
      }
      auto params = ParamValues::parse(info->params, given, "workload");
      if (!params.ok()) return locate(params.error());
      sc.workload.params = std::move(params.value());
      auto mix = mix_parts(sc.workload.kind, nested);
      if (!mix.ok()) return mix.error();
      sc.workload.mix = std::move(mix.value());
    }

    // network
    {
      std::map<std::string, YAML::Node> nested;
      auto flat = flatten(sections["network"], "network", {"jitter"}, &nested);
      if (!flat.ok()) return flat.error();
      auto v = ParamValues::parse(network_specs(), flat.value(), "network");
      if (!v.ok()) return locate(v.error());
      auto& n = sc.network;
      n.topology = v->get_string("topology");
      n.latency_ns = ms_to_ns(v->get_double("latency_ms"));
      n.inter_latency_ns = ms_to_ns(v->get_double("inter_latency_ms"));
      n.regions = static_cast<std::uint32_t>(v->get_int("regions"));
      n.bandwidth_bps = v->get_double("bandwidth_mbps") * 1e6;
      n.inter_bandwidth_bps = v->get_double("inter_bandwidth_mbps") * 1e6;
      n.loss = v->get_double("loss");
      n.client_latency_ns = ms_to_ns(v->get_double("client_latency_ms"));
      n.client_bandwidth_bps = v->get_double("client_bandwidth_mbps") * 1e6;
      n.csv_path = resolve(v->get_string("csv"));
      if (n.topology == "csv") {
        if (n.csv_path.empty()) {
          return error_at("network.topology",
                          "network.csv: required when network.topology is 'csv' (an edge list "
                          "file with header src,dst,latency_ms,bandwidth_mbps[,loss])");
        }
        if (!fs::exists(n.csv_path)) {
          return error_at("network.csv", "network.csv: file '" + n.csv_path + "' not found");
        }
      }
      if (n.topology == "regions" && n.regions > sc.consensus.nodes) {
        return error_at("network.regions",
                        "network.regions: " + std::to_string(n.regions) + " regions for " +
                            std::to_string(sc.consensus.nodes) +
                            " nodes leaves a region empty; expected at most consensus.nodes");
      }
      if (nested.count("jitter")) {
        auto j = jitter(nested["jitter"], "network.jitter");
        if (!j.ok()) return j.error();
        if (j->kind() == Distribution::Kind::kNormal) {
          return error_at("network.jitter",
                          "network.jitter: a normal jitter can be negative; use lognormal, "
                          "exponential, uniform or pareto (delays are never shorter than latency)");
        }
        n.jitter_ns = j.value();
      }
    }

    // nodes
    {
      std::map<std::string, YAML::Node> nested;
      auto flat = flatten(sections["nodes"], "nodes", {"profile"}, &nested);
      if (!flat.ok()) return flat.error();
      auto v = ParamValues::parse(node_specs(), flat.value(), "nodes");
      if (!v.ok()) return locate(v.error());
      sc.node.cores = static_cast<std::uint32_t>(v->get_int("cores"));
      if (nested.count("profile")) {
        auto p = profile_from_yaml(nested["profile"], "nodes.profile");
        if (!p.ok()) return error_at("nodes.profile", p.error().message);
        sc.node.profile = p.value();
        sc.node.profile_name = "inline";
      } else {
        const std::string name = v->get_string("profile");
        auto p = load_profile(name, base_dir, data_dir);
        if (!p.ok()) return error_at("nodes.profile", "nodes.profile: " + p.error().message);
        sc.node.profile = p.value();
        sc.node.profile_name = name;
      }
    }

    // ledger
    {
      auto flat = flatten(sections["ledger"], "ledger", {}, nullptr);
      if (!flat.ok()) return flat.error();
      auto v = ParamValues::parse(ledger_specs(), flat.value(), "ledger");
      if (!v.ok()) return locate(v.error());
      // The choices were validated by the specs, so parsing cannot fail here.
      sc.ledger.signature = *parse_sig_scheme(v->get_string("signature"));
      sc.ledger.verify = *parse_verify_policy(v->get_string("verify"));
      sc.ledger.storage = v->get_string("storage");
    }

    // faults
    if (sections.count("faults") && !sections["faults"].IsNull()) {
      const YAML::Node& list = sections["faults"];
      if (!list.IsSequence()) return error_at("faults", "faults: expected a list of fault events");
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = "faults[" + std::to_string(i) + "]";
        note_line(path, list[i]);
        auto f = fault(list[i], path);
        if (!f.ok()) return f.error();
        f->source_index = i;
        for (NodeId id : f->named_nodes()) {
          if (id >= sc.consensus.nodes) {
            return error_at(path, path + ": node " + std::to_string(id) +
                                      " does not exist; validators are 0.." +
                                      std::to_string(sc.consensus.nodes - 1));
          }
        }
        if (f->at_ns > sc.duration_ns + sc.drain_ns) {
          return error_at(path, path + ".at_s: " + std::to_string(ns_to_s(f->at_ns)) +
                                    " s is after the end of the run (duration_s + drain_s)");
        }
        sc.faults.push_back(f.value());
      }
      std::stable_sort(sc.faults.begin(), sc.faults.end(),
                       [](const FaultEvent& a, const FaultEvent& b) { return a.at_ns < b.at_ns; });
    }

    // byzantine
    if (sections.count("byzantine") && !sections["byzantine"].IsNull()) {
      auto st = byzantine(sections["byzantine"], sc);
      if (!st.ok()) return st.error();
    }
    if (Status st = timed_byzantine(sc); !st.ok()) return st.error();

    // pipeline
    {
      auto flat = flatten(sections["pipeline"], "pipeline", {}, nullptr);
      if (!flat.ok()) return flat.error();
      auto v = ParamValues::parse(pipeline_specs(), flat.value(), "pipeline");
      if (!v.ok()) return locate(v.error());
      sc.pipeline.kind = v->get_string("kind");
      if (sc.pipeline.fabric()) {
        if (Status st = parse_organisations(v->get_string("organisations"), sc.pipeline);
            !st.ok()) {
          return error_at("pipeline.organisations", st.error().message);
        }
        PipelineLayoutText layout;
        layout.policy = v->get_string("policy");
        layout.channels = v->get_string("channels");
        layout.channel_policies = v->get_string("channel_policies");
        layout.channel_kinds = v->get_string("channel_kinds");
        layout.collections = v->get_string("collections");
        layout.collection_policies = v->get_string("collection_policies");
        layout.collection_kinds = v->get_string("collection_kinds");
        if (Status st = parse_pipeline_layout(layout, sc.pipeline); !st.ok()) {
          const std::string& msg = st.error().message;
          return error_at(msg.substr(0, msg.find(':')), msg);
        }
      }
    }

    // output
    {
      auto flat = flatten(sections["output"], "output", {}, nullptr);
      if (!flat.ok()) return flat.error();
      auto v = ParamValues::parse({string_param("path", "results.h5", "results file (HDF5)")},
                                  flat.value(), "output");
      if (!v.ok()) return locate(v.error());
      sc.output_path = v->get_string("path");
    }
    return sc;
  }
};

// Sets `value` at the dotted `key` in `root`, creating maps on the way.
Status apply_override(YAML::Node& root, const Override& o) {
  YAML::Node value;
  try {
    value = YAML::Load(o.value);
  } catch (const YAML::Exception& e) {
    return Error{"--set " + o.key + ": value '" + o.value + "' is not valid YAML: " + e.msg};
  }
  std::vector<std::string> parts;
  std::stringstream ss(o.key);
  std::string part;
  while (std::getline(ss, part, '.')) {
    if (part.empty()) return Error{"--set " + o.key + ": empty key component"};
    parts.push_back(part);
  }
  std::vector<YAML::Node> chain{root};
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    YAML::Node child = chain.back()[parts[i]];
    if (child.IsDefined() && !child.IsNull() && !child.IsMap()) {
      return Error{"--set " + o.key + ": '" + parts[i] + "' is not a map"};
    }
    if (!child.IsDefined() || child.IsNull())
      chain.back()[parts[i]] = YAML::Node(YAML::NodeType::Map);
    chain.push_back(chain.back()[parts[i]]);
  }
  chain.back()[parts.back()] = value;
  return Status::Ok();
}

}  // namespace

Result<Override> parse_override(std::string_view t) {
  const auto eq = t.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return Error{"--set '" + std::string(t) + "': expected key.path=value"};
  }
  return Override{std::string(t.substr(0, eq)), std::string(t.substr(eq + 1))};
}

Result<Scenario> load_scenario_text(const std::string& yaml_text, const std::string& source_name,
                                    const std::vector<Override>& overrides,
                                    const std::string& base_dir, const std::string& data_dir) {
  auto parsed = parse_yaml_map(yaml_text, source_name, "a map of scenario keys at the top level");
  if (!parsed.ok()) return parsed.error();
  YAML::Node root = parsed.value();
  for (const auto& o : overrides) {
    auto st = apply_override(root, o);
    if (!st.ok()) return st.error();
  }
  Loader loader{source_name, base_dir, data_dir, {}};
  Result<Scenario> sc = [&]() -> Result<Scenario> {
    try {
      return loader.load(root);
    } catch (const YAML::Exception& e) {
      return Error{source_name + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg};
    }
  }();
  if (!sc.ok()) return sc;
  YAML::Emitter out;
  out << root;
  sc->effective_yaml = out.c_str();
  return sc;
}

Result<Scenario> load_scenario_file(const std::string& path, const std::vector<Override>& overrides,
                                    const std::string& data_dir) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot open scenario file"};
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string base = fs::path(path).parent_path().string();
  return load_scenario_text(buf.str(), path, overrides, base.empty() ? "." : base, data_dir);
}

const std::vector<ScenarioKeyDoc>& scenario_key_docs() {
  static const std::vector<ScenarioKeyDoc> docs = [] {
    std::vector<ScenarioKeyDoc> out;
    auto add = [&](const std::string& prefix, const std::vector<ParamSpec>& specs) {
      for (const auto& s : specs) {
        out.push_back({prefix + s.name, to_string(s.type), s.default_value, s.unit, s.help});
      }
    };
    add("", top_specs());
    add("consensus.", consensus_specs());
    add("workload.", workload_specs());
    add("network.", network_specs());
    out.push_back({"network.jitter", "map", "none", "ms",
                   "extra per-message delay: {dist: exponential|uniform|lognormal|pareto|constant, "
                   "<param>_ms: ...} e.g. {dist: exponential, mean_ms: 0.5}"});
    add("nodes.", node_specs());
    add("ledger.", ledger_specs());
    add("pipeline.", pipeline_specs());
    out.push_back({"faults", "list", "[]", "",
                   "timed faults: {at_s: 20, crash: <node id>|leader}, {at_s: 40, restart: "
                   "<node id>|crashed}, or a condition from at_s to until_s (s): partition "
                   "{groups: {name: [ids]}} or {from: [ids], to: [ids]}, degrade {nodes, "
                   "latency_factor, bandwidth_factor, loss}, duplicate {nodes, probability}, "
                   "reorder {nodes, probability, max_delay_ms}, slow {nodes, cpu_factor}, "
                   "clock_drift {nodes, rate}, byzantine {nodes: {<id>: silent|withhold_votes|"
                   "invalid_signatures|delay_proposals}} (counted against f for the whole run)"});
    out.push_back({"byzantine.nodes", "map", "{}", "",
                   "Byzantine validators: {<id>: silent|equivocate|withhold_votes|"
                   "invalid_signatures|delay_proposals}, at most f of them (see hlsim list)"});
    out.push_back({"byzantine.beyond_f", "bool", "false", "",
                   "allow more than f Byzantine validators (canaries: the safety checker should "
                   "then fail the run)"});
    out.push_back({"output.path", "string", "results.h5", "", "results file (HDF5); -o overrides"});
    return out;
  }();
  return docs;
}

}  // namespace hlsim
