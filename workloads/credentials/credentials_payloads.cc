#include "workloads/credentials/credentials_payloads.h"

#include "ledger/encoding.h"

namespace hlsim::credentials {

const char* kind_name(std::uint16_t kind) {
  switch (kind) {
    case static_cast<std::uint16_t>(Kind::kLicenceIssue):
      return "licence_issue";
    case static_cast<std::uint16_t>(Kind::kRecredential):
      return "recredential";
    case static_cast<std::uint16_t>(Kind::kVerify):
      return "verify";
    case static_cast<std::uint16_t>(Kind::kRevoke):
      return "revoke";
    case static_cast<std::uint16_t>(Kind::kVerifyRevoked):
      return "verify_revoked";
    default:
      return nullptr;
  }
}

bool is_verification_kind(std::uint16_t kind) {
  return kind == static_cast<std::uint16_t>(Kind::kVerify) ||
         kind == static_cast<std::uint16_t>(Kind::kVerifyRevoked);
}

Bytes encode(const LicenceAction& p) {
  Writer w(kLicenceActionFixedBytes + p.details.size());
  w.u64(p.clinician);
  w.u32(p.board);
  w.bytes(p.details);
  return w.take();
}

Bytes encode(const Verification& p) {
  Writer w(kVerificationFixedBytes + p.context.size());
  w.u64(p.clinician);
  w.u32(p.board);
  w.u32(p.hospital);
  w.bytes(p.context);
  return w.take();
}

std::optional<LicenceAction> decode_licence_action(ByteView payload) {
  Reader r(payload);
  LicenceAction p;
  r.u64(p.clinician);
  r.u32(p.board);
  r.bytes(p.details, kCredentialsMaxFieldBytes);
  if (!r.done()) return std::nullopt;
  return p;
}

std::optional<Verification> decode_verification(ByteView payload) {
  Reader r(payload);
  Verification p;
  r.u64(p.clinician);
  r.u32(p.board);
  r.u32(p.hospital);
  r.bytes(p.context, kCredentialsMaxFieldBytes);
  if (!r.done()) return std::nullopt;
  return p;
}

}  // namespace hlsim::credentials
