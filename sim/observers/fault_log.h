// When each fault was active: a window per condition (partition, degraded links, ...) from its
// start to its end, and per crash from the crash to the node's restart. Windows still open when
// the run ends have end_ns = -1. The results use it to show what each fault did to throughput and
// latency (sim/results/summary.h) and which faults were active in each second of the time series.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/kernel/time.h"

namespace hlsim {

struct FaultWindow {
  std::string fault;  // e.g. "partition a=[0] b=[1,2,3]", "crash node 2 (the leader)"
  TimeNs begin_ns = 0;
  TimeNs end_ns = -1;  // -1: active until the end of the run
};

class FaultLog {
 public:
  // A key names what can end the window: a condition's index in the schedule, or crash_key(node).
  static constexpr std::uint64_t crash_key(std::uint32_t node) {
    return (std::uint64_t{1} << 63) | node;
  }
  // Opens a window; a key already open is closed first (a node crashed twice without a restart
  // between cannot happen, but the log stays consistent if it did).
  void begin(std::uint64_t key, std::string what, TimeNs now_ns);
  // Closes the window open under `key`; nothing when none is.
  void end(std::uint64_t key, TimeNs now_ns);
  const std::vector<FaultWindow>& windows() const { return windows_; }

 private:
  std::vector<FaultWindow> windows_;  // in order of beginning
  std::map<std::uint64_t, std::size_t> open_;
};

}  // namespace hlsim
