// The machine's memory, for the commands that refuse runs that cannot fit (commands.h).
#include <fstream>
#include <string>

#include "apps/hlsim/commands.h"

namespace hlsim::app {

double machine_memory_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::string unit;
  double kib = 0;
  while (in >> key >> kib >> unit) {
    if (key == "MemTotal:") return kib * 1024;
  }
  return 0;
}

}  // namespace hlsim::app
