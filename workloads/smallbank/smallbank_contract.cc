#include "workloads/smallbank/smallbank_contract.h"

#include <array>
#include <optional>
#include <stdexcept>
#include <string>

#include "workloads/smallbank/smallbank_payloads.h"
#include "workloads/smallbank/smallbank_state.h"

namespace hlsim::smallbank {
namespace {

constexpr std::array<const char*, 9> kReasonNames = {
    "ok",        "overdraft",       "insufficient_savings", "insufficient_checking",
    "malformed", "unknown_account", "same_account",         "bad_amount",
    "overflow",
};

Judged verdict(TxOutcome outcome, Reason reason) {
  return Judged{ApplyResult{outcome, 0, 0}, reason};
}

// a + b, or nullopt on 64-bit overflow.
std::optional<std::int64_t> add(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}
std::optional<std::int64_t> sub(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// Collects writes and counts them for ApplyResult; writes nothing until commit(), so a
// transaction that fails half-way (overflow) leaves the state untouched.
class Writes {
 public:
  void put(std::string key, std::int64_t cents) {
    keys_[n_] = std::move(key);
    values_[n_] = encode_balance(cents);
    ++n_;
  }
  Judged commit(KvStore& state, Reason reason) const {
    ApplyResult r{TxOutcome::kApplied, 0, 0};
    for (std::size_t i = 0; i < n_; ++i) {
      state.put(keys_[i], values_[i]);
      ++r.writes;
      r.written_bytes += keys_[i].size() + values_[i].size();
    }
    return Judged{r, reason};
  }

 private:
  std::array<std::string, 3> keys_;
  std::array<std::string, 3> values_;
  std::size_t n_ = 0;
};

}  // namespace

const char* reason_name(Reason reason) {
  const auto i = static_cast<std::size_t>(reason);
  return i < kReasonNames.size() ? kReasonNames[i] : "?";
}

SmallbankContract::SmallbankContract(std::uint64_t accounts, std::int64_t initial_balance_cents,
                                     std::int64_t overdraft_penalty_cents)
    : accounts_(accounts),
      initial_cents_(initial_balance_cents),
      penalty_cents_(overdraft_penalty_cents) {
  if (accounts < 2 || initial_balance_cents > kMaxAmountCents ||
      initial_balance_cents < -kMaxAmountCents || overdraft_penalty_cents < 0 ||
      overdraft_penalty_cents > kMaxAmountCents) {
    throw std::invalid_argument("SmallbankContract: bad accounts, initial balance or penalty");
  }
}

std::int64_t SmallbankContract::checking(const KvStore& state, std::uint64_t account) const {
  const std::optional<std::string> raw = state.get(checking_key(account));
  return raw ? decode_balance(*raw).value_or(initial_cents_) : initial_cents_;
}

std::int64_t SmallbankContract::savings(const KvStore& state, std::uint64_t account) const {
  const std::optional<std::string> raw = state.get(savings_key(account));
  return raw ? decode_balance(*raw).value_or(initial_cents_) : initial_cents_;
}

ApplyResult SmallbankContract::apply(KvStore& state, const Transaction& tx,
                                     TimeNs /*block_time_ns*/) {
  return apply_judged(state, tx).result;
}

Judged SmallbankContract::apply_judged(KvStore& state, const Transaction& tx) const {
  const std::optional<Op> op = decode(tx.kind, tx.payload);
  if (!op) return verdict(TxOutcome::kInvalid, Reason::kMalformed);
  const auto kind = static_cast<Kind>(tx.kind);
  const bool two_accounts = kind == Kind::kAmalgamate || kind == Kind::kSendPayment;
  if (op->account >= accounts_ || (two_accounts && op->to_account >= accounts_)) {
    return verdict(TxOutcome::kInvalid, Reason::kUnknownAccount);
  }
  if (two_accounts && op->account == op->to_account) {
    return verdict(TxOutcome::kInvalid, Reason::kSameAccount);
  }
  const bool positive =
      kind == Kind::kDepositChecking || kind == Kind::kWriteCheck || kind == Kind::kSendPayment;
  if (op->amount > kMaxAmountCents || op->amount < -kMaxAmountCents ||
      (positive && op->amount <= 0)) {
    return verdict(TxOutcome::kInvalid, Reason::kBadAmount);
  }
  const Judged overflow = verdict(TxOutcome::kInvalid, Reason::kOverflow);

  Writes out;
  const std::uint64_t a = op->account;
  switch (kind) {
    case Kind::kBalance:
      // Reads both balances (the query's answer is the client's concern).
      if (!add(checking(state, a), savings(state, a))) return overflow;
      return out.commit(state, Reason::kOk);

    case Kind::kDepositChecking: {
      const auto chk = add(checking(state, a), op->amount);
      if (!chk) return overflow;
      out.put(checking_key(a), *chk);
      return out.commit(state, Reason::kOk);
    }

    case Kind::kTransactSavings: {
      const auto sav = add(savings(state, a), op->amount);
      if (!sav) return overflow;
      if (*sav < 0) return verdict(TxOutcome::kDenied, Reason::kInsufficientSavings);
      out.put(savings_key(a), *sav);
      return out.commit(state, Reason::kOk);
    }

    case Kind::kAmalgamate: {
      const auto total = add(savings(state, a), checking(state, a));
      if (!total) return overflow;
      const auto to = add(checking(state, op->to_account), *total);
      if (!to) return overflow;
      out.put(savings_key(a), 0);
      out.put(checking_key(a), 0);
      out.put(checking_key(op->to_account), *to);
      return out.commit(state, Reason::kOk);
    }

    case Kind::kWriteCheck: {
      const auto total = add(savings(state, a), checking(state, a));
      if (!total) return overflow;
      const bool overdraft = *total < op->amount;
      const auto debit = add(op->amount, overdraft ? penalty_cents_ : 0);
      const auto chk = debit ? sub(checking(state, a), *debit) : std::nullopt;
      if (!chk) return overflow;
      out.put(checking_key(a), *chk);
      return out.commit(state, overdraft ? Reason::kOverdraft : Reason::kOk);
    }

    case Kind::kSendPayment: {
      const std::int64_t from = checking(state, a);
      if (from < op->amount) return verdict(TxOutcome::kDenied, Reason::kInsufficientChecking);
      const auto to = add(checking(state, op->to_account), op->amount);
      if (!to) return overflow;
      out.put(checking_key(a), from - op->amount);
      out.put(checking_key(op->to_account), *to);
      return out.commit(state, Reason::kOk);
    }
  }
  return verdict(TxOutcome::kInvalid, Reason::kMalformed);
}

}  // namespace hlsim::smallbank
