// Synthea CSV reader: the committed sample read exactly, columns by name, every malformed variant
// with a message naming file, line and field, and skip_malformed's per-file counts.
#include "workloads/trace/synthea_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <string>

#include "workloads/trace/iso_time.h"
#include "workloads/trace/text_file.h"

namespace hlsim::trace {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kSampleDir = std::string(HLSIM_SOURCE_DIR) + "/workloads/trace/samples/synthea";

TimeNs at(const char* iso) { return *parse_instant_ns(iso, /*allow_date=*/true); }

// A small trace, as texts, that each test breaks in one place.
std::map<std::string, std::string> tiny() {
  return {
      {"organizations.csv", "Id,NAME,LAT\no1,Org One,42.5\no2,\"Org, Two\",\n"},
      {"patients.csv", "Id,BIRTHDATE,DEATHDATE\np1,1988-02-29,\np2,1950-01-01,2020-05-01\n"},
      {"encounters.csv",
       "Id,START,PATIENT,ORGANIZATION,ENCOUNTERCLASS,CODE,TOTAL_CLAIM_COST\n"
       "e1,2020-01-01T10:00:00Z,p1,o1,ambulatory,185345009,129.16\n"
       "e2,2020-01-01T11:00:00Z,p2,o2,wellness,162673000,\n"
       "e3,2020-01-02T09:30:00Z,p1,o2,emergency,50849002,80\n"},
      {"medications.csv",
       "START,PATIENT,ENCOUNTER,CODE,DISPENSES\n"
       "2020-01-01T10:00:00Z,p1,e1,313782,3\n"
       "2020-01-02T09:30:00Z,p1,e3,310965,\n"},
  };
}

Result<SyntheaTrace> read(const std::map<std::string, std::string>& texts, bool skip = false) {
  return read_synthea_files(texts, "", ReadOptions{.skip_malformed = skip});
}

std::string error_of(const std::map<std::string, std::string>& texts, bool skip = false) {
  Result<SyntheaTrace> t = read(texts, skip);
  EXPECT_FALSE(t.ok()) << "read without error";
  return t.ok() ? "" : t.error().message;
}

// `texts` with line `line` (1-based) of `file` replaced by `text`.
std::map<std::string, std::string> with_line(std::map<std::string, std::string> texts,
                                             const std::string& file, int line,
                                             const std::string& text) {
  std::string& s = texts.at(file);
  std::size_t begin = 0;
  for (int i = 1; i < line; ++i) begin = s.find('\n', begin) + 1;
  const std::size_t end = s.find('\n', begin);
  s.replace(begin, end - begin, text);
  return texts;
}

TEST(SyntheaReaderTest, SampleHasTheExactCounts) {
  Result<SyntheaTrace> t = read_synthea_dir(kSampleDir, {});
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->organizations.size(), 4u);
  EXPECT_EQ(t->providers.size(), 8u);
  EXPECT_EQ(t->patients.size(), 10u);
  EXPECT_EQ(t->encounters.size(), 40u);
  EXPECT_EQ(t->medications.size(), 12u);
  EXPECT_EQ(t->claims.size(), 10u);
  EXPECT_EQ(t->claim_transactions.size(), 34u);
  EXPECT_THAT(t->absent_files, IsEmpty());
  ASSERT_EQ(t->skipped_rows.size(), 7u);
  for (const auto& [file, n] : t->skipped_rows) EXPECT_EQ(n, 0u) << file;

  std::map<std::string, int> classes;
  for (const Encounter& e : t->encounters) ++classes[e.encounter_class];
  const std::map<std::string, int> expected = {{"ambulatory", 16}, {"wellness", 10},
                                               {"outpatient", 7},  {"emergency", 4},
                                               {"urgentcare", 2},  {"inpatient", 1}};
  EXPECT_EQ(classes, expected);
}

