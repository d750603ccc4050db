// ConsentWorkload generator: the trial plan, set-up order, determinism, per-client independence,
// watchers, what observations teach each role, and whole runs through an in-test driver (the
// reactive loop), where honest kinds apply and every injected violation is denied.
#include "workloads/consent/consent_workload.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "consent_driver.h"
#include "sim/kernel/params.h"
#include "workloads/consent/consent_contract.h"
#include "workloads/consent/consent_params.h"
#include "workloads/consent/consent_payloads.h"

namespace hlsim::consent {
namespace {

using testing::Driver;
using testing::figure;

constexpr std::uint64_t kSeed = 20240611;
// 2 sponsors (0, 1), 1 monitor (2), 5 sites (3..7).
constexpr std::uint32_t kClients = 8;

ConsentConfig config_with(std::uint32_t clients,
                          const std::map<std::string, std::string>& given = {}) {
  std::map<std::string, std::string> all = {{"trials", "6"}};
  for (const auto& [k, v] : given) all[k] = v;
  Result<ParamValues> values = ParamValues::parse(consent_param_specs(), all, "workload");
  EXPECT_TRUE(values.ok()) << values.error().message;
  WorkloadSetup setup;
  setup.seed = kSeed;
  setup.clients = clients;
  setup.validators = 4;
  Result<ConsentConfig> config = consent_config(*values, setup);
  EXPECT_TRUE(config.ok()) << config.error().message;
  return *config;
}

std::vector<Rng> client_rngs(std::uint32_t clients) {
  std::vector<Rng> rngs;
  for (std::uint32_t c = 0; c < clients; ++c) {
    rngs.push_back(Rng::stream(kSeed, RngDomain::kClient, c));
  }
  return rngs;
}

bool same(const TxDraft& a, const TxDraft& b) { return a.kind == b.kind && a.payload == b.payload; }

Transaction as_tx(const TxDraft& d, ClientId client) {
  Transaction tx;
  tx.kind = d.kind;
  tx.client = client;
  tx.payload = d.payload;
  return tx;
}

std::uint16_t code(Kind k) { return static_cast<std::uint16_t>(k); }

TEST(ConsentWorkloadTest, KindNamesAreTheTwelveKindsInCodeOrder) {
  ConsentWorkload w(config_with(kClients));
  ASSERT_EQ(w.kind_names().size(), kKindCount);
  for (std::uint16_t k = 0; k < kKindCount; ++k) EXPECT_EQ(w.kind_names()[k], kind_name(k));
  EXPECT_TRUE(w.reacts_to_ledger());
}

TEST(ConsentWorkloadTest, PlanGivesEverySiteATrialAndSixtyPercentSingleSiteTrials) {
  const ConsentConfig c =
      config_with(53, {{"sponsors", "2"}, {"monitors", "1"}, {"trials", "4000"}});
  const std::vector<TrialPlan> plan =
      plan_trials(c.roles, c.trials, c.single_site_fraction, c.max_sites_per_trial, c.seed);
  ASSERT_EQ(plan.size(), 4000u);
  std::vector<int> trials_at(c.roles.organisations, 0);
  int single = 0;
  for (std::uint32_t t = 0; t < plan.size(); ++t) {
    const TrialPlan& p = plan[t];
    EXPECT_EQ(p.sponsor, t % 2);
    ASSERT_GE(p.sites.size(), 1u);
    ASSERT_LE(p.sites.size(), c.max_sites_per_trial);
    EXPECT_TRUE(std::is_sorted(p.sites.begin(), p.sites.end()));
    EXPECT_EQ(std::adjacent_find(p.sites.begin(), p.sites.end()), p.sites.end());
    EXPECT_TRUE(std::binary_search(p.sites.begin(), p.sites.end(),
                                   c.roles.first_site() + t % c.roles.sites()));
    for (std::uint32_t s : p.sites) {
      ASSERT_TRUE(c.roles.is_site(s));
      ++trials_at[s];
    }
    if (p.sites.size() == 1) ++single;
  }
  for (std::uint32_t s = c.roles.first_site(); s < c.roles.organisations; ++s) {
    EXPECT_GT(trials_at[s], 0) << "site " << s;
  }
  // Binomial(4000, 0.6): standard error about 31.
  EXPECT_NEAR(single, 2400, 160);
  // The same seed gives the same plan; another seed another.
  const auto again =
      plan_trials(c.roles, c.trials, c.single_site_fraction, c.max_sites_per_trial, c.seed);
  const auto other =
      plan_trials(c.roles, c.trials, c.single_site_fraction, c.max_sites_per_trial, c.seed + 1);
  int differ = 0;
  for (std::size_t t = 0; t < plan.size(); ++t) {
    EXPECT_EQ(plan[t].sites, again[t].sites);
    if (plan[t].sites != other[t].sites) ++differ;
  }
  EXPECT_GT(differ, 100);
}

TEST(ConsentWorkloadTest, SponsorSetsUpRegistrationsThenActivationsThenGrantsInPlanOrder) {
  ConsentWorkload w(config_with(kClients));
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 0);
  std::vector<std::uint32_t> own;
  for (std::uint32_t t = 0; t < 6; ++t) {
    if (w.plan()[t].sponsor == 0) own.push_back(t);
  }
  ASSERT_EQ(own.size(), 3u);
  for (std::uint32_t t : own) {
    const TxDraft d = w.next_tx(0, 0, rng);
    ASSERT_EQ(d.kind, code(Kind::kTrialRegister));
    EXPECT_EQ(decode_trial_register(d.payload)->trial, t);
    EXPECT_EQ(decode_trial_register(d.payload)->sponsor, 0u);
  }
  for (std::uint32_t t : own) {
    for (std::uint32_t s : w.plan()[t].sites) {
      const TxDraft d = w.next_tx(0, 0, rng);
      ASSERT_EQ(d.kind, code(Kind::kSiteActivate));
      EXPECT_EQ(decode_site_activate(d.payload)->trial, t);
      EXPECT_EQ(decode_site_activate(d.payload)->site, s);
    }
  }
  for (std::uint32_t t : own) {
    const TxDraft d = w.next_tx(0, 0, rng);
    ASSERT_EQ(d.kind, code(Kind::kGrantViewer));
    EXPECT_EQ(decode_viewer_change(d.payload)->trial, t);
    EXPECT_EQ(decode_viewer_change(d.payload)->viewer, 2u);
  }
  // Steady state: no more set-up kinds.
  for (int i = 0; i < 500; ++i) {
    const std::uint16_t k = w.next_tx(0, 0, rng).kind;
    EXPECT_NE(k, code(Kind::kTrialRegister));
    EXPECT_NE(k, code(Kind::kSiteActivate));
  }
}

TEST(ConsentWorkloadTest, EveryDraftHasTheConfiguredPayloadSize) {
  for (const char* bytes : {"300", "1000"}) {
    ConsentWorkload w(config_with(kClients, {{"payload_bytes", bytes}}));
    std::vector<Rng> rngs = client_rngs(kClients);
    for (int i = 0; i < 2'000; ++i) {
      const auto c = static_cast<ClientId>(i % kClients);
      EXPECT_EQ(w.next_tx(c, 0, rngs[c]).payload.size(), std::stoul(bytes));
    }
  }
}

TEST(ConsentWorkloadTest, TheSameSeedGivesIdenticalDraftsAndIdenticalRuns) {
  const ConsentConfig config = config_with(kClients);
  ConsentWorkload a(config);
  ConsentWorkload b(config);
  Driver da(a, kClients, kSeed, 20 * kNsPerMs, 50 * kNsPerMs);
  Driver db(b, kClients, kSeed, 20 * kNsPerMs, 50 * kNsPerMs);
  da.run_until(30 * kNsPerSec);
  db.run_until(30 * kNsPerSec);
  ASSERT_EQ(da.committed().size(), db.committed().size());
  ASSERT_GT(da.committed().size(), 5'000u);
  for (std::size_t i = 0; i < da.committed().size(); ++i) {
    ASSERT_EQ(da.committed()[i].payload, db.committed()[i].payload) << i;
  }
  EXPECT_EQ(da.outcomes(), db.outcomes());
  const auto fa = da.metrics().figures();
  const auto fb = db.metrics().figures();
  ASSERT_EQ(fa.size(), fb.size());
  for (std::size_t i = 0; i < fa.size(); ++i) EXPECT_EQ(fa[i].value, fb[i].value) << fa[i].name;
}

TEST(ConsentWorkloadTest, AClientsDraftsDependOnlyOnItsOwnStreamNotOnInterleaving) {
  constexpr int kPerClient = 1'000;
  const ConsentConfig config = config_with(kClients, {{"violation_fraction", "0.2"}});
  ConsentWorkload a(config);
  std::vector<Rng> ra = client_rngs(kClients);
  std::vector<std::vector<TxDraft>> seq_a(kClients);
  for (int i = 0; i < kPerClient; ++i) {
    for (ClientId c = 0; c < kClients; ++c) seq_a[c].push_back(a.next_tx(c, i, ra[c]));
  }
  ConsentWorkload b(config);
  std::vector<Rng> rb = client_rngs(kClients);
  std::vector<std::vector<TxDraft>> seq_b(kClients);
  Rng order = Rng::stream(kSeed, RngDomain::kScenario, 0);
  std::vector<ClientId> remaining;
  for (ClientId c = 0; c < kClients; ++c) remaining.insert(remaining.end(), kPerClient, c);
  while (!remaining.empty()) {
    const auto pick = static_cast<std::size_t>(order.next_below(remaining.size()));
    const ClientId c = remaining[pick];
    remaining[pick] = remaining.back();
    remaining.pop_back();
    seq_b[c].push_back(b.next_tx(c, static_cast<TimeNs>(seq_b[c].size()), rb[c]));
  }
  for (ClientId c = 0; c < kClients; ++c) {
    for (std::size_t i = 0; i < seq_a[c].size(); ++i) {
      ASSERT_TRUE(same(seq_a[c][i], seq_b[c][i])) << "client " << c << " draft " << i;
    }
  }
}

TEST(ConsentWorkloadTest, WatchersAreWhoMustLearnOfEachKind) {
  ConsentWorkload w(config_with(kClients));
  const std::uint32_t trial = 1;
  const TrialPlan& plan = w.plan()[trial];
  const std::uint32_t site = plan.sites.front();
  const std::uint64_t p = w.config().roles.participant(site, 3);
  const auto watchers = [&](Kind k, Bytes payload) {
    Transaction tx;
    tx.kind = code(k);
    tx.payload = std::move(payload);
    return w.watchers(tx);
  };
  EXPECT_EQ(watchers(Kind::kTrialRegister, encode(TrialRegister{trial, 1, {}})),
            std::vector<ClientId>{});
  EXPECT_EQ(watchers(Kind::kSiteActivate, encode(SiteActivate{trial, site, {}})),
            std::vector<ClientId>{site});
  const std::vector<ClientId> readers_and_site = {plan.sponsor, 2, site};
  EXPECT_EQ(watchers(Kind::kEnrol, encode(Enrol{trial, p, site, 1, {}})), readers_and_site);
  EXPECT_EQ(watchers(Kind::kReconsent, encode(Reconsent{trial, p, 2, {}})), readers_and_site);
  EXPECT_EQ(watchers(Kind::kWithdraw, encode(Withdraw{trial, p, {}})),
            (std::vector<ClientId>{plan.sponsor, 2}));
  std::vector<ClientId> amend_watchers = {plan.sponsor, 2};
  amend_watchers.insert(amend_watchers.end(), plan.sites.begin(), plan.sites.end());
  EXPECT_EQ(watchers(Kind::kAmend, encode(Amend{trial, 2, {}})), amend_watchers);
  EXPECT_EQ(watchers(Kind::kGrantViewer, encode(ViewerChange{trial, 2, {}})),
            std::vector<ClientId>{2});
  EXPECT_EQ(watchers(Kind::kRevokeViewer, encode(ViewerChange{trial, 2, {}})),
            std::vector<ClientId>{2});
  EXPECT_TRUE(watchers(Kind::kDataAccess, encode(DataAccess{trial, p, 0, 1, {}})).empty());
  EXPECT_TRUE(watchers(Kind::kAmend, Bytes{1, 2}).empty());
  EXPECT_TRUE(watchers(Kind::kAmend, encode(Amend{99, 2, {}})).empty());
}

TEST(ConsentWorkloadTest, ASiteEnrolsOnlyIntoTrialsItSawActivatedAtTheVersionItSaw) {
  ConsentWorkload w(
      config_with(kClients, {{"violation_fraction", "0"}, {"withdraw_fraction", "0"}}));
  const std::uint32_t site = 3;
  const SiteView& view = w.site_view(site);
  ASSERT_GE(view.trials().size(), 1u);
  const std::uint32_t trial = view.trials().front().id;
  Transaction activation =
      as_tx(TxDraft{code(Kind::kSiteActivate), encode(SiteActivate{trial, site, {}}), nullptr},
            w.plan()[trial].sponsor);
  w.on_observed(site, activation, TxOutcome::kApplied, 0);
  Transaction amend = as_tx(TxDraft{code(Kind::kAmend), encode(Amend{trial, 2, {}}), nullptr},
                            w.plan()[trial].sponsor);
  w.on_observed(site, amend, TxOutcome::kApplied, 0);
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, site);
  for (int i = 0; i < 50; ++i) {
    const TxDraft d = w.next_tx(site, 0, rng);
    ASSERT_EQ(d.kind, code(Kind::kEnrol));
    const auto e = decode_enrol(d.payload);
    EXPECT_EQ(e->trial, trial);
    EXPECT_EQ(e->consent_version, 2u);
    EXPECT_EQ(e->site, site);
    EXPECT_EQ(w.config().roles.home_site(e->participant), site);
    EXPECT_EQ(e->participant, w.config().roles.participant(site, static_cast<std::uint64_t>(i)));
  }
}

TEST(ConsentWorkloadTest, AnObservedAmendmentQueuesReconsentsOfThatTrialsParticipants) {
  ConsentWorkload w(config_with(
      kClients,
      {{"violation_fraction", "0"}, {"withdraw_fraction", "0"}, {"reconsent_priority", "1"}}));
  const std::uint32_t site = 4;
  const std::uint32_t trial = w.site_view(site).trials().front().id;
  const ClientId sponsor = w.plan()[trial].sponsor;
  const auto observe = [&](Kind k, Bytes payload, ClientId from, TxOutcome o) {
    w.on_observed(site, as_tx(TxDraft{code(k), std::move(payload), nullptr}, from), o, 0);
  };
  observe(Kind::kSiteActivate, encode(SiteActivate{trial, site, {}}), sponsor, TxOutcome::kApplied);
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, site);
  std::vector<std::uint64_t> enrolled;
  for (int i = 0; i < 3; ++i) {
    const TxDraft d = w.next_tx(site, 0, rng);
    ASSERT_EQ(d.kind, code(Kind::kEnrol));
    enrolled.push_back(decode_enrol(d.payload)->participant);
    observe(Kind::kEnrol, d.payload, site, i == 2 ? TxOutcome::kDenied : TxOutcome::kApplied);
  }
  EXPECT_EQ(w.site_view(site).members().size(), 2u);  // the denied one is not a member
  observe(Kind::kAmend, encode(Amend{trial, 2, {}}), sponsor, TxOutcome::kApplied);
  EXPECT_EQ(w.site_view(site).queued(), 2u);
  const auto next_reconsent = [&]() {
    const TxDraft d = w.next_tx(site, 0, rng);
    EXPECT_EQ(d.kind, code(Kind::kReconsent));
    return std::make_pair(*decode_reconsent(d.payload), d.payload);
  };
  // The first re-consent loses a race with a further amendment, so it goes back in the queue,
  // behind the second participant, and both re-consent to version 3.
  const auto [r0, payload0] = next_reconsent();
  EXPECT_EQ(r0.participant, enrolled[0]);
  EXPECT_EQ(r0.consent_version, 2u);
  observe(Kind::kReconsent, payload0, site, TxOutcome::kDenied);
  observe(Kind::kAmend, encode(Amend{trial, 3, {}}), sponsor, TxOutcome::kApplied);
  const auto [r1, payload1] = next_reconsent();
  EXPECT_EQ(r1.participant, enrolled[1]);
  EXPECT_EQ(r1.consent_version, 3u);
  observe(Kind::kReconsent, payload1, site, TxOutcome::kApplied);
  const auto [r2, payload2] = next_reconsent();
  EXPECT_EQ(r2.participant, enrolled[0]);
  EXPECT_EQ(r2.consent_version, 3u);
  observe(Kind::kReconsent, payload2, site, TxOutcome::kApplied);
  EXPECT_EQ(w.site_view(site).queued(), 0u);
  EXPECT_EQ(w.next_tx(site, 0, rng).kind, code(Kind::kEnrol));
}

