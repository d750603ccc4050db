#include "workloads/smallbank/smallbank_params.h"

#include <cmath>
#include <string>

#include "workloads/smallbank/smallbank_contract.h"

namespace hlsim::smallbank {
namespace {

// H-Store SmallBankConstants FREQUENCY_*: balance, deposit_checking, transact_savings,
// amalgamate, write_check 15 each, send_payment 25 (in Kind order).
constexpr std::array<double, kKindCount> kHStoreMix = {15, 15, 15, 15, 15, 25};
// BLOCKBENCH's Smallbank driver draws the six operations uniformly.
constexpr std::array<double, kKindCount> kUniformMix = {1, 1, 1, 1, 1, 1};

}  // namespace

const std::vector<ParamSpec>& smallbank_param_specs() {
  static const std::vector<ParamSpec> specs = {
      int_param("accounts", "100000", "accounts",
                "customer accounts, each with a checking and a savings balance (default: "
                "BLOCKBENCH's Smallbank driver draws from 100,000 accounts; H-Store's default is "
                "1,000,000)",
                2, 1e15),
      string_param("mix", "hstore",
                   "transaction mix: hstore = balance, deposit_checking, transact_savings, "
                   "amalgamate, write_check 15% each and send_payment 25% (H-Store "
                   "SmallBankConstants); uniform = 1/6 each (BLOCKBENCH's driver)",
                   {"hstore", "uniform"}),
      number_param("hotspot_probability", "0", "",
                   "share of transactions whose accounts come from the hot set (H-Store's "
                   "prob_account_hotspot; default 0 = off, as in H-Store)",
                   0, 1),
      number_param("hotspot_fraction", "0.25", "",
                   "hot set as a share of the accounts when hotspot_accounts is 0 (default: "
                   "H-Store HOTSPOT_PERCENTAGE 25%)",
                   0, 1),
      int_param("hotspot_accounts", "0", "accounts",
                "fixed size of the hot set (accounts 0..n-1); 0 uses hotspot_fraction (H-Store "
                "HOTSPOT_FIXED_SIZE is 100 when a fixed size is used)",
                0, 1e15),
      string_param("amounts", "hstore",
                   "transaction amounts: hstore = deposit 1.30, transact_savings +20.20, check "
                   "5.00, payment 5.00 (H-Store SmallBankClient, 'from original code'); uniform = "
                   "uniform on [0.01, max_amount_cents/100], transact_savings of either sign",
                   {"hstore", "uniform"}),
      int_param("max_amount_cents", "5000", "cents",
                "largest amount with amounts = uniform (default: design assumption, $50)", 1,
                static_cast<double>(kMaxAmountCents)),
      int_param("initial_balance_cents", "1000000", "cents",
                "checking and savings balance of an account never written (no load phase; "
                "default: $10,000, H-Store's MIN_BALANCE; H-Store loads uniform $10,000-50,000)",
                0, static_cast<double>(kMaxAmountCents)),
      int_param("overdraft_penalty_cents", "100", "cents",
                "penalty a write_check pays beyond the funds (default: $1, Alomari et al., "
                "ICDE 2008: checking -= V + 1)",
                0, static_cast<double>(kMaxAmountCents)),
  };
  return specs;
}

Result<SmallbankConfig> smallbank_config(const ParamValues& values,
                                         const WorkloadSetup& /*setup*/) {
  SmallbankConfig c;
  c.accounts = static_cast<std::uint64_t>(values.get_int("accounts"));
  c.mix = values.get_string("mix") == "uniform" ? kUniformMix : kHStoreMix;
  c.hotspot_probability = values.get_double("hotspot_probability");
  const std::int64_t fixed = values.get_int("hotspot_accounts");
  const double fraction = values.get_double("hotspot_fraction");
  c.hot_accounts = fixed > 0 ? static_cast<std::uint64_t>(fixed)
                             : static_cast<std::uint64_t>(std::floor(fraction * c.accounts));
  const std::string hot_key = fixed > 0 ? "workload.hotspot_accounts" : "workload.hotspot_fraction";
  if (c.hotspot_probability > 0 && (c.hot_accounts < 2 || c.hot_accounts + 2 > c.accounts)) {
    return Error{hot_key +
                 ": with hotspot_probability > 0 the hot set needs at least 2 accounts and "
                 "at least 2 outside it (accounts " +
                 std::to_string(c.accounts) + "), got a hot set of " +
                 std::to_string(c.hot_accounts)};
  }
  if (c.hotspot_probability == 0) c.hot_accounts = 0;  // every account is drawn uniformly
  c.amounts = values.get_string("amounts") == "uniform" ? Amounts::kUniform : Amounts::kHStore;
  c.max_amount_cents = values.get_int("max_amount_cents");
  c.initial_balance_cents = values.get_int("initial_balance_cents");
  c.overdraft_penalty_cents = values.get_int("overdraft_penalty_cents");
  return c;
}

}  // namespace hlsim::smallbank
