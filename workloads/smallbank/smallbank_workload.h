// Smallbank (Alomari et al., ICDE 2008) as H-Store and BLOCKBENCH run it, for comparing hlsim
// with published blockchain benchmarks. Contract: smallbank_contract.h.
//
// Clients are bank branches with no state of their own: each draft picks a kind by the mix
// weights, then its account(s): with probability hotspot_probability from the hot set (accounts
// 0..hot-1), otherwise from the rest, uniformly; a two-account kind (amalgamate, send_payment)
// redraws the second account until it differs from the first (as H-Store's client does). Amounts
// are H-Store's fixed ones or uniform (smallbank_params.h). Every account exists from the start
// with the initial balances (no load phase), so results compare with runs that loaded them.
//
// next_tx touches no shared mutable state and draws only from the Rng it is given.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "workloads/smallbank/smallbank_params.h"
#include "workloads/workload.h"

namespace hlsim::smallbank {

class SmallbankWorkload final : public Workload {
 public:
  // REQUIRES: a config from smallbank_config().
  explicit SmallbankWorkload(const SmallbankConfig& config);

  // The Kind codes' names, in code order.
  const std::vector<std::string>& kind_names() const override;
  TxDraft next_tx(ClientId client, TimeNs now_ns, Rng& rng) override;
  std::unique_ptr<Contract> make_contract() const override;
  std::unique_ptr<WorkloadMetrics> make_metrics() const override;

  const SmallbankConfig& config() const { return config_; }

 private:
  std::uint64_t draw_account(bool hot, Rng& rng) const;
  std::int64_t draw_amount(Kind kind, Rng& rng) const;

  SmallbankConfig config_;
  double mix_total_ = 0;
};

// The factory the registry uses: checks the values (smallbank_config) and builds the workload.
Result<std::unique_ptr<Workload>> make_smallbank_workload(const ParamValues& values,
                                                          const WorkloadSetup& setup);

}  // namespace hlsim::smallbank
