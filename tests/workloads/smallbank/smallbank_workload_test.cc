// SmallbankWorkload generator: the H-Store and uniform mixes, the hotspot, amounts, determinism,
// and streams applied through the contract with the metrics' conservation check.
#include "workloads/smallbank/smallbank_workload.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "workloads/smallbank/smallbank_params.h"
#include "workloads/smallbank/smallbank_payloads.h"

namespace hlsim::smallbank {
namespace {

constexpr std::uint64_t kSeed = 20080407;

SmallbankConfig config_with(const std::map<std::string, std::string>& given = {}) {
  Result<ParamValues> values = ParamValues::parse(smallbank_param_specs(), given, "workload");
  EXPECT_TRUE(values.ok()) << values.error().message;
  WorkloadSetup setup;
  setup.seed = kSeed;
  setup.clients = 4;
  Result<SmallbankConfig> c = smallbank_config(*values, setup);
  EXPECT_TRUE(c.ok()) << c.error().message;
  return *c;
}

double figure(const WorkloadMetrics& m, const std::string& name) {
  for (const WorkloadFigure& f : m.figures()) {
    if (f.name == name) return f.value;
  }
  return std::nan("");
}

// Kind counts over `draws` drafts of one client, checked against the weights within five
// binomial standard errors.
void expect_mix(const SmallbankConfig& c, const std::array<double, kKindCount>& shares) {
  SmallbankWorkload w(c);
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 0);
  constexpr int kDraws = 100'000;
  std::array<int, kKindCount> counts{};
  for (int i = 0; i < kDraws; ++i) ++counts[w.next_tx(0, 0, rng).kind];
  for (std::uint16_t k = 0; k < kKindCount; ++k) {
    const double p = shares[k];
    EXPECT_NEAR(counts[k], p * kDraws, 5 * std::sqrt(kDraws * p * (1 - p))) << kind_name(k);
  }
}

TEST(SmallbankWorkloadTest, KindNamesAreTheSixTransactionsInCodeOrder) {
  SmallbankWorkload w(config_with());
  ASSERT_EQ(w.kind_names().size(), kKindCount);
  for (std::uint16_t k = 0; k < kKindCount; ++k) EXPECT_EQ(w.kind_names()[k], kind_name(k));
  EXPECT_FALSE(w.reacts_to_ledger());
}

TEST(SmallbankWorkloadTest, TheHStoreMixIsFifteenPercentEachAndSendPaymentTwentyFive) {
  expect_mix(config_with(), {0.15, 0.15, 0.15, 0.15, 0.15, 0.25});
}

TEST(SmallbankWorkloadTest, TheUniformMixIsOneSixthEach) {
  const double s = 1.0 / 6;
  expect_mix(config_with({{"mix", "uniform"}}), {s, s, s, s, s, s});
}

TEST(SmallbankWorkloadTest, WithoutAHotspotAccountsAreUniformAndTwoAccountsDiffer) {
  SmallbankWorkload w(config_with({{"accounts", "10"}}));
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 1);
  std::array<int, 10> counts{};
  for (int i = 0; i < 50'000; ++i) {
    const TxDraft d = w.next_tx(1, 0, rng);
    const auto op = decode(d.kind, d.payload);
    ASSERT_TRUE(op.has_value());
    ASSERT_LT(op->account, 10u);
    ++counts[op->account];
    if (d.kind == static_cast<std::uint16_t>(Kind::kAmalgamate) ||
        d.kind == static_cast<std::uint16_t>(Kind::kSendPayment)) {
      EXPECT_NE(op->account, op->to_account);
      EXPECT_LT(op->to_account, 10u);
    }
  }
  for (int c : counts) EXPECT_NEAR(c, 5'000, 400);
}

TEST(SmallbankWorkloadTest, TheHotspotTakesItsShareOfTransactionsOnTheHotSet) {
  const SmallbankConfig fixed =
      config_with({{"hotspot_probability", "0.9"}, {"hotspot_accounts", "100"}});
  EXPECT_EQ(fixed.hot_accounts, 100u);
  const SmallbankConfig share = config_with({{"hotspot_probability", "0.9"}});
  EXPECT_EQ(share.hot_accounts, 25'000u);  // 25% of 100,000
  SmallbankWorkload w(fixed);
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 2);
  int hot = 0;
  constexpr int kDraws = 20'000;
  for (int i = 0; i < kDraws; ++i) {
    const TxDraft d = w.next_tx(2, 0, rng);
    const auto op = decode(d.kind, d.payload);
    const bool a_hot = op->account < 100;
    if (a_hot) ++hot;
    if (d.kind == static_cast<std::uint16_t>(Kind::kSendPayment)) {
      EXPECT_EQ(op->to_account < 100, a_hot);  // both accounts from the same side
    }
  }
  EXPECT_NEAR(hot, 0.9 * kDraws, 5 * std::sqrt(kDraws * 0.09));
}

TEST(SmallbankWorkloadTest, HStoreAmountsAreFixedAndUniformAmountsStayInRange) {
  SmallbankWorkload hstore(config_with());
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 3);
  const std::int64_t expected[kKindCount] = {0, 130, 2'020, 0, 500, 500};
  for (int i = 0; i < 2'000; ++i) {
    const TxDraft d = hstore.next_tx(3, 0, rng);
    EXPECT_EQ(decode(d.kind, d.payload)->amount, expected[d.kind]) << kind_name(d.kind);
  }
  SmallbankWorkload uniform(config_with({{"amounts", "uniform"}, {"max_amount_cents", "300"}}));
  int withdrawals = 0;
  int savings = 0;
  for (int i = 0; i < 20'000; ++i) {
    const TxDraft d = uniform.next_tx(3, 0, rng);
    const std::int64_t a = decode(d.kind, d.payload)->amount;
    if (d.kind == static_cast<std::uint16_t>(Kind::kBalance) ||
        d.kind == static_cast<std::uint16_t>(Kind::kAmalgamate)) {
      EXPECT_EQ(a, 0);
    } else if (d.kind == static_cast<std::uint16_t>(Kind::kTransactSavings)) {
      ++savings;
      if (a < 0) ++withdrawals;
      EXPECT_GE(std::abs(a), 1);
      EXPECT_LE(std::abs(a), 300);
    } else {
      EXPECT_GE(a, 1);
      EXPECT_LE(a, 300);
    }
  }
  EXPECT_NEAR(withdrawals, savings / 2.0, 5 * std::sqrt(savings / 4.0));
}

TEST(SmallbankWorkloadTest, TheSameStreamGivesTheSameDraftsAndClientsDoNotShareState) {
  const SmallbankConfig c = config_with({{"hotspot_probability", "0.5"}});
  SmallbankWorkload a(c);
  SmallbankWorkload b(c);
  Rng ra = Rng::stream(kSeed, RngDomain::kClient, 0);
  Rng rb = Rng::stream(kSeed, RngDomain::kClient, 0);
  Rng other = Rng::stream(kSeed, RngDomain::kClient, 1);
  int differ = 0;
  for (int i = 0; i < 2'000; ++i) {
    const TxDraft x = a.next_tx(0, 0, ra);
    b.next_tx(1, 0, other);  // another client's draws in between change nothing
    const TxDraft y = b.next_tx(0, 0, rb);
    ASSERT_EQ(x.kind, y.kind);
    ASSERT_EQ(x.payload, y.payload);
    const TxDraft z = a.next_tx(1, 0, other);
    if (z.payload != x.payload) ++differ;
  }
  EXPECT_GT(differ, 1'900);
}

// Applies `n` drafts from `clients` round-robin through the contract, feeding the metrics.
struct RunResult {
  std::array<std::array<int, 3>, kKindCount> outcomes{};
  std::unique_ptr<WorkloadMetrics> metrics;
};
RunResult run(const SmallbankConfig& c, int n) {
  SmallbankWorkload w(c);
  std::unique_ptr<Contract> contract = w.make_contract();
  RunResult r;
  r.metrics = w.make_metrics();
  MemoryStore state;
  std::vector<Rng> rngs;
  for (ClientId k = 0; k < 4; ++k) rngs.push_back(Rng::stream(kSeed, RngDomain::kClient, k));
  for (int i = 0; i < n; ++i) {
    const ClientId client = static_cast<ClientId>(i % 4);
    TxDraft d = w.next_tx(client, 0, rngs[client]);
    Transaction tx;
    tx.kind = d.kind;
    tx.client = client;
    tx.payload = std::move(d.payload);
    const TxOutcome o = contract->apply(state, tx, i).outcome;
    ++r.outcomes[tx.kind][static_cast<int>(o)];
    r.metrics->on_commit(tx, o, i);
  }
  return r;
}

TEST(SmallbankWorkloadTest, AHotUniformStreamConservesMoneyAndHitsEveryRule) {
  const RunResult r = run(config_with({{"accounts", "1000"},
                                       {"hotspot_probability", "0.9"},
                                       {"hotspot_accounts", "20"},
                                       {"amounts", "uniform"},
                                       {"initial_balance_cents", "20000"},
                                       {"max_amount_cents", "5000"}}),
                          50'000);
  for (std::uint16_t k = 0; k < kKindCount; ++k) {
    EXPECT_EQ(r.outcomes[k][static_cast<int>(TxOutcome::kInvalid)], 0) << kind_name(k);
    EXPECT_GT(r.outcomes[k][static_cast<int>(TxOutcome::kApplied)], 0) << kind_name(k);
  }
  const WorkloadMetrics& m = *r.metrics;
  EXPECT_GT(figure(m, "denied_insufficient_savings"), 0);
  EXPECT_GT(figure(m, "denied_insufficient_checking"), 0);
  EXPECT_GT(figure(m, "checks_overdrawn"), 0);
  EXPECT_EQ(figure(m, "denied_insufficient_savings"),
            r.outcomes[static_cast<int>(Kind::kTransactSavings)][1]);
  EXPECT_EQ(figure(m, "conservation_error_cents"), 0);
  EXPECT_NE(figure(m, "money_delta_cents"), 0);
  EXPECT_EQ(figure(m, "replay_mismatches"), 0);
}

TEST(SmallbankWorkloadTest, TheDefaultStreamRarelyDeniesAndConservesMoney) {
  const RunResult r = run(config_with(), 20'000);
  const WorkloadMetrics& m = *r.metrics;
  EXPECT_EQ(figure(m, "conservation_error_cents"), 0);
  // H-Store's savings amount is a deposit, so savings never run dry; only accounts an
  // amalgamate emptied (a few percent of 100,000) bounce payments and overdraw checks.
  EXPECT_EQ(figure(m, "denied_insufficient_savings"), 0);
  EXPECT_LT(figure(m, "checks_overdrawn"), 0.05 * figure(m, "checks_written"));
  EXPECT_LT(figure(m, "denied_insufficient_checking"), 0.05 * figure(m, "payments"));
  EXPECT_GT(figure(m, "payments"), 4'000);
}

}  // namespace
}  // namespace hlsim::smallbank
