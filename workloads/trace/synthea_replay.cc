#include "workloads/trace/synthea_replay.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "ledger/crypto/sha256.h"
#include "workloads/claims/claims_payloads.h"
#include "workloads/ehr/ehr_payloads.h"

namespace hlsim::trace {
namespace {

constexpr TimeNs kNsPerDay = 86'400 * kNsPerSec;

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

using Body = std::variant<ehr::RecordWrite, claims::Enroll, claims::Claim, claims::Payment>;

struct Pending {
  std::size_t client = 0;
  TimeNs trace_ns = 0;
  TimeNs want_ns = 0;  // run time before the one-client-one-instant rule
  ReplayKind kind = ReplayKind::kEncounterRecord;
  std::size_t source = 0;  // row position, for a stable order
  Body body;
};

// Maps trace times to run times; an error when the run would not fit in int64 ns.
class Clock {
 public:
  Clock(TimeNs t0_ns, TimeNs start_ns, double compression)
      : t0_ns_(t0_ns), start_ns_(start_ns), compression_(compression) {}

  Result<TimeNs> at(TimeNs trace_ns, TimeNs not_before_ns = 0) const {
    // t - t0 is in [0, 2^64): exact in unsigned arithmetic, where int64 could overflow.
    const std::uint64_t since_ns =
        static_cast<std::uint64_t>(trace_ns) - static_cast<std::uint64_t>(t0_ns_);
    const double at = static_cast<double>(start_ns_) + static_cast<double>(since_ns) / compression_;
    if (!(at < 9.0e18)) {
      return Error{"the trace spans " + std::to_string(static_cast<double>(since_ns) / 1e9) +
                   " s, too long for a run at time_compression " + std::to_string(compression_)};
    }
    return std::max(static_cast<TimeNs>(std::llround(at)), not_before_ns);
  }

