// The credentials workload: licensing boards issue, renew and revoke clinicians' licences;
// hospitals verify a clinician's licence at the point of care.
//
// Boards are clients 0..boards-1, hospitals the rest. The register at the start of the run, the
// lapsing clinicians and the revocation schedule are conventions (credentials_register.h). Drafts
// (credentials_payloads.h):
//   revoke          (board) the next scheduled revocation of one of its licences that is due
//                   and not yet drafted, at the board's first draft after its due time.
//   recredential    (board, when nothing is to be revoked) the licence of its own whose renewal
//                   is due (expiry - renew_lead_days) earliest; the board remembers each licence's
//                   expiry from the register and its own renewals, and never renews lapsing
//                   clinicians or licences it revoked.
//   licence_issue   (board, when nothing else is due) a licence for a new clinician
//                   (ids from `clinicians` on, id % boards == board).
//   verify          (hospital) a register clinician by Zipf(zipf_s) popularity (rank = id),
//                   redrawn (up to 8 times) while its scheduled revocation is due, so honest
//                   checks target clinicians in good standing; the primary licence, or the second
//                   one with probability 1/2 when there is one. Lapsed licences are denied as
//                   expired.
//   verify_revoked  (hospital, verify_revoked_fraction of its drafts once a revocation is due) a
//                   check of the primary licence revoked by one of the verify_revoked_window most
//                   recent due revocations: the hospital cannot know whether the revoke has
//                   committed; after it has, the contract must deny it.
// Intervals in days scale with WorkloadSetup::day_ns. No ledger reactions: every party works from
// the conventions and its own drafts. next_tx(c, ...) touches only client c's state and draws only
// from the Rng it is given.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <queue>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/kernel/distributions.h"
#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "workloads/credentials/credentials_params.h"
#include "workloads/credentials/credentials_payloads.h"
#include "workloads/credentials/credentials_register.h"
#include "workloads/workload.h"

namespace hlsim::credentials {

class CredentialsWorkload final : public Workload {
 public:
  // REQUIRES: a config from credentials_config().
  explicit CredentialsWorkload(const CredentialsConfig& config);

  // The Kind codes, in order.
  const std::vector<std::string>& kind_names() const override;
  // REQUIRES: client < organisations.
  TxDraft next_tx(ClientId client, TimeNs now_ns, Rng& rng) override;
  std::unique_ptr<Contract> make_contract() const override;
  std::unique_ptr<WorkloadMetrics> make_metrics() const override;

  const CredentialsConfig& config() const { return config_; }
  const Register& licence_register() const { return register_; }
  // Licences board `client` will renew.
  std::size_t renewals_tracked(ClientId client) const;

 private:
  using Due = std::pair<TimeNs, std::uint64_t>;  // (renewal due time, clinician)
  struct ClientState {
    std::priority_queue<Due, std::vector<Due>, std::greater<>> renewals;  // board: earliest first
    std::uint64_t next_scheduled = 0;     // board: next revocation index to look at
    std::deque<std::uint64_t> to_revoke;  // board: due revocations not yet drafted
    std::set<std::uint64_t> revoked;      // board: clinicians it revoked
    std::uint64_t new_clinicians = 0;     // board: licences issued to new clinicians
  };

  TxDraft board_draft(ClientId board, TimeNs now_ns);
  TxDraft hospital_draft(ClientId hospital, TimeNs now_ns, Rng& rng) const;
  TxDraft licence_action(Kind kind, ClientId board, std::uint64_t clinician) const;
  TxDraft verification(Kind kind, ClientId hospital, std::uint32_t board,
                       std::uint64_t clinician) const;

  CredentialsConfig config_;
  Register register_;
  Zipf clinician_zipf_;
  std::vector<ClientState> clients_;
};

// The factory the registry uses: checks the values (credentials_config) and builds the workload.
Result<std::unique_ptr<Workload>> make_credentials_workload(const ParamValues& values,
                                                            const WorkloadSetup& setup);

}  // namespace hlsim::credentials
