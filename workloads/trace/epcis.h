// Neutral GS1 EPCIS event, read from EPCIS 2.0 JSON / JSON-LD (epcis_json.h) or EPCIS 1.2 XML
// (epcis_xml.h): what a supply-chain ledger workload needs to replay a DSCSA flow.
//
// Normalisation, so that both formats give the same record:
//  * CBV vocabulary values are bare words: bizStep `shipping` whether written `shipping`,
//    `urn:epcglobal:cbv:bizstep:shipping` or `https://ref.gs1.org/cbv/BizStep-shipping`; the same
//    for disposition, business transaction types (po, desadv, ...) and source / destination
//    types (owning_party, possessing_party, location). Values outside the CBV stay as written.
//  * eventTime is an instant in ns since the Unix epoch, from the zone written in it (Z or
//    ±hh:mm); a time written without a zone takes eventTimeZoneOffset.
//  * The XML `extension` / `baseExtension` wrappers of EPCIS 1.2 are transparent; ilmd fields are
//    matched by local name (cbvmda:lotNumber, lotNumber, ...).
//
// Required per type (anything missing is an error naming the field):
//   all             eventTime, and a zone (in eventTime or eventTimeZoneOffset)
//   ObjectEvent     action
//   AggregationEvent action; parentID unless the action is OBSERVE
//   TransactionEvent action; a non-empty bizTransactionList
//   TransformationEvent no action (it has none); inputs or outputs or a transformationID
//   AssociationEvent action; parentID
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/kernel/time.h"

namespace hlsim::trace {

enum class EpcisEventType : std::uint8_t {
  kObject,
  kAggregation,
  kTransaction,
  kTransformation,
  kAssociation,
};
const char* to_string(EpcisEventType t);  // "ObjectEvent", ...
std::optional<EpcisEventType> parse_epcis_event_type(std::string_view name);

enum class EpcisAction : std::uint8_t { kNone, kAdd, kObserve, kDelete };
const char* to_string(EpcisAction a);  // "", "ADD", "OBSERVE", "DELETE"
std::optional<EpcisAction> parse_epcis_action(std::string_view text);  // ADD / OBSERVE / DELETE

struct EpcisQuantity {
  std::string epc_class;  // e.g. urn:epc:class:lgtin:4012345.012345.998877
  std::optional<double> quantity;
  std::string uom;  // UN/ECE Rec 20 code, empty for a count
  bool operator==(const EpcisQuantity&) const = default;
};

struct EpcisBizTransaction {
  std::string type;  // bare CBV word (po, desadv, inv, ...), may be empty
  std::string id;
  bool operator==(const EpcisBizTransaction&) const = default;
};

struct EpcisParty {  // an entry of sourceList / destinationList
  std::string type;  // owning_party, possessing_party, location
  std::string id;
  bool operator==(const EpcisParty&) const = default;
};

struct EpcisEvent {
  EpcisEventType type = EpcisEventType::kObject;
  EpcisAction action = EpcisAction::kNone;
  TimeNs event_time_ns = 0;
  std::int32_t time_zone_offset_minutes = 0;  // eventTimeZoneOffset, else the zone of eventTime
  std::optional<TimeNs> record_time_ns;
  std::string event_id;
  std::vector<std::string> epc_list;               // Object, Transaction
  std::string parent_id;                           // Aggregation, Association, Transaction
  std::vector<std::string> child_epcs;             // Aggregation, Association
  std::vector<std::string> input_epc_list;         // Transformation
  std::vector<std::string> output_epc_list;        // Transformation
  std::vector<EpcisQuantity> quantity_list;        // Object, Transaction
  std::vector<EpcisQuantity> child_quantity_list;  // Aggregation, Association
  std::vector<EpcisQuantity> input_quantity_list;  // Transformation
  std::vector<EpcisQuantity> output_quantity_list;
  std::string transformation_id;
  std::string biz_step;     // bare CBV word, e.g. commissioning, packing, shipping
  std::string disposition;  // bare CBV word, e.g. active, in_transit, dispensed
  std::string read_point;   // usually an SGLN
  std::string biz_location;
  std::vector<EpcisBizTransaction> biz_transactions;
  std::vector<EpcisParty> sources;
  std::vector<EpcisParty> destinations;
  std::string lot_number;                    // ilmd
  std::optional<TimeNs> item_expiration_ns;  // ilmd itemExpirationDate, midnight UTC
  std::uint64_t line = 0;                    // where the event starts in its file; 0 when unknown
  std::size_t index = 0;                     // position in the document's event list, from 0
  bool operator==(const EpcisEvent&) const = default;
};

struct EpcisReadOptions {
  bool skip_malformed = false;  // drop and count bad events instead of failing
};

struct EpcisDocument {
  std::string schema_version;  // as written, may be empty
  std::vector<EpcisEvent> events;
  std::uint64_t skipped_events = 0;  // under skip_malformed
};

// Which CBV vocabulary a value belongs to, for cbv_bare_word.
enum class CbvVocabulary : std::uint8_t {
  kBizStep,
  kDisposition,
  kBizTransactionType,
  kSourceDestType,
};
// The bare word of a CBV value written as a bare word, a CBV 1.x URN or a CBV 2.0 web URI.
std::string cbv_bare_word(std::string_view value, CbvVocabulary vocabulary);

// The last segment of a qualified name or key ("cbvmda:lotNumber", a URI ending "#lotNumber" or
// "/lotNumber" -> "lotNumber").
std::string_view local_name(std::string_view name);

// The event time from eventTime and eventTimeZoneOffset (either may be empty); sets
// event_time_ns and time_zone_offset_minutes. The error names the field.
struct FieldError {
  std::string field;
  std::string message;
};
std::optional<FieldError> set_event_time(EpcisEvent& e, std::string_view event_time,
                                         std::string_view zone_offset);

// The per-type rules above, on a filled-in event. nullopt when it satisfies them.
std::optional<FieldError> check_required(const EpcisEvent& e);

}  // namespace hlsim::trace
