#include "workloads/consent/consent_state.h"

#include "ledger/encoding.h"
#include "workloads/state_keys.h"

namespace hlsim::consent {
namespace {

// Reads a 0/1 flag; anything else fails the decode.
bool read_flag(Reader& r, bool& out) {
  std::uint8_t v = 0;
  if (!r.u8(v) || v > 1) return false;
  out = v == 1;
  return true;
}

}  // namespace

std::string trial_key(std::uint32_t trial) {
  std::string k = "consent/trial/";
  append_hex(k, trial, 8);
  return k;
}

std::string site_key(std::uint32_t trial, std::uint32_t site) {
  std::string k = "consent/site/";
  append_hex(k, trial, 8);
  k.push_back('/');
  append_hex(k, site, 8);
  return k;
}

std::string participant_key(std::uint64_t participant) {
  std::string k = "consent/part/";
  append_hex(k, participant, 16);
  return k;
}

std::string viewer_key(std::uint32_t trial, std::uint32_t org) {
  std::string k = "consent/viewer/";
  append_hex(k, trial, 8);
  k.push_back('/');
  append_hex(k, org, 8);
  return k;
}

std::string audit_key(std::uint64_t participant, std::uint64_t seq) {
  std::string k = "consent/audit/";
  append_hex(k, participant, 16);
  k.push_back('/');
  append_hex(k, seq, 16);
  return k;
}

std::string audit_next_key(std::uint64_t participant) {
  std::string k = "consent/audit_next/";
  append_hex(k, participant, 16);
  return k;
}

std::string encode_value(const TrialState& v) {
  Writer w;
  w.u32(v.sponsor);
  w.u32(v.version);
  w.i64(v.registered_ns);
  w.i64(v.amended_ns);
  return to_value(w);
}

std::string encode_value(const SiteState& v) {
  Writer w;
  w.i64(v.activated_ns);
  return to_value(w);
}

std::string encode_value(const ParticipantState& v) {
  Writer w;
  w.u32(v.trial);
  w.u32(v.site);
  w.u32(v.consent_version);
  w.u8(v.withdrawn ? 1 : 0);
  w.i64(v.enrolled_ns);
  w.i64(v.updated_ns);
  return to_value(w);
}

std::string encode_value(const ViewerState& v) {
  Writer w;
  w.u8(v.granted ? 1 : 0);
  w.i64(v.updated_ns);
  return to_value(w);
}

std::string encode_value(const AuditEntry& v) {
  Writer w;
  w.u32(v.reader);
  w.u32(v.trial);
  w.u32(v.consent_version);
  w.i64(v.time_ns);
  w.u8(static_cast<std::uint8_t>(v.decision));
  w.hash(v.tx_id);
  return to_value(w);
}

std::string encode_seq(std::uint64_t seq) {
  Writer w;
  w.u64(seq);
  return to_value(w);
}

std::optional<TrialState> decode_trial_state(std::string_view value) {
  Reader r(as_bytes(value));
  TrialState v;
  r.u32(v.sponsor);
  r.u32(v.version);
  r.i64(v.registered_ns);
  r.i64(v.amended_ns);
  if (!r.done()) return std::nullopt;
  return v;
}

std::optional<SiteState> decode_site_state(std::string_view value) {
  Reader r(as_bytes(value));
  SiteState v;
  r.i64(v.activated_ns);
  if (!r.done()) return std::nullopt;
  return v;
}

std::optional<ParticipantState> decode_participant_state(std::string_view value) {
  Reader r(as_bytes(value));
  ParticipantState v;
  r.u32(v.trial);
  r.u32(v.site);
  r.u32(v.consent_version);
  const bool flag_ok = read_flag(r, v.withdrawn);
  r.i64(v.enrolled_ns);
  r.i64(v.updated_ns);
  if (!flag_ok || !r.done()) return std::nullopt;
  return v;
}

std::optional<ViewerState> decode_viewer_state(std::string_view value) {
  Reader r(as_bytes(value));
  ViewerState v;
  const bool flag_ok = read_flag(r, v.granted);
  r.i64(v.updated_ns);
  if (!flag_ok || !r.done()) return std::nullopt;
  return v;
}

std::optional<AuditEntry> decode_audit_entry(std::string_view value) {
  Reader r(as_bytes(value));
  AuditEntry v;
  std::uint8_t decision = 0;
  r.u32(v.reader);
  r.u32(v.trial);
  r.u32(v.consent_version);
  r.i64(v.time_ns);
  r.u8(decision);
  r.hash(v.tx_id);
  if (!r.done() || decision >= kAccessDecisionCount) return std::nullopt;
  v.decision = static_cast<AccessDecision>(decision);
  return v;
}

std::optional<std::uint64_t> decode_seq(std::string_view value) {
  Reader r(as_bytes(value));
  std::uint64_t seq = 0;
  r.u64(seq);
  if (!r.done()) return std::nullopt;
  return seq;
}

}  // namespace hlsim::consent
