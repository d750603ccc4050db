#include "ledger/crypto/ed25519.h"

#include <openssl/evp.h>

#include <cstring>
#include <stdexcept>
#include <unordered_map>

#include "ledger/crypto/openssl_util.h"
#include "ledger/crypto/sha256.h"
#include "ledger/encoding.h"

namespace hlsim::ed25519 {

namespace {

constexpr std::size_t kKeyBytes = kPublicKeyBytes;

ossl::MdCtxPtr new_md_ctx() {
  ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) ossl::throw_error("EVP_MD_CTX_new");
  return ctx;
}

// The y-coordinates (little-endian, sign bit cleared) of the points of order 1, 2, 4 and 8,
// including the two non-canonical encodings p and p + 1. A public key on this list lets anyone
// forge signatures that pass cofactorless verification for a fraction of messages (R = identity,
// s = 0), so such keys are refused outright, as libsodium does.
constexpr std::uint8_t kSmallOrderY[][kKeyBytes] = {
    // 0: order 4
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
    // 1: order 1 (the identity)
    {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
    // order 8
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
     0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
     0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
    // order 8
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
     0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
     0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
    // p - 1: order 2
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    // p (non-canonical 0): order 4
    {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    // p + 1 (non-canonical 1): order 1
    {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
};

bool has_small_order(ByteView key) {
  for (const auto& y : kSmallOrderY) {
    std::uint8_t diff = static_cast<std::uint8_t>((key[kKeyBytes - 1] & 0x7f) ^ y[kKeyBytes - 1]);
    for (std::size_t i = 0; i + 1 < kKeyBytes; ++i) diff |= key[i] ^ y[i];
    if (diff == 0) return true;
  }
  return false;
}

// Public keys already parsed into OpenSSL objects, per thread. Building an EVP_PKEY from raw bytes
// costs a few microseconds (a few percent of a verification), and a run verifies many signatures
// from few signers. Per thread so no OpenSSL object is shared; cleared wholesale when full, which
// only costs rebuilding keys. The cache never affects a result: it holds parsed keys, not answers.
class PublicKeyCache {
 public:
  // The parsed key, or nullptr if OpenSSL refuses the bytes.
  EVP_PKEY* get(const PublicKeyBytes& key) {
    if (auto it = keys_.find(key); it != keys_.end()) return it->second.get();
    ossl::PkeyPtr pkey(
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.data(), key.size()));
    if (!pkey) return nullptr;
    if (keys_.size() >= kCapacity) keys_.clear();
    return keys_.emplace(key, std::move(pkey)).first->second.get();
  }

 private:
  static constexpr std::size_t kCapacity = std::size_t{1} << 14;
  struct KeyHash {
    std::size_t operator()(const PublicKeyBytes& k) const noexcept {
      std::size_t v;
      std::memcpy(&v, k.data(), sizeof v);
      return v;
    }
  };
  std::unordered_map<PublicKeyBytes, ossl::PkeyPtr, KeyHash> keys_;
};

}  // namespace

struct PrivateKey::Impl {
  ossl::PkeyPtr pkey;
};

PrivateKey PrivateKey::from_seed(const std::array<std::uint8_t, 32>& seed) {
  auto impl = std::make_shared<Impl>();
  impl->pkey.reset(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  if (!impl->pkey) ossl::throw_error("EVP_PKEY_new_raw_private_key(ED25519)");
  PrivateKey key;
  std::size_t len = key.public_key_.size();
  if (EVP_PKEY_get_raw_public_key(impl->pkey.get(), key.public_key_.data(), &len) != 1) {
    ossl::throw_error("EVP_PKEY_get_raw_public_key");
  }
  if (len != kKeyBytes) throw std::runtime_error("OpenSSL: Ed25519 public key has wrong length");
  key.impl_ = std::move(impl);
  return key;
}

std::array<std::uint8_t, 32> PrivateKey::derive_seed(std::uint64_t run_seed,
                                                     std::string_view identity) {
  Writer w(12 + 8 + identity.size());
  w.raw(as_bytes("hlsim-key-v1"));
  w.u64(run_seed);
  w.raw(as_bytes(identity));
  return sha256(w.data()).bytes;
}

SignatureBytes PrivateKey::sign(ByteView message) const {
  if (!impl_) throw std::logic_error("ed25519::PrivateKey::sign on a default-constructed key");
  ossl::MdCtxPtr ctx = new_md_ctx();
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->pkey.get()) != 1) {
    ossl::throw_error("EVP_DigestSignInit(ED25519)");
  }
  SignatureBytes sig{};
  std::size_t len = sig.size();
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()) != 1) {
    ossl::throw_error("EVP_DigestSign(ED25519)");
  }
  if (len != kSignatureBytes) {
    throw std::runtime_error("OpenSSL: Ed25519 signature has wrong length");
  }
  return sig;
}

bool verify(ByteView public_key, ByteView message, ByteView signature) {
  if (public_key.size() != kPublicKeyBytes || signature.size() != kSignatureBytes) return false;
  if (has_small_order(public_key)) return false;
  PublicKeyBytes key;
  std::memcpy(key.data(), public_key.data(), key.size());
  thread_local PublicKeyCache cache;
  EVP_PKEY* pkey = cache.get(key);
  if (pkey == nullptr) {
    ossl::clear_errors();
    return false;
  }
  ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey) != 1) {
    ossl::clear_errors();
    return false;
  }
  const int rc = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                                  message.size());
  if (rc != 1) ossl::clear_errors();
  return rc == 1;
}

}  // namespace hlsim::ed25519
