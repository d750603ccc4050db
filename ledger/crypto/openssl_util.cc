#include "ledger/crypto/openssl_util.h"

#include <openssl/err.h>

#include <stdexcept>
#include <string>

namespace hlsim::ossl {

void throw_error(const char* what) {
  std::string message = std::string("OpenSSL: ") + what + " failed";
  char buf[256];
  bool first = true;
  for (unsigned long e = ERR_get_error(); e != 0; e = ERR_get_error()) {
    ERR_error_string_n(e, buf, sizeof buf);
    message += first ? ": " : "; ";
    message += buf;
    first = false;
  }
  throw std::runtime_error(message);
}

void clear_errors() noexcept { ERR_clear_error(); }

}  // namespace hlsim::ossl