TEST(SyntheaReaderTest, SampleFieldsReadExactly) {
  Result<SyntheaTrace> t = read_synthea_dir(kSampleDir, {});
  ASSERT_TRUE(t.ok()) << t.error().message;
  // Quoted names (a comma, doubled quotes).
  EXPECT_EQ(t->organizations[1].name, "Northside Family Clinic, P.C.");
  EXPECT_EQ(t->organizations[3].name, "The \"Riverside\" Pediatrics Group");
  EXPECT_DOUBLE_EQ(*t->organizations[0].lat, 42.5201);
  // A leap-day birth and a death date.
  EXPECT_EQ(t->patients[0].birth_ns, at("1988-02-29"));
  EXPECT_FALSE(t->patients[0].death_ns.has_value());
  EXPECT_EQ(*t->patients[6].death_ns, at("2023-03-16"));

  const Encounter& e = t->encounters[0];
  EXPECT_EQ(e.id, "8e80f820-4e8b-485c-84d8-7fb5e62bc11b");
  EXPECT_EQ(e.start_ns, at("2023-03-14T05:34:54Z"));
  EXPECT_EQ(*e.stop_ns, at("2023-03-14T05:49:54Z"));
  EXPECT_EQ(e.encounter_class, "outpatient");
  EXPECT_EQ(e.code, "185347001");
  EXPECT_EQ(e.organization_index, 0u);
  EXPECT_EQ(t->patients[e.patient_index].id, "c0189c22-e105-4959-800f-e8226f86b825");
  ASSERT_TRUE(e.provider_index.has_value());
  EXPECT_EQ(t->providers[*e.provider_index].organization, e.organization);
  EXPECT_EQ(*e.base_cost_cents, 14258);
  EXPECT_EQ(*e.total_claim_cost_cents, 57398);
  EXPECT_EQ(*e.payer_coverage_cents, 57398);
  EXPECT_EQ(e.reason_code, "444814009");
  EXPECT_EQ(e.line, 2u);

  const Medication& m = t->medications[0];
  EXPECT_EQ(m.code, "834061");
  EXPECT_EQ(m.encounter_index, 0u);
  EXPECT_EQ(*m.dispenses, 1);
  EXPECT_EQ(*m.total_cost_cents, 1487);
  EXPECT_EQ(*m.payer_coverage_cents, 743);

  const Claim& c = t->claims[0];  // claims.csv has CRLF line ends
  EXPECT_EQ(c.id, "6131be21-5721-4e07-926c-188860646341");
  EXPECT_EQ(*c.encounter_index, 0u);
  EXPECT_EQ(c.organization_index, 0u);
  EXPECT_EQ(c.service_ns, e.start_ns);
  EXPECT_THAT(c.diagnoses, ElementsAre("444814009"));
  EXPECT_EQ(c.status_primary, "CLOSED");
  EXPECT_EQ(*c.claim_type, 2);
  EXPECT_EQ(*c.outstanding_patient_cents, 0);
  ASSERT_EQ(c.transactions.size(), 2u);
  const ClaimTransaction& charge = t->claim_transactions[c.transactions[0]];
  const ClaimTransaction& payment = t->claim_transactions[c.transactions[1]];
  EXPECT_EQ(charge.type, ClaimTxType::kCharge);
  EXPECT_EQ(*charge.amount_cents, 57398);
  EXPECT_EQ(*charge.charge_id, 0);
  EXPECT_EQ(payment.type, ClaimTxType::kPayment);
  EXPECT_FALSE(payment.amount_cents.has_value());  // Synthea leaves AMOUNT empty on payments
  EXPECT_EQ(payment.method, "ECHECK");
  EXPECT_EQ(*payment.payments_cents, 57398);
}

TEST(SyntheaReaderTest, SampleClaimsBalance) {
  Result<SyntheaTrace> t = read_synthea_dir(kSampleDir, {});
  ASSERT_TRUE(t.ok()) << t.error().message;
  for (const Claim& c : t->claims) {
    Cents charged = 0;
    Cents paid = 0;
    for (std::size_t i : c.transactions) {
      const ClaimTransaction& line = t->claim_transactions[i];
      EXPECT_EQ(line.claim, c.id);
      if (line.type == ClaimTxType::kCharge) charged += *line.amount_cents;
      if (line.type == ClaimTxType::kPayment) paid += *line.payments_cents;
    }
    EXPECT_EQ(charged, *t->encounters[*c.encounter_index].total_claim_cost_cents) << c.id;
    EXPECT_EQ(paid, charged) << c.id;
  }
}

