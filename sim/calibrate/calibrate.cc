// The measurements behind `hlsim calibrate`. This file reads the wall clock on purpose (see the
// header): it is the measurement tool, not the simulation, and nothing in a run calls it.
#include "sim/calibrate/calibrate.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "consensus/message.h"
#include "consensus/raft/raft_messages.h"
#include "ledger/crypto/aes_gcm.h"
#include "ledger/crypto/sha256.h"
#include "ledger/crypto/signature.h"
#include "ledger/storage/ledger_store.h"
#include "ledger/storage/state_overlay.h"
#include "ledger/transaction.h"
#include "sim/kernel/params.h"
#include "sim/kernel/rng.h"
#include "sim/kernel/version.h"
#include "sim/scenario/profile_loader.h"
#include "workloads/workload.h"

namespace hlsim {
namespace {

namespace fs = std::filesystem;

// The wall clock, for timing batches (see the header: calibrate is outside the simulation).
using Clock = std::chrono::steady_clock;

// A failure inside a measurement (I/O, a self-check); run_calibration turns it into an Error.
class CalibrationFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

double elapsed_ns(Clock::time_point start) {
  return std::chrono::duration<double, std::nano>(Clock::now() - start).count();
}

// Results of timed work end here, so the compiler cannot drop the work as unused.
std::atomic<std::uint64_t> g_sink{0};
void consume(std::uint64_t v) { g_sink.fetch_add(v, std::memory_order_relaxed); }

// Runs an operation n times and returns the ns that count: the whole batch, or only its timed
// parts when a batch also builds its inputs (which is then excluded).
using Batch = std::function<double(std::uint64_t n)>;

template <class Op>
Batch timed_whole(Op op) {
  return [op](std::uint64_t n) mutable {
    const auto start = Clock::now();
    op(n);
    return elapsed_ns(start);
  };
}

constexpr std::uint64_t kNoCap = std::uint64_t{1} << 40;

struct Settings {
  int repeats = 0;
  double target_ns = 0;
};

// Bounds on a batch's iterations, besides the time target.
struct Limits {
  std::uint64_t min_n = 1;       // a batch must cover at least this (e.g. whole flush cycles)
  std::uint64_t max_n = kNoCap;  // ... and at most this (e.g. disk space)
};

// Iterations per batch: grown from limits.min_n until a batch lasts target_ns (or reaches
// limits.max_n). Each step aims 20% past the target at the rate just seen, growing 2x to 16x (a
// first batch runs on cold caches and can look slow).
std::uint64_t batch_size(const Batch& batch, double target_ns, Limits limits) {
  std::uint64_t n = std::min(limits.min_n, limits.max_n);
  for (;;) {
    const double t = batch(n);
    if (t >= target_ns || n >= limits.max_n) return n;
    const double now = static_cast<double>(n);
    const double want = t > 0 ? now * target_ns * 1.2 / t : now * 16;
    const double grown = std::clamp(want, now * 2, now * 16);
    n = std::min(limits.max_n, static_cast<std::uint64_t>(grown));
  }
}

// ns per operation of each repeat; a batch of n iterations performs n * ops_per_iteration
// operations.
std::vector<double> samples(const Batch& batch, const Settings& s, double ops_per_iteration = 1,
                            Limits limits = {}) {
  const std::uint64_t n = batch_size(batch, s.target_ns, limits);
  std::vector<double> out;
  for (int r = 0; r < s.repeats; ++r) {
    out.push_back(batch(n) / (static_cast<double>(n) * ops_per_iteration));
  }
  return out;
}

struct FitSamples {
  std::vector<double> per_call;
  std::vector<double> per_byte;
};

// How the two sizes of a fit take turns.
enum class Order {
  kAlternate,   // small, large, small, large...: drift in the machine hits both sizes alike
  kSmallFirst,  // every small batch, then every large one: when a large batch leaves work behind
                // (RocksDB flushes) that would otherwise land in the next small batch
};

struct FitPlan {
  double ops_per_iteration = 1;
  Limits small;
  Limits large;
  Order order = Order::kAlternate;
};

// One two-size fit per repeat (the r-th small batch with the r-th large one).
FitSamples fitted_samples(const Batch& small, double small_bytes, const Batch& large,
                          double large_bytes, const Settings& s, const FitPlan& plan = {}) {
  std::vector<double> t_small;
  std::vector<double> t_large;
  std::uint64_t n_small = 0;
  std::uint64_t n_large = 0;
  const auto run = [&](const Batch& b, const Limits& limits, std::uint64_t& n,
                       std::vector<double>& out) {
    if (n == 0) n = batch_size(b, s.target_ns, limits);
    out.push_back(b(n) / (static_cast<double>(n) * plan.ops_per_iteration));
  };
  for (int r = 0; r < s.repeats; ++r) {
    run(small, plan.small, n_small, t_small);
    if (plan.order == Order::kAlternate) run(large, plan.large, n_large, t_large);
  }
  if (plan.order == Order::kSmallFirst) {
    for (int r = 0; r < s.repeats; ++r) run(large, plan.large, n_large, t_large);
  }
  FitSamples out;
  for (int r = 0; r < s.repeats; ++r) {
    const LinearFit fit = fit_two_sizes(t_small[r], small_bytes, t_large[r], large_bytes);
    out.per_call.push_back(fit.per_call);
    out.per_byte.push_back(fit.per_byte);
  }
  return out;
}

// Collects figures into the calibration as they are measured.
class Recorder {
 public:
  Recorder(Calibration& c, const CalibrationOptions& o) : c_(c), o_(o) {}

