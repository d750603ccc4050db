// What only the RocksDB backend promises: durability across close, process death and kill -9,
// exclusive opening, and clear errors for missing, locked, foreign and corrupt directories.
#include "ledger/storage/rocksdb_ledger_store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "temp_dir.h"

namespace hlsim {
namespace {

namespace fs = std::filesystem;

Bytes block_encoding(Height h) {
  Bytes b(2000 + h % 7);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(h * 131 + i);
  return b;
}

// Block h's writes: a few new keys, an update of a shared key, and every third block an erase.
std::vector<StateWrite> block_writes(Height h) {
  std::vector<StateWrite> w;
  for (int i = 0; i < 5; ++i) {
    w.push_back({"rec/" + std::to_string(h) + "/" + std::to_string(i),
                 std::string(10 + h % 13, static_cast<char>('a' + i))});
  }
  w.push_back({"last", std::to_string(h)});
  if (h % 3 == 0) w.push_back({"rec/" + std::to_string(h - 1) + "/0", std::nullopt});
  return w;
}

std::unique_ptr<LedgerStore> open_or_die(const std::string& dir, bool create) {
  auto r = open_rocksdb_ledger_store(dir, create);
  if (!r) ADD_FAILURE() << r.error().message;
  return r ? std::move(r).value() : nullptr;
}

struct Snapshot {
  Height height = 0;
  std::vector<Bytes> blocks;
  std::map<std::string, std::string> state;
  std::uint64_t key_count = 0;
  std::uint64_t state_bytes = 0;
  bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(const LedgerStore& s) {
  Snapshot snap;
  snap.height = s.height();
  for (Height h = 1; h <= s.height(); ++h) snap.blocks.push_back(s.block(h).value());
  s.for_each_state([&](std::string_view k, std::string_view v) {
    snap.state.emplace(std::string(k), std::string(v));
  });
  snap.key_count = s.key_count();
  snap.state_bytes = s.state_bytes();
  return snap;
}

// What a memory store holds after blocks 1..n: the expected contents of a recovered store.
Snapshot expected_after(Height n) {
  auto mem = make_memory_ledger_store();
  for (Height h = 1; h <= n; ++h) {
    if (!mem->commit_block(h, block_encoding(h), block_writes(h), Hash256{})) ADD_FAILURE() << h;
  }
  return snapshot(*mem);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Waits for a child process; kills it if it has not finished after `timeout` (a hung child must
// fail the test, not hang it). Returns the wait status, or -1 on timeout.
int wait_child(pid_t pid, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1;
}

TEST(RocksDbLedgerStoreTest, BlockKeysAreBigEndianSoByteOrderIsHeightOrder) {
  const auto k = rocksdb_ledger::block_key(0x0102030405060708ULL);
  EXPECT_EQ(k, (std::array<std::uint8_t, 8>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_LT(rocksdb_ledger::block_key(255), rocksdb_ledger::block_key(256));
}

TEST(RocksDbLedgerStoreTest, ReportsItsBackend) {
  test_util::TempDir tmp;
  auto s = open_or_die(tmp.sub("db"), true);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->backend(), "rocksdb");
}

TEST(RocksDbLedgerStoreTest, CreatesNestedDirectories) {
  test_util::TempDir tmp;
  const std::string dir = tmp.sub("run/nodes/node-3/ledger");
  auto s = open_or_die(dir, true);
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(fs::is_directory(dir));
}

TEST(RocksDbLedgerStoreTest, ReopenAfterCloseRestoresBlocksStateCountersAndMeta) {
  test_util::TempDir tmp;
  const std::string dir = tmp.sub("db");
  constexpr Height kBlocks = 30;
  {
    auto s = open_or_die(dir, true);
    ASSERT_NE(s, nullptr);
    for (Height h = 1; h <= kBlocks; ++h) {
      ASSERT_TRUE(s->commit_block(h, block_encoding(h), block_writes(h), Hash256{}));
    }
    ASSERT_TRUE(s->put_meta("scheme", Bytes{'p', 'b', 'f', 't'}));
    // A rejected commit must not reach the disk either.
    ASSERT_FALSE(s->commit_block(kBlocks + 2, block_encoding(1), block_writes(1), Hash256{}));
    EXPECT_EQ(snapshot(*s), expected_after(kBlocks));
  }
  for (int round = 0; round < 2; ++round) {
    auto s = open_or_die(dir, false);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(snapshot(*s), expected_after(kBlocks + round));
    EXPECT_EQ(s->get_meta("scheme"), (Bytes{'p', 'b', 'f', 't'}));
    ASSERT_TRUE(s->commit_block(kBlocks + round + 1, block_encoding(kBlocks + round + 1),
                                block_writes(kBlocks + round + 1), Hash256{}));
  }
  auto s = open_or_die(dir, false);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(snapshot(*s), expected_after(kBlocks + 2));
}

// More data than the memtables hold, so reopening reads flushed table files as well as the log.
TEST(RocksDbLedgerStoreTest, ReopenAfterFlushesRestoresEverything) {
  test_util::TempDir tmp;
  const std::string dir = tmp.sub("db");
  constexpr Height kBlocks = 300;
  const Bytes big(60'000, 0x5a);
  std::uint64_t key_count = 0;
  std::uint64_t state_bytes = 0;
  {
    auto s = open_or_die(dir, true);
    ASSERT_NE(s, nullptr);
    for (Height h = 1; h <= kBlocks; ++h) {
      std::vector<StateWrite> writes;
      for (int i = 0; i < 100; ++i) {
        writes.push_back({"k/" + std::to_string((h * 100 + i) % 7919), std::string(100, 'v')});
      }
      Bytes enc = big;
      enc[0] = static_cast<std::uint8_t>(h);
      ASSERT_TRUE(s->commit_block(h, enc, writes, Hash256{}));
    }
    key_count = s->key_count();
    state_bytes = s->state_bytes();
  }
  auto s = open_or_die(dir, false);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->height(), kBlocks);
  EXPECT_EQ(s->key_count(), key_count);
  EXPECT_EQ(s->state_bytes(), state_bytes);
  std::uint64_t n = 0;
  s->for_each_state([&](std::string_view, std::string_view) { ++n; });
  EXPECT_EQ(n, key_count);
  for (Height h : {Height{1}, Height{150}, kBlocks}) {
    const auto b = s->block(h);
    ASSERT_TRUE(b.has_value()) << h;
    EXPECT_EQ(b->size(), big.size());
    EXPECT_EQ((*b)[0], static_cast<std::uint8_t>(h));
  }
}

// The crash test: a child process commits blocks and dies with _exit(0), never closing the
// database (no destructor, no RocksDB Close, no flush). Every block whose commit returned must
// be there when the parent reopens the directory.
TEST(RocksDbLedgerStoreTest, ReopenAfterProcessDiesWithoutClosingRecoversEveryCommittedBlock) {
  test_util::TempDir tmp;
  const std::string dir = tmp.sub("db");
  constexpr Height kBlocks = 40;
  {
    auto s = open_or_die(dir, true);
    ASSERT_NE(s, nullptr);
    ASSERT_TRUE(s->commit_block(1, block_encoding(1), block_writes(1), Hash256{}));
  }  // closed: the child opens an existing store, as a restarted node would

  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Child: no gtest assertions (the parent would not see them); the exit code says how far it
    // got.
    auto r = open_rocksdb_ledger_store(dir, false);
    if (!r) ::_exit(10);
    LedgerStore& s = **r;
    for (Height h = 2; h <= kBlocks; ++h) {
      if (!s.commit_block(h, block_encoding(h), block_writes(h), Hash256{})) ::_exit(11);
    }
    if (!s.put_meta("crashed", Bytes{1})) ::_exit(12);
    ::_exit(0);
  }
  const int status = wait_child(pid, std::chrono::seconds(60));
  ASSERT_NE(status, -1) << "child timed out";
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);

  auto s = open_or_die(dir, false);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(snapshot(*s), expected_after(kBlocks));
  EXPECT_EQ(s->get_meta("crashed"), Bytes{1});
  EXPECT_TRUE(s->commit_block(kBlocks + 1, block_encoding(kBlocks + 1), block_writes(kBlocks + 1),
                              Hash256{}));
}

// The same with SIGKILL while the child still holds the database open: nothing of the child runs
// after the signal.
TEST(RocksDbLedgerStoreTest, ReopenAfterKillNineRecoversEveryCommittedBlock) {
  test_util::TempDir tmp;
  const std::string dir = tmp.sub("db");
  constexpr Height kBlocks = 25;
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(ready[0]);
    auto r = open_rocksdb_ledger_store(dir, true);
    if (!r) ::_exit(10);
    for (Height h = 1; h <= kBlocks; ++h) {
      if (!(*r)->commit_block(h, block_encoding(h), block_writes(h), Hash256{})) ::_exit(11);
    }
    const char done = 'x';
    if (::write(ready[1], &done, 1) != 1) ::_exit(12);
    for (;;) ::pause();  // killed here, holding the database open
  }
  ::close(ready[1]);
  char c = 0;
  const ssize_t n = ::read(ready[0], &c, 1);
  ::close(ready[0]);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_EQ(n, 1) << "child failed before committing, wait status " << status;
  ASSERT_TRUE(WIFSIGNALED(status));

  auto s = open_or_die(dir, false);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(snapshot(*s), expected_after(kBlocks));
}

TEST(RocksDbLedgerStoreTest, OpeningTwiceInOneProcessFailsCleanly) {
  test_util::TempDir tmp;
  const std::string dir = tmp.sub("db");
  auto first = open_or_die(dir, true);
  ASSERT_NE(first, nullptr);
  ASSERT_TRUE(first->commit_block(1, block_encoding(1), block_writes(1), Hash256{}));

  for (bool create : {false, true}) {
    auto second = open_rocksdb_ledger_store(dir, create);
    ASSERT_FALSE(second);
    EXPECT_TRUE(contains(second.error().message, dir)) << second.error().message;
    EXPECT_TRUE(contains(second.error().message, "lock")) << second.error().message;
  }
  // The first store is unaffected.
  EXPECT_TRUE(first->commit_block(2, block_encoding(2), block_writes(2), Hash256{}));
  first.reset();
  auto again = open_or_die(dir, false);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->height(), 2u);
}

TEST(RocksDbLedgerStoreTest, OpeningADirectoryLockedByAnotherProcessFails) {
  test_util::TempDir tmp;
  const std::string dir = tmp.sub("db");
  int ready[2];
  int release[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(release), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(ready[0]);
    ::close(release[1]);
    auto r = open_rocksdb_ledger_store(dir, true);
    const char ok = r ? 'y' : 'n';
    if (::write(ready[1], &ok, 1) != 1) ::_exit(12);
    char c = 0;
    (void)::read(release[0], &c, 1);  // hold the lock until the parent has tried
    ::_exit(0);
  }
  ::close(ready[1]);
  ::close(release[0]);
  char ok = 0;
  const ssize_t got = ::read(ready[0], &ok, 1);
  ::close(ready[0]);
  std::optional<Result<std::unique_ptr<LedgerStore>>> r;
  if (got == 1 && ok == 'y') r.emplace(open_rocksdb_ledger_store(dir, false));
  // Release the child before any assertion can return early.
  const char go = 'g';
  (void)::write(release[1], &go, 1);
  ::close(release[1]);
  const int status = wait_child(pid, std::chrono::seconds(60));
  ASSERT_EQ(got, 1);
  ASSERT_EQ(ok, 'y') << "the child could not open the store";
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_FALSE(*r);
  EXPECT_TRUE(contains(r->error().message, dir)) << r->error().message;
  EXPECT_TRUE(contains(r->error().message, "lock")) << r->error().message;

  // Once the other process is gone, the directory opens.
  auto s = open_or_die(dir, false);
  EXPECT_NE(s, nullptr);
}

TEST(RocksDbLedgerStoreTest, MissingDirectoryWithoutCreateFailsNamingIt) {
  test_util::TempDir tmp;
  const std::string dir = tmp.sub("no-such-ledger");
  auto r = open_rocksdb_ledger_store(dir, false);
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().message, dir)) << r.error().message;
  EXPECT_FALSE(fs::exists(dir)) << "create=false must not create anything";
}

