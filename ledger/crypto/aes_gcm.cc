#include "ledger/crypto/aes_gcm.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "ledger/crypto/openssl_util.h"
#include "ledger/crypto/sha256.h"
#include "ledger/encoding.h"

namespace hlsim {

namespace {

struct CipherDeleter {
  void operator()(EVP_CIPHER* p) const noexcept { EVP_CIPHER_free(p); }
};
struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* p) const noexcept { EVP_CIPHER_CTX_free(p); }
};
using CipherPtr = std::unique_ptr<EVP_CIPHER, CipherDeleter>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

// SP 800-38D: at most 2^39 - 256 bits of plaintext per (key, nonce).
constexpr std::uint64_t kMaxPlaintextBytes = (std::uint64_t{1} << 36) - 32;
// EVP_*Update take an int length: larger inputs go in pieces of this size (a multiple of the
// block size, though GCM, a stream mode, would not need that).
constexpr std::size_t kMaxUpdateBytes = std::size_t{1} << 30;

// Fetched once per process (thread-safe static initialisation): an explicitly fetched cipher spares
// every operation OpenSSL's implicit algorithm lookup.
const EVP_CIPHER* aes256gcm_cipher() {
  static const CipherPtr cipher = [] {
    CipherPtr fetched(EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr));
    if (!fetched) ossl::throw_error("EVP_CIPHER_fetch(AES-256-GCM)");
    if (EVP_CIPHER_get_key_length(fetched.get()) != 32 ||
        EVP_CIPHER_get_iv_length(fetched.get()) != static_cast<int>(AeadNonce{}.size())) {
      throw std::runtime_error("OpenSSL: AES-256-GCM has an unexpected key or IV length");
    }
    return fetched;
  }();
  return cipher.get();
}

// One context per thread and direction, bound to the cipher once. Each call re-keys it (init with
// a null cipher keeps the provider's context), which resets all of GCM's per-message state, so a
// context left mid-operation by a failure is harmless.
EVP_CIPHER_CTX* thread_ctx(bool encrypt) {
  const auto make = [](bool enc) {
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx) ossl::throw_error("EVP_CIPHER_CTX_new");
    if (EVP_CipherInit_ex2(ctx.get(), aes256gcm_cipher(), nullptr, nullptr, enc ? 1 : 0, nullptr) !=
        1) {
      ossl::throw_error("EVP_CipherInit_ex2(AES-256-GCM)");
    }
    return ctx;
  };
  thread_local const CipherCtxPtr seal_ctx = make(true);
  thread_local const CipherCtxPtr open_ctx = make(false);
  return encrypt ? seal_ctx.get() : open_ctx.get();
}

// Runs EVP_CipherUpdate over `in` in pieces that fit an int; true when every piece succeeded and
// produced exactly as many bytes as it consumed (GCM is a stream mode). out may be null only for
// associated data.
bool update(EVP_CIPHER_CTX* ctx, std::uint8_t* out, ByteView in) {
  std::size_t done = 0;
  while (done < in.size()) {
    const std::size_t n = std::min(in.size() - done, kMaxUpdateBytes);
    int produced = 0;
    if (EVP_CipherUpdate(ctx, out == nullptr ? nullptr : out + done, &produced, in.data() + done,
                         static_cast<int>(n)) != 1) {
      return false;
    }
    if (static_cast<std::size_t>(produced) != n) return false;
    done += n;
  }
  return true;
}

}  // namespace

