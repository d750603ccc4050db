// Reader of Synthea's CSV export (v3 headers; see synthea_records.h for what is kept).
//
// Columns are found by header name; only the columns a record needs are required, others may be
// absent, added or reordered. Errors are values whose message names the file, the line and the
// field, e.g.
//   encounters.csv:17: START: bad timestamp '2012-13-01T00:00:00Z' (month 13 is not in 1..12)
//   encounters.csv:1: missing required columns 'START', 'PATIENT'
//   claims.csv:9: expected 31 fields as in the header, got 12 (short row)
//   medications.csv:4: ENCOUNTER: unknown encounter 'e-99' (not in encounters.csv)
// Nothing is skipped silently: by default the first bad row fails the read. With
// skip_malformed, a bad row (bad field, short or long row, stray quote, unknown or duplicate
// reference) is dropped and counted per file instead; an unterminated quote, a bad header and a
// missing column still fail (no row after them can be trusted).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/kernel/result.h"
#include "workloads/trace/synthea_records.h"

namespace hlsim::trace {

struct ReadOptions {
  bool skip_malformed = false;
};

template <class T>
struct Table {
  std::vector<T> rows;
  std::uint64_t skipped = 0;  // rows dropped under skip_malformed
};

// One file each, from its text; `file` names it in messages. References to other files are not
// checked here (read_synthea_files does that).
Result<Table<Organization>> parse_organizations(std::string_view text, const std::string& file,
                                                const ReadOptions& options);
Result<Table<Provider>> parse_providers(std::string_view text, const std::string& file,
                                        const ReadOptions& options);
Result<Table<Patient>> parse_patients(std::string_view text, const std::string& file,
                                      const ReadOptions& options);
Result<Table<Encounter>> parse_encounters(std::string_view text, const std::string& file,
                                          const ReadOptions& options);
Result<Table<Medication>> parse_medications(std::string_view text, const std::string& file,
                                            const ReadOptions& options);
Result<Table<Claim>> parse_claims(std::string_view text, const std::string& file,
                                  const ReadOptions& options);
Result<Table<ClaimTransaction>> parse_claim_transactions(std::string_view text,
                                                         const std::string& file,
                                                         const ReadOptions& options);

// Required files; the others (providers.csv, medications.csv, claims.csv,
// claims_transactions.csv) may be absent and then read as empty.
inline constexpr const char* kRequiredSyntheaFiles[] = {"organizations.csv", "patients.csv",
                                                        "encounters.csv"};
inline constexpr const char* kOptionalSyntheaFiles[] = {"providers.csv", "medications.csv",
                                                        "claims.csv", "claims_transactions.csv"};

// Reads the files given as (file name -> text), prefixing messages with `dir` + "/" when `dir`
// is not empty, then resolves and checks every reference: a provider's organisation; an
// encounter's patient, organisation and provider (when providers.csv is present); a medication's
// patient and encounter (which must be that patient's); a claim's patient, organisation and
// appointment (encounter); a claim line's claim. Ids must be unique within their file.
Result<SyntheaTrace> read_synthea_files(const std::map<std::string, std::string>& texts,
                                        const std::string& dir, const ReadOptions& options);

// The same from a folder on disk.
Result<SyntheaTrace> read_synthea_dir(const std::string& dir, const ReadOptions& options);

// Exact money parsing: [-|+]digits[.digits] (at most 15 whole digits) to cents, rounded half away
// from zero. Exposed for tests.
std::optional<Cents> parse_cents(std::string_view text);

}  // namespace hlsim::trace
