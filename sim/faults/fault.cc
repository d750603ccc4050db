#include "sim/faults/fault.h"

#include <sstream>

namespace hlsim {
namespace {

std::string list(const std::vector<NodeId>& ids) {
  std::string s = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) s += (i ? "," : "") + std::to_string(ids[i]);
  return s + "]";
}

std::string number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::string links_of(const std::vector<NodeId>& nodes) {
  return nodes.empty() ? "every link" : "links of " + list(nodes);
}

}  // namespace

const char* fault_key(FaultKind kind) {
  switch (kind) {
    case FaultKind::kCrash:
      return "crash";
    case FaultKind::kRestart:
      return "restart";
    case FaultKind::kPartition:
      return "partition";
    case FaultKind::kDegrade:
      return "degrade";
    case FaultKind::kDuplicate:
      return "duplicate";
    case FaultKind::kReorder:
      return "reorder";
    case FaultKind::kSlow:
      return "slow";
    case FaultKind::kClockDrift:
      return "clock_drift";
    case FaultKind::kByzantine:
      return "byzantine";
  }
  return "?";
}

const std::vector<std::string>& fault_keys() {
  static const std::vector<std::string> keys = {"crash",   "restart",     "partition",
                                                "degrade", "duplicate",   "reorder",
                                                "slow",    "clock_drift", "byzantine"};
  return keys;
}

std::vector<NodeId> FaultEvent::named_nodes() const {
  std::vector<NodeId> out;
  if (node != kNoNode) out.push_back(node);
  for (const auto& g : groups) out.insert(out.end(), g.begin(), g.end());
  out.insert(out.end(), from.begin(), from.end());
  out.insert(out.end(), to.begin(), to.end());
  out.insert(out.end(), nodes.begin(), nodes.end());
  return out;
}

std::string FaultEvent::describe() const {
  std::string s = fault_key(kind);
  switch (kind) {
    case FaultKind::kCrash:
    case FaultKind::kRestart:
      return s + " node " + (node == kNoNode ? symbolic : std::to_string(node));
    case FaultKind::kPartition:
      if (groups.empty()) return s + " one-way " + list(from) + " -> " + list(to);
      for (std::size_t i = 0; i < groups.size(); ++i) {
        s += (i ? " | " : " ") + group_names[i] + "=" + list(groups[i]);
      }
      return s;
    case FaultKind::kDegrade: {
      s += " " + links_of(nodes) + ":";
      if (latency_factor != 1) s += " latency x" + number(latency_factor);
      if (bandwidth_factor != 1) s += " bandwidth x" + number(bandwidth_factor);
      if (loss != 0) s += " loss " + number(loss);
      return s;
    }
    case FaultKind::kDuplicate:
      return s + " " + links_of(nodes) + ": p " + number(probability);
    case FaultKind::kReorder:
      return s + " " + links_of(nodes) + ": p " + number(probability) + ", up to " +
             number(static_cast<double>(max_delay_ns) / 1e6) + " ms";
    case FaultKind::kSlow:
      return s + " " + list(nodes) + ": cpu x" + number(cpu_factor);
    case FaultKind::kClockDrift:
      return s + " " + list(nodes) + ": timers x" + number(clock_rate);
    case FaultKind::kByzantine:
      for (std::size_t i = 0; i < nodes.size() && i < roles.size(); ++i) {
        s += (i ? ", " : " ") + std::to_string(nodes[i]) + ": " + to_string(roles[i]);
      }
      return s;
  }
  return s;
}

}  // namespace hlsim
