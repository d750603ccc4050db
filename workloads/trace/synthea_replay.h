// The timetable of a Synthea replay: which organisation submits which EHR transaction when.
//
// Mapping (a pure function of the trace and the options):
//   organisation i of organizations.csv (file order)  -> client i
//   encounters.csv row      -> encounter_record by the encounter's ORGANIZATION at START: an EHR
//                              record_write of the patient's chart at that organisation
//   medications.csv row     -> medication_record by its encounter's organisation at START: an EHR
//                              record_write too, for now (the supply workload will take these)
//   claims, claim lines, providers are read but not replayed here (the claims workload will)
// The EHR contract lets only a patient's home organisation write pointers for them, while a
// Synthea patient visits several organisations. So each (patient, organisation) pair is a chart
// (a medical record number at that organisation) and the ledger's patient number is
//   chart = patient_index * organisations + organisation_index,
// whose EHR home (chart % organisations) is the writing organisation.
//
// Times: the earliest replayed event is at run time 0; an event at trace time t is at
// (t - t0) / time_compression. One client never submits twice at one instant: an event that
// would land on or before its predecessor of the same client moves to 1 ns after it.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/kernel/result.h"
#include "sim/kernel/time.h"
#include "workloads/ehr/ehr_payloads.h"
#include "workloads/trace/synthea_records.h"

namespace hlsim::trace {

// Kind codes: the index into SyntheaWorkload::kind_names().
enum class ReplayKind : std::uint16_t {
  kEncounterRecord = 0,
  kMedicationRecord = 1,
  kPastTraceEnd = 2,  // a draft asked for after the client's last trace event (see the workload)
};
inline constexpr std::uint16_t kReplayKindCount = 3;

struct ReplayEvent {
  TimeNs at_ns = 0;     // run time
  TimeNs trace_ns = 0;  // the trace's own timestamp
  ReplayKind kind = ReplayKind::kEncounterRecord;
  ehr::RecordWrite write;
};

struct Replay {
  std::uint32_t organisations = 0;
  std::uint64_t charts = 0;   // patients * organisations: the EHR contract's patient numbers
  TimeNs trace_start_ns = 0;  // trace time of run time 0
  TimeNs last_at_ns = 0;      // run time of the last event
  std::uint64_t encounters = 0;
  std::uint64_t medications = 0;
  std::vector<std::vector<ReplayEvent>> by_client;  // per client, strictly increasing at_ns
};

std::uint64_t chart_number(std::size_t patient_index, std::size_t organisation_index,
                           std::uint32_t organisations);

// REQUIRES: a trace from read_synthea_* (references resolved). Errors: no organisation or no
// encounter, or a run longer than int64 ns at this compression.
Result<Replay> build_replay(const SyntheaTrace& trace, double time_compression,
                            std::uint32_t record_bytes);

}  // namespace hlsim::trace
