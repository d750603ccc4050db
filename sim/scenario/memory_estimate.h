// How much memory a run will need, estimated from the scenario alone, so that `hlsim run` can
// refuse a scenario that cannot fit on the machine before spending any time on it.
//
// The model is what dominates a run's resident memory: every validator keeps a trace of every
// committed transaction (its index entries, its protocol's log and its mempool's committed set;
// the decoded blocks, transactions and write sets themselves are shared by all validators), and
// the run keeps a record per transaction (metrics, clients, off-chain documents). Fitted, as an
// upper envelope, to measured peak RSS on this project's reference machine (quick start: 5
// validators x 18,000 tx -> 167 MB; consensus table runs of 12,000 tx: PBFT 16 validators ->
// 196 MB, 64 -> 779 MB; Tendermint 64 -> 274 MB; HotStuff 64 -> 317 MB; PoA 64 -> 327 MB; Raft 64
// -> 226 MB):
// bytes ~ 64 MiB + transactions x 2 KiB + transactions x validators x 1 KiB.
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
inline constexpr double kBytesPerTx = 2.0 * 1024;
inline constexpr double kBytesPerTxPerValidator = 1.0 * 1024;

MemoryEstimate estimate_memory(const Scenario& sc);

}  // namespace hlsim