TEST(SyntheaReaderTest, ColumnsAreFoundByNameInAnyOrderWithExtras) {
  auto texts = tiny();
  texts["encounters.csv"] =
      "CODE,EXTRA,ORGANIZATION,Id,PATIENT,START,ENCOUNTERCLASS\n"
      "185345009,x,o1,e1,p1,2020-01-01T10:00:00Z,ambulatory\n"
      "162673000,y,o2,e2,p2,2020-01-01T11:00:00Z,wellness\n"
      "50849002,z,o2,e3,p1,2020-01-02T09:30:00Z,emergency\n";
  Result<SyntheaTrace> t = read(texts);
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_EQ(t->encounters.size(), 3u);
  EXPECT_EQ(t->encounters[1].id, "e2");
  EXPECT_EQ(t->encounters[1].organization_index, 1u);
  EXPECT_EQ(t->encounters[1].start_ns, at("2020-01-01T11:00:00Z"));
  EXPECT_FALSE(t->encounters[1].total_claim_cost_cents.has_value());  // column absent
  EXPECT_EQ(t->organizations[1].name, "Org, Two");
  EXPECT_FALSE(t->organizations[1].lat.has_value());  // field empty
  EXPECT_EQ(*t->medications[0].dispenses, 3);
  EXPECT_FALSE(t->medications[1].dispenses.has_value());
}

TEST(SyntheaReaderTest, AbsentOptionalFilesAreListedAndReadAsEmpty) {
  auto texts = tiny();
  texts.erase("medications.csv");
  Result<SyntheaTrace> t = read(texts);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_THAT(t->absent_files, ElementsAre("providers.csv", "medications.csv", "claims.csv",
                                           "claims_transactions.csv"));
  EXPECT_TRUE(t->medications.empty());
  EXPECT_EQ(t->skipped_rows.size(), 3u);  // the three files read
  EXPECT_FALSE(t->skipped_rows.contains("medications.csv"));
}

TEST(SyntheaReaderTest, MissingRequiredFileIsNamed) {
  auto texts = tiny();
  texts.erase("encounters.csv");
  Result<SyntheaTrace> t = read_synthea_files(texts, "trace", {});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message, "trace/encounters.csv: required file not found");
  Result<SyntheaTrace> dir = read_synthea_dir(kSampleDir + "/no-such-folder", {});
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(dir.error().message, HasSubstr("no-such-folder: not a folder"));
}

TEST(SyntheaReaderTest, MissingColumnsAreNamedTogether) {
  auto texts = tiny();
  texts["encounters.csv"] = "Id,ORGANIZATION,ENCOUNTERCLASS,CODE\ne1,o1,ambulatory,1\n";
  EXPECT_EQ(error_of(texts), "encounters.csv:1: missing required columns 'START', 'PATIENT'");
  texts = tiny();
  texts["patients.csv"] = "Id,DEATHDATE\np1,\n";
  EXPECT_EQ(error_of(texts), "patients.csv:1: missing required column 'BIRTHDATE'");
  // skip_malformed cannot skip a missing column.
  EXPECT_EQ(error_of(texts, /*skip=*/true), "patients.csv:1: missing required column 'BIRTHDATE'");
}

TEST(SyntheaReaderTest, BadTimestampNamesFileLineAndField) {
  auto texts =
      with_line(tiny(), "encounters.csv", 3, "e2,2012-13-01T00:00:00Z,p2,o2,wellness,162673000,");
  EXPECT_EQ(error_of(texts),
            "encounters.csv:3: START: bad timestamp '2012-13-01T00:00:00Z' (month 13 is not in "
            "1..12)");
}

