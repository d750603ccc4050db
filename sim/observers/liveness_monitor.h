// The liveness monitor: when did the honest validators stop making progress, and for how long.
//
// Progress is a new height first committed by an honest node. The monitor reports
//   * the longest interval without progress inside the submission window [0, duration), from the
//     first commit on: from a new height to the next, or to the end of the window when nothing
//     followed (the whole window when nothing was committed inside it); the start-up time to the
//     first commit is reported on its own;
//   * for every fault event (a crash, a restart), the time from the event to the next new height:
//     how long the system took to commit again after it (-1 when it never did before the run
//     ended). A crash's recovery time is the protocol's failover time (view change, election);
//     a restart's is how quickly the system was committing again once it had the node back.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/kernel/time.h"

namespace hlsim {

struct FaultRecovery {
  TimeNs fault_ns = 0;
  std::string fault;        // e.g. "crash node 2"
  TimeNs recovery_ns = -1;  // fault -> next new height; -1 when none followed
};

struct LivenessReport {
  TimeNs longest_gap_ns = 0;
  TimeNs longest_gap_start_ns = 0;
  TimeNs first_commit_ns = -1;  // -1 when nothing committed
  std::vector<FaultRecovery> recoveries;
};

class LivenessMonitor {
 public:
  // Times are the commit job's finish times, which arrive in non-decreasing order.
  void on_new_height(TimeNs now_ns);
  void on_fault(TimeNs now_ns, std::string what);
  // The report for a run whose submission window ends at window_end_ns.
  LivenessReport report(TimeNs window_end_ns) const;

 private:
  std::vector<TimeNs> commits_ns_;  // new heights, in time order
  std::vector<FaultRecovery> faults_;
};

}  // namespace hlsim
