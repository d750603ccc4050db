#include "workloads/consent/consent_workload.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "workloads/consent/consent_contract.h"
#include "workloads/consent/consent_metrics.h"

namespace hlsim::consent {
namespace {

template <class T>
TxDraft draft(Kind kind, const T& payload) {
  return TxDraft{static_cast<std::uint16_t>(kind), encode(payload), nullptr};
}

// A trial among `trials` whose view satisfies `has`, scanning cyclically from a random start (one
// Rng draw), so that every qualifying trial can be found; false when none qualifies.
template <class Has>
bool find_trial(const std::vector<std::uint64_t>& trials, Rng& rng, Has has, std::uint32_t& out) {
  if (trials.empty()) return false;
  const std::size_t start = static_cast<std::size_t>(rng.next_below(trials.size()));
  for (std::size_t i = 0; i < trials.size(); ++i) {
    const auto t = static_cast<std::uint32_t>(trials[(start + i) % trials.size()]);
    if (has(t)) {
      out = t;
      return true;
    }
  }
  return false;
}

// Applies an observed, applied enrol / reconsent / withdraw / amend to a reader's view.
void update_reader(ReaderView& view, const Transaction& tx) {
  switch (static_cast<Kind>(tx.kind)) {
    case Kind::kEnrol:
      if (const auto p = decode_enrol(tx.payload)) {
        view.observe_enrol(p->trial, p->participant, p->consent_version);
      }
      break;
    case Kind::kReconsent:
      if (const auto p = decode_reconsent(tx.payload)) {
        view.observe_reconsent(p->trial, p->participant, p->consent_version);
      }
      break;
    case Kind::kWithdraw:
      if (const auto p = decode_withdraw(tx.payload))
        view.observe_withdraw(p->trial, p->participant);
      break;
    case Kind::kAmend:
      if (const auto p = decode_amend(tx.payload)) view.observe_amend(p->trial, p->new_version);
      break;
    default:
      break;
  }
}

}  // namespace

ConsentWorkload::ConsentWorkload(const ConsentConfig& config)
    : config_(config),
      plan_(plan_trials(config.roles, config.trials, config.single_site_fraction,
                        config.max_sites_per_trial, config.seed)) {
  const Roles& r = config_.roles;
  sponsors_.resize(r.sponsors);
  monitors_.resize(r.monitors);
  std::vector<std::vector<std::uint32_t>> planned(r.sites());
  for (std::uint32_t t = 0; t < config_.trials; ++t) {
    sponsors_[plan_[t].sponsor].trials.push_back(t);
    for (std::uint32_t s : plan_[t].sites) planned[s - r.first_site()].push_back(t);
    all_trials_.push_back(t);
  }
  for (SponsorState& s : sponsors_) {
    s.drafted.assign(s.trials.size(), 1);
    s.granted.assign(s.trials.size() * r.monitors, false);
  }
  sites_.reserve(r.sites());
  for (const auto& trials : planned) sites_.emplace_back(trials);
}

const std::vector<std::string>& ConsentWorkload::kind_names() const {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (std::uint16_t k = 0; k < kKindCount; ++k) n.emplace_back(kind_name(k));
    return n;
  }();
  return names;
}

std::unique_ptr<Contract> ConsentWorkload::make_contract() const {
  return std::make_unique<ConsentContract>(config_.roles, config_.trials);
}

std::unique_ptr<WorkloadMetrics> ConsentWorkload::make_metrics() const {
  return std::make_unique<ConsentMetrics>(config_.roles, config_.trials);
}

Bytes ConsentWorkload::doc(std::size_t fixed_bytes) const {
  return Bytes(config_.payload_bytes > fixed_bytes ? config_.payload_bytes - fixed_bytes : 0);
}

TxDraft ConsentWorkload::next_tx(ClientId client, TimeNs /*now_ns*/, Rng& rng) {
  const Roles& r = config_.roles;
  if (r.is_sponsor(client)) return sponsor_tx(client, rng);
  if (r.is_monitor(client)) return monitor_tx(client, rng);
  if (r.is_site(client)) return site_tx(client, rng);
  throw std::out_of_range("ConsentWorkload::next_tx: client " + std::to_string(client) +
                          " is not an organisation");
}

