// A sweep: one base scenario run over a grid of scenario-key values and seeds (`hlsim sweep`).
//
//   base: ../scenarios/consensus/pbft-n16.yaml   # the scenario every run starts from (path
//                                                # relative to the sweep file)
//   set: {duration_s: 20}                        # fixed overrides, applied to every run
//   grid:                                        # every combination of these values
//     consensus.protocol: [raft, pbft, hotstuff]
//     consensus.nodes: [4, 16]
//   zip:                                         # lists of one length, advanced together (one
//     workload.rate_tps: [100, 400]              # more dimension of the grid)
//     workload.clients: [10, 40]
//   seeds: 3                                     # seeds 1..3, or a list: [7, 8, 9]
//   output: sweep.h5                             # default: <sweep file stem>.h5; relative to
//                                                # the current directory, as hlsim run's
//
// Keys are scenario keys in dotted form (as `hlsim run --set`); values are YAML scalars. A point
// is one combination of grid and zip values; a run is a point and a seed. Runs are numbered in
// a fixed order (grid keys in file order, the last varying fastest, the zip dimension after
// them, seeds innermost), so the plan is a pure function of the sweep file.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/kernel/result.h"
#include "sim/scenario/scenario.h"

namespace hlsim {

struct SweepAxis {
  std::string key;
  std::vector<std::string> values;  // scalars as written
};

struct SweepSpec {
  std::string source;     // the sweep file, for messages
  std::string base_path;  // the base scenario, resolved against the sweep file's directory
  std::vector<Override> sets;
  std::vector<SweepAxis> grid;
  std::vector<SweepAxis> zip;
  std::vector<std::uint64_t> seeds;
  std::string output;  // as given (relative: to the current directory)
  std::string text;    // the sweep file as given
};

// One combination of swept values, in parameter order (grid keys, then zip keys).
using SweepPoint = std::vector<std::string>;

struct SweepRun {
  std::size_t index = 0;  // position in the plan; the run's id in the results file
  std::size_t point = 0;  // index into SweepPlan::points
  std::uint64_t seed = 0;
  // "consensus.nodes=16 consensus.protocol=pbft seed=2": names the run in messages.
  std::string label;
  std::vector<Override> overrides;  // sets, then the point's values, then the seed
};

struct SweepPlan {
  std::vector<std::string> parameters;  // swept keys: grid keys, then zip keys
  std::vector<SweepPoint> points;
  std::vector<SweepRun> runs;
};

// Parses a sweep file's text. `base_dir` resolves relative paths. Errors name the file, key and
// line. Does not look at the base scenario.
Result<SweepSpec> parse_sweep_spec(const std::string& text, const std::string& source,
                                   const std::string& base_dir);
Result<SweepSpec> load_sweep_spec_file(const std::string& path);

// Every run of the sweep, in plan order.
SweepPlan expand_sweep(const SweepSpec& spec);

// The most runs one sweep may plan (a guard against a grid typed with a stray zero).
inline constexpr std::size_t kMaxSweepRuns = 1'000'000;

}  // namespace hlsim
