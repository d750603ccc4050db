#include "workloads/trace/synthea_workload.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "workloads/ehr/ehr_payloads.h"
#include "workloads/trace/synthea_contract.h"

namespace hlsim::trace {
namespace {

// Committed replay transactions by kind and outcome, and the reader's and the timetable's fixed
// figures.
class SyntheaMetrics final : public WorkloadMetrics {
 public:
  SyntheaMetrics(const Replay& replay, const std::map<std::string, std::uint64_t>& skipped) {
    std::uint64_t total_skipped = 0;
    for (const auto& [file, n] : skipped) total_skipped += n;
    const auto count = [](std::uint64_t n) { return static_cast<double>(n); };
    fixed_ = {
        {"trace_encounters", count(replay.encounters), "tx",
         "encounters in the timetable (encounters.csv rows)"},
        {"trace_medications", count(replay.medications), "tx",
         "medications in the timetable (medications.csv rows)"},
        {"trace_payers", count(replay.payers), "",
         "payers: distinct primary insurances of claims.csv, one client each"},
        {"trace_enrolments", count(replay.enrolments), "tx",
         "(patient, payer) memberships the payers enrol before the trace"},
        {"trace_claims", count(replay.claims), "tx",
         "claims in the timetable (claims.csv rows with a payer and CHARGE lines)"},
        {"trace_claim_lines", count(replay.claim_lines), "",
         "their lines (claims_transactions.csv CHARGE rows)"},
        {"trace_payments", count(replay.payments), "tx",
         "payer payments in the timetable (a claim's first PAYMENT row from its payer)"},
        {"trace_claims_not_replayed", count(replay.claims_self_pay + replay.claims_without_charges),
         "", "claims.csv rows without a payer (self-pay) or without CHARGE lines"},
        {"trace_rows_skipped", count(total_skipped), "",
         "rows dropped by skip_malformed over all files"},
        {"trace_replay_span_s", ns_to_s(replay.last_at_ns), "s",
         "run time of the last trace event"},
    };
  }

  void on_commit(const Transaction& tx, TxOutcome outcome, TimeNs /*commit_ns*/) override {
    if (tx.kind >= kReplayKindCount) return;
    const auto kind = static_cast<ReplayKind>(tx.kind);
    const bool applied = outcome == TxOutcome::kApplied;
    switch (kind) {
      case ReplayKind::kPastTraceEnd:
        ++past_end_;
        break;
      case ReplayKind::kEncounterRecord:
      case ReplayKind::kMedicationRecord:
        ++(applied ? records_applied_ : records_rejected_);
        break;
      case ReplayKind::kEnroll:
        ++(applied ? enrol_applied_ : enrol_rejected_);
        break;
      case ReplayKind::kClaimSubmit:
        ++(applied ? claims_approved_ : claims_denied_);
        break;
      case ReplayKind::kClaimPayment:
        ++(applied ? payments_applied_ : payments_rejected_);
        break;
    }
  }

  std::vector<WorkloadFigure> figures() const override {
    const auto count = [](std::uint64_t n) { return static_cast<double>(n); };
    std::vector<WorkloadFigure> out = fixed_;
    out.insert(
        out.end(),
        {
            {"records_applied", count(records_applied_), "tx",
             "committed encounter and medication records the EHR contract applied"},
            {"records_rejected", count(records_rejected_), "tx",
             "committed encounter and medication records denied or invalid (expected 0)"},
            {"enrolments_rejected", count(enrol_rejected_), "tx",
             "committed enrolments the claims contract did not apply (expected 0)"},
            {"claims_approved", count(claims_approved_), "tx",
             "committed claims the claims contract approved (in full or in part)"},
            {"claims_denied", count(claims_denied_), "tx",
             "committed claims denied: a duplicate of an earlier claim (same patient, provider, "
             "day and lines), or submitted before its enrolment committed (raise settle_s)"},
            {"payments_applied", count(payments_applied_), "tx",
             "committed payer payments that paid their claim"},
            {"payments_rejected", count(payments_rejected_), "tx",
             "committed payments denied: their claim was denied, or had not committed yet "
             "(raise settle_s)"},
            {"past_trace_end_committed", count(past_end_), "tx",
             "drafts asked for after a client's trace ended (0 when the simulator uses the "
             "trace's own arrivals)"},
        });
    return out;
  }

