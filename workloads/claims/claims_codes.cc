#include "workloads/claims/claims_codes.h"

namespace hlsim::claims {
namespace {

constexpr std::array<ProcedureCode, kCodeCount> kCodes = {{
    {99211, "office visit, established, minimal", 2'300, true, 0, 1, Plan::kBasic},
    {99212, "office visit, established, straightforward", 5'700, true, 10, 1, Plan::kBasic},
    {99213, "office visit, established, low complexity", 9'200, true, 20, 1, Plan::kBasic},
    {99214, "office visit, established, moderate complexity", 13'000, true, 30, 1, Plan::kBasic},
    {99215, "office visit, established, high complexity", 18'300, true, 40, 1, Plan::kBasic},
    {36415, "venipuncture", 300, false, 0, 1, Plan::kBasic},
    {85025, "complete blood count", 800, false, 0, 1, Plan::kBasic},
    {80053, "comprehensive metabolic panel", 1'100, false, 0, 1, Plan::kBasic},
    {81002, "urinalysis, non-automated", 350, false, 0, 1, Plan::kBasic},
    {90471, "immunisation administration", 2'000, false, 0, 1, Plan::kBasic},
    {90686, "influenza vaccine", 2'000, false, 0, 1, Plan::kBasic},
    {93000, "electrocardiogram, 12 leads", 1'600, false, 0, 1, Plan::kStandard},
    {71046, "chest X-ray, 2 views", 3'400, false, 0, 1, Plan::kStandard},
    {97110, "therapeutic exercise, each 15 min", 2'900, false, 0, 4, Plan::kComprehensive},
    {20610, "arthrocentesis or injection, major joint", 6'500, false, 0, 1, Plan::kComprehensive},
}};

}  // namespace

std::span<const ProcedureCode, kCodeCount> code_table() { return kCodes; }

std::optional<ProcedureCode> find_code(std::uint32_t code) {
  for (const ProcedureCode& c : kCodes) {
    if (c.code == code) return c;
  }
  return std::nullopt;
}

bool plan_covers(Plan plan, const ProcedureCode& code) {
  return static_cast<std::uint8_t>(plan) >= static_cast<std::uint8_t>(code.min_plan);
}

}  // namespace hlsim::claims
