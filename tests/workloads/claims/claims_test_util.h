// Shared helpers of the claims tests: a checked configuration from scenario-style values.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "sim/kernel/params.h"
#include "workloads/claims/claims_params.h"

namespace hlsim::claims::test_util {

inline constexpr std::uint64_t kSeed = 20240601;

inline WorkloadSetup setup_for(std::uint32_t clients, TimeNs day_ns = 86'400 * kNsPerSec) {
  WorkloadSetup setup;
  setup.seed = kSeed;
  setup.clients = clients;
  setup.validators = 4;
  setup.day_ns = day_ns;
  return setup;
}

inline ClaimsConfig config_with(std::uint32_t clients,
                                const std::map<std::string, std::string>& given = {},
                                TimeNs day_ns = 86'400 * kNsPerSec) {
  Result<ParamValues> values = ParamValues::parse(claims_param_specs(), given, "workload");
  EXPECT_TRUE(values.ok()) << values.error().message;
  Result<ClaimsConfig> config = claims_config(*values, setup_for(clients, day_ns));
  EXPECT_TRUE(config.ok()) << config.error().message;
  return *config;
}

}  // namespace hlsim::claims::test_util
