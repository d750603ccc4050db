#include "ledger/crypto/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "ledger/crypto/openssl_util.h"

namespace hlsim {

namespace {

// Fetched once per process (function-local static: thread-safe initialisation); an explicitly
// fetched EVP_MD spares every digest call OpenSSL's implicit algorithm lookup.
const EVP_MD* sha256_md() {
  static const ossl::MdPtr md = [] {
    ossl::MdPtr fetched(EVP_MD_fetch(nullptr, "SHA256", nullptr));
    if (!fetched) ossl::throw_error("EVP_MD_fetch(SHA256)");
    return fetched;
  }();
  return md.get();
}

ossl::MdCtxPtr new_ctx() {
  ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) ossl::throw_error("EVP_MD_CTX_new");
  return ctx;
}

void init_ctx(EVP_MD_CTX* ctx) {
  if (EVP_DigestInit_ex2(ctx, sha256_md(), nullptr) != 1) ossl::throw_error("EVP_DigestInit_ex2");
}

void update_ctx(EVP_MD_CTX* ctx, ByteView data) {
  if (data.empty()) return;
  if (EVP_DigestUpdate(ctx, data.data(), data.size()) != 1) ossl::throw_error("EVP_DigestUpdate");
}

Hash256 finish_ctx(EVP_MD_CTX* ctx) {
  Hash256 h;
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, h.bytes.data(), &len) != 1) ossl::throw_error("EVP_DigestFinal_ex");
  if (len != h.bytes.size()) throw std::runtime_error("OpenSSL: SHA-256 digest has wrong length");
  return h;
}

}  // namespace

Hash256 sha256(ByteView data) {
  // One context per thread, re-initialised per call: re-initialising with the same digest reuses
  // the context's state instead of allocating a fresh context per hash.
  thread_local const ossl::MdCtxPtr ctx = new_ctx();
  init_ctx(ctx.get());
  update_ctx(ctx.get(), data);
  return finish_ctx(ctx.get());
}

struct Sha256::Impl {
  ossl::MdCtxPtr ctx = new_ctx();
  bool finished = false;
};

Sha256::Sha256() : impl_(new Impl) {
  try {
    init_ctx(impl_->ctx.get());
  } catch (...) {
    delete impl_;
    throw;
  }
}

Sha256::~Sha256() { delete impl_; }

Sha256::Sha256(Sha256&& other) noexcept : impl_(other.impl_) { other.impl_ = nullptr; }

Sha256& Sha256::operator=(Sha256&& other) noexcept {
  if (this != &other) {
    delete impl_;
    impl_ = other.impl_;
    other.impl_ = nullptr;
  }
  return *this;
}

void Sha256::update(ByteView data) {
  if (impl_ == nullptr || impl_->finished) {
    throw std::logic_error("Sha256::update on a finished or moved-from hasher");
  }
  update_ctx(impl_->ctx.get(), data);
}

Hash256 Sha256::finish() {
  if (impl_ == nullptr || impl_->finished) {
    throw std::logic_error("Sha256::finish on a finished or moved-from hasher");
  }
  impl_->finished = true;
  return finish_ctx(impl_->ctx.get());
}

}  // namespace hlsim
