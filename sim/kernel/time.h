// Virtual time. The simulation's only clock: int64 nanoseconds since the start of a run.
// Nothing in sim/, consensus/ or workloads/ reads a host clock; time advances only through the
// kernel's event queue.
#pragma once

#include <cstdint>
#include <limits>

namespace hlsim {

using TimeNs = std::int64_t;

inline constexpr TimeNs kNsPerUs = 1'000;
inline constexpr TimeNs kNsPerMs = 1'000'000;
inline constexpr TimeNs kNsPerSec = 1'000'000'000;
inline constexpr TimeNs kTimeNever = std::numeric_limits<TimeNs>::max();

constexpr TimeNs ms_to_ns(double ms) {
  return static_cast<TimeNs>(ms * 1e6 + (ms >= 0 ? 0.5 : -0.5));
}
constexpr TimeNs s_to_ns(double s) { return static_cast<TimeNs>(s * 1e9 + (s >= 0 ? 0.5 : -0.5)); }
constexpr double ns_to_ms(TimeNs ns) { return static_cast<double>(ns) / 1e6; }
constexpr double ns_to_s(TimeNs ns) { return static_cast<double>(ns) / 1e9; }

}  // namespace hlsim
