// Proof of authority's tunable parameters and its registry entry.
//
// PoaParams is the typed form of the `consensus:` keys a scenario may set for protocol "poa";
// poa_protocol_info() declares those keys (with units, bounds and the sources of their defaults),
// checks the combinations single keys cannot, and builds one Poa per validator.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "consensus/registry.h"
#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "sim/kernel/time.h"

namespace hlsim {

// What ctx.commit() means for proof of authority: when a tentative block becomes final.
enum class PoaFinality : std::uint8_t {
  // Final once `confirmations` blocks lie on top of it in the best chain (the probabilistic rule
  // Ethereum clients and exchanges apply to any chain).
  kConfirmations,
  // Final once it and its descendants in the best chain are sealed by more than n/2 distinct
  // authorities (OpenEthereum's RollingFinality for Aura).
  kMajority,
};

const char* to_string(PoaFinality finality);

struct PoaParams {
  // Time is cut into steps of this length; step s = floor(now / step) belongs to authority
  // s mod n (OpenEthereum's Aura engine, `stepDuration`, 5 s by default).
  TimeNs step_duration_ns = 5000 * kNsPerMs;
  // A block carries at most this many transactions / bytes of encoded transactions.
  std::uint32_t max_block_tx = 500;
  std::uint64_t max_block_bytes = 1 << 20;
  // An authority with nothing pending still seals its step (Aura seals empty blocks); with
  // false it skips the step.
  bool seal_empty = true;
  PoaFinality finality = PoaFinality::kMajority;
  // For kConfirmations: blocks on top of a block before it is final.
  std::uint32_t confirmations = 12;
  // Each node broadcasts the client transactions it accepted at most this often, batched.
  TimeNs mempool_gossip_ns = 100 * kNsPerMs;
  // A fetch-reply carries at most this many blocks (a longer gap is fetched in pages).
  std::uint32_t max_fetch_blocks = 64;

  // REQUIRES: values validated against poa_param_specs().
  static PoaParams from(const ParamValues& values);
  // The checks single parameters cannot make (gossip interval below the step).
  Status check() const;
};

const std::vector<ParamSpec>& poa_param_specs();

const ProtocolInfo& poa_protocol_info();

}  // namespace hlsim