TEST(SyntheaReaderTest, BadDateNamesTheLeapDayRule) {
  auto texts = with_line(tiny(), "patients.csv", 2, "p1,1989-02-29,");
  EXPECT_EQ(error_of(texts),
            "patients.csv:2: BIRTHDATE: bad date '1989-02-29' (day 29 is not in 1..28 for "
            "1989-02)");
  texts = with_line(tiny(), "patients.csv", 3, "p2,1950-01-01,2020-05-01T");
  EXPECT_THAT(error_of(texts), HasSubstr("patients.csv:3: DEATHDATE: bad date '2020-05-01T'"));
}

TEST(SyntheaReaderTest, BadNumbersNameTheirField) {
  auto texts = with_line(tiny(), "encounters.csv", 2,
                         "e1,2020-01-01T10:00:00Z,p1,o1,ambulatory,185345009,12.3.4");
  EXPECT_EQ(error_of(texts),
            "encounters.csv:2: TOTAL_CLAIM_COST: bad amount '12.3.4' (expected a decimal number "
            "like 129.16)");
  texts = with_line(tiny(), "medications.csv", 3, "2020-01-02T09:30:00Z,p1,e3,310965,two");
  EXPECT_EQ(error_of(texts), "medications.csv:3: DISPENSES: bad integer 'two'");
  texts = with_line(tiny(), "organizations.csv", 2, "o1,Org One,north");
  EXPECT_EQ(error_of(texts), "organizations.csv:2: LAT: bad number 'north'");
}

TEST(SyntheaReaderTest, EmptyRequiredFieldIsNamed) {
  auto texts = with_line(tiny(), "encounters.csv", 4, "e3,2020-01-02T09:30:00Z,,o2,emergency,1,");
  EXPECT_EQ(error_of(texts), "encounters.csv:4: PATIENT: empty (required)");
}

TEST(SyntheaReaderTest, StopBeforeStartIsRejected) {
  auto texts = tiny();
  texts["medications.csv"] =
      "START,STOP,PATIENT,ENCOUNTER,CODE\n2020-01-01T10:00:00Z,2019-01-01T10:00:00Z,p1,e1,1\n";
  EXPECT_EQ(error_of(texts), "medications.csv:2: STOP: before START");
}

TEST(SyntheaReaderTest, UnterminatedQuoteNamesTheLineAndCannotBeSkipped) {
  auto texts = with_line(tiny(), "organizations.csv", 3, "o2,\"Org, Two,");
  const std::string expected =
      "organizations.csv:3: unterminated quoted field (the file is truncated or a quote is "
      "missing)";
  EXPECT_EQ(error_of(texts), expected);
  EXPECT_EQ(error_of(texts, /*skip=*/true), expected);
}

TEST(SyntheaReaderTest, ShortRowNamesItsLine) {
  auto texts = with_line(tiny(), "encounters.csv", 4, "e3,2020-01-02T09:30:00Z,p1,o2,emergency");
  EXPECT_EQ(error_of(texts),
            "encounters.csv:4: expected 7 fields as in the header, got 5 (short row)");
}

TEST(SyntheaReaderTest, TruncatedSampleFileNamesTheCutLine) {
  Result<std::string> full = read_text_file(kSampleDir + "/encounters.csv");
  ASSERT_TRUE(full.ok());
  std::map<std::string, std::string> texts;
  for (const char* f : {"organizations.csv", "patients.csv", "providers.csv"}) {
    texts[f] = *read_text_file(kSampleDir + "/" + f);
  }
  // Cut line 21 after its fifth field.
  std::size_t pos = 0;
  for (int i = 1; i < 21; ++i) pos = full->find('\n', pos) + 1;
  for (int commas = 0; commas < 5; ++pos) commas += (*full)[pos] == ',' ? 1 : 0;
  texts["encounters.csv"] = full->substr(0, pos - 1);
  EXPECT_EQ(error_of(texts),
            "encounters.csv:21: expected 15 fields as in the header, got 5 (short row)");
}

