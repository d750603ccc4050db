// Runs the hlsim binary under test as a user would, for the CLI test suites.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace hlsim_cli {

inline const std::string kBinary = HLSIM_BINARY;

struct Output {
  int status;        // the exit status, -1 when the process did not exit normally
  std::string text;  // stdout and stderr
};

// `hlsim <args>` through the shell (so args may quote and redirect), waiting for it to exit.
inline Output hlsim(const std::string& args) {
  Output out{0, ""};
  FILE* pipe = popen((kBinary + " " + args + " 2>&1").c_str(), "r");
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), pipe) != nullptr) out.text += buf.data();
  const int raw = pclose(pipe);
  out.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return out;
}

}  // namespace hlsim_cli
