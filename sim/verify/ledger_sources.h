// Where `hlsim verify` finds ledgers: a node's RocksDB directory, a run's ledger directory holding
// node-<i>/ databases, or a results file (HDF5) whose runs exported their chain.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/kernel/result.h"
#include "sim/verify/ledger_check.h"
#include "workloads/contract.h"

namespace hlsim {

struct LoadedLedger {
  StoredLedger ledger;
  std::string scenario_yaml;  // the run's effective scenario, when recorded
};

// Reads every ledger at `path`. An Error names the path and what it is not.
Result<std::vector<LoadedLedger>> load_ledgers(const std::string& path);

// The workload contract the run executed, rebuilt from its recorded scenario (its seed, workload
// section and validator count). `data_dir` as for load_scenario_file.
Result<std::unique_ptr<Contract>> contract_from_scenario(const std::string& scenario_yaml,
                                                         const std::string& data_dir);

}  // namespace hlsim
