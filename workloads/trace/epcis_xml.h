// Reader of EPCIS 1.2 XML (also the 2.0 XML binding, whose events sit directly in EventList)
// into neutral EpcisEvents (epcis.h), with expat.
//
// Layout: <EPCISDocument><EPCISBody><EventList> events </EventList></EPCISBody></EPCISDocument>
// (or EPCISQueryDocument / EPCISBody / QueryResults / resultsBody / EventList). Events are
// ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent (1.2 puts it inside an
// <extension> of EventList; any depth of such wrappers is accepted) and AssociationEvent; the
// deprecated QuantityEvent is not read (an unknown event type). Elements are matched by
// local name (namespace prefixes are ignored); `extension` and `baseExtension` wrappers inside an
// event are transparent; other unknown elements in an event are ignored as user extensions.
// Documents with a DOCTYPE are refused (no entity expansion).
//
// Errors are values naming the file, the line of the offending element and the field, e.g.
//   shipment.xml:57: ObjectEvent: eventTime: bad timestamp '2024-02-30T10:00:00Z' (day 30 ...)
//   shipment.xml:80: EventList: unknown event type 'QuantityEventX'
//   shipment.xml:93: XML error: no element found (the document is truncated?)
// With skip_malformed a bad event (including an unknown event type) is dropped and counted;
// malformed XML and a document without an EventList always fail.
#pragma once

#include <string>
#include <string_view>

#include "sim/kernel/result.h"
#include "workloads/trace/epcis.h"

namespace hlsim::trace {

Result<EpcisDocument> read_epcis_xml(std::string_view text, const std::string& file,
                                     const EpcisReadOptions& options);
Result<EpcisDocument> read_epcis_xml_file(const std::string& path, const EpcisReadOptions& options);

}  // namespace hlsim::trace
