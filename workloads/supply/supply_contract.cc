#include "workloads/supply/supply_contract.h"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "workloads/supply/supply_payloads.h"
#include "workloads/supply/supply_state.h"

namespace hlsim::supply {
namespace {

// Longest parent chain followed. Aggregation cannot make cycles (a parent must be new), so this
// only guards against a damaged store; real trees are two or three levels deep.
constexpr int kMaxDepth = 1 << 16;

struct Verdict {
  TxOutcome outcome = TxOutcome::kApplied;
  Reason reason = Reason::kNone;
  std::uint64_t subject = 0;  // the EPC a denial is filed under
};

Verdict applied() { return {}; }
Verdict invalid() { return {TxOutcome::kInvalid, Reason::kNone, 0}; }
Verdict denied(Reason reason, std::uint64_t subject) {
  return {TxOutcome::kDenied, reason, subject};
}

// An EPC and its root (itself when it has no parent).
struct Resolved {
  EpcState node;
  std::uint64_t root_epc = 0;
  EpcState root;
  int depth = 0;  // 0: the EPC is a root
};

// The custody rule: the root's owner is `client`, and it is neither in transit nor retired.
Reason custody(const EpcState& root, std::uint32_t client) {
  if (root.owner != client) return Reason::kNotOwner;
  if (root.status == Status::kInTransit) return Reason::kInTransit;
  if (root.status != Status::kActive) return Reason::kNotActive;
  return Reason::kNone;
}

bool has_duplicates(std::vector<std::uint64_t> epcs) {
  std::sort(epcs.begin(), epcs.end());
  return std::adjacent_find(epcs.begin(), epcs.end()) != epcs.end();
}

// One apply(): reads and counted writes against the state for one transaction.
class Execution {
 public:
  Execution(KvStore& state, const Transaction& tx, TimeNs now_ns, const Roles& roles)
      : state_(state), tx_(tx), now_ns_(now_ns), roles_(roles) {}

  ApplyResult run() {
    const std::optional<Op> op = payload_op(tx_.payload);
    if (tx_.client >= roles_.organisations || !op) return finish(invalid(), Op::kVerify);
    return finish(dispatch(*op), *op);
  }

 private:
  Verdict dispatch(Op op) {
    switch (op) {
      case Op::kCommission:
        return commission();
      case Op::kAggregate:
        return aggregate();
      case Op::kShip:
        return ship();
      case Op::kReceive:
        return receive();
      case Op::kUnpack:
        return unpack();
      case Op::kDispense:
        return dispense();
      case Op::kDecommission:
        return decommission();
      case Op::kVerify:
        return verify();
    }
    return invalid();
  }

  // Denials and verifications append an audit entry under their subject EPC.
  ApplyResult finish(const Verdict& v, Op op) {
    result_.outcome = v.outcome;
    if (v.outcome == TxOutcome::kInvalid) return ApplyResult{TxOutcome::kInvalid, 0, 0};
    if (v.outcome == TxOutcome::kDenied || op == Op::kVerify) {
      const std::string next_key = audit_next_key(v.subject);
      std::uint64_t seq = 0;
      if (const std::optional<std::string> raw = state_.get(next_key)) {
        seq = decode_seq(*raw).value_or(0);
      }
      const AuditEntry entry{
          tx_.client,
          now_ns_,
          op,
          v.outcome == TxOutcome::kApplied ? AuditDecision::kApplied : AuditDecision::kDenied,
          v.reason,
          tx_.id};
      put(audit_key(v.subject, seq), encode_value(entry));
      put(next_key, encode_seq(seq + 1));
    }
    return result_;
  }

  void put(const std::string& key, const std::string& value) {
    state_.put(key, value);
    ++result_.writes;
    result_.written_bytes += key.size() + value.size();
  }
  void store(std::uint64_t epc, const EpcState& v) { put(epc_key(epc), encode_value(v)); }

  // A stored EPC, or nullopt. A value that does not decode counts as absent: only this contract
  // writes these keys, so that can only be a damaged store, and every validator sees the same.
  std::optional<EpcState> load(std::uint64_t epc) const {
    const std::optional<std::string> raw = state_.get(epc_key(epc));
    if (!raw) return std::nullopt;
    return decode_epc_state(*raw);
  }

  std::optional<Resolved> resolve(std::uint64_t epc) const {
    std::optional<EpcState> node = load(epc);
    if (!node) return std::nullopt;
    Resolved r{*node, epc, *node, 0};
    while (r.root.parent != kNoParent) {
      if (++r.depth > kMaxDepth) return std::nullopt;
      r.root_epc = r.root.parent;
      std::optional<EpcState> up = load(r.root_epc);
      if (!up) return std::nullopt;
      r.root = std::move(*up);
    }
    return r;
  }

