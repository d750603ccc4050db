#include "workloads/trace/text_file.h"

#include <fstream>
#include <sstream>

namespace hlsim::trace {

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot open"};
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return Error{path + ": read error"};
  return out.str();
}

}  // namespace hlsim::trace
