// The Smallbank contract (Alomari et al., ICDE 2008; SendPayment from H-Store / BLOCKBENCH).
// State layout: smallbank_state.h; payloads: smallbank_payloads.h.
//
// Accounts 0..accounts-1 each hold a checking and a savings balance in integer cents, both
// initial_balance_cents until first written. As in Smallbank there is no ownership: any client
// (a bank branch) may operate on any account. A payload that does not decode, names an account
// out of range, names the same account twice, or has an amount out of range (deposit, check and
// payment amounts must be > 0; |amount| <= kMaxAmountCents) is kInvalid. Otherwise:
//   balance           kApplied; reads both balances, writes nothing.
//   deposit_checking  kApplied; checking += amount.
//   transact_savings  kDenied if savings + amount < 0 (a withdrawal beyond the savings), else
//                     kApplied, savings += amount.
//   amalgamate        kApplied; moves account's savings + checking into to_account's checking
//                     and zeroes both of account's balances.
//   write_check       kApplied; if savings + checking < amount, checking -= amount + the
//                     overdraft penalty (Alomari et al.: V + 1), else checking -= amount.
//   send_payment      kDenied if account's checking < amount, else kApplied, moving amount from
//                     account's checking to to_account's checking.
// Deposits, savings transactions and checks change the bank's total money; amalgamate and
// send_payment move it. A result that would overflow 64 bits is kInvalid.
//
// Deterministic: reads only the state and the transaction. Stateless itself; apply() is not safe
// to call concurrently on the same store.
#pragma once

#include <cstdint>

#include "workloads/contract.h"

namespace hlsim::smallbank {

inline constexpr std::int64_t kMaxAmountCents = 1'000'000'000'000;  // $10 billion

enum class Reason : std::uint8_t {
  kOk = 0,
  kOverdraft,             // write_check applied with the penalty
  kInsufficientSavings,   // transact_savings denied
  kInsufficientChecking,  // send_payment denied
  kMalformed,
  kUnknownAccount,
  kSameAccount,
  kBadAmount,
  kOverflow,
};
const char* reason_name(Reason reason);

struct Judged {
  ApplyResult result;
  Reason reason = Reason::kOk;
};

class SmallbankContract final : public Contract {
 public:
  // REQUIRES: accounts >= 2, |initial_balance_cents| <= kMaxAmountCents, penalty >= 0.
  SmallbankContract(std::uint64_t accounts, std::int64_t initial_balance_cents,
                    std::int64_t overdraft_penalty_cents);

  ApplyResult apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) override;
  // apply() with the reason for its outcome.
  Judged apply_judged(KvStore& state, const Transaction& tx) const;

  // The account's balances as stored (or initial when absent).
  std::int64_t checking(const KvStore& state, std::uint64_t account) const;
  std::int64_t savings(const KvStore& state, std::uint64_t account) const;

  std::uint64_t accounts() const { return accounts_; }
  std::int64_t initial_balance_cents() const { return initial_cents_; }

 private:
  std::uint64_t accounts_;
  std::int64_t initial_cents_;
  std::int64_t penalty_cents_;
};

}  // namespace hlsim::smallbank
