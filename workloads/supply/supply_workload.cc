#include "workloads/supply/supply_workload.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <utility>

#include "workloads/supply/supply_contract.h"
#include "workloads/supply/supply_epc.h"
#include "workloads/supply/supply_metrics.h"
#include "workloads/supply/supply_tree.h"

namespace hlsim::supply {
namespace {

// Pallets' worth of units a manufacturer keeps in production (commissioned, not yet shipped):
// two, so that one can be commissioned while the previous one is being packed.
constexpr std::uint64_t kProductionPallets = 2;
// Shipments and dispensed units a client remembers for verifications and counterfeit drafts.
constexpr std::size_t kHistory = 256;
// The "big three" wholesalers.
constexpr std::uint32_t kBigWholesalers = 3;

template <class T>
void remember(std::deque<T>& ring, T value) {
  ring.push_back(std::move(value));
  if (ring.size() > kHistory) ring.pop_front();
}

TxDraft draft(Kind kind, Bytes payload) {
  return TxDraft{static_cast<std::uint16_t>(kind), std::move(payload), nullptr};
}

std::size_t stock_bucket(const Tree& tree) {
  return static_cast<std::size_t>(std::min(tree_height(tree), 2));
}

// Index drawn with probability weights[i] / total. One Rng output.
std::size_t pick_weighted(Rng& rng, const std::vector<double>& weights, double total) {
  const double u = rng.next_double() * total;
  double acc = 0;
  std::size_t last_positive = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0) continue;
    last_positive = i;
    acc += weights[i];
    if (u < acc) return i;
  }
  return last_positive;  // only reached through rounding when u is just below total
}

// A uniformly chosen node of a uniformly chosen tree.
const TreeNode& random_node(const std::deque<Tree>& trees, Rng& rng) {
  const Tree& t = trees[rng.next_below(trees.size())];
  return t[rng.next_below(t.size())];
}

}  // namespace

SupplyWorkload::SupplyWorkload(const SupplyConfig& config)
    : config_(config),
      pharmacy_zipf_(config.roles.pharmacies(), config.pharmacy_zipf_s),
      clients_(config.roles.organisations) {
  const std::uint32_t w = config.roles.wholesalers;
  const std::uint32_t big = std::min(w, kBigWholesalers);
  for (std::uint32_t i = 0; i < w; ++i) {
    double weight = 1.0 / w;  // three or fewer: all are "big", evenly
    if (w > kBigWholesalers) {
      weight = i < big ? config.big_wholesaler_share / big
                       : (1 - config.big_wholesaler_share) / (w - big);
    }
    wholesaler_weights_.push_back(weight);
    wholesaler_weight_total_ += weight;
  }
}

const std::vector<std::string>& SupplyWorkload::kind_names() const {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (std::uint16_t k = 0; k < kKindCount; ++k) n.emplace_back(kind_name(k));
    return n;
  }();
  return names;
}

std::unique_ptr<Contract> SupplyWorkload::make_contract() const {
  return std::make_unique<SupplyContract>(config_.roles);
}

std::unique_ptr<WorkloadMetrics> SupplyWorkload::make_metrics() const {
  return std::make_unique<SupplyMetrics>();
}

std::size_t SupplyWorkload::stock_roots(ClientId client) const {
  const ClientState& st = clients_.at(client);
  return st.stock[0].size() + st.stock[1].size() + st.stock[2].size();
}
std::size_t SupplyWorkload::inbound_shipments(ClientId client) const {
  return clients_.at(client).inbound.size();
}
std::size_t SupplyWorkload::pending_events(ClientId client) const {
  return clients_.at(client).pending.size();
}
std::uint64_t SupplyWorkload::dropped_events(ClientId client) const {
  return clients_.at(client).dropped;
}

// ---- payload construction ----

template <class P>
Bytes SupplyWorkload::padded(P& payload, std::size_t epcs) const {
  const std::size_t target =
      config_.event_bytes + std::size_t{config_.epc_bytes} * (std::max<std::size_t>(epcs, 1) - 1);
  payload.fill.clear();
  const std::size_t base = encode(payload).size();
  if (target > base) payload.fill.assign(target - base, 0);
  return encode(payload);
}

std::uint32_t SupplyWorkload::pick_wholesaler(Rng& rng) const {
  return config_.roles.manufacturers + static_cast<std::uint32_t>(pick_weighted(
                                           rng, wholesaler_weights_, wholesaler_weight_total_));
}