  void add(const std::string& field, std::vector<double> ns, std::string method) {
    CalibratedFigure f{field, spread_of(std::move(ns)), std::move(method)};
    bool known = false;
    for (const HardwareProfileField& p : kHardwareProfileFields) {
      if (field == p.name) {
        c_.profile.*(p.member) = f.ns.median;
        known = true;
      }
    }
    if (!known) throw std::logic_error("calibrate: no profile field named " + field);
    c_.figures.push_back(std::move(f));
    if (o_.on_figure) o_.on_figure(c_.figures.back());
  }

 private:
  Calibration& c_;
  const CalibrationOptions& o_;
};

// n pseudo-random bytes: incompressible, so no storage layer can shrink them.
std::string random_bytes(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::string out(n, '\0');
  for (auto& ch : out) ch = static_cast<char>(rng.next_u64() & 0xff);
  return out;
}

Bytes to_bytes(const std::string& s) { return {s.begin(), s.end()}; }

// ---------------------------------------------------------------------------------------------
// Crypto

constexpr std::size_t kSignedMessageBytes = 200;  // about a transaction body (bench/crypto_bench)

void measure_signatures(Recorder& rec, const Settings& s, SigScheme scheme,
                        const std::string& sign_field, const std::string& verify_field) {
  const SigningKey key = SigningKey::derive(1, "calibrate", scheme);
  const Bytes msg = to_bytes(random_bytes(kSignedMessageBytes, 1));
  const std::string what = std::string(to_string(scheme)) + " ";
  rec.add(sign_field,
          samples(timed_whole([&](std::uint64_t n) {
                    std::uint64_t acc = 0;
                    for (std::uint64_t i = 0; i < n; ++i) acc += key.sign(msg).bytes[0];
                    consume(acc);
                  }),
                  s),
          what + "sign of a 200-byte message (about a transaction body), SigningKey::sign");
  const Signature sig = key.sign(msg);
  rec.add(verify_field,
          samples(timed_whole([&](std::uint64_t n) {
                    for (std::uint64_t i = 0; i < n; ++i) {
                      if (!verify_signature(key.public_key(), msg, sig)) {
                        throw CalibrationFailure(what + "verification rejected a valid signature");
                      }
                    }
                  }),
                  s),
          what + "verify of that signature from the raw public key, verify_signature");
}

constexpr std::size_t kSmallBytes = 64;
constexpr std::size_t kLargeBytes = 64 * 1024;

void measure_sha256(Recorder& rec, const Settings& s) {
  const Bytes small = to_bytes(random_bytes(kSmallBytes, 2));
  const Bytes large = to_bytes(random_bytes(kLargeBytes, 3));
  auto hashing = [](const Bytes& data) {
    return timed_whole([&data](std::uint64_t n) {
      std::uint64_t acc = 0;
      for (std::uint64_t i = 0; i < n; ++i) acc += sha256(data).bytes[0];
      consume(acc);
    });
  };
  const FitSamples fit =
      fitted_samples(hashing(small), kSmallBytes, hashing(large), kLargeBytes, s);
  rec.add("sha256_ns_per_call", fit.per_call,
          "sha256() of 64 B and of 64 KiB; intercept of the line through the two");
  rec.add("sha256_ns_per_byte", fit.per_byte, "slope of that line");
}

void measure_aes_gcm(Recorder& rec, const Settings& s) {
  // One key and nonce for every seal: safe here, since the ciphertexts are thrown away (a real
  // payload never reuses a (key, nonce) pair, see ledger/crypto/aes_gcm.h).
  const AeadKey key = derive_payload_key(1, "calibrate");
  const AeadNonce nonce = derive_payload_nonce(1, "calibrate");
  const Bytes aad = to_bytes(random_bytes(32, 4));
  const Bytes small = to_bytes(random_bytes(kSmallBytes, 5));
  const Bytes large = to_bytes(random_bytes(kLargeBytes, 6));
  auto sealing = [&](const Bytes& plaintext) {
    return timed_whole([&key, &nonce, &aad, &plaintext](std::uint64_t n) {
      std::uint64_t acc = 0;
      for (std::uint64_t i = 0; i < n; ++i) acc += aes256gcm_seal(key, nonce, aad, plaintext)[0];
      consume(acc);
    });
  };
  const FitSamples fit =
      fitted_samples(sealing(small), kSmallBytes, sealing(large), kLargeBytes, s);
  rec.add("aes256gcm_ns_per_call", fit.per_call,
          "aes256gcm_seal() of 64 B and of 64 KiB (32 B of AAD, output allocated); intercept");
  rec.add("aes256gcm_ns_per_byte", fit.per_byte, "slope of that line");
}

// ---------------------------------------------------------------------------------------------
// Contract execution

// Signed EHR transactions as a run would submit them: drafts from the registry's workload in
// submission order, each signed by its client's Ed25519 key. Each transaction comes from a
// uniformly chosen client and the clock advances evenly at the quick start's 300 tx/s (not by
// Poisson arrivals: only the mix and the growing state matter to execution time).
class EhrStream {
 public:
  explicit EhrStream(const CalibrationOptions& o)
      : driver_(Rng::stream(1, RngDomain::kScenario, 0)) {
    const WorkloadInfo* info = find_workload("ehr");
    if (info == nullptr) throw CalibrationFailure("tx_execute_ns: no 'ehr' workload registered");
    auto params = ParamValues::parse(info->params, {{"patients", std::to_string(o.ehr_patients)}},
                                     "workload");
    if (!params.ok()) throw CalibrationFailure("tx_execute_ns: " + params.error().message);
    auto workload = info->make(*params, WorkloadSetup{1, o.ehr_clients, 5});
    if (!workload.ok()) throw CalibrationFailure("tx_execute_ns: " + workload.error().message);
    workload_ = std::move(*workload);
    for (std::uint32_t c = 0; c < o.ehr_clients; ++c) {
      keys_.push_back(SigningKey::derive(1, "client-" + std::to_string(c)));
      rngs_.push_back(Rng::stream(1, RngDomain::kClient, c));
      nonces_.push_back(0);
    }
  }

