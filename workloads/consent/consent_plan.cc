#include "workloads/consent/consent_plan.h"

#include <algorithm>

#include "sim/kernel/rng.h"

namespace hlsim::consent {

std::vector<TrialPlan> plan_trials(const Roles& roles, std::uint32_t trials,
                                   double single_site_fraction, std::uint32_t max_sites_per_trial,
                                   std::uint64_t seed) {
  const std::uint32_t sites = roles.sites();
  const std::uint32_t widest = std::min(max_sites_per_trial, sites);
  std::vector<TrialPlan> plan(trials);
  for (std::uint32_t t = 0; t < trials; ++t) {
    // One stream per trial, so a trial's sites do not depend on how many trials come before it.
    Rng rng = Rng::stream(seed, RngDomain::kWorkload, t);
    TrialPlan& p = plan[t];
    p.sponsor = t % roles.sponsors;
    // Site indices 0..sites-1, primary first; a partial Fisher-Yates shuffle of the rest picks the
    // others without repeats.
    std::vector<std::uint32_t> pool(sites);
    for (std::uint32_t i = 0; i < sites; ++i) pool[i] = i;
    std::swap(pool[0], pool[t % sites]);
    std::uint32_t k = 1;
    if (widest >= 2 && !rng.bernoulli(single_site_fraction)) {
      k = 2 + static_cast<std::uint32_t>(rng.next_below(widest - 1));
    }
    for (std::uint32_t i = 1; i < k; ++i) {
      const std::uint32_t j = i + static_cast<std::uint32_t>(rng.next_below(sites - i));
      std::swap(pool[i], pool[j]);
    }
    p.sites.reserve(k);
    for (std::uint32_t i = 0; i < k; ++i) p.sites.push_back(roles.first_site() + pool[i]);
    std::sort(p.sites.begin(), p.sites.end());
  }
  return plan;
}

}  // namespace hlsim::consent
