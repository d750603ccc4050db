// Containment trees as clients know them: a pallet, a case or a loose unit with everything packed
// in it, in the preorder layout a ship event carries (supply_payloads.h Tree). Pure functions.
// REQUIRES for all: a well-formed tree (what decode_ship accepts, or what pack() builds).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/kernel/time.h"
#include "workloads/supply/supply_payloads.h"

namespace hlsim::supply {

// A loose saleable unit.
Tree unit_tree(std::uint64_t epc, std::uint32_t lot, TimeNs expiry_ns);

// A container `parent` holding `children` (each a tree), in that order.
Tree pack(std::uint64_t parent, const std::vector<Tree>& children);

// The root's children, each with its own subtree, in order. Empty for a unit.
std::vector<Tree> child_subtrees(const Tree& tree);

// One past the last node of the subtree starting at node `i`. REQUIRES: i < tree.size().
std::size_t subtree_end(const Tree& tree, std::size_t i);

// 0 for a loose unit, 1 for a case of units, 2 for a pallet of cases, ...
int tree_height(const Tree& tree);

// Saleable units in the tree.
std::size_t units_in(const Tree& tree);

}  // namespace hlsim::supply
