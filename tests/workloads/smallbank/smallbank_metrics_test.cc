// SmallbankMetrics on a hand-made committed sequence, and its registry entry and parameters.
#include "workloads/smallbank/smallbank_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <string>

#include "sim/kernel/params.h"
#include "workloads/smallbank/smallbank_params.h"
#include "workloads/smallbank/smallbank_payloads.h"
#include "workloads/workload.h"

namespace hlsim::smallbank {
namespace {

double figure(const WorkloadMetrics& m, const std::string& name) {
  for (const WorkloadFigure& f : m.figures()) {
    if (f.name == name) return f.value;
  }
  return std::nan("");
}

class SmallbankMetricsTest : public ::testing::Test {
 protected:
  void commit(Kind kind, Op op, TxOutcome outcome) {
    Transaction tx;
    tx.kind = static_cast<std::uint16_t>(kind);
    tx.payload = encode(kind, op);
    metrics_.on_commit(tx, outcome, 0);
  }
  double value(const std::string& name) const { return figure(metrics_, name); }

  // 10 accounts at $100 (10,000 cents) each, $1 penalty.
  SmallbankMetrics metrics_{10, 10'000, 100};
};

TEST_F(SmallbankMetricsTest, FiguresOfAHandMadeSequence) {
  using enum TxOutcome;
  commit(Kind::kBalance, Op{1, 0, 0}, kApplied);
  commit(Kind::kDepositChecking, Op{1, 0, 500}, kApplied);     // +500
  commit(Kind::kTransactSavings, Op{2, 0, -3'000}, kApplied);  // -3,000
  commit(Kind::kTransactSavings, Op{2, 0, -8'000}, kDenied);   // 7,000 left
  commit(Kind::kAmalgamate, Op{3, 4, 0}, kApplied);            // 20,000 moved to 4
  commit(Kind::kSendPayment, Op{3, 5, 1}, kDenied);            // 3 is empty
  commit(Kind::kSendPayment, Op{4, 5, 25'000}, kApplied);      // moved
  commit(Kind::kWriteCheck, Op{3, 0, 50}, kApplied);           // overdraft: -50 - 100
  commit(Kind::kWriteCheck, Op{6, 0, 1'000}, kApplied);        // -1,000
  commit(Kind::kDepositChecking, Op{7, 0, 1'000}, kInvalid);   // e.g. forged: not replayed
  EXPECT_EQ(value("balance_reads"), 1);
  EXPECT_EQ(value("deposits"), 1);
  EXPECT_EQ(value("savings_transactions"), 1);
  EXPECT_EQ(value("amalgamations"), 1);
  EXPECT_EQ(value("payments"), 1);
  EXPECT_EQ(value("checks_written"), 2);
  EXPECT_EQ(value("checks_overdrawn"), 1);
  EXPECT_EQ(value("denied_insufficient_savings"), 1);
  EXPECT_EQ(value("denied_insufficient_checking"), 1);
  EXPECT_EQ(value("net_external_flow_cents"), 500 - 3'000 - 50 - 100 - 1'000);
  EXPECT_EQ(value("money_delta_cents"), 500 - 3'000 - 50 - 100 - 1'000);
  EXPECT_EQ(value("conservation_error_cents"), 0);
  EXPECT_EQ(value("accounts_touched"), 6);  // 1, 2, 3, 4, 5, 6
  EXPECT_EQ(value("replay_mismatches"), 0);
}

TEST_F(SmallbankMetricsTest, AnOutcomeTheReplayDisagreesWithIsCounted) {
  commit(Kind::kSendPayment, Op{1, 2, 100}, TxOutcome::kDenied);  // replay: applied
  EXPECT_EQ(value("replay_mismatches"), 1);
  EXPECT_EQ(value("payments"), 1);
  EXPECT_EQ(value("conservation_error_cents"), 0);
}

TEST(SmallbankParamsTest, DefaultsCiteTheirSourcesAndBuildAConfig) {
  const Result<ParamValues> v = ParamValues::parse(smallbank_param_specs(), {}, "workload");
  ASSERT_TRUE(v.ok());
  const Result<SmallbankConfig> c = smallbank_config(*v, WorkloadSetup{});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->accounts, 100'000u);
  EXPECT_EQ(c->hot_accounts, 0u);  // hotspot off by default, as in H-Store
  EXPECT_EQ(c->initial_balance_cents, 1'000'000);
  EXPECT_EQ(c->overdraft_penalty_cents, 100);
  EXPECT_EQ(c->amounts, Amounts::kHStore);
  for (const ParamSpec& s : smallbank_param_specs()) {
    if (s.name == "accounts") {
      EXPECT_NE(s.help.find("BLOCKBENCH"), std::string::npos);
    }
    if (s.name == "mix") {
      EXPECT_NE(s.help.find("H-Store"), std::string::npos);
    }
  }
}

std::string error_of(const std::map<std::string, std::string>& given) {
  const Result<ParamValues> v = ParamValues::parse(smallbank_param_specs(), given, "workload");
  if (!v) return v.error().message;
  const Result<SmallbankConfig> c = smallbank_config(*v, WorkloadSetup{});
  return c.ok() ? "" : c.error().message;
}

TEST(SmallbankParamsTest, AHotSetThatCannotGiveTwoAccountsNamesItsKey) {
  EXPECT_EQ(error_of({{"hotspot_probability", "0.9"}, {"hotspot_accounts", "1"}})
                .rfind("workload.hotspot_accounts:", 0),
            0u);
  EXPECT_EQ(
      error_of({{"hotspot_probability", "0.9"}, {"accounts", "4"}, {"hotspot_fraction", "0.9"}})
          .rfind("workload.hotspot_fraction:", 0),
      0u);
  EXPECT_EQ(
      error_of({{"hotspot_probability", "0.9"}, {"accounts", "100"}, {"hotspot_accounts", "99"}})
          .rfind("workload.hotspot_accounts:", 0),
      0u);
  // Without a hotspot the hot set does not matter.
  EXPECT_EQ(error_of({{"hotspot_accounts", "1"}}), "");
  EXPECT_EQ(error_of({{"mix", "tpcc"}}).rfind("workload.mix:", 0), 0u);
  EXPECT_EQ(error_of({{"accounts", "1"}}).rfind("workload.accounts:", 0), 0u);
  EXPECT_EQ(error_of({{"hotspot_probability", "1.5"}}).rfind("workload.hotspot_probability:", 0),
            0u);
}

TEST(SmallbankParamsTest, TheRegistryBuildsTheWorkload) {
  const WorkloadInfo* info = find_workload("smallbank");
  ASSERT_NE(info, nullptr);
  const Result<ParamValues> v = ParamValues::parse(info->params, {}, "workload");
  ASSERT_TRUE(v.ok());
  Result<std::unique_ptr<Workload>> w = info->make(*v, WorkloadSetup{});
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ((*w)->kind_names().size(), 6u);
  EXPECT_NE((*w)->make_contract(), nullptr);
  EXPECT_NE((*w)->make_metrics(), nullptr);
}

}  // namespace
}  // namespace hlsim::smallbank
