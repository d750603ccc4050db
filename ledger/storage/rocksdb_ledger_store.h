// The `rocksdb` LedgerStore backend: one embedded RocksDB per node directory, opened with
// open_rocksdb_ledger_store() (declared in ledger_store.h).
//
// On-disk layout, format "hlsim-ledger-rocksdb-v1", in four column families:
//   default  the store's own bookkeeping: "format" (the format string), "height", "key_count" and
//            "state_bytes" (each a u64 as 8 bytes big-endian)
//   blocks   key: the height as 8 bytes big-endian (so byte order is height order); value: the
//            block encoding. Key: the height, then 'r' (9 bytes); value: the 32-byte state root
//            after that block.
//   state    the world state, keys and values verbatim
//   meta     run metadata (put_meta / get_meta), keys and values verbatim
//
// Column families rather than key prefixes in one keyspace, because
//  * state keys belong to the contracts: stored verbatim, get() and for_each_state() need no
//    prefix added or stripped (no copy per access), and a state scan reads only state tables;
//  * each family gets its own tuning: state is read by point lookups on every commit (the previous
//    value sizes for the counters), so it has a Bloom filter; blocks are large, written once and
//    rarely read, so they have none;
//  * the bookkeeping keys cannot collide with any metadata key a caller chooses.
// Atomicity is unaffected: a WriteBatch spans families and goes to the one write-ahead log.
// The price: a WAL file is kept until every family with data in it has been flushed, which
// DBOptions::max_total_wal_size bounds (it forces the flush of the family holding the oldest log).
//
// Durability: writes go through the WAL with sync=false. Every commit is in the operating system's
// page cache when commit_block returns, so it survives the death of the process (not a host power
// cut: the simulator charges a modelled fsync cost instead of paying a real one).
//
// Reads (get, for_each_state, block, get_meta) cannot return an error through LedgerStore; a
// RocksDB read error there (corruption, an I/O failure) throws std::runtime_error naming the
// directory. A committed block that is missing counts as corruption.
//
// Not safe for concurrent use from several threads (like every per-node object); one process may
// open many stores, each in its own directory, and they share one block cache and one memtable
// budget (see rocksdb_ledger_store.cc).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "ledger/storage/ledger_store.h"

namespace hlsim::rocksdb_ledger {

inline constexpr std::string_view kFormat = "hlsim-ledger-rocksdb-v1";

inline constexpr std::string_view kBlocksFamily = "blocks";
inline constexpr std::string_view kStateFamily = "state";
inline constexpr std::string_view kMetaFamily = "meta";

inline constexpr std::string_view kFormatKey = "format";
inline constexpr std::string_view kHeightKey = "height";
inline constexpr std::string_view kKeyCountKey = "key_count";
inline constexpr std::string_view kStateBytesKey = "state_bytes";

// The key of block h in the blocks family: h as 8 bytes big-endian.
std::array<std::uint8_t, 8> block_key(Height h);
// The key of the state root after block h in the blocks family: block_key(h) then 'r'.
std::array<std::uint8_t, 9> state_root_key(Height h);

}  // namespace hlsim::rocksdb_ledger
