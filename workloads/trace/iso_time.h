// ISO 8601 / xsd:dateTime timestamps as trace files write them, converted to nanoseconds since
// the Unix epoch (1970-01-01T00:00:00Z) by our own calendar arithmetic: no locale, no C library
// time functions, so the result is the same on every host.
//
// Accepted forms (exactly, nothing around them):
//   date       YYYY-MM-DD                              midnight UTC (Synthea's BIRTHDATE, ilmd)
//   date-time  YYYY-MM-DDThh:mm:ss[.f{1,9}][zone]      zone: Z, +hh:mm or -hh:mm
// Fields are range-checked against the proleptic Gregorian calendar (Feb 29 only in leap years,
// second 0..59, offsets up to ±14:00). Representable range: 1678-01-01 .. 2262-04-11 (int64 ns).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "sim/kernel/result.h"
#include "sim/kernel/time.h"

namespace hlsim::trace {

// Days from 1970-01-01 to the civil date y-m-d (negative before). REQUIRES: 1 <= m <= 12,
// 1 <= d <= days_in_month(y, m).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
bool is_leap_year(std::int64_t y);
unsigned days_in_month(std::int64_t y, unsigned m);

struct IsoTime {
  TimeNs wall_ns = 0;                          // the written wall-clock time read as if it were UTC
  std::optional<std::int32_t> offset_minutes;  // the written zone (Z = 0); nullopt when none
  bool date_only = false;
};

// Parses any accepted form. The error message says what is wrong (e.g. "month 13 is not in
// 1..12"), without the input; callers add the file, line, field and value.
Result<IsoTime> parse_iso_time(std::string_view text);

// A UTC offset as written in EPCIS eventTimeZoneOffset: +hh:mm, -hh:mm (or Z), in minutes.
Result<std::int32_t> parse_utc_offset_minutes(std::string_view text);

// The instant `text` names, in ns since the epoch. A date-time must carry its zone unless
// `default_offset_minutes` is given; a date is midnight UTC and is accepted only if `allow_date`.
Result<TimeNs> parse_instant_ns(std::string_view text, bool allow_date,
                                std::optional<std::int32_t> default_offset_minutes = std::nullopt);

}  // namespace hlsim::trace
