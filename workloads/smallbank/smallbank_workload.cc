#include "workloads/smallbank/smallbank_workload.h"

#include "workloads/smallbank/smallbank_contract.h"
#include "workloads/smallbank/smallbank_metrics.h"

namespace hlsim::smallbank {
namespace {

// H-Store SmallBankClient amounts, in cents: DepositChecking 1.3, TransactSavings 20.20,
// WriteCheck 5.0, SendPayment 5.00 ("from original code").
constexpr std::int64_t kHStoreDepositCents = 130;
constexpr std::int64_t kHStoreSavingsCents = 2020;
constexpr std::int64_t kHStoreCheckCents = 500;
constexpr std::int64_t kHStorePaymentCents = 500;

}  // namespace

SmallbankWorkload::SmallbankWorkload(const SmallbankConfig& config) : config_(config) {
  for (double w : config_.mix) mix_total_ += w;
}

const std::vector<std::string>& SmallbankWorkload::kind_names() const {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (std::uint16_t k = 0; k < kKindCount; ++k) n.emplace_back(kind_name(k));
    return n;
  }();
  return names;
}

std::unique_ptr<Contract> SmallbankWorkload::make_contract() const {
  return std::make_unique<SmallbankContract>(config_.accounts, config_.initial_balance_cents,
                                             config_.overdraft_penalty_cents);
}

std::unique_ptr<WorkloadMetrics> SmallbankWorkload::make_metrics() const {
  return std::make_unique<SmallbankMetrics>(config_.accounts, config_.initial_balance_cents,
                                            config_.overdraft_penalty_cents);
}

std::uint64_t SmallbankWorkload::draw_account(bool hot, Rng& rng) const {
  if (hot) return rng.next_below(config_.hot_accounts);
  return config_.hot_accounts + rng.next_below(config_.accounts - config_.hot_accounts);
}

std::int64_t SmallbankWorkload::draw_amount(Kind kind, Rng& rng) const {
  if (config_.amounts == Amounts::kHStore) {
    switch (kind) {
      case Kind::kDepositChecking:
        return kHStoreDepositCents;
      case Kind::kTransactSavings:
        return kHStoreSavingsCents;
      case Kind::kWriteCheck:
        return kHStoreCheckCents;
      case Kind::kSendPayment:
        return kHStorePaymentCents;
      default:
        return 0;
    }
  }
  if (kind == Kind::kBalance || kind == Kind::kAmalgamate) return 0;
  const auto magnitude = 1 + static_cast<std::int64_t>(rng.next_below(
                                 static_cast<std::uint64_t>(config_.max_amount_cents)));
  // A savings transaction is a deposit or a withdrawal with equal odds.
  if (kind == Kind::kTransactSavings && rng.bernoulli(0.5)) return -magnitude;
  return magnitude;
}

TxDraft SmallbankWorkload::next_tx(ClientId /*client*/, TimeNs /*now_ns*/, Rng& rng) {
  // The kind: weights over the mix.
  const double u = rng.next_double() * mix_total_;
  double acc = 0;
  std::uint16_t k = kKindCount - 1;
  for (std::uint16_t i = 0; i < kKindCount; ++i) {
    acc += config_.mix[i];
    if (u < acc) {
      k = i;
      break;
    }
  }
  const auto kind = static_cast<Kind>(k);
  const bool hot = config_.hot_accounts > 0 && rng.bernoulli(config_.hotspot_probability);
  Op op;
  op.account = draw_account(hot, rng);
  if (kind == Kind::kAmalgamate || kind == Kind::kSendPayment) {
    do {
      op.to_account = draw_account(hot, rng);
    } while (op.to_account == op.account);
  }
  op.amount = draw_amount(kind, rng);
  return TxDraft{k, encode(kind, op), nullptr};
}

Result<std::unique_ptr<Workload>> make_smallbank_workload(const ParamValues& values,
                                                          const WorkloadSetup& setup) {
  Result<SmallbankConfig> config = smallbank_config(values, setup);
  if (!config) return config.error();
  return std::unique_ptr<Workload>(std::make_unique<SmallbankWorkload>(*config));
}

}  // namespace hlsim::smallbank
