// `hlsim report` as a user runs it: a run's results file gives index.html with its plots (exit 0);
// a missing file, a file that is not a results file, or an output directory that cannot be made
// exits 2 with one line naming it; a missing report script exits 1 naming the path it looked at.
// (The report's content is tested by tests/analysis/report_test.py.)
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "apps/cli_runner.h"

namespace {

namespace fs = std::filesystem;

using hlsim_cli::hlsim;
using hlsim_cli::Output;

class ReportCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hlsim-report-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // One line, "hlsim: error: ...", naming `what`.
  static void expect_error_line(const Output& o, const std::string& what) {
    EXPECT_EQ(o.text.rfind("hlsim: error: ", 0), 0u) << o.text;
    EXPECT_NE(o.text.find(what), std::string::npos) << o.text;
    EXPECT_EQ(o.text.find('\n'), o.text.size() - 1) << o.text;
  }

  fs::path dir_;
};

TEST_F(ReportCliTest, WritesThePageAndPlotsOfARun) {
  const std::string scenario = path("s.yaml");
  std::ofstream(scenario) << "name: report-cli\nseed: 2\nduration_s: 2\ndrain_s: 1\n"
                             "consensus: {protocol: raft, nodes: 3}\n"
                             "workload: {kind: ehr, clients: 6, rate_tps: 60}\n";
  const std::string results = path("r.h5");
  const Output run = hlsim("run " + scenario + " --quiet -o " + results);
  ASSERT_EQ(run.status, 0) << run.text;
  const std::string out = path("report");
  const Output o = hlsim("report " + results + " -o " + out);
  ASSERT_EQ(o.status, 0) << o.text;
  EXPECT_NE(o.text.find("index.html"), std::string::npos) << o.text;
  for (const char* f :
       {"index.html", "figures.csv", "throughput.png", "throughput.svg", "latency_cdf.png",
        "latency_cdf.svg", "messages_per_block.png", "messages_per_block.svg"}) {
    EXPECT_TRUE(fs::is_regular_file(fs::path(out) / f)) << f;
  }
  const Output quiet = hlsim("report " + results + " -o " + out + " --quiet");
  EXPECT_EQ(quiet.status, 0) << quiet.text;
  EXPECT_EQ(quiet.text, "");
}

TEST_F(ReportCliTest, MissingResultsFileExits2) {
  const std::string missing = path("missing.h5");
  const Output o = hlsim("report " + missing + " -o " + path("out"));
  EXPECT_EQ(o.status, 2) << o.text;
  expect_error_line(o, missing);
  EXPECT_FALSE(fs::exists(path("out")));
}

TEST_F(ReportCliTest, NotAResultsFileExits2) {
  const std::string text = path("notes.h5");
  std::ofstream(text) << "not an HDF5 file\n";
  const Output o = hlsim("report " + text + " -o " + path("out"));
  EXPECT_EQ(o.status, 2) << o.text;
  expect_error_line(o, text);
}

TEST_F(ReportCliTest, UnwritableOutputDirectoryExits2) {
  // A directory below a regular file can never be made, whoever runs the test.
  const std::string blocker = path("file");
  std::ofstream(blocker) << "x";
  const std::string scenario = path("s.yaml");
  std::ofstream(scenario) << "name: report-cli\nseed: 2\nduration_s: 1\ndrain_s: 1\n"
                             "consensus: {protocol: raft, nodes: 3}\n"
                             "workload: {kind: ehr, clients: 3, rate_tps: 30}\n";
  const std::string results = path("r.h5");
  ASSERT_EQ(hlsim("run " + scenario + " --quiet -o " + results).status, 0);
  const std::string out = blocker + "/report";
  const Output o = hlsim("report " + results + " -o " + out);
  EXPECT_EQ(o.status, 2) << o.text;
  expect_error_line(o, out);
}

TEST_F(ReportCliTest, MissingScriptExits1NamingIt) {
  // The script is looked up under the data directory; an empty one has none.
  const std::string data = path("data");
  fs::create_directories(data);
  ::setenv("HLSIM_DATA_DIR", data.c_str(), 1);
  const Output o = hlsim("report " + path("r.h5") + " -o " + path("out"));
  ::unsetenv("HLSIM_DATA_DIR");
  EXPECT_EQ(o.status, 1) << o.text;
  expect_error_line(o, data + "/analysis/report.py");
}

}  // namespace
