// When clients submit: the open-loop arrival processes and the closed-loop parameters.
//
// Open loop (`poisson`, `daily`): each client is an independent non-homogeneous Poisson process of
// rate (rate_tps / clients) x m(t), where m(t) = profile(time of day) x burst(t). The profile is 24
// hourly weights normalised to mean 1 over a day, so rate_tps is the daily mean rate; `poisson`
// uses the flat profile. A day lasts day_ns of simulated time (workload.day_s), so a scenario can
// replay a whole day in a minute. Draws use thinning (Lewis & Shedler, 1979): candidates at the
// peak rate, each kept with probability m(t) / max m, two Rng outputs per candidate.
//
// Closed loop (`closed`): each client keeps one transaction outstanding; after its gateway commits
// it (or after timeout_ns without a commit) the client thinks for an exponential time of mean
// think_ns and submits the next. The simulator drives that; this header holds the parameters.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/kernel/result.h"
#include "sim/kernel/rng.h"
#include "sim/kernel/time.h"

namespace hlsim {

enum class ArrivalKind : std::uint8_t { kPoisson, kDaily, kClosed };

inline constexpr std::size_t kHoursPerDay = 24;
using DailyProfile = std::array<double, kHoursPerDay>;  // relative rate of each hour, mean 1

// The emergency-department arrival curve (Karaca et al., BMC Emerg Med 2012;12:15; NHAMCS):
// lowest just before 5 am, climbing from 5 am to a peak around noon that holds until 6 pm, then
// falling through the night. hlsim's hourly weights follow that description (peak : trough = 4 : 1;
// the 2.8-fold swing reported is of the ED census, which lags and smooths arrivals), normalised to
// mean 1.
const DailyProfile& ed_daily_profile();

// "ed", "flat", or 24 comma-separated non-negative weights (hour 0 first; at least one positive),
// normalised to mean 1. Errors name the key `key`.
Result<DailyProfile> parse_daily_profile(std::string_view text, std::string_view key);

struct ArrivalConfig {
  ArrivalKind kind = ArrivalKind::kPoisson;
  double rate_tps = 0;                 // all clients together, daily mean (open loop)
  TimeNs day_ns = 86'400 * kNsPerSec;  // simulated length of one day
  TimeNs start_of_day_ns = 0;          // time of day at t = 0 (workload.start_hour)
  DailyProfile profile{};              // kDaily; kPoisson is flat
  TimeNs burst_every_ns = 0;           // 0: no bursts
  TimeNs burst_duration_ns = 0;        // each burst starts at k x burst_every_ns
  double burst_factor = 1;             // rate multiplier during a burst
  TimeNs think_ns = kNsPerSec;         // kClosed: mean think time
  TimeNs timeout_ns = 30 * kNsPerSec;  // kClosed: give up waiting for a commit after this
};

// One client's open-loop arrivals. Immutable; thread-compatible.
class ArrivalProcess {
 public:
  // REQUIRES: clients >= 1.
  ArrivalProcess(const ArrivalConfig& config, std::uint32_t clients);

  // The next arrival after one at `after_ns` (-1 before the first), drawn from `rng`: not earlier
  // than after_ns (a zero gap rounds to the same nanosecond); kTimeNever when the rate is 0. With
  // a flat m(t) this is exactly one exponential draw per arrival.
  TimeNs next_after(TimeNs after_ns, Rng& rng) const;

  // m(t): the rate multiplier at t (profile x burst).
  double multiplier(TimeNs t_ns) const;
  double max_multiplier() const { return max_multiplier_; }
  // The mean of m(t) over [from_ns, to_ns) (1 when the interval is empty), summed exactly over
  // the pieces where m is constant (hours of the profile, bursts).
  double mean_multiplier(TimeNs from_ns, TimeNs to_ns) const;
  // Hour of day (0..23) at t.
  std::size_t hour_of_day(TimeNs t_ns) const;

 private:
  ArrivalConfig config_;
  double mean_gap_at_peak_ns_ = 0;  // 0: no arrivals
  double max_multiplier_ = 1;
  bool flat_ = true;  // m(t) == 1 everywhere: no thinning needed
};

const char* to_string(ArrivalKind k);

}  // namespace hlsim
