// Byte strings and 256-bit hashes: the currency of the ledger layer.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hlsim {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Lower-case hex of `data`.
std::string to_hex(ByteView data);
// Parses hex (either case, even length); false on any other input.
bool from_hex(std::string_view hex, Bytes& out);

// A SHA-256 digest. Ordered and hashable so it can key ordered maps deterministically.
struct Hash256 {
  std::array<std::uint8_t, 32> bytes{};

  // clang-tidy 14 flags the literal 0 of comparisons it synthesises from a defaulted <=>.
  auto operator<=>(const Hash256&) const = default;  // NOLINT(modernize-use-nullptr)
  ByteView view() const { return {bytes.data(), bytes.size()}; }
  std::string hex() const { return to_hex(view()); }
  // The first 8 bytes, big-endian: a compact id for tables (collisions only matter for display).
  std::uint64_t prefix64() const {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | bytes[static_cast<std::size_t>(i)];
    return v;
  }
  bool is_zero() const { return *this == Hash256{}; }
};

struct Hash256Hasher {
  std::size_t operator()(const Hash256& h) const noexcept {
    std::size_t v;
    std::memcpy(&v, h.bytes.data(), sizeof v);
    return v;
  }
};

}  // namespace hlsim