std::uint32_t SupplyWorkload::pick_pharmacy(Rng& rng) const {
  return config_.roles.first_pharmacy() + static_cast<std::uint32_t>(pharmacy_zipf_.sample(rng));
}

std::uint64_t SupplyWorkload::unissued_unit(Rng& rng) const {
  const auto m = static_cast<std::uint32_t>(rng.next_below(config_.roles.manufacturers));
  return make_item(m, kUnissuedSerialBit | (rng.next_u64() & (kUnissuedSerialBit - 1)));
}

// ---- the generator ----

TxDraft SupplyWorkload::next_tx(ClientId client, TimeNs now_ns, Rng& rng) {
  if (client >= config_.roles.organisations) {
    throw std::out_of_range("SupplyWorkload::next_tx: client " + std::to_string(client) +
                            " is not an organisation");
  }
  if (config_.counterfeit_fraction > 0 && rng.bernoulli(config_.counterfeit_fraction)) {
    const auto type = static_cast<std::uint16_t>(rng.next_below(kCounterfeitKindCount));
    if (std::optional<TxDraft> d = counterfeit(client, type, rng)) return std::move(*d);
  }
  switch (config_.roles.of(client)) {
    case Role::kManufacturer:
      return manufacturer_next(client, now_ns, rng);
    case Role::kWholesaler:
      return wholesaler_next(client, rng);
    case Role::kPharmacy:
      return pharmacy_next(client, now_ns, rng);
  }
  throw std::logic_error("SupplyWorkload::next_tx: unknown role");
}

TxDraft SupplyWorkload::manufacturer_next(ClientId client, TimeNs now_ns, Rng& rng) {
  ClientState& st = clients_[client];
  if (!st.stock[2].empty()) {
    Tree pallet = std::move(st.stock[2].front());
    st.stock[2].pop_front();
    const std::uint32_t to =
        config_.roles.wholesalers > 0 ? pick_wholesaler(rng) : pick_pharmacy(rng);
    return ship(client, std::move(pallet), to);
  }
  if (st.stock[1].size() >= config_.cases_per_pallet) {
    return aggregate(client, st.stock[1], config_.cases_per_pallet);
  }
  if (st.stock[0].size() >= config_.units_per_case) {
    return aggregate(client, st.stock[0], config_.units_per_case);
  }
  if (st.production_units + config_.units_per_pallet() <=
      kProductionPallets * config_.units_per_pallet()) {
    return commission(client, now_ns);
  }
  return verify_idle(client, rng);
}

TxDraft SupplyWorkload::wholesaler_next(ClientId client, Rng& rng) {
  ClientState& st = clients_[client];
  if (std::optional<TxDraft> d = receive_next(client)) return std::move(*d);
  if (!st.stock[2].empty()) {
    Tree pallet = std::move(st.stock[2].front());
    st.stock[2].pop_front();
    return unpack(client, std::move(pallet));
  }
  for (std::size_t bucket : {std::size_t{1}, std::size_t{0}}) {
    if (st.stock[bucket].empty()) continue;
    Tree t = std::move(st.stock[bucket].front());
    st.stock[bucket].pop_front();
    return ship(client, std::move(t), pick_pharmacy(rng));
  }
  return verify_idle(client, rng);
}

TxDraft SupplyWorkload::pharmacy_next(ClientId client, TimeNs now_ns, Rng& rng) {
  ClientState& st = clients_[client];
  if (std::optional<TxDraft> d = receive_next(client)) return std::move(*d);
  if (!st.stock[0].empty()) {
    Tree unit = std::move(st.stock[0].front());
    st.stock[0].pop_front();
    if (now_ns >= unit.front().expiry_ns) {
      return decommission(client, std::move(unit), DecommissionReason::kExpired);
    }
    if (config_.decommission_fraction > 0 && rng.bernoulli(config_.decommission_fraction)) {
      return decommission(client, std::move(unit), DecommissionReason::kDamaged);
    }
    return dispense(client, std::move(unit));
  }
  for (std::size_t bucket : {std::size_t{1}, std::size_t{2}}) {
    if (st.stock[bucket].empty()) continue;
    Tree t = std::move(st.stock[bucket].front());
    st.stock[bucket].pop_front();
    return unpack(client, std::move(t));
  }
  return verify_idle(client, rng);
}

std::optional<TxDraft> SupplyWorkload::receive_next(ClientId client) {
  ClientState& st = clients_[client];
  for (auto it = st.inbound.begin(); it != st.inbound.end(); ++it) {
    const std::uint64_t root = it->front().epc;
    if (st.held_back.count(root) != 0) continue;
    Receive p{client, root, {}};
    st.pending[root] = Pending{Op::kReceive, {std::move(*it)}};
    st.inbound.erase(it);
    return draft(Kind::kReceive, padded(p, 1));
  }
  return std::nullopt;
}