TxDraft ConsentWorkload::sponsor_tx(ClientId client, Rng& rng) {
  SponsorState& s = sponsors_[client];
  const std::uint32_t monitors = config_.roles.monitors;
  // Set-up, in a fixed order: registrations, activations, then every monitor granted.
  if (s.registered < s.trials.size()) {
    const auto trial = static_cast<std::uint32_t>(s.trials[s.registered++]);
    return draft(Kind::kTrialRegister, TrialRegister{trial, client, doc(kTrialRegisterFixedBytes)});
  }
  while (s.activate_trial < s.trials.size()) {
    const auto trial = static_cast<std::uint32_t>(s.trials[s.activate_trial]);
    const std::vector<std::uint32_t>& sites = plan_[trial].sites;
    if (s.activate_site < sites.size()) {
      return draft(Kind::kSiteActivate,
                   SiteActivate{trial, sites[s.activate_site++], doc(kSiteActivateFixedBytes)});
    }
    ++s.activate_trial;
    s.activate_site = 0;
  }
  if (s.initial_grants < s.granted.size()) {
    const std::size_t i = s.initial_grants++;
    s.granted[i] = true;
    return draft(
        Kind::kGrantViewer,
        ViewerChange{static_cast<std::uint32_t>(s.trials[i / monitors]),
                     config_.roles.first_monitor() + static_cast<std::uint32_t>(i % monitors),
                     doc(kViewerChangeFixedBytes)});
  }

  if (rng.bernoulli(config_.violation_fraction)) {
    if (std::optional<TxDraft> d = violation_read(client, s.view, s.trials, rng)) return *d;
  }
  const double u = rng.next_double();
  if (u < config_.amend_fraction) {
    const auto i = static_cast<std::size_t>(rng.next_below(s.trials.size()));
    return draft(Kind::kAmend, Amend{static_cast<std::uint32_t>(s.trials[i]), ++s.drafted[i],
                                     doc(kAmendFixedBytes)});
  }
  if (u < config_.amend_fraction + config_.viewer_change_fraction && monitors > 0) {
    const auto i = static_cast<std::size_t>(rng.next_below(s.granted.size()));
    s.granted[i] = !s.granted[i];
    return draft(
        s.granted[i] ? Kind::kGrantViewer : Kind::kRevokeViewer,
        ViewerChange{static_cast<std::uint32_t>(s.trials[i / monitors]),
                     config_.roles.first_monitor() + static_cast<std::uint32_t>(i % monitors),
                     doc(kViewerChangeFixedBytes)});
  }
  return honest_read(client, s.view, s.trials, rng);
}

TxDraft ConsentWorkload::monitor_tx(ClientId client, Rng& rng) {
  MonitorState& m = monitors_[client - config_.roles.first_monitor()];
  if (rng.bernoulli(config_.violation_fraction)) {
    if (std::optional<TxDraft> d = violation_read(client, m.view, m.granted.items(), rng)) {
      return *d;
    }
  }
  return honest_read(client, m.view, m.granted.empty() ? all_trials_ : m.granted.items(), rng);
}

TxDraft ConsentWorkload::site_tx(ClientId client, Rng& rng) {
  const Roles& r = config_.roles;
  SiteView& v = sites_[client - r.first_site()];
  if (rng.bernoulli(config_.violation_fraction)) {
    // Sites are never granted read access: any read of theirs is a violation.
    const auto trial = static_cast<std::uint32_t>(rng.next_below(config_.trials));
    return read(Kind::kViolationUngrantedViewer, client, trial, guess_participant(trial, rng), 1);
  }
  std::uint64_t p = 0;
  if (v.queued() > 0 && rng.bernoulli(config_.reconsent_priority) && v.pop_reconsent(p)) {
    const SiteView::Trial& t = v.trials()[v.member(p).trial_index];
    return draft(Kind::kReconsent, Reconsent{t.id, p, t.version, doc(kReconsentFixedBytes)});
  }
  if (!v.members().empty() && rng.bernoulli(config_.withdraw_fraction)) {
    p = v.members().pick(rng);
    const std::uint32_t trial = v.trials()[v.member(p).trial_index].id;
    v.forget(p);
    return draft(Kind::kWithdraw, Withdraw{trial, p, doc(kWithdrawFixedBytes)});
  }
  if (v.next_local < r.participants_per_site) {
    // An observed active trial; with none observed yet, a planned one (denied until active).
    const std::size_t i = v.active().empty()
                              ? static_cast<std::size_t>(rng.next_below(v.trials().size()))
                              : v.active()[rng.next_below(v.active().size())];
    const SiteView::Trial& t = v.trials()[i];
    p = r.participant(client, v.next_local++);
    return draft(Kind::kEnrol, Enrol{t.id, p, client, t.version, doc(kEnrolFixedBytes)});
  }
  // Everyone has been enrolled: re-affirm a member's consent, or (nobody left) repeat the first
  // enrolment, which the contract denies.
  if (!v.members().empty()) {
    p = v.members().pick(rng);
    const SiteView::Trial& t = v.trials()[v.member(p).trial_index];
    return draft(Kind::kReconsent, Reconsent{t.id, p, t.version, doc(kReconsentFixedBytes)});
  }
  const SiteView::Trial& t = v.trials().front();
  return draft(Kind::kEnrol,
               Enrol{t.id, r.participant(client, 0), client, t.version, doc(kEnrolFixedBytes)});
}