  std::unique_ptr<Contract> make_contract() const { return workload_->make_contract(); }

  // The next `count` transactions (untimed work: drafting and signing).
  std::vector<Transaction> next(std::size_t count) {
    std::vector<Transaction> out;
    for (std::size_t i = 0; i < count; ++i) {
      now_ns_ += kInterArrivalNs;
      const auto c = static_cast<ClientId>(driver_.next_u64() % keys_.size());
      TxDraft draft = workload_->next_tx(c, now_ns_, rngs_[c]);
      Transaction tx;
      tx.kind = draft.kind;
      tx.client = c;
      tx.nonce = nonces_[c]++;
      tx.submit_ns = now_ns_;
      tx.payload = std::move(draft.payload);
      sign_tx(tx, keys_[c]);
      out.push_back(std::move(tx));
    }
    return out;
  }

  TimeNs now_ns() const { return now_ns_; }

 private:
  static constexpr TimeNs kInterArrivalNs = 1'000'000'000 / 300;
  std::unique_ptr<Workload> workload_;
  std::vector<SigningKey> keys_;
  std::vector<Rng> rngs_;
  std::vector<std::uint64_t> nonces_;
  Rng driver_;
  TimeNs now_ns_ = 0;
};

void measure_tx_execute(Recorder& rec, const Settings& s, const CalibrationOptions& o) {
  constexpr std::size_t kBlockTxs = 64;
  EhrStream stream(o);
  const std::unique_ptr<Contract> contract = stream.make_contract();
  const std::unique_ptr<LedgerStore> store = make_memory_ledger_store();
  Height height = 0;
  // Blocks of kBlockTxs: only the contract's apply() calls are timed; drafting, signing and
  // committing each block's write set (which keeps the overlay the size it is in a run) are not.
  const Batch batch = [&](std::uint64_t n) {
    double timed = 0;
    std::uint64_t acc = 0;
    for (std::uint64_t done = 0; done < n;) {
      const std::size_t count = std::min<std::uint64_t>(kBlockTxs, n - done);
      const std::vector<Transaction> txs = stream.next(count);
      StateOverlay overlay(*store);
      const TimeNs block_time = stream.now_ns();
      const auto start = Clock::now();
      for (const Transaction& tx : txs) acc += contract->apply(overlay, tx, block_time).writes;
      timed += elapsed_ns(start);
      const std::vector<StateWrite> writes = overlay.take_writes();
      const Status committed = store->commit_block(++height, {}, writes, Hash256{});
      if (!committed.ok()) throw CalibrationFailure("tx_execute_ns: " + committed.error().message);
      done += count;
    }
    consume(acc);
    return timed;
  };
  rec.add("tx_execute_ns", samples(batch, s),
          "EhrContract::apply() of signed EHR transactions (" + std::to_string(o.ehr_clients) +
              " organisations, " + std::to_string(o.ehr_patients) +
              " patients) on a StateOverlay over the in-memory store, blocks of 64; signing "
              "excluded, the overlay's map reads and writes included");
}

// ---------------------------------------------------------------------------------------------
// Storage

// A directory made for this calibration and removed with everything in it.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& parent) {
    const fs::path base = parent.empty() ? fs::temp_directory_path() : fs::path(parent);
    std::error_code ec;
    if (!fs::is_directory(base, ec)) {
      throw CalibrationFailure(base.string() + ": not a directory (scratch space for storage)");
    }
    path_ = base / ("hlsim-calibrate-" + std::to_string(::getpid()));
    fs::remove_all(path_, ec);
    if (!fs::create_directory(path_, ec)) {
      throw CalibrationFailure(path_.string() + ": cannot create: " + ec.message());
    }
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The filesystem type of `path` as statfs names it.
std::string filesystem_type(const fs::path& path) {
  struct statfs st {};
  if (::statfs(path.c_str(), &st) != 0) return "unknown";
  switch (static_cast<std::uint64_t>(st.f_type)) {
    case 0xEF53:
      return "ext2/3/4";
    case 0x01021994:
      return "tmpfs";
    case 0x58465342:
      return "xfs";
    case 0x9123683E:
      return "btrfs";
    case 0x794C7630:
      return "overlayfs";
    case 0x6969:
      return "nfs";
    case 0x2FC12FC1:
      return "zfs";
    case 0x65735546:
      return "fuse";
    default: {
      std::array<char, 32> buf{};
      std::snprintf(buf.data(), buf.size(), "0x%llx", static_cast<unsigned long long>(st.f_type));
      return buf.data();
    }
  }
}

// A fixed-width key: a 2-byte prefix and 14 hex digits, 16 bytes.
std::string key16(char prefix, std::uint64_t i) {
  std::array<char, 17> buf{};
  std::snprintf(buf.data(), buf.size(), "%c/%014llx", prefix, static_cast<unsigned long long>(i));
  return {buf.data(), 16};
}

constexpr std::size_t kWritesPerBlock = 64;
constexpr std::size_t kSmallEntryBytes = 64;         // 16 B key + 48 B value
constexpr std::size_t kLargeEntryBytes = 16 * 1024;  // 16 B key + 16 KiB - 16 B value
constexpr std::size_t kValuePoolBytes = 2 * 1024 * 1024;
// Put batches write over this many keys per size, so the scratch directory stays small (16 MiB of
// live large entries) and every write replaces a recent one for both sizes alike.
constexpr std::uint64_t kPutKeys = 1024;
// A large put batch writes at least four of the store's 4 MiB state memtables, so each covers
// several whole memtable cycles (switch, flush) rather than landing before or after one.
constexpr std::uint64_t kLargePutMinBlocks = (16u << 20) / (kWritesPerBlock * kLargeEntryBytes);
constexpr std::uint64_t kGetSmallKeys = 4096;
constexpr std::uint64_t kGetLargeKeys = 256;

// A RocksDB ledger store in the scratch directory (one at a time, each in a fresh subdirectory).
class StorageBench {
 public:
  explicit StorageBench(fs::path dir)
      : dir_(std::move(dir)), pool_(random_bytes(kValuePoolBytes, 7)) {}
  ~StorageBench() { close(); }
  StorageBench(const StorageBench&) = delete;
  StorageBench& operator=(const StorageBench&) = delete;

