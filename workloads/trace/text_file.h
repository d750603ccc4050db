// Whole-file reading for the trace readers: the bytes of a file, or an error naming its path.
#pragma once

#include <string>

#include "sim/kernel/result.h"

namespace hlsim::trace {

Result<std::string> read_text_file(const std::string& path);

}  // namespace hlsim::trace