TEST(RocksDbLedgerStoreTest, EmptyExistingDirectoryWithoutCreateFails) {
  test_util::TempDir tmp;
  const std::string dir = tmp.sub("empty");
  fs::create_directories(dir);
  auto r = open_rocksdb_ledger_store(dir, false);
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().message, dir)) << r.error().message;
  EXPECT_TRUE(fs::is_empty(dir)) << "create=false must not write into the directory";
}

TEST(RocksDbLedgerStoreTest, EmptyDirectoryNameFails) {
  auto r = open_rocksdb_ledger_store("", true);
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().message, "empty")) << r.error().message;
}

TEST(RocksDbLedgerStoreTest, PathThatIsAFileFails) {
  test_util::TempDir tmp;
  const std::string path = tmp.sub("file");
  std::ofstream(path) << "not a database";
  for (bool create : {false, true}) {
    auto r = open_rocksdb_ledger_store(path, create);
    ASSERT_FALSE(r);
    EXPECT_TRUE(contains(r.error().message, path)) << r.error().message;
  }
}

TEST(RocksDbLedgerStoreTest, CorruptCurrentFileFailsWithAMessage) {
  test_util::TempDir tmp;
  const std::string dir = tmp.sub("db");
  {
    auto s = open_or_die(dir, true);
    ASSERT_NE(s, nullptr);
    ASSERT_TRUE(s->commit_block(1, block_encoding(1), block_writes(1), Hash256{}));
  }
  std::ofstream(dir + "/CURRENT", std::ios::trunc) << "MANIFEST-999999\n";
  for (bool create : {false, true}) {
    auto r = open_rocksdb_ledger_store(dir, create);
    ASSERT_FALSE(r);
    EXPECT_TRUE(contains(r.error().message, dir)) << r.error().message;
    EXPECT_TRUE(contains(r.error().message, "cannot open")) << r.error().message;
  }
}

