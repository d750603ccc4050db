// Typed, documented module parameters.
//
// Every pluggable module (protocol, workload, topology, storage backend) declares its parameters
// as ParamSpecs: name, type, default, unit and help. The scenario loader validates the user's
// values against them (unknown names get a "did you mean"), `hlsim list` prints them, and the
// module reads typed values from ParamValues. Values are kept as canonical text, so a run's
// effective parameters can be written to its results exactly.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/kernel/result.h"

namespace hlsim {

enum class ParamType { kInt, kDouble, kBool, kString };
const char* to_string(ParamType t);

struct ParamSpec {
  std::string name;  // snake_case, with the unit as suffix where it has one (timeout_ms)
  ParamType type = ParamType::kDouble;
  std::string default_value;                              // canonical text
  std::string unit;                                       // "ms", "tx", "bytes", "" for none
  std::string help;                                       // one line
  double min = -std::numeric_limits<double>::infinity();  // inclusive bounds for numbers
  double max = std::numeric_limits<double>::infinity();
  std::vector<std::string> choices;  // allowed values for strings; empty means any
};

// Spec builders, so modules declare parameters in one line each. Bounds are inclusive.
ParamSpec int_param(std::string name, std::string default_value, std::string unit, std::string help,
                    double min = -std::numeric_limits<double>::infinity(),
                    double max = std::numeric_limits<double>::infinity());
ParamSpec number_param(std::string name, std::string default_value, std::string unit,
                       std::string help, double min = -std::numeric_limits<double>::infinity(),
                       double max = std::numeric_limits<double>::infinity());
ParamSpec string_param(std::string name, std::string default_value, std::string help,
                       std::vector<std::string> choices = {});
ParamSpec bool_param(std::string name, std::string default_value, std::string help);

class ParamValues {
 public:
  ParamValues() = default;

  // Validates `given` (name -> text) against `specs`; missing names take their defaults.
  // Errors name `key_prefix`.name, the bad value and what was expected, e.g.
  //   "consensus.heartbeat_ms: expected a number >= 1, got '0'"
  //   "consensus.hearbeat_ms: unknown key (did you mean 'heartbeat_ms'?)"
  static Result<ParamValues> parse(const std::vector<ParamSpec>& specs,
                                   const std::map<std::string, std::string>& given,
                                   std::string_view key_prefix);
  static ParamValues defaults(const std::vector<ParamSpec>& specs);

  // REQUIRES: name declared with the matching type (checked; a mismatch is a programming error).
  std::int64_t get_int(std::string_view name) const;
  double get_double(std::string_view name) const;
  bool get_bool(std::string_view name) const;
  const std::string& get_string(std::string_view name) const;

  // Effective values as canonical text, by name.
  const std::map<std::string, std::string, std::less<>>& values() const { return values_; }

 private:
  const std::string& raw(std::string_view name, ParamType type) const;
  std::map<std::string, std::string, std::less<>> values_;
  std::map<std::string, ParamType, std::less<>> types_;
};

// The candidate closest to `word` by edit distance, or "" when none is close (distance > 3 or
// more than half the word).
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// Parses a number / bool in the strict forms the scenario accepts. nullopt-like: false on error.
bool parse_int(std::string_view text, std::int64_t& out);
bool parse_double(std::string_view text, double& out);
bool parse_bool(std::string_view text, bool& out);

}  // namespace hlsim
