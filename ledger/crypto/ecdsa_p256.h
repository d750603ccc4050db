// ECDSA over NIST P-256 with SHA-256 (FIPS 186-4, SEC 1), deterministic per RFC 6979, through
// OpenSSL 3.
//
// Signing is deterministic: the nonce comes from RFC 6979 §3.2 (HMAC-SHA-256) over the private key
// and SHA-256(message), so a run's signatures, and with them its message sizes, are a pure function
// of the seed. Signatures are DER ECDSA-Sig-Value and are not normalised to low s (RFC 6979's
// vectors reproduce exactly). ECDSA signatures are malleable: whoever holds a valid (r, s) can make
// (r, n - s), which verifies too, so a signature's bytes must not serve as an identifier.
//
// verify() returns true only when OpenSSL positively verified the signature; every OpenSSL error
// and every malformed input is a rejection, never "valid", and never an exception.
//
// Thread safety: PrivateKey is immutable and may be shared by threads; every function may be called
// from any thread. OpenSSL objects that are reused across calls are per thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "ledger/bytes.h"

namespace hlsim::ecdsa_p256 {

inline constexpr std::size_t kPublicKeyBytes = 65;     // uncompressed SEC1: 0x04 || X || Y
inline constexpr std::size_t kSignatureBytesMax = 72;  // DER ECDSA-Sig-Value, at most 72 bytes
using PublicKeyBytes = std::array<std::uint8_t, kPublicKeyBytes>;

// A private key with its public key. Always valid: there is no empty state (no default constructor,
// and moving copies, which costs one reference count). Cheap to copy: copies share one immutable
// implementation, which wipes the secret scalar when the last copy goes.
class PrivateKey {
 public:
  // The scalar d as 32 big-endian bytes; nullopt unless 1 <= d < n (the group order).
  static std::optional<PrivateKey> from_scalar(const std::array<std::uint8_t, 32>& d);
  // Deterministic: d = SHA-256("hlsim-ecdsa-key-v1" || run_seed (u64 LE) || identity ||
  // counter (u32 LE)), taking the first counter = 0, 1, ... that gives 1 <= d < n.
  static PrivateKey derive(std::uint64_t run_seed, std::string_view identity);
  // The scalar derive() uses, for tools that export keys (`hlsim crypto keygen`).
  static std::array<std::uint8_t, 32> derive_scalar(std::uint64_t run_seed,
                                                    std::string_view identity);

  PrivateKey(const PrivateKey&) = default;
  PrivateKey& operator=(const PrivateKey&) = default;
  ~PrivateKey() = default;

  const PublicKeyBytes& public_key() const;
  // Deterministic ECDSA (RFC 6979 §3.2 nonce, HMAC-SHA-256) over SHA-256(message); returns the
  // DER signature (70-72 bytes typically, kSignatureBytesMax at most). Same key and message give
  // the same bytes on every platform.
  Bytes sign(ByteView message) const;

 private:
  struct Impl;
  explicit PrivateKey(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// True only when OpenSSL positively verifies `der_signature` over SHA-256(message) under the
// uncompressed SEC1 key `public_key` (65 bytes, 0x04 prefix). Any OpenSSL error, malformed or
// non-canonical DER, trailing bytes, r or s outside [1, n - 1], a key of the wrong length or form,
// or a point not on the curve gives false; never throws for bad input.
bool verify(ByteView public_key, ByteView message, ByteView der_signature);

// For tools: accepts an uncompressed SEC1 point (65 bytes, 0x04 prefix), a compressed SEC1 point
// (33 bytes, 0x02 or 0x03 prefix) or a DER SubjectPublicKeyInfo holding a named P-256 key, and
// returns the uncompressed SEC1 bytes. nullopt when malformed, trailed by extra bytes, of another
// curve or algorithm, the point at infinity, a hybrid (0x06 / 0x07) encoding, or not on the curve.
std::optional<PublicKeyBytes> parse_public_key(ByteView sec1_or_spki);

namespace detail {
// a^-1 mod n for 1 <= a < n, as 32 big-endian bytes. The signer's own constant-time inversion
// (OpenSSL 3.0's public BIGNUM inversion costs half a signature); exposed so that tests can check
// it against BN_mod_inverse. Throws std::invalid_argument unless 1 <= a < n.
std::array<std::uint8_t, 32> inverse_mod_order(const std::array<std::uint8_t, 32>& a);
}  // namespace detail

}  // namespace hlsim::ecdsa_p256
