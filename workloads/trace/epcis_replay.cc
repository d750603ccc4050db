#include "workloads/trace/epcis_replay.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <map>
#include <set>

#include "workloads/supply/supply_payloads.h"

namespace hlsim::trace {
namespace {

using supply::Role;

constexpr std::array<const char*, kEpcisKindCount> kKindNames = {
    "commission", "aggregate", "ship",         "receive",
    "unpack",     "dispense",  "decommission", "past_trace_end"};

// A unit without an itemExpirationDate never expires.
constexpr TimeNs kNoExpiry = std::numeric_limits<TimeNs>::max();

enum class Op : std::uint8_t {
  kUnsupported,
  kCommission,
  kAggregate,
  kShip,
  kReceive,
  kUnpack,
  kDispense,
  kDecommission,
};

Op classify(const EpcisEvent& e) {
  const std::string& step = e.biz_step;
  switch (e.type) {
    case EpcisEventType::kObject:
      if (step == "commissioning") {
        return e.action == EpcisAction::kAdd ? Op::kCommission : Op::kUnsupported;
      }
      if (step == "shipping") return Op::kShip;
      if (step == "receiving") return Op::kReceive;
      if (step == "decommissioning" || step == "destroying") return Op::kDecommission;
      if (step == "dispensing" || e.action == EpcisAction::kDelete) return Op::kDispense;
      return Op::kUnsupported;
    case EpcisEventType::kTransaction:
      if (step == "shipping") return Op::kShip;
      if (step == "receiving") return Op::kReceive;
      return Op::kUnsupported;
    case EpcisEventType::kAggregation:
      if (e.action == EpcisAction::kAdd && (step == "packing" || step.empty())) {
        return Op::kAggregate;
      }
      if (e.action == EpcisAction::kDelete && (step == "unpacking" || step.empty())) {
        return Op::kUnpack;
      }
      return Op::kUnsupported;
    case EpcisEventType::kTransformation:
    case EpcisEventType::kAssociation:
      return Op::kUnsupported;
  }
  return Op::kUnsupported;
}

// The first party of `list` of the first of `types` that has one; empty if none.
std::string first_party(const std::vector<EpcisParty>& list,
                        std::initializer_list<std::string_view> types) {
  for (std::string_view type : types) {
    for (const EpcisParty& p : list) {
      if (p.type == type && !p.id.empty()) return p.id;
    }
  }
  return {};
}

std::string first_of(std::initializer_list<std::string> candidates) {
  for (const std::string& c : candidates) {
    if (!c.empty()) return c;
  }
  return {};
}

supply::DecommissionReason reason_of(const std::string& disposition) {
  using R = supply::DecommissionReason;
  if (disposition == "expired") return R::kExpired;
  if (disposition == "damaged") return R::kDamaged;
  if (disposition == "recalled") return R::kRecalled;
  if (disposition == "stolen") return R::kStolen;
  return R::kOther;
}

// An event the mapping places, with its parties resolved to organisation keys.
struct Planned {
  const EpcisEvent* event = nullptr;
  Op op = Op::kUnsupported;
  std::string actor;
  std::string destination;        // ship only
  std::vector<std::string> epcs;  // aggregate: parent first, then the children
};

// Why `e` (mapped to `op`) cannot be placed, or fills `out`.
std::optional<std::string> plan(const EpcisEvent& e, Op op, Planned& out) {
  out.event = &e;
  out.op = op;
  const std::string location = first_of({e.biz_location, e.read_point});
  const std::string source =
      first_party(e.sources, {"owning_party", "possessing_party", "location"});
  std::string actor;
  switch (op) {
    case Op::kShip:
      actor = first_of({source, location});
      out.destination =
          first_party(e.destinations, {"owning_party", "possessing_party", "location"});
      if (out.destination.empty()) return "a shipment needs a destinationList party";
      out.destination = organisation_key(out.destination);
      break;
    case Op::kReceive:
      actor = first_of({first_party(e.destinations, {"owning_party", "possessing_party"}), location,
                        first_party(e.destinations, {"location"})});
      break;
    default:
      actor = first_of({location, source});
      break;
  }
  if (actor.empty()) {
    return "no acting party (bizLocation, readPoint, sourceList or destinationList)";
  }
  out.actor = organisation_key(actor);
  if (op == Op::kAggregate || op == Op::kUnpack) {
    if (e.parent_id.empty()) return "parentID: required to pack or unpack";
    out.epcs.push_back(e.parent_id);
    if (op == Op::kAggregate)
      out.epcs.insert(out.epcs.end(), e.child_epcs.begin(), e.child_epcs.end());
  } else {
    out.epcs = e.epc_list;
    if (e.type == EpcisEventType::kTransaction && !e.parent_id.empty() &&
        std::find(out.epcs.begin(), out.epcs.end(), e.parent_id) == out.epcs.end()) {
      out.epcs.insert(out.epcs.begin(), e.parent_id);
    }
  }
  for (const std::string& epc : out.epcs) {
    if (!is_sscc(epc)) return "'" + epc + "' is neither an SGTIN nor an SSCC";
  }
  return std::nullopt;
}

// Internal moves and quantity-only events are well-formed but have no supply operation.
bool unsupported_shape(const Planned& p) {
  if (p.op == Op::kAggregate) return p.epcs.size() < 2;  // no childEPCs: quantities only
  if (p.op == Op::kUnpack) return false;
  if (p.epcs.empty()) return true;
  if (p.op == Op::kShip) return p.destination == p.actor;
  if (p.op == Op::kReceive) {
    const std::string from =
        first_party(p.event->sources, {"owning_party", "possessing_party", "location"});
    return !from.empty() && organisation_key(from) == p.actor;
  }
  return false;
}

// The document's containment as the replay goes: what a ship must declare.
struct Node {
  std::uint32_t lot = 0;
  TimeNs expiry_ns = kNoExpiry;
  std::uint64_t parent = supply::kNoParent;
  std::vector<std::uint64_t> children;
};

class Mirror {
 public:
  Node& at(std::uint64_t epc) { return nodes_[epc]; }