TEST(ConsentWorkloadTest, AMonitorReadsOnlyTrialsItSawItselfGrantedOn) {
  ConsentWorkload w(config_with(kClients, {{"violation_fraction", "0"}}));
  const ClientId monitor = 2;
  const std::uint32_t trial = 4;
  const ClientId sponsor = w.plan()[trial].sponsor;
  const std::uint32_t site = w.plan()[trial].sites.front();
  const std::uint64_t p = w.config().roles.participant(site, 7);
  const auto observe = [&](Kind k, Bytes payload, ClientId from) {
    w.on_observed(monitor, as_tx(TxDraft{code(k), std::move(payload), nullptr}, from),
                  TxOutcome::kApplied, 0);
  };
  observe(Kind::kEnrol, encode(Enrol{trial, p, site, 1, {}}), site);
  observe(Kind::kGrantViewer, encode(ViewerChange{trial, monitor, {}}), sponsor);
  EXPECT_TRUE(w.monitor_granted(monitor, trial));
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, monitor);
  for (int i = 0; i < 20; ++i) {
    const auto r = decode_data_access(w.next_tx(monitor, 0, rng).payload);
    EXPECT_EQ(r->trial, trial);
    EXPECT_EQ(r->participant, p);
    EXPECT_EQ(r->reader, monitor);
    EXPECT_EQ(r->consent_version, 1u);
  }
  observe(Kind::kRevokeViewer, encode(ViewerChange{trial, monitor, {}}), sponsor);
  EXPECT_FALSE(w.monitor_granted(monitor, trial));
  // A grant to another organisation is not the monitor's.
  observe(Kind::kGrantViewer, encode(ViewerChange{trial, 5, {}}), sponsor);
  EXPECT_FALSE(w.monitor_granted(monitor, trial));
}

