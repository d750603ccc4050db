#include "ledger/eov/rwset_recorder.h"

namespace hlsim {

std::optional<std::string> RwSetRecorder::get(std::string_view key) const {
  if (const auto w = writes_.find(key); w != writes_.end()) return w->second;
  const VersionedValue* v = state_->find(key);
  if (!reads_.contains(key)) {
    reads_.emplace(std::string(key), v ? std::optional<Version>(v->version) : std::nullopt);
  }
  if (v == nullptr) return std::nullopt;
  return v->value;
}

void RwSetRecorder::put(std::string_view key, std::string_view value) {
  writes_.insert_or_assign(std::string(key), std::optional<std::string>(value));
}

void RwSetRecorder::erase(std::string_view key) {
  writes_.insert_or_assign(std::string(key), std::nullopt);
}

std::uint64_t RwSetRecorder::key_count() const {
  std::int64_t n = static_cast<std::int64_t>(state_->key_count());
  for (const auto& [k, v] : writes_) {
    const bool existed = state_->find(k) != nullptr;
    if (v && !existed) ++n;
    if (!v && existed) --n;
  }
  return static_cast<std::uint64_t>(n);
}

std::uint64_t RwSetRecorder::bytes() const {
  std::int64_t n = static_cast<std::int64_t>(state_->bytes());
  for (const auto& [k, v] : writes_) {
    if (const VersionedValue* old = state_->find(k)) {
      n -= static_cast<std::int64_t>(k.size() + old->value.size());
    }
    if (v) n += static_cast<std::int64_t>(k.size() + v->size());
  }
  return static_cast<std::uint64_t>(n);
}

RwSet RwSetRecorder::take() {
  RwSet s;
  s.reads.reserve(reads_.size());
  for (auto& [k, v] : reads_) s.reads.push_back(KvRead{k, v});
  s.writes.reserve(writes_.size());
  for (auto& [k, v] : writes_) s.writes.push_back(KvWrite{k, std::move(v)});
  reads_.clear();
  writes_.clear();
  return s;
}

}  // namespace hlsim
