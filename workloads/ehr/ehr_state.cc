#include "workloads/ehr/ehr_state.h"

#include "ledger/encoding.h"
#include "workloads/state_keys.h"

namespace hlsim::ehr {
std::string record_key(std::uint64_t patient, std::uint64_t record_id) {
  std::string k = "ehr/rec/";
  append_hex(k, patient, 16);
  k.push_back('/');
  append_hex(k, record_id, 16);
  return k;
}

std::string consent_key(std::uint64_t patient, std::uint32_t grantee) {
  std::string k = "ehr/consent/";
  append_hex(k, patient, 16);
  k.push_back('/');
  append_hex(k, grantee, 8);
  return k;
}

std::string audit_key(std::uint64_t patient, std::uint64_t seq) {
  std::string k = "ehr/audit/";
  append_hex(k, patient, 16);
  k.push_back('/');
  append_hex(k, seq, 16);
  return k;
}

std::string audit_next_key(std::uint64_t patient) {
  std::string k = "ehr/audit_next/";
  append_hex(k, patient, 16);
  return k;
}

std::string encode_value(const RecordState& v) {
  Writer w;
  w.i64(v.written_ns);
  w.hash(v.content_hash);
  w.str(v.uri);
  w.u8(static_cast<std::uint8_t>(v.record_type));
  w.bytes(v.meta);
  return to_value(w);
}

std::string encode_value(const ConsentState& v) {
  Writer w;
  w.i64(v.expiry_ns);
  w.u8(v.revoked ? 1 : 0);
  w.u64(v.consent_id);
  w.i64(v.updated_ns);
  return to_value(w);
}

std::string encode_value(const AuditEntry& v) {
  Writer w;
  w.u32(v.requester);
  w.i64(v.time_ns);
  w.u8(static_cast<std::uint8_t>(v.decision));
  w.u8(static_cast<std::uint8_t>(v.purpose));
  w.hash(v.tx_id);
  return to_value(w);
}

std::string encode_seq(std::uint64_t seq) {
  Writer w;
  w.u64(seq);
  return to_value(w);
}

std::optional<RecordState> decode_record_state(std::string_view value) {
  Reader r(as_bytes(value));
  RecordState v;
  std::uint8_t type = 0;
  r.i64(v.written_ns);
  r.hash(v.content_hash);
  r.str(v.uri, kEhrMaxFieldBytes);
  r.u8(type);
  r.bytes(v.meta, kEhrMaxFieldBytes);
  if (!r.done() || type >= kRecordTypeCount) return std::nullopt;
  v.record_type = static_cast<RecordType>(type);
  return v;
}

std::optional<ConsentState> decode_consent_state(std::string_view value) {
  Reader r(as_bytes(value));
  ConsentState v;
  std::uint8_t revoked = 0;
  r.i64(v.expiry_ns);
  r.u8(revoked);
  r.u64(v.consent_id);
  r.i64(v.updated_ns);
  if (!r.done() || revoked > 1) return std::nullopt;
  v.revoked = revoked == 1;
  return v;
}

std::optional<AuditEntry> decode_audit_entry(std::string_view value) {
  Reader r(as_bytes(value));
  AuditEntry v;
  std::uint8_t decision = 0;
  std::uint8_t purpose = 0;
  r.u32(v.requester);
  r.i64(v.time_ns);
  r.u8(decision);
  r.u8(purpose);
  r.hash(v.tx_id);
  if (!r.done() || decision > 1 || purpose >= kPurposeCount) return std::nullopt;
  v.decision = static_cast<AuditDecision>(decision);
  v.purpose = static_cast<Purpose>(purpose);
  return v;
}

std::optional<std::uint64_t> decode_seq(std::string_view value) {
  Reader r(as_bytes(value));
  std::uint64_t seq = 0;
  r.u64(seq);
  if (!r.done()) return std::nullopt;
  return seq;
}

}  // namespace hlsim::ehr