  // Closes the current store (removing its directory) and opens an empty one.
  void open_fresh() {
    close();
    current_ = dir_ / ("ledger-" + std::to_string(++generation_));
    reopen();
  }

  // Closes and reopens the current store: RocksDB writes what its log holds to table files on
  // recovery, so afterwards the state is read from table files (through the block cache), as a
  // long-running node reads most of its state.
  void reopen() {
    store_.reset();
    auto store = open_rocksdb_ledger_store(current_.string(), /*create=*/true);
    if (!store.ok()) throw CalibrationFailure("storage: " + store.error().message);
    store_ = std::move(*store);
    height_ = store_->height();
  }

  // A batch committing n blocks of kWritesPerBlock writes of entry_bytes (key + value) each,
  // cycling over kPutKeys keys of their own. Building the blocks is untimed.
  Batch put_batch(std::size_t entry_bytes) {
    return [this, entry_bytes](std::uint64_t n) {
      const char prefix = entry_bytes > kSmallEntryBytes ? 'l' : 's';
      std::vector<std::vector<StateWrite>> blocks(n);
      for (auto& block : blocks) {
        for (std::size_t w = 0; w < kWritesPerBlock; ++w) {
          const std::uint64_t i = next_put_++;
          block.push_back({key16(prefix, i % kPutKeys), value(i, entry_bytes - 16)});
        }
      }
      const auto start = Clock::now();
      for (const auto& block : blocks) commit(block);
      return elapsed_ns(start);
    };
  }

