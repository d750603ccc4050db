#include "ledger/storage/memory_store.h"

namespace hlsim {

std::optional<std::string> MemoryStore::get(std::string_view key) const {
  auto it = map_.find(key);
  if (it == map_.end()) return std::nullopt;
  return it->second;
}

void MemoryStore::put(std::string_view key, std::string_view value) {
  auto it = map_.find(key);
  if (it == map_.end()) {
    map_.emplace(std::string(key), std::string(value));
    bytes_ += key.size() + value.size();
    return;
  }
  bytes_ -= it->second.size();
  bytes_ += value.size();
  it->second.assign(value);
}

void MemoryStore::erase(std::string_view key) {
  auto it = map_.find(key);
  if (it == map_.end()) return;
  bytes_ -= it->first.size() + it->second.size();
  map_.erase(it);
}

}  // namespace hlsim
