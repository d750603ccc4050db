// Private to ledger/crypto: RAII ownership of OpenSSL objects and error reporting.
#pragma once

#include <openssl/evp.h>

#include <memory>

namespace hlsim::ossl {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct MdDeleter {
  void operator()(EVP_MD* p) const noexcept { EVP_MD_free(p); }
};

using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using MdPtr = std::unique_ptr<EVP_MD, MdDeleter>;

// Throws std::runtime_error naming `what` and every error queued by OpenSSL on this thread
// (which it drains). For failures that can only be programming errors or resource exhaustion.
[[noreturn]] void throw_error(const char* what);

// Drops OpenSSL errors queued by an expected failure (e.g. a rejected signature), so that they do
// not leak into a later, unrelated error report.
void clear_errors() noexcept;

}  // namespace hlsim::ossl