  // Writes `count` entries of entry_bytes under prefix (what get_batch reads).
  void populate(char prefix, std::uint64_t count, std::size_t entry_bytes) {
    std::vector<StateWrite> block;
    for (std::uint64_t i = 0; i < count; ++i) {
      block.push_back({key16(prefix, i), value(i, entry_bytes - 16)});
      if (block.size() == kWritesPerBlock || i + 1 == count) {
        commit(block);
        block.clear();
      }
    }
  }

  // A batch of n gets of the `count` keys under prefix, in a pseudo-random order.
  Batch get_batch(char prefix, std::uint64_t count) {
    Rng rng(8);
    std::vector<std::string> keys;
    for (std::uint64_t i = 0; i < 4096; ++i) keys.push_back(key16(prefix, rng.next_u64() % count));
    return [this, keys = std::move(keys)](std::uint64_t n) {
      std::uint64_t acc = 0;
      const auto start = Clock::now();
      for (std::uint64_t i = 0; i < n; ++i) {
        const std::optional<std::string> v = store_->get(keys[i % keys.size()]);
        if (!v) throw CalibrationFailure("storage: a key just written was not found");
        acc += v->size();
      }
      const double ns = elapsed_ns(start);
      consume(acc);
      return ns;
    };
  }

 private:
  std::string value(std::uint64_t i, std::size_t bytes) const {
    return pool_.substr((i * 4099) % (pool_.size() - bytes), bytes);
  }

  void commit(const std::vector<StateWrite>& writes) {
    const Bytes encoding(64, 0xB1);  // a stand-in block: the state writes are what is measured
    const Status s = store_->commit_block(++height_, encoding, writes, Hash256{});
    if (!s.ok()) throw CalibrationFailure("storage: " + s.error().message);
  }

  void close() {
    store_.reset();
    if (!current_.empty()) {
      std::error_code ec;
      fs::remove_all(current_, ec);
    }
  }

  fs::path dir_;
  fs::path current_;
  int generation_ = 0;
  std::unique_ptr<LedgerStore> store_;
  std::string pool_;
  Height height_ = 0;
  std::uint64_t next_put_ = 0;
};

// Gets read state from table files. Puts are sustained: blocks committed back to back on one
// long-lived store, so what writing costs over time is included, not only a commit's log append
// and memtable inserts but also the memtable switches (fresh memory) and background flushes
// (sharing the CPUs, and stalling writes when the disk falls behind) that the bytes cause. Small
// batches run first and large ones after, so that the flushes large batches leave behind do not
// land in small ones; a large batch spans at least four memtables.
void measure_storage(Recorder& rec, const Settings& s, const fs::path& dir) {
  StorageBench bench(dir);
  bench.open_fresh();
  bench.populate('a', kGetSmallKeys, kSmallEntryBytes);
  bench.populate('b', kGetLargeKeys, kLargeEntryBytes);
  bench.reopen();
  const FitSamples get = fitted_samples(bench.get_batch('a', kGetSmallKeys), kSmallEntryBytes,
                                        bench.get_batch('b', kGetLargeKeys), kLargeEntryBytes, s);
  rec.add("storage_get_ns_per_op", get.per_call,
          "RocksDB LedgerStore::get() of random keys among 4096 entries of 64 B and among 256 of "
          "16 KiB (key + value), read from table files (store reopened) with a warm block cache; "
          "intercept");
  rec.add("storage_get_ns_per_byte", get.per_byte, "slope of that line");
  bench.open_fresh();
  const FitSamples put = fitted_samples(
      bench.put_batch(kSmallEntryBytes), kSmallEntryBytes, bench.put_batch(kLargeEntryBytes),
      kLargeEntryBytes, s,
      FitPlan{kWritesPerBlock, Limits{}, Limits{kLargePutMinBlocks, kNoCap}, Order::kSmallFirst});
  rec.add("storage_put_ns_per_op", put.per_call,
          "RocksDB LedgerStore::commit_block() of blocks of 64 writes of 64 B, then of 16 KiB (key "
          "+ value, incompressible, each size cycling over 1024 keys), no sync, per write; "
          "sustained on one store, so memtable switches and flushes are included (large batches "
          ">= 16 MiB); intercept");
  rec.add("storage_put_ns_per_byte", put.per_byte, "slope of that line");
}

constexpr std::size_t kFsyncBytes = 64 * 1024;
constexpr std::uint64_t kFsyncMaxAppends = 512;  // 32 MiB: bounds the file when fsync is cheap

void measure_fsync(Recorder& rec, const Settings& s, const fs::path& dir) {
  const std::string data = random_bytes(kFsyncBytes, 9);
  const std::string file = (dir / "fsync.log").string();
  // A batch appends n blocks of 64 KiB to a fresh file, each write followed by fdatasync; opening
  // and removing the file is untimed.
  const Batch batch = [&](std::uint64_t n) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) throw CalibrationFailure(file + ": cannot create: " + std::strerror(errno));
    const auto start = Clock::now();
    for (std::uint64_t i = 0; i < n; ++i) {
      for (std::size_t off = 0; off < data.size();) {
        const ssize_t w = ::write(fd, data.data() + off, data.size() - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
          ::close(fd);
          throw CalibrationFailure(file + ": write failed: " + std::strerror(errno));
        }
        off += static_cast<std::size_t>(w);
      }
      if (::fdatasync(fd) != 0) {
        ::close(fd);
        throw CalibrationFailure(file + ": fdatasync failed: " + std::strerror(errno));
      }
    }
    const double ns = elapsed_ns(start);
    ::close(fd);
    ::unlink(file.c_str());
    return ns;
  };
  rec.add("block_fsync_ns", samples(batch, s, 1, Limits{1, kFsyncMaxAppends}),
          "append of 64 KiB to a file then fdatasync() (write included), per append, batches of "
          "at most 512 appends");
}

