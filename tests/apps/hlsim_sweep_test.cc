// `hlsim sweep` as a user runs it: one file with a group per run and tables across runs; a second
// invocation reuses every finished run; a point that cannot run is recorded and the others go on;
// the figures do not depend on how many runs go in parallel; an interrupt keeps what finished;
// mistakes exit 2 and replace nothing.
#include <H5Cpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "apps/cli_runner.h"

namespace {

namespace fs = std::filesystem;
using hlsim_cli::hlsim;
using hlsim_cli::Output;

const std::string kSource = HLSIM_SOURCE_DIR;

// Short runs: two simulated seconds of light load.
const std::string kBase = "base: " + kSource +
                          "/scenarios/consensus/pbft-n4.yaml\n"
                          "set: {duration_s: 2, drain_s: 1, workload.rate_tps: 50}\n";

class SweepCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hlsim_sweep_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  // Writes a sweep file; without an output key, its results go to <name stem>.h5 here.
  std::string write(const std::string& name, const std::string& text) const {
    std::string t = text;
    if (t.find("output:") == std::string::npos) {
      t += "output: " + (dir_ / fs::path(name).stem()).string() + ".h5\n";
    }
    std::ofstream(path(name)) << t;
    return path(name);
  }
  fs::path dir_;
};

// `hlsim <args>` run from `dir`.
Output in_dir(const fs::path& dir, const std::string& args) {
  Output out{0, ""};
  FILE* pipe = popen(
      ("cd '" + dir.string() + "' && " + hlsim_cli::kBinary + " " + args + " 2>&1").c_str(), "r");
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), pipe) != nullptr) out.text += buf.data();
  const int raw = pclose(pipe);
  out.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return out;
}

std::vector<double> f64_column(const std::string& file, const std::string& table,
                               const std::string& column) {
  H5::H5File f(file, H5F_ACC_RDONLY);
  H5::DataSet ds = f.openDataSet(table);
  const auto n = static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints());
  H5::CompType t(sizeof(double));
  t.insertMember(column, 0, H5::PredType::NATIVE_DOUBLE);
  std::vector<double> v(n);
  if (n > 0) ds.read(v.data(), t);
  return v;
}

std::vector<std::string> str_column(const std::string& file, const std::string& table,
                                    const std::string& column) {
  H5::H5File f(file, H5F_ACC_RDONLY);
  H5::DataSet ds = f.openDataSet(table);
  const auto n = static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints());
  constexpr std::size_t kWidth = 512;
  H5::CompType t(kWidth);
  t.insertMember(column, 0, H5::StrType(H5::PredType::C_S1, kWidth));
  std::vector<char> buf(n * kWidth, 0);
  if (n > 0) ds.read(buf.data(), t);
  std::vector<std::string> v;
  for (std::size_t i = 0; i < n; ++i) v.emplace_back(buf.data() + i * kWidth);
  return v;
}

std::string text_attr(const std::string& file, const std::string& group, const char* name) {
  H5::H5File f(file, H5F_ACC_RDONLY);
  H5::Attribute a = f.openGroup(group).openAttribute(name);
  std::string s;
  a.read(a.getStrType(), s);
  return s;
}

