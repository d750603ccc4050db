// Fuzzes the scenario loader: YAML text -> validated Scenario (sim/scenario/scenario.h).
//
// Input: the scenario text. Relative paths in it (topology CSV, trace folders, profile files)
// resolve against an empty temporary folder made once per process, so they name nothing; named
// hardware profiles come from the source tree's results/profiles/. Properties: every input gives
// a Scenario or an Error, never a crash, leak or hang; and (with HLSIM_FUZZ_STRICT_SCENARIO=1, see
// strict()) a loaded scenario's effective_yaml ("exactly what ran") loads again to itself.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "fuzz/fuzz_check.h"
#include "sim/scenario/scenario.h"

namespace {

// An empty folder under the system's temporary directory, made on first use and removed at exit.
class TempDir {
 public:
  TempDir() {
    path_ = (std::filesystem::temp_directory_path() / "hlsim-scenario-fuzz-XXXXXX").string();
    if (mkdtemp(path_.data()) == nullptr) std::abort();
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The effective_yaml fixed-point check runs only with HLSIM_FUZZ_STRICT_SCENARIO=1. Duplicate keys,
// which broke it (fuzz/regressions/scenario/), are now rejected by the loader, and
// tests/sim/scenario/effective_yaml_test.cc checks the property for every shipped and corpus
// scenario; it stays opt-in until a long strict campaign has run clean, so that CI's short slice
// cannot fail on a finding nobody has triaged.
bool strict() {
  static const bool on = [] {
    const char* v = std::getenv("HLSIM_FUZZ_STRICT_SCENARIO");
    return v != nullptr && std::string_view(v) == "1";
  }();
  return on;
}

const std::string& base_dir() {
  static const TempDir dir;
  return dir.path();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto loaded =
      hlsim::load_scenario_text(text, "fuzz.yaml", {}, base_dir(), HLSIM_SOURCE_DIR);
  if (!loaded.ok() || !strict()) return 0;
  const auto again = hlsim::load_scenario_text(loaded->effective_yaml, "effective.yaml", {},
                                               base_dir(), HLSIM_SOURCE_DIR);
  if (!again.ok()) {
    std::fprintf(stderr, "--- effective_yaml:\n%s\n--- fails to load: %s\n",
                 loaded->effective_yaml.c_str(), again.error().message.c_str());
    hlsim::fuzz::check(false, "effective_yaml of a loaded scenario loads again");
  }
  if (again->effective_yaml != loaded->effective_yaml) {
    std::fprintf(stderr, "--- effective_yaml of the input:\n%s\n--- loaded again:\n%s\n",
                 loaded->effective_yaml.c_str(), again->effective_yaml.c_str());
    hlsim::fuzz::check(false, "effective_yaml is a fixed point of loading");
  }
  return 0;
}
