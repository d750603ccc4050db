// Sizing a deployment (`hlsim size`): the cheapest configurations that meet service levels,
// found with simulations — bracket and bisect along the dimensions that only help, not a grid.
//
// The question: a workload (a base scenario), service levels (committed tx/s at least, p99
// latency at most, `failures` validators tolerated) and the options to consider (protocols,
// validator counts, cores per validator, link bandwidths). The search, per protocol:
//   * validators: the smallest candidate n whose protocol tolerates `failures` (Raft and PoA:
//     n >= 2f + 1; PBFT, HotStuff, Tendermint: n >= 3f + 1). More validators only add messages
//     and cost in these protocols, so larger n are not simulated;
//   * bandwidths from the lowest up; at each, cores by bisection over the sorted candidates:
//     first the most cores (if even they fail, this bandwidth cannot meet the levels, and the
//     reason is recorded), then halving the bracket to the fewest cores that meet them. A higher
//     bandwidth never needs more cores than a lower one did, so its bracket starts there; once
//     the fewest candidate cores suffice, higher bandwidths (which cost more) are not tried.
// Both "more cores" and "more bandwidth" are assumed never to hurt (monotone); a configuration
// meets the levels when the mean committed tx/s over the seeds reaches the target and the worst
// seed's p99 stays within it. The evaluator is injected, so the search is tested without
// simulating.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/kernel/result.h"
#include "sim/scenario/scenario.h"

namespace hlsim {

struct ServiceLevels {
  double committed_tps = 0;  // at least
  double p99_ms = 0;         // at most (0: no bound)
  std::uint32_t failures = 0;
};

struct SizeCost {
  double per_node = 1.0;   // per validator
  double per_core = 0.25;  // per core of a validator
  double per_gbps = 0.1;   // per validator, per Gbit/s of link bandwidth
};

struct SizeSpec {
  std::string source;
  std::string base_path;
  std::vector<Override> sets;
  ServiceLevels levels;
  std::vector<std::string> protocols;
  std::vector<std::uint32_t> nodes;    // ascending
  std::vector<std::uint32_t> cores;    // ascending
  std::vector<double> bandwidth_mbps;  // ascending
  SizeCost cost;
  std::vector<std::uint64_t> seeds;
};

// Parses a size file (see README "Sizing"); errors name the file, line and key.
Result<SizeSpec> parse_size_spec(const std::string& text, const std::string& source,
                                 const std::string& base_dir);
Result<SizeSpec> load_size_spec_file(const std::string& path);

struct SizeConfig {
  std::string protocol;
  std::uint32_t nodes = 0;
  std::uint32_t cores = 0;
  double bandwidth_mbps = 0;
};

// What the simulations of one configuration measured, over the seeds.
struct SizeMeasure {
  bool ok = false;           // every run loaded and ran to the end without a violation
  std::string error;         // why not
  double committed_tps = 0;  // mean over the seeds
  double p99_ms = 0;         // worst seed
};

struct SizeCandidate {
  SizeConfig config;
  SizeMeasure measure;
  double cost = 0;
};

struct SizeResult {
  std::vector<SizeCandidate> feasible;  // cheapest first
  // One line per protocol or (protocol, bandwidth) that cannot meet the levels, and why.
  std::vector<std::string> rejected;
  std::size_t evaluations = 0;  // configurations simulated
  std::size_t grid = 0;         // configurations a full grid would have simulated
};

double size_cost(const SizeCost& c, const SizeConfig& config);
bool meets(const ServiceLevels& levels, const SizeMeasure& m);
// Why `m` does not meet the levels, e.g. "p99 1164 ms > 800 ms".
std::string shortfall(const ServiceLevels& levels, const SizeMeasure& m);

using SizeEvaluator = std::function<SizeMeasure(const SizeConfig&)>;
// `max_faulty(protocol, n)`: validators the protocol tolerates at n; -1 when it cannot run at n
// (an unknown protocol, or fewer validators than it needs).
using FaultBound = std::function<std::int64_t(const std::string& protocol, std::uint32_t n)>;

// The search above. `evaluate` may be called from several threads at once (one per protocol).
SizeResult search_sizes(const SizeSpec& spec, const FaultBound& max_faulty,
                        const SizeEvaluator& evaluate);

}  // namespace hlsim
