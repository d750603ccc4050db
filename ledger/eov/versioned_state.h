// A committing peer's world state in the execute-order-validate pipeline: every key holds its value
// and the version (block, transaction) that wrote it, which MVCC validation compares read sets
// against.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/eov/rwset.h"

namespace hlsim {

struct VersionedValue {
  std::string value;
  Version version;
};

class VersionedState {
 public:
  const VersionedValue* find(std::string_view key) const;
  // The key's version, nullopt when absent.
  std::optional<Version> version(std::string_view key) const;
  // Applies a valid transaction's writes, stamping each written key with `version`.
  void apply(const std::vector<KvWrite>& writes, Version version);

  std::uint64_t key_count() const { return entries_.size(); }
  std::uint64_t bytes() const { return bytes_; }
  // An order-independent digest of every (key, value, version), kept incrementally: two peers
  // with equal states have equal digests. A consistency check, not a commitment.
  std::uint64_t digest() const { return digest_; }

 private:
  static std::uint64_t entry_digest(std::string_view key, const VersionedValue& v);
  std::map<std::string, VersionedValue, std::less<>> entries_;
  std::uint64_t bytes_ = 0;
  std::uint64_t digest_ = 0;
};

}  // namespace hlsim
