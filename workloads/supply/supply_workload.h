// The drug supply chain workload: DSCSA track and trace with GS1 EPCIS events (supply_payloads.h),
// judged by SupplyContract (supply_contract.h).
//
// Organisations are the clients, in three roles (supply_epc.h Roles): manufacturers, wholesalers,
// pharmacies. Each draft is one event; a client does the first thing it can, in this order:
//   manufacturer  ship its oldest confirmed pallet to a wholesaler (the first three, the "big
//                 three", take big_wholesaler_share of them, evenly; with no wholesalers, to a
//                 pharmacy) > pack cases_per_pallet confirmed cases into a pallet > pack
//                 units_per_case confirmed units into a case > commission one pallet's units as a
//                 new lot (expiry now + shelf life), while fewer than two pallets' units are in
//                 production > verify
//   wholesaler    receive the oldest inbound shipment > unpack a pallet > ship a case (or a loose
//                 unit) to a pharmacy, Zipf(pharmacy_zipf_s)-popular, the same ranking everywhere
//                 > verify
//   pharmacy      receive > take its oldest loose unit: decommission it if expired (or, with
//                 probability decommission_fraction, as damaged), else dispense it > unpack a case
//                 > verify
// verify is the idle action, of an EPC the client knows from the ledger, preferring the likeliest
// to be still in the supply chain: one it holds (confirmed custody), else one in transit to it,
// else one of its own pending events that keep it in the chain (pack, ship, receive, unpack),
// else one of its newest shipment (a saleable-return check), else a guess from the lot two after
// the newest it saw of a manufacturer (by the generator's convention, lot k holds serials
// k*pallet..(k+1)*pallet-1), else a unit of some manufacturer's first lot. The first three are
// always applied; the others may be answered "not active" or "unknown" (verify_denied).
//
// Knowledge without shared state. A client acts only on what it saw committed: watchers(tx) is
// the signer for every event but verify (so it learns its own outcomes) and, for a ship, also
// the destination, which learns the shipment's contents from the ship's declared tree (the DSCSA
// transaction information). An event that depends on another is drafted only after that one was
// observed applied, so no reordering of pending transactions can make an honest event fail; the
// price is one commit latency per step of the flow. An honest event that is nevertheless not
// applied is dropped from the client's view (dropped_events()).
//
// Injected counterfeits (counterfeit_fraction of drafts, type drawn evenly; a type the client has
// nothing to forge with falls back to an honest draft):
//   counterfeit_unknown_serial   dispense (pharmacies), receive or verify of an EPC with a serial
//                                never issued (supply_epc.h)
//   counterfeit_double_dispense  a pharmacy dispenses again a unit it saw dispensed
//   counterfeit_broken_custody   a shipper re-ships, "receives" or dispenses from a shipment it
//                                saw applied (it is no longer the owner, or the shipment is not
//                                addressed to it), or a pharmacy dispenses from a shipment in
//                                transit to it before receiving it; the pharmacy then holds that
//                                shipment back until it observed the probe's outcome, so the
//                                probe cannot be overtaken by its own receive.
// Each is denied by the contract on the state whatever the order the ledger gives it.
//
// Flow balance (equal per-client arrival rates λ; U = units_per_case u times cases_per_pallet c):
// a manufacturer needs c + 3 events per pallet (commission, c cases, pallet, ship), so makes at
// most U / (c + 3) λ units per second (defaults: 2 λ); a wholesaler c + 2 per pallet (receive,
// unpack, c ships), at most U / (c + 2) λ (2.4 λ); a pharmacy u + 2 per case (receive, unpack, u
// dispenses), at most u / (u + 2) λ (0.67 λ). Supply and demand balance with about
// pharmacies = manufacturers * (U / (c + 3)) / (u / (u + 2)) = 3 per manufacturer at the
// defaults. With more pharmacies, manufacturers are the bottleneck and idle capacity shows as
// verify traffic; with fewer (or a steep pharmacy_zipf_s), stock piles up at the popular
// pharmacies (nothing throttles wholesalers: there are no purchase orders).
//
// next_tx(c, ...) and on_observed(c, ...) touch only client c's state; watchers() is a pure
// function of the transaction.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/kernel/distributions.h"
#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "workloads/supply/supply_params.h"
#include "workloads/supply/supply_payloads.h"
#include "workloads/workload.h"