TEST(ConsentWorkloadTest, InjectedViolationsTargetWhatTheReaderSawAndAreAllDenied) {
  ConsentWorkload w(config_with(kClients, {{"violation_fraction", "0.15"}}));
  Driver d(w, kClients, kSeed, 20 * kNsPerMs, 50 * kNsPerMs);
  d.run_until(60 * kNsPerSec);
  for (Kind k : {Kind::kViolationAccessAfterWithdrawal, Kind::kViolationStaleConsentAccess,
                 Kind::kViolationUngrantedViewer}) {
    EXPECT_GT(d.count(code(k), TxOutcome::kDenied), 20u) << kind_name(code(k));
    EXPECT_EQ(d.count(code(k), TxOutcome::kApplied), 0u) << kind_name(code(k));
    EXPECT_EQ(d.count(code(k), TxOutcome::kInvalid), 0u) << kind_name(code(k));
  }
  EXPECT_EQ(figure(d.metrics(), "violations_accepted"), 0);
  EXPECT_GT(figure(d.metrics(), "violations_denied"), 60);
  EXPECT_GT(figure(d.metrics(), "access_denied_withdrawn"), 0);
  EXPECT_GT(figure(d.metrics(), "access_denied_stale_consent"), 0);
  EXPECT_GT(figure(d.metrics(), "access_denied_not_viewer"), 0);
}

