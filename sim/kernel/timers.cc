#include "sim/kernel/timers.h"

namespace hlsim {

TimerId TimerTable::arm() {
  const TimerId id = next_id_++;
  armed_.insert(id);
  return id;
}

void TimerTable::cancel(TimerId id) { armed_.erase(id); }

bool TimerTable::fire(TimerId id) { return armed_.erase(id) == 1; }

}  // namespace hlsim
