#include "ledger/storage/rocksdb_ledger_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <rocksdb/slice.h>
#include <rocksdb/status.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <rocksdb/write_buffer_manager.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hlsim {

namespace rocksdb_ledger {

std::array<std::uint8_t, 8> block_key(Height h) {
  std::array<std::uint8_t, 8> key{};
  for (std::size_t i = 0; i < key.size(); ++i) {
    key[i] = static_cast<std::uint8_t>(h >> (8 * (key.size() - 1 - i)));
  }
  return key;
}

std::array<std::uint8_t, 9> state_root_key(Height h) {
  std::array<std::uint8_t, 9> key{};
  const auto block = block_key(h);
  std::copy(block.begin(), block.end(), key.begin());
  key[8] = 'r';
  return key;
}

}  // namespace rocksdb_ledger

namespace {

namespace layout = rocksdb_ledger;

// --- tuning: many small databases in one process (one per simulated node) ---
//
// RocksDB's defaults suit one large database per process: 64 MB memtables per column family,
// every table file kept open, an 8 MB block cache per table factory and Snappy compression. With
// dozens of nodes in one simulation that multiplies into gigabytes and thousands of descriptors.
// Instead every store in the process shares one block cache and one memtable budget, memtables are
// small, open files are capped, and nothing is compressed (encodings, hashes and signatures are
// already dense: compression would cost CPU and save little).

// The block cache shared by every store in the process; index and filter blocks are charged to it
// too, so the memory of many stores stays bounded by this number rather than growing with them.
constexpr std::size_t kBlockCacheBytes = std::size_t{64} << 20;
// The total memtable memory of every store in the process; past it, the store being written to
// flushes a memtable.
constexpr std::size_t kMemtableBudgetBytes = std::size_t{256} << 20;
// Per column family. A block of 1000 state writes is about 130 KB of state and 50 KB of block, so
// these hold tens of blocks between flushes.
constexpr std::size_t kStateWriteBufferBytes = std::size_t{4} << 20;
constexpr std::size_t kBlocksWriteBufferBytes = std::size_t{8} << 20;
constexpr std::size_t kSmallWriteBufferBytes = std::size_t{256} << 10;  // bookkeeping and meta
// Table files each store keeps open (RocksDB's default, -1, keeps every one open).
constexpr int kMaxOpenFiles = 64;
// See the header: bounds the write-ahead log kept alive by rarely flushed families.
constexpr std::uint64_t kMaxTotalWalBytes = std::uint64_t{64} << 20;

struct SharedResources {
  std::shared_ptr<rocksdb::Cache> block_cache;
  std::shared_ptr<rocksdb::WriteBufferManager> memtable_budget;
};

// Created on first use (thread-safe static initialisation) and destroyed at exit, after every
// store (each store's options hold their own references, so the order does not matter).
const SharedResources& shared_resources() {
  static const SharedResources resources{
      rocksdb::NewLRUCache(kBlockCacheBytes),
      std::make_shared<rocksdb::WriteBufferManager>(kMemtableBudgetBytes)};
  return resources;
}

rocksdb::ColumnFamilyOptions family_options(std::size_t write_buffer_bytes, bool bloom_filter) {
  rocksdb::ColumnFamilyOptions options;
  options.write_buffer_size = write_buffer_bytes;
  options.max_write_buffer_number = 2;
  options.compression = rocksdb::kNoCompression;
  options.bottommost_compression = rocksdb::kNoCompression;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = shared_resources().block_cache;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  if (bloom_filter) {
    // Table files and the memtable both get a whole-key filter: commit_block looks up every key a
    // block writes, and keys new to the state (or absent from the memtable) are then answered
    // without a search (measured: a fifth less CPU per 1000-write commit).
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    options.memtable_whole_key_filtering = true;
    options.memtable_prefix_bloom_size_ratio = 0.05;
  }
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

rocksdb::DBOptions db_options(bool create) {
  rocksdb::DBOptions options;
  options.create_if_missing = create;
  options.create_missing_column_families = create;
  options.max_open_files = kMaxOpenFiles;
  options.max_total_wal_size = kMaxTotalWalBytes;
  options.write_buffer_manager = shared_resources().memtable_budget;
  // RocksDB's own LOG in the directory: warnings and errors only, and few old copies, so that a
  // run with many nodes does not fill its directory with informational logs.
  options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  options.keep_log_file_num = 2;
  options.stats_dump_period_sec = 0;
  options.stats_persist_period_sec = 0;
  // The default wal_recovery_mode (kPointInTimeRecovery) is what a process death needs: reopening
  // replays the log up to the last complete record, so every batch that Write() accepted is back.
  return options;
}

rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }
rocksdb::Slice slice(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
template <std::size_t N>
rocksdb::Slice slice(const std::array<std::uint8_t, N>& a) {
  return {reinterpret_cast<const char*>(a.data()), N};
}

std::array<std::uint8_t, 8> encode_u64(std::uint64_t v) { return layout::block_key(v); }

bool decode_u64(std::string_view s, std::uint64_t& v) {
  if (s.size() != 8) return false;
  v = 0;
  for (const char c : s) v = (v << 8) | static_cast<std::uint8_t>(c);
  return true;
}

// An open database and its column family handles, closed and released on destruction.
class OwnedDb {
 public:
  OwnedDb(rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> handles)
      : db_(db), handles_(std::move(handles)) {}
  OwnedDb(const OwnedDb&) = delete;
  OwnedDb& operator=(const OwnedDb&) = delete;
  ~OwnedDb() {
    // Statuses ignored: a destructor cannot report them, and nothing is lost if closing fails,
    // since every commit is already in the write-ahead log. RocksDB requires the handles to go
    // before the database.
    for (rocksdb::ColumnFamilyHandle* h : handles_) (void)db_->DestroyColumnFamilyHandle(h);
    (void)db_->Close();
    delete db_;
  }

  rocksdb::DB* db() const { return db_; }
  const std::vector<rocksdb::ColumnFamilyHandle*>& handles() const { return handles_; }

 private:
  rocksdb::DB* db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

class RocksDbLedgerStore final : public LedgerStore {
 public:
  // `owned` holds the families in the order of families().
  RocksDbLedgerStore(std::string dir, std::unique_ptr<OwnedDb> owned)
      : dir_(std::move(dir)),
        owned_(std::move(owned)),
        db_(owned_->db()),
        default_(owned_->handles().at(0)),
        blocks_(owned_->handles().at(1)),
        state_(owned_->handles().at(2)),
        meta_(owned_->handles().at(3)) {}

  // Column families in the order open() passes them to RocksDB.
  static std::vector<rocksdb::ColumnFamilyDescriptor> families() {
    return {
        {rocksdb::kDefaultColumnFamilyName, family_options(kSmallWriteBufferBytes, false)},
        {std::string(layout::kBlocksFamily), family_options(kBlocksWriteBufferBytes, false)},
        {std::string(layout::kStateFamily), family_options(kStateWriteBufferBytes, true)},
        {std::string(layout::kMetaFamily), family_options(kSmallWriteBufferBytes, false)},
    };
  }

  // Reads the bookkeeping of an existing store, or writes it for a new, empty database.
  Status load(bool create);

  std::string_view backend() const override { return "rocksdb"; }

  std::optional<std::string> get(std::string_view key) const override {
    std::string value;
    const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), state_, slice(key), &value);
    if (s.IsNotFound()) return std::nullopt;
    if (!s.ok()) throw_read_error("reading a state key", s);
    return value;
  }

  void for_each_state(
      const std::function<void(std::string_view key, std::string_view value)>& fn) const override {
    rocksdb::ReadOptions options;
    options.fill_cache = false;  // a full scan would evict the blocks that point lookups reuse
    const std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, state_));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      fn(std::string_view(it->key().data(), it->key().size()),
         std::string_view(it->value().data(), it->value().size()));
    }
    if (!it->status().ok()) throw_read_error("scanning the state", it->status());
  }

  std::uint64_t key_count() const override { return key_count_; }
  std::uint64_t state_bytes() const override { return state_bytes_; }
  Height height() const override { return height_; }

  std::optional<Bytes> block(Height h) const override {
    if (h == 0 || h > height_) return std::nullopt;
    rocksdb::PinnableSlice value;
    const auto key = layout::block_key(h);
    const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), blocks_, slice(key), &value);
    if (s.IsNotFound()) {
      throw_read_error("reading block " + std::to_string(h),
                       rocksdb::Status::Corruption("committed block is missing"));
    }
    if (!s.ok()) throw_read_error("reading block " + std::to_string(h), s);
    const auto* data = reinterpret_cast<const std::uint8_t*>(value.data());
    return Bytes(data, data + value.size());
  }

  std::optional<Hash256> state_root(Height h) const override {
    if (h == 0 || h > height_) return std::nullopt;
    rocksdb::PinnableSlice value;
    const auto key = layout::state_root_key(h);
    const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), blocks_, slice(key), &value);
    if (!s.ok() && !s.IsNotFound()) throw_read_error("reading state root " + std::to_string(h), s);
    if (s.IsNotFound() || value.size() != 32) {
      throw_read_error("reading state root " + std::to_string(h),
                       rocksdb::Status::Corruption("committed state root is missing"));
    }
    Hash256 root;
    std::copy_n(reinterpret_cast<const std::uint8_t*>(value.data()), 32, root.bytes.begin());
    return root;
  }

  Status commit_block(Height h, ByteView block_encoding, std::span<const StateWrite> writes,
                      const Hash256& state_root) override;

  Status put_meta(std::string_view key, ByteView value) override {
    const rocksdb::Status s = db_->Put(write_options(), meta_, slice(key), slice(value));
    if (!s.ok()) return error("writing metadata key '" + std::string(key) + "'", s);
    return Status::Ok();
  }

  std::optional<Bytes> get_meta(std::string_view key) const override {
    rocksdb::PinnableSlice value;
    const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), meta_, slice(key), &value);
    if (s.IsNotFound()) return std::nullopt;
    if (!s.ok()) throw_read_error("reading metadata", s);
    const auto* data = reinterpret_cast<const std::uint8_t*>(value.data());
    return Bytes(data, data + value.size());
  }

 private:
  static rocksdb::WriteOptions write_options() {
    rocksdb::WriteOptions options;
    options.sync = false;        // see the header: the simulator models the fsync cost
    options.disableWAL = false;  // the WAL is what brings commits back after a process death
    return options;
  }

  Error error(std::string_view what, const rocksdb::Status& s) const {
    return Error{"RocksDB ledger store '" + dir_ + "': " + std::string(what) + ": " + s.ToString()};
  }
  Error error(std::string_view what) const {
    return Error{"RocksDB ledger store '" + dir_ + "': " + std::string(what)};
  }
  [[noreturn]] void throw_read_error(std::string_view what, const rocksdb::Status& s) const {
    throw std::runtime_error(error(what, s).message);
  }

  // Reads a u64 bookkeeping value of the default family into v.
  Status read_counter(std::string_view key, std::uint64_t& v) const;
  // True when the database holds no key in any family.
  Result<bool> is_empty() const;

  std::string dir_;
  std::unique_ptr<OwnedDb> owned_;
  // Borrowed from owned_.
  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* default_;
  rocksdb::ColumnFamilyHandle* blocks_;
  rocksdb::ColumnFamilyHandle* state_;
  rocksdb::ColumnFamilyHandle* meta_;

  // The persisted bookkeeping, cached: height() etc. are O(1) and commit_block() needs them.
  Height height_ = 0;
  std::uint64_t key_count_ = 0;
  std::uint64_t state_bytes_ = 0;
};

