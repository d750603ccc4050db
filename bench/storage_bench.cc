// Benchmarks of a node's storage work, done for real (its simulated cost comes from
// HardwareProfile): committing blocks to the memory and RocksDB ledger stores, reopening a RocksDB
// store, and sealing and opening off-chain payloads with AES-256-GCM.
//
// RocksDB figures are for this host's disk with sync=false (the write-ahead log reaches the page
// cache, not the platter), which is what the simulator does; background flushes and compactions
// run concurrently and are part of what is measured.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "ledger/crypto/aes_gcm.h"
#include "ledger/storage/ledger_store.h"

namespace hlsim {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kValueBytes = 100;        // a state entry: a record pointer, digest, ACL
constexpr std::size_t kBlockBytes = 50 * 1024;  // a block encoding of ~200 signed transactions
constexpr std::uint64_t kKeySpace = 250'000;    // distinct state keys (patients x records)
constexpr std::size_t kWriteSets = 64;          // distinct blocks' write sets, cycled
constexpr Height kBlocksPerStore = 2'000;       // a fresh store after this many (bounds memory)

// A uniquely named directory under the system temp directory, removed with its contents.
class BenchDir {
 public:
  BenchDir() {
    static std::atomic<unsigned> counter{0};
    path_ = fs::temp_directory_path() / ("hlsim-storage-bench-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(counter.fetch_add(1)));
    fs::remove_all(path_);
  }
  BenchDir(const BenchDir&) = delete;
  BenchDir& operator=(const BenchDir&) = delete;
  ~BenchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

enum class Backend { kMemory, kRocksDb };

std::unique_ptr<LedgerStore> open_store(Backend backend, const std::string& dir, bool create) {
  if (backend == Backend::kMemory) return make_memory_ledger_store();
  auto r = open_rocksdb_ledger_store(dir, create);
  if (!r) throw std::runtime_error(r.error().message);
  return std::move(r).value();
}

Bytes block_encoding() {
  Bytes b(kBlockBytes);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(i * 131 + (i >> 9));
  return b;
}

// Write sets of `n` puts each over a fixed key space (a multiplicative hash spreads them), so that
// early blocks mostly insert and later ones mostly update, as an EHR workload does.
std::vector<std::vector<StateWrite>> write_sets(std::size_t n) {
  std::vector<std::vector<StateWrite>> sets(kWriteSets);
  std::uint64_t i = 0;
  for (auto& set : sets) {
    set.reserve(n);
    for (std::size_t j = 0; j < n; ++j, ++i) {
      const std::uint64_t k = (i * 2654435761ULL) % kKeySpace;
      std::string value(kValueBytes, static_cast<char>('a' + i % 26));
      value.replace(0, 8, std::to_string(10'000'000 + i % 10'000'000));
      set.push_back({"ehr/patient/" + std::to_string(k), std::move(value)});
    }
  }
  return sets;
}

std::uint64_t write_bytes(const std::vector<StateWrite>& set) {
  std::uint64_t bytes = 0;
  for (const StateWrite& w : set) bytes += w.key.size() + (w.value ? w.value->size() : 0);
  return bytes;
}

// One iteration commits one block of range(0) state writes plus a 50 KB encoding.
// items/s: state writes; bytes/s: block encoding plus keys and values.
void BM_BlockCommit(benchmark::State& state, Backend backend) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Bytes block = block_encoding();
  const auto sets = write_sets(n);
  std::uint64_t bytes = 0;
  std::uint64_t writes = 0;

  std::optional<BenchDir> dir;
  std::unique_ptr<LedgerStore> store;
  Height h = 0;
  const auto fresh_store = [&] {
    store.reset();
    dir.reset();
    dir.emplace();
    store = open_store(backend, dir->sub("ledger"), true);
    h = 0;
  };
  fresh_store();
  for (auto _ : state) {
    if (h == kBlocksPerStore) {
      state.PauseTiming();
      fresh_store();
      state.ResumeTiming();
    }
    const auto& set = sets[h % sets.size()];
    if (!store->commit_block(h + 1, block, set, Hash256{})) {
      state.SkipWithError("commit_block failed");
      break;
    }
    ++h;
    writes += set.size();
    bytes += block.size() + write_bytes(set);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(writes));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["blocks/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  // Closing and removing the store happen after the timed loop has ended.
}
BENCHMARK_CAPTURE(BM_BlockCommit, memory, Backend::kMemory)
    ->Arg(200)
    ->Arg(1000)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_BlockCommit, rocksdb, Backend::kRocksDb)
    ->Arg(200)
    ->Arg(1000)
    ->UseRealTime()  // RocksDB's background flushes and compactions run on other threads
    ->Unit(benchmark::kMicrosecond);

// A RocksDB store of range(0) blocks (200 writes and 50 KB each), built once per run.
void build_store(const std::string& dir, Height blocks) {
  auto store = open_store(Backend::kRocksDb, dir, true);
  const Bytes block = block_encoding();
  const auto sets = write_sets(200);
  for (Height h = 1; h <= blocks; ++h) {
    if (!store->commit_block(h, block, sets[h % sets.size()], Hash256{})) {
      throw std::runtime_error("commit_block failed while building the store");
    }
  }
}

// Reopening a store that was closed cleanly and reopened before: what a node restart costs once
// the log has been replayed into table files. One iteration: open and close.
void BM_RocksDbReopen(benchmark::State& state) {
  const auto blocks = static_cast<Height>(state.range(0));
  BenchDir dir;
  const std::string path = dir.sub("ledger");
  build_store(path, blocks);
  open_store(Backend::kRocksDb, path, false).reset();  // replay the log once, outside timing
  for (auto _ : state) {
    auto store = open_store(Backend::kRocksDb, path, false);
    if (store->height() != blocks) state.SkipWithError("wrong height after reopen");
    benchmark::DoNotOptimize(store);
  }
  state.counters["blocks"] = static_cast<double>(blocks);
}
BENCHMARK(BM_RocksDbReopen)->Arg(100)->Arg(1000)->UseRealTime()->Unit(benchmark::kMillisecond);

// Reopening after the writing process stopped without closing cleanly: the first open replays
// the write-ahead log (whatever the memtables held) into table files. Each iteration opens a fresh
// copy of the same directory; only the open is timed.
void BM_RocksDbRecover(benchmark::State& state) {
  const auto blocks = static_cast<Height>(state.range(0));
  BenchDir dir;
  const std::string original = dir.sub("original");
  build_store(original, blocks);
  const std::string copy = dir.sub("copy");
  for (auto _ : state) {
    state.PauseTiming();
    fs::remove_all(copy);
    fs::copy(original, copy, fs::copy_options::recursive);
    fs::remove(fs::path(copy) / "LOCK");
    state.ResumeTiming();
    auto store = open_store(Backend::kRocksDb, copy, false);
    if (store->height() != blocks) state.SkipWithError("wrong height after recovery");
    state.PauseTiming();
    store.reset();
    state.ResumeTiming();
  }
  state.counters["blocks"] = static_cast<double>(blocks);
}
BENCHMARK(BM_RocksDbRecover)->Arg(100)->Arg(1000)->UseRealTime()->Unit(benchmark::kMillisecond);

// --- AES-256-GCM for off-chain payloads (compare: openssl speed -evp aes-256-gcm) ---

Bytes payload(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 7);
  return b;
}

void BM_Aes256GcmSeal(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const AeadKey key = derive_payload_key(1, "record-0");
  const AeadNonce nonce = derive_payload_nonce(1, "record-0");
  const Bytes aad = payload(32);
  const Bytes plaintext = payload(n);
  for (auto _ : state) benchmark::DoNotOptimize(aes256gcm_seal(key, nonce, aad, plaintext));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_Aes256GcmSeal)->Arg(4096)->Arg(1 << 20);

void BM_Aes256GcmOpen(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const AeadKey key = derive_payload_key(1, "record-0");
  const AeadNonce nonce = derive_payload_nonce(1, "record-0");
  const Bytes aad = payload(32);
  const Bytes sealed = aes256gcm_seal(key, nonce, aad, payload(n));
  for (auto _ : state) {
    auto opened = aes256gcm_open(key, nonce, aad, sealed);
    if (!opened) state.SkipWithError("a valid payload was rejected");
    benchmark::DoNotOptimize(opened);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_Aes256GcmOpen)->Arg(4096)->Arg(1 << 20);

}  // namespace
}  // namespace hlsim

BENCHMARK_MAIN();
