#include "workloads/supply/supply_payloads.h"

#include <array>

#include "ledger/encoding.h"
#include "workloads/supply/supply_epc.h"

namespace hlsim::supply {
namespace {

constexpr std::array<const char*, kKindCount> kKindNames = {"commission",
                                                            "aggregate",
                                                            "ship",
                                                            "receive",
                                                            "unpack",
                                                            "dispense",
                                                            "decommission",
                                                            "verify",
                                                            "counterfeit_unknown_serial",
                                                            "counterfeit_double_dispense",
                                                            "counterfeit_broken_custody"};

void put_op(Writer& w, Op op) { w.u8(static_cast<std::uint8_t>(op)); }

void put_list(Writer& w, const std::vector<std::uint64_t>& epcs) {
  w.u32(static_cast<std::uint32_t>(epcs.size()));
  for (std::uint64_t e : epcs) w.u64(e);
}

// Reads the operation code and checks it is `op`.
bool get_op(Reader& r, Op op) {
  std::uint8_t code = 0;
  return r.u8(code) && code == static_cast<std::uint8_t>(op);
}

// A u32 count then that many u64s; refuses counts above kMaxEpcsPerEvent or beyond the input.
bool get_list(Reader& r, std::vector<std::uint64_t>& out) {
  std::uint32_t n = 0;
  if (!r.u32(n) || n > kMaxEpcsPerEvent || r.remaining() < std::size_t{n} * 8) return false;
  out.resize(n);
  for (std::uint64_t& e : out) r.u64(e);
  return r.ok();
}

// The smallest encoded node: u64 epc | u32 child_count.
constexpr std::size_t kMinNodeBytes = 12;

void put_tree(Writer& w, const Tree& tree) {
  w.u32(static_cast<std::uint32_t>(tree.size()));
  for (const TreeNode& n : tree) {
    w.u64(n.epc);
    w.u32(n.child_count);
    if (!is_container(n.epc)) {
      w.u32(n.lot);
      w.i64(n.expiry_ns);
    }
  }
}

// Reads a preorder tree and checks its shape: non-empty, saleable units have no children, and
// the child counts account for exactly the nodes present.
bool get_tree(Reader& r, Tree& out) {
  std::uint32_t n = 0;
  if (!r.u32(n) || n == 0 || n > kMaxEpcsPerEvent ||
      r.remaining() < std::size_t{n} * kMinNodeBytes) {
    return false;
  }
  out.resize(n);
  std::uint64_t open = 1;  // nodes still expected
  for (TreeNode& node : out) {
    if (open == 0) return false;  // a node after the tree was complete
    --open;
    r.u64(node.epc);
    r.u32(node.child_count);
    if (!is_container(node.epc)) {
      r.u32(node.lot);
      r.i64(node.expiry_ns);
      if (node.child_count != 0) return false;
    }
    open += node.child_count;
    if (!r.ok()) return false;
  }
  return open == 0;
}

bool get_fill(Reader& r, Bytes& fill) { return r.bytes(fill, kMaxFillBytes); }

}  // namespace

const char* kind_name(std::uint16_t kind) { return kind < kKindCount ? kKindNames[kind] : nullptr; }

std::size_t epc_count(const Commission& p) { return p.units.size(); }
std::size_t epc_count(const Aggregate& p) { return 1 + p.children.size(); }
std::size_t epc_count(const Ship& p) { return p.tree.size(); }

Bytes encode(const Commission& p) {
  Writer w(1 + 4 + 4 + 8 + 4 + 8 * p.units.size() + 4 + p.fill.size());
  put_op(w, Op::kCommission);
  w.u32(p.manufacturer);
  w.u32(p.lot);
  w.i64(p.expiry_ns);
  put_list(w, p.units);
  w.bytes(p.fill);
  return w.take();
}

Bytes encode(const Aggregate& p) {
  Writer w(1 + 4 + 8 + 4 + 8 * p.children.size() + 4 + p.fill.size());
  put_op(w, Op::kAggregate);
  w.u32(p.owner);
  w.u64(p.parent);
  put_list(w, p.children);
  w.bytes(p.fill);
  return w.take();
}

Bytes encode(const Ship& p) {
  Writer w(1 + 4 + 4 + 8 + 4 + 24 * p.tree.size() + 4 + p.fill.size());
  put_op(w, Op::kShip);
  w.u32(p.owner);
  w.u32(p.destination);
  w.u64(p.po);
  put_tree(w, p.tree);
  w.bytes(p.fill);
  return w.take();
}

Bytes encode(const Receive& p) {
  Writer w(1 + 4 + 8 + 4 + p.fill.size());
  put_op(w, Op::kReceive);
  w.u32(p.receiver);
  w.u64(p.root);
  w.bytes(p.fill);
  return w.take();
}

Bytes encode(const Unpack& p) {
  Writer w(1 + 4 + 8 + 4 + p.fill.size());
  put_op(w, Op::kUnpack);
  w.u32(p.owner);
  w.u64(p.container);
  w.bytes(p.fill);
  return w.take();
}

Bytes encode(const Dispense& p) {
  Writer w(1 + 4 + 8 + 4 + p.fill.size());
  put_op(w, Op::kDispense);
  w.u32(p.pharmacy);
  w.u64(p.unit);
  w.bytes(p.fill);
  return w.take();
}

Bytes encode(const Decommission& p) {
  Writer w(1 + 4 + 8 + 1 + 4 + p.fill.size());
  put_op(w, Op::kDecommission);
  w.u32(p.owner);
  w.u64(p.epc);
  w.u8(static_cast<std::uint8_t>(p.reason));
  w.bytes(p.fill);
  return w.take();
}

Bytes encode(const Verify& p) {
  Writer w(1 + 4 + 8 + 4 + 4 + p.fill.size());
  put_op(w, Op::kVerify);
  w.u32(p.requester);
  w.u64(p.epc);
  w.u32(p.lot);
  w.bytes(p.fill);
  return w.take();
}

std::optional<Op> payload_op(ByteView payload) {
  if (payload.empty() || payload[0] >= kOpCount) return std::nullopt;
  return static_cast<Op>(payload[0]);
}

std::optional<Commission> decode_commission(ByteView payload) {
  Reader r(payload);
  Commission p;
  if (!get_op(r, Op::kCommission)) return std::nullopt;
  r.u32(p.manufacturer);
  r.u32(p.lot);
  r.i64(p.expiry_ns);
  if (!get_list(r, p.units) || !get_fill(r, p.fill) || !r.done()) return std::nullopt;
  return p;
}

std::optional<Aggregate> decode_aggregate(ByteView payload) {
  Reader r(payload);
  Aggregate p;
  if (!get_op(r, Op::kAggregate)) return std::nullopt;
  r.u32(p.owner);
  r.u64(p.parent);
  if (!get_list(r, p.children) || !get_fill(r, p.fill) || !r.done()) return std::nullopt;
  return p;
}

std::optional<Ship> decode_ship(ByteView payload) {
  Reader r(payload);
  Ship p;
  if (!get_op(r, Op::kShip)) return std::nullopt;
  r.u32(p.owner);
  r.u32(p.destination);
  r.u64(p.po);
  if (!get_tree(r, p.tree) || !get_fill(r, p.fill) || !r.done()) return std::nullopt;
  return p;
}

std::optional<Receive> decode_receive(ByteView payload) {
  Reader r(payload);
  Receive p;
  if (!get_op(r, Op::kReceive)) return std::nullopt;
  r.u32(p.receiver);
  r.u64(p.root);
  if (!get_fill(r, p.fill) || !r.done()) return std::nullopt;
  return p;
}

std::optional<Unpack> decode_unpack(ByteView payload) {
  Reader r(payload);
  Unpack p;
  if (!get_op(r, Op::kUnpack)) return std::nullopt;
  r.u32(p.owner);
  r.u64(p.container);
  if (!get_fill(r, p.fill) || !r.done()) return std::nullopt;
  return p;
}

std::optional<Dispense> decode_dispense(ByteView payload) {
  Reader r(payload);
  Dispense p;
  if (!get_op(r, Op::kDispense)) return std::nullopt;
  r.u32(p.pharmacy);
  r.u64(p.unit);
  if (!get_fill(r, p.fill) || !r.done()) return std::nullopt;
  return p;
}

std::optional<Decommission> decode_decommission(ByteView payload) {
  Reader r(payload);
  Decommission p;
  std::uint8_t reason = 0;
  if (!get_op(r, Op::kDecommission)) return std::nullopt;
  r.u32(p.owner);
  r.u64(p.epc);
  r.u8(reason);
  if (!get_fill(r, p.fill) || !r.done() || reason >= kDecommissionReasonCount) {
    return std::nullopt;
  }
  p.reason = static_cast<DecommissionReason>(reason);
  return p;
}

std::optional<Verify> decode_verify(ByteView payload) {
  Reader r(payload);
  Verify p;
  if (!get_op(r, Op::kVerify)) return std::nullopt;
  r.u32(p.requester);
  r.u64(p.epc);
  r.u32(p.lot);
  if (!get_fill(r, p.fill) || !r.done()) return std::nullopt;
  return p;
}

std::optional<std::uint64_t> payload_subject(ByteView payload) {
  const std::optional<Op> op = payload_op(payload);
  if (!op) return std::nullopt;
  switch (*op) {
    case Op::kCommission: {
      const auto p = decode_commission(payload);
      if (!p || p->units.empty()) return std::nullopt;
      return p->units.front();
    }
    case Op::kAggregate: {
      const auto p = decode_aggregate(payload);
      if (!p) return std::nullopt;
      return p->parent;
    }
    case Op::kShip: {
      const auto p = decode_ship(payload);
      if (!p) return std::nullopt;
      return p->tree.front().epc;
    }
    case Op::kReceive: {
      const auto p = decode_receive(payload);
      if (!p) return std::nullopt;
      return p->root;
    }
    case Op::kUnpack: {
      const auto p = decode_unpack(payload);
      if (!p) return std::nullopt;
      return p->container;
    }
    case Op::kDispense: {
      const auto p = decode_dispense(payload);
      if (!p) return std::nullopt;
      return p->unit;
    }
    case Op::kDecommission: {
      const auto p = decode_decommission(payload);
      if (!p) return std::nullopt;
      return p->epc;
    }
    case Op::kVerify: {
      const auto p = decode_verify(payload);
      if (!p) return std::nullopt;
      return p->epc;
    }
  }
  return std::nullopt;
}

}  // namespace hlsim::supply