Bytes aes256gcm_seal(const AeadKey& key, const AeadNonce& nonce, ByteView aad, ByteView plaintext) {
  if (plaintext.size() > kMaxPlaintextBytes) {
    throw std::length_error("aes256gcm_seal: plaintext longer than GCM allows (2^36 - 32 bytes)");
  }
  EVP_CIPHER_CTX* ctx = thread_ctx(true);
  if (EVP_CipherInit_ex2(ctx, nullptr, key.bytes.data(), nonce.data(), 1, nullptr) != 1) {
    ossl::throw_error("EVP_CipherInit_ex2(AES-256-GCM, seal)");
  }
  if (!update(ctx, nullptr, aad)) ossl::throw_error("EVP_CipherUpdate(AES-256-GCM, AAD)");
  Bytes sealed(plaintext.size() + kAeadTagBytes);
  if (!update(ctx, sealed.data(), plaintext)) ossl::throw_error("EVP_CipherUpdate(AES-256-GCM)");
  int tail = 0;
  if (EVP_CipherFinal_ex(ctx, sealed.data() + plaintext.size(), &tail) != 1 || tail != 0) {
    ossl::throw_error("EVP_CipherFinal_ex(AES-256-GCM, seal)");
  }
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kAeadTagBytes),
                          sealed.data() + plaintext.size()) != 1) {
    ossl::throw_error("EVP_CIPHER_CTX_ctrl(AES-256-GCM, get tag)");
  }
  return sealed;
}

std::optional<Bytes> aes256gcm_open(const AeadKey& key, const AeadNonce& nonce, ByteView aad,
                                    ByteView sealed) {
  if (sealed.size() < kAeadTagBytes) return std::nullopt;
  const std::size_t n = sealed.size() - kAeadTagBytes;
  if (n > kMaxPlaintextBytes) return std::nullopt;  // seal() never produces it
  const ByteView ciphertext = sealed.first(n);
  // The tag is passed through a non-const pointer, hence the copy.
  std::array<std::uint8_t, kAeadTagBytes> tag{};
  std::copy(sealed.begin() + static_cast<std::ptrdiff_t>(n), sealed.end(), tag.begin());

  // Like ed25519_verify: every OpenSSL failure is a rejection, and its queued errors are dropped
  // so that they do not surface in an unrelated later report.
  const auto reject = [](Bytes* partial) -> std::optional<Bytes> {
    ossl::clear_errors();
    // Decrypted but unauthenticated bytes must not linger in freed memory either.
    if (partial != nullptr && !partial->empty()) OPENSSL_cleanse(partial->data(), partial->size());
    return std::nullopt;
  };
  EVP_CIPHER_CTX* ctx = thread_ctx(false);
  if (EVP_CipherInit_ex2(ctx, nullptr, key.bytes.data(), nonce.data(), 0, nullptr) != 1) {
    return reject(nullptr);
  }
  if (!update(ctx, nullptr, aad)) return reject(nullptr);
  Bytes plaintext(n);
  if (!update(ctx, plaintext.data(), ciphertext)) return reject(&plaintext);
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag.size()), tag.data()) !=
      1) {
    return reject(&plaintext);
  }
  // Final writes nothing for GCM, but needs a valid pointer even when the plaintext is empty.
  std::array<std::uint8_t, 1> unused{};
  int tail = 0;
  if (EVP_CipherFinal_ex(ctx, unused.data(), &tail) != 1 || tail != 0) return reject(&plaintext);
  return plaintext;
}

AeadKey derive_payload_key(std::uint64_t run_seed, std::string_view record_id) {
  // The label and the seed have fixed lengths, so the record id, last, needs no length prefix.
  constexpr std::string_view kLabel = "hlsim-payload-key-v1";
  Writer w(kLabel.size() + 8 + record_id.size());
  w.raw(as_bytes(kLabel));
  w.u64(run_seed);
  w.raw(as_bytes(record_id));
  return AeadKey{sha256(w.data()).bytes};
}

AeadNonce derive_payload_nonce(std::uint64_t run_seed, std::string_view record_id,
                               std::uint64_t revision) {
  // A different label from the key's, so a nonce is never a prefix of some record's key.
  constexpr std::string_view kLabel = "hlsim-payload-nonce-v1";
  Writer w(kLabel.size() + 16 + record_id.size());
  w.raw(as_bytes(kLabel));
  w.u64(run_seed);
  w.u64(revision);
  w.raw(as_bytes(record_id));
  const Hash256 digest = sha256(w.data());
  AeadNonce nonce{};
  std::copy_n(digest.bytes.begin(), nonce.size(), nonce.begin());
  return nonce;
}

}  // namespace hlsim
