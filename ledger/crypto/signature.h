// Digital signatures behind one interface, the scheme chosen per scenario: Ed25519 (RFC 8032,
// the default) or ECDSA P-256 with SHA-256 (DER signatures, RFC 6979 deterministic nonces).
//
// Keys are derived deterministically from (run seed, identity, scheme), and signing is
// deterministic for both schemes, so a run is reproducible byte for byte. verify_signature() is
// true only when OpenSSL positively verified the signature; every error is a rejection.
//
// PublicKey and Signature are small values with inline storage (no allocation) whose unused tail
// is always zero, so the defaulted comparisons compare exactly the meaningful bytes.
//
// Canonical encodings (ledger/encoding.h), used by transactions, votes and blocks:
//   public key = u8 scheme | key bytes (32 for Ed25519; 65, uncompressed SEC1, for ECDSA P-256)
//   signature  = u8 length | signature bytes (64 for Ed25519; 8..72 DER for ECDSA P-256)
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "ledger/bytes.h"

namespace hlsim {

class Writer;
class Reader;

enum class SigScheme : std::uint8_t {
  kEd25519 = 1,
  kEcdsaP256 = 2,
};

// "ed25519" / "ecdsa-p256".
const char* to_string(SigScheme scheme);
std::optional<SigScheme> parse_sig_scheme(std::string_view name);
// Raw public key length of `scheme`.
std::size_t public_key_bytes(SigScheme scheme);
// The largest signature of `scheme` (the Ed25519 size is also the only one).
std::size_t signature_bytes_max(SigScheme scheme);

struct PublicKey {
  static constexpr std::size_t kCapacity = 65;
  SigScheme scheme = SigScheme::kEd25519;
  std::uint8_t size = 0;
  std::array<std::uint8_t, kCapacity> bytes{};

  auto operator<=>(const PublicKey&) const = default;
  ByteView view() const { return {bytes.data(), size}; }
  // A key of `scheme` from its raw bytes; nullopt when the length is wrong for the scheme. (Whether
  // the bytes are a valid point is decided by verification, which rejects invalid keys.)
  static std::optional<PublicKey> from_bytes(SigScheme scheme, ByteView raw);

  void encode_to(Writer& w) const;
  // nullopt on an unknown scheme or truncated input.
  static std::optional<PublicKey> decode_from(Reader& r);
  std::size_t encoded_size() const { return 1 + size; }
};

struct PublicKeyHasher {
  std::size_t operator()(const PublicKey& k) const noexcept;
};

struct Signature {
  static constexpr std::size_t kCapacity = 72;
  std::uint8_t size = 0;
  std::array<std::uint8_t, kCapacity> bytes{};

  auto operator<=>(const Signature&) const = default;
  ByteView view() const { return {bytes.data(), size}; }
  // nullopt when longer than kCapacity.
  static std::optional<Signature> from_bytes(ByteView raw);

  void encode_to(Writer& w) const;
  // nullopt on truncated input or a length above kCapacity.
  static std::optional<Signature> decode_from(Reader& r);
  std::size_t encoded_size() const { return 1 + size; }
};

// A private key of either scheme. Copyable: copies share the immutable OpenSSL key.
class SigningKey {
 public:
  // Deterministic from (run seed, identity); Ed25519 keys are those of earlier hlsim versions.
  static SigningKey derive(std::uint64_t run_seed, std::string_view identity,
                           SigScheme scheme = SigScheme::kEd25519);
  // An Ed25519 key from its 32-byte RFC 8032 seed.
  static SigningKey ed25519_from_seed(const std::array<std::uint8_t, 32>& seed);
  // An ECDSA P-256 key from its big-endian scalar; nullopt unless 1 <= d < n.
  static std::optional<SigningKey> ecdsa_p256_from_scalar(const std::array<std::uint8_t, 32>& d);

  SigScheme scheme() const { return public_key_.scheme; }
  const PublicKey& public_key() const { return public_key_; }
  // Deterministic. REQUIRES: not default-constructed (throws std::logic_error).
  Signature sign(ByteView message) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
  PublicKey public_key_;
};

// True only when `signature` is a valid signature of `message` under `key` (of key.scheme).
bool verify_signature(const PublicKey& key, ByteView message, const Signature& signature);

}  // namespace hlsim
