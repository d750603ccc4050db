// Ed25519 signatures through OpenSSL 3 EVP (RFC 8032, pure Ed25519).
//
// Keys are derived deterministically from (run seed, identity) so that a run is reproducible.
// verify() returns true only when OpenSSL positively verified the signature; every OpenSSL error
// is a rejection, never "valid".
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "ledger/bytes.h"

namespace hlsim {

struct PublicKey {
  std::array<std::uint8_t, 32> bytes{};
  auto operator<=>(const PublicKey&) const = default;
  ByteView view() const { return {bytes.data(), bytes.size()}; }
};

struct Signature {
  std::array<std::uint8_t, 64> bytes{};
  auto operator<=>(const Signature&) const = default;
  ByteView view() const { return {bytes.data(), bytes.size()}; }
};

// A private key. Holds an OpenSSL EVP_PKEY (RAII); copyable (shares the immutable key).
class SigningKey {
 public:
  // From a 32-byte RFC 8032 private key seed.
  static SigningKey from_seed(const std::array<std::uint8_t, 32>& seed);
  // Deterministic: seed = SHA-256("hlsim-key-v1" || run_seed (u64 LE) || identity).
  static SigningKey derive(std::uint64_t run_seed, std::string_view identity);
  // The 32-byte seed derive() uses, for tools that export keys.
  static std::array<std::uint8_t, 32> derive_seed(std::uint64_t run_seed,
                                                  std::string_view identity);

  Signature sign(ByteView message) const;
  const PublicKey& public_key() const { return public_key_; }

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
  PublicKey public_key_;
};

bool ed25519_verify(const PublicKey& key, ByteView message, const Signature& signature);

}  // namespace hlsim
