// The simulated cost of ledger operations on one node's hardware.
//
// Crypto is always executed for real; the *simulated* time it takes comes from here, so results do
// not depend on the host. Profiles ship in results/profiles/*.yaml (loaded by the scenario layer).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include "ledger/crypto/signature.h"
#include "sim/kernel/time.h"

namespace hlsim {

struct HardwareProfile {
  std::string name = "default";
  double ed25519_sign_ns = 22'000;       // per signature
  double ed25519_verify_ns = 58'000;     // per verification
  double ecdsa_p256_sign_ns = 25'000;    // per signature (SHA-256 of the message included)
  double ecdsa_p256_verify_ns = 75'000;  // per verification
  double sha256_ns_per_call = 250;       // fixed cost per hash call
  double sha256_ns_per_byte = 2.2;       // per hashed byte
  double aes256gcm_ns_per_call = 300;    // fixed cost per seal/open (key schedule, tag)
  double aes256gcm_ns_per_byte = 0.4;    // per encrypted or decrypted byte
  double tx_execute_ns = 8'000;          // contract execution per transaction (excl. crypto)
  double storage_get_ns_per_op = 1'000;  // per state read
  double storage_get_ns_per_byte = 0.2;  // per byte read
  double storage_put_ns_per_op = 1'500;  // per state write
  double storage_put_ns_per_byte = 0.5;  // per written byte
  double block_fsync_ns = 0;             // per block persisted (0: no durable write modelled)
  double message_ns_per_byte = 0.2;      // encode/decode/copy cost per message byte
  double message_ns_per_call = 2'000;    // fixed per message sent or received (syscall, framing)

  TimeNs sign_cost_ns(SigScheme scheme) const {
    return round_ns(scheme == SigScheme::kEcdsaP256 ? ecdsa_p256_sign_ns : ed25519_sign_ns);
  }
  TimeNs verify_cost_ns(SigScheme scheme) const {
    return round_ns(scheme == SigScheme::kEcdsaP256 ? ecdsa_p256_verify_ns : ed25519_verify_ns);
  }
  TimeNs aead_cost_ns(std::uint64_t bytes) const {
    return round_ns(aes256gcm_ns_per_call + aes256gcm_ns_per_byte * static_cast<double>(bytes));
  }
  TimeNs get_cost_ns(std::uint64_t bytes) const {
    return round_ns(storage_get_ns_per_op + storage_get_ns_per_byte * static_cast<double>(bytes));
  }
  TimeNs hash_cost_ns(std::uint64_t bytes) const {
    return round_ns(sha256_ns_per_call + sha256_ns_per_byte * static_cast<double>(bytes));
  }
  TimeNs put_cost_ns(std::uint64_t bytes) const {
    return round_ns(storage_put_ns_per_op + storage_put_ns_per_byte * static_cast<double>(bytes));
  }
  TimeNs message_cost_ns(std::uint64_t bytes) const {
    return round_ns(message_ns_per_call + message_ns_per_byte * static_cast<double>(bytes));
  }

  static TimeNs round_ns(double ns) { return static_cast<TimeNs>(std::llround(ns)); }
};

// Every cost field by its profile (YAML) name, in the order profiles list them: one table for the
// loader, the results file and `hlsim calibrate`, so they cannot disagree.
struct HardwareProfileField {
  const char* name;
  double HardwareProfile::*member;
};
inline constexpr HardwareProfileField kHardwareProfileFields[] = {
    {"ed25519_sign_ns", &HardwareProfile::ed25519_sign_ns},
    {"ed25519_verify_ns", &HardwareProfile::ed25519_verify_ns},
    {"ecdsa_p256_sign_ns", &HardwareProfile::ecdsa_p256_sign_ns},
    {"ecdsa_p256_verify_ns", &HardwareProfile::ecdsa_p256_verify_ns},
    {"sha256_ns_per_call", &HardwareProfile::sha256_ns_per_call},
    {"sha256_ns_per_byte", &HardwareProfile::sha256_ns_per_byte},
    {"aes256gcm_ns_per_call", &HardwareProfile::aes256gcm_ns_per_call},
    {"aes256gcm_ns_per_byte", &HardwareProfile::aes256gcm_ns_per_byte},
    {"tx_execute_ns", &HardwareProfile::tx_execute_ns},
    {"storage_get_ns_per_op", &HardwareProfile::storage_get_ns_per_op},
    {"storage_get_ns_per_byte", &HardwareProfile::storage_get_ns_per_byte},
    {"storage_put_ns_per_op", &HardwareProfile::storage_put_ns_per_op},
    {"storage_put_ns_per_byte", &HardwareProfile::storage_put_ns_per_byte},
    {"block_fsync_ns", &HardwareProfile::block_fsync_ns},
    {"message_ns_per_byte", &HardwareProfile::message_ns_per_byte},
    {"message_ns_per_call", &HardwareProfile::message_ns_per_call},
};

}  // namespace hlsim