TEST_F(SweepCliTest, OneFileWithAGroupPerRunAndTablesAcrossRuns) {
  // No output key: the results go to <sweep file stem>.h5 in the current directory.
  std::ofstream(path("s.yaml")) << kBase << "grid: {consensus.protocol: [raft, pbft]}\nseeds: 2\n";
  const Output o = in_dir(dir_, "sweep s.yaml -j 2");
  ASSERT_EQ(o.status, 0) << o.text;
  const std::string out = path("s.h5");  // default: <sweep file stem>.h5, in the current directory
  ASSERT_TRUE(fs::exists(out)) << o.text;
  EXPECT_FALSE(fs::exists(out + ".parts"));
  EXPECT_NE(o.text.find("4 runs (2 points x 2 seeds)"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("runs: 4 ok"), std::string::npos) << o.text;
  EXPECT_EQ(str_column(out, "sweep/runs", "status"),
            (std::vector<std::string>{"ok", "ok", "ok", "ok"}));
  EXPECT_EQ(str_column(out, "sweep/runs", "consensus.protocol"),
            (std::vector<std::string>{"raft", "raft", "pbft", "pbft"}));
  EXPECT_EQ(f64_column(out, "sweep/runs", "seed").size(), 4u);
  for (double tps : f64_column(out, "sweep/runs", "committed_tps")) EXPECT_GT(tps, 0);
  // The aggregate: a row per point, over both seeds, the interval around the mean.
  const auto mean = f64_column(out, "sweep/aggregate", "committed_tps_mean");
  const auto lo = f64_column(out, "sweep/aggregate", "committed_tps_ci95_lo");
  const auto hi = f64_column(out, "sweep/aggregate", "committed_tps_ci95_hi");
  ASSERT_EQ(mean.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_LE(lo[i], mean[i]);
    EXPECT_GE(hi[i], mean[i]);
  }
  // Each run is a whole single-run group, labelled with its point and seed.
  EXPECT_EQ(text_attr(out, "runs/2", "sweep_point"), R"({"consensus.protocol":"pbft"})");
  EXPECT_EQ(text_attr(out, "runs/3", "sweep_label"), "consensus.protocol=pbft seed=2");
  EXPECT_EQ(text_attr(out, "runs/0", "protocol"), "raft");
  H5::H5File f(out, H5F_ACC_RDONLY);
  EXPECT_GT(f.openDataSet("runs/1/tx").getSpace().getSimpleExtentNpoints(), 0);
  EXPECT_EQ(text_attr(out, "sweep", "parameters"), R"(["consensus.protocol"])");
}

TEST_F(SweepCliTest, ASecondInvocationReusesEveryFinishedRun) {
  const std::string spec = write("s.yaml", kBase + "seeds: 2\n");
  ASSERT_EQ(hlsim("sweep " + spec + " -j 2").status, 0);
  const auto events = f64_column(path("s.h5"), "sweep/runs", "events");
  Output again = hlsim("sweep " + spec + " -j 2");
  ASSERT_EQ(again.status, 0) << again.text;
  EXPECT_NE(again.text.find("0 runs done now on"), std::string::npos) << again.text;
  EXPECT_NE(again.text.find("2 reused from an earlier sweep"), std::string::npos) << again.text;
  // One more seed: only it runs; the earlier runs keep their results.
  write("s.yaml", kBase + "seeds: 3\n");
  const Output plan = hlsim("sweep " + spec + " --plan");
  ASSERT_EQ(plan.status, 0) << plan.text;
  EXPECT_NE(plan.text.find("0  done   seed=1"), std::string::npos) << plan.text;
  EXPECT_NE(plan.text.find("2  to run seed=3"), std::string::npos) << plan.text;
  again = hlsim("sweep " + spec + " -j 2");
  ASSERT_EQ(again.status, 0) << again.text;
  EXPECT_NE(again.text.find("1 runs done now on"), std::string::npos) << again.text;
  const auto events3 = f64_column(path("s.h5"), "sweep/runs", "events");
  ASSERT_EQ(events3.size(), 3u);
  EXPECT_EQ(events3[0], events[0]);
  EXPECT_EQ(events3[1], events[1]);
  // A changed base setting changes every run's scenario: nothing is reused.
  write("s.yaml", kBase + "seeds: 3\ngrid: {workload.rate_tps: [60]}\n");
  EXPECT_EQ(hlsim("sweep " + spec + " --plan").text.find("done"), std::string::npos);
}

TEST_F(SweepCliTest, ARunThatCannotRunIsRecordedAndTheOthersGoOn) {
  // PBFT needs 4 validators: the two runs at n = 2 fail, the two at n = 4 run.
  const std::string spec = write("s.yaml", kBase + "grid: {consensus.nodes: [2, 4]}\nseeds: 2\n");
  const Output o = hlsim("sweep " + spec + " -j 2");
  EXPECT_EQ(o.status, 1) << o.text;
  EXPECT_NE(o.text.find("runs: 2 ok, 0 with a safety violation, 0 incomplete, 2 errors"),
            std::string::npos)
      << o.text;
  EXPECT_NE(o.text.find("consensus.nodes=2 seed=1: error: "), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("pbft needs at least 4 nodes"), std::string::npos) << o.text;
  const std::string out = path("s.h5");
  EXPECT_EQ(str_column(out, "sweep/runs", "status"),
            (std::vector<std::string>{"error", "error", "ok", "ok"}));
  EXPECT_NE(str_column(out, "sweep/runs", "detail")[0].find("at least 4 nodes"), std::string::npos);
  EXPECT_TRUE(std::isnan(f64_column(out, "sweep/runs", "committed_tps")[0]));
  EXPECT_EQ(f64_column(out, "sweep/aggregate", "n"), (std::vector<double>{0, 2}));
  H5::H5File f(out, H5F_ACC_RDONLY);
  EXPECT_EQ(f.openGroup("runs").getNumObjs(), 2u);  // runs/2 and runs/3
}

TEST_F(SweepCliTest, TheFiguresDoNotDependOnTheJobCount) {
  const std::string one = write("one.yaml", kBase +
                                                "grid: {consensus.protocol: [raft, pbft]}\n"
                                                "seeds: 2\n");
  const std::string two = write("two.yaml", kBase +
                                                "grid: {consensus.protocol: [raft, pbft]}\n"
                                                "seeds: 2\n");
  ASSERT_EQ(hlsim("sweep " + one + " -j 1 -q").status, 0);
  ASSERT_EQ(hlsim("sweep " + two + " -j 2 -q").status, 0);
  for (const char* c : {"committed_tps", "p50_ms", "p99_ms", "msgs_per_block", "events"}) {
    EXPECT_EQ(f64_column(path("one.h5"), "sweep/runs", c),
              f64_column(path("two.h5"), "sweep/runs", c))
        << c;
  }
}

TEST_F(SweepCliTest, MistakesExitTwoAndReplaceNothing) {
  Output o = hlsim("sweep " + write("bad.yaml", kBase + "grids: {a: [1]}\n"));
  EXPECT_EQ(o.status, 2) << o.text;
  EXPECT_NE(o.text.find("bad.yaml:3: grids: unknown key"), std::string::npos) << o.text;
  o = hlsim("sweep " + write("key.yaml", kBase + "grid: {consensus.nodez: [4]}\n"));
  EXPECT_EQ(o.status, 2) << o.text;
  EXPECT_NE(o.text.find("consensus.nodez"), std::string::npos) << o.text;
  o = hlsim("sweep " + path("missing.yaml"));
  EXPECT_EQ(o.status, 2) << o.text;
  EXPECT_NE(o.text.find("missing.yaml: cannot open sweep file"), std::string::npos) << o.text;
  // A results file of `hlsim run` is not overwritten by a sweep.
  const std::string single = path("single.h5");
  ASSERT_EQ(hlsim("run " + kSource + "/scenarios/consensus/pbft-n4.yaml -q --set duration_s=1 -o " +
                  single)
                .status,
            0);
  const auto before = fs::file_size(single);
  o = hlsim("sweep " + write("s.yaml", kBase) + " -o " + single);
  EXPECT_EQ(o.status, 2) << o.text;
  EXPECT_NE(o.text.find("holds results but not a sweep's"), std::string::npos) << o.text;
  EXPECT_EQ(fs::file_size(single), before);
  o = hlsim("sweep " + write("s.yaml", kBase) + " -o " + path("no/such/dir/x.h5"));
  EXPECT_EQ(o.status, 2) << o.text;
}

TEST_F(SweepCliTest, AnInterruptKeepsTheFinishedRunsAndTheSameCommandFinishes) {
  // Three runs of about 2 s each (release build; far longer under the sanitizers), one at a time:
  // the interrupt lands during one of them, after start-up has installed the signal handler.
  const std::string spec =
      write("s.yaml", "base: " + kSource +
                          "/scenarios/consensus/pbft-n4.yaml\n"
                          "set: {duration_s: 40, drain_s: 1, workload.rate_tps: 100}\n"
                          "seeds: [1, 2, 3]\n");
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    execl(hlsim_cli::kBinary.c_str(), hlsim_cli::kBinary.c_str(), "sweep", spec.c_str(), "-j", "1",
          "-q", static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  kill(pid, SIGINT);
  int raw = 0;
  waitpid(pid, &raw, 0);
  ASSERT_TRUE(WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 130);
  const std::string out = path("s.h5");
  ASSERT_TRUE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out + ".parts"));
  const auto statuses = str_column(out, "sweep/runs", "status");
  ASSERT_EQ(statuses.size(), 3u);
  for (const auto& s : statuses) EXPECT_TRUE(s == "ok" || s == "not-run") << s;
  EXPECT_EQ(statuses.back(), "not-run");
  const Output finish = hlsim("sweep " + spec + " -j 2");
  ASSERT_EQ(finish.status, 0) << finish.text;
  EXPECT_EQ(str_column(out, "sweep/runs", "status"), (std::vector<std::string>{"ok", "ok", "ok"}));
}

}  // namespace
