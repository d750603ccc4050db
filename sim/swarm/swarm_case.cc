#include "sim/swarm/swarm_case.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

#include "consensus/registry.h"
#include "sim/kernel/rng.h"

namespace hlsim {
namespace {

// Stream index of the case generator within RngDomain::kScenario (one stream per seed; the
// protocol name is folded in so that two protocols' seed 7 are different cases).
std::uint64_t protocol_salt(const std::string& protocol) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (const unsigned char c : protocol) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string id_list(const std::vector<NodeId>& ids) {
  std::string s = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) s += (i ? ", " : "") + std::to_string(ids[i]);
  return s + "]";
}

class Draw {
 public:
  explicit Draw(Rng rng) : rng_(rng) {}
  std::uint64_t below(std::uint64_t n) { return rng_.next_below(n); }
  bool chance(double p) { return rng_.bernoulli(p); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * rng_.next_double(); }
  // Uniform over [lo, hi], rounded to milliseconds (the scenario prints three decimals).
  double time_s(double lo, double hi) { return std::round(uniform(lo, hi) * 1000) / 1000; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }
  // A random subset of `ids` of size k, in increasing order.
  std::vector<NodeId> subset(std::vector<NodeId> ids, std::size_t k) {
    for (std::size_t i = 0; i < k && i < ids.size(); ++i) {
      std::swap(ids[i], ids[i + below(ids.size() - i)]);
    }
    ids.resize(std::min(k, ids.size()));
    std::sort(ids.begin(), ids.end());
    return ids;
  }

 private:
  Rng rng_;
};

std::vector<NodeId> all_nodes(std::uint32_t n) {
  std::vector<NodeId> v(n);
  std::iota(v.begin(), v.end(), NodeId{0});
  return v;
}

std::vector<NodeId> complement(const std::vector<NodeId>& of, std::uint32_t n) {
  std::vector<NodeId> rest;
  for (NodeId i = 0; i < n; ++i) {
    if (std::find(of.begin(), of.end(), i) == of.end()) rest.push_back(i);
  }
  return rest;
}

struct Window {
  double at_s;
  double until_s;
};

// A condition's window inside the safety phase, ending by `heal_s` at the latest.
Window window(Draw& d, double heal_s) {
  const double at = d.time_s(0.2, heal_s * 0.8);
  const double until = std::min(heal_s, d.time_s(at + 0.05, heal_s));
  return {at, std::max(until, at + 0.001)};
}

std::string fault_line(const Window& w, const std::string& body) {
  return "  - {at_s: " + num(w.at_s) + ", until_s: " + num(w.until_s) + ", " + body + "}\n";
}

// Network and host conditions on any validators: safety must hold under all of them (the
// protocols assume partial synchrony), and all of them end by heal. Swarm testing: each kind is
// enabled for the seed with probability 1/2, then drawn 1-2 times.
std::string conditions(Draw& d, std::uint32_t n, double heal_s, std::string& outline) {
  std::string out;
  const auto nodes = all_nodes(n);
  const auto some = [&] { return d.subset(nodes, 1 + d.below(n - 1)); };
  if (d.chance(0.5)) {
    const std::uint64_t count = 1 + d.below(2);
    for (std::uint64_t i = 0; i < count; ++i) {
      const auto side = some();
      const auto rest = complement(side, n);
      if (d.chance(0.7)) {
        out += fault_line(window(d, heal_s), "partition: {groups: {a: " + id_list(side) +
                                                 ", b: " + id_list(rest) + "}}");
      } else {
        out += fault_line(window(d, heal_s),
                          "partition: {from: " + id_list(side) + ", to: " + id_list(rest) + "}");
      }
    }
    outline += " partition";
  }
  if (d.chance(0.5)) {
    std::string body =
        "degrade: {latency_factor: " + num(d.time_s(1, 8)) + ", loss: " + num(d.time_s(0, 0.3));
    if (d.chance(0.3)) body += ", bandwidth_factor: " + num(d.time_s(0.1, 1));
    if (d.chance(0.5)) body += ", nodes: " + id_list(some());
    out += fault_line(window(d, heal_s), body + "}");
    outline += " degrade";
  }
  if (d.chance(0.5)) {
    out +=
        fault_line(window(d, heal_s), "duplicate: {probability: " + num(d.time_s(0.01, 0.3)) + "}");
    outline += " duplicate";
  }
  if (d.chance(0.5)) {
    out += fault_line(window(d, heal_s), "reorder: {probability: " + num(d.time_s(0.01, 0.5)) +
                                             ", max_delay_ms: " + num(d.time_s(1, 100)) + "}");
    outline += " reorder";
  }
  if (d.chance(0.3)) {
    out += fault_line(window(d, heal_s), "slow: {nodes: " + id_list(some()) +
                                             ", cpu_factor: " + num(d.time_s(1.5, 20)) + "}");
    outline += " slow";
  }
  if (d.chance(0.3)) {
    out += fault_line(window(d, heal_s), "clock_drift: {nodes: " + id_list(some()) +
                                             ", rate: " + num(d.time_s(0.5, 3)) + "}");
    outline += " clock_drift";
  }
  return out;
}

std::uint32_t node_count(Draw& d, const std::string& protocol) {
  if (protocol == "raft" || protocol == "poa") {
    return static_cast<std::uint32_t>(d.pick(std::vector<int>{3, 4, 5, 7}));
  }
  return static_cast<std::uint32_t>(d.pick(std::vector<int>{4, 5, 7, 10}));
}

std::string network_yaml(Draw& d, std::uint32_t n, std::string& outline) {
  const std::string loss = d.chance(0.5) ? num(d.time_s(0, 0.02)) : "0";
  if (n >= 4 && d.chance(0.5)) {
    const std::uint64_t regions = 2 + d.below(2);
    const double intra = d.time_s(0.5, 5), inter = d.time_s(10, 60);
    outline += " regions(" + std::to_string(regions) + ")";
    return "network: {topology: regions, regions: " + std::to_string(regions) +
           ", latency_ms: " + num(intra) + ", inter_latency_ms: " + num(inter) + ", loss: " + loss +
           "}\n";
  }
  const double latency = d.time_s(0.5, 30);
  outline += " mesh(" + num(latency) + " ms)";
  return "network: {topology: full_mesh, latency_ms: " + num(latency) + ", loss: " + loss + "}\n";
}

// Protocol parameters the swarm sets: PoA at 1 s steps, so that majority finality (n/2 + 1
// sealers) fits the liveness phase; the others keep their defaults.
std::string consensus_yaml(const std::string& protocol, std::uint32_t n) {
  std::string s = "consensus: {protocol: " + protocol + ", nodes: " + std::to_string(n);
  if (protocol == "poa") s += ", step_duration_ms: 1000";
  return s + "}\n";
}

}  // namespace

