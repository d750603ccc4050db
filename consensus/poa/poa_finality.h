// Proof of authority's finality rules: which prefix of the best chain a node may commit.
//
//   confirmations  a block is final once at least `confirmations` blocks lie on top of it in the
//                  best chain (the rule Ethereum clients, exchanges and bridges apply; safe only
//                  as long as no branch that long is ever abandoned, which a partition can break).
//   majority       a block is final once it and its descendants in the best chain were sealed by
//                  more than n/2 distinct authorities (OpenEthereum's RollingFinality for Aura:
//                  with an honest majority that never seals on two branches, no other branch can
//                  gather such a majority, so none can overtake it among honest nodes; an honest
//                  authority seals on its best head, so only a network that never lets the fork
//                  choice move it off a branch it sealed on keeps that premise).
// Both are monotone along the chain: if a block is final, so is every ancestor.
#pragma once

#include <cstdint>
#include <vector>

#include "consensus/poa/poa_params.h"
#include "ledger/block.h"

namespace hlsim {

// The height of the highest final block, given the tentative best chain ascending from just above
// the committed head at `root_height` (root_height when no tentative block is final yet).
Height poa_final_height(const std::vector<BlockRef>& best_chain, Height root_height,
                        PoaFinality rule, std::uint32_t confirmations, std::uint32_t nodes);

}  // namespace hlsim
