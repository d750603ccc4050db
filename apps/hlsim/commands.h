// The `hlsim` subcommands. Each registers its options on a CLI11 app and returns a runner that
// produces the process exit status:
//   0 success; 1 the run found a problem (safety violation); 2 bad input (nothing was run or
//   written); 130 interrupted (results written, marked incomplete).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace hlsim::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInterrupted = 130;

using Runner = std::function<int()>;

Runner add_run_command(CLI::App& app);
Runner add_list_command(CLI::App& app);
Runner add_crypto_command(CLI::App& app);
Runner add_verify_command(CLI::App& app);
Runner add_calibrate_command(CLI::App& app);
Runner add_fuzz_command(CLI::App& app);
Runner add_sweep_command(CLI::App& app);
Runner add_size_command(CLI::App& app);
Runner add_report_command(CLI::App& app);

// Where named hardware profiles and other shipped data live: $HLSIM_DATA_DIR, else the source
// tree hlsim was built from.
std::string data_dir();

// The machine's physical memory in bytes (MemTotal of /proc/meminfo), 0 when unknown.
double machine_memory_bytes();

}  // namespace hlsim::app
