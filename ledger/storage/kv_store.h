// The world-state interface: an ordered key-value store, one per node.
//
// Backends (memory now; RocksDB later) implement it. Iteration order is the byte order of keys, so
// anything derived from the state is deterministic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hlsim {

class KvStore {
 public:
  virtual ~KvStore() = default;
  virtual std::optional<std::string> get(std::string_view key) const = 0;
  virtual void put(std::string_view key, std::string_view value) = 0;
  virtual void erase(std::string_view key) = 0;
  virtual std::uint64_t key_count() const = 0;
  // Bytes of keys plus values currently stored.
  virtual std::uint64_t bytes() const = 0;
};

}  // namespace hlsim
