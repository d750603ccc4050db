#include "workloads/consent/consent_contract.h"

#include <array>
#include <optional>
#include <stdexcept>
#include <string>

#include "workloads/consent/consent_payloads.h"
#include "workloads/consent/consent_state.h"

namespace hlsim::consent {
namespace {

constexpr std::array<const char*, kReasonCount> kReasonNames = {
    "ok",
    "not_registered",
    "already_registered",
    "already_active",
    "site_not_active",
    "already_enrolled",
    "stale_version",
    "not_enrolled",
    "withdrawn",
    "already_granted",
    "not_granted",
    "not_viewer",
    "stale_consent",
    "malformed",
    "unknown",
    "unauthorised",
};

// Counts what a transaction writes, for ApplyResult.
class CountingWriter {
 public:
  explicit CountingWriter(KvStore& state) : state_(state) {}

  void put(const std::string& key, const std::string& value) {
    state_.put(key, value);
    ++result_.writes;
    result_.written_bytes += key.size() + value.size();
  }

  Judged finish(TxOutcome outcome, Reason reason) {
    result_.outcome = outcome;
    return Judged{result_, reason};
  }

 private:
  KvStore& state_;
  ApplyResult result_;
};

Judged invalid(Reason reason) { return Judged{ApplyResult{TxOutcome::kInvalid, 0, 0}, reason}; }
Judged denied(Reason reason) { return Judged{ApplyResult{TxOutcome::kDenied, 0, 0}, reason}; }

// A stored value, or nullopt when there is none. A value that does not decode counts as none:
// only this contract writes these keys, so that can only be a damaged store, and every validator
// then sees the same thing.
template <class T, class Decode>
std::optional<T> load(const KvStore& state, const std::string& key, Decode decode) {
  const std::optional<std::string> raw = state.get(key);
  if (!raw) return std::nullopt;
  return decode(*raw);
}

std::optional<TrialState> load_trial(const KvStore& state, std::uint32_t trial) {
  return load<TrialState>(state, trial_key(trial), decode_trial_state);
}

std::optional<ParticipantState> load_participant(const KvStore& state, std::uint64_t p) {
  return load<ParticipantState>(state, participant_key(p), decode_participant_state);
}

bool viewer_granted(const KvStore& state, std::uint32_t trial, std::uint32_t org) {
  const std::optional<ViewerState> v =
      load<ViewerState>(state, viewer_key(trial, org), decode_viewer_state);
  return v && v->granted;
}

AccessDecision to_decision(Reason r) {
  switch (r) {
    case Reason::kOk:
      return AccessDecision::kGranted;
    case Reason::kNotRegistered:
      return AccessDecision::kNotRegistered;
    case Reason::kNotEnrolled:
      return AccessDecision::kNotEnrolled;
    case Reason::kWithdrawn:
      return AccessDecision::kWithdrawn;
    case Reason::kStaleConsent:
      return AccessDecision::kStaleConsent;
    default:
      return AccessDecision::kNotViewer;
  }
}

}  // namespace

const char* reason_name(Reason reason) {
  const auto i = static_cast<std::size_t>(reason);
  return i < kReasonNames.size() ? kReasonNames[i] : "?";
}

ConsentContract::ConsentContract(const Roles& roles, std::uint32_t trials)
    : roles_(roles), trials_(trials) {
  if (roles.sponsors == 0 || roles.first_site() >= roles.organisations ||
      roles.participants_per_site == 0 || trials == 0) {
    throw std::invalid_argument(
        "ConsentContract needs a sponsor, a site, a participant per site and a trial");
  }
}

ApplyResult ConsentContract::apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) {
  return apply_judged(state, tx, block_time_ns).result;
}

