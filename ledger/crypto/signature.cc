#include "ledger/crypto/signature.h"

#include <cstring>
#include <stdexcept>
#include <variant>

#include "ledger/crypto/ecdsa_p256.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/encoding.h"

namespace hlsim {

const char* to_string(SigScheme scheme) {
  switch (scheme) {
    case SigScheme::kEd25519:
      return "ed25519";
    case SigScheme::kEcdsaP256:
      return "ecdsa-p256";
  }
  return "unknown";
}

std::optional<SigScheme> parse_sig_scheme(std::string_view name) {
  if (name == "ed25519") return SigScheme::kEd25519;
  if (name == "ecdsa-p256") return SigScheme::kEcdsaP256;
  return std::nullopt;
}

std::size_t public_key_bytes(SigScheme scheme) {
  return scheme == SigScheme::kEcdsaP256 ? ecdsa_p256::kPublicKeyBytes : ed25519::kPublicKeyBytes;
}

std::size_t signature_bytes_max(SigScheme scheme) {
  return scheme == SigScheme::kEcdsaP256 ? ecdsa_p256::kSignatureBytesMax
                                         : ed25519::kSignatureBytes;
}

namespace {

bool known_scheme(std::uint8_t v) {
  return v == static_cast<std::uint8_t>(SigScheme::kEd25519) ||
         v == static_cast<std::uint8_t>(SigScheme::kEcdsaP256);
}

}  // namespace

std::optional<PublicKey> PublicKey::from_bytes(SigScheme scheme, ByteView raw) {
  if (raw.size() != public_key_bytes(scheme)) return std::nullopt;
  PublicKey k;
  k.scheme = scheme;
  k.size = static_cast<std::uint8_t>(raw.size());
  std::memcpy(k.bytes.data(), raw.data(), raw.size());
  return k;
}

void PublicKey::encode_to(Writer& w) const {
  w.u8(static_cast<std::uint8_t>(scheme));
  w.raw(view());
}

std::optional<PublicKey> PublicKey::decode_from(Reader& r) {
  std::uint8_t scheme = 0;
  if (!r.u8(scheme) || !known_scheme(scheme)) return std::nullopt;
  PublicKey k;
  k.scheme = static_cast<SigScheme>(scheme);
  k.size = static_cast<std::uint8_t>(public_key_bytes(k.scheme));
  if (!r.raw(k.bytes.data(), k.size)) return std::nullopt;
  return k;
}

std::size_t PublicKeyHasher::operator()(const PublicKey& k) const noexcept {
  // Both schemes' keys are uniformly distributed from byte 1 on (byte 0 of a SEC1 key is 0x04).
  std::size_t v;
  std::memcpy(&v, k.bytes.data() + 1, sizeof v);
  return v ^ static_cast<std::size_t>(k.scheme);
}

std::optional<Signature> Signature::from_bytes(ByteView raw) {
  if (raw.size() > kCapacity) return std::nullopt;
  Signature s;
  s.size = static_cast<std::uint8_t>(raw.size());
  std::memcpy(s.bytes.data(), raw.data(), raw.size());
  return s;
}

void Signature::encode_to(Writer& w) const {
  w.u8(size);
  w.raw(view());
}

std::optional<Signature> Signature::decode_from(Reader& r) {
  std::uint8_t size = 0;
  if (!r.u8(size) || size > kCapacity) return std::nullopt;
  Signature s;
  s.size = size;
  if (!r.raw(s.bytes.data(), size)) return std::nullopt;
  return s;
}

struct SigningKey::Impl {
  std::variant<ed25519::PrivateKey, ecdsa_p256::PrivateKey> key;
};

SigningKey SigningKey::ed25519_from_seed(const std::array<std::uint8_t, 32>& seed) {
  ed25519::PrivateKey k = ed25519::PrivateKey::from_seed(seed);
  SigningKey out;
  out.public_key_ = *PublicKey::from_bytes(SigScheme::kEd25519, k.public_key());
  out.impl_ = std::make_shared<const Impl>(Impl{std::move(k)});
  return out;
}

std::optional<SigningKey> SigningKey::ecdsa_p256_from_scalar(
    const std::array<std::uint8_t, 32>& d) {
  std::optional<ecdsa_p256::PrivateKey> k = ecdsa_p256::PrivateKey::from_scalar(d);
  if (!k) return std::nullopt;
  SigningKey out;
  out.public_key_ = *PublicKey::from_bytes(SigScheme::kEcdsaP256, k->public_key());
  out.impl_ = std::make_shared<const Impl>(Impl{std::move(*k)});
  return out;
}

SigningKey SigningKey::derive(std::uint64_t run_seed, std::string_view identity, SigScheme scheme) {
  if (scheme == SigScheme::kEd25519) {
    return ed25519_from_seed(ed25519::PrivateKey::derive_seed(run_seed, identity));
  }
  ecdsa_p256::PrivateKey k = ecdsa_p256::PrivateKey::derive(run_seed, identity);
  SigningKey out;
  out.public_key_ = *PublicKey::from_bytes(SigScheme::kEcdsaP256, k.public_key());
  out.impl_ = std::make_shared<const Impl>(Impl{std::move(k)});
  return out;
}

Signature SigningKey::sign(ByteView message) const {
  if (!impl_) throw std::logic_error("SigningKey::sign on a default-constructed key");
  if (const auto* ed = std::get_if<ed25519::PrivateKey>(&impl_->key)) {
    const ed25519::SignatureBytes sig = ed->sign(message);
    return *Signature::from_bytes(sig);
  }
  const Bytes der = std::get<ecdsa_p256::PrivateKey>(impl_->key).sign(message);
  std::optional<Signature> sig = Signature::from_bytes(der);
  if (!sig) throw std::runtime_error("ECDSA P-256 signature longer than 72 bytes");
  return *sig;
}

bool verify_signature(const PublicKey& key, ByteView message, const Signature& signature) {
  switch (key.scheme) {
    case SigScheme::kEd25519:
      return ed25519::verify(key.view(), message, signature.view());
    case SigScheme::kEcdsaP256:
      return ecdsa_p256::verify(key.view(), message, signature.view());
  }
  return false;
}

}  // namespace hlsim
