#include "workloads/credentials/credentials_params.h"

#include <string>

#include "workloads/credentials/credentials_payloads.h"

namespace hlsim::credentials {
namespace {

constexpr double kMaxFillBytes = kCredentialsMaxFieldBytes;
// The metrics count active licences by walking the register once; ten million is ten times the
// US physician count (FSMB 2022: 1,044,734).
constexpr double kMaxClinicians = 10'000'000;

}  // namespace

const std::vector<ParamSpec>& credentials_param_specs() {
  static const std::vector<ParamSpec> specs = {
      int_param("boards", "2", "clients",
                "licensing boards: clients 0..boards-1; the other clients are hospitals "
                "(default: design assumption, two boards so that multiple licences exist)",
                1, 1e6),
      int_param("clinicians", "10000", "clinicians",
                "clinicians licensed before the run; clinician c's primary board is c % boards "
                "(default: design assumption; the US has 1,044,734 licensed physicians, FSMB "
                "2022)",
                1, kMaxClinicians),
      number_param("zipf_s", "0.8", "",
                   "Zipf exponent of clinician popularity for verifications; 0 is uniform "
                   "(default: design assumption)",
                   0, 10),
      number_param("multi_licence_fraction", "0.24", "fraction",
                   "share of clinicians holding a second licence, from board (c + 1) % boards "
                   "(default: 24% hold >= 2 licences, FSMB 2022 census)",
                   0, 1),
      int_param("recredential_interval_days", "1095", "days",
                "validity of a licence from its issue or renewal (default: re-credentialing "
                "every 36 months, NCQA)",
                1, 36'500),
      int_param("renew_lead_days", "90", "days",
                "a board renews a licence this long before it expires (default: design "
                "assumption)",
                0, 36'499),
      number_param("lapse_fraction", "0.01", "fraction",
                   "share of clinicians who never renew, so their licences expire (default: "
                   "design assumption)",
                   0, 1),
      number_param("revocations_per_day", "0.03", "1/day",
                   "scheduled revocations per simulated day over all boards; 0: none (default: "
                   "design assumption, ~0.1% of 10,000 clinicians a year)",
                   0, 1e9),
      number_param("verify_revoked_fraction", "0.02", "fraction",
                   "share of hospital drafts that verify a licence whose scheduled revocation "
                   "is due (verify_revoked; default: design assumption)",
                   0, 1),
      int_param("verify_revoked_window", "4", "revocations",
                "verify_revoked picks among this many most recent due revocations (default: "
                "design assumption)",
                1, 1e6),
      int_param("licence_bytes", "1200", "bytes",
                "encoded licence_issue / recredential / revoke payload size, padded (default: "
                "design estimate of a Practitioner.qualification with its VerificationResult)",
                1, kMaxFillBytes),
      int_param("verify_bytes", "400", "bytes",
                "encoded verify payload size, padded (default: design estimate)", 1, kMaxFillBytes),
  };
  return specs;
}

Result<CredentialsConfig> credentials_config(const ParamValues& values,
                                             const WorkloadSetup& setup) {
  CredentialsConfig c;
  c.organisations = setup.clients;
  RegisterConfig& r = c.register_config;
  r.boards = static_cast<std::uint32_t>(values.get_int("boards"));
  if (r.boards >= setup.clients) {
    return Error{"workload.boards: expected fewer boards than clients (" +
                 std::to_string(setup.clients) +
                 ") so that at least one client is a hospital, got " + std::to_string(r.boards)};
  }
  const std::int64_t clinicians = values.get_int("clinicians");
  if (clinicians < static_cast<std::int64_t>(r.boards)) {
    return Error{"workload.clinicians: expected a number >= boards (" + std::to_string(r.boards) +
                 ") so that every board has clinicians, got " + std::to_string(clinicians)};
  }
  const std::int64_t interval_days = values.get_int("recredential_interval_days");
  const std::int64_t lead_days = values.get_int("renew_lead_days");
  if (lead_days >= interval_days) {
    return Error{"workload.renew_lead_days: expected fewer days than recredential_interval_days (" +
                 std::to_string(interval_days) + "), got " + std::to_string(lead_days)};
  }
  if (setup.day_ns <= 0) return Error{"workload.day_s: expected a positive length of day"};
  r.seed = setup.seed;
  r.clinicians = static_cast<std::uint64_t>(clinicians);
  r.multi_licence_fraction = values.get_double("multi_licence_fraction");
  r.lapse_fraction = values.get_double("lapse_fraction");
  r.interval_ns = interval_days * setup.day_ns;
  r.revocations_per_day = values.get_double("revocations_per_day");
  r.day_ns = setup.day_ns;
  c.zipf_s = values.get_double("zipf_s");
  c.renew_lead_ns = lead_days * setup.day_ns;
  c.verify_revoked_fraction = values.get_double("verify_revoked_fraction");
  c.verify_revoked_window = static_cast<std::uint32_t>(values.get_int("verify_revoked_window"));
  c.licence_bytes = static_cast<std::uint32_t>(values.get_int("licence_bytes"));
  c.verify_bytes = static_cast<std::uint32_t>(values.get_int("verify_bytes"));
  return c;
}

}  // namespace hlsim::credentials
