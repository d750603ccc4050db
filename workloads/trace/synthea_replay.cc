#include "workloads/trace/synthea_replay.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>

#include "ledger/crypto/sha256.h"

namespace hlsim::trace {
namespace {

// The EHR record type of an encounter class; classes outside the EHR's five are kOther.
ehr::RecordType record_type_of(const std::string& encounter_class) {
  if (encounter_class == "ambulatory") return ehr::RecordType::kAmbulatory;
  if (encounter_class == "wellness") return ehr::RecordType::kWellness;
  if (encounter_class == "outpatient") return ehr::RecordType::kOutpatient;
  if (encounter_class == "emergency") return ehr::RecordType::kEmergency;
  if (encounter_class == "inpatient") return ehr::RecordType::kInpatient;
  return ehr::RecordType::kOther;  // urgentcare, home, hospice, snf, virtual, ...
}

// `code` followed by zeros so that the whole encoding reaches `record_bytes` (no padding when
// the fixed fields, the URI and the code already exceed it).
Bytes meta_for(const std::string& code, std::size_t uri_bytes, std::uint32_t record_bytes) {
  Bytes meta(code.begin(), code.end());
  const std::size_t base = ehr::kRecordWriteFixedBytes + uri_bytes + meta.size();
  if (record_bytes > base) meta.resize(meta.size() + (record_bytes - base), 0);
  return meta;
}

struct Pending {
  std::size_t client = 0;
  TimeNs trace_ns = 0;
  ReplayKind kind = ReplayKind::kEncounterRecord;
  std::size_t source = 0;  // row position, for a stable order
  ehr::RecordWrite write;
};

}  // namespace

std::uint64_t chart_number(std::size_t patient_index, std::size_t organisation_index,
                           std::uint32_t organisations) {
  return static_cast<std::uint64_t>(patient_index) * organisations + organisation_index;
}

Result<Replay> build_replay(const SyntheaTrace& trace, double time_compression,
                            std::uint32_t record_bytes) {
  Replay r;
  r.organisations = static_cast<std::uint32_t>(trace.organizations.size());
  if (r.organisations == 0) return Error{"the trace has no organisations"};
  if (trace.encounters.empty()) return Error{"the trace has no encounters to replay"};
  r.charts = static_cast<std::uint64_t>(trace.patients.size()) * r.organisations;
  const std::uint32_t orgs = r.organisations;

  std::vector<Pending> pending;
  pending.reserve(trace.encounters.size() + trace.medications.size());
  for (std::size_t i = 0; i < trace.encounters.size(); ++i) {
    const Encounter& e = trace.encounters[i];
    const Organization& org = trace.organizations[e.organization_index];
    Pending p{e.organization_index, e.start_ns, ReplayKind::kEncounterRecord, i, {}};
    p.write.patient = chart_number(e.patient_index, e.organization_index, orgs);
    p.write.uri = "synthea://" + org.id + "/Encounter/" + e.id;
    p.write.content_hash =
        sha256(as_bytes("encounter|" + e.id + "|" + e.patient + "|" + e.organization + "|" +
                        std::to_string(e.start_ns) + "|" + e.encounter_class + "|" + e.code));
    p.write.record_type = record_type_of(e.encounter_class);
    p.write.meta = meta_for(e.code, p.write.uri.size(), record_bytes);
    pending.push_back(std::move(p));
  }
  std::vector<std::uint32_t> per_encounter(trace.encounters.size(), 0);
  for (std::size_t i = 0; i < trace.medications.size(); ++i) {
    const Medication& m = trace.medications[i];
    const Encounter& e = trace.encounters[m.encounter_index];
    const Organization& org = trace.organizations[e.organization_index];
    const std::uint32_t ordinal = per_encounter[m.encounter_index]++;
    Pending p{e.organization_index, m.start_ns, ReplayKind::kMedicationRecord, i, {}};
    p.write.patient = chart_number(m.patient_index, e.organization_index, orgs);
    p.write.uri =
        "synthea://" + org.id + "/MedicationRequest/" + e.id + "-" + std::to_string(ordinal);
    p.write.content_hash =
        sha256(as_bytes("medication|" + e.id + "|" + std::to_string(ordinal) + "|" + m.patient +
                        "|" + std::to_string(m.start_ns) + "|" + m.code));
    p.write.record_type = ehr::RecordType::kOther;  // a prescription has no encounter class
    p.write.meta = meta_for(m.code, p.write.uri.size(), record_bytes);
    pending.push_back(std::move(p));
  }
  std::sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
    return std::tie(a.client, a.trace_ns, a.kind, a.source) <
           std::tie(b.client, b.trace_ns, b.kind, b.source);
  });

  r.trace_start_ns =
      std::min_element(pending.begin(), pending.end(), [](const auto& a, const auto& b) {
        return a.trace_ns < b.trace_ns;
      })->trace_ns;
  r.by_client.resize(orgs);
  std::vector<std::uint64_t> next_record_id(orgs, 0);
  for (Pending& p : pending) {
    // t - t0 is in [0, 2^64): exact in unsigned arithmetic, where int64 could overflow.
    const std::uint64_t since_start_ns =
        static_cast<std::uint64_t>(p.trace_ns) - static_cast<std::uint64_t>(r.trace_start_ns);
    const double at = static_cast<double>(since_start_ns) / time_compression;
    if (!(at < 9.0e18)) {
      return Error{"the trace spans " + std::to_string(static_cast<double>(since_start_ns) / 1e9) +
                   " s, too long for a run at time_compression " +
                   std::to_string(time_compression)};
    }
    std::vector<ReplayEvent>& events = r.by_client[p.client];
    TimeNs at_ns = std::llround(at);
    if (!events.empty() && at_ns <= events.back().at_ns) at_ns = events.back().at_ns + 1;
    p.write.record_id = next_record_id[p.client]++;
    events.push_back(ReplayEvent{at_ns, p.trace_ns, p.kind, std::move(p.write)});
    r.last_at_ns = std::max(r.last_at_ns, at_ns);
    (p.kind == ReplayKind::kEncounterRecord ? r.encounters : r.medications) += 1;
  }
  return r;
}

}  // namespace hlsim::trace
