#include "workloads/credentials/credentials_state.h"

#include "ledger/encoding.h"
#include "workloads/state_keys.h"

namespace hlsim::credentials {
namespace {

std::string licence_suffix(std::uint32_t board, std::uint64_t clinician) {
  std::string k;
  append_hex(k, board, 8);
  k.push_back('/');
  append_hex(k, clinician, 16);
  return k;
}

}  // namespace

std::string licence_key(std::uint32_t board, std::uint64_t clinician) {
  return "cred/lic/" + licence_suffix(board, clinician);
}

std::string audit_key(std::uint32_t board, std::uint64_t clinician, std::uint64_t seq) {
  std::string k = "cred/audit/" + licence_suffix(board, clinician);
  k.push_back('/');
  append_hex(k, seq, 16);
  return k;
}

std::string audit_next_key(std::uint32_t board, std::uint64_t clinician) {
  return "cred/audit_next/" + licence_suffix(board, clinician);
}

std::string encode_value(const LicenceState& v) {
  Writer w;
  w.i64(v.issued_ns);
  w.i64(v.expiry_ns);
  w.u8(v.revoked ? 1 : 0);
  w.i64(v.revoked_ns);
  w.u32(v.renewals);
  return to_value(w);
}

std::string encode_value(const VerificationAudit& v) {
  Writer w;
  w.u32(v.hospital);
  w.i64(v.time_ns);
  w.u8(static_cast<std::uint8_t>(v.result));
  w.hash(v.tx_id);
  return to_value(w);
}

std::string encode_seq(std::uint64_t seq) {
  Writer w;
  w.u64(seq);
  return to_value(w);
}

std::optional<LicenceState> decode_licence_state(std::string_view value) {
  Reader r(as_bytes(value));
  LicenceState v;
  std::uint8_t revoked = 0;
  r.i64(v.issued_ns);
  r.i64(v.expiry_ns);
  r.u8(revoked);
  r.i64(v.revoked_ns);
  r.u32(v.renewals);
  if (!r.done() || revoked > 1) return std::nullopt;
  v.revoked = revoked == 1;
  return v;
}

std::optional<VerificationAudit> decode_verification_audit(std::string_view value) {
  Reader r(as_bytes(value));
  VerificationAudit v;
  std::uint8_t result = 0;
  r.u32(v.hospital);
  r.i64(v.time_ns);
  r.u8(result);
  r.hash(v.tx_id);
  if (!r.done() || result >= kVerifyResultCount) return std::nullopt;
  v.result = static_cast<VerifyResult>(result);
  return v;
}

std::optional<std::uint64_t> decode_seq(std::string_view value) {
  Reader r(as_bytes(value));
  std::uint64_t seq = 0;
  r.u64(seq);
  if (!r.done()) return std::nullopt;
  return seq;
}

}  // namespace hlsim::credentials
