#include "ledger/storage/state_overlay.h"

#include <utility>

namespace hlsim {

namespace {

std::int64_t signed_size(std::size_t n) { return static_cast<std::int64_t>(n); }

}  // namespace

std::optional<std::string> StateOverlay::get(std::string_view key) const {
  auto it = pending_.find(key);
  if (it != pending_.end()) return it->second;
  return store_->get(key);
}

std::optional<std::size_t> StateOverlay::visible_size(std::string_view key) const {
  auto it = pending_.find(key);
  if (it != pending_.end()) {
    if (!it->second) return std::nullopt;
    return it->second->size();
  }
  std::optional<std::string> stored = store_->get(key);
  if (!stored) return std::nullopt;
  return stored->size();
}

void StateOverlay::put(std::string_view key, std::string_view value) {
  const std::optional<std::size_t> previous = visible_size(key);
  if (previous) {
    byte_delta_ += signed_size(value.size()) - signed_size(*previous);
  } else {
    ++key_delta_;
    byte_delta_ += signed_size(key.size() + value.size());
  }
  auto it = pending_.find(key);
  if (it == pending_.end()) {
    pending_.emplace(std::string(key), std::string(value));
  } else {
    it->second.emplace(value);
  }
}

void StateOverlay::erase(std::string_view key) {
  const std::optional<std::size_t> previous = visible_size(key);
  if (!previous) return;
  --key_delta_;
  byte_delta_ -= signed_size(key.size() + *previous);
  auto it = pending_.find(key);
  if (it == pending_.end()) {
    pending_.emplace(std::string(key), std::nullopt);
  } else {
    it->second.reset();
  }
}

std::uint64_t StateOverlay::key_count() const {
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(store_->key_count()) + key_delta_);
}

std::uint64_t StateOverlay::bytes() const {
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(store_->state_bytes()) + byte_delta_);
}

std::vector<StateWrite> StateOverlay::take_writes() {
  std::vector<StateWrite> writes;
  writes.reserve(pending_.size());
  // std::map iterates in byte order of keys (std::less on std::string compares as unsigned char
  // through char_traits), the same order RocksDB's default comparator uses.
  while (!pending_.empty()) {
    auto node = pending_.extract(pending_.begin());
    writes.push_back(StateWrite{std::move(node.key()), std::move(node.mapped())});
  }
  key_delta_ = 0;
  byte_delta_ = 0;
  return writes;
}

}  // namespace hlsim