TEST(SyntheaReaderTest, StrayQuoteNamesTheLineAndField) {
  auto texts = with_line(tiny(), "encounters.csv", 2,
                         "e1,2020-01-01T10:00:00Z,p1,o1,ambu\"latory,185345009,1");
  EXPECT_EQ(error_of(texts), "encounters.csv:2: field 5: unexpected '\"' inside an unquoted field");
}

TEST(SyntheaReaderTest, UnknownReferencesAreNamed) {
  auto texts = with_line(tiny(), "encounters.csv", 2,
                         "e1,2020-01-01T10:00:00Z,p1,o9,ambulatory,185345009,1");
  EXPECT_EQ(error_of(texts),
            "encounters.csv:2: ORGANIZATION: unknown organisation 'o9' (not in organizations.csv)");
  texts = with_line(tiny(), "medications.csv", 2, "2020-01-01T10:00:00Z,p1,e7,313782,3");
  EXPECT_EQ(error_of(texts),
            "medications.csv:2: ENCOUNTER: unknown encounter 'e7' (not in encounters.csv)");
  texts = with_line(tiny(), "medications.csv", 2, "2020-01-01T10:00:00Z,p2,e1,313782,3");
  EXPECT_EQ(error_of(texts),
            "medications.csv:2: ENCOUNTER: encounter 'e1' is patient 'p1's, not 'p2's");
  texts = tiny();
  texts["claims.csv"] = "Id,PATIENTID,PROVIDERID,SERVICEDATE\nc1,p1,o1,2020-01-01T10:00:00Z\n";
  texts["claims_transactions.csv"] =
      "ID,CLAIMID,TYPE,AMOUNT,FROMDATE\nt1,c1,CHARGE,1.00,2020-01-01T10:00:00Z\nt2,c2,CHARGE,"
      "2.00,2020-01-01T10:00:00Z\n";
  EXPECT_EQ(error_of(texts),
            "claims_transactions.csv:3: CLAIMID: unknown claim 'c2' (not in claims.csv)");
}

TEST(SyntheaReaderTest, AChargeLineNeedsANonNegativeAmountAndUnits) {
  auto texts = tiny();
  texts["claims.csv"] = "Id,PATIENTID,PROVIDERID,SERVICEDATE\nc1,p1,o1,2020-01-01T10:00:00Z\n";
  const std::string header = "ID,CLAIMID,TYPE,AMOUNT,UNITS,FROMDATE\n";
  texts["claims_transactions.csv"] = header + "t1,c1,CHARGE,,1,2020-01-01T10:00:00Z\n";
  EXPECT_EQ(error_of(texts), "claims_transactions.csv:2: AMOUNT: a CHARGE line needs an AMOUNT");
  texts["claims_transactions.csv"] = header + "t1,c1,CHARGE,-3.00,1,2020-01-01T10:00:00Z\n";
  EXPECT_EQ(error_of(texts), "claims_transactions.csv:2: AMOUNT: negative CHARGE amount");
  texts["claims_transactions.csv"] = header + "t1,c1,CHARGE,3.00,0,2020-01-01T10:00:00Z\n";
  EXPECT_EQ(error_of(texts), "claims_transactions.csv:2: UNITS: a CHARGE bills at least 1 unit");
  // Without the AMOUNT column the TYPE is named; a PAYMENT needs no amount.
  texts["claims_transactions.csv"] =
      "ID,CLAIMID,TYPE,FROMDATE\nt1,c1,PAYMENT,2020-01-01T10:00:00Z\n"
      "t2,c1,CHARGE,2020-01-01T10:00:00Z\n";
  EXPECT_EQ(error_of(texts), "claims_transactions.csv:3: TYPE: a CHARGE line needs an AMOUNT");
}

TEST(SyntheaReaderTest, DuplicateIdsAreNamedWithTheFirstLine) {
  auto texts =
      with_line(tiny(), "encounters.csv", 4, "e1,2020-01-02T09:30:00Z,p1,o2,emergency,50849002,80");
  EXPECT_EQ(error_of(texts), "encounters.csv:4: Id: duplicate id 'e1' (first on line 2)");
}

