#include <cstdlib>

#include "apps/hlsim/commands.h"

namespace hlsim::app {

std::string data_dir() {
  if (const char* env = std::getenv("HLSIM_DATA_DIR"); env != nullptr && *env != '\0') return env;
  return HLSIM_DEFAULT_DATA_DIR;
}

}  // namespace hlsim::app
