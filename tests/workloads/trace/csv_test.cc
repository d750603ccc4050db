// RFC 4180 CSV: quoting, doubled quotes, CRLF, line numbers of multi-line records, and the
// malformed records (kept with an error) versus the fatal unterminated quote.
#include "workloads/trace/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hlsim::trace {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<CsvRecord> records(std::string_view text) {
  Result<std::vector<CsvRecord>> r = parse_csv_records(text, "t.csv");
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : std::vector<CsvRecord>{};
}

TEST(CsvTest, PlainRecordsWithLfOrCrlf) {
  for (std::string_view text : {"a,b,c\n1,2,3\n", "a,b,c\r\n1,2,3\r\n", "a,b,c\n1,2,3"}) {
    const std::vector<CsvRecord> r = records(text);
    ASSERT_EQ(r.size(), 2u) << text;
    EXPECT_THAT(r[0].fields, ElementsAre("a", "b", "c"));
    EXPECT_THAT(r[1].fields, ElementsAre("1", "2", "3"));
    EXPECT_EQ(r[1].line, 2u);
    EXPECT_TRUE(r[1].error.empty());
  }
}

TEST(CsvTest, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  const std::vector<CsvRecord> r = records(
      "id,name\n1,\"Clinic, P.C.\"\n2,\"The \"\"Riverside\"\" Group\"\n"
      "3,\"two\r\nlines\"\n4,\"\"\n5,\n");
  ASSERT_EQ(r.size(), 6u);
  EXPECT_THAT(r[1].fields, ElementsAre("1", "Clinic, P.C."));
  EXPECT_THAT(r[2].fields, ElementsAre("2", "The \"Riverside\" Group"));
  EXPECT_THAT(r[3].fields, ElementsAre("3", "two\r\nlines"));
  EXPECT_EQ(r[3].line, 4u);
  EXPECT_EQ(r[4].line, 6u);  // after the record that spans lines 4 and 5
  EXPECT_THAT(r[4].fields, ElementsAre("4", ""));
  EXPECT_THAT(r[5].fields, ElementsAre("5", ""));
}

TEST(CsvTest, AByteOrderMarkIsDropped) {
  const std::vector<CsvRecord> r = records("\xEF\xBB\xBFId,X\n1,2\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].fields[0], "Id");
}

TEST(CsvTest, AStrayQuoteMarksOnlyItsRecordMalformed) {
  const std::vector<CsvRecord> r = records("a,b\n1,x\"y\n2,3\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_THAT(r[1].error, HasSubstr("field 2: unexpected '\"' inside an unquoted field"));
  EXPECT_TRUE(r[1].fields.empty());
  EXPECT_THAT(r[2].fields, ElementsAre("2", "3"));
  EXPECT_EQ(r[2].line, 3u);
}

TEST(CsvTest, TextAfterAClosingQuoteMarksTheRecordMalformed) {
  const std::vector<CsvRecord> r = records("a,b\n1,\"x\"y\n2,3\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_THAT(r[1].error, HasSubstr("unexpected 'y' after a closing quote"));
  EXPECT_THAT(r[2].fields, ElementsAre("2", "3"));
}

TEST(CsvTest, AnUnterminatedQuoteFailsTheWholeParseAtTheLineItOpened) {
  Result<std::vector<CsvRecord>> r = parse_csv_records("a,b\n1,2\n3,\"open\n4,5\n", "t.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("t.csv:3: unterminated quoted field"));
}

TEST(CsvTest, FileRowsWithTheWrongFieldCountCarryAnError) {
  Result<CsvFile> f = parse_csv_file("A,B,C\n1,2,3\n1,2\n1,2,3,4\n", "t.csv");
  ASSERT_TRUE(f.ok()) << f.error().message;
  ASSERT_EQ(f->rows.size(), 3u);
  EXPECT_TRUE(f->rows[0].error.empty());
  EXPECT_EQ(f->rows[1].error, "expected 3 fields as in the header, got 2 (short row)");
  EXPECT_EQ(f->rows[1].line, 3u);
  EXPECT_EQ(f->rows[2].error, "expected 3 fields as in the header, got 4");
  EXPECT_EQ(f->column("B"), 1u);
  EXPECT_FALSE(f->column("D").has_value());
}

TEST(CsvTest, HeaderProblemsNameTheFile) {
  Result<CsvFile> empty = parse_csv_file("", "e.csv");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "e.csv:1: empty file (expected a header line)");
  Result<CsvFile> dup = parse_csv_file("A,B,A\n", "d.csv");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().message, "d.csv:1: header: column 'A' appears twice");
  Result<CsvFile> blank = parse_csv_file("A,,C\n", "b.csv");
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().message, "b.csv:1: header: empty column name");
}

}  // namespace
}  // namespace hlsim::trace
