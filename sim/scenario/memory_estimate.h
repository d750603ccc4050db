// How much memory a run will need, estimated from the scenario alone, so that `hlsim run` can
// refuse a scenario that cannot fit on the machine before spending any time on it.
//
// The model is what dominates a run's resident memory: every validator keeps every committed
// transaction (in its block store, its state and its protocol's log), and the metrics keep a
// record per transaction. Fitted to measured peak RSS on this project's reference machine
// (quick start: 5 validators x 18,000 tx -> 253 MB; consensus table runs: 16 x 12,000 -> 385 MB,
// 64 x 12,000 -> 1.7 GB):  bytes ~ 64 MiB + transactions x validators x 2.2 KiB.
// Transactions = rate_tps x (duration_s + drain_s), an upper bound for closed loops and traces.
#pragma once

#include <cstdint>

#include "sim/scenario/scenario.h"

namespace hlsim {

struct MemoryEstimate {
  double transactions = 0;  // expected over the run
  double bytes = 0;         // peak resident memory, roughly (double: absurd scenarios overflow)
};

inline constexpr double kBaseBytes = 64.0 * 1024 * 1024;
inline constexpr double kBytesPerTxPerValidator = 2.2 * 1024;

MemoryEstimate estimate_memory(const Scenario& sc);

}  // namespace hlsim
