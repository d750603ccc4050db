// The `memory` LedgerStore backend: everything in process memory, lost when its node crashes.
//
// State is a hash map (every validator looks keys up and writes them for every block it commits,
// and a hash lookup is one pass over the key where an ordered map compares it with about log2(n)
// others); for_each_state still visits keys in byte order, like RocksDB's default comparator, by
// sorting them first. Blocks are a vector of encodings indexed by height - 1, metadata a map. Used
// for runs that do not model durability, and as the reference the RocksDB backend is tested
// against.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
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
  std::uint64_t key_count() const override { return state_.size(); }
  std::uint64_t state_bytes() const override { return state_bytes_; }

  Height height() const override { return blocks_.size(); }
  std::optional<Bytes> block(Height h) const override;
  std::optional<Hash256> state_root(Height h) const override;
  Status commit_block(Height h, ByteView block_encoding, std::span<const StateWrite> writes,
                      const Hash256& state_root) override;
  // Keeps `block` itself: the validators of a run share their decoded blocks, so this costs a
  // pointer per node where an encoding would cost the block's size.
  Status commit_block_ref(Height h, const BlockRef& block, std::span<const StateWrite> writes,
                          const Hash256& state_root) override;

  Status put_meta(std::string_view key, ByteView value) override;
  std::optional<Bytes> get_meta(std::string_view key) const override;

 private:
  // Lookups by string_view without building a string.
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const noexcept {
      return std::hash<std::string_view>{}(key);
    }
  };
  std::unordered_map<std::string, std::string, KeyHash, std::equal_to<>> state_;
  std::uint64_t state_bytes_ = 0;
  // Fails unless h is the next height.
  Status check_next(Height h) const;
  void apply(std::span<const StateWrite> writes);

  std::vector<std::variant<Bytes, BlockRef>> blocks_;  // blocks_[h - 1] is block h
  std::vector<Hash256> roots_;  // roots_[h - 1] is the state root after block h
  std::map<std::string, Bytes, std::less<>> meta_;
};

}  // namespace hlsim
