// The sweep results file (HDF5): every run of the sweep as the single-run layout (h5_writer.h),
// plus tables across runs.
//
//   /runs/<id>           one group per run that produced results, id = its plan index, zero-padded
//                        (so names sort in plan order); the single-run layout, plus attributes
//                        sweep_point (JSON: swept key -> value; numbers as numbers), sweep_seed,
//                        sweep_label ("consensus.nodes=16 seed=2") and sweep_fingerprint (the
//                        run's effective scenario; resuming reuses a run whose fingerprint is
//                        unchanged)
//   /sweep               attributes spec (the sweep file's text), parameters (JSON list of the
//                        swept keys), runs_planned
//   /sweep/runs          one row per planned run: run_id, one column per swept key (float64 when
//                        every value is a number, else a string), seed, status (ok | violation |
//                        incomplete | error | not-run), detail (the error or stop reason),
//                        committed_tps, offered_tps, mean_ms, p50_ms, p99_ms, msgs_per_block,
//                        bytes_per_block, wall_s (float64; NaN without results), blocks,
//                        committed, events (uint64)
//   /sweep/aggregate     one row per point, over its runs with status ok: the swept-key columns,
//                        n, and <m>_mean, <m>_ci95_lo, <m>_ci95_hi for m in committed_tps,
//                        p50_ms, p99_ms, msgs_per_block (Student's t; NaN when n = 0)
//
// Runs finished by a sweep that has not yet assembled its file wait as complete single-run files
// in "<output>.parts/" (each written atomically), named by their fingerprint's hash; assembling
// copies them in and removes the folder. The file itself is written atomically.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/kernel/result.h"
#include "sim/sweep/sweep_spec.h"
#include "sim/sweep/sweep_stats.h"

namespace hlsim {

// Where one run's results are stored: an HDF5 file and the run's group in it.
struct StoredRun {
  std::string file;
  std::string group;  // e.g. "runs/0" in a part file, "runs/0042" in an earlier sweep file
};

// The run groups of an earlier sweep file, by fingerprint. No file: empty. A file that is not an
// hlsim results file: an error naming it.
Result<std::map<std::string, StoredRun>> read_sweep_runs(const std::string& output);

// The part file that holds (or will hold) a run with this fingerprint.
std::string sweep_part_path(const std::string& output, const std::string& fingerprint);
std::string sweep_parts_dir(const std::string& output);

struct SweepEntry {
  std::optional<StoredRun> stored;  // none: the run produced no results
  std::string status;               // used only without results: error | not-run
  std::string detail;
  std::string fingerprint;
};

struct SweepRow {
  std::string run_id;
  std::string status, detail;
  double committed_tps, offered_tps, mean_ms, p50_ms, p99_ms, msgs_per_block, bytes_per_block,
      wall_s;
  std::uint64_t blocks = 0, committed = 0, events = 0;
};

struct SweepAggregate {
  std::size_t point = 0;
  MeanCi committed_tps, p50_ms, p99_ms, msgs_per_block;
};

struct SweepTables {
  std::vector<SweepRow> rows;              // one per planned run
  std::vector<SweepAggregate> aggregates;  // one per point
};

// Assembles `output` from the entries (one per planned run, in plan order): copies each stored
// run in, adds the sweep attributes and tables, and writes the file atomically. Then removes the
// parts folder. Returns the tables it wrote.
Result<SweepTables> write_sweep_file(const std::string& output, const SweepSpec& spec,
                                     const SweepPlan& plan, const std::vector<SweepEntry>& entries);

// The run id of plan index `index` in a plan of `runs` runs ("07" of 12).
std::string sweep_run_id(std::size_t index, std::size_t runs);

}  // namespace hlsim
