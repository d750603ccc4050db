#include "workloads/ehr/ehr_payloads.h"

#include "ledger/encoding.h"

namespace hlsim::ehr {

const char* kind_name(std::uint16_t kind) {
  switch (kind) {
    case static_cast<std::uint16_t>(Kind::kRecordWrite):
      return "record_write";
    case static_cast<std::uint16_t>(Kind::kConsentGrant):
      return "consent_grant";
    case static_cast<std::uint16_t>(Kind::kConsentRevoke):
      return "consent_revoke";
    case static_cast<std::uint16_t>(Kind::kAccessRequest):
      return "access_request";
    default:
      return nullptr;
  }
}

Bytes encode(const RecordWrite& p) {
  Writer w(kRecordWriteFixedBytes + p.uri.size() + p.meta.size());
  w.u64(p.patient);
  w.u64(p.record_id);
  w.hash(p.content_hash);
  w.str(p.uri);
  w.u8(static_cast<std::uint8_t>(p.record_type));
  w.bytes(p.meta);
  return w.take();
}

Bytes encode(const ConsentGrant& p) {
  Writer w(kConsentGrantFixedBytes + p.scope.size());
  w.u64(p.patient);
  w.u32(p.grantee);
  w.i64(p.expiry_ns);
  w.u64(p.consent_id);
  w.bytes(p.scope);
  return w.take();
}

Bytes encode(const ConsentRevoke& p) {
  Writer w(kConsentRevokeFixedBytes + p.scope.size());
  w.u64(p.patient);
  w.u32(p.grantee);
  w.u64(p.consent_id);
  w.bytes(p.scope);
  return w.take();
}

Bytes encode(const AccessRequest& p) {
  Writer w(kAccessRequestFixedBytes + p.justification.size());
  w.u64(p.patient);
  w.u32(p.requester);
  w.u8(static_cast<std::uint8_t>(p.purpose));
  w.bytes(p.justification);
  return w.take();
}

std::optional<RecordWrite> decode_record_write(ByteView payload) {
  Reader r(payload);
  RecordWrite p;
  std::uint8_t type = 0;
  r.u64(p.patient);
  r.u64(p.record_id);
  r.hash(p.content_hash);
  r.str(p.uri, kEhrMaxFieldBytes);
  r.u8(type);
  r.bytes(p.meta, kEhrMaxFieldBytes);
  if (!r.done() || type >= kRecordTypeCount) return std::nullopt;
  p.record_type = static_cast<RecordType>(type);
  return p;
}

std::optional<ConsentGrant> decode_consent_grant(ByteView payload) {
  Reader r(payload);
  ConsentGrant p;
  r.u64(p.patient);
  r.u32(p.grantee);
  r.i64(p.expiry_ns);
  r.u64(p.consent_id);
  r.bytes(p.scope, kEhrMaxFieldBytes);
  if (!r.done()) return std::nullopt;
  return p;
}

std::optional<ConsentRevoke> decode_consent_revoke(ByteView payload) {
  Reader r(payload);
  ConsentRevoke p;
  r.u64(p.patient);
  r.u32(p.grantee);
  r.u64(p.consent_id);
  r.bytes(p.scope, kEhrMaxFieldBytes);
  if (!r.done()) return std::nullopt;
  return p;
}

std::optional<AccessRequest> decode_access_request(ByteView payload) {
  Reader r(payload);
  AccessRequest p;
  std::uint8_t purpose = 0;
  r.u64(p.patient);
  r.u32(p.requester);
  r.u8(purpose);
  r.bytes(p.justification, kEhrMaxFieldBytes);
  if (!r.done() || purpose >= kPurposeCount) return std::nullopt;
  p.purpose = static_cast<Purpose>(purpose);
  return p;
}

}  // namespace hlsim::ehr
