// In-memory KvStore backed by an ordered map. Lost when its node crashes without persistence.
#pragma once

#include <map>
#include <string>

#include "ledger/storage/kv_store.h"

namespace hlsim {

class MemoryStore final : public KvStore {
 public:
  std::optional<std::string> get(std::string_view key) const override;
  void put(std::string_view key, std::string_view value) override;
  void erase(std::string_view key) override;
  std::uint64_t key_count() const override { return map_.size(); }
  std::uint64_t bytes() const override { return bytes_; }

 private:
  std::map<std::string, std::string, std::less<>> map_;
  std::uint64_t bytes_ = 0;
};

}  // namespace hlsim
