// The `hlsim` command line as a user runs it: exit statuses, messages, and the results files.
#include <H5Cpp.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "apps/cli_runner.h"

namespace {

namespace fs = std::filesystem;

using hlsim_cli::kBinary;
const std::string kSource = HLSIM_SOURCE_DIR;

using hlsim_cli::hlsim;
using hlsim_cli::Output;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hlsim-cli-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name)) << text;
    return path(name);
  }
  fs::path dir_;
};

std::string quick(const std::string& extra) {
  return "run " + kSource +
         "/scenarios/quickstart.yaml --quiet --set duration_s=3 --set drain_s=1 " + extra;
}

constexpr std::int64_t kNsPerS = 1'000'000'000;

template <class T>
const H5::PredType& native();
template <>
const H5::PredType& native<std::uint64_t>() {
  return H5::PredType::NATIVE_UINT64;
}
template <>
const H5::PredType& native<std::uint32_t>() {
  return H5::PredType::NATIVE_UINT32;
}
template <>
const H5::PredType& native<std::int64_t>() {
  return H5::PredType::NATIVE_INT64;
}

// One column of a table, read by name (HDF5 converts from the stored layout).
template <class T>
std::vector<T> column(H5::H5File& f, const std::string& dataset, const std::string& field) {
  H5::DataSet ds = f.openDataSet(dataset);
  std::vector<T> out(static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints()));
  H5::CompType t(sizeof(T));
  t.insertMember(field, 0, native<T>());
  if (!out.empty()) ds.read(out.data(), t);
  return out;
}

// The raw bytes of a dataset.
std::vector<char> table_bytes(const std::string& file, const std::string& dataset) {
  H5::H5File f(file, H5F_ACC_RDONLY);
  H5::DataSet ds = f.openDataSet(dataset);
  const auto size = ds.getInMemDataSize();
  std::vector<char> bytes(size);
  if (size > 0) ds.read(bytes.data(), ds.getDataType());
  return bytes;
}

TEST_F(CliTest, RunWritesResultsAndSummary) {
  const std::string out = path("r.h5");
  Output o = hlsim(quick("-o " + out));
  ASSERT_EQ(o.status, 0) << o.text;
  ASSERT_TRUE(fs::exists(out));
  ASSERT_TRUE(fs::exists(path("r.summary.json")));
  H5::H5File f(out, H5F_ACC_RDONLY);
  for (const char* table :
       {"tx", "blocks", "nodes", "messages", "timeseries", "leaders", "faults"}) {
    EXPECT_TRUE(f.nameExists(std::string("runs/0/") + table)) << table;
  }
  H5::Group run = f.openGroup("runs/0");
  std::uint8_t complete = 0;
  run.openAttribute("complete").read(H5::PredType::NATIVE_UINT8, &complete);
  EXPECT_EQ(complete, 1);
  EXPECT_GT(f.openDataSet("runs/0/tx").getSpace().getSimpleExtentNpoints(), 100);
  // Values read back by name are what was written: heights 1..n committed by all 5 validators,
  // node ids 0..4.
  const auto heights = column<std::uint64_t>(f, "runs/0/blocks", "height");
  const auto commits = column<std::uint32_t>(f, "runs/0/blocks", "commits");
  ASSERT_GT(heights.size(), 10u);
  for (std::size_t i = 0; i < heights.size(); ++i) {
    EXPECT_EQ(heights[i], i + 1);
    EXPECT_LE(commits[i], 5u);
    EXPECT_GE(commits[i], 1u);
  }
  EXPECT_EQ(column<std::uint32_t>(f, "runs/0/nodes", "node"),
            (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  for (std::int64_t busy : column<std::int64_t>(f, "runs/0/nodes", "cpu_busy_ns")) {
    EXPECT_GT(busy, 0);
    EXPECT_LT(busy, 4 * 4 * kNsPerS);  // 4 cores for 4 simulated seconds
  }
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().string().find(".tmp-"), std::string::npos) << e.path();
  }
}

TEST_F(CliTest, TablesAreIdenticalAcrossRunsWithTheSameSeed) {
  ASSERT_EQ(hlsim(quick("-o " + path("a.h5"))).status, 0);
  ASSERT_EQ(hlsim(quick("--threads 1 -o " + path("b.h5"))).status, 0);  // threads change nothing
  ASSERT_EQ(hlsim(quick("--seed 99 -o " + path("c.h5"))).status, 0);
  for (const char* t : {"tx", "blocks", "nodes", "messages", "timeseries", "leaders"}) {
    const std::string ds = std::string("runs/0/") + t;
    EXPECT_EQ(table_bytes(path("a.h5"), ds), table_bytes(path("b.h5"), ds)) << t;
  }
  EXPECT_NE(table_bytes(path("a.h5"), "runs/0/tx"), table_bytes(path("c.h5"), "runs/0/tx"));
}

TEST_F(CliTest, PrintsTheResultsTable) {
  Output o =
      hlsim("run " + kSource + "/scenarios/quickstart.yaml --set duration_s=2 -o " + path("t.h5"));
  ASSERT_EQ(o.status, 0) << o.text;
  for (const char* s : {"offered throughput", "committed throughput", "latency ms p50/p90/p99",
                        "p99.9/max", "blocks", "messages", "cpu busy", "events/s"}) {
    EXPECT_NE(o.text.find(s), std::string::npos) << s << " missing in:\n" << o.text;
  }
}

