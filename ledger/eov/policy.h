// Endorsement policies of the execute-order-validate pipeline: which organisations must endorse a
// transaction before the committing peers accept it.
//
// The text syntax is Fabric's signature-policy syntax over organisation names:
//   policy := AND(policy, ...) | OR(policy, ...) | OutOf(k, policy, ...) | org
//   org    := 'name' | "name" | name        (name: letters, digits, '_', '-', '.')
// AND(a, b) needs every operand, OR(a, b) any one, OutOf(k, ...) any k of them. A name must be one
// of the organisations the policy is parsed against. Examples: "AND('hospital', 'insurer')",
// "OutOf(2, 'hospital', 'insurer', 'regulator')", "OR('pharmacy', AND('hospital', 'regulator'))".
//
// A policy is satisfied by the set of organisations that gave a valid endorsement (the peer
// checks each endorsement's signature first; an organisation counts once however many of its
// peers endorsed).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/kernel/result.h"

namespace hlsim {

using OrgIndex = std::uint32_t;

class EndorsementPolicy {
 public:
  // Parses `text` against organisation names `orgs` (index = OrgIndex). An error names the
  // position and what was expected, or the unknown organisation.
  static Result<EndorsementPolicy> parse(std::string_view text,
                                         const std::vector<std::string>& orgs);

  // True when the organisations with endorsed[o] set satisfy the policy. Organisations beyond
  // endorsed.size() count as not endorsing.
  bool satisfied(const std::vector<bool>& endorsed) const;

  // A small set of organisations that satisfies the policy, in increasing order: AND takes the
  // union of its operands' sets, OR the smallest operand set, OutOf(k) the k smallest. Ties go to
  // the set containing `preferred` (a client asks its own organisation first), then, with salt 0,
  // to the lexicographically smaller set; with another salt, to an order the salt picks among the
  // equally good sets, so that varying the salt per proposal spreads endorsements evenly over
  // them (as Fabric's gateway spreads load). Deterministic in (preferred, salt).
  std::vector<OrgIndex> choose_endorsers(OrgIndex preferred, std::uint64_t salt = 0) const;

  // Every organisation the policy names, in increasing order.
  std::vector<OrgIndex> named_orgs() const;
  // The canonical text, e.g. "OutOf(2, 'hospital', 'insurer')"; parse(to_string()) gives an equal
  // policy.
  std::string to_string(const std::vector<std::string>& orgs) const;

  // One node of the policy tree: an organisation (children empty) or a threshold k of children.
  struct Node {
    OrgIndex org = 0;
    std::uint32_t k = 0;  // 0 for an organisation leaf
    std::vector<Node> children;
    bool operator==(const Node&) const = default;
  };
  const Node& root() const { return root_; }
  bool operator==(const EndorsementPolicy&) const = default;

 private:
  Node root_;
};

}  // namespace hlsim
