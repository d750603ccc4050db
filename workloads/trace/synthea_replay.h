// The timetable of a Synthea replay: which client submits which EHR or claims transaction when.
//
// Mapping (a pure function of the trace and the options):
//   organisation i of organizations.csv (file order)  -> client i (EHR organisation and claims
//                                                         provider)
//   payer k: the k-th distinct PRIMARYPATIENTINSURANCEID of claims.csv (file order; "0" or
//   empty means self-pay, not a payer)                 -> client organisations + k
//   encounters.csv row   -> encounter_record by the encounter's ORGANIZATION at START: an EHR
//                           record_write of the patient's chart at that organisation
//   medications.csv row  -> medication_record by its encounter's organisation at START: an EHR
//                           record_write of a MedicationRequest pointer (Synthea has no
//                           dispensing sites or serialised packs, so there is no custody chain
//                           to replay; drug supply replay is the epcis workload's)
//   (patient, payer) pair of a claim with a payer -> enroll by the payer, before the trace
//   claims.csv row with a payer and CHARGE lines -> claim_submit by its PROVIDERID organisation
//                           at SERVICEDATE: patient = the patient's row, payer = its primary
//                           payer's client, service_day = whole days since the trace's first
//                           event, one line per CHARGE row of claims_transactions.csv (file
//                           order): code = claim_code(PROCEDURECODE), units = UNITS (default 1),
//                           amount = AMOUNT; claim_seq numbers the provider's claims in order
//   the claim's first PAYMENT row from the payer (METHOD not COPAY, CASH or CC, which are the
//   patient's)           -> claim_payment of that one claim by the payer at the row's FROMDATE
//   not replayed, and counted: self-pay claims, claims without CHARGE lines, secondary
//   insurance, patient payments, ADJUSTMENT and TRANSFER rows.
// The EHR contract lets only a patient's home organisation write pointers for them, while a
// Synthea patient visits several organisations. So each (patient, organisation) pair is a chart
// (a medical record number at that organisation) and the ledger's patient number is
//   chart = patient_index * organisations + organisation_index,
// whose EHR home (chart % organisations) is the writing organisation. The claims contract runs
// with the trace rules (claims_contract.h): payers after the organisations, membership only by
// the payers' enrolments, procedure codes as opaque identifiers, no annual limit.
//
// Times. Enrolments are at run time 0, 1, 2, ... ns per payer, and the trace starts settle_ns
// later (at 0 when nothing is enrolled): an event at trace time t is at
//   start + (t - t0) / time_compression
// with t0 the earliest event. A payment is no earlier than settle_ns after its claim: Synthea
// stamps both at one instant, and a ledger cannot order two organisations' transactions
// submitted at one instant. One client never submits twice at one instant: an event that would
// land on or before its predecessor of the same client moves to 1 ns after it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/bytes.h"
#include "sim/kernel/result.h"
#include "sim/kernel/time.h"
#include "workloads/claims/claims_contract.h"
#include "workloads/trace/synthea_records.h"

namespace hlsim::trace {

// Kind codes: the index into SyntheaWorkload::kind_names().
enum class ReplayKind : std::uint16_t {
  kEncounterRecord = 0,   // EHR record_write
  kMedicationRecord = 1,  // EHR record_write
  kPastTraceEnd = 2,      // a draft asked for after the client's last trace event (the workload)
  kEnroll = 3,            // claims enroll
  kClaimSubmit = 4,       // claims claim
  kClaimPayment = 5,      // claims payment
};
inline constexpr std::uint16_t kReplayKindCount = 6;

// True for the kinds the claims contract judges.
inline bool is_claims_kind(ReplayKind k) {
  return k == ReplayKind::kEnroll || k == ReplayKind::kClaimSubmit ||
         k == ReplayKind::kClaimPayment;
}

struct ReplayEvent {
  TimeNs at_ns = 0;     // run time
  TimeNs trace_ns = 0;  // the trace's own timestamp (enrolments: the trace's first event)
  ReplayKind kind = ReplayKind::kEncounterRecord;
  Bytes payload;  // ehr record_write, or claims enroll / claim / payment (claims_payloads.h)
};

struct ReplayOptions {
  double time_compression = 1;     // trace seconds per run second
  std::uint32_t record_bytes = 1;  // record_write and claim payloads are padded to this size
  TimeNs settle_ns = 0;            // see Times above
};

struct Replay {
  std::uint32_t organisations = 0;
  std::uint32_t payers = 0;
  std::vector<std::string> payer_ids;  // client organisations + k is payer_ids[k]
  std::uint64_t charts = 0;  // patients * organisations: the EHR contract's patient numbers
  std::uint64_t patients = 0;
  TimeNs trace_start_ns = 0;  // trace time t0
  TimeNs start_ns = 0;        // run time of t0
  TimeNs last_at_ns = 0;      // run time of the last event
  std::uint64_t encounters = 0;
  std::uint64_t medications = 0;
  std::uint64_t enrolments = 0;
  std::uint64_t claims = 0;       // claim_submit events
  std::uint64_t claim_lines = 0;  // their lines
  std::uint64_t payments = 0;
  std::uint64_t claims_self_pay = 0;                // not replayed: no payer
  std::uint64_t claims_without_charges = 0;         // not replayed: nothing to bill
  std::uint64_t claims_unpaid = 0;                  // replayed, but no payer PAYMENT row
  std::vector<std::vector<ReplayEvent>> by_client;  // per client, strictly increasing at_ns

  std::uint32_t clients() const { return organisations + payers; }
  // The claims contract's rules for this trace. REQUIRES: payers >= 1.
  claims::ClaimsRules claims_rules() const;
};

std::uint64_t chart_number(std::size_t patient_index, std::size_t organisation_index,
                           std::uint32_t organisations);

// A procedure code as the claims contract's u32 code: the number itself when it is all digits
// and fits (SNOMED CT concept ids and RxNorm codes mostly do), else the first four bytes of the
// code's SHA-256 (an opaque identifier either way: the trace rules judge no code).
std::uint32_t claim_code(std::string_view procedure_code);

// True for the claims_transactions.csv METHODs a patient pays with.
bool is_patient_payment_method(std::string_view method);

// Payers: the distinct primary insurances of the claims, in file order ("0" and "" are none).
std::vector<std::string> trace_payers(const SyntheaTrace& trace);

// REQUIRES: a trace from read_synthea_* (references resolved). Errors: no organisation or no
// encounter, or a run longer than int64 ns at this compression.
Result<Replay> build_replay(const SyntheaTrace& trace, const ReplayOptions& options);

}  // namespace hlsim::trace