std::optional<TxDraft> ConsentWorkload::violation_read(ClientId reader, const ReaderView& view,
                                                       const std::vector<std::uint64_t>& trials,
                                                       Rng& rng) const {
  const bool withdrawn_first = rng.bernoulli(0.5);
  std::uint32_t trial = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if ((attempt == 0) == withdrawn_first) {
      if (find_trial(
              trials, rng, [&](std::uint32_t t) { return !view.trial(t).withdrawn.empty(); },
              trial)) {
        const ReaderView::Trial& t = view.trial(trial);
        const std::uint64_t p = t.withdrawn[rng.next_below(t.withdrawn.size())];
        return read(Kind::kViolationAccessAfterWithdrawal, reader, trial, p, t.version);
      }
    } else if (find_trial(
                   trials, rng, [&](std::uint32_t t) { return !view.trial(t).stale.empty(); },
                   trial)) {
      const ReaderView::Trial& t = view.trial(trial);
      const std::uint64_t p = t.stale.pick(rng);
      // Cites the version the participant signed, which is older than the current one for good.
      return read(Kind::kViolationStaleConsentAccess, reader, trial, p, t.signed_version.at(p));
    }
  }
  return std::nullopt;
}

TxDraft ConsentWorkload::honest_read(ClientId reader, const ReaderView& view,
                                     const std::vector<std::uint64_t>& trials, Rng& rng) const {
  std::uint32_t trial = 0;
  if (find_trial(
          trials, rng, [&](std::uint32_t t) { return !view.trial(t).current.empty(); }, trial)) {
    const ReaderView::Trial& t = view.trial(trial);
    return read(Kind::kDataAccess, reader, trial, t.current.pick(rng), t.version);
  }
  // Nobody seen current: an uninformed read of some participant of one of the trials' sites.
  const std::vector<std::uint64_t>& any = trials.empty() ? all_trials_ : trials;
  trial = static_cast<std::uint32_t>(any[rng.next_below(any.size())]);
  return read(Kind::kDataAccess, reader, trial, guess_participant(trial, rng),
              view.trial(trial).version);
}

std::uint64_t ConsentWorkload::guess_participant(std::uint32_t trial, Rng& rng) const {
  const std::vector<std::uint32_t>& sites = plan_[trial].sites;
  const std::uint32_t site = sites[rng.next_below(sites.size())];
  return config_.roles.participant(site, rng.next_below(config_.roles.participants_per_site));
}

TxDraft ConsentWorkload::read(Kind kind, ClientId reader, std::uint32_t trial,
                              std::uint64_t participant, std::uint32_t version) const {
  return draft(kind, DataAccess{trial, participant, reader, version, doc(kDataAccessFixedBytes)});
}