  Verdict commission() {
    std::optional<Commission> p = decode_commission(tx_.payload);
    if (!p || p->manufacturer != tx_.client || p->units.empty() || has_duplicates(p->units) ||
        p->expiry_ns <= now_ns_) {
      return invalid();
    }
    for (std::uint64_t u : p->units) {
      if (is_container(u) || issuer_of(u) != tx_.client) return invalid();
    }
    if (roles_.of(tx_.client) != Role::kManufacturer) {
      return denied(Reason::kRoleNotAllowed, p->units.front());
    }
    for (std::uint64_t u : p->units) {
      if (state_.get(epc_key(u))) return denied(Reason::kAlreadyExists, u);
    }
    EpcState v;
    v.owner = tx_.client;
    v.lot = p->lot;
    v.expiry_ns = p->expiry_ns;
    v.updated_ns = now_ns_;
    for (std::uint64_t u : p->units) store(u, v);
    return applied();
  }

  Verdict aggregate() {
    std::optional<Aggregate> p = decode_aggregate(tx_.payload);
    if (!p || p->owner != tx_.client || !is_container(p->parent) ||
        issuer_of(p->parent) != tx_.client || p->children.empty() || has_duplicates(p->children) ||
        std::find(p->children.begin(), p->children.end(), p->parent) != p->children.end()) {
      return invalid();
    }
    if (state_.get(epc_key(p->parent))) return denied(Reason::kAlreadyExists, p->parent);
    std::vector<EpcState> children;
    children.reserve(p->children.size());
    for (std::uint64_t c : p->children) {
      std::optional<EpcState> s = load(c);
      if (!s) return denied(Reason::kUnknownEpc, c);
      if (s->parent != kNoParent) return denied(Reason::kInsideContainer, c);
      if (const Reason r = custody(*s, tx_.client); r != Reason::kNone) return denied(r, c);
      children.push_back(std::move(*s));
    }
    EpcState parent;
    parent.owner = tx_.client;
    parent.updated_ns = now_ns_;
    parent.children = p->children;
    store(p->parent, parent);
    for (std::size_t i = 0; i < children.size(); ++i) {
      children[i].parent = p->parent;
      children[i].updated_ns = now_ns_;
      store(p->children[i], children[i]);
    }
    return applied();
  }

  // True when `tree` is, node for node in preorder, the ledger's containment tree under `root`
  // (EPCs, child counts and the units' lots and expiries). Reads one record per node.
  bool contents_match(const Tree& tree, const EpcState& root) const {
    struct Frame {
      std::vector<std::uint64_t> children;
      std::size_t next = 0;
    };
    std::vector<Frame> stack;
    std::size_t i = 0;
    auto visit = [&](std::uint64_t epc, const EpcState& s) {
      if (i >= tree.size()) return false;
      const TreeNode& n = tree[i++];
      if (n.epc != epc || n.child_count != s.children.size()) return false;
      if (!is_container(epc) && (n.lot != s.lot || n.expiry_ns != s.expiry_ns)) return false;
      if (!s.children.empty()) stack.push_back(Frame{s.children, 0});
      return true;
    };
    if (!visit(tree.front().epc, root)) return false;
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next == top.children.size()) {
        stack.pop_back();
        continue;
      }
      const std::uint64_t child = top.children[top.next++];
      const std::optional<EpcState> s = load(child);
      if (!s || !visit(child, *s)) return false;
    }
    return i == tree.size();
  }

  Verdict ship() {
    std::optional<Ship> p = decode_ship(tx_.payload);
    if (!p || p->owner != tx_.client || p->destination >= roles_.organisations ||
        p->destination == tx_.client) {
      return invalid();
    }
    const std::uint64_t root_epc = p->tree.front().epc;
    std::optional<EpcState> root = load(root_epc);
    if (!root) return denied(Reason::kUnknownEpc, root_epc);
    if (root->parent != kNoParent) return denied(Reason::kInsideContainer, root_epc);
    if (const Reason r = custody(*root, tx_.client); r != Reason::kNone) {
      return denied(r, root_epc);
    }
    if (!contents_match(p->tree, *root)) return denied(Reason::kContentsMismatch, root_epc);
    root->status = Status::kInTransit;
    root->destination = p->destination;
    root->updated_ns = now_ns_;
    store(root_epc, *root);
    return applied();
  }