TxDraft SupplyWorkload::verify_idle(ClientId client, Rng& rng) const {
  const ClientState& st = clients_[client];
  Verify p{client, 0, 0, {}};
  const auto target = [&p](const TreeNode& n) {
    p.epc = n.epc;
    p.lot = n.lot;
  };
  // Trees of own pending events that stay in the supply chain whatever their outcome.
  std::vector<const Tree*> in_chain;
  for (const auto& [subject, pend] : st.pending) {
    if (pend.op == Op::kAggregate || pend.op == Op::kShip || pend.op == Op::kReceive ||
        pend.op == Op::kUnpack) {
      in_chain.push_back(&pend.trees.front());
    }
  }
  const std::uint32_t per_lot = config_.units_per_pallet();
  if (const std::size_t held = stock_roots(client); held > 0) {
    std::size_t i = rng.next_below(held);
    std::size_t bucket = 0;
    while (i >= st.stock[bucket].size()) i -= st.stock[bucket++].size();
    const Tree& t = st.stock[bucket][i];
    target(t[rng.next_below(t.size())]);
  } else if (!st.inbound.empty()) {
    target(random_node(st.inbound, rng));
  } else if (!in_chain.empty()) {
    const Tree& t = *in_chain[rng.next_below(in_chain.size())];
    target(t[rng.next_below(t.size())]);
  } else if (!st.shipped.empty()) {
    const Tree& t = st.shipped.back();  // the newest is the likeliest to be still in the chain
    target(t[rng.next_below(t.size())]);
  } else if (!st.newest_serial.empty()) {
    // A plausible guess from what it saw: a unit of the lot two after the newest one it saw from
    // a manufacturer (lot k holds serials k * pallet .. (k + 1) * pallet - 1), likely
    // commissioned and still upstream (two lots ahead measured better than one: the next lot's
    // cases have often been dispensed elsewhere already).
    auto it = st.newest_serial.begin();
    std::advance(it, static_cast<std::ptrdiff_t>(rng.next_below(st.newest_serial.size())));
    const std::uint64_t serial = (it->second / per_lot + 2) * per_lot + rng.next_below(per_lot);
    p.epc = make_item(it->first, serial);
    p.lot = static_cast<std::uint32_t>(serial / per_lot);
  } else {
    // Knowing nothing: a unit of some manufacturer's first lot.
    const auto m = static_cast<std::uint32_t>(rng.next_below(config_.roles.manufacturers));
    p.epc = make_item(m, rng.next_below(per_lot));
    p.lot = 0;
  }
  return draft(Kind::kVerify, padded(p, 1));
}

// ---- honest events that wait for their outcome ----

TxDraft SupplyWorkload::commission(ClientId client, TimeNs now_ns) {
  ClientState& st = clients_[client];
  Commission p;
  p.manufacturer = client;
  p.lot = st.next_lot++;
  p.expiry_ns = now_ns + config_.shelf_life_ns;
  Pending pend{Op::kCommission, {}};
  for (std::uint32_t i = 0; i < config_.units_per_pallet(); ++i) {
    const std::uint64_t unit = make_item(client, st.next_item_serial++);
    p.units.push_back(unit);
    pend.trees.push_back(unit_tree(unit, p.lot, p.expiry_ns));
  }
  st.production_units += p.units.size();
  st.pending[p.units.front()] = std::move(pend);
  const std::size_t epcs = epc_count(p);
  return draft(Kind::kCommission, padded(p, epcs));
}

TxDraft SupplyWorkload::aggregate(ClientId client, std::deque<Tree>& from, std::size_t count) {
  ClientState& st = clients_[client];
  Aggregate p;
  p.owner = client;
  p.parent = make_container(client, st.next_container_serial++);
  std::vector<Tree> children;
  for (std::size_t i = 0; i < count; ++i) {
    p.children.push_back(from.front().front().epc);
    children.push_back(std::move(from.front()));
    from.pop_front();
  }
  st.pending[p.parent] = Pending{Op::kAggregate, {pack(p.parent, children)}};
  const std::size_t epcs = epc_count(p);
  return draft(Kind::kAggregate, padded(p, epcs));
}

