// World-state layout of the drug supply chain contract.
//
// Keys are ASCII; numbers are fixed-width lower-case hex, so byte order is numeric order:
//
//   sup/epc/<epc:16>                -> EpcState    (one per commissioned unit or packed container)
//   sup/audit/<epc:16>/<seq:16>     -> AuditEntry  (every verify, and every denied event, filed
//                                                   under the EPC it was about)
//   sup/audit_next/<epc:16>         -> u64 next audit seq of the EPC (absent means 0)
//
// Derived custody. Only a root (an EPC with no parent container) carries authoritative status,
// owner and in-transit destination; the fields of an EPC inside a container are stale, and its
// effective status and owner are its root's. So ship, receive and decommission of a pallet write
// one record, not one per unit; aggregate writes each child's parent link (as EPCIS does), and
// unpack writes each freed child's status and owner back from its former parent's.
//
// Values use the canonical encoding (ledger/encoding.h):
//   EpcState   : u8 status | u32 owner | u32 destination | u64 parent | u32 lot | i64 expiry_ns |
//                i64 updated_ns | u32 child_count | child_count x u64 child
//   AuditEntry : u32 client | i64 time_ns | u8 op | u8 decision | u8 reason | 32-byte tx id
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/bytes.h"
#include "sim/kernel/time.h"
#include "workloads/supply/supply_epc.h"
#include "workloads/supply/supply_payloads.h"

namespace hlsim::supply {

enum class Status : std::uint8_t {
  kActive = 0,          // in its owner's custody, in the supply chain
  kInTransit = 1,       // shipped to `destination`, not yet received (the shipper still owns it)
  kDispensed = 2,       // dispensed to a patient (saleable units only); retired
  kDecommissioned = 3,  // taken out by its owner (expired, damaged, recalled, ...); retired
  kUnpacked = 4,        // a container that was disaggregated; its SSCC is retired
};
inline constexpr std::uint8_t kStatusCount = 5;

struct EpcState {
  Status status = Status::kActive;
  std::uint32_t owner = 0;
  std::uint32_t destination = 0;  // meaningful while kInTransit
  std::uint64_t parent = kNoParent;
  std::uint32_t lot = 0;                // saleable units (containers: 0)
  TimeNs expiry_ns = 0;                 // saleable units (containers: 0)
  TimeNs updated_ns = 0;                // block time of the last change to this record
  std::vector<std::uint64_t> children;  // containers; emptied by unpack
  friend bool operator==(const EpcState&, const EpcState&) = default;
};

// Why the contract said no; also written into audit entries. kNone for applied events.
enum class Reason : std::uint8_t {
  kNone = 0,
  kUnknownEpc = 1,         // never commissioned / packed
  kAlreadyExists = 2,      // commission or pack of an EPC that exists
  kNotOwner = 3,           // the signer does not own it (effective owner, see derived custody)
  kNotActive = 4,          // dispensed, decommissioned or unpacked
  kInTransit = 5,          // shipped and not yet received
  kInsideContainer = 6,    // not a root: unpack its container first
  kNotDestination = 7,     // receive by someone other than the shipment's destination
  kNotInTransit = 8,       // receive of something that is not in transit
  kRoleNotAllowed = 9,     // commission by a non-manufacturer, dispense by a non-pharmacy
  kExpired = 10,           // dispense at or after the unit's expiry
  kLotMismatch = 11,       // verify with a lot that is not the unit's
  kContentsMismatch = 12,  // a ship whose declared tree is not the ledger's containment tree
};
inline constexpr std::uint8_t kReasonCount = 13;
const char* to_string(Reason r);

enum class AuditDecision : std::uint8_t { kApplied = 0, kDenied = 1 };

struct AuditEntry {
  std::uint32_t client = 0;
  TimeNs time_ns = 0;  // block time
  Op op = Op::kVerify;
  AuditDecision decision = AuditDecision::kDenied;
  Reason reason = Reason::kNone;
  Hash256 tx_id;
  friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

std::string epc_key(std::uint64_t epc);
std::string audit_key(std::uint64_t epc, std::uint64_t seq);
std::string audit_next_key(std::uint64_t epc);

std::string encode_value(const EpcState& v);
std::string encode_value(const AuditEntry& v);
std::string encode_seq(std::uint64_t seq);

// nullopt unless `value` is an exact encoding.
std::optional<EpcState> decode_epc_state(std::string_view value);
std::optional<AuditEntry> decode_audit_entry(std::string_view value);
std::optional<std::uint64_t> decode_seq(std::string_view value);

}  // namespace hlsim::supply