// ---------------------------------------------------------------------------------------------
// Messages

// A connected AF_UNIX stream socket pair standing in for a validator's channel to a peer.
class SocketPair {
 public:
  SocketPair() {
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds_.data()) != 0) {
      throw CalibrationFailure(std::string("messages: socketpair failed: ") + std::strerror(errno));
    }
    // The sender never blocks: when the socket buffer is full it reads what it sent first, so one
    // thread can play both ends whatever the buffer size.
    ::fcntl(fds_[0], F_SETFL, ::fcntl(fds_[0], F_GETFL) | O_NONBLOCK);
  }
  ~SocketPair() {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  SocketPair(const SocketPair&) = delete;
  SocketPair& operator=(const SocketPair&) = delete;

  // Sends header + body as one writev (more when the buffer is full) and receives them into
  // header_in and a freshly allocated (not zeroed) body buffer, as a receiver building a Message
  // does.
  std::unique_ptr<std::uint8_t[]> transfer(ByteView header, ByteView body,
                                           std::array<std::uint8_t, kMessageHeaderBytes>& in) {
    auto received = std::make_unique_for_overwrite<std::uint8_t[]>(body.size());
    const std::size_t total = header.size() + body.size();
    std::size_t sent = 0;
    std::size_t got = 0;
    while (got < total) {
      if (sent < total) {
        std::array<iovec, 2> iov{};
        int count = 0;
        if (sent < header.size()) {
          // iovec is not const-correct: writev only reads these bytes.
          iov[count++] = {const_cast<std::uint8_t*>(header.data() + sent), header.size() - sent};
        }
        const std::size_t body_off = sent > header.size() ? sent - header.size() : 0;
        if (body_off < body.size()) {
          iov[count++] = {const_cast<std::uint8_t*>(body.data() + body_off),
                          body.size() - body_off};
        }
        const ssize_t w = ::writev(fds_[0], iov.data(), count);
        if (w > 0) {
          sent += static_cast<std::size_t>(w);
        } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
          throw CalibrationFailure(std::string("messages: send failed: ") + std::strerror(errno));
        }
      }
      // Reads only what has been sent, so this blocking read always has data.
      while (got < sent) {
        std::uint8_t* dst = got < in.size() ? in.data() + got : received.get() + (got - in.size());
        const std::size_t room = got < in.size() ? in.size() - got : total - got;
        const ssize_t r = ::read(fds_[1], dst, std::min(room, sent - got));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
          throw CalibrationFailure(std::string("messages: receive failed: ") +
                                   std::strerror(errno));
        }
        got += static_cast<std::size_t>(r);
      }
    }
    return received;
  }

 private:
  std::array<int, 2> fds_{};
};

