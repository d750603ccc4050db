// The "synthea" workload: replays a Synthea CSV export into a ledger running the EHR-sharing and
// the claims contracts, at the trace's own timestamps (mapping and times: synthea_replay.h;
// contract: synthea_contract.h).
//
// Clients are the trace's organisations, client i = row i of organizations.csv, then its payers
// (synthea_replay.h); the scenario's workload.clients must equal their number (the factory says
// so otherwise: clients cannot be derived from the trace because the scenario fixes them before
// the workload is built).
//
// Arrivals are the workload's own (has_own_arrivals): next_arrival_ns(c, after) is the run time
// of client c's next undrafted trace event, or after + 1 ns when the simulator asks later than
// that (an event is delayed, never dropped); kTimeNever once all are drafted. It is a query: the
// event is consumed by next_tx(c, ...), which drafts client c's next trace event in order,
// whatever `now_ns` is. So the caller alternates: ask, draft at that instant, ask again with that
// instant (as the client pool does with its own arrival draws); asking twice without drafting
// gives the same event again. A simulator that drives
// arrivals itself (workload.arrivals) may ask for more drafts than the trace holds: those are
// `past_trace_end` access requests of the client's own first chart, counted under their own kind
// so that the per-kind table shows them (a payer's are invalid: a payer holds no charts).
//
// next_tx and next_arrival_ns touch only client c's cursor; no randomness is drawn (the trace
// fixes everything), so drafts are the same for every seed.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "workloads/trace/synthea_params.h"
#include "workloads/trace/synthea_reader.h"
#include "workloads/trace/synthea_replay.h"
#include "workloads/workload.h"

namespace hlsim::trace {

class SyntheaWorkload final : public Workload {
 public:
  // `skipped_rows`: the reader's per-file counts, reported as figures.
  SyntheaWorkload(Replay replay, std::uint32_t record_bytes,
                  std::map<std::string, std::uint64_t> skipped_rows);

  // {"encounter_record", "medication_record", "past_trace_end", "enroll", "claim_submit",
  // "claim_payment"}: the ReplayKind codes.
  const std::vector<std::string>& kind_names() const override;
  // REQUIRES: client < organisations + payers.
  TxDraft next_tx(ClientId client, TimeNs now_ns, Rng& rng) override;
  std::unique_ptr<Contract> make_contract() const override;
  std::unique_ptr<WorkloadMetrics> make_metrics() const override;
  bool has_own_arrivals() const override { return true; }
  TimeNs next_arrival_ns(ClientId client, TimeNs after_ns) override;

  const Replay& replay() const { return replay_; }
  std::size_t drafted(ClientId client) const { return cursor_.at(client); }

 private:
  Replay replay_;
  std::uint32_t record_bytes_;
  std::map<std::string, std::uint64_t> skipped_rows_;
  std::vector<std::size_t> cursor_;  // per client: trace events drafted so far
};

// The factory the registry uses: checks the values, reads the trace, checks workload.clients
// against its organisations and payers, builds the timetable. Reader errors come as "workload.dir:
// <file>: <line>: <FIELD>: ...".
Result<std::unique_ptr<Workload>> make_synthea_workload(const ParamValues& values,
                                                        const WorkloadSetup& setup);

}  // namespace hlsim::trace
