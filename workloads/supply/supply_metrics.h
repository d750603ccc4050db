// The supply workload's own figures, computed from the ordered stream of committed transactions
// (WorkloadMetrics: each ordered transaction once, in commit order, with the contract's outcome).
//
//   counterfeit_<type>_ordered / _denied / _accepted  injected counterfeits of each type that were
//       ordered, and how the contract judged them (accepted must stay 0); _invalid ones are
//       counted in ordered but neither denied nor accepted
//   counterfeit_<type>_detection_rate, counterfeit_detection_rate  denied / ordered, in %
//   honest_denied       honest events other than verify that were denied (0 in a healthy run)
//   verify_denied       honest verifications answered "not genuine / not active"
//   units_commissioned, units_dispensed, units_decommissioned  saleable units (a decommissioned
//       container counts the units packed in it)
//   custody_time_p50 / _p99  commission commit to dispense commit of dispensed units, in ms of
//       simulated time (nearest rank)
//   shipments_in_transit  applied ships not (yet) followed by an applied receive
//
// Memory: one entry per commissioned-and-not-yet-dispensed unit, per packed container and per
// shipment in transit, plus one sample per dispensed unit.
#pragma once

#include <array>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "workloads/supply/supply_payloads.h"
#include "workloads/workload.h"

namespace hlsim::supply {

class SupplyMetrics final : public WorkloadMetrics {
 public:
  void on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) override;
  std::vector<WorkloadFigure> figures() const override;

 private:
  struct CounterfeitCounts {
    std::uint64_t ordered = 0;
    std::uint64_t denied = 0;
    std::uint64_t accepted = 0;
  };
  void on_applied(const Transaction& tx, TimeNs commit_ns);

  std::array<CounterfeitCounts, kCounterfeitKindCount> counterfeits_{};
  std::uint64_t honest_denied_ = 0;
  std::uint64_t verify_denied_ = 0;
  std::uint64_t units_commissioned_ = 0;
  std::uint64_t units_dispensed_ = 0;
  std::uint64_t units_decommissioned_ = 0;
  // Looked up only, never iterated, so their order cannot reach a result.
  std::unordered_map<std::uint64_t, TimeNs> commissioned_ns_;      // unit -> commit time
  std::unordered_map<std::uint64_t, std::uint64_t> units_inside_;  // container -> units in it
  std::unordered_set<std::uint64_t> in_transit_;                   // shipped roots
  std::vector<double> custody_ms_;                                 // one per dispensed unit
};

}  // namespace hlsim::supply
