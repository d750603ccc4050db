#include "workloads/supply/supply_metrics.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "workloads/percentile.h"
#include "workloads/supply/supply_epc.h"

namespace hlsim::supply {
namespace {

constexpr std::array<const char*, kCounterfeitKindCount> kTypeNames = {
    "unknown_serial", "double_dispense", "broken_custody"};

// Nearest-rank percentile of sorted samples; 0 when there are none.
double percentile(const std::vector<double>& sorted, double q) {
  return nearest_rank_sorted(sorted, q);
}

double rate_percent(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

void SupplyMetrics::on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) {
  if (tx.kind >= kFirstCounterfeitKind && tx.kind < kKindCount) {
    CounterfeitCounts& c = counterfeits_[tx.kind - kFirstCounterfeitKind];
    ++c.ordered;
    if (outcome == TxOutcome::kDenied) ++c.denied;
    if (outcome == TxOutcome::kApplied) ++c.accepted;
  } else if (outcome == TxOutcome::kDenied) {
    if (tx.kind == static_cast<std::uint16_t>(Kind::kVerify)) {
      ++verify_denied_;
    } else {
      ++honest_denied_;
    }
  }
  // Units and custody follow what the ledger did, whoever drafted it.
  if (outcome == TxOutcome::kApplied) on_applied(tx, commit_ns);
}

void SupplyMetrics::on_applied(const Transaction& tx, TimeNs commit_ns) {
  const std::optional<Op> op = payload_op(tx.payload);
  if (!op) return;
  switch (*op) {
    case Op::kCommission:
      if (const auto p = decode_commission(tx.payload)) {
        units_commissioned_ += p->units.size();
        for (std::uint64_t u : p->units) commissioned_ns_[u] = commit_ns;
      }
      break;
    case Op::kAggregate:
      if (const auto p = decode_aggregate(tx.payload)) {
        std::uint64_t units = 0;
        for (std::uint64_t c : p->children) {
          if (!is_container(c)) {
            ++units;
          } else if (auto it = units_inside_.find(c); it != units_inside_.end()) {
            units += it->second;
          }
        }
        units_inside_[p->parent] = units;
      }
      break;
    case Op::kShip:
      if (const auto p = decode_ship(tx.payload)) in_transit_.insert(p->tree.front().epc);
      break;
    case Op::kReceive:
      if (const auto p = decode_receive(tx.payload)) in_transit_.erase(p->root);
      break;
    case Op::kUnpack:
      if (const auto p = decode_unpack(tx.payload)) units_inside_.erase(p->container);
      break;
    case Op::kDispense:
      if (const auto p = decode_dispense(tx.payload)) {
        ++units_dispensed_;
        if (auto it = commissioned_ns_.find(p->unit); it != commissioned_ns_.end()) {
          custody_ms_.push_back(static_cast<double>(commit_ns - it->second) / kNsPerMs);
          commissioned_ns_.erase(it);
        }
      }
      break;
    case Op::kDecommission:
      if (const auto p = decode_decommission(tx.payload)) {
        if (!is_container(p->epc)) {
          ++units_decommissioned_;
          commissioned_ns_.erase(p->epc);
        } else if (auto it = units_inside_.find(p->epc); it != units_inside_.end()) {
          units_decommissioned_ += it->second;
        }
      }
      break;
    case Op::kVerify:
      break;
  }
}

std::vector<WorkloadFigure> SupplyMetrics::figures() const {
  std::vector<WorkloadFigure> out;
  std::uint64_t ordered = 0;
  std::uint64_t denied = 0;
  for (std::size_t t = 0; t < kCounterfeitKindCount; ++t) {
    const CounterfeitCounts& c = counterfeits_[t];
    const std::string type = kTypeNames[t];
    const std::string kind = "counterfeit_" + type;
    out.push_back({kind + "_ordered", static_cast<double>(c.ordered), "tx",
                   "injected " + type + " counterfeits ordered by the ledger"});
    out.push_back({kind + "_denied", static_cast<double>(c.denied), "tx",
                   "ordered " + type + " counterfeits the contract denied"});
    out.push_back({kind + "_accepted", static_cast<double>(c.accepted), "tx",
                   "ordered " + type + " counterfeits the contract applied (must be 0)"});
    out.push_back({kind + "_detection_rate", rate_percent(c.denied, c.ordered), "%",
                   "denied / ordered " + type + " counterfeits"});
    ordered += c.ordered;
    denied += c.denied;
  }
  out.push_back({"counterfeit_detection_rate", rate_percent(denied, ordered), "%",
                 "denied / ordered counterfeits of all types"});
  out.push_back({"honest_denied", static_cast<double>(honest_denied_), "tx",
                 "honest events other than verify that the contract denied"});
  out.push_back({"verify_denied", static_cast<double>(verify_denied_), "tx",
                 "honest verifications answered not genuine or not active"});
  out.push_back({"units_commissioned", static_cast<double>(units_commissioned_), "",
                 "saleable units commissioned"});
  out.push_back({"units_dispensed", static_cast<double>(units_dispensed_), "",
                 "saleable units dispensed to patients"});
  out.push_back({"units_decommissioned", static_cast<double>(units_decommissioned_), "",
                 "saleable units decommissioned (expired, damaged, ...)"});
  std::vector<double> sorted = custody_ms_;
  std::sort(sorted.begin(), sorted.end());
  out.push_back({"custody_time_p50", percentile(sorted, 0.50), "ms",
                 "commission to dispense of dispensed units, median"});
  out.push_back({"custody_time_p99", percentile(sorted, 0.99), "ms",
                 "commission to dispense of dispensed units, 99th percentile"});
  out.push_back({"shipments_in_transit", static_cast<double>(in_transit_.size()), "",
                 "shipments applied but not received"});
  return out;
}

}  // namespace hlsim::supply
