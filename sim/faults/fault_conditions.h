// The network and node conditions the active faults impose, as the simulation reads them when a
// job finishes: per ordered link, whether it is cut and how it is degraded; per node, its CPU
// factor and clock rate.
//
// Composition of overlapping conditions (each a pure function of the active set, so the order in
// which faults began does not matter):
//   blocked          any active partition separates the pair
//   latency_factor   product;  bandwidth_factor  product
//   loss             1 - prod(1 - loss)
//   duplicate        1 - prod(1 - p)
//   reorder          1 - prod(1 - p), with the largest max delay
//   cpu_factor       product;  clock_rate        product
// With nothing active every link is clean (LinkCondition{}) and every factor 1, so a scenario
// without faults draws no extra random number and behaves exactly as before.
//
// Owned by the simulation's single thread; changed only by fault events.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/faults/fault.h"
#include "sim/network/link_model.h"

namespace hlsim {

class FaultConditions {
 public:
  explicit FaultConditions(std::uint32_t nodes);

  // Starts or ends condition `index` of `faults` (REQUIRES: a condition). Recomputes the tables.
  void begin(std::size_t index, const std::vector<FaultEvent>& faults);
  void end(std::size_t index, const std::vector<FaultEvent>& faults);

  const LinkCondition& link(NodeId from, NodeId to) const {
    return links_[static_cast<std::size_t>(from) * nodes_ + to];
  }
  double cpu_factor(NodeId node) const { return cpu_factor_[node]; }
  double clock_rate(NodeId node) const { return clock_rate_[node]; }
  // How many conditions are active now.
  std::size_t active() const { return active_.size(); }

 private:
  void recompute(const std::vector<FaultEvent>& faults);

  std::uint32_t nodes_;
  std::vector<std::size_t> active_;   // indexes into the scenario's faults, ascending
  std::vector<LinkCondition> links_;  // [from * nodes + to]
  std::vector<double> cpu_factor_;
  std::vector<double> clock_rate_;
};

// Whether `fault` (a partition) cuts messages from `from` to `to`.
bool partition_cuts(const FaultEvent& fault, NodeId from, NodeId to);

}  // namespace hlsim
