// `hlsim calibrate`: runs the binary. A --quick run writes a profile the loader accepts and prints
// a progress line per figure; bad arguments and unwritable paths exit 2 and write nothing. No
// test asserts an absolute timing beyond a generous guard against a hang.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "apps/cli_runner.h"
#include "sim/scenario/profile_loader.h"

namespace {

namespace fs = std::filesystem;

using hlsim_cli::hlsim;
using hlsim_cli::Output;

// A fresh directory for one test, removed afterwards.
class CalibrateCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hlsim-calibrate-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

TEST_F(CalibrateCliTest, QuickRunWritesALoadableProfileAndReportsProgress) {
  const fs::path out = dir_ / "profile.yaml";
  const auto start = std::chrono::steady_clock::now();
  const Output o =
      hlsim("calibrate --quick --name cli-test -o " + out.string() + " --dir " + dir_.string());
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(o.status, 0) << o.text;
  EXPECT_LT(wall_s, 120) << "--quick is meant to take seconds";
  const hlsim::Result<hlsim::HardwareProfile> p = hlsim::load_profile(out.string(), "", "");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->name, "cli-test");
  for (const auto& [name, value] : hlsim::profile_fields(*p)) {
    EXPECT_NE(o.text.find("  " + name + " "), std::string::npos) << "no progress line for " << name;
    // Fitted per-call / per-byte figures may clamp to 0 on a loaded machine (see calibrate.h).
    EXPECT_GE(value, 0) << name;
  }
  EXPECT_GT(p->ed25519_sign_ns, 0);
  EXPECT_GT(p->ed25519_verify_ns, p->ed25519_sign_ns);
  EXPECT_NE(o.text.find(" ns  (IQR "), std::string::npos) << o.text;
  // Only the profile is left: no temporary file, no scratch directory.
  std::size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir_)) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
}

TEST_F(CalibrateCliTest, UnwritablePathExits2AndWritesNothing) {
  const fs::path out = dir_ / "missing-dir" / "profile.yaml";
  const Output o = hlsim("calibrate --quick -o " + out.string());
  EXPECT_EQ(o.status, 2) << o.text;
  EXPECT_NE(o.text.find("hlsim: error: -o " + out.string()), std::string::npos) << o.text;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.parent_path()));
  // A directory given as the output file.
  const Output d = hlsim("calibrate --quick -o " + dir_.string());
  EXPECT_EQ(d.status, 2) << d.text;
  EXPECT_NE(d.text.find("is a directory"), std::string::npos) << d.text;
}

TEST_F(CalibrateCliTest, BadArgumentsExit2) {
  const fs::path out = dir_ / "profile.yaml";
  EXPECT_EQ(hlsim("calibrate --quick").status, 2) << "-o is required";
  EXPECT_EQ(hlsim("calibrate --repeats 0 -o " + out.string()).status, 2);
  EXPECT_EQ(hlsim("calibrate --repeats many -o " + out.string()).status, 2);
  const Output d =
      hlsim("calibrate --quick -o " + out.string() + " --dir " + (dir_ / "no-such-dir").string());
  EXPECT_EQ(d.status, 2) << d.text;
  EXPECT_NE(d.text.find("--dir"), std::string::npos) << d.text;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