  Verdict receive() {
    std::optional<Receive> p = decode_receive(tx_.payload);
    if (!p || p->receiver != tx_.client) return invalid();
    std::optional<EpcState> root = load(p->root);
    if (!root) return denied(Reason::kUnknownEpc, p->root);
    if (root->parent != kNoParent) return denied(Reason::kInsideContainer, p->root);
    if (root->status != Status::kInTransit) return denied(Reason::kNotInTransit, p->root);
    if (root->destination != tx_.client) return denied(Reason::kNotDestination, p->root);
    root->owner = tx_.client;
    root->status = Status::kActive;
    root->destination = 0;
    root->updated_ns = now_ns_;
    store(p->root, *root);
    return applied();
  }

  Verdict unpack() {
    std::optional<Unpack> p = decode_unpack(tx_.payload);
    if (!p || p->owner != tx_.client || !is_container(p->container)) return invalid();
    std::optional<EpcState> box = load(p->container);
    if (!box) return denied(Reason::kUnknownEpc, p->container);
    if (box->parent != kNoParent) return denied(Reason::kInsideContainer, p->container);
    if (const Reason r = custody(*box, tx_.client); r != Reason::kNone) {
      return denied(r, p->container);
    }
    std::vector<EpcState> children;
    children.reserve(box->children.size());
    for (std::uint64_t c : box->children) {
      std::optional<EpcState> s = load(c);
      if (!s) return denied(Reason::kUnknownEpc, c);  // only a damaged store
      children.push_back(std::move(*s));
    }
    // The freed children become roots and take over the custody their container held.
    for (std::size_t i = 0; i < children.size(); ++i) {
      EpcState& s = children[i];
      s.status = Status::kActive;
      s.owner = box->owner;
      s.destination = 0;
      s.parent = kNoParent;
      s.updated_ns = now_ns_;
      store(box->children[i], s);
    }
    box->status = Status::kUnpacked;
    box->children.clear();
    box->updated_ns = now_ns_;
    store(p->container, *box);
    return applied();
  }

  Verdict dispense() {
    std::optional<Dispense> p = decode_dispense(tx_.payload);
    if (!p || p->pharmacy != tx_.client || is_container(p->unit)) return invalid();
    std::optional<Resolved> r = resolve(p->unit);
    if (!r) return denied(Reason::kUnknownEpc, p->unit);
    if (const Reason c = custody(r->root, tx_.client); c != Reason::kNone) {
      return denied(c, p->unit);
    }
    if (r->depth > 0) return denied(Reason::kInsideContainer, p->unit);
    if (roles_.of(tx_.client) != Role::kPharmacy) {
      return denied(Reason::kRoleNotAllowed, p->unit);
    }
    if (now_ns_ >= r->node.expiry_ns) return denied(Reason::kExpired, p->unit);
    r->node.status = Status::kDispensed;
    r->node.updated_ns = now_ns_;
    store(p->unit, r->node);
    return applied();
  }

  Verdict decommission() {
    std::optional<Decommission> p = decode_decommission(tx_.payload);
    if (!p || p->owner != tx_.client) return invalid();
    std::optional<EpcState> s = load(p->epc);
    if (!s) return denied(Reason::kUnknownEpc, p->epc);
    if (s->parent != kNoParent) return denied(Reason::kInsideContainer, p->epc);
    if (const Reason r = custody(*s, tx_.client); r != Reason::kNone) return denied(r, p->epc);
    s->status = Status::kDecommissioned;
    s->updated_ns = now_ns_;
    store(p->epc, *s);
    return applied();
  }

  Verdict verify() {
    std::optional<Verify> p = decode_verify(tx_.payload);
    if (!p || p->requester != tx_.client) return invalid();
    std::optional<Resolved> r = resolve(p->epc);
    if (!r) return denied(Reason::kUnknownEpc, p->epc);
    if (r->root.status != Status::kActive && r->root.status != Status::kInTransit) {
      return denied(Reason::kNotActive, p->epc);
    }
    if (!is_container(p->epc) && r->node.lot != p->lot) {
      return denied(Reason::kLotMismatch, p->epc);
    }
    return Verdict{TxOutcome::kApplied, Reason::kNone, p->epc};
  }

  KvStore& state_;
  const Transaction& tx_;
  TimeNs now_ns_;
  const Roles& roles_;
  ApplyResult result_;
};

}  // namespace

SupplyContract::SupplyContract(Roles roles) : roles_(roles) {
  if (roles.organisations == 0 || roles.organisations > kMaxOrganisations ||
      roles.manufacturers + roles.wholesalers > roles.organisations) {
    throw std::invalid_argument("SupplyContract: inconsistent organisation roles");
  }
}

ApplyResult SupplyContract::apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) {
  return Execution(state, tx, block_time_ns, roles_).run();
}

}  // namespace hlsim::supply
