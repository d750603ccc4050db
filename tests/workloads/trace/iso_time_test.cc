// ISO 8601 timestamps to ns since the epoch: our own calendar arithmetic against known instants
// and a day-counting oracle; leap years, zones, fractions, and every malformed form.
#include "workloads/trace/iso_time.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace hlsim::trace {
namespace {

using ::testing::HasSubstr;

TimeNs instant(const std::string& text) {
  Result<TimeNs> t = parse_instant_ns(text, /*allow_date=*/true);
  EXPECT_TRUE(t.ok()) << text << ": " << t.error().message;
  return t.ok() ? *t : 0;
}

std::string error_of(const std::string& text, bool allow_date = true) {
  Result<TimeNs> t = parse_instant_ns(text, allow_date);
  EXPECT_FALSE(t.ok()) << text << " parsed as " << (t.ok() ? *t : 0);
  return t.ok() ? "" : t.error().message;
}

TEST(IsoTimeTest, DaysFromCivilMatchesCountingDaysOneByOne) {
  // Oracle: walk day by day from 1970-01-01 forwards and backwards over 1600..2400.
  std::int64_t days = 0;
  for (std::int64_t y = 1970; y <= 2400; ++y) {
    for (unsigned m = 1; m <= 12; ++m) {
      for (unsigned d = 1; d <= days_in_month(y, m); ++d) {
        ASSERT_EQ(days_from_civil(y, m, d), days) << y << "-" << m << "-" << d;
        ++days;
      }
    }
  }
  days = -1;
  for (std::int64_t y = 1969; y >= 1600; --y) {
    for (unsigned m = 12; m >= 1; --m) {
      for (unsigned d = days_in_month(y, m); d >= 1; --d) {
        ASSERT_EQ(days_from_civil(y, m, d), days) << y << "-" << m << "-" << d;
        --days;
      }
    }
  }
}

TEST(IsoTimeTest, KnownInstantsInUtc) {
  EXPECT_EQ(instant("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(instant("2012-11-21T12:33:09Z"), 1'353'501'189 * kNsPerSec);
  EXPECT_EQ(instant("1969-12-31T23:59:59Z"), -kNsPerSec);
  EXPECT_EQ(instant("1900-01-01"), -2'208'988'800 * kNsPerSec);
}

TEST(IsoTimeTest, LeapYearsFollowTheGregorianRules) {
  EXPECT_TRUE(is_leap_year(2024));
  EXPECT_TRUE(is_leap_year(2000));   // divisible by 400
  EXPECT_FALSE(is_leap_year(1900));  // divisible by 100 only
  EXPECT_FALSE(is_leap_year(2023));
  EXPECT_EQ(instant("2000-02-29"), 951'782'400 * kNsPerSec);
  EXPECT_EQ(instant("2000-03-01") - instant("2000-02-28"), 2 * 86'400 * kNsPerSec);
  EXPECT_EQ(instant("1900-03-01") - instant("1900-02-28"), 86'400 * kNsPerSec);
  EXPECT_EQ(instant("2024-02-29T23:59:59Z") + kNsPerSec, instant("2024-03-01T00:00:00Z"));
  EXPECT_THAT(error_of("1900-02-29"), HasSubstr("day 29 is not in 1..28 for 1900-02"));
  EXPECT_THAT(error_of("2023-02-29T00:00:00Z"), HasSubstr("day 29 is not in 1..28"));
  EXPECT_THAT(error_of("2024-04-31"), HasSubstr("day 31 is not in 1..30"));
}

TEST(IsoTimeTest, ZonesShiftToUtc) {
  const TimeNs utc = instant("2024-03-04T13:00:00Z");
  EXPECT_EQ(utc, 1'709'557'200 * kNsPerSec);
  EXPECT_EQ(instant("2024-03-04T08:00:00-05:00"), utc);
  EXPECT_EQ(instant("2024-03-04T18:30:00+05:30"), utc);
  EXPECT_EQ(instant("2024-03-04T13:00:00+00:00"), utc);
  // Across a day boundary.
  EXPECT_EQ(instant("2024-03-05T00:30:00+11:30"), utc);
}

TEST(IsoTimeTest, AZonelessTimeTakesTheDefaultOffsetOrFails) {
  Result<TimeNs> t = parse_instant_ns("2024-03-04T08:00:00", false, -300);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(*t, instant("2024-03-04T13:00:00Z"));
  EXPECT_THAT(error_of("2024-03-04T08:00:00"), HasSubstr("no zone"));
  // A written zone wins over the default.
  Result<TimeNs> z = parse_instant_ns("2024-03-04T13:00:00Z", false, -300);
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(*z, instant("2024-03-04T13:00:00Z"));
}

TEST(IsoTimeTest, FractionsUpToNanoseconds) {
  const TimeNs base = instant("2024-03-04T13:00:00Z");
  EXPECT_EQ(instant("2024-03-04T13:00:00.5Z"), base + 500'000'000);
  EXPECT_EQ(instant("2024-03-04T13:00:00.116Z"), base + 116'000'000);
  EXPECT_EQ(instant("2024-03-04T13:00:00.123456789Z"), base + 123'456'789);
  EXPECT_THAT(error_of("2024-03-04T13:00:00.1234567891Z"), HasSubstr("more than 9"));
  EXPECT_THAT(error_of("2024-03-04T13:00:00.Z"), HasSubstr("digits after '.'"));
}

TEST(IsoTimeTest, DatesOnlyWhereAllowed) {
  EXPECT_THAT(error_of("2024-03-04", /*allow_date=*/false), HasSubstr("expected a date-time"));
  Result<IsoTime> t = parse_iso_time("2024-03-04");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->date_only);
  EXPECT_FALSE(t->offset_minutes.has_value());
}

TEST(IsoTimeTest, OutOfRangeFieldsAreNamed) {
  EXPECT_THAT(error_of("2012-13-01T00:00:00Z"), HasSubstr("month 13 is not in 1..12"));
  EXPECT_THAT(error_of("2012-00-01"), HasSubstr("month 0 is not in 1..12"));
  EXPECT_THAT(error_of("2012-11-00"), HasSubstr("day 0 is not in 1..30"));
  EXPECT_THAT(error_of("2012-11-21T24:00:00Z"), HasSubstr("hour 24 is not in 0..23"));
  EXPECT_THAT(error_of("2012-11-21T12:60:00Z"), HasSubstr("minute 60 is not in 0..59"));
  EXPECT_THAT(error_of("2012-11-21T12:33:60Z"), HasSubstr("second 60 is not in 0..59"));
  EXPECT_THAT(error_of("2012-11-21T12:33:09+15:00"), HasSubstr("beyond ±14:00"));
  EXPECT_THAT(error_of("2012-11-21T12:33:09+05:60"), HasSubstr("offset minute 60"));
}

TEST(IsoTimeTest, MalformedTextIsRejected) {
  for (const char* bad :
       {"", "2012", "12-11-21", "2012-11-21 12:33:09Z", "2012-11-21T12:33Z", "2012-11-21T12:33:09z",
        "2012-11-21T12:33:09Zx", "2012-11-21T12:33:09+0500", "2012-11-21T12:33:09 ", " 2012-11-21",
        "2012-1-21", "2012/11/21", "２０１２-11-21", "2012-11-21T1a:33:09Z"}) {
    Result<TimeNs> t = parse_instant_ns(bad, /*allow_date=*/true);
    EXPECT_FALSE(t.ok()) << "'" << bad << "' parsed";
  }
}

TEST(IsoTimeTest, InstantsOutsideInt64NanosecondsAreRejected) {
  EXPECT_THAT(error_of("2263-01-01"), HasSubstr("representable"));
  EXPECT_THAT(error_of("1677-01-01"), HasSubstr("representable"));
  EXPECT_THAT(error_of("0001-01-01T00:00:00Z"), HasSubstr("representable"));
  EXPECT_GT(instant("2262-01-01T00:00:00-14:00"), instant("2261-12-31T00:00:00Z"));
}

TEST(IsoTimeTest, UtcOffsetsAsEpcisWritesThem) {
  EXPECT_EQ(*parse_utc_offset_minutes("-05:00"), -300);
  EXPECT_EQ(*parse_utc_offset_minutes("+05:30"), 330);
  EXPECT_EQ(*parse_utc_offset_minutes("+00:00"), 0);
  EXPECT_EQ(*parse_utc_offset_minutes("Z"), 0);
  EXPECT_FALSE(parse_utc_offset_minutes("-5:00").ok());
  EXPECT_FALSE(parse_utc_offset_minutes("05:00").ok());
  EXPECT_FALSE(parse_utc_offset_minutes("").ok());
}

}  // namespace
}  // namespace hlsim::trace
