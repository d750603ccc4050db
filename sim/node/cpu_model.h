// A node's CPU: `cores` identical cores, each running one job at a time, FIFO.
//
// A job is one call into the node (a message, timer or client transaction handled by the protocol).
// Its duration is the simulated cost of the work it did (hardware profile). A job starts on the
// core that frees up first and occupies it until it finishes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/kernel/time.h"

namespace hlsim {

class CpuModel {
 public:
  explicit CpuModel(std::uint32_t cores) : free_at_ns_(cores, 0) {}

  // The earliest time any core is free.
  TimeNs earliest_free_ns() const {
    return *std::min_element(free_at_ns_.begin(), free_at_ns_.end());
  }

  // Occupies the first-free core from start_ns for duration_ns and returns the finish time.
  // REQUIRES: start_ns >= earliest_free_ns(), duration_ns >= 0.
  TimeNs run(TimeNs start_ns, TimeNs duration_ns) {
    auto core = std::min_element(free_at_ns_.begin(), free_at_ns_.end());
    *core = start_ns + duration_ns;
    busy_ns_ += duration_ns;
    ++jobs_;
    return *core;
  }

  // A crash loses whatever was running: every core is free from `now_ns`.
  void reset(TimeNs now_ns) { std::fill(free_at_ns_.begin(), free_at_ns_.end(), now_ns); }

  std::uint32_t cores() const { return static_cast<std::uint32_t>(free_at_ns_.size()); }
  TimeNs busy_ns() const { return busy_ns_; }
  std::uint64_t jobs() const { return jobs_; }

 private:
  std::vector<TimeNs> free_at_ns_;
  TimeNs busy_ns_ = 0;
  std::uint64_t jobs_ = 0;
};

}  // namespace hlsim
