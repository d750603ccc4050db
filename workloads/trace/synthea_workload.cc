#include "workloads/trace/synthea_workload.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "workloads/ehr/ehr_payloads.h"
#include "workloads/trace/synthea_contract.h"

namespace hlsim::trace {
namespace {

// Committed replay records by outcome, and the reader's and the timetable's fixed figures.
class SyntheaMetrics final : public WorkloadMetrics {
 public:
  SyntheaMetrics(const Replay& replay, const std::map<std::string, std::uint64_t>& skipped) {
    std::uint64_t total_skipped = 0;
    for (const auto& [file, n] : skipped) total_skipped += n;
    fixed_ = {
        {"trace_encounters", static_cast<double>(replay.encounters), "tx",
         "encounters in the timetable (encounters.csv rows)"},
        {"trace_medications", static_cast<double>(replay.medications), "tx",
         "medications in the timetable (medications.csv rows)"},
        {"trace_rows_skipped", static_cast<double>(total_skipped), "",
         "rows dropped by skip_malformed over all files"},
        {"trace_replay_span_s", ns_to_s(replay.last_at_ns), "s",
         "run time of the last trace event"},
    };
  }

  void on_commit(const Transaction& tx, TxOutcome outcome, TimeNs /*commit_ns*/) override {
    if (tx.kind == static_cast<std::uint16_t>(ReplayKind::kPastTraceEnd)) {
      ++past_end_;
    } else if (outcome == TxOutcome::kApplied) {
      ++applied_;
    } else {
      ++rejected_;
    }
  }

  std::vector<WorkloadFigure> figures() const override {
    std::vector<WorkloadFigure> out = fixed_;
    out.push_back({"records_applied", static_cast<double>(applied_), "tx",
                   "committed encounter and medication records the EHR contract applied"});
    out.push_back({"records_rejected", static_cast<double>(rejected_), "tx",
                   "committed encounter and medication records denied or invalid (expected 0)"});
    out.push_back({"past_trace_end_committed", static_cast<double>(past_end_), "tx",
                   "drafts asked for after a client's trace ended (0 when the simulator uses "
                   "the trace's own arrivals)"});
    return out;
  }

 private:
  std::vector<WorkloadFigure> fixed_;
  std::uint64_t applied_ = 0;
  std::uint64_t rejected_ = 0;
  std::uint64_t past_end_ = 0;
};

}  // namespace

SyntheaWorkload::SyntheaWorkload(Replay replay, std::uint32_t record_bytes,
                                 std::map<std::string, std::uint64_t> skipped_rows)
    : replay_(std::move(replay)),
      record_bytes_(record_bytes),
      skipped_rows_(std::move(skipped_rows)),
      cursor_(replay_.organisations, 0) {}

const std::vector<std::string>& SyntheaWorkload::kind_names() const {
  static const std::vector<std::string> names = {"encounter_record", "medication_record",
                                                 "past_trace_end"};
  return names;
}

TxDraft SyntheaWorkload::next_tx(ClientId client, TimeNs /*now_ns*/, Rng& /*rng*/) {
  if (client >= replay_.organisations) {
    throw std::out_of_range("SyntheaWorkload::next_tx: client " + std::to_string(client) +
                            " is not an organisation of the trace");
  }
  const std::vector<ReplayEvent>& events = replay_.by_client[client];
  std::size_t& cursor = cursor_[client];
  if (cursor < events.size()) {
    const ReplayEvent& e = events[cursor++];
    return TxDraft{static_cast<std::uint16_t>(e.kind), ehr::encode(e.write), nullptr};
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
  if (client >= replay_.organisations) return kTimeNever;
  const std::vector<ReplayEvent>& events = replay_.by_client[client];
  const std::size_t cursor = cursor_[client];
  if (cursor >= events.size()) return kTimeNever;
  if (after_ns == kTimeNever) return kTimeNever;
  return std::max(events[cursor].at_ns, after_ns + 1);
}

std::unique_ptr<Contract> SyntheaWorkload::make_contract() const {
  return std::make_unique<SyntheaContract>(replay_.organisations,
                                           std::max<std::uint64_t>(replay_.charts, 1));
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
  if (setup.clients != orgs) {
    return Error{"workload.clients: the Synthea trace in '" + config->dir + "' has " +
                 std::to_string(orgs) +
                 " organisations (organizations.csv), one client each; set workload.clients: " +
                 std::to_string(orgs) + " (got " + std::to_string(setup.clients) + ")"};
  }
  Result<Replay> replay = build_replay(*trace, config->time_compression, config->record_bytes);
  if (!replay) return Error{"workload.time_compression: " + replay.error().message};
  return std::unique_ptr<Workload>(std::make_unique<SyntheaWorkload>(
      std::move(*replay), config->record_bytes, std::move(trace->skipped_rows)));
}

}  // namespace hlsim::trace
