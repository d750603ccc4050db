// Transaction kinds and payload encodings of Smallbank (Alomari, Cahill, Fekete, Röhm, "The
// Cost of Serializability on Platforms That Use Snapshot Isolation", ICDE 2008; SendPayment as
// added by H-Store and used by BLOCKBENCH).
//
// Every kind shares one set of fields, and each encodes only the ones it uses, in this order
// (little-endian, ledger/encoding.h); amounts are integer cents:
//   balance           : u64 account
//   deposit_checking  : u64 account | i64 amount
//   transact_savings  : u64 account | i64 amount      (signed: deposit or withdrawal)
//   amalgamate        : u64 account | u64 to_account
//   write_check       : u64 account | i64 amount
//   send_payment      : u64 account | u64 to_account | i64 amount
// Decoders accept only an exact encoding (no trailing bytes).
#pragma once

#include <cstdint>
#include <optional>

#include "ledger/bytes.h"

namespace hlsim::smallbank {

// Kind codes: the index into SmallbankWorkload::kind_names(). The order is fixed.
enum class Kind : std::uint16_t {
  kBalance = 0,
  kDepositChecking = 1,
  kTransactSavings = 2,
  kAmalgamate = 3,
  kWriteCheck = 4,
  kSendPayment = 5,
};
inline constexpr std::uint16_t kKindCount = 6;
// "balance", "deposit_checking", ...; nullptr if out of range.
const char* kind_name(std::uint16_t kind);

struct Op {
  std::uint64_t account = 0;
  std::uint64_t to_account = 0;  // amalgamate, send_payment; 0 otherwise
  std::int64_t amount = 0;       // cents; 0 for balance, amalgamate
};

// REQUIRES: kind < kKindCount. Fields the kind does not use are not encoded.
Bytes encode(Kind kind, const Op& op);
// nullopt for an unknown kind or an inexact encoding; unused fields come back 0.
std::optional<Op> decode(std::uint16_t kind, ByteView payload);

}  // namespace hlsim::smallbank