void measure_messages(Recorder& rec, const Settings& s) {
  SocketPair channel;
  const Bytes entry = to_bytes(random_bytes(kLargeBytes, 10));
  AppendEntries heartbeat{.term = 3,
                          .leader = 1,
                          .prev_index = 1000,
                          .prev_term = 3,
                          .leader_commit = 999,
                          .entries = {}};
  AppendEntries carrying = heartbeat;
  carrying.entries.emplace_back(entry);
  std::array<std::uint8_t, kMessageHeaderBytes> header_in{};
  // One round: encode, frame (a 40-byte header: type, length, sender, tag), send, receive and
  // decode; a round is both ends' work, so a message's cost on one end is half a round.
  auto rounds = [&](const AppendEntries& m) {
    return timed_whole([&](std::uint64_t n) {
      std::uint64_t acc = 0;
      for (std::uint64_t i = 0; i < n; ++i) {
        const Message msg = encode_message(m);
        std::array<std::uint8_t, kMessageHeaderBytes> header{};
        const auto len = static_cast<std::uint32_t>(msg.body->size());
        std::memcpy(header.data(), &msg.type, sizeof msg.type);
        std::memcpy(header.data() + 2, &len, sizeof len);
        const auto body = channel.transfer(header, msg.view(), header_in);
        const std::optional<AppendEntries> decoded =
            decode_append_entries(ByteView(body.get(), msg.body->size()));
        if (!decoded || decoded->entries.size() != m.entries.size()) {
          throw CalibrationFailure("messages: a sent AppendEntries did not decode");
        }
        acc += decoded->entries.size() + header_in[2];
      }
      consume(acc);
    });
  };
  const auto wire = [](const AppendEntries& m) {
    return static_cast<double>(encode_message(m).wire_bytes());
  };
  // Half a round per message end: ops_per_iteration = 2.
  const FitSamples fit = fitted_samples(rounds(heartbeat), wire(heartbeat), rounds(carrying),
                                        wire(carrying), s, FitPlan{2, {}, {}, Order::kAlternate});
  rec.add("message_ns_per_byte", fit.per_byte,
          "Raft AppendEntries without entries (" +
              std::to_string(static_cast<int>(wire(heartbeat))) +
              " wire bytes) and with one 64 KiB entry: encode + 40-byte header + writev over an "
              "AF_UNIX socket pair + read into a new buffer + decode, half a round per end; slope "
              "(no TLS or TCP/IP stack: a lower bound)");
  rec.add("message_ns_per_call", fit.per_call, "intercept of that line");
}

// ---------------------------------------------------------------------------------------------
// Host facts and YAML

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) break;
    const std::size_t start = line.find_first_not_of(" \t", colon + 1);
    return start == std::string::npos ? "unknown" : line.substr(start);
  }
  return "unknown";
}

std::string utc_now_iso() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf.data();
}

// A YAML double-quoted scalar (JSON string syntax is valid YAML).
std::string quoted(const std::string& s) { return nlohmann::json(s).dump(); }

// For a comment line: no line breaks.
std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\r', ' ');
  return s;
}

// `text` as YAML comment lines of at most 100 columns (a longer word gets a line of its own).
std::string comment_lines(const std::string& text) {
  constexpr std::size_t kWidth = 100;
  std::string out;
  std::string line = "#";
  std::size_t pos = 0;
  const std::string flat = one_line(text);
  while (pos < flat.size()) {
    const std::size_t start = flat.find_first_not_of(' ', pos);
    if (start == std::string::npos) break;
    const std::size_t end = std::min(flat.find(' ', start), flat.size());
    const std::string word = flat.substr(start, end - start);
    if (line.size() > 1 && line.size() + 1 + word.size() > kWidth) {
      out += line + "\n";
      line = "#";
    }
    line += " " + word;
    pos = end;
  }
  return out + line + "\n";
}

// A number the profile loader reads back: whole ns from 100 up, else 4 significant digits.
std::string yaml_number(double v) {
  std::array<char, 64> buf{};
  if (v >= 100) {
    std::snprintf(buf.data(), buf.size(), "%.0f", v);
  } else {
    std::snprintf(buf.data(), buf.size(), "%.4g", v);
  }
  return buf.data();
}

}  // namespace

Spread spread_of(std::vector<double> samples) {
  if (samples.empty()) throw std::invalid_argument("spread_of: no samples");
  std::sort(samples.begin(), samples.end());
  const auto quantile = [&](double q) {
    const double pos = q * static_cast<double>(samples.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, samples.size() - 1);
    return samples[lo] + (samples[hi] - samples[lo]) * (pos - static_cast<double>(lo));
  };
  return Spread{quantile(0.5), quantile(0.25), quantile(0.75), samples.front(), samples.back()};
}

LinearFit fit_two_sizes(double t_small_ns, double small_bytes, double t_large_ns,
                        double large_bytes) {
  if (!(large_bytes > small_bytes)) throw std::invalid_argument("fit_two_sizes: large <= small");
  const double per_byte = std::max(0.0, (t_large_ns - t_small_ns) / (large_bytes - small_bytes));
  const double per_call = std::max(0.0, t_small_ns - small_bytes * per_byte);
  return LinearFit{per_call, per_byte};
}

CalibrationOptions CalibrationOptions::quick() {
  CalibrationOptions o;
  o.repeats = 5;
  o.min_batch_ms = 3;
  return o;
}