Status RocksDbLedgerStore::read_counter(std::string_view key, std::uint64_t& v) const {
  std::string value;
  const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), default_, slice(key), &value);
  if (s.IsNotFound()) {
    return error("corrupt: the bookkeeping key '" + std::string(key) + "' is missing");
  }
  if (!s.ok()) return error("reading '" + std::string(key) + "'", s);
  if (!decode_u64(value, v)) {
    return error("corrupt: the bookkeeping key '" + std::string(key) + "' has " +
                 std::to_string(value.size()) + " bytes, expected 8");
  }
  return Status::Ok();
}

Result<bool> RocksDbLedgerStore::is_empty() const {
  for (rocksdb::ColumnFamilyHandle* family : owned_->handles()) {
    const std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family));
    it->SeekToFirst();
    if (!it->status().ok()) {
      return error("scanning family '" + family->GetName() + "'", it->status());
    }
    if (it->Valid()) return false;
  }
  return true;
}

Status RocksDbLedgerStore::load(bool create) {
  std::string format;
  const rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), default_, slice(layout::kFormatKey), &format);
  if (s.IsNotFound()) {
    // Either a database this call just created, or some other RocksDB database. Adopt it only if
    // creating was allowed and it holds nothing.
    if (!create) return error("not an hlsim ledger store (no format marker)");
    Result<bool> empty = is_empty();
    if (!empty) return empty.error();
    if (!*empty) return error("holds a RocksDB database that is not an hlsim ledger store");
    rocksdb::WriteBatch batch;
    const auto zero = encode_u64(0);
    rocksdb::Status w = batch.Put(default_, slice(layout::kFormatKey), slice(layout::kFormat));
    if (w.ok()) w = batch.Put(default_, slice(layout::kHeightKey), slice(zero));
    if (w.ok()) w = batch.Put(default_, slice(layout::kKeyCountKey), slice(zero));
    if (w.ok()) w = batch.Put(default_, slice(layout::kStateBytesKey), slice(zero));
    if (w.ok()) w = db_->Write(write_options(), &batch);
    if (!w.ok()) return error("initialising a new store", w);
    return Status::Ok();
  }
  if (!s.ok()) return error("reading the format marker", s);
  if (format != layout::kFormat) {
    return error("unsupported format '" + format + "', expected '" + std::string(layout::kFormat) +
                 "'");
  }
  if (Status st = read_counter(layout::kHeightKey, height_); !st) return st;
  if (Status st = read_counter(layout::kKeyCountKey, key_count_); !st) return st;
  if (Status st = read_counter(layout::kStateBytesKey, state_bytes_); !st) return st;

  // Two point lookups that catch a height that disagrees with the stored blocks.
  const auto check_block = [&](Height h, bool must_exist) -> Status {
    rocksdb::PinnableSlice value;
    const auto key = layout::block_key(h);
    const rocksdb::Status g = db_->Get(rocksdb::ReadOptions(), blocks_, slice(key), &value);
    if (!g.ok() && !g.IsNotFound()) return error("reading block " + std::to_string(h), g);
    if (g.ok() != must_exist) {
      return error("corrupt: the height is " + std::to_string(height_) + " but block " +
                   std::to_string(h) + (must_exist ? " is missing" : " exists"));
    }
    return Status::Ok();
  };
  if (height_ > 0) {
    if (Status st = check_block(height_, true); !st) return st;
  }
  return check_block(height_ + 1, false);
}

