// `hlsim size` as an architect runs it: the cheapest configurations that meet the levels, with
// their margins, and why the others cannot; exit 1 when nothing meets them; mistakes exit 2.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "apps/cli_runner.h"

namespace {

namespace fs = std::filesystem;
using hlsim_cli::hlsim;
using hlsim_cli::Output;

const std::string kSource = HLSIM_SOURCE_DIR;

class SizeCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hlsim_size_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& text) const {
    const std::string p = (dir_ / "size.yaml").string();
    std::ofstream(p) << "base: " << kSource << "/scenarios/consensus/pbft-n4.yaml\n"
                     << "set: {duration_s: 2, drain_s: 1, workload.rate_tps: 50}\n"
                     << text;
    return p;
  }
  fs::path dir_;
};

TEST_F(SizeCliTest, TheCheapestConfigurationsComeWithMarginsAndReasons) {
  const Output o = hlsim("size " + write("service: {committed_tps: 40, p99_ms: 500, failures: 1}\n"
                                         "consider: {protocols: [raft, pbft, tendermint], "
                                         "nodes: [3, 4], cores: [1, 2]}\n"));
  ASSERT_EQ(o.status, 0) << o.text;
  EXPECT_NE(o.text.find("cheapest configurations that meet the levels"), std::string::npos)
      << o.text;
  // Raft tolerates one failure at 3 validators, PBFT needs 4; one core suffices for 50 tx/s.
  EXPECT_NE(o.text.find("raft           3      1"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("pbft           4      1"), std::string::npos) << o.text;
  EXPECT_LT(o.text.find("raft           3      1"), o.text.find("pbft           4      1"))
      << "cheapest first:\n"
      << o.text;
  EXPECT_NE(o.text.find("%)"), std::string::npos) << o.text;  // margins
  // Tendermint waits 1 s between heights: its p99 cannot meet 500 ms.
  EXPECT_NE(o.text.find("cannot meet them"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("tendermint n=4 cores=2"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("ms > 500"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("(a full grid: 12)"), std::string::npos) << o.text;
}

TEST_F(SizeCliTest, NothingMeetsImpossibleLevels) {
  const Output o = hlsim("size -q " + write("service: {committed_tps: 40, p99_ms: 1}\n"
                                            "consider: {protocols: [raft], nodes: [3]}\n"));
  EXPECT_EQ(o.status, 1) << o.text;
  EXPECT_NE(o.text.find("NO configuration meets the service levels"), std::string::npos) << o.text;
}

TEST_F(SizeCliTest, MistakesExitTwo) {
  Output o = hlsim("size " + write("service: {committed_tps: 40}\n"
                                   "consider: {protocols: [rafts], nodes: [3]}\n"));
  EXPECT_EQ(o.status, 2) << o.text;
  EXPECT_NE(o.text.find("unknown protocol 'rafts'"), std::string::npos) << o.text;
  o = hlsim("size " + write("service: {committed_tps: 40}\nconsider: {protocols: [raft]}\n"));
  EXPECT_EQ(o.status, 2) << o.text;
  EXPECT_NE(o.text.find("consider: needs protocols and nodes"), std::string::npos) << o.text;
  o = hlsim("size " + write("set2: {}\n"));
  EXPECT_EQ(o.status, 2) << o.text;
  EXPECT_NE(o.text.find("size.yaml:3: set2: unknown key"), std::string::npos) << o.text;
}

}  // namespace