 private:
  TimeNs t0_ns_;
  TimeNs start_ns_;
  double compression_;
};

Bytes encode_body(const Body& body) {
  return std::visit(
      [](const auto& b) -> Bytes {
        if constexpr (std::is_same_v<std::decay_t<decltype(b)>, ehr::RecordWrite>) {
          return ehr::encode(b);
        } else {
          return claims::encode(b);
        }
      },
      body);
}

}  // namespace

claims::ClaimsRules Replay::claims_rules() const {
  return {.organisations = clients(),
          .payers = payers,
          .first_payer = organisations,
          .patients = std::max<std::uint64_t>(patients, 1),
          .annual_limit_cents = claims::kLineAmountMaxCents,
          .membership = claims::Membership::kEnrolled,
          .codes = claims::Codes::kOpaque};
}

std::uint64_t chart_number(std::size_t patient_index, std::size_t organisation_index,
                           std::uint32_t organisations) {
  return static_cast<std::uint64_t>(patient_index) * organisations + organisation_index;
}

std::uint32_t claim_code(std::string_view procedure_code) {
  const bool digits = !procedure_code.empty() && procedure_code.size() <= 10 &&
                      std::all_of(procedure_code.begin(), procedure_code.end(),
                                  [](char ch) { return ch >= '0' && ch <= '9'; });
  if (digits) {
    std::uint64_t v = 0;
    for (char ch : procedure_code) v = v * 10 + static_cast<std::uint64_t>(ch - '0');
    if (v <= 0xffff'ffffULL) return static_cast<std::uint32_t>(v);
  }
  const Hash256 h = sha256(as_bytes(procedure_code));
  return (static_cast<std::uint32_t>(h.bytes[0]) << 24) |
         (static_cast<std::uint32_t>(h.bytes[1]) << 16) |
         (static_cast<std::uint32_t>(h.bytes[2]) << 8) | static_cast<std::uint32_t>(h.bytes[3]);
}

bool is_patient_payment_method(std::string_view method) {
  return method == "COPAY" || method == "CASH" || method == "CC";
}

std::vector<std::string> trace_payers(const SyntheaTrace& trace) {
  std::vector<std::string> out;
  std::map<std::string, std::size_t, std::less<>> seen;
  for (const Claim& c : trace.claims) {
    const std::string& id = c.primary_insurance;
    if (id.empty() || id == "0") continue;
    if (seen.emplace(id, out.size()).second) out.push_back(id);
  }
  return out;
}

Result<Replay> build_replay(const SyntheaTrace& trace, const ReplayOptions& options) {
  Replay r;
  r.organisations = static_cast<std::uint32_t>(trace.organizations.size());
  if (r.organisations == 0) return Error{"the trace has no organisations"};
  if (trace.encounters.empty()) return Error{"the trace has no encounters to replay"};
  const std::uint32_t orgs = r.organisations;
  r.payer_ids = trace_payers(trace);
  r.payers = static_cast<std::uint32_t>(r.payer_ids.size());
  r.patients = trace.patients.size();
  r.charts = static_cast<std::uint64_t>(trace.patients.size()) * orgs;
  std::map<std::string, std::uint32_t, std::less<>> payer_client;
  for (std::uint32_t k = 0; k < r.payers; ++k) payer_client.emplace(r.payer_ids[k], orgs + k);

  std::vector<Pending> pending;
  pending.reserve(trace.encounters.size() + trace.medications.size() + 3 * trace.claims.size());
  for (std::size_t i = 0; i < trace.encounters.size(); ++i) {
    const Encounter& e = trace.encounters[i];
    const Organization& org = trace.organizations[e.organization_index];
    ehr::RecordWrite w;
    w.patient = chart_number(e.patient_index, e.organization_index, orgs);
    w.uri = "synthea://" + org.id + "/Encounter/" + e.id;
    w.content_hash =
        sha256(as_bytes("encounter|" + e.id + "|" + e.patient + "|" + e.organization + "|" +
                        std::to_string(e.start_ns) + "|" + e.encounter_class + "|" + e.code));
    w.record_type = record_type_of(e.encounter_class);
    w.meta = meta_for(e.code, w.uri.size(), options.record_bytes);
    pending.push_back({e.organization_index, e.start_ns, 0, ReplayKind::kEncounterRecord, i, w});
    ++r.encounters;
  }
  std::vector<std::uint32_t> per_encounter(trace.encounters.size(), 0);
  for (std::size_t i = 0; i < trace.medications.size(); ++i) {
    const Medication& m = trace.medications[i];
    const Encounter& e = trace.encounters[m.encounter_index];
    const Organization& org = trace.organizations[e.organization_index];
    const std::uint32_t ordinal = per_encounter[m.encounter_index]++;
    ehr::RecordWrite w;
    w.patient = chart_number(m.patient_index, e.organization_index, orgs);
    w.uri = "synthea://" + org.id + "/MedicationRequest/" + e.id + "-" + std::to_string(ordinal);
    w.content_hash = sha256(as_bytes("medication|" + e.id + "|" + std::to_string(ordinal) + "|" +
                                     m.patient + "|" + std::to_string(m.start_ns) + "|" + m.code));
    w.record_type = ehr::RecordType::kOther;  // a prescription has no encounter class
    w.meta = meta_for(m.code, w.uri.size(), options.record_bytes);
    pending.push_back({e.organization_index, m.start_ns, 0, ReplayKind::kMedicationRecord, i, w});
    ++r.medications;
  }

  // Claims, with their enrolments and payments. A payment's want_ns is fixed below, once its
  // claim's run time is known: `paying[j]` is the claim's position in `pending`.
  std::vector<std::pair<std::size_t, std::size_t>> paying;   // (payment, claim) in `pending`
  std::set<std::pair<std::size_t, std::uint32_t>> enrolled;  // (patient, payer client)
  std::vector<std::uint64_t> next_claim_seq(orgs, 0);
  for (std::size_t i = 0; i < trace.claims.size(); ++i) {
    const Claim& c = trace.claims[i];
    const auto payer = payer_client.find(c.primary_insurance);
    if (payer == payer_client.end()) {
      ++r.claims_self_pay;
      continue;
    }
    claims::Claim claim;
    claim.provider = static_cast<std::uint32_t>(c.organization_index);
    claim.patient = c.patient_index;
    claim.payer = payer->second;
    const ClaimTransaction* payment_row = nullptr;
    for (std::size_t t : c.transactions) {
      const ClaimTransaction& row = trace.claim_transactions[t];
      if (row.type == ClaimTxType::kCharge) {
        claims::ClaimLine line;
        line.code = claim_code(row.procedure_code);
        line.units = static_cast<std::uint16_t>(
            std::clamp<std::int64_t>(row.units.value_or(1), 1, UINT16_MAX));
        line.amount_cents = static_cast<std::uint64_t>(
            std::clamp<Cents>(row.amount_cents.value_or(0), 0, claims::kLineAmountMaxCents));
        claim.lines.push_back(line);
      } else if (row.type == ClaimTxType::kPayment && payment_row == nullptr &&
                 !is_patient_payment_method(row.method)) {
        payment_row = &row;
      }
    }
    if (claim.lines.empty()) {
      ++r.claims_without_charges;
      continue;
    }
    if (claim.lines.size() > claims::kClaimLinesMax) claim.lines.resize(claims::kClaimLinesMax);
    claim.claim_seq = next_claim_seq[claim.provider]++;
    if (enrolled.emplace(c.patient_index, claim.payer).second) {
      claims::Enroll e;
      e.patient = c.patient_index;
      e.payer = claim.payer;
      e.plan = claims::Plan::kComprehensive;
      e.annual_limit_cents = claims::kLineAmountMaxCents;  // the trace states no limit
      pending.push_back({claim.payer, 0, 0, ReplayKind::kEnroll, i, e});
      ++r.enrolments;
    }
    const std::size_t claim_at = pending.size();
    r.claim_lines += claim.lines.size();
    ++r.claims;
    const claims::ClaimRef ref{claim.provider, claim.claim_seq};
    const std::uint32_t payer_client_id = claim.payer;
    pending.push_back({claim.provider, c.service_ns, 0, ReplayKind::kClaimSubmit, i, claim});
    if (payment_row == nullptr) {
      ++r.claims_unpaid;
      continue;
    }
    claims::Payment p;
    p.payer = payer_client_id;
    p.claims = {ref};
    paying.emplace_back(pending.size(), claim_at);
    pending.push_back({payer_client_id, payment_row->from_ns, 0, ReplayKind::kClaimPayment, i, p});
    ++r.payments;
  }

  // Times: enrolments at 0, the trace from `start`, payments settle_ns after their claims.
  TimeNs t0 = kTimeNever;
  for (const Pending& p : pending) {
    if (p.kind != ReplayKind::kEnroll) t0 = std::min(t0, p.trace_ns);
  }
  r.trace_start_ns = t0;
  r.start_ns = r.enrolments > 0 ? options.settle_ns : 0;
  const Clock clock(t0, r.start_ns, options.time_compression);
  for (Pending& p : pending) {
    if (p.kind == ReplayKind::kEnroll) {
      p.trace_ns = t0;
      continue;
    }
    if (p.kind == ReplayKind::kClaimPayment) continue;
    Result<TimeNs> at = clock.at(p.trace_ns);
    if (!at) return at.error();
    p.want_ns = *at;
    if (auto* claim = std::get_if<claims::Claim>(&p.body)) {
      claim->service_day = static_cast<std::uint32_t>((p.trace_ns - t0) / kNsPerDay);
      const std::size_t fixed =
          claims::kClaimFixedBytes + claims::kClaimLineBytes * claim->lines.size();
      if (options.record_bytes > fixed) claim->attachment.assign(options.record_bytes - fixed, 0);
    }
  }
  for (const auto& [payment, claim] : paying) {
    Pending& p = pending[payment];
    if (pending[claim].want_ns > kTimeNever - options.settle_ns) {
      return Error{"the trace is too long for a run at time_compression " +
                   std::to_string(options.time_compression)};
    }
    Result<TimeNs> at = clock.at(p.trace_ns, pending[claim].want_ns + options.settle_ns);
    if (!at) return at.error();
    p.want_ns = *at;
  }

  std::sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
    return std::tie(a.client, a.want_ns, a.kind, a.source) <
           std::tie(b.client, b.want_ns, b.kind, b.source);
  });
  r.by_client.resize(r.clients());
  std::vector<std::uint64_t> next_record_id(r.clients(), 0);
  for (Pending& p : pending) {
    std::vector<ReplayEvent>& events = r.by_client[p.client];
    TimeNs at_ns = p.want_ns;
    if (!events.empty() && at_ns <= events.back().at_ns) at_ns = events.back().at_ns + 1;
    if (auto* write = std::get_if<ehr::RecordWrite>(&p.body)) {
      write->record_id = next_record_id[p.client]++;
    }
    events.push_back(ReplayEvent{at_ns, p.trace_ns, p.kind, encode_body(p.body)});
    r.last_at_ns = std::max(r.last_at_ns, at_ns);
  }
  return r;
}

}  // namespace hlsim::trace
