// Fuzzes the EPCIS 1.2 XML reader (read_epcis_xml, workloads/trace/epcis_xml.h).
//
// Input: one flags byte (bit 0: skip_malformed), then the document. Properties: every input gives
// a document or an Error, never a crash, leak or hang; without skip_malformed nothing is
// skipped.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "workloads/trace/epcis_xml.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  hlsim::trace::EpcisReadOptions options;
  options.skip_malformed = (data[0] & 1) != 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto doc = hlsim::trace::read_epcis_xml(text, "fuzz.xml", options);
  if (doc.ok() && !options.skip_malformed) {
    hlsim::fuzz::check(doc->skipped_events == 0, "nothing skipped without skip_malformed");
  }
  return 0;
}
