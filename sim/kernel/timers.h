// TimerTable: one LP's timer bookkeeping, so that a cancelled timer's event can stay in the
// event queue and be ignored when it fires (cancelling never searches the queue).
//
// Use: arm() when scheduling the timer's event and carry the id in the event; cancel(id) to
// cancel; when the event fires, act on it only if fire(id) returns true.
//
// Ids start at 1, increase and are never reused within a table, so a stale id can never match a
// later timer. Memory is proportional to the number of timers currently armed, never to the
// number ever armed: fire() and cancel() forget the id. Not thread-safe.
#pragma once

#include <cstddef>
#include <unordered_set>

#include "sim/kernel/ids.h"

namespace hlsim {

class TimerTable {
 public:
  // A new armed timer's id, greater than every id returned before.
  TimerId arm();

  // Disarms `id`. Cancelling an id that already fired, was cancelled or was never armed is a
  // no-op.
  void cancel(TimerId id);

  // True exactly once for an armed, uncancelled timer, which is then forgotten; false otherwise.
  bool fire(TimerId id);

  bool is_armed(TimerId id) const { return armed_.contains(id); }

  // Timers armed and neither fired nor cancelled.
  std::size_t armed() const { return armed_.size(); }

  // Disarms every timer; ids keep increasing.
  void clear() { armed_.clear(); }

 private:
  // Only looked up, never iterated, so the hash order cannot affect a run.
  std::unordered_set<TimerId> armed_;
  TimerId next_id_ = 1;
};

}  // namespace hlsim
