// `hlsim verify` as a user runs it: a results file's exported chain and a run's RocksDB ledgers
// (all nodes, or one node's directory) verify with exit 0; a tampered RocksDB block exits 1 naming
// the block; a missing path or a file that is no ledger exits 2.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "apps/cli_runner.h"
#include "ledger/storage/rocksdb_ledger_store.h"

namespace {

namespace fs = std::filesystem;

using hlsim_cli::hlsim;
using hlsim_cli::Output;

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

const char* kScenario =
    "name: verify-cli\n"
    "seed: 9\n"
    "duration_s: 2\n"
    "drain_s: 1\n"
    "consensus: {protocol: raft, nodes: 3}\n"
    "workload: {kind: ehr, clients: 6, rate_tps: 60}\n";

class VerifyCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hlsim-verify-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    scenario_ = path("scenario.yaml");
    std::ofstream(scenario_) << kScenario;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Runs the scenario into `out`; asserts success.
  void run(const std::string& out, const std::string& extra = "") {
    const Output o = hlsim("run " + scenario_ + " --quiet -o " + out + " " + extra);
    ASSERT_EQ(o.status, 0) << o.text;
    ASSERT_TRUE(fs::exists(out));
  }

  fs::path dir_;
  std::string scenario_;
};

TEST_F(VerifyCliTest, ResultsFileVerifies) {
  const std::string out = path("x.h5");
  run(out);
  const Output v = hlsim("verify " + out);
  ASSERT_EQ(v.status, 0) << v.text;
  const std::vector<std::string> ls = lines(v.text);
  ASSERT_EQ(ls.size(), 1u) << v.text;
  EXPECT_EQ(ls[0].rfind("ok", 0), 0u) << v.text;
  EXPECT_NE(ls[0].find(out), std::string::npos) << v.text;
  EXPECT_NE(ls[0].find("re-executed state roots"), std::string::npos) << v.text;
  EXPECT_NE(ls[0].find("(0 with failing signatures"), std::string::npos) << v.text;

  // --json: one object, ok, with the figures.
  const Output j = hlsim("verify --json " + out);
  ASSERT_EQ(j.status, 0) << j.text;
  EXPECT_NE(j.text.find("\"ok\":true"), std::string::npos) << j.text;
  EXPECT_NE(j.text.find("\"state_reexecuted\":true"), std::string::npos) << j.text;
  EXPECT_EQ(j.text.find("\"blocks\":0,"), std::string::npos) << j.text;
}

TEST_F(VerifyCliTest, RocksdbLedgerVerifiesForEveryNodeAndForOneNode) {
  const std::string out = path("y.h5");
  run(out, "--set ledger.storage=rocksdb");
  const std::string ledger = path("y.ledger");
  ASSERT_TRUE(fs::is_directory(ledger));

  const Output all = hlsim("verify " + ledger);
  ASSERT_EQ(all.status, 0) << all.text;
  const std::vector<std::string> ls = lines(all.text);
  ASSERT_EQ(ls.size(), 3u) << all.text;
  for (int n = 0; n < 3; ++n) {
    EXPECT_EQ(ls[n].rfind("ok", 0), 0u) << ls[n];
    EXPECT_NE(ls[n].find("node-" + std::to_string(n)), std::string::npos) << ls[n];
    EXPECT_NE(ls[n].find("re-executed state roots"), std::string::npos) << ls[n];
  }

  const Output one = hlsim("verify " + ledger + "/node-0");
  ASSERT_EQ(one.status, 0) << one.text;
  ASSERT_EQ(lines(one.text).size(), 1u) << one.text;
  EXPECT_EQ(one.text.rfind("ok", 0), 0u) << one.text;

  // The results file written beside the ledger verifies too.
  const Output h5 = hlsim("verify " + out);
  EXPECT_EQ(h5.status, 0) << h5.text;
}

TEST_F(VerifyCliTest, TamperedRocksdbBlockFailsWithStatusOneNamingTheBlock) {
  const std::string out = path("z.h5");
  run(out, "--set ledger.storage=rocksdb");
  const std::string node = path("z.ledger") + "/node-1";
  {
    // Flip one byte in the middle of block 2's stored encoding, through RocksDB itself.
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, {}},
        {std::string(hlsim::rocksdb_ledger::kBlocksFamily), {}},
        {std::string(hlsim::rocksdb_ledger::kStateFamily), {}},
        {std::string(hlsim::rocksdb_ledger::kMetaFamily), {}}};
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), node, families, &handles, &raw).ok());
    const auto key = hlsim::rocksdb_ledger::block_key(2);
    const rocksdb::Slice k(reinterpret_cast<const char*>(key.data()), key.size());
    std::string value;
    ASSERT_TRUE(raw->Get(rocksdb::ReadOptions(), handles[1], k, &value).ok());
    value[value.size() / 2] ^= 0x01;
    ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), handles[1], k, value).ok());
    for (auto* h : handles) ASSERT_TRUE(raw->DestroyColumnFamilyHandle(h).ok());
    ASSERT_TRUE(raw->Close().ok());
    delete raw;
  }
  const Output v = hlsim("verify " + node);
  EXPECT_EQ(v.status, 1) << v.text;
  EXPECT_EQ(v.text.rfind("FAIL", 0), 0u) << v.text;
  EXPECT_NE(v.text.find("block 2:"), std::string::npos) << v.text;
  // Over the whole ledger directory: the other nodes still verify, the run as a whole fails.
  const Output all = hlsim("verify " + path("z.ledger"));
  EXPECT_EQ(all.status, 1) << all.text;
  const std::vector<std::string> ls = lines(all.text);
  ASSERT_EQ(ls.size(), 3u) << all.text;
  EXPECT_EQ(ls[0].rfind("ok", 0), 0u) << all.text;
  EXPECT_EQ(ls[1].rfind("FAIL", 0), 0u) << all.text;
  EXPECT_EQ(ls[2].rfind("ok", 0), 0u) << all.text;
}

TEST_F(VerifyCliTest, MissingPathOrNonLedgerFileIsBadInput) {
  const Output missing = hlsim("verify /nonexistent");
  EXPECT_EQ(missing.status, 2) << missing.text;
  EXPECT_NE(missing.text.find("no such file or directory"), std::string::npos) << missing.text;

  const std::string text = path("notes.txt");
  std::ofstream(text) << "this is not a ledger\n";
  const Output plain = hlsim("verify " + text);
  EXPECT_EQ(plain.status, 2) << plain.text;
  EXPECT_NE(plain.text.find("neither a ledger directory nor an HDF5 results file"),
            std::string::npos)
      << plain.text;

  // An empty directory is not a ledger directory either.
  fs::create_directories(path("empty"));
  const Output empty = hlsim("verify " + path("empty"));
  EXPECT_EQ(empty.status, 2) << empty.text;

  // No path at all: a usage error.
  const Output none = hlsim("verify");
  EXPECT_NE(none.status, 0) << none.text;
}

}  // namespace
