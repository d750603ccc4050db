// The `memory` LedgerStore backend: everything in process memory, lost when its node crashes.
//
// State is a flat hash index from each key to the write that last set it, inside a write set the
// store keeps. The validators of a run that commit the same block from the same state share one
// write set (Chain::append_known), so each holds 16 bytes a key rather than a copy of every key
// and value; a lookup is one probe of one array, not a walk of heap nodes. for_each_state still
// visits keys in byte order, like RocksDB's default comparator, by sorting them first. Every
// write set applied is kept for the life of the store (its keys are shared by later sets only by
// value). Blocks are a vector of shared decoded blocks or encodings indexed by height - 1,
// metadata a map. Used for runs that do not model durability, and as the reference the RocksDB
// backend is tested against.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ledger/storage/ledger_store.h"

namespace hlsim {

class MemoryLedgerStore final : public LedgerStore {
 public:
  std::string_view backend() const override { return "memory"; }

  std::optional<std::string> get(std::string_view key) const override;
  void for_each_state(
      const std::function<void(std::string_view key, std::string_view value)>& fn) const override;
  std::uint64_t key_count() const override { return state_keys_; }
  std::uint64_t state_bytes() const override { return state_bytes_; }

  Height height() const override { return blocks_.size(); }
  std::optional<Bytes> block(Height h) const override;
  std::optional<Hash256> state_root(Height h) const override;
  Status commit_block(Height h, ByteView block_encoding, std::span<const StateWrite> writes,
                      const Hash256& state_root) override;
  // Keeps `block` itself: the validators of a run share their decoded blocks, so this costs a
  // pointer per node where an encoding would cost the block's size.
  Status commit_block_ref(Height h, const BlockRef& block, const WriteSetRef& writes,
                          const Hash256& state_root) override;

  Status put_meta(std::string_view key, ByteView value) override;
  std::optional<Bytes> get_meta(std::string_view key) const override;

 private:
  // One slot of the state index: the key's hash and the live write that set it (null: empty).
  struct Slot {
    std::uint64_t hash = 0;
    const StateWrite* write = nullptr;
  };
  static std::uint64_t hash_key(std::string_view key);
  // The slot holding `key`, or the empty slot where it would go.
  std::size_t probe(std::string_view key, std::uint64_t hash) const;
  std::size_t home(std::uint64_t hash) const { return hash & (slots_.size() - 1); }
  void grow();
  void erase_slot(std::size_t hole);

  std::vector<Slot> slots_;  // open addressing, linear probing; size a power of two
  std::size_t state_keys_ = 0;
  std::uint64_t state_bytes_ = 0;
  std::vector<WriteSetRef> write_sets_;  // every set applied, kept for the index's pointers
  // Fails unless h is the next height.
  Status check_next(Height h) const;
  void apply(WriteSetRef writes);

  std::vector<std::variant<Bytes, BlockRef>> blocks_;  // blocks_[h - 1] is block h
  std::vector<Hash256> roots_;  // roots_[h - 1] is the state root after block h
  std::map<std::string, Bytes, std::less<>> meta_;
};

}  // namespace hlsim
