// Transaction kinds and payload encodings of the EHR-sharing workload.
//
// The transaction's kind field selects the payload layout; the payload itself carries no kind tag
// (the kind is already covered by the client's signature). All integers are little-endian
// (ledger/encoding.h); `str` and `bytes` are a u32 length followed by the data.
//
//   kind 0 record_write   : u64 patient | u64 record_id | 32-byte content_hash | str uri |
//                           u8 record_type | bytes meta
//   kind 1 consent_grant  : u64 patient | u32 grantee | i64 expiry_ns | u64 consent_id |
//                           bytes scope
//   kind 2 consent_revoke : u64 patient | u32 grantee | u64 consent_id | bytes scope
//   kind 3 access_request : u64 patient | u32 requester | u8 purpose | bytes justification
//
// The trailing `meta`, `scope` and `justification` fields stand for the FHIR resource text a real
// exchange signs along with the pointer (DocumentReference summary, Consent provision, request
// reason); the generator fills them so that payloads have the configured sizes. The contract
// never interprets them.
//
// Decoders accept only an exact encoding: truncated input, trailing bytes, an unknown record
// type or purpose code, and over-long strings (above kEhrMaxFieldBytes) give nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ledger/bytes.h"

namespace hlsim::ehr {

// Kind codes: the index into EhrWorkload::kind_names(). The order is fixed (results files and
// scenario metrics refer to kinds by these codes).
enum class Kind : std::uint16_t {
  kRecordWrite = 0,
  kConsentGrant = 1,
  kConsentRevoke = 2,
  kAccessRequest = 3,
};
inline constexpr std::uint16_t kKindCount = 4;
// "record_write", "consent_grant", "consent_revoke", "access_request"; nullptr if out of range.
const char* kind_name(std::uint16_t kind);

// Type of the off-chain record a pointer refers to: the encounter class it documents, in the
// classes of Synthea's encounter model.
enum class RecordType : std::uint8_t {
  kAmbulatory = 0,
  kWellness = 1,
  kOutpatient = 2,
  kEmergency = 3,
  kInpatient = 4,
  kOther = 5,
};
inline constexpr std::uint8_t kRecordTypeCount = 6;

// Purpose of use of an access request (HL7 v3 PurposeOfUse: TREAT, HPAYMT, HOPERAT, PUBHLTH,
// HRESCH).
enum class Purpose : std::uint8_t {
  kTreatment = 0,
  kPayment = 1,
  kOperations = 2,
  kPublicHealth = 3,
  kResearch = 4,
};
inline constexpr std::uint8_t kPurposeCount = 5;

// Upper bound on any variable-length field, so a hostile length prefix cannot make a decoder
// allocate much.
inline constexpr std::size_t kEhrMaxFieldBytes = 1u << 20;

struct RecordWrite {
  std::uint64_t patient = 0;
  std::uint64_t record_id = 0;  // per writing organisation, from 0
  Hash256 content_hash;         // digest of the off-chain record
  std::string uri;              // where the off-chain record lives
  RecordType record_type = RecordType::kAmbulatory;
  Bytes meta;
};

struct ConsentGrant {
  std::uint64_t patient = 0;
  std::uint32_t grantee = 0;  // organisation being granted access
  std::int64_t expiry_ns = 0;
  std::uint64_t consent_id = 0;  // per granting organisation, from 0
  Bytes scope;
};

struct ConsentRevoke {
  std::uint64_t patient = 0;
  std::uint32_t grantee = 0;
  std::uint64_t consent_id = 0;  // the grant being revoked; informational, the rule keys on grantee
  Bytes scope;
};

struct AccessRequest {
  std::uint64_t patient = 0;
  std::uint32_t requester = 0;  // must equal the submitting client
  Purpose purpose = Purpose::kTreatment;
  Bytes justification;
};

// Encoded sizes of each payload with empty trailing fill (and, for records, an empty URI).
inline constexpr std::size_t kRecordWriteFixedBytes = 8 + 8 + 32 + 4 + 1 + 4;
inline constexpr std::size_t kConsentGrantFixedBytes = 8 + 4 + 8 + 8 + 4;
inline constexpr std::size_t kConsentRevokeFixedBytes = 8 + 4 + 8 + 4;
inline constexpr std::size_t kAccessRequestFixedBytes = 8 + 4 + 1 + 4;

Bytes encode(const RecordWrite& p);
Bytes encode(const ConsentGrant& p);
Bytes encode(const ConsentRevoke& p);
Bytes encode(const AccessRequest& p);

std::optional<RecordWrite> decode_record_write(ByteView payload);
std::optional<ConsentGrant> decode_consent_grant(ByteView payload);
std::optional<ConsentRevoke> decode_consent_revoke(ByteView payload);
std::optional<AccessRequest> decode_access_request(ByteView payload);

}  // namespace hlsim::ehr
