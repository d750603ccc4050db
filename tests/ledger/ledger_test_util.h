// Helpers shared by the ledger tests.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/bytes.h"
#include "ledger/crypto/signature.h"
#include "ledger/transaction.h"

namespace hlsim::testing {

inline Bytes hex_bytes(std::string_view hex) {
  Bytes out;
  EXPECT_TRUE(from_hex(hex, out)) << hex;
  return out;
}

template <std::size_t N>
std::array<std::uint8_t, N> hex_array(std::string_view hex) {
  const Bytes b = hex_bytes(hex);
  std::array<std::uint8_t, N> out{};
  EXPECT_EQ(b.size(), N) << hex;
  for (std::size_t i = 0; i < N && i < b.size(); ++i) out[i] = b[i];
  return out;
}

inline Hash256 hex_hash(std::string_view hex) { return Hash256{hex_array<32>(hex)}; }

// A signed transaction with a payload of `payload_bytes` bytes derived from the nonce.
inline Transaction make_tx(const SigningKey& key, std::uint64_t nonce,
                           std::size_t payload_bytes = 48, ClientId client = 7) {
  Transaction tx;
  tx.kind = 3;
  tx.client = client;
  tx.nonce = nonce;
  tx.submit_ns = 1'000'000 + static_cast<TimeNs>(nonce) * 17;
  tx.payload.resize(payload_bytes);
  for (std::size_t i = 0; i < payload_bytes; ++i) {
    tx.payload[i] = static_cast<std::uint8_t>(i * 31 + nonce);
  }
  sign_tx(tx, key);
  return tx;
}

}  // namespace hlsim::testing
