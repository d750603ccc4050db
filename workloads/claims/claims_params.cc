#include "workloads/claims/claims_params.h"

#include <string>

#include "workloads/claims/claims_payloads.h"

namespace hlsim::claims {
namespace {

constexpr double kMaxPatients = 4'294'967'295.0;
constexpr double kMaxFillBytes = 1 << 20;  // kClaimsMaxFieldBytes bounds the fill fields

}  // namespace

const std::vector<ParamSpec>& claims_param_specs() {
  static const std::vector<ParamSpec> specs = {
      int_param("payers", "2", "clients",
                "insurers: clients 0..payers-1; the other clients are providers (default: design "
                "assumption)",
                1, 1e6),
      int_param("patients", "20000", "patients",
                "member population; patient p is a member of payer p % payers with plan "
                "(p / payers) % 3 (default: design assumption)",
                1, kMaxPatients),
      number_param("zipf_s", "0.8", "",
                   "Zipf exponent of patient popularity for claims; 0 is uniform (default: design "
                   "assumption, as the ehr workload)",
                   0, 10),
      int_param("claim_bytes", "3700", "bytes",
                "encoded claim payload size, padded (default: FHIR Claim 3.7 KB, measured on "
                "Synthea bundles); a claim whose lines need more is larger",
                1, kMaxFillBytes),
      number_param("lines_per_claim_mean", "5.35", "lines",
                   "mean service lines per claim, 1 + geometric (default: 5.35, measured on "
                   "Synthea output; the shape is an assumption)",
                   1, 999),
      int_param("lines_per_claim_max", "94", "lines",
                "most service lines per claim (default: 94, the maximum in a Synthea sample)", 1,
                999),
      number_param("uncovered_line_fraction", "0.02", "fraction",
                   "share of an honest claim's lines after the first billed for a code the "
                   "member's plan does not cover (denied lines; default: design assumption)",
                   0, 1),
      int_param("annual_limit_usd", "250000", "USD",
                "approved amount per member and plan year (365 simulated days) before lines are "
                "reduced or denied (default: design assumption)",
                1, 1e9),
      number_param("fraud_fraction", "0.02", "fraction",
                   "share of provider drafts that are fraud, half fraud_duplicate_claim and half "
                   "fraud_upcoded_claim (default: design assumption)",
                   0, 1),
      int_param("remit_max_claims", "100", "claims",
                "most claims one payment (remittance) pays (default: design assumption)", 1,
                static_cast<double>(kPaymentClaimsMax)),
      int_param("payment_bytes", "1000", "bytes",
                "encoded payment payload size, padded (default: design estimate)", 1,
                kMaxFillBytes),
      int_param("enroll_bytes", "3400", "bytes",
                "encoded enroll payload size, padded (default: FHIR Patient 3.4 KB, measured on "
                "Synthea bundles: an enrolment carries the member's demographics)",
                1, kMaxFillBytes),
  };
  return specs;
}

Result<ClaimsConfig> claims_config(const ParamValues& values, const WorkloadSetup& setup) {
  ClaimsConfig c;
  c.organisations = setup.clients;
  c.payers = static_cast<std::uint32_t>(values.get_int("payers"));
  if (c.payers >= setup.clients) {
    return Error{"workload.payers: expected fewer payers than clients (" +
                 std::to_string(setup.clients) +
                 ") so that at least one client is a provider, got " + std::to_string(c.payers)};
  }
  const std::int64_t patients = values.get_int("patients");
  if (patients < static_cast<std::int64_t>(c.payers)) {
    return Error{"workload.patients: expected a number >= payers (" + std::to_string(c.payers) +
                 ") so that every payer has members, got " + std::to_string(patients)};
  }
  c.patients = static_cast<std::uint64_t>(patients);
  c.lines_per_claim_mean = values.get_double("lines_per_claim_mean");
  c.lines_per_claim_max = static_cast<std::uint32_t>(values.get_int("lines_per_claim_max"));
  if (c.lines_per_claim_mean > c.lines_per_claim_max) {
    return Error{"workload.lines_per_claim_mean: expected a mean <= lines_per_claim_max (" +
                 std::to_string(c.lines_per_claim_max) + "), got " +
                 values.values().at("lines_per_claim_mean")};
  }
  if (setup.day_ns <= 0) {
    return Error{"workload.day_s: expected a positive length of day"};
  }
  c.zipf_s = values.get_double("zipf_s");
  c.day_ns = setup.day_ns;
  c.claim_bytes = static_cast<std::uint32_t>(values.get_int("claim_bytes"));
  c.uncovered_line_fraction = values.get_double("uncovered_line_fraction");
  c.annual_limit_cents = static_cast<std::uint64_t>(values.get_int("annual_limit_usd")) * 100;
  c.fraud_fraction = values.get_double("fraud_fraction");
  c.remit_max_claims = static_cast<std::uint32_t>(values.get_int("remit_max_claims"));
  c.payment_bytes = static_cast<std::uint32_t>(values.get_int("payment_bytes"));
  c.enroll_bytes = static_cast<std::uint32_t>(values.get_int("enroll_bytes"));
  return c;
}

}  // namespace hlsim::claims
