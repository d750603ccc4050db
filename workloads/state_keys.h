// Helpers every workload's state layout uses: fixed-width hex in keys (so byte order is numeric
// order) and a Writer's bytes as a stored value.
#pragma once

#include <cstdint>
#include <string>

#include "ledger/encoding.h"

namespace hlsim {

// Appends `v` as exactly `digits` lower-case hex digits.
inline void append_hex(std::string& out, std::uint64_t v, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out.push_back(kHex[(v >> (4 * i)) & 0xF]);
}

// The bytes a Writer holds, as a KvStore value.
inline std::string to_value(const Writer& w) {
  const Bytes& b = w.data();
  return {b.begin(), b.end()};
}

}  // namespace hlsim
