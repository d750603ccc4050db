#include "workloads/ehr/ehr_params.h"

#include <cmath>
#include <string>
#include <utility>

namespace hlsim::ehr {
namespace {

constexpr double kMaxPatients = 4'294'967'295.0;      // fits a national population
constexpr double kMaxFillBytes = 1 << 20;             // kEhrMaxFieldBytes bounds the fill field
constexpr double kMaxConsentDurationS = 315'360'000;  // ten years
constexpr double kMaxMixWeight = 1e9;

constexpr std::array<const char*, kKindCount> kMixNames = {
    "mix_record_write", "mix_consent_grant", "mix_consent_revoke", "mix_access_request"};

// A numeric parameter (every EHR parameter is one).
ParamSpec number(std::string name, ParamType type, std::string default_value, std::string unit,
                 double min, double max, std::string help) {
  return type == ParamType::kInt ? int_param(std::move(name), std::move(default_value),
                                             std::move(unit), std::move(help), min, max)
                                 : number_param(std::move(name), std::move(default_value),
                                                std::move(unit), std::move(help), min, max);
}

}  // namespace

const std::vector<ParamSpec>& ehr_param_specs() {
  static const std::vector<ParamSpec> specs = {
      number("patients", ParamType::kInt, "10000", "patients", 1, kMaxPatients,
             "patient population; patient p's home organisation is p % clients (default: design "
             "assumption, a small regional exchange; CommonWell reaches > 200 M, 2023)"),
      number("zipf_s", ParamType::kDouble, "0.8", "", 0, 10,
             "Zipf exponent of patient popularity (hot patients); 0 is uniform (default: design "
             "assumption)"),
      number("record_bytes", ParamType::kInt, "300", "bytes", 1, kMaxFillBytes,
             "encoded record_write payload size (default: record pointer on a ledger ~300 B: "
             "hash, URI, type; design estimate)"),
      number("document_bytes", ParamType::kInt, "8192", "bytes", 0, 64 << 20,
             "size of the off-chain clinical document each record_write points to, encrypted "
             "with AES-256-GCM and kept by the writer's organisation (default: one encounter's "
             "FHIR resources, Encounter 1.6 KB + Condition 1.0 KB + a few Observations at 1.2 KB, "
             "measured on Synthea bundles; 0: no documents)"),
      number("consent_bytes", ParamType::kInt, "250", "bytes", 1, kMaxFillBytes,
             "encoded consent_grant / consent_revoke payload size (default: design estimate)"),
      number("access_bytes", ParamType::kInt, "200", "bytes", 1, kMaxFillBytes,
             "encoded access_request payload size (default: design estimate)"),
      number("consent_duration_s", ParamType::kInt, "2592000", "s", 1, kMaxConsentDurationS,
             "validity of a consent grant from its submit time (default: 30 days, design "
             "assumption)"),
      number("mix_record_write", ParamType::kDouble, "0.40", "", 0, kMaxMixWeight,
             "relative weight of record_write (default: design assumption)"),
      number("mix_consent_grant", ParamType::kDouble, "0.20", "", 0, kMaxMixWeight,
             "relative weight of consent_grant (default: design assumption)"),
      number("mix_consent_revoke", ParamType::kDouble, "0.05", "", 0, kMaxMixWeight,
             "relative weight of consent_revoke; with nothing to revoke a grant is sent "
             "(default: design assumption)"),
      number("mix_access_request", ParamType::kDouble, "0.35", "", 0, kMaxMixWeight,
             "relative weight of access_request (default: design assumption)"),
      number("consented_access_fraction", ParamType::kDouble, "0.7", "", 0, 1,
             "share of grants to the previous organisation and of access requests for the next "
             "organisation's patients, so that most requests find a consent (default: design "
             "assumption)"),
  };
  return specs;
}

Result<EhrConfig> ehr_config(const ParamValues& values, const WorkloadSetup& setup) {
  EhrConfig c;
  if (setup.clients < 2) {
    return Error{
        "workload.clients: the ehr workload needs at least 2 organisations (clients) so "
        "that consent can be granted to another one, got " +
        std::to_string(setup.clients)};
  }
  c.organisations = setup.clients;

  const std::int64_t patients = values.get_int("patients");
  if (patients < static_cast<std::int64_t>(setup.clients)) {
    return Error{"workload.patients: expected a number >= the number of clients (" +
                 std::to_string(setup.clients) + ") so that every organisation has patients, got " +
                 std::to_string(patients)};
  }
  c.patients = static_cast<std::uint64_t>(patients);

  double total = 0;
  for (std::size_t k = 0; k < kKindCount; ++k) {
    const double w = values.get_double(kMixNames[k]);
    if (!std::isfinite(w) || w < 0) {
      return Error{std::string("workload.") + kMixNames[k] +
                   ": expected a finite weight >= 0, got '" + values.values().at(kMixNames[k]) +
                   "'"};
    }
    c.mix[k] = w;
    total += w;
  }
  if (!(total > 0)) {
    return Error{
        "workload.mix_*: expected at least one of mix_record_write, mix_consent_grant, "
        "mix_consent_revoke, mix_access_request to be > 0, got all 0"};
  }

  c.zipf_s = values.get_double("zipf_s");
  c.seed = setup.seed;
  c.record_bytes = static_cast<std::uint32_t>(values.get_int("record_bytes"));
  c.document_bytes = static_cast<std::uint32_t>(values.get_int("document_bytes"));
  c.consent_bytes = static_cast<std::uint32_t>(values.get_int("consent_bytes"));
  c.access_bytes = static_cast<std::uint32_t>(values.get_int("access_bytes"));
  c.consent_duration_ns = values.get_int("consent_duration_s") * kNsPerSec;
  c.consented_access_fraction = values.get_double("consented_access_fraction");
  return c;
}

}  // namespace hlsim::ehr
