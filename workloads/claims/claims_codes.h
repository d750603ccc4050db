// The claims workload's built-in procedure code table, fee schedule and benefit plans.
//
// A small CPT-like table: the five office E/M levels for an established patient (99211-99215)
// and ten common procedures. Fee-schedule maxima are illustrative, of the order of the 2024
// Medicare Physician Fee Schedule and Clinical Laboratory Fee Schedule national amounts (not
// exact figures); a line may bill at most units x fee_max_cents. Office E/M levels carry the
// minimum documented total time on the date of the encounter that supports them (AMA CPT office
// E/M guidelines since 2021: 99212 10 min, 99213 20, 99214 30, 99215 40; 99211 has none).
//
// Plans: member coverage. Basic covers the E/M levels, labs and immunisation; Standard adds ECG
// and chest X-ray; Comprehensive adds physical therapy and joint injection.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace hlsim::claims {

enum class Plan : std::uint8_t { kBasic = 0, kStandard = 1, kComprehensive = 2 };
inline constexpr std::uint8_t kPlanCount = 3;

struct ProcedureCode {
  std::uint32_t code = 0;            // CPT-like number, e.g. 99213
  const char* description = "";      // short text, for documentation only
  std::uint64_t fee_max_cents = 0;   // fee-schedule maximum per unit
  bool office_em = false;            // an office E/M level (99211-99215)
  std::uint16_t em_min_minutes = 0;  // office E/M: documented minutes that support the level
  std::uint16_t units_max = 1;       // most units an honest line bills (timed codes bill several)
  Plan min_plan = Plan::kBasic;      // the cheapest plan that covers it
};

inline constexpr std::size_t kCodeCount = 15;
inline constexpr std::size_t kEmLevelCount = 5;  // the first five codes, lowest level first

// The table, office E/M levels first (99211..99215 in level order), then the procedures.
std::span<const ProcedureCode, kCodeCount> code_table();

// The entry for `code`, or nullopt for a code outside the table.
std::optional<ProcedureCode> find_code(std::uint32_t code);

// True if `plan` covers `code`. REQUIRES: code is in the table.
bool plan_covers(Plan plan, const ProcedureCode& code);

}  // namespace hlsim::claims
