// World-state layout of the Smallbank contract: one key per balance.
//
//   sb/chk/<account:16>  -> i64 checking balance, cents
//   sb/sav/<account:16>  -> i64 savings balance, cents
//
// Numbers are fixed-width lower-case hex, so byte order is numeric order. An absent key holds the
// configured initial balance: every account exists from the start without a load phase, and only
// accounts a transaction wrote take space.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hlsim::smallbank {

std::string checking_key(std::uint64_t account);
std::string savings_key(std::uint64_t account);

std::string encode_balance(std::int64_t cents);
// nullopt unless `value` is exactly one i64.
std::optional<std::int64_t> decode_balance(std::string_view value);

}  // namespace hlsim::smallbank