TEST(RocksDbLedgerStoreTest, CorruptManifestFailsWithAMessage) {
  test_util::TempDir tmp;
  const std::string dir = tmp.sub("db");
  {
    auto s = open_or_die(dir, true);
    ASSERT_NE(s, nullptr);
    ASSERT_TRUE(s->commit_block(1, block_encoding(1), block_writes(1), Hash256{}));
  }
  bool overwritten = false;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("MANIFEST-", 0) == 0) {
      std::ofstream(entry.path(), std::ios::binary | std::ios::trunc) << std::string(200, '\xa5');
      overwritten = true;
    }
  }
  ASSERT_TRUE(overwritten);
  auto r = open_rocksdb_ledger_store(dir, false);
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().message, dir)) << r.error().message;
}

TEST(RocksDbLedgerStoreTest, UnreadableDirectoryFailsWithAMessage) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  test_util::TempDir tmp;
  const std::string dir = tmp.sub("db");
  { ASSERT_NE(open_or_die(dir, true), nullptr); }
  fs::permissions(dir, fs::perms::none);
  auto r = open_rocksdb_ledger_store(dir, false);
  fs::permissions(dir, fs::perms::owner_all);
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().message, dir)) << r.error().message;
}

// Unreadable in a way root cannot override: CURRENT is a directory.
TEST(RocksDbLedgerStoreTest, UnreadableCurrentFileFailsWithAMessage) {
  test_util::TempDir tmp;
  const std::string dir = tmp.sub("db");
  { ASSERT_NE(open_or_die(dir, true), nullptr); }
  fs::remove(fs::path(dir) / "CURRENT");
  fs::create_directory(fs::path(dir) / "CURRENT");
  for (bool create : {false, true}) {
    auto r = open_rocksdb_ledger_store(dir, create);
    ASSERT_FALSE(r);
    EXPECT_TRUE(contains(r.error().message, dir)) << r.error().message;
  }
}

