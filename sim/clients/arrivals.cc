#include "sim/clients/arrivals.h"

#include <algorithm>
#include <cmath>

#include "sim/kernel/distributions.h"
#include "sim/kernel/params.h"

namespace hlsim {
namespace {

DailyProfile normalised(DailyProfile p) {
  double sum = 0;
  for (double w : p) sum += w;
  for (double& w : p) w = w * static_cast<double>(kHoursPerDay) / sum;
  return p;
}

}  // namespace

const DailyProfile& ed_daily_profile() {
  // Hour 0 first. Trough at 4-5 am, climb from 5 am, plateau noon to 6 pm, evening decline.
  static const DailyProfile profile =
      normalised({0.55, 0.45, 0.40, 0.37, 0.35, 0.40, 0.55, 0.75, 0.95, 1.15, 1.30, 1.40,
                  1.45, 1.45, 1.42, 1.40, 1.38, 1.36, 1.25, 1.15, 1.05, 0.92, 0.78, 0.65});
  return profile;
}

Result<DailyProfile> parse_daily_profile(std::string_view text, std::string_view key) {
  if (text == "ed") return ed_daily_profile();
  DailyProfile p{};
  if (text == "flat") {
    p.fill(1.0);
    return p;
  }
  std::size_t hour = 0;
  std::size_t pos = 0;
  bool any_positive = false;
  while (pos <= text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    std::string item(text.substr(pos, comma - pos));
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    double w = 0;
    if (hour >= kHoursPerDay || !parse_double(item, w) || !(w >= 0) || !std::isfinite(w)) {
      return Error{std::string(key) +
                   ": expected 'ed', 'flat' or 24 comma-separated non-negative hourly weights, "
                   "got '" +
                   std::string(text) + "'"};
    }
    any_positive = any_positive || w > 0;
    p[hour++] = w;
    pos = comma + 1;
  }
  if (hour != kHoursPerDay || !any_positive) {
    return Error{std::string(key) +
                 ": expected 24 hourly weights with at least one positive, got " +
                 std::to_string(hour) + " in '" + std::string(text) + "'"};
  }
  return normalised(p);
}

const char* to_string(ArrivalKind k) {
  switch (k) {
    case ArrivalKind::kPoisson:
      return "poisson";
    case ArrivalKind::kDaily:
      return "daily";
    case ArrivalKind::kClosed:
      return "closed";
  }
  return "?";
}

ArrivalProcess::ArrivalProcess(const ArrivalConfig& config, std::uint32_t clients)
    : config_(config) {
  if (config_.kind != ArrivalKind::kDaily) config_.profile.fill(1.0);
  const double peak_profile = *std::max_element(config_.profile.begin(), config_.profile.end());
  const bool bursts =
      config_.burst_every_ns > 0 && config_.burst_duration_ns > 0 && config_.burst_factor != 1.0;
  max_multiplier_ = peak_profile * (bursts ? std::max(1.0, config_.burst_factor) : 1.0);
  flat_ = !bursts && std::all_of(config_.profile.begin(), config_.profile.end(),
                                 [](double w) { return w == 1.0; });
  if (config_.rate_tps > 0 && max_multiplier_ > 0) {
    mean_gap_at_peak_ns_ = 1e9 * clients / (config_.rate_tps * max_multiplier_);
  }
}

std::size_t ArrivalProcess::hour_of_day(TimeNs t_ns) const {
  const TimeNs day = config_.day_ns;
  TimeNs in_day = (config_.start_of_day_ns + t_ns) % day;
  if (in_day < 0) in_day += day;
  // in_day < day, so the hour is < 24; the product fits in 64 bits while day_ns <= 1000 days
  // (8.64e16 ns, the bound of workload.day_s).
  return static_cast<std::size_t>(in_day * static_cast<TimeNs>(kHoursPerDay) / day);
}

double ArrivalProcess::multiplier(TimeNs t_ns) const {
  double m = config_.profile[hour_of_day(t_ns)];
  if (config_.burst_every_ns > 0 && config_.burst_duration_ns > 0 && t_ns >= 0 &&
      t_ns % config_.burst_every_ns < config_.burst_duration_ns) {
    m *= config_.burst_factor;
  }
  return m;
}

double ArrivalProcess::mean_multiplier(TimeNs from_ns, TimeNs to_ns) const {
  if (to_ns <= from_ns) return 1.0;
  const TimeNs day = config_.day_ns;
  const bool bursts = config_.burst_every_ns > 0 && config_.burst_duration_ns > 0;
  double integral = 0;
  for (TimeNs t = from_ns; t < to_ns;) {
    // The next instant where m may change: the next hour of the day, or a burst's start or end.
    TimeNs in_day = (config_.start_of_day_ns + t) % day;
    if (in_day < 0) in_day += day;
    const auto hour = static_cast<TimeNs>(hour_of_day(t));
    const TimeNs next_hour_in_day = ((hour + 1) * day + static_cast<TimeNs>(kHoursPerDay) - 1) /
                                    static_cast<TimeNs>(kHoursPerDay);
    TimeNs next = t + std::max<TimeNs>(1, next_hour_in_day - in_day);
    if (bursts && t >= 0) {
      const TimeNs phase = t % config_.burst_every_ns;
      next =
          std::min(next, t + (phase < config_.burst_duration_ns ? config_.burst_duration_ns - phase
                                                                : config_.burst_every_ns - phase));
    }
    next = std::min(next, to_ns);
    integral += multiplier(t) * static_cast<double>(next - t);
    t = next;
  }
  return integral / static_cast<double>(to_ns - from_ns);
}

TimeNs ArrivalProcess::next_after(TimeNs after_ns, Rng& rng) const {
  if (mean_gap_at_peak_ns_ <= 0) return kTimeNever;
  TimeNs t = std::max<TimeNs>(after_ns, 0);
  if (flat_) return t + std::llround(sample_exponential(rng, mean_gap_at_peak_ns_));
  // Thinning: candidates of the peak-rate process, each kept with probability m(t) / max m.
  while (true) {
    t += std::llround(sample_exponential(rng, mean_gap_at_peak_ns_));
    if (rng.next_double() * max_multiplier_ < multiplier(t)) return t;
  }
}

}  // namespace hlsim
