#include "sim/observers/fault_log.h"

#include <utility>

namespace hlsim {

void FaultLog::begin(std::uint64_t key, std::string what, TimeNs now_ns) {
  end(key, now_ns);
  open_[key] = windows_.size();
  windows_.push_back({std::move(what), now_ns, -1});
}

void FaultLog::end(std::uint64_t key, TimeNs now_ns) {
  const auto it = open_.find(key);
  if (it == open_.end()) return;
  windows_[it->second].end_ns = now_ns;
  open_.erase(it);
}

}  // namespace hlsim
