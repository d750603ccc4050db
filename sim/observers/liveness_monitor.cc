// LivenessMonitor (liveness_monitor.h).
#include "sim/observers/liveness_monitor.h"

#include <algorithm>
#include <utility>

namespace hlsim {

void LivenessMonitor::on_new_height(TimeNs now_ns) {
  commits_ns_.push_back(now_ns);
  for (FaultRecovery& f : faults_) {
    if (f.recovery_ns < 0 && now_ns >= f.fault_ns) f.recovery_ns = now_ns - f.fault_ns;
  }
}

void LivenessMonitor::on_fault(TimeNs now_ns, std::string what) {
  faults_.push_back(FaultRecovery{now_ns, std::move(what), -1});
}

LivenessReport LivenessMonitor::report(TimeNs window_end_ns) const {
  LivenessReport r;
  r.recoveries = faults_;
  if (!commits_ns_.empty()) r.first_commit_ns = commits_ns_.front();
  if (commits_ns_.empty() || commits_ns_.front() >= window_end_ns) {
    r.longest_gap_ns = window_end_ns;  // no progress at all inside the window
    return r;
  }
  // Gaps are measured from the first commit on: start-up (the first election, the first block)
  // is reported as first_commit_ns instead.
  TimeNs previous_ns = commits_ns_.front();
  auto consider = [&](TimeNs from_ns, TimeNs to_ns) {
    if (to_ns - from_ns > r.longest_gap_ns) {
      r.longest_gap_ns = to_ns - from_ns;
      r.longest_gap_start_ns = from_ns;
    }
  };
  for (TimeNs t : commits_ns_) {
    if (t > window_end_ns) break;
    consider(previous_ns, t);
    previous_ns = t;
  }
  consider(previous_ns, std::max(previous_ns, window_end_ns));
  return r;
}

}  // namespace hlsim
