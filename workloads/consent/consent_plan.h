// Who is who in the consent workload, and which sites each trial plans to run at.
//
// Organisations are the clients, laid out by role: sponsors are clients 0..sponsors-1, IRB /
// monitor organisations (viewers a sponsor can grant read access) the next `monitors`, and
// hospital sites the rest. Participant p belongs to the home site first_site() + p /
// participants_per_site; a site's participants are numbered from 0 within it.
//
// The trial plan is public knowledge fixed before the run (a trial's protocol names its sponsor
// and sites), derived from the run seed: trial t is sponsored by t % sponsors; its primary site is
// first_site() + t % sites() (so with trials >= sites every site runs a trial); with probability
// single_site_fraction it is single-site, otherwise it adds k - 1 other sites drawn uniformly,
// k uniform on [2, min(max_sites_per_trial, sites())]. Both the generator and watchers() read the
// plan; the contract does not (it checks activations against the ledger).
#pragma once

#include <cstdint>
#include <vector>

namespace hlsim::consent {

struct Roles {
  std::uint32_t sponsors = 1;
  std::uint32_t monitors = 0;
  std::uint32_t organisations = 2;  // = clients
  std::uint64_t participants_per_site = 1;

  std::uint32_t first_monitor() const { return sponsors; }
  std::uint32_t first_site() const { return sponsors + monitors; }
  std::uint32_t sites() const { return organisations - first_site(); }
  std::uint64_t participants() const { return participants_per_site * sites(); }

  bool is_sponsor(std::uint32_t org) const { return org < sponsors; }
  bool is_monitor(std::uint32_t org) const { return org >= sponsors && org < first_site(); }
  bool is_site(std::uint32_t org) const { return org >= first_site() && org < organisations; }

  // REQUIRES: participant < participants().
  std::uint32_t home_site(std::uint64_t participant) const {
    return first_site() + static_cast<std::uint32_t>(participant / participants_per_site);
  }
  // REQUIRES: is_site(site), local < participants_per_site.
  std::uint64_t participant(std::uint32_t site, std::uint64_t local) const {
    return static_cast<std::uint64_t>(site - first_site()) * participants_per_site + local;
  }
};

struct TrialPlan {
  std::uint32_t sponsor = 0;
  std::vector<std::uint32_t> sites;  // ascending, primary site included, at least one
};

// The plan of trials 0..trials-1. A pure function of its arguments.
// REQUIRES: roles.sites() >= 1, roles.sponsors >= 1, max_sites_per_trial >= 1.
std::vector<TrialPlan> plan_trials(const Roles& roles, std::uint32_t trials,
                                   double single_site_fraction, std::uint32_t max_sites_per_trial,
                                   std::uint64_t seed);

}  // namespace hlsim::consent