TEST(ConsentWorkloadTest, AReactiveRunAppliesHonestKindsAndReconsentsAfterAmendments) {
  // 300 participants per site: sites fill up within the run, so re-consents can keep up.
  ConsentWorkload w(config_with(kClients, {{"participants_per_site", "300"}}));
  Driver d(w, kClients, kSeed, 20 * kNsPerMs, 50 * kNsPerMs);
  d.run_until(60 * kNsPerSec);
  // Generator and contract agree: nothing is invalid.
  for (std::uint16_t k = 0; k < kKindCount; ++k) {
    EXPECT_EQ(d.count(k, TxOutcome::kInvalid), 0u) << kind_name(k);
  }
  const auto share_applied = [&](Kind k) {
    const auto& o = d.outcomes()[code(k)];
    const double total = static_cast<double>(o[0] + o[1] + o[2]);
    return total == 0 ? 0 : static_cast<double>(o[0]) / total;
  };
  EXPECT_EQ(share_applied(Kind::kTrialRegister), 1.0);
  EXPECT_EQ(share_applied(Kind::kSiteActivate), 1.0);
  EXPECT_GT(share_applied(Kind::kEnrol), 0.9);
  EXPECT_GT(share_applied(Kind::kReconsent), 0.9);
  EXPECT_EQ(share_applied(Kind::kWithdraw), 1.0);
  EXPECT_GT(share_applied(Kind::kAmend), 0.9);
  EXPECT_GT(share_applied(Kind::kDataAccess), 0.8);
  const WorkloadMetrics& m = d.metrics();
  EXPECT_EQ(figure(m, "replay_mismatches"), 0);
  EXPECT_EQ(figure(m, "violations_accepted"), 0);
  EXPECT_GT(figure(m, "amendments"), 5);
  EXPECT_GT(figure(m, "amendments_fully_reconsented"), 3);
  EXPECT_GT(figure(m, "reconsented_fraction"), 80);
  EXPECT_GT(figure(m, "reconsent_all_p50_ms"), 0);
  EXPECT_GE(figure(m, "reconsent_all_p99_ms"), figure(m, "reconsent_all_p50_ms"));
  EXPECT_GT(figure(m, "withdrawn"), 10);
  // Once every participant is enrolled, sites re-affirm consents instead.
  EXPECT_GT(figure(m, "reaffirmations"), 0);
  EXPECT_EQ(figure(m, "reconsents") + figure(m, "reaffirmations"),
            d.count(code(Kind::kReconsent), TxOutcome::kApplied));
  // Withdrawals commit in the block after submission: within one block interval.
  EXPECT_GT(figure(m, "withdraw_to_enforcement_p50_ms"), 0);
  EXPECT_LE(figure(m, "withdraw_to_enforcement_p99_ms"), 50);
  EXPECT_EQ(figure(m, "enrolled"), d.count(code(Kind::kEnrol), TxOutcome::kApplied));
}

TEST(ConsentWorkloadTest, WithoutObservationsSitesStillEnrolButNeverReconsent) {
  ConsentWorkload w(config_with(kClients));
  Driver d(w, kClients, kSeed, 20 * kNsPerMs, 50 * kNsPerMs, /*observe=*/false);
  d.run_until(30 * kNsPerSec);
  EXPECT_GT(d.count(code(Kind::kEnrol), TxOutcome::kApplied), 0u);
  EXPECT_GT(d.count(code(Kind::kEnrol), TxOutcome::kDenied), 0u);
  for (Kind k : {Kind::kReconsent, Kind::kWithdraw}) {
    const auto& o = d.outcomes()[code(k)];
    EXPECT_EQ(o[0] + o[1] + o[2], 0u) << kind_name(code(k));
  }
  EXPECT_EQ(figure(d.metrics(), "violations_accepted"), 0);
}

TEST(ConsentWorkloadTest, NextTxForAClientThatIsNoOrganisationThrows) {
  ConsentWorkload w(config_with(kClients));
  Rng rng(1);
  EXPECT_THROW(w.next_tx(kClients, 0, rng), std::out_of_range);
}

}  // namespace
}  // namespace hlsim::consent
