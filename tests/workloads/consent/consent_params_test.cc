// Consent parameters: defaults with cited sources, bounds, and cross-checks whose errors name the
// key.
#include "workloads/consent/consent_params.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "workloads/workload.h"

namespace hlsim::consent {
namespace {

Result<ConsentConfig> config(std::uint32_t clients,
                             const std::map<std::string, std::string>& given) {
  Result<ParamValues> values = ParamValues::parse(consent_param_specs(), given, "workload");
  if (!values) return values.error();
  WorkloadSetup setup;
  setup.seed = 7;
  setup.clients = clients;
  setup.validators = 4;
  return consent_config(*values, setup);
}

std::string error_of(std::uint32_t clients, const std::map<std::string, std::string>& given) {
  Result<ConsentConfig> c = config(clients, given);
  return c.ok() ? "" : c.error().message;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

TEST(ConsentParamsTest, DefaultsBuildARoleLayoutFromTheClientCount) {
  const Result<ConsentConfig> c = config(23, {});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->roles.sponsors, 2u);
  EXPECT_EQ(c->roles.monitors, 1u);
  EXPECT_EQ(c->roles.sites(), 20u);
  EXPECT_EQ(c->trials, 20u);
  EXPECT_DOUBLE_EQ(c->single_site_fraction, 0.6);
  EXPECT_EQ(c->roles.participants_per_site, 1'000u);
  EXPECT_EQ(c->payload_bytes, 300u);
  EXPECT_DOUBLE_EQ(c->violation_fraction, 0.05);
  EXPECT_EQ(c->seed, 7u);
  EXPECT_TRUE(c->roles.is_sponsor(1));
  EXPECT_TRUE(c->roles.is_monitor(2));
  EXPECT_TRUE(c->roles.is_site(3));
  EXPECT_FALSE(c->roles.is_site(23));
}

TEST(ConsentParamsTest, TheSingleSiteDefaultCitesItsSource) {
  for (const ParamSpec& s : consent_param_specs()) {
    EXPECT_FALSE(s.help.empty()) << s.name;
    if (s.name == "single_site_fraction") {
      EXPECT_NE(s.help.find("Trials 2022"), std::string::npos);
    }
  }
}

TEST(ConsentParamsTest, TooFewClientsForASiteNamesClients) {
  const std::string e = error_of(3, {{"trials", "1"}});
  EXPECT_TRUE(starts_with(e, "workload.clients:")) << e;
  EXPECT_TRUE(error_of(4, {{"trials", "2"}}).empty());
  EXPECT_TRUE(starts_with(error_of(4, {{"monitors", "2"}, {"trials", "2"}}), "workload.clients:"));
}

TEST(ConsentParamsTest, FewerTrialsThanSitesOrSponsorsNamesTrials) {
  const std::string e = error_of(13, {{"trials", "9"}});  // 10 sites
  EXPECT_TRUE(starts_with(e, "workload.trials:")) << e;
  EXPECT_NE(e.find("10"), std::string::npos) << e;
  EXPECT_TRUE(error_of(13, {{"trials", "10"}}).empty());
  EXPECT_TRUE(starts_with(error_of(6, {{"sponsors", "4"}, {"monitors", "0"}, {"trials", "3"}}),
                          "workload.trials:"));
}

TEST(ConsentParamsTest, SponsorShareAboveOneNamesAmendFraction) {
  const std::string e = error_of(8, {{"amend_fraction", "0.7"}, {"viewer_change_fraction", "0.4"}});
  EXPECT_TRUE(starts_with(e, "workload.amend_fraction:")) << e;
  EXPECT_TRUE(error_of(8, {{"amend_fraction", "0.6"}, {"viewer_change_fraction", "0.4"}}).empty());
}

TEST(ConsentParamsTest, OutOfBoundValuesAreRejectedByName) {
  EXPECT_TRUE(starts_with(error_of(8, {{"single_site_fraction", "1.5"}}),
                          "workload.single_site_fraction:"));
  EXPECT_TRUE(starts_with(error_of(8, {{"sponsors", "0"}}), "workload.sponsors:"));
  EXPECT_TRUE(starts_with(error_of(8, {{"participants_per_site", "0"}}),
                          "workload.participants_per_site:"));
  EXPECT_TRUE(
      starts_with(error_of(8, {{"violation_fraction", "-0.1"}}), "workload.violation_fraction:"));
  EXPECT_TRUE(starts_with(error_of(8, {{"payload_bytes", "0"}}), "workload.payload_bytes:"));
  EXPECT_TRUE(
      starts_with(error_of(8, {{"max_sites_per_trial", "0"}}), "workload.max_sites_per_trial:"));
}

TEST(ConsentParamsTest, TheRegistryBuildsTheWorkloadAndPassesOnErrors) {
  const WorkloadInfo* info = find_workload("consent");
  ASSERT_NE(info, nullptr);
  EXPECT_FALSE(info->summary.empty());
  EXPECT_EQ(info->params.size(), consent_param_specs().size());
  const Result<ParamValues> values = ParamValues::parse(info->params, {}, "workload");
  ASSERT_TRUE(values.ok());
  WorkloadSetup setup;
  setup.clients = 23;
  Result<std::unique_ptr<Workload>> w = info->make(*values, setup);
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ((*w)->kind_names().size(), 12u);
  EXPECT_TRUE((*w)->reacts_to_ledger());
  EXPECT_NE((*w)->make_contract(), nullptr);
  EXPECT_NE((*w)->make_metrics(), nullptr);
  setup.clients = 3;
  w = info->make(*values, setup);
  ASSERT_FALSE(w.ok());
  EXPECT_TRUE(starts_with(w.error().message, "workload.clients:")) << w.error().message;
}

}  // namespace
}  // namespace hlsim::consent