TEST(SyntheaReaderTest, UnknownClaimLineTypeIsNamed) {
  auto texts = tiny();
  texts["claims.csv"] = "Id,PATIENTID,PROVIDERID,SERVICEDATE\nc1,p1,o1,2020-01-01T10:00:00Z\n";
  texts["claims_transactions.csv"] =
      "ID,CLAIMID,TYPE,FROMDATE\nt1,c1,REFUND,2020-01-01T10:00:00Z\n";
  EXPECT_EQ(error_of(texts),
            "claims_transactions.csv:2: TYPE: unknown type 'REFUND' (expected CHARGE, PAYMENT, "
            "ADJUSTMENT, TRANSFERIN or TRANSFEROUT)");
}

TEST(SyntheaReaderTest, SkipMalformedCountsDroppedRowsPerFileIncludingDanglingReferences) {
  auto texts = tiny();
  texts = with_line(texts, "encounters.csv", 2, "e1,2020-01-01T25:00:00Z,p1,o1,ambulatory,1,");
  texts = with_line(texts, "encounters.csv", 3, "e2,2020-01-01T11:00:00Z,p2");
  Result<SyntheaTrace> t = read(texts, /*skip=*/true);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->encounters.size(), 1u);
  EXPECT_EQ(t->encounters[0].id, "e3");
  // The medication of the dropped e1 dangles and is dropped too; e3's stays and points at
  // position 0 now.
  ASSERT_EQ(t->medications.size(), 1u);
  EXPECT_EQ(t->medications[0].encounter_index, 0u);
  const std::map<std::string, std::uint64_t> expected = {
      {"encounters.csv", 2}, {"medications.csv", 1}, {"organizations.csv", 0}, {"patients.csv", 0}};
  EXPECT_EQ(t->skipped_rows, expected);
  // Without the option the first bad row fails the read.
  EXPECT_THAT(error_of(texts), HasSubstr("encounters.csv:2: START: bad timestamp"));
}

TEST(SyntheaReaderTest, SkipMalformedDropsDuplicatesAndStrayQuotes) {
  auto texts = tiny();
  texts = with_line(texts, "patients.csv", 3, "p1,1950-01-01,");      // duplicate of line 2
  texts = with_line(texts, "organizations.csv", 3, "o2,Org\" Two,");  // stray quote
  Result<SyntheaTrace> t = read(texts, /*skip=*/true);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->skipped_rows.at("patients.csv"), 1u);
  EXPECT_EQ(t->skipped_rows.at("organizations.csv"), 1u);
  // e2 (patient p2, org o2) and e3 (org o2) dangle; e1 stays, and so does its medication.
  EXPECT_EQ(t->skipped_rows.at("encounters.csv"), 2u);
  EXPECT_EQ(t->skipped_rows.at("medications.csv"), 1u);
  EXPECT_EQ(t->encounters.size(), 1u);
}

TEST(SyntheaReaderTest, CentsAreParsedExactly) {
  EXPECT_EQ(parse_cents("129.16"), 12916);
  EXPECT_EQ(parse_cents("0"), 0);
  EXPECT_EQ(parse_cents("80"), 8000);
  EXPECT_EQ(parse_cents("-5.5"), -550);
  EXPECT_EQ(parse_cents("1.005"), 101);  // half away from zero
  EXPECT_EQ(parse_cents("1.0049"), 100);
  EXPECT_EQ(parse_cents("-1.005"), -101);
  EXPECT_EQ(parse_cents("0.129999"), 13);
  // An explicit plus sign is accepted (the fuzz target's sign-symmetry check found that the
  // header's grammar left it out).
  EXPECT_EQ(parse_cents("+21367.63"), 2136763);
  EXPECT_EQ(parse_cents("+0.005"), 1);
  for (const char* bad : {"", "-", "+", "+-1", "--1", ".5", "5.", "1e3", "1,000", " 1", "1 ",
                          "1.2.3", "abc", "1234567890123456"}) {
    EXPECT_FALSE(parse_cents(bad).has_value()) << "'" << bad << "'";
  }
}

}  // namespace
}  // namespace hlsim::trace
