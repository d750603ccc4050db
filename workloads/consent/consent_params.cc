#include "workloads/consent/consent_params.h"

#include <string>

namespace hlsim::consent {

const std::vector<ParamSpec>& consent_param_specs() {
  static const std::vector<ParamSpec> specs = {
      int_param(
          "sponsors", "2", "organisations",
          "sponsor organisations (clients 0..sponsors-1); they register trials, activate "
          "sites, amend protocols and grant viewers (default: design assumption, a consortium "
          "of 1-2 sponsors)",
          1, 1e6),
      int_param("monitors", "1", "organisations",
                "IRB / monitoring organisations a sponsor can grant read access (the next "
                "clients); the remaining clients are hospital sites (default: design assumption)",
                0, 1e6),
      int_param("trials", "20", "trials",
                "trials; trial t is sponsored by t % sponsors and its primary site is site "
                "t % sites, so trials >= sites gives every site a trial (default: design "
                "assumption; 67,156 studies were recruiting in Apr 2024, ClinicalTrials.gov)",
                1, 1e6),
      number_param("single_site_fraction", "0.6", "",
                   "share of trials run at one site (default: 60% of interventional trials are "
                   "single-site, Trials 2022, doi 10.1186/s13063-022-06569-2)",
                   0, 1),
      int_param("max_sites_per_trial", "8", "sites",
                "a multi-site trial runs at k sites, k uniform on [2, min(this, sites)] "
                "(default: design assumption)",
                1, 1e6),
      int_param("participants_per_site", "1000", "participants",
                "people a site can enrol; participant p's home site is p / participants_per_site "
                "(counted from the first site); each enrols in at most one trial (default: design "
                "assumption)",
                1, 1e9),
      number_param("amend_fraction", "0.005", "",
                   "share of a sponsor's drafts, once its trials are set up, that publish a "
                   "protocol amendment (consent version + 1) of one of its trials (default: design "
                   "assumption; real amendments come months apart, compressed here)",
                   0, 1),
      number_param("viewer_change_fraction", "0.02", "",
                   "share of a sponsor's drafts, once set up, that grant or revoke a monitor's "
                   "read access to one of its trials (default: design assumption)",
                   0, 1),
      number_param("withdraw_fraction", "0.03", "",
                   "share of a site's drafts that withdraw one of its enrolled participants "
                   "(default: design assumption)",
                   0, 1),
      number_param("reconsent_priority", "0.9", "",
                   "chance that a site owing re-consents (after an amendment it saw on the "
                   "ledger) re-consents one participant as its next draft (default: design "
                   "assumption)",
                   0, 1),
      number_param("violation_fraction", "0.05", "",
                   "share of drafts that try a forbidden read: a withdrawn participant, a "
                   "participant not re-consented to the current version, or a reader never "
                   "granted (default: design assumption)",
                   0, 1),
      int_param("payload_bytes", "300", "bytes",
                "encoded payload size of every kind, the fill standing for the signed consent "
                "form's or protocol's digest and URI (default: a record pointer on a ledger ~300 "
                "B: hash, URI, type; design estimate)",
                1, 1 << 20),
  };
  return specs;
}

Result<ConsentConfig> consent_config(const ParamValues& values, const WorkloadSetup& setup) {
  ConsentConfig c;
  c.roles.sponsors = static_cast<std::uint32_t>(values.get_int("sponsors"));
  c.roles.monitors = static_cast<std::uint32_t>(values.get_int("monitors"));
  c.roles.organisations = setup.clients;
  c.roles.participants_per_site =
      static_cast<std::uint64_t>(values.get_int("participants_per_site"));
  const std::uint64_t non_sites = std::uint64_t{c.roles.sponsors} + c.roles.monitors;
  if (setup.clients <= non_sites) {
    return Error{"workload.clients: the consent workload needs sponsors (" +
                 std::to_string(c.roles.sponsors) + ") + monitors (" +
                 std::to_string(c.roles.monitors) + ") + at least 1 site, got " +
                 std::to_string(setup.clients) + " clients"};
  }
  c.trials = static_cast<std::uint32_t>(values.get_int("trials"));
  const std::uint32_t sites = c.roles.sites();
  if (c.trials < sites || c.trials < c.roles.sponsors) {
    return Error{"workload.trials: expected at least as many trials as sites (" +
                 std::to_string(sites) + ") and sponsors (" + std::to_string(c.roles.sponsors) +
                 ") so that each runs one, got " + std::to_string(c.trials)};
  }
  c.single_site_fraction = values.get_double("single_site_fraction");
  c.max_sites_per_trial = static_cast<std::uint32_t>(values.get_int("max_sites_per_trial"));
  c.amend_fraction = values.get_double("amend_fraction");
  c.viewer_change_fraction = values.get_double("viewer_change_fraction");
  if (c.amend_fraction + c.viewer_change_fraction > 1) {
    return Error{
        "workload.amend_fraction: amend_fraction + viewer_change_fraction must be <= 1, "
        "got " +
        values.values().at("amend_fraction") + " + " +
        values.values().at("viewer_change_fraction")};
  }
  c.withdraw_fraction = values.get_double("withdraw_fraction");
  c.reconsent_priority = values.get_double("reconsent_priority");
  c.violation_fraction = values.get_double("violation_fraction");
  c.payload_bytes = static_cast<std::uint32_t>(values.get_int("payload_bytes"));
  c.seed = setup.seed;
  return c;
}

}  // namespace hlsim::consent
