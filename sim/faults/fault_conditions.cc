#include "sim/faults/fault_conditions.h"

#include <algorithm>

namespace hlsim {
namespace {

bool contains(const std::vector<NodeId>& ids, NodeId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// The group of `node` in a symmetric partition: its index, or groups.size() for "the rest".
std::size_t group_of(const FaultEvent& f, NodeId node) {
  for (std::size_t g = 0; g < f.groups.size(); ++g) {
    if (contains(f.groups[g], node)) return g;
  }
  return f.groups.size();
}

// Whether a link-scoped condition (degrade, duplicate, reorder) applies to from -> to.
bool touches(const FaultEvent& f, NodeId from, NodeId to) {
  return f.nodes.empty() || contains(f.nodes, from) || contains(f.nodes, to);
}

double either(double p, double q) { return p + q * (1.0 - p); }  // 1 - (1 - p)(1 - q)

}  // namespace

bool partition_cuts(const FaultEvent& f, NodeId from, NodeId to) {
  if (f.groups.empty()) return contains(f.from, from) && contains(f.to, to);
  return group_of(f, from) != group_of(f, to);
}

FaultConditions::FaultConditions(std::uint32_t nodes)
    : nodes_(nodes),
      links_(static_cast<std::size_t>(nodes) * nodes),
      cpu_factor_(nodes, 1.0),
      clock_rate_(nodes, 1.0) {}

void FaultConditions::begin(std::size_t index, const std::vector<FaultEvent>& faults) {
  active_.insert(std::upper_bound(active_.begin(), active_.end(), index), index);
  recompute(faults);
}

void FaultConditions::end(std::size_t index, const std::vector<FaultEvent>& faults) {
  const auto it = std::find(active_.begin(), active_.end(), index);
  if (it == active_.end()) return;
  active_.erase(it);
  recompute(faults);
}

void FaultConditions::recompute(const std::vector<FaultEvent>& faults) {
  std::fill(links_.begin(), links_.end(), LinkCondition{});
  std::fill(cpu_factor_.begin(), cpu_factor_.end(), 1.0);
  std::fill(clock_rate_.begin(), clock_rate_.end(), 1.0);
  for (std::size_t i : active_) {
    const FaultEvent& f = faults[i];
    if (f.kind == FaultKind::kByzantine) continue;  // the simulation switches the protocols
    if (f.kind == FaultKind::kSlow || f.kind == FaultKind::kClockDrift) {
      for (NodeId n : f.nodes) {
        if (f.kind == FaultKind::kSlow) {
          cpu_factor_[n] *= f.cpu_factor;
        } else {
          clock_rate_[n] *= f.clock_rate;
        }
      }
      continue;
    }
    for (NodeId from = 0; from < nodes_; ++from) {
      for (NodeId to = 0; to < nodes_; ++to) {
        if (from == to) continue;
        LinkCondition& c = links_[static_cast<std::size_t>(from) * nodes_ + to];
        switch (f.kind) {
          case FaultKind::kPartition:
            c.blocked = c.blocked || partition_cuts(f, from, to);
            break;
          case FaultKind::kDegrade:
            if (!touches(f, from, to)) break;
            c.latency_factor *= f.latency_factor;
            c.bandwidth_factor *= f.bandwidth_factor;
            c.loss = either(c.loss, f.loss);
            break;
          case FaultKind::kDuplicate:
            if (touches(f, from, to)) c.duplicate = either(c.duplicate, f.probability);
            break;
          case FaultKind::kReorder:
            if (!touches(f, from, to)) break;
            c.reorder = either(c.reorder, f.probability);
            c.reorder_max_ns = std::max(c.reorder_max_ns, f.max_delay_ns);
            break;
          default:
            break;
        }
      }
    }
  }
}

}  // namespace hlsim