Result<SwarmCase> make_swarm_case(const std::string& protocol, std::uint64_t seed,
                                  const SwarmOptions& options) {
  const ProtocolInfo* info = find_protocol(protocol);
  if (info == nullptr) return Error{"--protocol: unknown protocol '" + protocol + "'"};
  Draw d(Rng::stream(seed ^ protocol_salt(protocol), RngDomain::kScenario, 0));
  SwarmCase c;
  c.protocol = protocol;
  c.seed = seed;
  c.nodes = std::max(node_count(d, protocol), info->min_nodes);
  const std::uint32_t n = c.nodes;
  c.budget = info->max_faulty(n);
  const double heal_s = options.safety_s;
  const double end_s = heal_s + options.liveness_s;
  c.heal_ns = s_to_ns(heal_s);
  c.end_ns = s_to_ns(end_s);

  std::string outline = protocol + " n=" + std::to_string(n);
  std::string yaml = "name: fuzz-" + protocol + "-" + std::to_string(seed) + "\n";
  yaml += "description: hlsim fuzz case (safety phase 0-" + num(heal_s) + " s, liveness phase " +
          num(heal_s) + "-" + num(end_s) + " s)\n";
  yaml += "seed: " + std::to_string(seed) + "\n";
  yaml += "duration_s: " + num(end_s) + "\ndrain_s: 3\n";
  yaml += consensus_yaml(protocol, n);
  yaml += network_yaml(d, n, outline);
  const std::string kind = d.pick(std::vector<std::string>{"ehr", "claims", "supply", "consent",
                                                           "credentials", "ycsb", "smallbank"});
  const std::uint64_t clients = 6 + d.below(11);
  const double rate = d.time_s(20, 150);
  yaml += "workload: {kind: " + kind + ", clients: " + std::to_string(clients) +
          ", rate_tps: " + num(rate) + "}\n";
  outline += " " + kind + "@" + num(rate) + "tx/s";

  // Byzantine behaviours this protocol supports (equivocate only where it implements it).
  std::vector<std::string> behaviours;
  for (const Behavior b : info->behaviors) {
    if (b != Behavior::kHonest) behaviours.emplace_back(to_string(b));
  }
  std::string byzantine;
  std::string faults;
  if (!options.canary) {
    // Up to `budget` faulty validators, each Byzantine or crashing (a memory-storage restart
    // forgets everything, so a crashed validator stays counted as faulty for the whole run).
    const auto faulty = d.subset(all_nodes(n), d.below(c.budget + 1));
    c.faulty = static_cast<std::uint32_t>(faulty.size());
    for (const NodeId v : faulty) {
      if (!behaviours.empty() && d.chance(0.5)) {
        const std::string& b = d.pick(behaviours);
        if (b != "equivocate" && d.chance(0.5)) {
          // A role played only during a window of the safety phase.
          faults += fault_line(window(d, heal_s),
                               "byzantine: {nodes: {" + std::to_string(v) + ": " + b + "}}");
          outline += " byz(" + std::to_string(v) + ":" + b + ", timed)";
        } else {
          byzantine += (byzantine.empty() ? "" : ", ") + std::to_string(v) + ": " + b;
          outline += " byz(" + std::to_string(v) + ":" + b + ")";
        }
        continue;
      }
      const std::uint64_t cycles = 1 + d.below(2);
      double t = 0.2;
      for (std::uint64_t k = 0; k < cycles && t < heal_s - 0.2; ++k) {
        const double crash_s = d.time_s(t, heal_s - 0.1);
        const double restart_s = std::min(heal_s, d.time_s(crash_s + 0.05, heal_s));
        faults += "  - {at_s: " + num(crash_s) + ", crash: " + std::to_string(v) + "}\n";
        faults += "  - {at_s: " + num(restart_s) + ", restart: " + std::to_string(v) + "}\n";
        t = restart_s + 0.05;
      }
      outline += " crash(" + std::to_string(v) + ")";
    }
    std::string cond_outline;
    faults += conditions(d, n, heal_s, cond_outline);
    outline += cond_outline;
  } else {
    if (std::find(behaviours.begin(), behaviours.end(), "equivocate") == behaviours.end()) {
      return Error{"--canary: " + protocol +
                   " has no equivocating behaviour to break its fault bound with"};
    }
    // f + 1 equivocators placed so that the honest validators can be split: an equivocating
    // leader sends one block to validators [0, n/2) and another to [n/2, n), and each honest
    // group, with the equivocators' votes, must reach a quorum (2f + 1 for the BFT protocols: f
    // honest validators in each half). Validator 0, the first leader, is always one of them.
    const std::uint32_t half = n / 2;
    const std::uint32_t first = half > c.budget ? std::max<std::uint32_t>(1, half - c.budget) : 1;
    std::vector<NodeId> low, high;
    for (NodeId v = 1; v < half; ++v) low.push_back(v);
    for (NodeId v = half; v < n; ++v) high.push_back(v);
    std::vector<NodeId> equivocators = d.subset(low, first - 1);
    equivocators.insert(equivocators.begin(), 0);
    for (const NodeId v : d.subset(high, c.budget + 1 - equivocators.size())) {
      equivocators.push_back(v);
    }
    for (const NodeId v : equivocators) {
      byzantine += (byzantine.empty() ? "" : ", ") + std::to_string(v) + ": equivocate";
    }
    c.faulty = static_cast<std::uint32_t>(equivocators.size());
    outline += " canary: equivocators " + id_list(equivocators);
    // The equivocators also collude through the network: the two honest groups cannot hear each
    // other during the safety phase (one-way cuts both ways; the equivocators hear everyone).
    std::vector<NodeId> honest_low, honest_high;
    for (NodeId v = 0; v < n; ++v) {
      if (std::find(equivocators.begin(), equivocators.end(), v) != equivocators.end()) continue;
      (v < half ? honest_low : honest_high).push_back(v);
    }
    if (!honest_low.empty() && !honest_high.empty()) {
      const Window w{0.001, heal_s};
      faults += fault_line(
          w, "partition: {from: " + id_list(honest_low) + ", to: " + id_list(honest_high) + "}");
      faults += fault_line(
          w, "partition: {from: " + id_list(honest_high) + ", to: " + id_list(honest_low) + "}");
      outline += " honest " + id_list(honest_low) + " | " + id_list(honest_high);
    }
  }
  if (!byzantine.empty()) {
    yaml += "byzantine: {nodes: {" + byzantine + "}" + (options.canary ? ", beyond_f: true" : "") +
            "}\n";
  }
  yaml += faults.empty() ? "faults: []\n" : "faults:\n" + faults;
  c.yaml = std::move(yaml);
  c.outline = std::move(outline);
  return c;
}

}  // namespace hlsim
