// Smallbank's own figures, from the ordered transactions and their outcomes.
//
// It replays every committed transaction (except those recorded kInvalid) through its own
// SmallbankContract over a private store, and checks conservation of money two ways: the change
// of the sum of all balances in that store (over every account written) against the sum of the
// external flows the applied transactions carried (deposits + savings transactions - checks -
// overdraft penalties; amalgamate and send_payment only move money).
//
// Figures (figures() order):
//   balance_reads, deposits, savings_transactions, amalgamations, checks_written, payments
//                                  applied transactions of each kind
//   checks_overdrawn               write_checks that paid the overdraft penalty
//   denied_insufficient_savings    transact_savings denied (savings would go negative)
//   denied_insufficient_checking   send_payment denied (checking below the amount)
//   net_external_flow_cents        deposits + savings transactions - checks - penalties
//   money_delta_cents              sum of balances now - sum at the start
//   conservation_error_cents       money_delta_cents - net_external_flow_cents (must be 0)
//   accounts_touched               accounts some applied transaction wrote
//   replay_mismatches              outcomes the replay disagreed with (must be 0)
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "workloads/smallbank/smallbank_contract.h"
#include "workloads/smallbank/smallbank_payloads.h"
#include "workloads/workload.h"

namespace hlsim::smallbank {

class SmallbankMetrics final : public WorkloadMetrics {
 public:
  SmallbankMetrics(std::uint64_t accounts, std::int64_t initial_balance_cents,
                   std::int64_t overdraft_penalty_cents);

  void on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) override;
  std::vector<WorkloadFigure> figures() const override;

 private:
  SmallbankContract contract_;
  std::int64_t penalty_cents_;
  MemoryStore shadow_;
  std::set<std::uint64_t> touched_;
  std::uint64_t applied_[kKindCount] = {};
  std::uint64_t checks_overdrawn_ = 0;
  std::uint64_t denied_savings_ = 0;
  std::uint64_t denied_checking_ = 0;
  std::int64_t net_flow_cents_ = 0;
  std::uint64_t replay_mismatches_ = 0;
};

}  // namespace hlsim::smallbank
