#include "workloads/trace/epcis_workload.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "workloads/supply/supply_contract.h"
#include "workloads/supply/supply_metrics.h"
#include "workloads/supply/supply_payloads.h"
#include "workloads/trace/epcis_json.h"
#include "workloads/trace/epcis_xml.h"

namespace hlsim::trace {
namespace {

// The replay's fixed figures, committed transactions by outcome, and supply's own figures of what
// the ledger did (units, custody time, shipments in transit; its counterfeit and verify figures
// are left out: a replay injects no counterfeits and verifies only past the trace's end).
class EpcisMetrics final : public WorkloadMetrics {
 public:
  EpcisMetrics(const EpcisReplay& replay, std::uint64_t reader_skipped) {
    fixed_ = {
        {"trace_events", static_cast<double>(replay.events), "",
         "events in the document (after the reader)"},
        {"trace_events_replayed", static_cast<double>(replay.events_replayed), "",
         "events that gave at least one supply transaction"},
        {"trace_events_unsupported", static_cast<double>(replay.events_unsupported), "",
         "events skipped: no supply operation (transformation, association, other bizSteps, "
         "quantity-only, internal moves)"},
        {"trace_events_folded", static_cast<double>(replay.events_folded), "",
         "commissioning events of containers only (the aggregate creates them)"},
        {"trace_events_malformed", static_cast<double>(replay.events_malformed + reader_skipped),
         "", "events dropped by skip_malformed (reader and mapping)"},
        {"trace_transactions", static_cast<double>(replay.transactions), "tx",
         "supply transactions in the timetable"},
        {"trace_replay_span_s", ns_to_s(replay.last_at_ns), "s",
         "run time of the last transaction"},
    };
  }

  void on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) override {
    if (tx.kind == static_cast<std::uint16_t>(EpcisKind::kPastTraceEnd)) {
      ++past_end_;
      return;
    }
    ++(outcome == TxOutcome::kApplied ? applied_ : rejected_);
    supply_.on_commit(tx, outcome, commit_ns);
  }

  std::vector<WorkloadFigure> figures() const override {
    std::vector<WorkloadFigure> out = fixed_;
    out.push_back({"events_applied", static_cast<double>(applied_), "tx",
                   "committed replay transactions the supply contract applied"});
    out.push_back({"events_rejected", static_cast<double>(rejected_), "tx",
                   "committed replay transactions denied or invalid (0 for a consistent "
                   "document)"});
    out.push_back({"past_trace_end_committed", static_cast<double>(past_end_), "tx",
                   "drafts asked for after a client's trace ended (0 when the simulator uses the "
                   "trace's own arrivals)"});
    for (WorkloadFigure& f : supply_.figures()) {
      if (f.name.starts_with("counterfeit_") || f.name == "verify_denied") continue;
      out.push_back(std::move(f));
    }
    return out;
  }

 private:
  std::vector<WorkloadFigure> fixed_;
  supply::SupplyMetrics supply_;
  std::uint64_t applied_ = 0;
  std::uint64_t rejected_ = 0;
  std::uint64_t past_end_ = 0;
};

}  // namespace

EpcisWorkload::EpcisWorkload(EpcisReplay replay, std::uint64_t reader_skipped,
                             std::uint32_t event_bytes)
    : replay_(std::move(replay)),
      reader_skipped_(reader_skipped),
      event_bytes_(event_bytes),
      cursor_(replay_.organisations.size(), 0) {}

const std::vector<std::string>& EpcisWorkload::kind_names() const {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (std::uint16_t k = 0; k < kEpcisKindCount; ++k) n.emplace_back(epcis_kind_name(k));
    return n;
  }();
  return names;
}

TxDraft EpcisWorkload::next_tx(ClientId client, TimeNs /*now_ns*/, Rng& /*rng*/) {
  if (client >= replay_.organisations.size()) {
    throw std::out_of_range("EpcisWorkload::next_tx: client " + std::to_string(client) +
                            " is not an organisation of the document");
  }
  const std::vector<EpcisReplayEvent>& events = replay_.by_client[client];
  std::size_t& cursor = cursor_[client];
  if (cursor < events.size()) {
    const EpcisReplayEvent& e = events[cursor++];
    return TxDraft{static_cast<std::uint16_t>(e.kind), e.payload, nullptr};
  }
  supply::Verify v{client, replay_.epcs.front().second, 0, {}};
  const std::size_t base = supply::encode(v).size();
  if (event_bytes_ > base) v.fill.assign(event_bytes_ - base, 0);
  return TxDraft{static_cast<std::uint16_t>(EpcisKind::kPastTraceEnd), supply::encode(v), nullptr};
}

TimeNs EpcisWorkload::next_arrival_ns(ClientId client, TimeNs after_ns) {
  if (client >= replay_.organisations.size()) return kTimeNever;
  const std::vector<EpcisReplayEvent>& events = replay_.by_client[client];
  const std::size_t cursor = cursor_[client];
  if (cursor >= events.size() || after_ns == kTimeNever) return kTimeNever;
  return std::max(events[cursor].at_ns, after_ns + 1);
}

std::unique_ptr<Contract> EpcisWorkload::make_contract() const {
  return std::make_unique<supply::SupplyContract>(replay_.roles);
}

std::unique_ptr<WorkloadMetrics> EpcisWorkload::make_metrics() const {
  return std::make_unique<EpcisMetrics>(replay_, reader_skipped_);
}

Result<std::unique_ptr<Workload>> make_epcis_workload(const ParamValues& values,
                                                      const WorkloadSetup& setup) {
  Result<EpcisConfig> config = epcis_config(values);
  if (!config) return config.error();
  const EpcisReadOptions read{.skip_malformed = config->skip_malformed};
  Result<EpcisDocument> doc = config->file.ends_with(".xml")
                                  ? read_epcis_xml_file(config->file, read)
                                  : read_epcis_json_file(config->file, read);
  if (!doc) {
    const bool relative = config->file.front() != '/';
    return Error{"workload.file: " + doc.error().message +
                 (relative && doc.error().message.ends_with("cannot open")
                      ? " (a relative file is taken from the working directory)"
                      : "")};
  }
  Result<EpcisReplay> replay =
      build_epcis_replay(*doc, config->file,
                         EpcisReplayOptions{config->time_compression, config->skip_malformed,
                                            config->event_bytes, config->epc_bytes});
  if (!replay) return Error{"workload.file: " + replay.error().message};
  const std::size_t orgs = replay->organisations.size();
  if (setup.clients != orgs) {
    std::string list;
    for (const EpcisOrganisation& o : replay->organisations) {
      if (!list.empty()) list += ", ";
      list += o.id + (o.role == supply::Role::kManufacturer
                          ? " (manufacturer)"
                          : (o.role == supply::Role::kPharmacy ? " (pharmacy)" : " (wholesaler)"));
    }
    return Error{"workload.clients: the EPCIS document '" + config->file + "' names " +
                 std::to_string(orgs) + " organisations (" + list +
                 "), one client each; set workload.clients: " + std::to_string(orgs) + " (got " +
                 std::to_string(setup.clients) + ")"};
  }
  const std::uint64_t reader_skipped = doc->skipped_events;
  return std::unique_ptr<Workload>(
      std::make_unique<EpcisWorkload>(std::move(*replay), reader_skipped, config->event_bytes));
}

}  // namespace hlsim::trace