  // Preorder tree under `root`, as supply's contract compares it.
  supply::Tree tree(std::uint64_t root) {
    supply::Tree out;
    std::vector<std::uint64_t> stack{root};
    while (!stack.empty()) {
      const std::uint64_t epc = stack.back();
      stack.pop_back();
      const Node& n = nodes_[epc];
      const bool unit = !supply::is_container(epc);
      out.push_back(supply::TreeNode{epc, static_cast<std::uint32_t>(n.children.size()),
                                     unit ? n.lot : 0, unit ? n.expiry_ns : 0});
      for (auto it = n.children.rbegin(); it != n.children.rend(); ++it) stack.push_back(*it);
    }
    return out;
  }

  // The listed EPCs that do not sit (at any depth) in another listed one, in list order.
  std::vector<std::uint64_t> roots_of(const std::vector<std::uint64_t>& listed) {
    const std::set<std::uint64_t> set(listed.begin(), listed.end());
    std::vector<std::uint64_t> out;
    for (std::uint64_t epc : listed) {
      bool inside = false;
      for (std::uint64_t up = nodes_[epc].parent; up != supply::kNoParent && !inside;
           up = nodes_[up].parent) {
        inside = set.count(up) > 0;
      }
      if (!inside && std::find(out.begin(), out.end(), epc) == out.end()) out.push_back(epc);
    }
    return out;
  }

 private:
  std::map<std::uint64_t, Node> nodes_;
};

// First-seen numbering of strings, from `first`.
class Numbering {
 public:
  explicit Numbering(std::uint64_t first) : next_(first) {}
  std::uint64_t of(const std::string& s) {
    auto [it, fresh] = ids_.try_emplace(s, next_);
    if (fresh) ++next_;
    return it->second;
  }

