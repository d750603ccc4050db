#include "ledger/eov/versioned_state.h"

namespace hlsim {
namespace {
// FNV-1a, then a final mix so that XOR-combining entries does not cancel structure.
std::uint64_t fnv(std::uint64_t h, std::string_view s) {
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}
}  // namespace

std::uint64_t VersionedState::entry_digest(std::string_view key, const VersionedValue& v) {
  std::uint64_t h = fnv(0xcbf29ce484222325ULL, key);
  h = fnv(h ^ 0xff, v.value);
  h ^= mix(v.version.block * 0x9e3779b97f4a7c15ULL + v.version.tx);
  return mix(h);
}

const VersionedValue* VersionedState::find(std::string_view key) const {
  const auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

std::optional<Version> VersionedState::version(std::string_view key) const {
  const VersionedValue* v = find(key);
  if (v == nullptr) return std::nullopt;
  return v->version;
}

void VersionedState::apply(const std::vector<KvWrite>& writes, Version version) {
  for (const KvWrite& w : writes) {
    auto it = entries_.find(w.key);
    if (it != entries_.end()) {
      digest_ ^= entry_digest(it->first, it->second);
      bytes_ -= it->first.size() + it->second.value.size();
      if (!w.value) {
        entries_.erase(it);
        continue;
      }
      it->second = VersionedValue{*w.value, version};
    } else {
      if (!w.value) continue;
      it = entries_.emplace(w.key, VersionedValue{*w.value, version}).first;
    }
    digest_ ^= entry_digest(it->first, it->second);
    bytes_ += it->first.size() + it->second.value.size();
  }
}

}  // namespace hlsim
