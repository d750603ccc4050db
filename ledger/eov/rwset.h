// Read-write sets of the execute-order-validate pipeline: what an endorsing peer's simulation of a
// transaction read (each key with the version it had) and what it would write.
//
// A version names the transaction that last wrote a key: (block height, index in the block).
// Height 0 is never a real block; a read of an absent key carries no version.
//
// Canonical form (what endorsers sign and validators check): reads and writes each sorted by key,
// one entry per key. Encoding (ledger/encoding.h, little-endian):
//   rwset = u32 reads  | reads  * (str key | u8 has_version | [u64 height | u32 tx])
//           u32 writes | writes * (str key | u8 is_delete  | [str value])
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/bytes.h"
#include "ledger/encoding.h"
#include "sim/kernel/ids.h"

namespace hlsim {

struct Version {
  Height block = 0;
  std::uint32_t tx = 0;
  auto operator<=>(const Version&) const = default;
};

struct KvRead {
  std::string key;
  std::optional<Version> version;  // nullopt: the key did not exist when read
  bool operator==(const KvRead&) const = default;
};

struct KvWrite {
  std::string key;
  std::optional<std::string> value;  // nullopt: the key is deleted
  bool operator==(const KvWrite&) const = default;
};

struct RwSet {
  std::vector<KvRead> reads;    // sorted by key, unique
  std::vector<KvWrite> writes;  // sorted by key, unique

  bool operator==(const RwSet&) const = default;
  void encode_to(Writer& w) const;
  // nullopt on malformed input, or reads/writes not strictly sorted by key (not canonical).
  static std::optional<RwSet> decode_from(Reader& r);
  Bytes encode() const;
  std::size_t encoded_size() const;
  // SHA-256 of the encoding: what endorsers sign.
  Hash256 hash() const;
};

}  // namespace hlsim
