// World-state layout of the EHR-sharing contract.
//
// Keys are ASCII; numbers are fixed-width lower-case hex, so the store's byte order lists a
// patient's records, consents and audit entries in numeric order and a prefix scan over
// "ehr/rec/<patient>/" finds exactly that patient's records.
//
//   ehr/rec/<patient:16>/<record_id:16>    -> RecordState    (one per record pointer, append-only)
//   ehr/consent/<patient:16>/<grantee:8>   -> ConsentState   (latest grant for the pair)
//   ehr/audit/<patient:16>/<seq:16>        -> AuditEntry     (one per access_request)
//   ehr/audit_next/<patient:16>            -> u64 next audit seq of the patient (absent means 0)
//
// Values use the canonical encoding (ledger/encoding.h):
//   RecordState  : i64 written_ns | 32-byte content_hash | str uri | u8 record_type | bytes meta
//   ConsentState : i64 expiry_ns | u8 revoked (0/1) | u64 consent_id | i64 updated_ns
//   AuditEntry   : u32 requester | i64 time_ns | u8 decision | u8 purpose | 32-byte tx id
//
// The audit entry is what a FHIR AuditEvent would point to: who asked for which patient's
// record, when (block time), for what purpose, the decision and the transaction that asked.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/bytes.h"
#include "sim/kernel/time.h"
#include "workloads/ehr/ehr_payloads.h"

namespace hlsim::ehr {

std::string record_key(std::uint64_t patient, std::uint64_t record_id);
std::string consent_key(std::uint64_t patient, std::uint32_t grantee);
std::string audit_key(std::uint64_t patient, std::uint64_t seq);
std::string audit_next_key(std::uint64_t patient);

struct RecordState {
  TimeNs written_ns = 0;  // block time of the record_write
  Hash256 content_hash;
  std::string uri;
  RecordType record_type = RecordType::kAmbulatory;
  Bytes meta;
};

struct ConsentState {
  TimeNs expiry_ns = 0;  // access allowed while block time < expiry_ns
  bool revoked = false;
  std::uint64_t consent_id = 0;
  TimeNs updated_ns = 0;  // block time of the last grant or revoke
};

enum class AuditDecision : std::uint8_t { kGranted = 0, kDenied = 1 };

struct AuditEntry {
  std::uint32_t requester = 0;
  TimeNs time_ns = 0;  // block time of the request
  AuditDecision decision = AuditDecision::kDenied;
  Purpose purpose = Purpose::kTreatment;
  Hash256 tx_id;
};

std::string encode_value(const RecordState& v);
std::string encode_value(const ConsentState& v);
std::string encode_value(const AuditEntry& v);
std::string encode_seq(std::uint64_t seq);

// nullopt unless `value` is an exact encoding.
std::optional<RecordState> decode_record_state(std::string_view value);
std::optional<ConsentState> decode_consent_state(std::string_view value);
std::optional<AuditEntry> decode_audit_entry(std::string_view value);
std::optional<std::uint64_t> decode_seq(std::string_view value);

}  // namespace hlsim::ehr
