// Ed25519 (RFC 8032, pure Ed25519) through OpenSSL 3 EVP: the backend behind SigningKey and
// verify_signature (ledger/crypto/signature.h) for SigScheme::kEd25519.
//
// verify() returns true only when OpenSSL positively verified the signature; every OpenSSL error,
// a wrong length or a small-order public key is a rejection, never "valid".
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "ledger/bytes.h"

namespace hlsim::ed25519 {

inline constexpr std::size_t kPublicKeyBytes = 32;
inline constexpr std::size_t kSignatureBytes = 64;
using PublicKeyBytes = std::array<std::uint8_t, kPublicKeyBytes>;
using SignatureBytes = std::array<std::uint8_t, kSignatureBytes>;

// A private key: an OpenSSL EVP_PKEY (RAII); copies share the immutable key.
class PrivateKey {
 public:
  // From a 32-byte RFC 8032 private key seed.
  static PrivateKey from_seed(const std::array<std::uint8_t, 32>& seed);
  // The seed SigningKey::derive uses: SHA-256("hlsim-key-v1" || run_seed (u64 LE) || identity).
  static std::array<std::uint8_t, 32> derive_seed(std::uint64_t run_seed,
                                                  std::string_view identity);

  const PublicKeyBytes& public_key() const { return public_key_; }
  SignatureBytes sign(ByteView message) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
  PublicKeyBytes public_key_{};
};

bool verify(ByteView public_key, ByteView message, ByteView signature);

}  // namespace hlsim::ed25519