Result<Calibration> run_calibration(const CalibrationOptions& options) {
  if (options.repeats < 1) return Error{"repeats: expected at least 1"};
  if (!(options.min_batch_ms > 0)) return Error{"batch time: expected > 0 ms"};
  if (options.ehr_clients < 2) return Error{"ehr clients: expected at least 2"};
  Calibration c;
  c.host = host_name();
  c.cpu = cpu_model();
  c.date = utc_now_iso();
  c.repeats = options.repeats;
  c.min_batch_ms = options.min_batch_ms;
  const Settings s{options.repeats, options.min_batch_ms * 1e6};
  Recorder rec(c, options);
  try {
    const ScratchDir scratch(options.scratch_dir);
    c.scratch_dir = scratch.path().parent_path().string();
    c.scratch_fs = filesystem_type(scratch.path());
    measure_signatures(rec, s, SigScheme::kEd25519, "ed25519_sign_ns", "ed25519_verify_ns");
    measure_signatures(rec, s, SigScheme::kEcdsaP256, "ecdsa_p256_sign_ns", "ecdsa_p256_verify_ns");
    measure_sha256(rec, s);
    measure_aes_gcm(rec, s);
    measure_tx_execute(rec, s, options);
    measure_storage(rec, s, scratch.path());
    measure_fsync(rec, s, scratch.path());
    measure_messages(rec, s);
  } catch (const CalibrationFailure& e) {
    return Error{std::string("calibrate: ") + e.what()};
  }
  // Every profile field, once, in the loader's order: a field added to HardwareProfile and the
  // loader but not measured here is a programming error, caught before a profile is written.
  const auto fields = profile_fields(c.profile);
  bool complete = fields.size() == c.figures.size();
  for (std::size_t i = 0; complete && i < fields.size(); ++i) {
    complete = fields[i].first == c.figures[i].field;
  }
  if (!complete) throw std::logic_error("calibrate: the figures do not match profile_fields()");
  return c;
}

std::string calibration_yaml(const Calibration& c, const std::string& name,
                             const std::string& command) {
  std::string y;
  y += "# Hardware profile measured by `hlsim calibrate` (hlsim " + std::string(kVersion) + ").\n";
  y += "#   command: " + one_line(command) + "\n";
  y += "#   host:    " + one_line(c.host) + " (" + one_line(c.cpu) + "), " + c.date + "\n";
  y += "#   scratch: " + one_line(c.scratch_dir) + " (" + c.scratch_fs +
       ") for the storage and fsync figures\n";
  y += "# Each field is the median of " + std::to_string(c.repeats) +
       " repeats; a repeat times one single-threaded batch\n";
  y += "# of >= " + yaml_number(c.min_batch_ms) +
       " ms with the wall clock, divided by its operations. Per-call / per-byte pairs are\n";
  y += "# fitted from two sizes in each repeat (the line through them, clamped >= 0). The "
       "comment\n";
  y += "# above each field says what was timed; `calibration:` holds each figure's spread.\n";
  y += "# Use it as a scenario's `nodes.profile: <path to this file>`.\n";
  y += "name: " + quoted(name) + "\n";
  y += "description: " +
       quoted("measured on " + c.host + " (" + c.cpu + ") by hlsim calibrate, " + c.date) + "\n";
  for (const CalibratedFigure& f : c.figures) {
    y += "\n" + comment_lines(f.method);
    y += f.field + ": " + yaml_number(f.ns.median) + "\n";
  }
  y += "\n# What was measured (informational: the loader ignores this map). ns per operation.\n";
  y += "calibration:\n";
  y += "  host: " + quoted(c.host) + "\n";
  y += "  cpu: " + quoted(c.cpu) + "\n";
  y += "  date: " + quoted(c.date) + "\n";
  y += "  hlsim_version: " + quoted(kVersion) + "\n";
  y += "  repeats: " + std::to_string(c.repeats) + "\n";
  y += "  min_batch_ms: " + yaml_number(c.min_batch_ms) + "\n";
  y += "  scratch_dir: " + quoted(c.scratch_dir) + "\n";
  y += "  scratch_fs: " + quoted(c.scratch_fs) + "\n";
  y += "  figures:\n";
  for (const CalibratedFigure& f : c.figures) {
    y += "    " + f.field + ": {median: " + yaml_number(f.ns.median) +
         ", p25: " + yaml_number(f.ns.p25) + ", p75: " + yaml_number(f.ns.p75) +
         ", min: " + yaml_number(f.ns.min) + ", max: " + yaml_number(f.ns.max) + "}\n";
  }
  return y;
}

std::string host_name() {
  std::array<char, 256> buf{};
  if (::gethostname(buf.data(), buf.size() - 1) != 0 || buf[0] == '\0') return "unknown";
  return buf.data();
}

std::string format_ns(double ns) {
  std::array<char, 64> buf{};
  if (ns >= 100) {
    std::snprintf(buf.data(), buf.size(), "%.0f", ns);
    std::string digits = buf.data();
    std::string out;
    const std::size_t lead = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
    out = digits.substr(0, lead);
    for (std::size_t i = lead; i < digits.size(); i += 3) out += "," + digits.substr(i, 3);
    return out;
  }
  std::snprintf(buf.data(), buf.size(), "%.3g", ns);
  return buf.data();
}

}  // namespace hlsim
