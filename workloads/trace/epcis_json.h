// Reader of EPCIS 2.0 JSON / JSON-LD (the compacted form the GS1 context defines, with the
// standard's field names) into neutral EpcisEvents (epcis.h).
//
// Accepted documents: an EPCISDocument ({"epcisBody": {"eventList": [...]}}), an
// EPCISQueryDocument (epcisBody.queryResults.resultsBody.eventList), a single event object (one
// with a "type"), or a bare list of events. Unknown keys (extensions, sensorElementList,
// certificationInfo, ...) are ignored.
//
// Errors are values naming the file, the line where the event starts, its position and the
// field, e.g.
//   shipment.json:41: eventList[3] AggregationEvent: parentID: expected a string, got number
//   shipment.json:12: JSON syntax error: unexpected end of input (byte 311)
// With skip_malformed a bad event (unknown type, missing or mistyped field, bad time) is dropped
// and counted; a syntax error or a document without an event list always fails.
#pragma once

#include <string>
#include <string_view>

#include "sim/kernel/result.h"
#include "workloads/trace/epcis.h"

namespace hlsim::trace {

Result<EpcisDocument> read_epcis_json(std::string_view text, const std::string& file,
                                      const EpcisReadOptions& options);
Result<EpcisDocument> read_epcis_json_file(const std::string& path,
                                           const EpcisReadOptions& options);

// 1-based line of byte `offset` in `text`. Exposed for the XML reader and tests.
std::uint64_t line_of_offset(std::string_view text, std::size_t offset);

}  // namespace hlsim::trace