namespace hlsim::supply {

class SupplyWorkload final : public Workload {
 public:
  // REQUIRES: a config from supply_config().
  explicit SupplyWorkload(const SupplyConfig& config);

  // Kind codes of supply_payloads.h: the eight honest kinds, then the three counterfeit kinds.
  const std::vector<std::string>& kind_names() const override;
  // REQUIRES: client < organisations.
  TxDraft next_tx(ClientId client, TimeNs now_ns, Rng& rng) override;
  std::unique_ptr<Contract> make_contract() const override;
  std::unique_ptr<WorkloadMetrics> make_metrics() const override;
  bool reacts_to_ledger() const override { return true; }
  std::vector<ClientId> watchers(const Transaction& tx) const override;
  void on_observed(ClientId client, const Transaction& tx, TxOutcome outcome,
                   TimeNs now_ns) override;

  const SupplyConfig& config() const { return config_; }
  // Introspection for tests: roots in a client's confirmed custody, inbound shipments it has not
  // yet received, own events awaiting their outcome, honest events it saw fail.
  std::size_t stock_roots(ClientId client) const;
  std::size_t inbound_shipments(ClientId client) const;
  std::size_t pending_events(ClientId client) const;
  std::uint64_t dropped_events(ClientId client) const;

 private:
  // An own event awaiting its outcome, with what the client will hold if it is applied.
  struct Pending {
    Op op = Op::kVerify;
    std::vector<Tree> trees;  // commission: one per unit; otherwise the one tree concerned
  };
  struct ClientState {
    std::uint64_t next_item_serial = 0;
    std::uint64_t next_container_serial = 0;
    std::uint32_t next_lot = 0;
    std::uint64_t next_po = 0;
    std::array<std::deque<Tree>, 3> stock;  // confirmed custody by height (unit, case, pallet+)
    std::deque<Tree> inbound;               // applied shipments to this client, not yet received
    std::set<std::uint64_t> held_back;      // inbound roots waiting for a custody probe's outcome
    std::map<std::uint64_t, std::uint64_t> probes;  // probed unit -> its inbound root
    std::map<std::uint64_t, Pending> pending;       // subject EPC -> own event
    std::uint64_t production_units = 0;             // manufacturer: commissioned, not yet shipped
    std::deque<Tree> shipped;             // recently shipped away (confirmed), newest last
    std::deque<std::uint64_t> dispensed;  // recently dispensed units (confirmed), newest last
    std::map<std::uint32_t, std::uint64_t> newest_serial;  // manufacturer -> newest unit seen
    std::uint64_t dropped = 0;
  };

  // Honest drafts by role.
  TxDraft manufacturer_next(ClientId client, TimeNs now_ns, Rng& rng);
  TxDraft wholesaler_next(ClientId client, Rng& rng);
  TxDraft pharmacy_next(ClientId client, TimeNs now_ns, Rng& rng);
  std::optional<TxDraft> receive_next(ClientId client);
  TxDraft verify_idle(ClientId client, Rng& rng) const;
  std::optional<TxDraft> counterfeit(ClientId client, std::uint16_t type, Rng& rng);

  // Drafts that move trees into `pending`.
  TxDraft commission(ClientId client, TimeNs now_ns);
  TxDraft aggregate(ClientId client, std::deque<Tree>& from, std::size_t count);
  TxDraft ship(ClientId client, Tree tree, std::uint32_t destination);
  TxDraft unpack(ClientId client, Tree tree);
  TxDraft dispense(ClientId client, Tree unit);
  TxDraft decommission(ClientId client, Tree tree, DecommissionReason reason);

  // Own honest event observed: what it was applied to becomes held (or is dropped).
  void settle(ClientState& st, const Transaction& tx, TxOutcome outcome);
  void hold(ClientState& st, Tree tree);

  std::uint32_t pick_wholesaler(Rng& rng) const;
  std::uint32_t pick_pharmacy(Rng& rng) const;
  std::uint64_t unissued_unit(Rng& rng) const;
  template <class P>
  Bytes padded(P& payload, std::size_t epcs) const;

  SupplyConfig config_;
  std::vector<double> wholesaler_weights_;
  double wholesaler_weight_total_ = 0;
  Zipf pharmacy_zipf_;
  std::vector<ClientState> clients_;
};

// The factory the registry uses: checks the values (supply_config) and builds the workload.
Result<std::unique_ptr<Workload>> make_supply_workload(const ParamValues& values,
                                                       const WorkloadSetup& setup);

}  // namespace hlsim::supply
