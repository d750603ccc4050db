// `hlsim fuzz` as a user runs it: a slice of seeds passes with exit 0 and a table per protocol;
// the canary exits 0 only because it found violations, each printed with the command that
// reproduces it; --seed replays one case, --print-scenario prints a scenario `hlsim run` accepts;
// bad options exit 2.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "apps/cli_runner.h"

namespace {

namespace fs = std::filesystem;
using hlsim_cli::hlsim;
using hlsim_cli::Output;

const std::string kShort = " --safety-s 3 --liveness-s 5 ";

class FuzzCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hlsim_fuzz_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(FuzzCliTest, ASliceOfSeedsPassesAndReportsEachProtocol) {
  const std::string report = path("fuzz.json");
  const Output o =
      hlsim("fuzz --protocol raft --protocol pbft --seeds 3 -j 2 --determinism-every 2" + kShort +
            "--report " + report);
  ASSERT_EQ(o.status, 0) << o.text;
  EXPECT_NE(o.text.find("  raft "), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("  pbft "), std::string::npos) << o.text;
  std::ifstream in(report);
  const auto j = nlohmann::json::parse(in);
  EXPECT_TRUE(j["ok"].get<bool>());
  ASSERT_EQ(j["results"].size(), 2u);
  for (const auto& r : j["results"]) {
    EXPECT_EQ(r["seeds"].get<int>(), 3);
    EXPECT_EQ(r["pass"].get<int>(), 3);
    EXPECT_EQ(r["determinism_rechecked"].get<int>(), 2);  // seeds 1 and 3
    EXPECT_EQ(r["determinism_mismatches"].get<int>(), 0);
    EXPECT_GT(r["seeds_per_min"].get<double>(), 0);
  }
}

TEST_F(FuzzCliTest, TheCanaryFindsViolationsAndPrintsTheirReproduction) {
  const Output o = hlsim("fuzz --canary --protocol pbft --seeds 2 -j 2" + kShort);
  ASSERT_EQ(o.status, 0) << o.text;
  EXPECT_NE(o.text.find("pbft: detected"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("reproduce: hlsim fuzz --protocol pbft --seed 1 --canary --safety-s 3 "
                        "--liveness-s 5 --trace"),
            std::string::npos)
      << o.text;
  // The reproduction replays that seed: the same violation, exit 0 for a canary that fired.
  const Output one = hlsim("fuzz --protocol pbft --seed 1 --canary" + kShort);
  EXPECT_EQ(one.status, 0) << one.text;
  EXPECT_NE(one.text.find("safety: seed 1, height "), std::string::npos) << one.text;
}

TEST_F(FuzzCliTest, PrintScenarioGivesAScenarioThatHlsimRunAccepts) {
  const Output o = hlsim("fuzz --protocol tendermint --seed 4 --print-scenario");
  ASSERT_EQ(o.status, 0) << o.text;
  const std::string file = path("case.yaml");
  std::ofstream(file) << o.text;
  const Output run = hlsim("run " + file + " -q -o " + path("case.h5"));
  EXPECT_EQ(run.status, 0) << run.text;
}

TEST_F(FuzzCliTest, TraceReplaysOneSeedEventByEvent) {
  const Output o = hlsim("fuzz --protocol raft --seed 2 --trace" + kShort);
  ASSERT_EQ(o.status, 0) << o.text;
  EXPECT_NE(o.text.find(" s  node 0  "), std::string::npos);
  EXPECT_NE(o.text.find("receives append_entries from "), std::string::npos);
  EXPECT_NE(o.text.find("seed 2 ("), std::string::npos);
}

TEST_F(FuzzCliTest, BadOptionsExitTwo) {
  EXPECT_EQ(hlsim("fuzz --protocol paxos --seeds 1").status, 2);
  EXPECT_EQ(hlsim("fuzz --seed 3").status, 2);  // --seed needs exactly one protocol
  EXPECT_EQ(hlsim("fuzz --protocol raft --trace").status, 2);
  EXPECT_EQ(hlsim("fuzz --protocol raft --canary --seeds 1").status, 2);
  EXPECT_EQ(hlsim("fuzz --protocol raft --seeds 1 --safety-s 0").status, 2);
}

}  // namespace
