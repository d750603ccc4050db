#include "workloads/trace/epcis_params.h"

#include "workloads/supply/supply_payloads.h"

namespace hlsim::trace {

const std::vector<ParamSpec>& epcis_param_specs() {
  static const std::vector<ParamSpec> specs = {
      string_param("file", "",
                   "the EPCIS document to replay: EPCIS 2.0 JSON / JSON-LD (.json, .jsonld) or "
                   "EPCIS 1.2 / 2.0 XML (.xml); a relative path is taken from the working "
                   "directory"),
      number_param("time_compression", "7200", "x",
                   "trace seconds replayed per simulated second; the first replayed event is at "
                   "time 0 of the run (default: two trace hours per second, so the 51-hour DSCSA "
                   "sample replays in about 26 s; design choice)",
                   1e-3, 1e9),
      bool_param("skip_malformed", "false",
                 "drop bad events (the reader's malformed events, and events the mapping cannot "
                 "place: no acting party, a shipment without a destination, an EPC that is not "
                 "an SGTIN or SSCC) and count them, instead of rejecting the document"),
      int_param("event_bytes", "600", "bytes",
                "payload size of a one-EPC event, as the supply workload (default: EPCIS 2.0 JSON "
                "event 0.5-0.75 KB, GS1 examples)",
                1, supply::kMaxFillBytes),
      int_param("epc_bytes", "60", "bytes",
                "payload bytes per EPC beyond the first, as the supply workload (default: ~60 B "
                "per extra EPC, GS1 examples)",
                0, 65'536),
  };
  return specs;
}

Result<EpcisConfig> epcis_config(const ParamValues& values) {
  EpcisConfig c;
  c.file = values.get_string("file");
  if (c.file.empty()) {
    return Error{
        "workload.file: required: the EPCIS document to replay (e.g. "
        "workloads/trace/samples/epcis/dscsa-shipment.json)"};
  }
  if (!c.file.ends_with(".json") && !c.file.ends_with(".jsonld") && !c.file.ends_with(".xml")) {
    return Error{"workload.file: expected a .json, .jsonld or .xml EPCIS document, got '" + c.file +
                 "'"};
  }
  c.time_compression = values.get_double("time_compression");
  c.skip_malformed = values.get_bool("skip_malformed");
  c.event_bytes = static_cast<std::uint32_t>(values.get_int("event_bytes"));
  c.epc_bytes = static_cast<std::uint32_t>(values.get_int("epc_bytes"));
  return c;
}

}  // namespace hlsim::trace
