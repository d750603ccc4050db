#include "workloads/smallbank/smallbank_payloads.h"

#include <array>

#include "ledger/encoding.h"

namespace hlsim::smallbank {
namespace {

constexpr std::array<const char*, kKindCount> kNames = {
    "balance", "deposit_checking", "transact_savings", "amalgamate", "write_check", "send_payment",
};

bool has_to_account(Kind k) { return k == Kind::kAmalgamate || k == Kind::kSendPayment; }
bool has_amount(Kind k) { return k != Kind::kBalance && k != Kind::kAmalgamate; }

}  // namespace

const char* kind_name(std::uint16_t kind) { return kind < kKindCount ? kNames[kind] : nullptr; }

Bytes encode(Kind kind, const Op& op) {
  Writer w(24);
  w.u64(op.account);
  if (has_to_account(kind)) w.u64(op.to_account);
  if (has_amount(kind)) w.i64(op.amount);
  return w.take();
}

std::optional<Op> decode(std::uint16_t kind, ByteView payload) {
  if (kind >= kKindCount) return std::nullopt;
  const auto k = static_cast<Kind>(kind);
  Reader r(payload);
  Op op;
  r.u64(op.account);
  if (has_to_account(k)) r.u64(op.to_account);
  if (has_amount(k)) r.i64(op.amount);
  if (!r.done()) return std::nullopt;
  return op;
}

}  // namespace hlsim::smallbank
