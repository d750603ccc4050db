// The "epcis" workload: replays a GS1 EPCIS document as drug supply chain transactions, at the
// document's own event times, judged by the supply contract (workloads/supply/supply_contract.h).
// Mapping, organisations, EPC ids and times: epcis_replay.h.
//
// Clients are the document's organisations in supply's layout (manufacturers, wholesalers,
// pharmacies); the scenario's workload.clients must equal their number (the factory says so
// otherwise, with the count).
//
// Arrivals are the workload's own (has_own_arrivals), as the synthea workload's:
// next_arrival_ns(c, after) is the run time of client c's next undrafted transaction, or after + 1
// ns when asked later than that (delayed, never dropped); kTimeNever once all are drafted.
// next_tx(c, ...) drafts client c's next transaction in order, whatever `now_ns` is. A simulator
// that drives arrivals itself may ask for more: those are `past_trace_end` verifications of the
// document's first EPC, counted under their own kind.
//
// next_tx and next_arrival_ns touch only client c's cursor; no randomness is drawn, so drafts are
// the same for every seed. The workload does not react to the ledger: the document fixes every
// event, and an event the ledger orders before what it depends on is denied (the run's per-kind
// table shows it).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "workloads/trace/epcis_params.h"
#include "workloads/trace/epcis_replay.h"
#include "workloads/workload.h"

namespace hlsim::trace {

class EpcisWorkload final : public Workload {
 public:
  // `reader_skipped`: events the reader dropped under skip_malformed.
  EpcisWorkload(EpcisReplay replay, std::uint64_t reader_skipped, std::uint32_t event_bytes);

  // The EpcisKind codes: supply's seven event kinds, then "past_trace_end".
  const std::vector<std::string>& kind_names() const override;
  // REQUIRES: client < organisations.
  TxDraft next_tx(ClientId client, TimeNs now_ns, Rng& rng) override;
  std::unique_ptr<Contract> make_contract() const override;
  std::unique_ptr<WorkloadMetrics> make_metrics() const override;
  bool has_own_arrivals() const override { return true; }
  TimeNs next_arrival_ns(ClientId client, TimeNs after_ns) override;

  const EpcisReplay& replay() const { return replay_; }
  std::size_t drafted(ClientId client) const { return cursor_.at(client); }

 private:
  EpcisReplay replay_;
  std::uint64_t reader_skipped_;
  std::uint32_t event_bytes_;
  std::vector<std::size_t> cursor_;  // per client: transactions drafted so far
};

// The factory the registry uses: checks the values, reads the document (by its extension), checks
// workload.clients against its organisations, builds the timetable. Errors name the key:
// "workload.file: <file>:<line>: ...", "workload.clients: ...".
Result<std::unique_ptr<Workload>> make_epcis_workload(const ParamValues& values,
                                                      const WorkloadSetup& setup);

}  // namespace hlsim::trace