 private:
  std::vector<WorkloadFigure> fixed_;
  std::uint64_t records_applied_ = 0;
  std::uint64_t records_rejected_ = 0;
  std::uint64_t enrol_applied_ = 0;
  std::uint64_t enrol_rejected_ = 0;
  std::uint64_t claims_approved_ = 0;
  std::uint64_t claims_denied_ = 0;
  std::uint64_t payments_applied_ = 0;
  std::uint64_t payments_rejected_ = 0;
  std::uint64_t past_end_ = 0;
};

}  // namespace

SyntheaWorkload::SyntheaWorkload(Replay replay, std::uint32_t record_bytes,
                                 std::map<std::string, std::uint64_t> skipped_rows)
    : replay_(std::move(replay)),
      record_bytes_(record_bytes),
      skipped_rows_(std::move(skipped_rows)),
      cursor_(replay_.clients(), 0) {}

const std::vector<std::string>& SyntheaWorkload::kind_names() const {
  static const std::vector<std::string> names = {"encounter_record", "medication_record",
                                                 "past_trace_end",   "enroll",
                                                 "claim_submit",     "claim_payment"};
  return names;
}

TxDraft SyntheaWorkload::next_tx(ClientId client, TimeNs /*now_ns*/, Rng& /*rng*/) {
  if (client >= replay_.clients()) {
    throw std::out_of_range("SyntheaWorkload::next_tx: client " + std::to_string(client) +
                            " is not an organisation or payer of the trace");
  }
  const std::vector<ReplayEvent>& events = replay_.by_client[client];
  std::size_t& cursor = cursor_[client];
  if (cursor < events.size()) {
    const ReplayEvent& e = events[cursor++];
    return TxDraft{static_cast<std::uint16_t>(e.kind), e.payload, nullptr};
  }
  ehr::AccessRequest p;
  p.patient = chart_number(0, client, replay_.organisations);
  p.requester = client;
  p.purpose = ehr::Purpose::kTreatment;
  const std::size_t fixed = ehr::kAccessRequestFixedBytes;
  p.justification = Bytes(record_bytes_ > fixed ? record_bytes_ - fixed : 0);
  return TxDraft{static_cast<std::uint16_t>(ReplayKind::kPastTraceEnd), ehr::encode(p), nullptr};
}

TimeNs SyntheaWorkload::next_arrival_ns(ClientId client, TimeNs after_ns) {
  if (client >= replay_.clients()) return kTimeNever;
  const std::vector<ReplayEvent>& events = replay_.by_client[client];
  const std::size_t cursor = cursor_[client];
  if (cursor >= events.size()) return kTimeNever;
  if (after_ns == kTimeNever) return kTimeNever;
  return std::max(events[cursor].at_ns, after_ns + 1);
}

std::unique_ptr<Contract> SyntheaWorkload::make_contract() const {
  std::optional<claims::ClaimsRules> claims_rules;
  if (replay_.payers > 0) claims_rules = replay_.claims_rules();
  return std::make_unique<SyntheaContract>(
      replay_.organisations, std::max<std::uint64_t>(replay_.charts, 1), claims_rules);
}

std::unique_ptr<WorkloadMetrics> SyntheaWorkload::make_metrics() const {
  return std::make_unique<SyntheaMetrics>(replay_, skipped_rows_);
}

Result<std::unique_ptr<Workload>> make_synthea_workload(const ParamValues& values,
                                                        const WorkloadSetup& setup) {
  Result<SyntheaConfig> config = synthea_config(values);
  if (!config) return config.error();
  Result<SyntheaTrace> trace =
      read_synthea_dir(config->dir, ReadOptions{.skip_malformed = config->skip_malformed});
  if (!trace) {
    const bool relative = !config->dir.empty() && config->dir.front() != '/';
    return Error{"workload.dir: " + trace.error().message +
                 (relative && trace.error().message.ends_with("not a folder")
                      ? " (a relative dir is taken from the working directory)"
                      : "")};
  }
  const std::size_t orgs = trace->organizations.size();
  if (orgs == 0 || trace->encounters.empty()) {
    return Error{"workload.dir: " + config->dir + ": the trace has no " +
                 (orgs == 0 ? "organisations" : "encounters to replay")};
  }
  Result<Replay> replay =
      build_replay(*trace, ReplayOptions{.time_compression = config->time_compression,
                                         .record_bytes = config->record_bytes,
                                         .settle_ns = config->settle_ns});
  if (!replay) return Error{"workload.time_compression: " + replay.error().message};
  if (setup.clients != replay->clients()) {
    return Error{
        "workload.clients: the Synthea trace in '" + config->dir + "' has " + std::to_string(orgs) +
        " organisations (organizations.csv) and " + std::to_string(replay->payers) +
        " payers (claims.csv primary insurances), one client each; set workload.clients: " +
        std::to_string(replay->clients()) + " (got " + std::to_string(setup.clients) + ")"};
  }
  return std::unique_ptr<Workload>(std::make_unique<SyntheaWorkload>(
      std::move(*replay), config->record_bytes, std::move(trace->skipped_rows)));
}

}  // namespace hlsim::trace
