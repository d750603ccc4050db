// Helpers shared by the libFuzzer targets in this folder.
//
// A target calls `check` for every property it asserts; a failed property prints what failed and
// traps, which libFuzzer reports as a crash and saves as a reproducer. `round_trip` is the
// property of the canonical binary formats: a decoder that accepts only exact encodings must give
// back, through its encoder, exactly the bytes it accepted.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/bytes.h"

namespace hlsim::fuzz {

inline void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz property failed: %s\n", what);
    __builtin_trap();
  }
}

inline bool same_bytes(ByteView a, ByteView b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}
inline bool same_bytes(ByteView a, std::string_view b) { return same_bytes(a, as_bytes(b)); }

// When `decoded` holds a value, `encode(*decoded)` must reproduce `input` byte for byte.
template <class T, class Encode>
void round_trip(ByteView input, const std::optional<T>& decoded, Encode encode, const char* what) {
  if (!decoded) return;
  const auto out = encode(*decoded);
  check(same_bytes(input, out), what);
}

inline std::string_view as_text(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace hlsim::fuzz
