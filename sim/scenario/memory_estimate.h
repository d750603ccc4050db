// How much memory a run will need, estimated from the scenario alone, so that `hlsim run` can
// refuse a scenario that cannot fit on the machine before spending any time on it.
//
// The model is what dominates a run's resident memory: every validator keeps every committed
// transaction (in its state, its protocol's log and its mempool's committed set; the decoded
// blocks themselves are shared by all validators), and the metrics keep a record per transaction.
// Fitted, as an upper envelope, to measured peak RSS on this project's reference machine (quick
// start: 5 validators x 18,000 tx -> 186 MB; consensus table runs of 12,000 tx: PBFT 16
// validators -> 232 MB, 64 -> 965 MB; HotStuff 64 -> 534 MB; Raft 64 -> 433 MB):
// bytes ~ 64 MiB + transactions x validators x 1.4 KiB.
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
inline constexpr double kBytesPerTxPerValidator = 1.4 * 1024;

MemoryEstimate estimate_memory(const Scenario& sc);

}  // namespace hlsim
