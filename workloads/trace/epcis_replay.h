// The timetable of an EPCIS replay: which organisation submits which supply-chain transaction
// (workloads/supply/supply_payloads.h) when. A pure function of the document and the options.
//
// Events are taken in eventTime order (document order among equal times), mapped as follows
// (bizStep and disposition are the reader's bare CBV words; "-" means any):
//   type                 action  bizStep                 -> supply op (one per ...)
//   ObjectEvent          ADD     commissioning           -> commission (event; its SGTINs)
//   AggregationEvent     ADD     packing or none         -> aggregate (event: parentID, childEPCs)
//   Object / Transaction -       shipping                -> ship (root EPC listed)
//   Object / Transaction -       receiving               -> receive (root EPC listed)
//   AggregationEvent     DELETE  unpacking or none       -> unpack (event: the whole parentID)
//   ObjectEvent          -       decommissioning, destroying -> decommission (root EPC listed;
//                                reason from disposition expired/damaged/recalled/stolen, else
//                                other)
//   ObjectEvent          -       dispensing, or DELETE   -> dispense (EPC listed)
//   anything else (TransformationEvent, AssociationEvent, OBSERVE of other bizSteps, quantity-only
//   events without EPCs, a shipment or receipt whose source and destination are the same
//   organisation) is skipped and counted as unsupported: it is well-formed EPCIS that the supply
//   contract has no operation for, so it never fails the replay.
// A commissioning event whose EPCs are all containers (see below) is folded: the supply contract
// creates a container with its aggregate, so nothing is submitted; it is counted apart. EPCs listed
// together with a container they sit in (by the document's own aggregations) travel inside it and
// are not shipped, received or decommissioned separately.
//
// Organisations. A party is identified by its GS1 company prefix when it is an SGLN or PGLN URN
// (urn:epc:id:sgln:0361234.00001.0 -> 0361234, so a firm's sites and its owning-party GLN are one
// organisation), else by its id as written. Who acts: for ship, the source (owning_party, else
// possessing_party, else location, else bizLocation, else readPoint), with the destination from
// the destinationList (owning_party, else possessing_party, else location; required); for
// receive, the destination (owning_party, else possessing_party, else bizLocation, else
// readPoint); otherwise bizLocation, else readPoint, else the source. Acting parties and ship
// destinations, in order of first appearance, are the organisations. Roles: one that commissions
// is a manufacturer, one that dispenses a pharmacy (both at once is an error), the others are
// wholesalers. Clients follow supply's layout (supply_epc.h Roles): manufacturers, then
// wholesalers, then pharmacies, each group in order of first appearance.
//
// EPCs. An SSCC (urn:epc:id:sscc:..., or a GS1 Digital Link with /00/) is a container; an SGTIN
// (urn:epc:id:sgtin:..., or a Digital Link with /01/ and /21/) is a saleable unit unless it is the
// parentID of an AggregationEvent somewhere in the document (a case with its own GTIN, as GS1 US
// examples do): then it is a container too. Each distinct EPC gets the supply id
//   make_item / make_container(issuer, serial)
// with issuer = the client that commissions it (a unit) or first packs it (a container), else
// the client of the first event naming it, and serial = its position among the document's
// distinct EPCs in order of first appearance. Lots are numbered 1, 2, ... by first appearance
// of their lotNumber (0: none); a ship's po is 1 + the first-seen index of its po (else first)
// business transaction (0: none). The ship's containment tree (the DSCSA transaction
// information) is the document's own aggregations at that point, with the units' lots and
// expiries.
//
// Times. The first mapped event is at run time 0; an event at trace time t is at
// (t - t0) / time_compression, and so is an itemExpirationDate (midnight UTC; none: never
// expires). One client never submits twice at one instant: a transaction that would land on or
// before its predecessor of the same client moves to 1 ns after it.
//
// Malformed (an error naming the event, or with skip_malformed dropped and counted): a mapped
// event without an acting party, a shipment without a destination, an EPC that is neither an
// SGTIN nor an SSCC, an aggregation without a parentID.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/bytes.h"
#include "sim/kernel/result.h"
#include "sim/kernel/time.h"
#include "workloads/supply/supply_epc.h"
#include "workloads/trace/epcis.h"

namespace hlsim::trace {

// Kind codes: the index into EpcisWorkload::kind_names(). 0-6 equal supply's kind codes (and
// operation codes) of the same name.
enum class EpcisKind : std::uint16_t {
  kCommission = 0,
  kAggregate = 1,
  kShip = 2,
  kReceive = 3,
  kUnpack = 4,
  kDispense = 5,
  kDecommission = 6,
  kPastTraceEnd = 7,  // a draft asked for after the client's last trace event: a verify
};
inline constexpr std::uint16_t kEpcisKindCount = 8;
const char* epcis_kind_name(std::uint16_t kind);  // nullptr if out of range

struct EpcisReplayEvent {
  TimeNs at_ns = 0;     // run time
  TimeNs trace_ns = 0;  // the event's eventTime
  EpcisKind kind = EpcisKind::kCommission;
  Bytes payload;           // a supply payload (supply_payloads.h)
  std::size_t source = 0;  // the event's position in the document's event list
};

struct EpcisOrganisation {
  std::string id;  // company prefix, or the party id as written
  supply::Role role = supply::Role::kWholesaler;
};

struct EpcisReplay {
  std::vector<EpcisOrganisation> organisations;  // client order
  supply::Roles roles;
  std::vector<std::pair<std::string, std::uint64_t>> epcs;  // EPC as written -> supply id
  TimeNs trace_start_ns = 0;                                // trace time of run time 0
  TimeNs last_at_ns = 0;                                    // run time of the last transaction
  std::uint64_t events = 0;              // events in the document (after the reader)
  std::uint64_t events_replayed = 0;     // events that gave at least one transaction
  std::uint64_t events_unsupported = 0;  // skipped: no supply operation for them
  std::uint64_t events_folded = 0;       // commissioning of containers only
  std::uint64_t events_malformed = 0;    // dropped by the mapping under skip_malformed
  std::uint64_t transactions = 0;
  std::vector<std::vector<EpcisReplayEvent>> by_client;  // per client, strictly increasing at_ns
};

struct EpcisReplayOptions {
  double time_compression = 1;
  bool skip_malformed = false;
  std::uint32_t event_bytes = 1;  // payloads are padded to event_bytes + epc_bytes per extra EPC
  std::uint32_t epc_bytes = 0;
};

// The organisation a party id stands for (see above).
std::string organisation_key(std::string_view party_id);

// Whether an EPC is an SSCC (true) or an SGTIN (false); nullopt for anything else.
std::optional<bool> is_sscc(std::string_view epc);

// `file` names the document in errors ("<file>:<line>: eventList[<i>] <Type>: ..."). Errors: a
// malformed event (without skip_malformed), an organisation both commissioning and dispensing,
// nothing to replay, a run longer than int64 ns at this compression.
Result<EpcisReplay> build_epcis_replay(const EpcisDocument& doc, const std::string& file,
                                       const EpcisReplayOptions& options);

}  // namespace hlsim::trace