// A RocksDB database that is not an hlsim ledger is refused, with or without create.
TEST(RocksDbLedgerStoreTest, ForeignRocksDbDatabaseIsRefused) {
  test_util::TempDir tmp;
  const std::string dir = tmp.sub("foreign");
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir, &raw).ok());
    const std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "someone", "else's data").ok());
    ASSERT_TRUE(db->Close().ok());
  }
  auto without_create = open_rocksdb_ledger_store(dir, false);
  ASSERT_FALSE(without_create);
  EXPECT_TRUE(contains(without_create.error().message, dir)) << without_create.error().message;

  auto with_create = open_rocksdb_ledger_store(dir, true);
  ASSERT_FALSE(with_create);
  EXPECT_TRUE(contains(with_create.error().message, "not an hlsim ledger store"))
      << with_create.error().message;
}

// Several stores open at once in one process (one per simulated node), each in its own directory.
TEST(RocksDbLedgerStoreTest, ManyStoresInOneProcessAreIndependent) {
  test_util::TempDir tmp;
  constexpr int kNodes = 12;
  std::vector<std::unique_ptr<LedgerStore>> nodes;
  for (int i = 0; i < kNodes; ++i) {
    nodes.push_back(open_or_die(tmp.sub("node-" + std::to_string(i)), true));
    ASSERT_NE(nodes.back(), nullptr);
  }
  for (int i = 0; i < kNodes; ++i) {
    for (Height h = 1; h <= static_cast<Height>(i) + 1; ++h) {
      ASSERT_TRUE(nodes[static_cast<std::size_t>(i)]->commit_block(
          h, block_encoding(h), std::vector<StateWrite>{{"node", std::to_string(i)}}, Hash256{}));
    }
  }
  for (int i = 0; i < kNodes; ++i) {
    EXPECT_EQ(nodes[static_cast<std::size_t>(i)]->height(), static_cast<Height>(i) + 1);
    EXPECT_EQ(nodes[static_cast<std::size_t>(i)]->get("node"), std::to_string(i));
  }
}

}  // namespace
}  // namespace hlsim
