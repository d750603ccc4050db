#include "workloads/supply/supply_state.h"

#include <array>

#include "ledger/encoding.h"
#include "workloads/state_keys.h"

namespace hlsim::supply {
namespace {

constexpr std::array<const char*, kReasonCount> kReasonNames = {
    "none",       "unknown_epc",      "already_exists",   "not_owner",      "not_active",
    "in_transit", "inside_container", "not_destination",  "not_in_transit", "role_not_allowed",
    "expired",    "lot_mismatch",     "contents_mismatch"};

}  // namespace

const char* to_string(Reason r) {
  const auto i = static_cast<std::size_t>(r);
  return i < kReasonNames.size() ? kReasonNames[i] : "?";
}

std::string epc_key(std::uint64_t epc) {
  std::string k = "sup/epc/";
  append_hex(k, epc, 16);
  return k;
}

std::string audit_key(std::uint64_t epc, std::uint64_t seq) {
  std::string k = "sup/audit/";
  append_hex(k, epc, 16);
  k.push_back('/');
  append_hex(k, seq, 16);
  return k;
}

std::string audit_next_key(std::uint64_t epc) {
  std::string k = "sup/audit_next/";
  append_hex(k, epc, 16);
  return k;
}

std::string encode_value(const EpcState& v) {
  Writer w(37 + 8 * v.children.size());
  w.u8(static_cast<std::uint8_t>(v.status));
  w.u32(v.owner);
  w.u32(v.destination);
  w.u64(v.parent);
  w.u32(v.lot);
  w.i64(v.expiry_ns);
  w.i64(v.updated_ns);
  w.u32(static_cast<std::uint32_t>(v.children.size()));
  for (std::uint64_t c : v.children) w.u64(c);
  return to_value(w);
}

std::string encode_value(const AuditEntry& v) {
  Writer w(4 + 8 + 3 + 32);
  w.u32(v.client);
  w.i64(v.time_ns);
  w.u8(static_cast<std::uint8_t>(v.op));
  w.u8(static_cast<std::uint8_t>(v.decision));
  w.u8(static_cast<std::uint8_t>(v.reason));
  w.hash(v.tx_id);
  return to_value(w);
}

std::string encode_seq(std::uint64_t seq) {
  Writer w(8);
  w.u64(seq);
  return to_value(w);
}

std::optional<EpcState> decode_epc_state(std::string_view value) {
  Reader r(as_bytes(value));
  EpcState v;
  std::uint8_t status = 0;
  std::uint32_t n = 0;
  r.u8(status);
  r.u32(v.owner);
  r.u32(v.destination);
  r.u64(v.parent);
  r.u32(v.lot);
  r.i64(v.expiry_ns);
  r.i64(v.updated_ns);
  r.u32(n);
  if (!r.ok() || status >= kStatusCount || n > kMaxEpcsPerEvent ||
      r.remaining() != std::size_t{n} * 8) {
    return std::nullopt;
  }
  v.status = static_cast<Status>(status);
  v.children.resize(n);
  for (std::uint64_t& c : v.children) r.u64(c);
  if (!r.done()) return std::nullopt;
  return v;
}

std::optional<AuditEntry> decode_audit_entry(std::string_view value) {
  Reader r(as_bytes(value));
  AuditEntry v;
  std::uint8_t op = 0;
  std::uint8_t decision = 0;
  std::uint8_t reason = 0;
  r.u32(v.client);
  r.i64(v.time_ns);
  r.u8(op);
  r.u8(decision);
  r.u8(reason);
  r.hash(v.tx_id);
  if (!r.done() || op >= kOpCount || decision > 1 || reason >= kReasonCount) return std::nullopt;
  v.op = static_cast<Op>(op);
  v.decision = static_cast<AuditDecision>(decision);
  v.reason = static_cast<Reason>(reason);
  return v;
}

std::optional<std::uint64_t> decode_seq(std::string_view value) {
  Reader r(as_bytes(value));
  std::uint64_t seq = 0;
  r.u64(seq);
  if (!r.done()) return std::nullopt;
  return seq;
}

}  // namespace hlsim::supply
