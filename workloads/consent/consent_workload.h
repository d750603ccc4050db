// The clinical-trial consent workload (MedRec-style): sponsors run trials at hospital sites,
// sites enrol participants under a versioned consent, protocol amendments force re-consent, and
// sponsors and the monitors they grant read participants' data only under a current consent.
//
// Organisations are the clients, by role (consent_plan.h): sponsors, then IRB / monitor
// organisations, then sites. What each drafts (payloads: consent_payloads.h):
//   sponsor  first trial_register for each of its trials (in trial order), then site_activate
//            for each planned site (plan order), then grant_viewer for every monitor on every
//            trial; afterwards each draft is an amend (amend_fraction), a grant_viewer /
//            revoke_viewer toggling a random (trial, monitor) pair (viewer_change_fraction), or a
//            data_access of one of its trials' participants.
//   monitor  data_access to participants of the trials it saw itself granted on.
//   site     a reconsent of a participant owed one (with probability reconsent_priority when
//            any is owed), else a withdraw of an enrolled participant (withdraw_fraction), else an
//            enrol of its next participant in one of the trials it saw activated, with the version
//            it last saw. It never reads participants' data.
// With probability violation_fraction a draft is instead a forbidden read with its own kind:
//   violation_access_after_withdrawal  sponsor / monitor reads a participant it saw withdraw;
//   violation_stale_consent_access     sponsor / monitor reads a participant it saw not yet
//                                      re-consented, citing the participant's old version;
//   violation_ungranted_viewer         a site (never granted) reads some trial's participant.
// Each is denied on its merits, whatever else is in flight: a withdrawal is permanent, a cited
// old version is never current again, and sites are never granted. A client with no candidate
// for a violation drafts its ordinary transaction.
//
// Knowledge comes from the ledger (reacts_to_ledger() is true). watchers(tx):
//   site_activate  the site;                     enrol, reconsent  the site, sponsor, monitors;
//   amend          sponsor, the trial's planned sites (a superset of its active sites, a pure
//                  function of the trial), monitors;
//   withdraw       sponsor, monitors;            grant_viewer, revoke_viewer  the viewer.
// Sites learn activations and amendments (an amendment queues re-consents of their enrolled
// participants of that trial); sponsors and monitors learn who is enrolled, current, stale or
// withdrawn. Deterministic conventions instead of observation: the trial plan (consent_plan.h),
// consent version 1 at registration, and a sponsor's own drafts (it is the only party that
// registers, activates, amends and grants on its trials, and its gateway keeps its order).
// Before a reader has observed a participant it may read (warm-up, or a simulator that does not
// deliver observations) it reads a participant drawn from the trial's sites, usually denied
// not_enrolled; a site that has seen no activation enrols into a planned trial at version 1,
// denied site_not_active until the sponsor's activation commits.
//
// next_tx(c, ...) and on_observed(c, ...) touch only client c's state and next_tx draws only from
// the Rng it is given, so calls for different clients may run concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "workloads/consent/consent_params.h"
#include "workloads/consent/consent_payloads.h"
#include "workloads/consent/consent_plan.h"
#include "workloads/consent/consent_views.h"
#include "workloads/workload.h"

namespace hlsim::consent {

class ConsentWorkload final : public Workload {
 public:
  // REQUIRES: a config from consent_config().
  explicit ConsentWorkload(const ConsentConfig& config);

  // The Kind codes' names, in code order (consent_payloads.h).
  const std::vector<std::string>& kind_names() const override;
  // REQUIRES: client < organisations.
  TxDraft next_tx(ClientId client, TimeNs now_ns, Rng& rng) override;
  std::unique_ptr<Contract> make_contract() const override;
  std::unique_ptr<WorkloadMetrics> make_metrics() const override;
  bool reacts_to_ledger() const override { return true; }
  // Sorted, without repeats; empty for a payload that does not decode.
  std::vector<ClientId> watchers(const Transaction& tx) const override;
  void on_observed(ClientId client, const Transaction& tx, TxOutcome outcome,
                   TimeNs now_ns) override;

  const ConsentConfig& config() const { return config_; }
  const std::vector<TrialPlan>& plan() const { return plan_; }
  // Inspection (tests). REQUIRES: the client has that role.
  const SiteView& site_view(ClientId site) const;
  const ReaderView& reader_view(ClientId sponsor_or_monitor) const;
  bool monitor_granted(ClientId monitor, std::uint32_t trial) const;

 private:
  struct SponsorState {
    std::vector<std::uint64_t> trials;  // own trials, ascending
    std::size_t registered = 0;         // trials[0..registered) have been registered
    std::size_t activate_trial = 0;     // next activation: plan_[trials[i]].sites[j]
    std::size_t activate_site = 0;
    std::size_t initial_grants = 0;      // (trial index * monitors + monitor) granted so far
    std::vector<std::uint32_t> drafted;  // per own trial: the last version it amended to
    std::vector<bool> granted;           // per (trial index * monitors + monitor), as drafted
    ReaderView view;
  };
  struct MonitorState {
    IndexedSet granted;  // trials it saw itself granted on
    ReaderView view;
  };

  TxDraft sponsor_tx(ClientId client, Rng& rng);
  TxDraft monitor_tx(ClientId client, Rng& rng);
  TxDraft site_tx(ClientId client, Rng& rng);
  // A forbidden read by a sponsor or monitor over `trials` (ones it may read), if it knows a
  // candidate.
  std::optional<TxDraft> violation_read(ClientId reader, const ReaderView& view,
                                        const std::vector<std::uint64_t>& trials, Rng& rng) const;
  // An honest read over `trials`: a participant seen current, else an uninformed guess.
  TxDraft honest_read(ClientId reader, const ReaderView& view,
                      const std::vector<std::uint64_t>& trials, Rng& rng) const;
  std::uint64_t guess_participant(std::uint32_t trial, Rng& rng) const;
  TxDraft read(Kind kind, ClientId reader, std::uint32_t trial, std::uint64_t participant,
               std::uint32_t version) const;
  Bytes doc(std::size_t fixed_bytes) const;

  ConsentConfig config_;
  std::vector<TrialPlan> plan_;
  std::vector<SponsorState> sponsors_;
  std::vector<MonitorState> monitors_;
  std::vector<SiteView> sites_;
  std::vector<std::uint64_t> all_trials_;  // 0..trials-1, for reads over any trial
};

// The factory the registry uses: checks the values (consent_config) and builds the workload.
Result<std::unique_ptr<Workload>> make_consent_workload(const ParamValues& values,
                                                        const WorkloadSetup& setup);

}  // namespace hlsim::consent
