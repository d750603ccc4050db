// Several workloads on one ledger (workload.kind: mix): EHR sharing, supply chain and claims side
// by side, as a regional network would carry them.
//
// Every client is an organisation in every component (each component sees all clients). At each
// arrival the client picks a component by weight (one draw from its stream) and drafts that
// component's next transaction. Kinds are renamed "<component>/<kind>" and renumbered in component
// order, so the per-kind table accounts for each separately. On the ledger each component's
// contract runs its own transactions over its own key space: its keys are prefixed with
// "<component>:", so components never see each other's state. Metrics, ledger-watching clients
// and off-chain documents are routed to the component that owns the transaction's kind.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "workloads/workload.h"

namespace hlsim::mix {

// Which component owns a mixed kind code, and the kind code it has there. A value: contracts and
// metrics keep their own copy, so they may outlive the workload (`hlsim verify` keeps only the
// contract).
class KindRouting {
 public:
  void add_component(std::size_t kinds);
  // The component owning mixed kind code `kind`, or -1.
  int component_of(std::uint16_t kind) const;
  // The transaction as component `component` knows it (its own kind code).
  Transaction as_component_tx(const Transaction& tx, int component) const;
  std::uint16_t offset(std::size_t component) const { return offsets_[component]; }

 private:
  std::vector<std::uint16_t> offsets_;  // first mixed kind code of each component
  std::vector<std::size_t> counts_;     // its number of kinds
};

class MixWorkload final : public Workload {
 public:
  struct Component {
    std::string name;
    double weight = 0;
    std::unique_ptr<Workload> workload;
  };
  // REQUIRES: at least one component, weights >= 0 with a positive sum, distinct names.
  explicit MixWorkload(std::vector<Component> components);

  const std::vector<std::string>& kind_names() const override { return kind_names_; }
  TxDraft next_tx(ClientId client, TimeNs now_ns, Rng& rng) override;
  std::unique_ptr<Contract> make_contract() const override;
  std::unique_ptr<WorkloadMetrics> make_metrics() const override;
  std::optional<OffchainPointer> offchain_pointer(const Transaction& tx) const override;
  std::optional<std::uint64_t> offchain_read(const Transaction& tx) const override;
  bool reacts_to_ledger() const override { return reacts_; }
  std::vector<ClientId> watchers(const Transaction& tx) const override;
  void on_observed(ClientId client, const Transaction& tx, TxOutcome outcome,
                   TimeNs now_ns) override;

  const KindRouting& routing() const { return routing_; }

 private:
  int component_of(std::uint16_t kind) const { return routing_.component_of(kind); }
  Transaction as_component_tx(const Transaction& tx, int c) const {
    return routing_.as_component_tx(tx, c);
  }

  std::vector<Component> components_;
  KindRouting routing_;
  std::vector<std::string> kind_names_;
  double weight_total_ = 0;
  bool reacts_ = false;
};

// Builds a mixture from scenario parts. Errors name the key: "workload.mix: ..." for an empty or
// zero-weight mix, a nested mix or a workload with its own timetable; a component's own errors
// are passed on as they are.
Result<std::unique_ptr<Workload>> make_mix_workload(const std::vector<MixPart>& parts,
                                                    const WorkloadSetup& setup);

}  // namespace hlsim::mix