Status RocksDbLedgerStore::commit_block(Height h, ByteView block_encoding,
                                        std::span<const StateWrite> writes,
                                        const Hash256& state_root) {
  if (h != height_ + 1) {
    return error("cannot commit block " + std::to_string(h) + ": the next height is " +
                 std::to_string(height_ + 1));
  }

  // The counters need the size of each key's previous value. Every distinct key is looked up once
  // (one MultiGet), then the writes are replayed in order against that view, so a later write to
  // the same key sees the earlier one.
  std::unordered_map<std::string_view, std::optional<std::size_t>>
      current;  // value size, or absent
  current.reserve(writes.size());
  std::vector<rocksdb::Slice> keys;
  keys.reserve(writes.size());
  for (const StateWrite& w : writes) {
    if (current.emplace(w.key, std::nullopt).second) keys.push_back(slice(w.key));
  }
  if (!keys.empty()) {
    std::vector<rocksdb::PinnableSlice> values(keys.size());
    std::vector<rocksdb::Status> statuses(keys.size());
    db_->MultiGet(rocksdb::ReadOptions(), state_, keys.size(), keys.data(), values.data(),
                  statuses.data());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (statuses[i].IsNotFound()) continue;
      if (!statuses[i].ok()) {
        return error("cannot commit block " + std::to_string(h) + ": reading a state key",
                     statuses[i]);
      }
      current[std::string_view(keys[i].data(), keys[i].size())] = values[i].size();
    }
  }

  std::uint64_t key_count = key_count_;
  std::uint64_t state_bytes = state_bytes_;
  rocksdb::WriteBatch batch;
  const auto block_key = layout::block_key(h);
  rocksdb::Status s = batch.Put(blocks_, slice(block_key), slice(block_encoding));
  const auto root_key = layout::state_root_key(h);
  if (s.ok()) s = batch.Put(blocks_, slice(root_key), slice(state_root.view()));
  for (const StateWrite& w : writes) {
    if (!s.ok()) break;
    std::optional<std::size_t>& size = current[w.key];
    if (size) {
      --key_count;
      state_bytes -= w.key.size() + *size;
    }
    if (w.value) {
      ++key_count;
      state_bytes += w.key.size() + w.value->size();
      size = w.value->size();
      s = batch.Put(state_, slice(w.key), slice(*w.value));
    } else {
      size.reset();
      s = batch.Delete(state_, slice(w.key));
    }
  }
  const auto height_value = encode_u64(h);
  const auto key_count_value = encode_u64(key_count);
  const auto state_bytes_value = encode_u64(state_bytes);
  if (s.ok()) s = batch.Put(default_, slice(layout::kHeightKey), slice(height_value));
  if (s.ok()) s = batch.Put(default_, slice(layout::kKeyCountKey), slice(key_count_value));
  if (s.ok()) s = batch.Put(default_, slice(layout::kStateBytesKey), slice(state_bytes_value));
  if (s.ok()) s = db_->Write(write_options(), &batch);
  if (!s.ok()) return error("cannot commit block " + std::to_string(h), s);

  height_ = h;
  key_count_ = key_count;
  state_bytes_ = state_bytes;
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<LedgerStore>> open_rocksdb_ledger_store(const std::string& dir,
                                                               bool create) {
  if (dir.empty()) return Error{"RocksDB ledger store: the directory name is empty"};
  std::error_code ec;
  if (create) {
    // RocksDB creates only the last component of the path; a run directory may need more.
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return Error{"RocksDB ledger store '" + dir +
                   "': cannot create the directory: " + ec.message()};
    }
  } else {
    // Checked before RocksDB sees the path: a failing DB::Open still creates the directory and
    // its LOG file, which create=false must not do.
    const std::filesystem::path path(dir);
    const std::filesystem::file_status status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::is_directory(status)) {
      return Error{"RocksDB ledger store '" + dir +
                   "': cannot open: " + (ec ? ec.message() : std::string("not a directory"))};
    }
    if (!std::filesystem::exists(path / "CURRENT", ec)) {
      return Error{"RocksDB ledger store '" + dir + "': cannot open: " +
                   (ec ? ec.message() : std::string("the directory holds no database"))};
    }
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  const rocksdb::Status s =
      rocksdb::DB::Open(db_options(create), dir, RocksDbLedgerStore::families(), &handles, &db);
  if (!s.ok()) {
    // On failure RocksDB has released everything it opened (db is null, handles empty).
    // RocksDB's report of a held lock ("lock hold by current process", "Resource temporarily
    // unavailable") does not say what holds it; the hint does.
    const std::string reported = s.ToString();
    const bool locked = s.IsIOError() && reported.find("/LOCK") != std::string::npos;
    return Error{"RocksDB ledger store '" + dir + "': cannot open: " +
                 (locked ? "the directory is locked by another open store (in this or another "
                           "process): "
                         : "") +
                 reported};
  }
  auto owned = std::make_unique<OwnedDb>(db, std::move(handles));
  auto store = std::make_unique<RocksDbLedgerStore>(dir, std::move(owned));
  if (Status st = store->load(create); !st) return st.error();
  return std::unique_ptr<LedgerStore>(std::move(store));
}

}  // namespace hlsim
