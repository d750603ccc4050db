#include "workloads/trace/iso_time.h"

#include <string>

namespace hlsim::trace {
namespace {

// Nanoseconds since the epoch must fit int64 (|seconds| < 9'223'372'036), also after applying a
// zone offset of up to 14 h (50'400 s) and adding a fraction below one second.
constexpr std::int64_t kMaxAbsSeconds = 9'223'372'036 - 50'400 - 2;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at text[pos..]; false if any is not a digit or the text is short.
bool digits(std::string_view text, std::size_t pos, std::size_t n, std::int64_t& out) {
  if (pos + n > text.size()) return false;
  std::int64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[pos + i];
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

Error range_error(const char* what, std::int64_t value, const char* range) {
  return Error{std::string(what) + " " + std::to_string(value) + " is not in " + range};
}

// "+hh:mm" / "-hh:mm" / "Z" at the whole of `text`.
Result<std::int32_t> parse_zone(std::string_view text) {
  if (text == "Z") return 0;
  std::int64_t hh = 0;
  std::int64_t mm = 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || !digits(text, 1, 2, hh) ||
      text[3] != ':' || !digits(text, 4, 2, mm)) {
    return Error{"expected a zone Z, +hh:mm or -hh:mm"};
  }
  if (mm > 59) return range_error("offset minute", mm, "0..59");
  if (hh > 14 || (hh == 14 && mm != 0)) return Error{"offset beyond ±14:00"};
  const std::int32_t minutes = static_cast<std::int32_t>(hh * 60 + mm);
  return text[0] == '-' ? -minutes : minutes;
}

}  // namespace

bool is_leap_year(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

// The civil-to-days conversion over 400-year eras (146097 days each), counting years from March
// so that the leap day falls at the end of a year; 719468 is the day number of 1970-01-01 from
// 0000-03-01.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t year_of_era = y - era * 400;                             // [0, 399]
  const std::int64_t month_from_march = m > 2 ? m - 3 : m + 9;                // [0, 11]
  const std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + d - 1;  // [0, 365]
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // [0, 146096]
  return era * 146097 + day_of_era - 719468;
}

Result<IsoTime> parse_iso_time(std::string_view text) {
  std::int64_t year = 0;
  std::int64_t month = 0;
  std::int64_t day = 0;
  if (!digits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day)) {
    return Error{"expected YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a zone"};
  }
  if (month < 1 || month > 12) return range_error("month", month, "1..12");
  const unsigned dim = days_in_month(year, static_cast<unsigned>(month));
  if (day < 1 || day > dim) {
    return Error{"day " + std::to_string(day) + " is not in 1.." + std::to_string(dim) + " for " +
                 std::string(text.substr(0, 7))};
  }
  IsoTime t;
  std::int64_t seconds =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86'400;
  std::int64_t fraction_ns = 0;
  if (text.size() == 10) {
    t.date_only = true;
  } else {
    std::int64_t hh = 0;
    std::int64_t mi = 0;
    std::int64_t ss = 0;
    if (text[10] != 'T' || !digits(text, 11, 2, hh) || text.size() < 19 || text[13] != ':' ||
        !digits(text, 14, 2, mi) || text[16] != ':' || !digits(text, 17, 2, ss)) {
      return Error{"expected YYYY-MM-DDThh:mm:ss after the date"};
    }
    if (hh > 23) return range_error("hour", hh, "0..23");
    if (mi > 59) return range_error("minute", mi, "0..59");
    if (ss > 59) return range_error("second", ss, "0..59");
    seconds += hh * 3600 + mi * 60 + ss;
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      std::size_t n = 0;
      std::int64_t scale = 100'000'000;
      while (pos < text.size() && is_digit(text[pos])) {
        if (n == 9) return Error{"more than 9 fractional digits"};
        fraction_ns += (text[pos] - '0') * scale;
        scale /= 10;
        ++pos;
        ++n;
      }
      if (n == 0) return Error{"expected digits after '.'"};
    }
    if (pos < text.size()) {
      Result<std::int32_t> zone = parse_zone(text.substr(pos));
      if (!zone) return zone.error();
      t.offset_minutes = *zone;
    }
  }
  if (seconds > kMaxAbsSeconds || seconds < -kMaxAbsSeconds) {
    return Error{"outside the representable years 1678..2262"};
  }
  t.wall_ns = seconds * kNsPerSec + fraction_ns;
  return t;
}

Result<std::int32_t> parse_utc_offset_minutes(std::string_view text) { return parse_zone(text); }

Result<TimeNs> parse_instant_ns(std::string_view text, bool allow_date,
                                std::optional<std::int32_t> default_offset_minutes) {
  Result<IsoTime> t = parse_iso_time(text);
  if (!t) return t.error();
  if (t->date_only) {
    if (!allow_date) return Error{"expected a date-time, got a date"};
    return t->wall_ns;
  }
  const std::optional<std::int32_t> offset =
      t->offset_minutes ? t->offset_minutes : default_offset_minutes;
  if (!offset) return Error{"no zone (Z or ±hh:mm)"};
  return t->wall_ns - static_cast<TimeNs>(*offset) * 60 * kNsPerSec;
}

}  // namespace hlsim::trace
