// Fuzzes the Synthea CSV reader (read_synthea_files and parse_cents,
// workloads/trace/synthea_reader.h).
//
// Input: one flags byte (bit 0: skip_malformed; bit 1: a non-empty folder name for messages),
// then the files' texts separated by form feeds ('\f', which no CSV file here contains), in the
// order of kFiles: the k-th section is that file's text; files past the last section are absent
// (so the optional ones can be left out, and the required ones too). Every field of every line is
// also given to parse_cents. Properties: no crash, leak or hang; parse_cents is symmetric under a
// leading minus sign (it rounds half away from zero); a trace read without skip_malformed has
// skipped nothing.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "workloads/trace/synthea_reader.h"

namespace {

constexpr std::array<const char*, 7> kFiles = {
    "organizations.csv", "patients.csv", "encounters.csv",          "providers.csv",
    "medications.csv",   "claims.csv",   "claims_transactions.csv",
};

void check_cents(std::string_view field) {
  const auto cents = hlsim::trace::parse_cents(field);
  if (!cents || field.front() == '-' || field.front() == '+') return;
  const auto negated = hlsim::trace::parse_cents("-" + std::string(field));
  if (!negated || *negated != -*cents) {
    std::fprintf(stderr, "parse_cents('%.*s') = %lld, of '-%.*s': %s\n",
                 static_cast<int>(field.size()), field.data(), static_cast<long long>(*cents),
                 static_cast<int>(field.size()), field.data(),
                 negated ? std::to_string(*negated).c_str() : "nullopt");
    hlsim::fuzz::check(false, "parse_cents(-x) == -parse_cents(x)");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  hlsim::trace::ReadOptions options;
  options.skip_malformed = (data[0] & 1) != 0;
  const std::string dir = (data[0] & 2) != 0 ? "trace" : "";
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);

  std::map<std::string, std::string> texts;
  for (const char* file : kFiles) {
    const std::size_t end = rest.find('\f');
    texts[file] = std::string(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  for (const auto& [file, text] : texts) {
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      if (i == text.size() || text[i] == ',' || text[i] == '\n') {
        check_cents(std::string_view(text).substr(start, i - start));
        start = i + 1;
      }
    }
  }

  const auto trace = hlsim::trace::read_synthea_files(texts, dir, options);
  if (trace.ok() && !options.skip_malformed) {
    for (const auto& [file, rows] : trace->skipped_rows) {
      hlsim::fuzz::check(rows == 0, "nothing skipped without skip_malformed");
    }
  }
  return 0;
}
