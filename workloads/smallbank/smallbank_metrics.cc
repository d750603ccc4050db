#include "workloads/smallbank/smallbank_metrics.h"

#include <optional>

namespace hlsim::smallbank {

SmallbankMetrics::SmallbankMetrics(std::uint64_t accounts, std::int64_t initial_balance_cents,
                                   std::int64_t overdraft_penalty_cents)
    : contract_(accounts, initial_balance_cents, overdraft_penalty_cents),
      penalty_cents_(overdraft_penalty_cents) {}

void SmallbankMetrics::on_commit(const Transaction& tx, TxOutcome outcome, TimeNs /*commit_ns*/) {
  if (outcome == TxOutcome::kInvalid) return;  // no effect on state; maybe never reached it
  const Judged j = contract_.apply_judged(shadow_, tx);
  if (j.result.outcome != outcome) ++replay_mismatches_;
  if (j.reason == Reason::kInsufficientSavings) ++denied_savings_;
  if (j.reason == Reason::kInsufficientChecking) ++denied_checking_;
  if (j.result.outcome != TxOutcome::kApplied) return;

  const std::optional<Op> op = decode(tx.kind, tx.payload);  // decoded: it was applied
  ++applied_[tx.kind];
  switch (static_cast<Kind>(tx.kind)) {
    case Kind::kBalance:
      return;  // writes nothing
    case Kind::kDepositChecking:
    case Kind::kTransactSavings:
      net_flow_cents_ += op->amount;
      break;
    case Kind::kWriteCheck:
      net_flow_cents_ -= op->amount;
      if (j.reason == Reason::kOverdraft) {
        ++checks_overdrawn_;
        net_flow_cents_ -= penalty_cents_;
      }
      break;
    case Kind::kAmalgamate:
    case Kind::kSendPayment:
      touched_.insert(op->to_account);
      break;
  }
  touched_.insert(op->account);
}

std::vector<WorkloadFigure> SmallbankMetrics::figures() const {
  // Independent of the flows: read back every written balance.
  std::int64_t delta = 0;
  for (std::uint64_t a : touched_) {
    delta += contract_.checking(shadow_, a) - contract_.initial_balance_cents();
    delta += contract_.savings(shadow_, a) - contract_.initial_balance_cents();
  }
  const auto count = [](std::uint64_t v) { return static_cast<double>(v); };
  const auto applied = [&](Kind k) { return count(applied_[static_cast<int>(k)]); };
  return {
      {"balance_reads", applied(Kind::kBalance), "", "balance queries applied"},
      {"deposits", applied(Kind::kDepositChecking), "", "deposit_checking applied"},
      {"savings_transactions", applied(Kind::kTransactSavings), "", "transact_savings applied"},
      {"amalgamations", applied(Kind::kAmalgamate), "", "amalgamate applied"},
      {"checks_written", applied(Kind::kWriteCheck), "", "write_check applied"},
      {"payments", applied(Kind::kSendPayment), "", "send_payment applied"},
      {"checks_overdrawn", count(checks_overdrawn_), "",
       "write_checks beyond savings + checking, charged the overdraft penalty"},
      {"denied_insufficient_savings", count(denied_savings_), "",
       "transact_savings denied: savings would go negative"},
      {"denied_insufficient_checking", count(denied_checking_), "",
       "send_payment denied: checking below the amount"},
      {"net_external_flow_cents", static_cast<double>(net_flow_cents_), "cents",
       "deposits + savings transactions - checks - overdraft penalties"},
      {"money_delta_cents", static_cast<double>(delta), "cents",
       "sum of all balances now minus at the start"},
      {"conservation_error_cents", static_cast<double>(delta - net_flow_cents_), "cents",
       "money_delta_cents - net_external_flow_cents (must be 0)"},
      {"accounts_touched", count(touched_.size()), "", "accounts an applied transaction wrote"},
      {"replay_mismatches", count(replay_mismatches_), "",
       "outcomes the metrics' replay disagreed with (must be 0)"},
  };
}

}  // namespace hlsim::smallbank
