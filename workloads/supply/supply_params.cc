#include "workloads/supply/supply_params.h"

#include <cmath>
#include <string>

#include "workloads/supply/supply_payloads.h"

namespace hlsim::supply {

const std::vector<ParamSpec>& supply_param_specs() {
  static const std::vector<ParamSpec> specs = {
      int_param("manufacturers", "2", "organisations",
                "clients 0..manufacturers-1 are manufacturers; they commission, pack and ship "
                "(default: design assumption, a small network)",
                1, kMaxOrganisations),
      int_param("wholesalers", "3", "organisations",
                "the next clients are wholesalers, the rest pharmacies (default: the three largest "
                "US wholesalers carry 85-90% of manufacturers' sales; industry reports)",
                0, kMaxOrganisations),
      int_param("units_per_case", "4", "units",
                "saleable units packed into a case (default: GS1 US DSCSA guideline example, 12 "
                "units into 3 cases into 1 pallet)",
                1, 1000),
      int_param("cases_per_pallet", "3", "cases",
                "cases packed onto a pallet; a manufacturer commissions one pallet's units per "
                "event (default: GS1 US DSCSA guideline example)",
                1, 1000),
      number_param("big_wholesaler_share", "0.87", "",
                   "share of manufacturers' shipments going to the three largest wholesalers "
                   "(the first three), split evenly; the others share the rest (default: midpoint "
                   "of 85-90%, industry reports; irrelevant with three or fewer wholesalers)",
                   0, 1),
      number_param("pharmacy_zipf_s", "0.5", "",
                   "Zipf exponent of pharmacy popularity when wholesalers pick where to ship a "
                   "case; 0 is uniform (default: design assumption)",
                   0, 10),
      number_param("shelf_life_days", "730", "days",
                   "expiry of a commissioned lot after its commissioning, in workload days "
                   "(workload.day_s); dispensing at or after expiry is denied (default: design "
                   "assumption, a two-year shelf life)",
                   1e-6, 36'500),
      number_param("decommission_fraction", "0.01", "",
                   "share of a pharmacy's units decommissioned (damaged) instead of dispensed; "
                   "expired units are always decommissioned (default: design assumption)",
                   0, 1),
      number_param("counterfeit_fraction", "0.01", "",
                   "share of drafts that are injected counterfeits, split evenly among unknown "
                   "serial, double dispense and broken custody (default: design assumption)",
                   0, 1),
      int_param("event_bytes", "600", "bytes",
                "payload size of a one-EPC event (default: EPCIS 2.0 JSON event 0.5-0.75 KB, GS1 "
                "examples)",
                1, kMaxFillBytes),
      int_param("epc_bytes", "60", "bytes",
                "payload bytes per EPC beyond the first (default: ~60 B per extra EPC, GS1 "
                "examples)",
                0, 65'536),
  };
  return specs;
}

Result<SupplyConfig> supply_config(const ParamValues& values, const WorkloadSetup& setup) {
  SupplyConfig c;
  const auto manufacturers = static_cast<std::uint64_t>(values.get_int("manufacturers"));
  const auto wholesalers = static_cast<std::uint64_t>(values.get_int("wholesalers"));
  if (setup.clients < manufacturers + wholesalers + 1) {
    return Error{
        "workload.clients: the supply workload needs at least manufacturers + "
        "wholesalers + 1 = " +
        std::to_string(manufacturers + wholesalers + 1) +
        " organisations (clients) so that at least one is a pharmacy (workload."
        "manufacturers = " +
        std::to_string(manufacturers) + ", workload.wholesalers = " + std::to_string(wholesalers) +
        "), got " + std::to_string(setup.clients)};
  }
  if (setup.clients > kMaxOrganisations) {
    return Error{"workload.clients: expected at most " + std::to_string(kMaxOrganisations) +
                 " organisations (the EPC encoding's company prefix), got " +
                 std::to_string(setup.clients)};
  }
  c.roles = Roles{static_cast<std::uint32_t>(manufacturers),
                  static_cast<std::uint32_t>(wholesalers), setup.clients};

  c.units_per_case = static_cast<std::uint32_t>(values.get_int("units_per_case"));
  c.cases_per_pallet = static_cast<std::uint32_t>(values.get_int("cases_per_pallet"));
  const std::uint64_t pallet_nodes =
      1 + std::uint64_t{c.cases_per_pallet} * (1 + std::uint64_t{c.units_per_case});
  if (pallet_nodes > kMaxEpcsPerEvent) {
    return Error{
        "workload.cases_per_pallet: a pallet (1 + cases_per_pallet * (1 + "
        "units_per_case) EPCs) must fit one event of at most " +
        std::to_string(kMaxEpcsPerEvent) + " EPCs, got " + std::to_string(pallet_nodes)};
  }
  c.event_bytes = static_cast<std::uint32_t>(values.get_int("event_bytes"));
  c.epc_bytes = static_cast<std::uint32_t>(values.get_int("epc_bytes"));
  const std::uint64_t largest_bytes = c.event_bytes + c.epc_bytes * (pallet_nodes - 1);
  if (largest_bytes > kMaxFillBytes) {
    return Error{"workload.epc_bytes: a pallet's ship event would be padded to " +
                 std::to_string(largest_bytes) +
                 " bytes (event_bytes + epc_bytes per extra "
                 "EPC), above the " +
                 std::to_string(kMaxFillBytes) + "-byte payload fill limit"};
  }

  c.big_wholesaler_share = values.get_double("big_wholesaler_share");
  c.pharmacy_zipf_s = values.get_double("pharmacy_zipf_s");
  c.shelf_life_ns = static_cast<TimeNs>(
      std::llround(values.get_double("shelf_life_days") * static_cast<double>(setup.day_ns)));
  if (c.shelf_life_ns <= 0) {
    return Error{
        "workload.shelf_life_days: expected a shelf life of at least 1 ns of simulated "
        "time (with workload.day_s), got " +
        values.values().at("shelf_life_days")};
  }
  c.decommission_fraction = values.get_double("decommission_fraction");
  c.counterfeit_fraction = values.get_double("counterfeit_fraction");
  return c;
}

}  // namespace hlsim::supply