TxDraft SupplyWorkload::ship(ClientId client, Tree tree, std::uint32_t destination) {
  ClientState& st = clients_[client];
  if (config_.roles.of(client) == Role::kManufacturer) {
    st.production_units -= std::min<std::uint64_t>(st.production_units, units_in(tree));
  }
  Ship p;
  p.owner = client;
  p.destination = destination;
  p.po = st.next_po++;
  p.tree = tree;
  const std::uint64_t root = tree.front().epc;
  st.pending[root] = Pending{Op::kShip, {std::move(tree)}};
  const std::size_t epcs = epc_count(p);
  return draft(Kind::kShip, padded(p, epcs));
}

TxDraft SupplyWorkload::unpack(ClientId client, Tree tree) {
  ClientState& st = clients_[client];
  Unpack p{client, tree.front().epc, {}};
  st.pending[p.container] = Pending{Op::kUnpack, {std::move(tree)}};
  return draft(Kind::kUnpack, padded(p, 1));
}

TxDraft SupplyWorkload::dispense(ClientId client, Tree unit) {
  ClientState& st = clients_[client];
  Dispense p{client, unit.front().epc, {}};
  st.pending[p.unit] = Pending{Op::kDispense, {std::move(unit)}};
  return draft(Kind::kDispense, padded(p, 1));
}

TxDraft SupplyWorkload::decommission(ClientId client, Tree tree, DecommissionReason reason) {
  ClientState& st = clients_[client];
  Decommission p{client, tree.front().epc, reason, {}};
  st.pending[p.epc] = Pending{Op::kDecommission, {std::move(tree)}};
  return draft(Kind::kDecommission, padded(p, 1));
}

// ---- counterfeits ----

std::optional<TxDraft> SupplyWorkload::counterfeit(ClientId client, std::uint16_t type, Rng& rng) {
  ClientState& st = clients_[client];
  const bool pharmacy = config_.roles.of(client) == Role::kPharmacy;
  switch (static_cast<Kind>(kFirstCounterfeitKind + type)) {
    case Kind::kCounterfeitUnknownSerial: {
      const Kind k = Kind::kCounterfeitUnknownSerial;
      switch (rng.next_below(pharmacy ? 3 : 2)) {
        case 0: {
          Verify p{
              client, unissued_unit(rng), static_cast<std::uint32_t>(rng.next_below(1000)), {}};
          return draft(k, padded(p, 1));
        }
        case 1: {
          const auto org = static_cast<std::uint32_t>(rng.next_below(config_.roles.organisations));
          Receive p{
              client,
              make_container(org, kUnissuedSerialBit | (rng.next_u64() & (kUnissuedSerialBit - 1))),
              {}};
          return draft(k, padded(p, 1));
        }
        default: {
          Dispense p{client, unissued_unit(rng), {}};
          return draft(k, padded(p, 1));
        }
      }
    }
    case Kind::kCounterfeitDoubleDispense: {
      if (st.dispensed.empty()) return std::nullopt;
      Dispense p{client, st.dispensed[rng.next_below(st.dispensed.size())], {}};
      return draft(Kind::kCounterfeitDoubleDispense, padded(p, 1));
    }
    case Kind::kCounterfeitBrokenCustody: {
      const Kind k = Kind::kCounterfeitBrokenCustody;
      // Forms 0-2 forge with a shipment this client shipped away; form 3 with one in transit to
      // it (pharmacies only).
      std::vector<int> forms;
      if (!st.shipped.empty()) forms.insert(forms.end(), {0, 1, 2});
      std::vector<std::size_t> open_inbound;
      if (pharmacy) {
        for (std::size_t i = 0; i < st.inbound.size(); ++i) {
          if (st.held_back.count(st.inbound[i].front().epc) == 0) open_inbound.push_back(i);
        }
        if (!open_inbound.empty()) forms.push_back(3);
      }
      if (forms.empty()) return std::nullopt;
      const int form = forms[rng.next_below(forms.size())];
      if (form == 3) {
        const Tree& t = st.inbound[open_inbound[rng.next_below(open_inbound.size())]];
        std::vector<std::uint64_t> units;
        for (const TreeNode& n : t) {
          if (!is_container(n.epc)) units.push_back(n.epc);
        }
        if (units.empty()) return std::nullopt;
        Dispense p{client, units[rng.next_below(units.size())], {}};
        st.held_back.insert(t.front().epc);
        st.probes[p.unit] = t.front().epc;
        return draft(k, padded(p, 1));
      }
      const Tree& t = st.shipped[rng.next_below(st.shipped.size())];
      if (form == 0) {
        const std::uint32_t orgs = config_.roles.organisations;
        Ship p;
        p.owner = client;
        p.destination = static_cast<std::uint32_t>((client + 1 + rng.next_below(orgs - 1)) % orgs);
        p.po = st.next_po++;
        p.tree = t;
        const std::size_t epcs = epc_count(p);
        return draft(k, padded(p, epcs));
      }
      if (form == 1) {
        Receive p{client, t.front().epc, {}};
        return draft(k, padded(p, 1));
      }
      std::vector<std::uint64_t> units;
      for (const TreeNode& n : t) {
        if (!is_container(n.epc)) units.push_back(n.epc);
      }
      if (units.empty()) return std::nullopt;
      Dispense p{client, units[rng.next_below(units.size())], {}};
      return draft(k, padded(p, 1));
    }
    default:
      return std::nullopt;
  }
}

