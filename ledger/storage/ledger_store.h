// One node's durable ledger: its committed blocks (by height) and the world state they produced,
// behind one interface with two backends: `memory` (lost on a crash) and `rocksdb` (an embedded
// RocksDB in the node's run directory, one write batch per block, so a crash never leaves a block
// without its state changes or the reverse).
//
// The store holds encodings, not objects: it neither decodes nor checks blocks (Chain and
// `hlsim verify` do). Iteration over the state is in byte order of keys, so anything derived
// from it (the state root) is deterministic.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/block.h"
#include "ledger/bytes.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/result.h"

namespace hlsim {

// One state change of a block: value set, or (nullopt) key erased.
struct StateWrite {
  std::string key;
  std::optional<std::string> value;
  bool operator==(const StateWrite&) const = default;
};

// A block's write set, immutable and shared: the validators of a run that execute the same block
// from the same state produce the same set, and may all hold the one copy.
using WriteSetRef = std::shared_ptr<const std::vector<StateWrite>>;

class LedgerStore {
 public:
  virtual ~LedgerStore() = default;

  // "memory" or "rocksdb".
  virtual std::string_view backend() const = 0;

  // --- world state (as of the last committed block) ---
  virtual std::optional<std::string> get(std::string_view key) const = 0;
  // Calls fn(key, value) for every entry in byte order of keys.
  virtual void for_each_state(
      const std::function<void(std::string_view key, std::string_view value)>& fn) const = 0;
  virtual std::uint64_t key_count() const = 0;
  virtual std::uint64_t state_bytes() const = 0;  // bytes of keys plus values

  // --- blocks ---
  // Height of the last committed block; 0 when none (height 0 is the implicit genesis).
  virtual Height height() const = 0;
  // The encoding stored for block h; nullopt unless 1 <= h <= height().
  virtual std::optional<Bytes> block(Height h) const = 0;
  // The state root recorded with block h (ledger/state/sparse_merkle.h); nullopt unless
  // 1 <= h <= height().
  virtual std::optional<Hash256> state_root(Height h) const = 0;

  // Atomically stores `block_encoding` as block `h` with the `state_root` its execution produced
  // and applies `writes` in order (a later write to the same key wins). Fails, changing nothing,
  // unless h == height() + 1, or on an I/O error (the message names the directory).
  virtual Status commit_block(Height h, ByteView block_encoding, std::span<const StateWrite> writes,
                              const Hash256& state_root) = 0;
  // As commit_block with block->encode() and *writes, for a block held decoded and a shared
  // write set: a store that keeps blocks and state in process memory may keep the (immutable,
  // shared) block and write set themselves, instead of a copy of the block's encoding and of every
  // key and value per node. REQUIRES: block and writes non-null.
  virtual Status commit_block_ref(Height h, const BlockRef& block, const WriteSetRef& writes,
                                  const Hash256& state_root) {
    const Bytes encoding = block->encode();
    return commit_block(h, encoding, *writes, state_root);
  }

  // --- run metadata (scheme, validator keys, ...), outside the state and the blocks ---
  virtual Status put_meta(std::string_view key, ByteView value) = 0;
  virtual std::optional<Bytes> get_meta(std::string_view key) const = 0;
};

std::unique_ptr<LedgerStore> make_memory_ledger_store();

// Opens (creating it when `create` is true) the RocksDB ledger in `dir`. An error names `dir`
// and what RocksDB reported (e.g. a lock held by another process, a corrupt directory).
Result<std::unique_ptr<LedgerStore>> open_rocksdb_ledger_store(const std::string& dir, bool create);

}  // namespace hlsim
