// Neutral records read from Synthea's CSV export: the fields a ledger workload needs (ids, times,
// references between organisations, providers, patients, encounters, claims; classes, codes and
// amounts), nothing of the patient's identity (names, SSN, address are not read).
//
// Times are ns since the Unix epoch (UTC). Amounts are integer cents, exact to the two decimals
// Synthea writes; an amount is nullopt when its column is absent or the field is empty (Synthea
// leaves AMOUNT empty on a PAYMENT line, for instance). `line` is the record's line in its file.
// The *_index fields are the resolved references (positions in SyntheaTrace's vectors), filled
// by read_synthea_dir, which checks every reference.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/kernel/time.h"

namespace hlsim::trace {

using Cents = std::int64_t;

struct Organization {
  std::string id;
  std::string name;
  std::string city;
  std::string state;
  std::optional<double> lat;
  std::optional<double> lon;
  std::uint64_t line = 0;
};

struct Provider {  // a clinician, working at one organisation
  std::string id;
  std::string organization;
  std::string speciality;
  std::uint64_t line = 0;
  std::size_t organization_index = 0;
};

struct Patient {
  std::string id;
  TimeNs birth_ns = 0;
  std::optional<TimeNs> death_ns;
  std::string gender;
  std::string state;
  std::uint64_t line = 0;
};

struct Encounter {
  std::string id;
  TimeNs start_ns = 0;
  std::optional<TimeNs> stop_ns;
  std::string patient;
  std::string organization;
  std::string provider;         // may be empty
  std::string payer;            // may be empty
  std::string encounter_class;  // as written: ambulatory, wellness, outpatient, emergency, ...
  std::string code;             // SNOMED CT
  std::optional<Cents> base_cost_cents;
  std::optional<Cents> total_claim_cost_cents;
  std::optional<Cents> payer_coverage_cents;
  std::string reason_code;
  std::uint64_t line = 0;
  std::size_t patient_index = 0;
  std::size_t organization_index = 0;
  std::optional<std::size_t> provider_index;  // when PROVIDER is set and providers.csv was read
};

struct Medication {
  TimeNs start_ns = 0;
  std::optional<TimeNs> stop_ns;
  std::string patient;
  std::string payer;
  std::string encounter;
  std::string code;  // RxNorm
  std::optional<Cents> base_cost_cents;
  std::optional<Cents> payer_coverage_cents;
  std::optional<std::int64_t> dispenses;
  std::optional<Cents> total_cost_cents;
  std::string reason_code;
  std::uint64_t line = 0;
  std::size_t patient_index = 0;
  std::size_t encounter_index = 0;
};

struct Claim {
  std::string id;
  std::string patient;
  std::string provider;             // PROVIDERID: in Synthea the billing *organisation*
  std::string primary_insurance;    // payer id; "0" means none (as Synthea writes it)
  std::string secondary_insurance;  // payer id; "0" or empty means none
  std::string department_id;
  std::vector<std::string> diagnoses;  // DIAGNOSIS1..8, the non-empty ones in order
  std::string appointment;             // APPOINTMENTID: the encounter billed; may be empty
  TimeNs service_ns = 0;
  std::optional<TimeNs> current_illness_ns;
  std::string supervising_provider;
  std::string status_primary;  // STATUS1 (e.g. CLOSED)
  std::string status_patient;  // STATUSP
  std::optional<Cents> outstanding_primary_cents;
  std::optional<Cents> outstanding_secondary_cents;
  std::optional<Cents> outstanding_patient_cents;
  std::optional<std::int64_t>
      claim_type;  // HEALTHCARECLAIMTYPEID1: 1 professional, 2 institutional
  std::uint64_t line = 0;
  std::size_t patient_index = 0;
  std::size_t organization_index = 0;
  std::optional<std::size_t> encounter_index;
  std::vector<std::size_t> transactions;  // its lines: indexes into claim_transactions, file order
};

enum class ClaimTxType : std::uint8_t { kCharge, kPayment, kAdjustment, kTransferIn, kTransferOut };
const char* to_string(ClaimTxType t);

// One line of a claim. The reader guarantees a CHARGE line an amount >= 0 and units >= 1 if given.
struct ClaimTransaction {
  std::string id;
  std::string claim;
  std::optional<std::int64_t> charge_id;
  std::string patient;
  ClaimTxType type = ClaimTxType::kCharge;
  std::optional<Cents> amount_cents;
  std::string method;  // payment method: COPAY, ECHECK, CASH, CHECK, CC, SYSTEM; may be empty
  TimeNs from_ns = 0;
  std::optional<TimeNs> to_ns;
  std::string place_of_service;  // organisation id
  std::string procedure_code;
  std::optional<std::int64_t> units;
  std::optional<Cents> unit_amount_cents;
  std::optional<Cents> payments_cents;
  std::optional<Cents> adjustments_cents;
  std::optional<Cents> transfers_cents;
  std::optional<Cents> outstanding_cents;
  std::string appointment;  // encounter id
  std::string provider;     // organisation id
  std::uint64_t line = 0;
  std::size_t claim_index = 0;
};

struct SyntheaTrace {
  std::vector<Organization> organizations;
  std::vector<Provider> providers;
  std::vector<Patient> patients;
  std::vector<Encounter> encounters;
  std::vector<Medication> medications;
  std::vector<Claim> claims;
  std::vector<ClaimTransaction> claim_transactions;
  // Per file read (by file name, e.g. "encounters.csv"): rows dropped under skip_malformed,
  // including rows whose references point at a dropped or unknown row. 0 for a clean file.
  std::map<std::string, std::uint64_t> skipped_rows;
  std::vector<std::string> absent_files;  // optional files that were not in the folder
};

}  // namespace hlsim::trace
