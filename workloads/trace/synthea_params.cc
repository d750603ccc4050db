#include "workloads/trace/synthea_params.h"

#include <cmath>

namespace hlsim::trace {

const std::vector<ParamSpec>& synthea_param_specs() {
  static const std::vector<ParamSpec> specs = {
      string_param("dir", "",
                   "folder holding Synthea's CSV export (organizations.csv, patients.csv, "
                   "encounters.csv; medications.csv, providers.csv, claims.csv, "
                   "claims_transactions.csv if present); a relative path is taken from the "
                   "working directory"),
      number_param("time_compression", "3600", "x",
                   "trace seconds replayed per simulated second; the trace's first event is at "
                   "time 0 of the run (default: one trace hour per second, so the two-day "
                   "sample replays in about 30 s; design choice)",
                   1e-3, 1e9),
      bool_param("skip_malformed", "false",
                 "drop bad rows (bad field, short row, unknown reference) and count them per "
                 "file, instead of rejecting the trace"),
      int_param("record_bytes", "300", "bytes",
                "encoded record_write payload size, as the ehr workload (default: record pointer "
                "on a ledger ~300 B: hash, URI, type; design estimate)",
                1, 1 << 20),
      number_param("settle_s", "1", "s",
                   "run time the ledger gets to commit a transaction before another client's "
                   "transaction that depends on it: payers enrol their members this long before "
                   "the trace starts, and pay a claim no sooner than this after its submission "
                   "(Synthea stamps claim and payment at one instant; default: well above a "
                   "commit on the shipped scenarios, design choice)",
                   0, 3600),
  };
  return specs;
}

Result<SyntheaConfig> synthea_config(const ParamValues& values) {
  SyntheaConfig c;
  c.dir = values.get_string("dir");
  if (c.dir.empty()) {
    return Error{
        "workload.dir: required: the folder with Synthea's CSV files (e.g. "
        "workloads/trace/samples/synthea)"};
  }
  c.time_compression = values.get_double("time_compression");
  c.skip_malformed = values.get_bool("skip_malformed");
  c.record_bytes = static_cast<std::uint32_t>(values.get_int("record_bytes"));
  c.settle_ns = static_cast<TimeNs>(std::llround(values.get_double("settle_s") * 1e9));
  return c;
}

}  // namespace hlsim::trace
