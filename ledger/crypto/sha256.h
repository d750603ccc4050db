// SHA-256 through OpenSSL 3 EVP. Real hashing: ids and block hashes are these digests.
#pragma once

#include "ledger/bytes.h"

namespace hlsim {

Hash256 sha256(ByteView data);

// Incremental hashing: update() any number of times, then finish() once.
// Owns an OpenSSL digest context (RAII); movable, not copyable.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(ByteView data);
  Hash256 finish();

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace hlsim