// ---- what the ledger tells a client ----

std::vector<ClientId> SupplyWorkload::watchers(const Transaction& tx) const {
  const std::optional<Op> op = payload_op(tx.payload);
  if (!op || *op == Op::kVerify || tx.client >= config_.roles.organisations) return {};
  if (*op == Op::kShip) {
    const std::optional<Ship> p = decode_ship(tx.payload);
    if (p && p->destination < config_.roles.organisations && p->destination != tx.client) {
      return {tx.client, p->destination};
    }
  }
  return {tx.client};
}

void SupplyWorkload::on_observed(ClientId client, const Transaction& tx, TxOutcome outcome,
                                 TimeNs /*now_ns*/) {
  if (client >= config_.roles.organisations) return;
  ClientState& st = clients_[client];
  if (tx.client == client) {
    if (tx.kind < kFirstCounterfeitKind) {
      settle(st, tx, outcome);
      return;
    }
    // Its own counterfeit: a custody probe's outcome releases the shipment it held back.
    if (const std::optional<Dispense> p = decode_dispense(tx.payload)) {
      if (auto it = st.probes.find(p->unit); it != st.probes.end()) {
        st.held_back.erase(it->second);
        st.probes.erase(it);
      }
    }
    return;
  }
  if (outcome != TxOutcome::kApplied) return;
  if (std::optional<Ship> p = decode_ship(tx.payload); p && p->destination == client) {
    for (const TreeNode& n : p->tree) {
      if (is_container(n.epc)) continue;
      std::uint64_t& newest = st.newest_serial[issuer_of(n.epc)];
      newest = std::max(newest, serial_of(n.epc));
    }
    st.inbound.push_back(std::move(p->tree));
  }
}

void SupplyWorkload::hold(ClientState& st, Tree tree) {
  const std::size_t bucket = stock_bucket(tree);
  st.stock[bucket].push_back(std::move(tree));
}

void SupplyWorkload::settle(ClientState& st, const Transaction& tx, TxOutcome outcome) {
  const std::optional<std::uint64_t> subject = payload_subject(tx.payload);
  if (!subject) return;
  auto it = st.pending.find(*subject);
  if (it == st.pending.end()) return;
  Pending pend = std::move(it->second);
  st.pending.erase(it);
  if (outcome != TxOutcome::kApplied) {
    // The client's view was wrong (or the event came too late, e.g. after expiry): forget what
    // it concerned rather than retry into the same denial.
    ++st.dropped;
    if (pend.op == Op::kCommission || pend.op == Op::kAggregate) {
      std::uint64_t units = 0;
      for (const Tree& t : pend.trees) units += units_in(t);
      st.production_units -= std::min(st.production_units, units);
    }
    return;
  }
  switch (pend.op) {
    case Op::kCommission:
    case Op::kAggregate:
    case Op::kReceive:
      for (Tree& t : pend.trees) hold(st, std::move(t));
      break;
    case Op::kUnpack:
      for (Tree& t : child_subtrees(pend.trees.front())) hold(st, std::move(t));
      break;
    case Op::kShip:
      remember(st.shipped, std::move(pend.trees.front()));
      break;
    case Op::kDispense:
      remember(st.dispensed, pend.trees.front().front().epc);
      break;
    case Op::kDecommission:
    case Op::kVerify:
      break;
  }
}

Result<std::unique_ptr<Workload>> make_supply_workload(const ParamValues& values,
                                                       const WorkloadSetup& setup) {
  Result<SupplyConfig> config = supply_config(values, setup);
  if (!config) return config.error();
  return std::unique_ptr<Workload>(std::make_unique<SupplyWorkload>(*config));
}

}  // namespace hlsim::supply
