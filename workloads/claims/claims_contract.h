// The claims contract: claim submission with adjudication at submit, payment, enrolment.
// State layout: workloads/claims/claims_state.h. Payloads: claims_payloads.h. Codes and plans:
// claims_codes.h.
//
// Organisations are the clients: payers (insurers) are clients first_payer..first_payer+payers-1
// (the claims workload: 0..payers-1), providers (hospitals, clinics) the rest; a payload's payer
// is the payer's client number. Under Membership::kConvention (the claims workload), patient p
// (0..patients-1) is a member of payer client payer_of(p) = first_payer + p % payers, and the
// coverage is the member's latest enrol record if there is one, otherwise the convention's plan
// (p / payers) % 3 (Basic, Standard, Comprehensive) with the configured annual limit; honest
// payers enrol members into exactly that, so providers, which know only the convention, always
// bill against the coverage the contract applies. Under Membership::kEnrolled (trace replay),
// p is a member of payer X only through X's enrol record for p, which is also the coverage.
// Under Codes::kOpaque every code is valid, covered and has no fee maximum. The plan year is
// service_day / 365. The submitting organisation is the transaction's `client`, which the node
// verified by signature.
//
// Rules (anything else, and any payload that does not decode exactly, is kInvalid and leaves the
// state untouched):
//   claim (claim_submit and the fraud kinds alike): kInvalid unless the provider equals the
//     submitter and is a provider, patient < patients, payer < payers, every line has a code in
//     the table, units >= 1 and amount <= kLineAmountMaxCents, and (provider, claim_seq) is new.
//     Then, in this order, the whole claim is kDenied if
//       1. the patient is not a member of the named payer (see above)  (reason not_member),
//       2. an earlier claim has the same fingerprint (patient, provider,
//          service day, line set; claim_fingerprint)                   (reason duplicate),
//       3. any line bills more than units x the code's fee maximum, or an
//          office E/M level whose documented minutes are below the
//          level's minimum                                             (reason upcoded);
//     otherwise each line is judged: denied if the plan does not cover its code (not_covered),
//     else approved up to what is left of the member's annual limit for the plan year (in full,
//     reduced to the remainder, or denied when nothing is left). No approved line: kDenied
//     (all_lines_denied). Else kApplied (approved, or partial when a line was denied or reduced)
//     and the approved total is added to the member's usage for the year. Every judged claim
//     stores its record; every claim but a duplicate registers its fingerprint.
//   payment: kInvalid unless the payer equals the submitter and is a payer. kApplied if every
//     listed claim exists, names this payer, was approved, is unpaid, and is listed once; each is
//     then marked paid (its approved amount, at the block time). Otherwise kDenied and nothing
//     is paid: a remittance is all or nothing.
//   enroll: kInvalid unless the payer equals the submitter and is a payer, patient < patients and
//     the annual limit is > 0. Under kConvention, kDenied if the patient is not the payer's
//     member; else kApplied, replacing the member's coverage with that payer.
//
// Deterministic: reads only the state and the transaction, and the block time only to stamp
// records. Stateless itself; apply() is not safe to call concurrently on the same store.
#pragma once

#include <cstdint>

#include "workloads/claims/claims_codes.h"
#include "workloads/contract.h"

namespace hlsim::claims {

// A line billing more than this is malformed (it also keeps sums far from overflow).
inline constexpr std::uint64_t kLineAmountMaxCents = 1'000'000'000'000;  // $10 bn
inline constexpr std::uint32_t kDaysPerPlanYear = 365;

// How members are known.
enum class Membership : std::uint8_t {
  // Patient p is a member of payer client payer_of(p); an enrol record only changes the plan.
  kConvention = 0,
  // Patient p is a member of payer X only once X has enrolled p (trace replay: memberships come
  // from the data, not from a rule); a payer may enrol any patient, and a patient may have
  // several payers, each with its own coverage.
  kEnrolled = 1,
};

// How procedure codes are judged.
enum class Codes : std::uint8_t {
  kTable = 0,   // only the built-in table's codes (claims_codes.h), with its fee maxima and plans
  kOpaque = 1,  // any code: an identifier from a trace (SNOMED CT, RxNorm) with no fee maximum,
                // covered by every plan, never an office E/M level (so never upcoded)
};

// The rules every party knows: who is a payer, and the membership convention.
struct ClaimsRules {
  std::uint32_t organisations = 0;  // clients
  std::uint32_t payers = 0;         // payers are clients first_payer .. first_payer+payers-1;
  std::uint32_t first_payer = 0;    // every other client is a provider
  std::uint64_t patients = 0;
  std::uint64_t annual_limit_cents = 0;  // the convention's limit per member and plan year
  Membership membership = Membership::kConvention;
  Codes codes = Codes::kTable;

  // The payer client of patient p under the convention.
  std::uint32_t payer_of(std::uint64_t patient) const {
    return first_payer + static_cast<std::uint32_t>(patient % payers);
  }
  Plan plan_of(std::uint64_t patient) const {
    return static_cast<Plan>((patient / payers) % kPlanCount);
  }
  bool is_payer(std::uint32_t org) const {
    return org >= first_payer && org - first_payer < payers;
  }
  bool is_provider(std::uint32_t org) const { return org < organisations && !is_payer(org); }
};

class ClaimsContract final : public Contract {
 public:
  // REQUIRES: 1 <= payers < organisations, first_payer + payers <= organisations, patients >= 1,
  // annual_limit_cents >= 1.
  explicit ClaimsContract(const ClaimsRules& rules);

  ApplyResult apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) override;

  const ClaimsRules& rules() const { return rules_; }

 private:
  ApplyResult apply_claim(KvStore& state, const Transaction& tx, TimeNs block_time_ns);
  ApplyResult apply_payment(KvStore& state, const Transaction& tx, TimeNs block_time_ns);
  ApplyResult apply_enroll(KvStore& state, const Transaction& tx, TimeNs block_time_ns);

  ClaimsRules rules_;
};

}  // namespace hlsim::claims
