#include "ledger/crypto/ed25519.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ledger/crypto/sha256.h"
#include "ledger/crypto/signature.h"
#include "ledger_test_util.h"

namespace hlsim {
namespace {

using testing::hex_array;
using testing::hex_bytes;

PublicKey ed_key(const char* hex) {
  return *PublicKey::from_bytes(SigScheme::kEd25519, hex_array<32>(hex));
}
Signature ed_sig(const char* hex) { return *Signature::from_bytes(hex_array<64>(hex)); }
// 64 zero bytes: the right length, not a signature.
Signature zero_sig() {
  Signature s;
  s.size = 64;
  return s;
}

struct Rfc8032Vector {
  const char* name;
  const char* secret_key;
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 §7.1.
const Rfc8032Vector kVectors[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b"
     "46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11"
     "d"
     "8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc"
     "6"
     "594a7c15e9716ed28dc027beceea1ec40a"},
    {"TEST SHA(abc)", "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3fee"
     "b"
     "bd454d4423643ce80e2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e"
     "0"
     "303dca179c138ac17ad9bef1177331a704"},
};

class Rfc8032Test : public ::testing::TestWithParam<Rfc8032Vector> {};

TEST_P(Rfc8032Test, PublicKeyAndSignatureMatchVectorAndVerify) {
  const Rfc8032Vector& v = GetParam();
  const SigningKey key = SigningKey::ed25519_from_seed(hex_array<32>(v.secret_key));
  EXPECT_EQ(to_hex(key.public_key().view()), v.public_key);
  const Bytes msg = hex_bytes(v.message);
  const Signature sig = key.sign(msg);
  EXPECT_EQ(to_hex(sig.view()), v.signature);
  EXPECT_TRUE(verify_signature(key.public_key(), msg, sig));
  // The vector's own bytes verify too, independently of our signer.
  const PublicKey pk = ed_key(v.public_key);
  const Signature vs = ed_sig(v.signature);
  EXPECT_TRUE(verify_signature(pk, msg, vs));
}

TEST_P(Rfc8032Test, FlippingAnySingleBitOfMessageSignatureOrKeyFailsVerification) {
  const Rfc8032Vector& v = GetParam();
  const PublicKey pk = ed_key(v.public_key);
  const Signature sig = ed_sig(v.signature);
  Bytes msg = hex_bytes(v.message);
  ASSERT_TRUE(verify_signature(pk, msg, sig));
  for (std::size_t bit = 0; bit < msg.size() * 8; ++bit) {
    msg[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(verify_signature(pk, msg, sig)) << "message bit " << bit;
    msg[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  }
  for (std::size_t bit = 0; bit < 64 * 8; ++bit) {
    Signature bad = sig;
    bad.bytes[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(verify_signature(pk, msg, bad)) << "signature bit " << bit;
  }
  for (std::size_t bit = 0; bit < 32 * 8; ++bit) {
    PublicKey bad = pk;
    bad.bytes[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(verify_signature(bad, msg, sig)) << "public key bit " << bit;
  }
  // Appending or dropping a byte changes the message as well.
  msg.push_back(0);
  EXPECT_FALSE(verify_signature(pk, msg, sig));
  msg.pop_back();
  EXPECT_TRUE(verify_signature(pk, msg, sig));
}

INSTANTIATE_TEST_SUITE_P(Rfc8032, Rfc8032Test, ::testing::ValuesIn(kVectors),
                         [](const ::testing::TestParamInfo<Rfc8032Vector>& param_info) {
                           std::string name;
                           for (const char* c = param_info.param.name; *c != '\0'; ++c) {
                             if (std::isalnum(static_cast<unsigned char>(*c))) name += *c;
                           }
                           return name;
                         });

TEST(Ed25519Test, KeysAndSignaturesHaveTheSchemesSizes) {
  const SigningKey key = SigningKey::derive(1, "sizes");
  EXPECT_EQ(key.scheme(), SigScheme::kEd25519);
  EXPECT_EQ(key.public_key().view().size(), 32u);
  EXPECT_EQ(key.sign(Bytes{1}).view().size(), 64u);
  EXPECT_FALSE(PublicKey::from_bytes(SigScheme::kEd25519, Bytes(31, 1)).has_value());
  EXPECT_FALSE(PublicKey::from_bytes(SigScheme::kEd25519, Bytes(33, 1)).has_value());
  // The backend refuses wrong lengths outright rather than reading past or short.
  const Bytes msg = {1};
  const Signature sig = key.sign(msg);
  EXPECT_TRUE(ed25519::verify(key.public_key().view(), msg, sig.view()));
  EXPECT_FALSE(ed25519::verify(key.public_key().view().first(31), msg, sig.view()));
  EXPECT_FALSE(ed25519::verify(key.public_key().view(), msg, sig.view().first(63)));
}

TEST(Ed25519Test, SignatureFromAnotherKeyIsRejected) {
  const SigningKey a = SigningKey::derive(1, "alice");
  const SigningKey b = SigningKey::derive(1, "bob");
  const Bytes msg = {1, 2, 3};
  EXPECT_TRUE(verify_signature(a.public_key(), msg, a.sign(msg)));
  EXPECT_FALSE(verify_signature(b.public_key(), msg, a.sign(msg)));
  EXPECT_FALSE(verify_signature(a.public_key(), msg, zero_sig()));
}

// Points of order 1, 2, 4 and 8, with the two non-canonical encodings of 0 and 1 and a set sign
// bit where that still decodes. Cofactorless verification accepts R = identity, s = 0 under such a
// key for a fraction of messages (under the identity key: for every message), so they are refused.
TEST(Ed25519Test, SmallOrderPublicKeysNeverVerifyEvenTheTrivialForgery) {
  const char* small_order_keys[] = {
      "0000000000000000000000000000000000000000000000000000000000000000",
      "0000000000000000000000000000000000000000000000000000000000000080",
      "0100000000000000000000000000000000000000000000000000000000000000",
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  };
  Signature forgery = zero_sig();  // R = identity (y = 1), s = 0
  forgery.bytes[0] = 0x01;
  for (const char* hex : small_order_keys) {
    const PublicKey pk = ed_key(hex);
    for (int m = 0; m < 64; ++m) {
      const Bytes msg = {static_cast<std::uint8_t>(m), 0xAA};
      EXPECT_FALSE(verify_signature(pk, msg, forgery)) << hex << " message " << m;
      EXPECT_FALSE(verify_signature(pk, msg, zero_sig())) << hex << " message " << m;
    }
  }
}

TEST(Ed25519Test, DeriveIsDeterministicAndMatchesItsSpecifiedSeed) {
  const SigningKey a1 = SigningKey::derive(42, "node-0");
  const SigningKey a2 = SigningKey::derive(42, "node-0");
  EXPECT_EQ(a1.public_key(), a2.public_key());
  const Bytes msg = {9, 9, 9};
  EXPECT_EQ(a1.sign(msg), a2.sign(msg));  // Ed25519 signing is deterministic as well
  // seed = SHA-256("hlsim-key-v1" || u64 LE 42 || "node-0"), computed independently.
  const SigningKey expected = SigningKey::ed25519_from_seed(
      hex_array<32>("5845e788bdb42e036dd101c1c2284bbc8cc115d762320933c41ff40dd8f71c77"));
  EXPECT_EQ(a1.public_key(), expected.public_key());
}

TEST(Ed25519Test, DeriveGivesDistinctKeysForDistinctSeedOrIdentity) {
  std::set<PublicKey> keys;
  for (std::uint64_t seed : {0ull, 1ull, 42ull, 0xFFFFFFFFFFFFFFFFull}) {
    for (const char* id : {"", "node-0", "node-1", "client-0", "node-00"}) {
      keys.insert(SigningKey::derive(seed, id).public_key());
    }
  }
  EXPECT_EQ(keys.size(), 4u * 5u);
}

TEST(Ed25519Test, CopiedKeySignsIdentically) {
  const SigningKey a = SigningKey::derive(7, "copy");
  const SigningKey b = a;  // NOLINT(performance-unnecessary-copy-initialization)
  const Bytes msg = {1};
  EXPECT_EQ(a.sign(msg), b.sign(msg));
  EXPECT_EQ(a.public_key(), b.public_key());
}

TEST(Ed25519Test, SignAndVerifyFromManyThreadsSharingOneKey) {
  const SigningKey key = SigningKey::derive(3, "shared");
  std::vector<std::thread> threads;
  std::vector<int> good(4, 0);
  for (std::size_t t = 0; t < good.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const Bytes msg = {static_cast<std::uint8_t>(t), static_cast<std::uint8_t>(i)};
        const Signature sig = key.sign(msg);
        Bytes other = msg;
        other[1] ^= 0x80;
        if (verify_signature(key.public_key(), msg, sig) &&
            !verify_signature(key.public_key(), other, sig)) {
          ++good[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int g : good) EXPECT_EQ(g, 50);
}

TEST(Ed25519Test, RepeatedVerificationUnderManySignersGivesTheSameAnswers) {
  // The second round finds every signer's key already parsed; the answers must not change.
  const Bytes msg = {0x5a};
  int verified = 0;
  int rejected = 0;
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 40; ++i) {
      const SigningKey k = SigningKey::derive(11, "signer-" + std::to_string(i));
      const Signature sig = k.sign(msg);
      verified += verify_signature(k.public_key(), msg, sig) ? 1 : 0;
      const SigningKey other = SigningKey::derive(11, "signer-" + std::to_string(i + 1));
      rejected += verify_signature(other.public_key(), msg, sig) ? 0 : 1;
    }
  }
  EXPECT_EQ(verified, 80);
  EXPECT_EQ(rejected, 80);
}

}  // namespace
}  // namespace hlsim