std::vector<ClientId> ConsentWorkload::watchers(const Transaction& tx) const {
  const Roles& r = config_.roles;
  std::vector<ClientId> out;
  const auto add_readers = [&](std::uint32_t trial) {
    out.push_back(plan_[trial].sponsor);
    for (std::uint32_t m = 0; m < r.monitors; ++m) out.push_back(r.first_monitor() + m);
  };
  switch (static_cast<Kind>(tx.kind)) {
    case Kind::kSiteActivate:
      if (const auto p = decode_site_activate(tx.payload); p && r.is_site(p->site)) {
        out.push_back(p->site);
      }
      break;
    case Kind::kEnrol:
      if (const auto p = decode_enrol(tx.payload); p && p->trial < config_.trials) {
        if (r.is_site(p->site)) out.push_back(p->site);
        add_readers(p->trial);
      }
      break;
    case Kind::kAmend:
      if (const auto p = decode_amend(tx.payload); p && p->trial < config_.trials) {
        add_readers(p->trial);
        for (std::uint32_t s : plan_[p->trial].sites) out.push_back(s);
      }
      break;
    case Kind::kReconsent:
      if (const auto p = decode_reconsent(tx.payload);
          p && p->trial < config_.trials && p->participant < r.participants()) {
        out.push_back(r.home_site(p->participant));
        add_readers(p->trial);
      }
      break;
    case Kind::kWithdraw:
      if (const auto p = decode_withdraw(tx.payload); p && p->trial < config_.trials) {
        add_readers(p->trial);
      }
      break;
    case Kind::kGrantViewer:
    case Kind::kRevokeViewer:
      if (const auto p = decode_viewer_change(tx.payload); p && p->viewer < r.organisations) {
        out.push_back(p->viewer);
      }
      break;
    default:
      break;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void ConsentWorkload::on_observed(ClientId client, const Transaction& tx, TxOutcome outcome,
                                  TimeNs /*now_ns*/) {
  const Roles& r = config_.roles;
  const bool applied = outcome == TxOutcome::kApplied;
  if (r.is_sponsor(client)) {
    SponsorState& s = sponsors_[client];
    if (applied) update_reader(s.view, tx);
    if (outcome == TxOutcome::kDenied && tx.kind == static_cast<std::uint16_t>(Kind::kAmend)) {
      // One of its amendments lost a race (an earlier one was reordered after it): count on from
      // the version the ledger holds, or every later amendment of the trial would be denied too.
      if (const auto p = decode_amend(tx.payload)) {
        const auto it = std::lower_bound(s.trials.begin(), s.trials.end(), p->trial);
        if (it != s.trials.end() && *it == p->trial) {
          s.drafted[static_cast<std::size_t>(it - s.trials.begin())] =
              s.view.trial(p->trial).version;
        }
      }
    }
    return;
  }
  if (r.is_monitor(client)) {
    MonitorState& m = monitors_[client - r.first_monitor()];
    if (!applied) return;
    const bool grant = tx.kind == static_cast<std::uint16_t>(Kind::kGrantViewer);
    if (grant || tx.kind == static_cast<std::uint16_t>(Kind::kRevokeViewer)) {
      if (const auto p = decode_viewer_change(tx.payload); p && p->viewer == client) {
        if (grant) {
          m.granted.insert(p->trial);
        } else {
          m.granted.erase(p->trial);
        }
      }
      return;
    }
    update_reader(m.view, tx);
    return;
  }
  if (!r.is_site(client)) return;
  SiteView& v = sites_[client - r.first_site()];
  switch (static_cast<Kind>(tx.kind)) {
    case Kind::kSiteActivate:
      if (const auto p = decode_site_activate(tx.payload); applied && p && p->site == client) {
        v.observe_activation(p->trial);
      }
      break;
    case Kind::kAmend:
      if (const auto p = decode_amend(tx.payload); applied && p) {
        v.observe_amend(p->trial, p->new_version);
      }
      break;
    case Kind::kEnrol:
      if (const auto p = decode_enrol(tx.payload); applied && p && p->site == client) {
        v.observe_enrolled(p->trial, p->participant, p->consent_version);
      }
      break;
    case Kind::kReconsent:
      if (outcome == TxOutcome::kInvalid) break;
      if (const auto p = decode_reconsent(tx.payload);
          p && p->participant < r.participants() && r.home_site(p->participant) == client) {
        v.observe_reconsent(p->participant, p->consent_version, applied);
      }
      break;
    default:
      break;
  }
}

const SiteView& ConsentWorkload::site_view(ClientId site) const {
  return sites_.at(site - config_.roles.first_site());
}

const ReaderView& ConsentWorkload::reader_view(ClientId client) const {
  if (config_.roles.is_sponsor(client)) return sponsors_.at(client).view;
  return monitors_.at(client - config_.roles.first_monitor()).view;
}

bool ConsentWorkload::monitor_granted(ClientId monitor, std::uint32_t trial) const {
  return monitors_.at(monitor - config_.roles.first_monitor()).granted.contains(trial);
}

Result<std::unique_ptr<Workload>> make_consent_workload(const ParamValues& values,
                                                        const WorkloadSetup& setup) {
  Result<ConsentConfig> config = consent_config(values, setup);
  if (!config) return config.error();
  return std::unique_ptr<Workload>(std::make_unique<ConsentWorkload>(*config));
}

}  // namespace hlsim::consent
