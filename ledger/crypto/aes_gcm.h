// AES-256-GCM (NIST SP 800-38D) through OpenSSL 3 EVP, for off-chain payloads: a health record is
// sealed, only its digest goes on the chain, and the sealed bytes travel and rest off-chain.
//
// Sealed form: ciphertext || 16-byte tag (the ciphertext is as long as the plaintext). open()
// returns the plaintext only when OpenSSL positively authenticated ciphertext, tag and associated
// data; any failure, or input shorter than a tag, is nullopt, never a plaintext.
//
// Nonces: GCM is broken by sealing two plaintexts under one (key, nonce) pair (the XOR of the
// plaintexts leaks and the authentication key can be recovered). Keys and nonces here are
// deterministic, for reproducible runs, and the rule that keeps them safe is: one key per record
// (derive_payload_key binds the record id), and one nonce per revision of that record
// (derive_payload_nonce binds the revision), so a (key, nonce) pair seals exactly one plaintext as
// long as a record id names one record and a revision number is never sealed twice.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ledger/bytes.h"

namespace hlsim {

struct AeadKey {
  std::array<std::uint8_t, 32> bytes{};
};

using AeadNonce = std::array<std::uint8_t, 12>;

inline constexpr std::size_t kAeadTagBytes = 16;

// Returns ciphertext || tag: plaintext.size() + 16 bytes. Throws std::runtime_error only on an
// OpenSSL failure (resource exhaustion or a broken installation), std::length_error for a
// plaintext above GCM's limit of 2^36 - 32 bytes.
Bytes aes256gcm_seal(const AeadKey& key, const AeadNonce& nonce, ByteView aad, ByteView plaintext);

// The plaintext, or nullopt when `sealed` is shorter than a tag or does not authenticate under
// (key, nonce, aad).
std::optional<Bytes> aes256gcm_open(const AeadKey& key, const AeadNonce& nonce, ByteView aad,
                                    ByteView sealed);

// Deterministic: SHA-256("hlsim-payload-key-v1" || run_seed (u64 LE) || record_id).
AeadKey derive_payload_key(std::uint64_t run_seed, std::string_view record_id);

// Deterministic: the first 12 bytes of
// SHA-256("hlsim-payload-nonce-v1" || run_seed (u64 LE) || revision (u64 LE) || record_id).
// Use with derive_payload_key(run_seed, record_id); seal each revision of a record once.
AeadNonce derive_payload_nonce(std::uint64_t run_seed, std::string_view record_id,
                               std::uint64_t revision = 0);

}  // namespace hlsim
