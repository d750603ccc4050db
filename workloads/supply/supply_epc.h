// Electronic product codes (EPCs) of the drug supply chain workload, and the organisations' roles.
//
// An EPC is one 64-bit id, a compact stand-in for GS1's identifiers:
//
//   bit 63      1: a logistic unit (SSCC: a case or a pallet), 0: a saleable unit (SGTIN)
//   bits 40-62  the issuing organisation (its GS1 company prefix): for an SGTIN the manufacturer
//               (whose one product is the GTIN), for an SSCC the organisation that packed it
//   bits 0-39   the serial, from a per-organisation counter starting at 0
//
// So serials are unique per issuer by construction, and an id alone says who may create it. The
// generator's counters never reach 2^39 (that is 5.5e11 units per organisation), so serials with
// bit 39 set are never issued: counterfeits draw theirs from there. The contract does not know
// this convention; it denies such serials because the state has never seen them.
#pragma once

#include <cstdint>

namespace hlsim::supply {

inline constexpr std::uint64_t kContainerBit = std::uint64_t{1} << 63;
inline constexpr int kSerialBits = 40;
inline constexpr std::uint64_t kSerialMask = (std::uint64_t{1} << kSerialBits) - 1;
inline constexpr std::uint32_t kMaxOrganisations = std::uint32_t{1} << 23;
// Serials from here on are never issued by an honest organisation.
inline constexpr std::uint64_t kUnissuedSerialBit = std::uint64_t{1} << 39;
// "No parent container" (0 is never a container id: containers have bit 63 set).
inline constexpr std::uint64_t kNoParent = 0;

// REQUIRES: org < kMaxOrganisations, serial <= kSerialMask.
constexpr std::uint64_t make_item(std::uint32_t org, std::uint64_t serial) {
  return (std::uint64_t{org} << kSerialBits) | serial;
}
constexpr std::uint64_t make_container(std::uint32_t org, std::uint64_t serial) {
  return kContainerBit | make_item(org, serial);
}
constexpr bool is_container(std::uint64_t epc) { return (epc & kContainerBit) != 0; }
constexpr std::uint32_t issuer_of(std::uint64_t epc) {
  return static_cast<std::uint32_t>((epc & ~kContainerBit) >> kSerialBits);
}
constexpr std::uint64_t serial_of(std::uint64_t epc) { return epc & kSerialMask; }

enum class Role : std::uint8_t { kManufacturer, kWholesaler, kPharmacy };

// Organisations 0..manufacturers-1 are manufacturers, the next `wholesalers` are wholesalers,
// the rest (up to organisations-1) are pharmacies. Clients are organisations.
struct Roles {
  std::uint32_t manufacturers = 0;
  std::uint32_t wholesalers = 0;
  std::uint32_t organisations = 0;

  constexpr Role of(std::uint32_t org) const {
    if (org < manufacturers) return Role::kManufacturer;
    if (org < manufacturers + wholesalers) return Role::kWholesaler;
    return Role::kPharmacy;
  }
  constexpr std::uint32_t first_pharmacy() const { return manufacturers + wholesalers; }
  constexpr std::uint32_t pharmacies() const { return organisations - first_pharmacy(); }
};

}  // namespace hlsim::supply
