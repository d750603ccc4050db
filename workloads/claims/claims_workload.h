// The claims workload: providers submit claims that the contract adjudicates at submit, payers
// pay approved claims they learn of through the ledger.
//
// Organisations are the clients: payers are clients 0..payers-1, providers the rest. Patients
// are Zipf(zipf_s)-popular over the population; patient p is a member of payer p % payers with
// plan (p / payers) % 3 (claims_contract.h). Drafts (claims_payloads.h):
//   claim_submit  (provider) a claim for a patient on today's service day (now / day_ns) to the
//                 patient's payer: 1 + geometric lines (mean lines_per_claim_mean, at most
//                 lines_per_claim_max); the first line an office E/M level (weights 3/12/40/38/7%
//                 for 99211..99215, a design assumption) with documented minutes that support
//                 it, the others procedures the plan covers (with uncovered_line_fraction, one it
//                 does not), each billed at units x fee maximum. A provider remembers the
//                 fingerprints of its claims of the current day and redraws (patient and lines)
//                 a claim that would repeat one, so an honest claim is never a duplicate.
//   fraud_duplicate_claim (provider, half of fraud_fraction) resubmits one of its earlier claims
//                 under a new claim number. It picks only among claims whose commit it has
//                 observed, so the original is always ordered first.
//   fraud_upcoded_claim (provider, the other half, and all of it before any claim was observed)
//                 a fresh claim with one line upcoded: the E/M level raised one or two levels
//                 above what its documented minutes support (billed at the higher fee), or a
//                 line billed at 1.5-3x its fee maximum.
//   payment       (payer) pays up to remit_max_claims of the approved claims it has observed,
//                 oldest first.
//   enroll        (payer, when it has nothing to pay) re-enrols a uniformly chosen member into
//                 its convention plan and limit.
//
// Ledger reactions: a claim's watchers() are its payer and its provider. on_observed queues an
// approved claim (kApplied) at its payer for payment, and remembers a committed claim at its
// provider as a candidate for duplication. next_tx(c, ...) and on_observed(c, ...) touch only
// client c's state and draw only from the Rng they are given.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sim/kernel/distributions.h"
#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "workloads/claims/claims_params.h"
#include "workloads/claims/claims_payloads.h"
#include "workloads/workload.h"

namespace hlsim::claims {

class ClaimsWorkload final : public Workload {
 public:
  // REQUIRES: a config from claims_config().
  explicit ClaimsWorkload(const ClaimsConfig& config);

  // The Kind codes, in order.
  const std::vector<std::string>& kind_names() const override;
  // REQUIRES: client < organisations.
  TxDraft next_tx(ClientId client, TimeNs now_ns, Rng& rng) override;
  std::unique_ptr<Contract> make_contract() const override;
  std::unique_ptr<WorkloadMetrics> make_metrics() const override;

  bool reacts_to_ledger() const override { return true; }
  // A claim (any claim kind that decodes): {payer, provider}. Otherwise none.
  std::vector<ClientId> watchers(const Transaction& tx) const override;
  void on_observed(ClientId client, const Transaction& tx, TxOutcome outcome,
                   TimeNs now_ns) override;

  const ClaimsConfig& config() const { return config_; }
  // Approved claims payer `client` has observed and not yet put in a payment.
  std::size_t claims_to_pay(ClientId client) const;
  // Committed claims provider `client` remembers as duplication candidates.
  std::size_t remembered_claims(ClientId client) const;

 private:
  struct ClientState {
    std::uint64_t next_claim_seq = 0;
    std::uint32_t fingerprint_day = 0;
    std::set<Hash256> fingerprints;  // this provider's claims of fingerprint_day
    std::vector<Claim> observed;     // ring of committed own claims, without attachments
    std::size_t observed_next = 0;   // ring position to overwrite when full
    std::deque<ClaimRef> to_pay;     // payer: observed approved claims, oldest first
  };

  TxDraft honest_claim(ClientId client, TimeNs now_ns, Rng& rng);
  TxDraft upcoded_claim(ClientId client, TimeNs now_ns, Rng& rng);
  TxDraft duplicate_claim(ClientId client, Rng& rng);
  TxDraft payment(ClientId client);
  TxDraft enroll(ClientId client, Rng& rng) const;

  // A new claim of `client` for today with freshly drawn lines, upcoded when asked, whose
  // fingerprint differs from every claim the provider made today (then remembered).
  Claim draft_claim(ClientId client, TimeNs now_ns, bool upcode, Rng& rng);
  std::vector<ClaimLine> draw_lines(Plan plan, Rng& rng) const;
  void upcode(std::vector<ClaimLine>& lines, Rng& rng) const;
  TxDraft finish_claim(Kind kind, Claim claim) const;

  ClaimsConfig config_;
  ClaimsRules rules_;
  Zipf patient_zipf_;
  double extra_lines_mean_exp_ = 0;  // exponential mean whose floor has mean lines_mean - 1
  // Per plan: indices into code_table() of the non-E/M codes it covers / does not cover.
  std::vector<std::vector<std::size_t>> covered_procedures_;
  std::vector<std::vector<std::size_t>> uncovered_procedures_;
  std::vector<ClientState> clients_;
};

// The factory the registry uses: checks the values (claims_config) and builds the workload.
Result<std::unique_ptr<Workload>> make_claims_workload(const ParamValues& values,
                                                       const WorkloadSetup& setup);

}  // namespace hlsim::claims
