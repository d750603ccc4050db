// A loaded scenario's effective_yaml ("exactly what ran", stored in every results file) loads
// again to itself, for every shipped scenario and every scenario input of the fuzz corpus and its
// regressions: the property the scenario fuzz target checks on everything it generates.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/scenario/scenario.h"

namespace hlsim {
namespace {

namespace fs = std::filesystem;
const std::string kDataDir = HLSIM_SOURCE_DIR;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(EffectiveYamlTest, IsAFixedPointOfLoadingForEveryShippedAndFuzzedScenario) {
  int loaded = 0;
  for (const char* folder : {"scenarios", "fuzz/corpus/scenario", "fuzz/regressions/scenario"}) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(kDataDir) / folder)) {
      if (!entry.is_regular_file()) continue;
      const std::string base = entry.path().parent_path().string();
      const auto first = load_scenario_text(read(entry.path()), entry.path().filename().string(),
                                            {}, base, kDataDir);
      if (!first.ok()) continue;  // rejected inputs have nothing to round-trip
      ++loaded;
      const auto again =
          load_scenario_text(first->effective_yaml, "effective.yaml", {}, base, kDataDir);
      ASSERT_TRUE(again.ok()) << entry.path() << ": " << again.error().message << "\n"
                              << first->effective_yaml;
      EXPECT_EQ(again->effective_yaml, first->effective_yaml) << entry.path();
    }
  }
  EXPECT_GT(loaded, 20);
}

}  // namespace
}  // namespace hlsim
