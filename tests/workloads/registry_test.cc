// The workload registry: lookup by name, parameters, and errors that name the bad key.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "sim/kernel/params.h"
#include "workloads/workload.h"

namespace hlsim {
namespace {

WorkloadSetup setup_with(std::uint32_t clients) {
  WorkloadSetup s;
  s.seed = 7;
  s.clients = clients;
  s.validators = 4;
  return s;
}

Result<std::unique_ptr<Workload>> make_ehr(const std::map<std::string, std::string>& given,
                                           std::uint32_t clients = 4) {
  const WorkloadInfo* info = find_workload("ehr");
  EXPECT_NE(info, nullptr);
  Result<ParamValues> values = ParamValues::parse(info->params, given, "workload");
  EXPECT_TRUE(values.ok()) << values.error().message;
  return info->make(*values, setup_with(clients));
}

TEST(WorkloadRegistryTest, FindWorkloadEhrGivesItsInfoAndAWorkingFactory) {
  const WorkloadInfo* info = find_workload("ehr");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->name, "ehr");
  EXPECT_FALSE(info->summary.empty());

  std::set<std::string> names;
  for (const ParamSpec& p : info->params) {
    names.insert(p.name);
    EXPECT_FALSE(p.help.empty()) << p.name;
    EXPECT_FALSE(p.default_value.empty()) << p.name;
  }
  const std::set<std::string> expected = {"patients",           "zipf_s",
                                          "record_bytes",       "document_bytes",
                                          "consent_bytes",      "access_bytes",
                                          "consent_duration_s", "mix_record_write",
                                          "mix_consent_grant",  "mix_consent_revoke",
                                          "mix_access_request", "consented_access_fraction"};
  EXPECT_EQ(names, expected);

  Result<std::unique_ptr<Workload>> w = make_ehr({});
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ((*w)->kind_names().size(), 4u);
  EXPECT_NE((*w)->make_contract(), nullptr);
}

TEST(WorkloadRegistryTest, FindWorkloadOfAnUnknownNameGivesNull) {
  EXPECT_EQ(find_workload("ehrr"), nullptr);
  EXPECT_EQ(find_workload(""), nullptr);
}

TEST(WorkloadRegistryTest, DefaultsAreTheDocumentedValues) {
  const ParamValues v = ParamValues::defaults(find_workload("ehr")->params);
  EXPECT_EQ(v.get_int("patients"), 10'000);
  EXPECT_DOUBLE_EQ(v.get_double("zipf_s"), 0.8);
  EXPECT_EQ(v.get_int("record_bytes"), 300);
  EXPECT_EQ(v.get_int("consent_bytes"), 250);
  EXPECT_EQ(v.get_int("access_bytes"), 200);
  EXPECT_EQ(v.get_int("consent_duration_s"), 2'592'000);
  EXPECT_DOUBLE_EQ(v.get_double("mix_record_write"), 0.40);
  EXPECT_DOUBLE_EQ(v.get_double("mix_consent_grant"), 0.20);
  EXPECT_DOUBLE_EQ(v.get_double("mix_consent_revoke"), 0.05);
  EXPECT_DOUBLE_EQ(v.get_double("mix_access_request"), 0.35);
  EXPECT_DOUBLE_EQ(v.get_double("consented_access_fraction"), 0.7);
}

TEST(WorkloadRegistryTest, AllMixWeightsZeroGivesAnErrorNamingTheMixKeys) {
  Result<std::unique_ptr<Workload>> w = make_ehr({{"mix_record_write", "0"},
                                                  {"mix_consent_grant", "0"},
                                                  {"mix_consent_revoke", "0"},
                                                  {"mix_access_request", "0"}});
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error().message.find("workload.mix_*"), std::string::npos) << w.error().message;
}

TEST(WorkloadRegistryTest, ANegativeMixWeightIsRejectedNamingItsKey) {
  Result<ParamValues> values =
      ParamValues::parse(find_workload("ehr")->params, {{"mix_consent_grant", "-1"}}, "workload");
  ASSERT_FALSE(values.ok());
  EXPECT_NE(values.error().message.find("workload.mix_consent_grant"), std::string::npos)
      << values.error().message;
}

TEST(WorkloadRegistryTest, OneZeroWeightAmongPositiveOnesIsAccepted) {
  Result<std::unique_ptr<Workload>> w = make_ehr({{"mix_consent_revoke", "0"}});
  EXPECT_TRUE(w.ok()) << w.error().message;
}

TEST(WorkloadRegistryTest, FewerPatientsThanOrganisationsGivesAnErrorNamingPatients) {
  Result<std::unique_ptr<Workload>> w = make_ehr({{"patients", "3"}}, 4);
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error().message.find("workload.patients"), std::string::npos) << w.error().message;
}

TEST(WorkloadRegistryTest, ASingleOrganisationGivesAnErrorBecauseConsentNeedsAGrantee) {
  Result<std::unique_ptr<Workload>> w = make_ehr({}, 1);
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error().message.find("workload.clients"), std::string::npos) << w.error().message;
}

}  // namespace
}  // namespace hlsim
