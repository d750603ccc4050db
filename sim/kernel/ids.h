// Identifiers shared by every layer.
//
// A logical process (LP) is anything that owns events: a validator node or a workload client.
// LP ids are dense: validators are 0..n-1, clients follow them (n..n+c-1), so tables indexed by
// LP id stay small and iteration order is fixed.
#pragma once

#include <cstdint>

namespace hlsim {

using NodeId = std::uint32_t;    // a logical process: validator or client
using ClientId = std::uint32_t;  // index of a workload client, 0..c-1
using TimerId = std::uint64_t;   // unique per node for the run; never reused
using Height = std::uint64_t;    // block height; the genesis block has height 0

inline constexpr NodeId kNoNode = 0xFFFF'FFFFu;

}  // namespace hlsim
