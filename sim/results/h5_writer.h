// The results file (HDF5), schema version 1 — documented in the README ("Results file").
//
//   /runs/<run id>/            attributes: scenario (effective YAML), seed, hlsim_version,
//                              schema_version, complete (0/1), stop_reason, protocol, workload,
//                              hardware_profile (YAML), verification_policy, signature_scheme,
//                              storage, [verification_note], summary (JSON, host figures excluded)
//     tx, blocks, nodes, messages, timeseries, leaders, offchain_reads   compound tables (one row
//                              per item)
//     ledger/                  the committed chain of the node that got furthest, for
//                              `hlsim verify`: blocks (uint8, the encodings end to end),
//                              block_offsets (uint64, n + 1), state_roots (uint8, 32 per block),
//                              validator_keys (uint8, encoded public keys); attributes node,
//                              height
//     host/                    attributes that depend on the machine: wall_s, events_per_s,
//                              simulated_s_per_wall_s, verify_real_checks, verify_reused,
//                              verify_skipped
// Everything outside host/ is a pure function of scenario, seed and hlsim version.
//
// The file is written to "<path>.tmp-<pid>" and renamed over <path> only when complete, so a
// reader never sees a half-written file.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "sim/results/summary.h"
#include "sim/run/simulation.h"

namespace H5 {
class H5File;
}  // namespace H5

namespace hlsim {

inline constexpr int kResultsSchemaVersion = 1;

Status write_results_h5(const std::string& path, const std::string& run_id, const Simulation& sim,
                        const RunOutcome& outcome, const RunSummary& summary);

// Builds an HDF5 file in memory with `fill`, then writes it to `path` atomically: nothing is left
// behind on failure (a full disk included). An H5::Exception thrown by `fill` becomes an error
// naming `path`.
Status write_h5_file(const std::string& path, const std::function<void(H5::H5File&)>& fill);

// Writes `text` to path atomically (temporary file + rename).
Status write_text_atomically(const std::string& path, std::string_view text);

}  // namespace hlsim
