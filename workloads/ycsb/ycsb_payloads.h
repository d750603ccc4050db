// Transaction kinds, payload encodings and state layout of the YCSB core workloads (Cooper et
// al., "Benchmarking Cloud Serving Systems with YCSB", SoCC 2010) on a ledger.
//
// Payloads (little-endian, ledger/encoding.h; `bytes` is a u32 length then the data):
//   read   : u64 key                                   (all fields, as YCSB's readallfields)
//   update : u64 key | u8 field | bytes value          (one field of field_bytes, or
//                                                       kAllFields and the whole record)
//   insert : u64 key | bytes record                    (field_count * field_bytes)
// State: "ycsb/user<key>" (decimal key, YCSB's key names) -> the record, its fields
// concatenated. Decoders accept only an exact encoding.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ledger/bytes.h"

namespace hlsim::ycsb {

// Kind codes: the index into YcsbWorkload::kind_names(). The order is fixed.
enum class Kind : std::uint16_t { kRead = 0, kUpdate = 1, kInsert = 2 };
inline constexpr std::uint16_t kKindCount = 3;
// "read", "update", "insert"; nullptr if out of range.
const char* kind_name(std::uint16_t kind);

// update's field value that stands for "every field" (YCSB writeallfields=true).
inline constexpr std::uint8_t kAllFields = 0xFF;
// Bound on a decoded value, so a hostile length prefix cannot make a decoder allocate much.
inline constexpr std::size_t kYcsbMaxValueBytes = 16u << 20;

struct Read {
  std::uint64_t key = 0;
};
struct Update {
  std::uint64_t key = 0;
  std::uint8_t field = 0;
  Bytes value;
};
struct Insert {
  std::uint64_t key = 0;
  Bytes record;
};

Bytes encode(const Read& p);
Bytes encode(const Update& p);
Bytes encode(const Insert& p);
std::optional<Read> decode_read(ByteView payload);
std::optional<Update> decode_update(ByteView payload);
std::optional<Insert> decode_insert(ByteView payload);

// "ycsb/user<key>".
std::string record_key(std::uint64_t key);

}  // namespace hlsim::ycsb
