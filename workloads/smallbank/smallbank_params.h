// Parameters of the Smallbank workload (scenario keys under `workload:`), and the typed, checked
// configuration built from them.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "workloads/smallbank/smallbank_payloads.h"
#include "workloads/workload.h"

namespace hlsim::smallbank {

// Names, types, defaults (with their sources in the help text), units and bounds.
const std::vector<ParamSpec>& smallbank_param_specs();

enum class Amounts : std::uint8_t {
  kHStore,   // H-Store's fixed amounts
  kUniform,  // uniform up to max_amount_cents; transact_savings of either sign
};

struct SmallbankConfig {
  std::uint64_t accounts = 0;
  std::array<double, kKindCount> mix{};  // weights, indexed by Kind
  double hotspot_probability = 0;        // share of transactions on hot accounts
  std::uint64_t hot_accounts = 0;        // accounts 0..hot_accounts-1 are hot
  Amounts amounts = Amounts::kHStore;
  std::int64_t max_amount_cents = 0;
  std::int64_t initial_balance_cents = 0;
  std::int64_t overdraft_penalty_cents = 0;
};

// Reads and cross-checks the values (parsed against smallbank_param_specs()). Errors name the
// key: "workload.hotspot_accounts: ..." (or hotspot_fraction) when the hot set, or the accounts
// outside it, could not give two different accounts while hotspot_probability says they are
// used.
Result<SmallbankConfig> smallbank_config(const ParamValues& values, const WorkloadSetup& setup);

}  // namespace hlsim::smallbank