TEST_F(CliTest, BadScenarioExitsTwoNamingTheKeyAndWritesNothing) {
  const std::string bad = write("bad.yaml", "consensus:\n  nodes: many\n");
  Output o = hlsim("run " + bad + " -o " + path("never.h5"));
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.text.find("bad.yaml:2: consensus.nodes: expected an integer"), std::string::npos)
      << o.text;
  EXPECT_FALSE(fs::exists(path("never.h5")));
  EXPECT_FALSE(fs::exists(path("never.summary.json")));
}

TEST_F(CliTest, AScenarioTooBigForThisMachineIsRefusedBeforeRunning) {
  // 10,000 validators each keeping 10^7 tx/s for a day: far beyond any machine's memory.
  const std::string big = write(
      "big.yaml", "consensus: {nodes: 10000}\nduration_s: 86400\nworkload: {rate_tps: 1e7}\n");
  Output o = hlsim("run " + big + " -o " + path("never.h5"));
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.text.find("big.yaml: the run would need about "), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("of memory (8.64e+11 transactions"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("more than this machine's"), std::string::npos) << o.text;
  EXPECT_FALSE(fs::exists(path("never.h5")));
}

TEST_F(CliTest, AbsurdValuesAreRefusedWithTheReason) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"consensus: {nodes: 1000000000}\n", "consensus.nodes"},
      {"network: {latency_ms: -5}\n", "network.latency_ms"},
      {"network: {bandwidth_mbps: 0}\n", "network.bandwidth_mbps"},
      {"duration_s: 0\n", "duration_s"},
  };
  for (const auto& [yaml, key] : cases) {
    Output o = hlsim("run " + write("absurd.yaml", yaml) + " -o " + path("never.h5"));
    EXPECT_EQ(o.status, 2) << yaml;
    EXPECT_NE(o.text.find("absurd.yaml:1: " + key + ": expected"), std::string::npos) << o.text;
    EXPECT_FALSE(fs::exists(path("never.h5")));
  }
}

TEST_F(CliTest, BadOverrideExitsTwo) {
  Output o = hlsim(quick("--set workload.rate_tsp=5 -o " + path("x.h5")));
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.text.find("did you mean 'rate_tps'"), std::string::npos) << o.text;
}

TEST_F(CliTest, MissingScenarioFileExitsTwo) {
  Output o = hlsim("run " + path("nope.yaml"));
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.text.find("cannot open scenario file"), std::string::npos) << o.text;
}

TEST_F(CliTest, UnwritableOutputDirectoryExitsTwoBeforeRunning) {
  Output o = hlsim(quick("-o " + path("no/such/dir/r.h5")));
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.text.find("does not exist"), std::string::npos) << o.text;
}

TEST_F(CliTest, AFullDiskGivesAClearErrorAndLeavesNoFileBehind) {
  // A file-size limit makes every write past 64 KiB fail as on a full disk (with SIGXFSZ
  // ignored, write() returns EFBIG instead of killing the process).
  const std::string out = path("full.h5");
  const std::string log = path("full.log");
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{64 * 1024, 64 * 1024};
    setrlimit(RLIMIT_FSIZE, &limit);
    const std::string scenario = kSource + "/scenarios/quickstart.yaml";
    execl(kBinary.c_str(), kBinary.c_str(), "run", scenario.c_str(), "--quiet", "--set",
          "duration_s=5", "-o", out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int raw = 0;
  waitpid(pid, &raw, 0);
  ASSERT_TRUE(WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 1);
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("full.h5: write failed (disk full?)"), std::string::npos) << text;
  // Nothing half-written: neither the results, nor the summary, nor a temporary file.
  for (const auto& entry : fs::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(name == "full.log") << "left behind: " << name;
  }
}

TEST_F(CliTest, InterruptLeavesAValidFileMarkedIncomplete) {
  const std::string out = path("int.h5");
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string scenario = kSource + "/scenarios/quickstart.yaml";
    // A run far longer than the test: its memory estimate exceeds any machine, hence the flag.
    execl(kBinary.c_str(), kBinary.c_str(), "run", scenario.c_str(), "--quiet", "--set",
          "duration_s=100000", "--no-memory-check", "-o", out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Long enough for start-up (scenario, keys, signal handlers) even in a loaded sanitizer build.
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  kill(pid, SIGINT);
  int raw = 0;
  waitpid(pid, &raw, 0);
  ASSERT_TRUE(WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 130);
  ASSERT_TRUE(fs::exists(out));
  H5::H5File f(out, H5F_ACC_RDONLY);
  std::uint8_t complete = 1;
  f.openGroup("runs/0").openAttribute("complete").read(H5::PredType::NATIVE_UINT8, &complete);
  EXPECT_EQ(complete, 0);
  EXPECT_GT(f.openDataSet("runs/0/tx").getSpace().getSimpleExtentNpoints(), 0);
}

TEST_F(CliTest, ListShowsEveryModuleWithParametersAndUnits) {
  Output o = hlsim("list");
  ASSERT_EQ(o.status, 0) << o.text;
  for (const char* s :
       {"raft", "election_timeout_min_ms", "ehr", "patients", "full_mesh", "star", "regions", "csv",
        "memory", "ed25519_verify_ns", "workload.rate_tps", "[ms]"}) {
    EXPECT_NE(o.text.find(s), std::string::npos) << s;
  }
}

}  // namespace
