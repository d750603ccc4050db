#include "ledger/crypto/aes_gcm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>

namespace hlsim {
namespace {

Bytes hex(std::string_view h) {
  Bytes out;
  EXPECT_TRUE(from_hex(h, out)) << h;
  return out;
}

AeadKey key_from_hex(std::string_view h) {
  const Bytes b = hex(h);
  AeadKey k;
  EXPECT_EQ(b.size(), k.bytes.size());
  std::copy(b.begin(), b.end(), k.bytes.begin());
  return k;
}

AeadNonce nonce_from_hex(std::string_view h) {
  const Bytes b = hex(h);
  AeadNonce n{};
  EXPECT_EQ(b.size(), n.size());
  std::copy(b.begin(), b.end(), n.begin());
  return n;
}

Bytes concat(const Bytes& a, const Bytes& b) {
  Bytes out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Bytes pattern(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 7 + (i >> 8));
  return b;
}

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", appendix B, test cases 13-16
// (AES-256, 96-bit IV).
struct KnownAnswer {
  const char* name;
  const char* key;
  const char* iv;
  const char* aad;
  const char* plaintext;
  const char* ciphertext;
  const char* tag;
};

constexpr const char* kKey1516 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
constexpr const char* kPlain15 =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
constexpr const char* kCipher15 =
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";

const KnownAnswer kKnownAnswers[] = {
    {"case 13: zero key, empty", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"case 14: zero key, one zero block",
     "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000",
     "", "00000000000000000000000000000000", "cea7403d4d606b6e074ec5d3baf39d18",
     "d0d1c8a799996bf0265b98b5d48ab919"},
    {"case 15: four blocks, no AAD", kKey1516, "cafebabefacedbaddecaf888", "", kPlain15, kCipher15,
     "b094dac5d93471bdec1a502270e3cc6c"},
    // Case 16: the first 60 bytes of case 15's plaintext, with 20 bytes of AAD.
    {"case 16: 60 bytes with AAD", kKey1516, "cafebabefacedbaddecaf888",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

TEST(Aes256GcmTest, KnownAnswersFromTheGcmSpecification) {
  for (const KnownAnswer& t : kKnownAnswers) {
    SCOPED_TRACE(t.name);
    const AeadKey key = key_from_hex(t.key);
    const AeadNonce nonce = nonce_from_hex(t.iv);
    const Bytes aad = hex(t.aad);
    const Bytes plaintext = hex(t.plaintext);
    const Bytes sealed = concat(hex(t.ciphertext), hex(t.tag));
    EXPECT_EQ(to_hex(aes256gcm_seal(key, nonce, aad, plaintext)), to_hex(sealed));
    const std::optional<Bytes> opened = aes256gcm_open(key, nonce, aad, sealed);
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST(Aes256GcmTest, RoundTripsAtBlockBoundariesAndLargeSizes) {
  const AeadKey key = derive_payload_key(7, "record-1");
  const AeadNonce nonce = derive_payload_nonce(7, "record-1");
  const Bytes aad = {'h', 'd', 'r'};
  for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 4096u, 1u << 20}) {
    SCOPED_TRACE(n);
    const Bytes plaintext = pattern(n);
    const Bytes sealed = aes256gcm_seal(key, nonce, aad, plaintext);
    ASSERT_EQ(sealed.size(), n + kAeadTagBytes);
    if (n >= 16) {
      EXPECT_NE(Bytes(sealed.begin(), sealed.begin() + 16),
                Bytes(plaintext.begin(), plaintext.begin() + 16));
    }
    const std::optional<Bytes> opened = aes256gcm_open(key, nonce, aad, sealed);
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST(Aes256GcmTest, EveryFlippedBitOfCiphertextOrTagIsRejected) {
  const AeadKey key = key_from_hex(kKey1516);
  const AeadNonce nonce = nonce_from_hex("cafebabefacedbaddecaf888");
  const Bytes aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const Bytes sealed = aes256gcm_seal(key, nonce, aad, pattern(37));
  for (std::size_t byte = 0; byte < sealed.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes tampered = sealed;
      tampered[byte] ^= static_cast<std::uint8_t>(1u << bit);
      EXPECT_FALSE(aes256gcm_open(key, nonce, aad, tampered).has_value())
          << "byte " << byte << " bit " << bit;
    }
  }
  // A rejection leaves the per-thread context usable.
  EXPECT_TRUE(aes256gcm_open(key, nonce, aad, sealed).has_value());
}

TEST(Aes256GcmTest, WrongAadKeyOrNonceIsRejected) {
  const AeadKey key = derive_payload_key(1, "r");
  const AeadNonce nonce = derive_payload_nonce(1, "r");
  const Bytes aad = {1, 2, 3};
  const Bytes sealed = aes256gcm_seal(key, nonce, aad, pattern(100));
  EXPECT_FALSE(aes256gcm_open(key, nonce, Bytes{1, 2, 4}, sealed).has_value());
  EXPECT_FALSE(aes256gcm_open(key, nonce, Bytes{1, 2}, sealed).has_value());
  EXPECT_FALSE(aes256gcm_open(key, nonce, Bytes{}, sealed).has_value());
  EXPECT_FALSE(aes256gcm_open(derive_payload_key(1, "s"), nonce, aad, sealed).has_value());
  EXPECT_FALSE(aes256gcm_open(derive_payload_key(2, "r"), nonce, aad, sealed).has_value());
  AeadNonce other = nonce;
  other[11] ^= 1;
  EXPECT_FALSE(aes256gcm_open(key, other, aad, sealed).has_value());
  EXPECT_TRUE(aes256gcm_open(key, nonce, aad, sealed).has_value());
}

TEST(Aes256GcmTest, TruncatedOrExtendedInputIsRejected) {
  const AeadKey key = derive_payload_key(1, "r");
  const AeadNonce nonce = derive_payload_nonce(1, "r");
  const Bytes sealed = aes256gcm_seal(key, nonce, {}, pattern(40));
  for (std::size_t n = 0; n < sealed.size(); ++n) {
    EXPECT_FALSE(aes256gcm_open(key, nonce, {}, ByteView(sealed).first(n)).has_value()) << n;
  }
  Bytes longer = sealed;
  longer.push_back(0);
  EXPECT_FALSE(aes256gcm_open(key, nonce, {}, longer).has_value());
  // Shorter than a tag: malformed, not a crash.
  EXPECT_FALSE(aes256gcm_open(key, nonce, {}, Bytes(15, 0)).has_value());
  EXPECT_FALSE(aes256gcm_open(key, nonce, {}, Bytes{}).has_value());
}

TEST(Aes256GcmTest, DerivationIsDeterministicAndSeparatesRecordsSeedsAndRevisions) {
  EXPECT_EQ(derive_payload_key(5, "patient/1").bytes, derive_payload_key(5, "patient/1").bytes);
  EXPECT_NE(derive_payload_key(5, "patient/1").bytes, derive_payload_key(5, "patient/2").bytes);
  EXPECT_NE(derive_payload_key(5, "patient/1").bytes, derive_payload_key(6, "patient/1").bytes);
  EXPECT_EQ(derive_payload_nonce(5, "patient/1"), derive_payload_nonce(5, "patient/1", 0));
  EXPECT_NE(derive_payload_nonce(5, "patient/1", 0), derive_payload_nonce(5, "patient/1", 1));
  EXPECT_NE(derive_payload_nonce(5, "patient/1"), derive_payload_nonce(5, "patient/2"));
  // Domain separation: a nonce is not a prefix of the key derived from the same inputs.
  const AeadKey k = derive_payload_key(5, "patient/1");
  const AeadNonce n = derive_payload_nonce(5, "patient/1");
  EXPECT_FALSE(std::equal(n.begin(), n.end(), k.bytes.begin()));
  // Pinned (computed independently with Python's hashlib from the documented formulas), so that
  // a change of the derivation, which would orphan every sealed payload, is noticed.
  EXPECT_EQ(to_hex(derive_payload_key(1, "record").bytes),
            "37d846183535dabed58153d590c19647b3a2ec2797515658bafffd1a2f369d58");
  EXPECT_EQ(to_hex(derive_payload_nonce(1, "record")), "1b7ef57f054f48b4b7033abf");
  EXPECT_EQ(to_hex(derive_payload_nonce(1, "record", 3)), "58119452d51241114e861cc8");
}

}  // namespace
}  // namespace hlsim