 private:
  std::map<std::string, std::uint64_t> ids_;
  std::uint64_t next_;
};

struct Draft {
  std::size_t client = 0;
  TimeNs trace_ns = 0;
  EpcisKind kind = EpcisKind::kCommission;
  Bytes payload;
  std::size_t source = 0;
};

template <class P>
Bytes padded(P& payload, std::size_t epcs, const EpcisReplayOptions& o) {
  const std::size_t target =
      o.event_bytes + std::size_t{o.epc_bytes} * (std::max<std::size_t>(epcs, 1) - 1);
  payload.fill.clear();
  const std::size_t base = supply::encode(payload).size();
  if (target > base) payload.fill.assign(target - base, 0);
  return supply::encode(payload);
}

std::string where(const std::string& file, const EpcisEvent& e) {
  return file + ":" + std::to_string(e.line) + ": eventList[" + std::to_string(e.index) + "] " +
         to_string(e.type) + ": ";
}

}  // namespace

const char* epcis_kind_name(std::uint16_t kind) {
  return kind < kEpcisKindCount ? kKindNames[kind] : nullptr;
}

std::string organisation_key(std::string_view party_id) {
  for (std::string_view prefix : {"urn:epc:id:sgln:", "urn:epc:id:pgln:"}) {
    if (party_id.starts_with(prefix)) {
      const std::string_view rest = party_id.substr(prefix.size());
      const std::string_view company = rest.substr(0, rest.find('.'));
      if (!company.empty()) return std::string(company);
    }
  }
  return std::string(party_id);
}

std::optional<bool> is_sscc(std::string_view epc) {
  if (epc.starts_with("urn:epc:id:sscc:")) return true;
  if (epc.starts_with("urn:epc:id:sgtin:")) return false;
  if (epc.starts_with("http://") || epc.starts_with("https://")) {
    if (epc.find("/00/") != std::string_view::npos) return true;
    if (epc.find("/01/") != std::string_view::npos && epc.find("/21/") != std::string_view::npos) {
      return false;
    }
  }
  return std::nullopt;
}

Result<EpcisReplay> build_epcis_replay(const EpcisDocument& doc, const std::string& file,
                                       const EpcisReplayOptions& options) {
  EpcisReplay r;
  r.events = doc.events.size();
  std::vector<const EpcisEvent*> order;
  order.reserve(doc.events.size());
  for (const EpcisEvent& e : doc.events) order.push_back(&e);
  std::stable_sort(order.begin(), order.end(), [](const EpcisEvent* a, const EpcisEvent* b) {
    return a->event_time_ns < b->event_time_ns;
  });

  // Pass 1: what each event is, who acts, which EPCs are containers.
  std::vector<Planned> planned;
  std::set<std::string> containers;
  for (const EpcisEvent* e : order) {
    const Op op = classify(*e);
    if (op == Op::kUnsupported) {
      ++r.events_unsupported;
      continue;
    }
    Planned p;
    if (std::optional<std::string> bad = plan(*e, op, p)) {
      if (!options.skip_malformed) return Error{where(file, *e) + *bad};
      ++r.events_malformed;
      continue;
    }
    if (unsupported_shape(p)) {
      ++r.events_unsupported;
      continue;
    }
    if (op == Op::kAggregate || op == Op::kUnpack) containers.insert(p.epcs.front());
    planned.push_back(std::move(p));
  }
  auto container = [&](const std::string& epc) {
    return is_sscc(epc).value_or(false) || containers.count(epc) > 0;
  };

  // Pass 2: organisations in order of first appearance, and their roles.
  std::vector<std::string> seen;
  std::map<std::string, std::pair<bool, bool>> commissions_dispenses;
  for (const Planned& p : planned) {
    for (const std::string* party : {&p.actor, &p.destination}) {
      if (party->empty() || commissions_dispenses.count(*party) > 0) continue;
      seen.push_back(*party);
      commissions_dispenses[*party] = {false, false};
    }
    if (p.op == Op::kCommission) commissions_dispenses[p.actor].first = true;
    if (p.op == Op::kDispense) commissions_dispenses[p.actor].second = true;
  }
  if (seen.empty()) return Error{file + ": the document has no event the supply mapping replays"};
  for (const std::string& org : seen) {
    const auto [commissions, dispenses] = commissions_dispenses[org];
    if (commissions && dispenses) {
      return Error{file + ": organisation " + org +
                   " both commissions and dispenses; a supply organisation is a manufacturer or "
                   "a pharmacy, not both"};
    }
  }
  std::map<std::string, std::uint32_t> client_of;
  for (Role role : {Role::kManufacturer, Role::kWholesaler, Role::kPharmacy}) {
    for (const std::string& org : seen) {
      const auto [commissions, dispenses] = commissions_dispenses[org];
      const Role is =
          commissions ? Role::kManufacturer : (dispenses ? Role::kPharmacy : Role::kWholesaler);
      if (is != role) continue;
      client_of[org] = static_cast<std::uint32_t>(r.organisations.size());
      r.organisations.push_back({org, role});
      if (role == Role::kManufacturer) ++r.roles.manufacturers;
      if (role == Role::kWholesaler) ++r.roles.wholesalers;
    }
  }
  r.roles.organisations = static_cast<std::uint32_t>(r.organisations.size());

  // Pass 3: EPC ids (issuer: the creator, else the first event naming it; serial: first seen).
  std::map<std::string, std::string> issuer;
  std::vector<std::string> first_seen;
  for (const Planned& p : planned) {
    if (p.op == Op::kCommission) {
      for (const std::string& epc : p.epcs) {
        if (!container(epc)) issuer.try_emplace(epc, p.actor);
      }
    } else if (p.op == Op::kAggregate) {
      issuer.try_emplace(p.epcs.front(), p.actor);
    }
  }
  std::map<std::string, std::uint64_t> id_of;
  for (const Planned& p : planned) {
    for (const std::string& epc : p.epcs) {
      if (id_of.count(epc) > 0) continue;
      const std::uint32_t org = client_of.at(issuer.try_emplace(epc, p.actor).first->second);
      const std::uint64_t serial = r.epcs.size();
      const std::uint64_t id =
          container(epc) ? supply::make_container(org, serial) : supply::make_item(org, serial);
      id_of[epc] = id;
      r.epcs.emplace_back(epc, id);
    }
  }

  // Pass 4: the drafts, following the document's containment.
  r.trace_start_ns = planned.front().event->event_time_ns;
  auto run_time = [&](TimeNs trace_ns) -> std::optional<TimeNs> {
    const double at = (static_cast<double>(trace_ns) - static_cast<double>(r.trace_start_ns)) /
                      options.time_compression;
    if (!(std::abs(at) < 9.0e18)) return std::nullopt;
    return static_cast<TimeNs>(std::llround(at));
  };
  Mirror mirror;
  Numbering lots(1);
  Numbering pos(1);
  std::vector<Draft> drafts;
  for (const Planned& p : planned) {
    const EpcisEvent& e = *p.event;
    const std::uint32_t actor = client_of.at(p.actor);
    std::vector<std::uint64_t> ids;
    for (const std::string& epc : p.epcs) ids.push_back(id_of.at(epc));
    const std::size_t before = drafts.size();
    auto emit = [&](EpcisKind kind, Bytes payload) {
      drafts.push_back(Draft{actor, e.event_time_ns, kind, std::move(payload), e.index});
    };
    switch (p.op) {
      case Op::kCommission: {
        supply::Commission c;
        c.manufacturer = actor;
        c.lot = e.lot_number.empty() ? 0 : static_cast<std::uint32_t>(lots.of(e.lot_number));
        c.expiry_ns = kNoExpiry;
        if (e.item_expiration_ns) {
          const std::optional<TimeNs> at = run_time(*e.item_expiration_ns);
          if (!at)
            return Error{where(file, e) + "itemExpirationDate: too far for this compression"};
          c.expiry_ns = *at;
        }
        for (std::uint64_t id : ids) {
          if (supply::is_container(id)) continue;
          c.units.push_back(id);
          mirror.at(id).lot = c.lot;
          mirror.at(id).expiry_ns = c.expiry_ns;
        }
        if (c.units.empty()) {
          ++r.events_folded;
          continue;
        }
        const std::size_t n = c.units.size();
        emit(EpcisKind::kCommission, padded(c, n, options));
        break;
      }
      case Op::kAggregate: {
        supply::Aggregate a{actor, ids.front(), {ids.begin() + 1, ids.end()}, {}};
        mirror.at(a.parent).children = a.children;
        for (std::uint64_t child : a.children) mirror.at(child).parent = a.parent;
        const std::size_t n = supply::epc_count(a);
        emit(EpcisKind::kAggregate, padded(a, n, options));
        break;
      }
      case Op::kShip: {
        const std::uint32_t to = client_of.at(p.destination);
        std::uint64_t po = 0;
        for (const EpcisBizTransaction& bt : e.biz_transactions) {
          if (bt.type == "po") po = pos.of(bt.id);
        }
        if (po == 0 && !e.biz_transactions.empty()) po = pos.of(e.biz_transactions.front().id);
        for (std::uint64_t root : mirror.roots_of(ids)) {
          supply::Ship s{actor, to, po, mirror.tree(root), {}};
          const std::size_t n = s.tree.size();
          emit(EpcisKind::kShip, padded(s, n, options));
        }
        break;
      }
      case Op::kReceive:
        for (std::uint64_t root : mirror.roots_of(ids)) {
          supply::Receive v{actor, root, {}};
          emit(EpcisKind::kReceive, padded(v, 1, options));
        }
        break;
      case Op::kUnpack: {
        supply::Unpack u{actor, ids.front(), {}};
        Node& box = mirror.at(u.container);
        for (std::uint64_t child : box.children) mirror.at(child).parent = supply::kNoParent;
        box.children.clear();
        emit(EpcisKind::kUnpack, padded(u, 1, options));
        break;
      }
      case Op::kDispense:
        for (std::uint64_t id : ids) {
          supply::Dispense d{actor, id, {}};
          emit(EpcisKind::kDispense, padded(d, 1, options));
        }
        break;
      case Op::kDecommission:
        for (std::uint64_t root : mirror.roots_of(ids)) {
          supply::Decommission d{actor, root, reason_of(e.disposition), {}};
          emit(EpcisKind::kDecommission, padded(d, 1, options));
        }
        break;
      case Op::kUnsupported:
        break;
    }
    if (drafts.size() > before) ++r.events_replayed;
  }
  if (drafts.empty()) return Error{file + ": the document has no event the supply mapping replays"};

  // Run times, strictly increasing per client.
  r.by_client.resize(r.organisations.size());
  for (Draft& d : drafts) {
    std::optional<TimeNs> at = run_time(d.trace_ns);
    if (!at) {
      return Error{file + ": the document spans too long a time for a run at time_compression " +
                   std::to_string(options.time_compression)};
    }
    std::vector<EpcisReplayEvent>& events = r.by_client[d.client];
    if (!events.empty() && *at <= events.back().at_ns) at = events.back().at_ns + 1;
    events.push_back(EpcisReplayEvent{*at, d.trace_ns, d.kind, std::move(d.payload), d.source});
    r.last_at_ns = std::max(r.last_at_ns, *at);
    ++r.transactions;
  }
  return r;
}

}  // namespace hlsim::trace
