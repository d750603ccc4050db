#include "workloads/smallbank/smallbank_state.h"

#include "ledger/encoding.h"

namespace hlsim::smallbank {
namespace {

std::string key(const char* prefix, std::uint64_t account) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string k = prefix;
  for (int i = 15; i >= 0; --i) k.push_back(kHex[(account >> (4 * i)) & 0xF]);
  return k;
}

}  // namespace

std::string checking_key(std::uint64_t account) { return key("sb/chk/", account); }
std::string savings_key(std::uint64_t account) { return key("sb/sav/", account); }

std::string encode_balance(std::int64_t cents) {
  Writer w(8);
  w.i64(cents);
  const Bytes& b = w.data();
  return {b.begin(), b.end()};
}

std::optional<std::int64_t> decode_balance(std::string_view value) {
  Reader r(as_bytes(value));
  std::int64_t v = 0;
  r.i64(v);
  if (!r.done()) return std::nullopt;
  return v;
}

}  // namespace hlsim::smallbank
