#include "workloads/ycsb/ycsb_params.h"

#include <string>

#include "workloads/ycsb/ycsb_payloads.h"

namespace hlsim::ycsb {

const std::vector<ParamSpec>& ycsb_param_specs() {
  static const std::vector<ParamSpec> specs = {
      int_param("records", "1000", "records",
                "records user0..user<records-1> (default: YCSB workloada recordcount=1000)", 1,
                1e9),
      int_param("field_count", "10", "fields",
                "fields per record (default: YCSB CoreWorkload fieldcount=10)", 1, kAllFields - 1),
      int_param("field_bytes", "100", "bytes",
                "bytes per field (default: YCSB CoreWorkload fieldlength=100, so 1 KB records)", 1,
                1 << 20),
      string_param("mix", "a",
                   "YCSB core workload: a = 50% read / 50% update, b = 95/5, c = 100% read "
                   "(Cooper et al., SoCC 2010; YCSB workloads/workload{a,b,c})",
                   {"a", "b", "c"}),
      number_param("read_proportion", "-1", "",
                   "share of reads in the run mix, the rest updates; -1 takes the mix's", -1, 1),
      string_param("request_distribution", "zipfian",
                   "how keys are chosen (default: zipfian, YCSB workloads a-c)",
                   {"zipfian", "uniform"}),
      number_param("zipf_constant", "0.99", "",
                   "Zipf exponent of key popularity (default: YCSB ZipfianGenerator "
                   "ZIPFIAN_CONSTANT 0.99)",
                   0, 10),
      bool_param("load", "true",
                 "each client first inserts its share of the records (YCSB's load phase) before "
                 "its run mix; false: a record never written reads as zero bytes, no inserts"),
      bool_param("write_all_fields", "false",
                 "an update rewrites every field instead of one (default: YCSB "
                 "writeallfields=false)"),
  };
  return specs;
}

Result<YcsbConfig> ycsb_config(const ParamValues& values, const WorkloadSetup& setup) {
  YcsbConfig c;
  c.clients = setup.clients;
  c.records = static_cast<std::uint64_t>(values.get_int("records"));
  c.field_count = static_cast<std::uint32_t>(values.get_int("field_count"));
  c.field_bytes = static_cast<std::uint32_t>(values.get_int("field_bytes"));
  const std::string& mix = values.get_string("mix");
  c.read_proportion = mix == "a" ? 0.5 : mix == "b" ? 0.95 : 1.0;
  const double given = values.get_double("read_proportion");
  if (given >= 0) {
    c.read_proportion = given;
  } else if (given != -1) {
    return Error{"workload.read_proportion: expected -1 (the mix's) or a share in [0, 1], got '" +
                 values.values().at("read_proportion") + "'"};
  }
  if (std::uint64_t{c.field_count} * c.field_bytes > kYcsbMaxValueBytes) {
    return Error{"workload.field_bytes: a record of field_count * field_bytes must fit in " +
                 std::to_string(kYcsbMaxValueBytes) + " bytes, got " +
                 std::to_string(std::uint64_t{c.field_count} * c.field_bytes)};
  }
  c.zipfian = values.get_string("request_distribution") == "zipfian";
  c.zipf_constant = values.get_double("zipf_constant");
  c.load = values.get_bool("load");
  c.write_all_fields = values.get_bool("write_all_fields");
  return c;
}

}  // namespace hlsim::ycsb