Judged ConsentContract::apply_judged(KvStore& state, const Transaction& tx,
                                     TimeNs block_time_ns) const {
  if (tx.client >= roles_.organisations) return invalid(Reason::kUnknown);
  CountingWriter out(state);
  const std::uint32_t signer = tx.client;

  if (is_access_kind(tx.kind)) {
    const std::optional<DataAccess> p = decode_data_access(tx.payload);
    if (!p) return invalid(Reason::kMalformed);
    if (p->reader != signer) return invalid(Reason::kUnauthorised);
    if (p->participant >= roles_.participants() || p->trial >= trials_) {
      return invalid(Reason::kUnknown);
    }
    const std::optional<TrialState> trial = load_trial(state, p->trial);
    Reason reason = Reason::kOk;
    if (!trial) {
      reason = Reason::kNotRegistered;
    } else if (signer != trial->sponsor && !viewer_granted(state, p->trial, signer)) {
      reason = Reason::kNotViewer;
    } else if (const std::optional<ParticipantState> part = load_participant(state, p->participant);
               !part || part->trial != p->trial) {
      reason = Reason::kNotEnrolled;
    } else if (part->withdrawn) {
      reason = Reason::kWithdrawn;
    } else if (part->consent_version != trial->version || p->consent_version != trial->version) {
      reason = Reason::kStaleConsent;
    }
    const std::string next_key = audit_next_key(p->participant);
    std::uint64_t seq = 0;
    if (const std::optional<std::string> raw = state.get(next_key)) {
      seq = decode_seq(*raw).value_or(0);
    }
    const AuditEntry entry{signer, p->trial, p->consent_version, block_time_ns, to_decision(reason),
                           tx.id};
    out.put(audit_key(p->participant, seq), encode_value(entry));
    out.put(next_key, encode_seq(seq + 1));
    return out.finish(reason == Reason::kOk ? TxOutcome::kApplied : TxOutcome::kDenied, reason);
  }

  switch (static_cast<Kind>(tx.kind)) {
    case Kind::kTrialRegister: {
      const std::optional<TrialRegister> p = decode_trial_register(tx.payload);
      if (!p) return invalid(Reason::kMalformed);
      if (p->trial >= trials_) return invalid(Reason::kUnknown);
      if (p->sponsor != signer || !roles_.is_sponsor(signer)) {
        return invalid(Reason::kUnauthorised);
      }
      if (state.get(trial_key(p->trial))) return denied(Reason::kAlreadyRegistered);
      out.put(trial_key(p->trial), encode_value(TrialState{signer, 1, block_time_ns, 0}));
      return out.finish(TxOutcome::kApplied, Reason::kOk);
    }

    case Kind::kSiteActivate: {
      const std::optional<SiteActivate> p = decode_site_activate(tx.payload);
      if (!p) return invalid(Reason::kMalformed);
      if (p->trial >= trials_ || !roles_.is_site(p->site)) return invalid(Reason::kUnknown);
      const std::optional<TrialState> trial = load_trial(state, p->trial);
      if (!trial) return denied(Reason::kNotRegistered);
      if (trial->sponsor != signer) return invalid(Reason::kUnauthorised);
      const std::string key = site_key(p->trial, p->site);
      if (state.get(key)) return denied(Reason::kAlreadyActive);
      out.put(key, encode_value(SiteState{block_time_ns}));
      return out.finish(TxOutcome::kApplied, Reason::kOk);
    }

    case Kind::kEnrol: {
      const std::optional<Enrol> p = decode_enrol(tx.payload);
      if (!p) return invalid(Reason::kMalformed);
      if (p->trial >= trials_ || p->participant >= roles_.participants()) {
        return invalid(Reason::kUnknown);
      }
      if (p->site != signer || roles_.home_site(p->participant) != signer) {
        return invalid(Reason::kUnauthorised);
      }
      const std::optional<TrialState> trial = load_trial(state, p->trial);
      if (!trial) return denied(Reason::kNotRegistered);
      if (!state.get(site_key(p->trial, signer))) return denied(Reason::kSiteNotActive);
      const std::string key = participant_key(p->participant);
      if (state.get(key)) return denied(Reason::kAlreadyEnrolled);
      if (p->consent_version != trial->version) return denied(Reason::kStaleVersion);
      const ParticipantState v{p->trial, signer,        p->consent_version,
                               false,    block_time_ns, block_time_ns};
      out.put(key, encode_value(v));
      return out.finish(TxOutcome::kApplied, Reason::kOk);
    }

    case Kind::kAmend: {
      const std::optional<Amend> p = decode_amend(tx.payload);
      if (!p) return invalid(Reason::kMalformed);
      if (p->trial >= trials_) return invalid(Reason::kUnknown);
      std::optional<TrialState> trial = load_trial(state, p->trial);
      if (!trial) return denied(Reason::kNotRegistered);
      if (trial->sponsor != signer) return invalid(Reason::kUnauthorised);
      if (static_cast<std::uint64_t>(p->new_version) != std::uint64_t{trial->version} + 1) {
        return denied(Reason::kStaleVersion);
      }
      trial->version = p->new_version;
      trial->amended_ns = block_time_ns;
      out.put(trial_key(p->trial), encode_value(*trial));
      return out.finish(TxOutcome::kApplied, Reason::kOk);
    }

    case Kind::kReconsent:
    case Kind::kWithdraw: {
      const bool reconsent = tx.kind == static_cast<std::uint16_t>(Kind::kReconsent);
      std::uint32_t trial_id = 0;
      std::uint64_t participant = 0;
      std::uint32_t version = 0;
      if (reconsent) {
        const std::optional<Reconsent> p = decode_reconsent(tx.payload);
        if (!p) return invalid(Reason::kMalformed);
        trial_id = p->trial;
        participant = p->participant;
        version = p->consent_version;
      } else {
        const std::optional<Withdraw> p = decode_withdraw(tx.payload);
        if (!p) return invalid(Reason::kMalformed);
        trial_id = p->trial;
        participant = p->participant;
      }
      if (trial_id >= trials_ || participant >= roles_.participants()) {
        return invalid(Reason::kUnknown);
      }
      if (roles_.home_site(participant) != signer) return invalid(Reason::kUnauthorised);
      const std::optional<TrialState> trial = load_trial(state, trial_id);
      if (!trial) return denied(Reason::kNotRegistered);
      std::optional<ParticipantState> part = load_participant(state, participant);
      if (!part || part->trial != trial_id) return denied(Reason::kNotEnrolled);
      if (part->withdrawn) return denied(Reason::kWithdrawn);
      if (reconsent) {
        if (version != trial->version) return denied(Reason::kStaleVersion);
        part->consent_version = version;
      } else {
        part->withdrawn = true;
      }
      part->updated_ns = block_time_ns;
      out.put(participant_key(participant), encode_value(*part));
      return out.finish(TxOutcome::kApplied, Reason::kOk);
    }

    case Kind::kGrantViewer:
    case Kind::kRevokeViewer: {
      const bool grant = tx.kind == static_cast<std::uint16_t>(Kind::kGrantViewer);
      const std::optional<ViewerChange> p = decode_viewer_change(tx.payload);
      if (!p) return invalid(Reason::kMalformed);
      if (p->trial >= trials_ || p->viewer >= roles_.organisations) {
        return invalid(Reason::kUnknown);
      }
      const std::optional<TrialState> trial = load_trial(state, p->trial);
      if (!trial) return denied(Reason::kNotRegistered);
      if (trial->sponsor != signer) return invalid(Reason::kUnauthorised);
      if (p->viewer == signer) return invalid(Reason::kUnknown);  // the sponsor always reads
      const bool granted = viewer_granted(state, p->trial, p->viewer);
      if (grant && granted) return denied(Reason::kAlreadyGranted);
      if (!grant && !granted) return denied(Reason::kNotGranted);
      out.put(viewer_key(p->trial, p->viewer), encode_value(ViewerState{grant, block_time_ns}));
      return out.finish(TxOutcome::kApplied, Reason::kOk);
    }

    default:
      return invalid(Reason::kMalformed);
  }
}

}  // namespace hlsim::consent
