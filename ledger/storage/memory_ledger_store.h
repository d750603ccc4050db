// The `memory` LedgerStore backend: everything in process memory, lost when its node crashes.
//
// State is an ordered map (byte order of keys, like RocksDB's default comparator), blocks are a
// vector of encodings indexed by height - 1, metadata a map. Used for runs that do not model
// durability, and as the reference the RocksDB backend is tested against.
#pragma once

#include <cstdint>
#include <map>
#include <string>
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

  Status put_meta(std::string_view key, ByteView value) override;
  std::optional<Bytes> get_meta(std::string_view key) const override;

 private:
  std::map<std::string, std::string, std::less<>> state_;
  std::uint64_t state_bytes_ = 0;
  std::vector<Bytes> blocks_;   // blocks_[h - 1] is block h
  std::vector<Hash256> roots_;  // roots_[h - 1] is the state root after block h
  std::map<std::string, Bytes, std::less<>> meta_;
};

}  // namespace hlsim
