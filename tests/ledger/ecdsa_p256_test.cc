#include "ledger/crypto/ecdsa_p256.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "ledger/crypto/sha256.h"
#include "ledger/encoding.h"
#include "ledger_test_util.h"

namespace hlsim::ecdsa_p256 {
namespace {

using hlsim::testing::hex_array;
using hlsim::testing::hex_bytes;
using Scalar = std::array<std::uint8_t, 32>;

// ---- Independent OpenSSL plumbing for cross-checks (not the code under test) ----

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

constexpr const char* kOrderHex =
    "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

Bn bn_from_hex(const std::string& hex) {
  BIGNUM* raw = nullptr;
  if (BN_hex2bn(&raw, hex.c_str()) == 0) throw std::runtime_error("BN_hex2bn " + hex);
  return Bn(raw);
}

Bn bn_from(ByteView big_endian) {
  return Bn(BN_bin2bn(big_endian.data(), static_cast<int>(big_endian.size()), nullptr));
}

std::string bn_hex(const BIGNUM* bn) {
  char* raw = BN_bn2hex(bn);
  std::string out(raw);
  OPENSSL_free(raw);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// DER ECDSA-Sig-Value of (r, s), encoded by OpenSSL.
Bytes der_of(const BIGNUM* r, const BIGNUM* s) {
  ECDSA_SIG* sig = ECDSA_SIG_new();
  EXPECT_EQ(ECDSA_SIG_set0(sig, BN_dup(r), BN_dup(s)), 1);
  const int len = i2d_ECDSA_SIG(sig, nullptr);
  Bytes out(static_cast<std::size_t>(len));
  std::uint8_t* p = out.data();
  EXPECT_EQ(i2d_ECDSA_SIG(sig, &p), len);
  ECDSA_SIG_free(sig);
  return out;
}

Bytes der_of(const std::string& r_hex, const std::string& s_hex) {
  return der_of(bn_from_hex(r_hex).get(), bn_from_hex(s_hex).get());
}

// (r, s) of a DER signature, as lower-case hex without leading zeros.
std::pair<std::string, std::string> rs_of(ByteView der) {
  const std::uint8_t* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (sig == nullptr) throw std::runtime_error("d2i_ECDSA_SIG");
  std::pair<std::string, std::string> out{bn_hex(ECDSA_SIG_get0_r(sig)),
                                          bn_hex(ECDSA_SIG_get0_s(sig))};
  ECDSA_SIG_free(sig);
  return out;
}

// An OpenSSL key built from the scalar (and public point), independently of PrivateKey.
Pkey openssl_key(const Scalar* d, const PublicKeyBytes& pub) {
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub.data(), pub.size());
  const Bn priv = d != nullptr ? bn_from({d->data(), d->size()}) : nullptr;
  if (priv) OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv.get());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* key = nullptr;
  EXPECT_EQ(EVP_PKEY_fromdata_init(ctx), 1);
  EXPECT_EQ(
      EVP_PKEY_fromdata(ctx, &key, d != nullptr ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params),
      1);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  return Pkey(key);
}

// EVP_DigestVerify with SHA-256 on a freshly built key: the textbook OpenSSL path.
bool openssl_verify(const PublicKeyBytes& pub, ByteView msg, ByteView der) {
  const Pkey key = openssl_key(nullptr, pub);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
                  EVP_DigestVerify(ctx, der.data(), der.size(), msg.data(), msg.size()) == 1;
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

// OpenSSL's own (randomised) ECDSA signature.
Bytes openssl_sign(const Scalar& d, const PublicKeyBytes& pub, ByteView msg) {
  const Pkey key = openssl_key(&d, pub);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EXPECT_EQ(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key.get()), 1);
  std::size_t len = 0;
  EXPECT_EQ(EVP_DigestSign(ctx, nullptr, &len, msg.data(), msg.size()), 1);
  Bytes sig(len);
  EXPECT_EQ(EVP_DigestSign(ctx, sig.data(), &len, msg.data(), msg.size()), 1);
  sig.resize(len);
  EVP_MD_CTX_free(ctx);
  return sig;
}

Bytes spki_of(EVP_PKEY* key) {
  const int len = i2d_PUBKEY(key, nullptr);
  Bytes out(static_cast<std::size_t>(len));
  std::uint8_t* p = out.data();
  EXPECT_EQ(i2d_PUBKEY(key, &p), len);
  return out;
}

Scalar scalar_from_hex(const std::string& hex) { return hex_array<32>(hex); }

Bytes bytes_of(std::string_view s) {
  const ByteView v = as_bytes(s);
  return Bytes(v.begin(), v.end());
}

// Deterministic test scalars in [1, n): SHA-256 of a label and counter, skipping the rare misses.
std::vector<Scalar> test_scalars(std::string_view label, std::size_t count) {
  const Bn n = bn_from_hex(kOrderHex);
  std::vector<Scalar> out;
  for (std::uint32_t i = 0; out.size() < count; ++i) {
    Writer w;
    w.raw(as_bytes(label));
    w.u32(i);
    const Scalar s = sha256(w.data()).bytes;
    const Bn v = bn_from({s.data(), s.size()});
    if (!BN_is_zero(v.get()) && BN_cmp(v.get(), n.get()) < 0) out.push_back(s);
  }
  return out;
}

// ---- RFC 6979 known answers ----

struct Rfc6979Vector {
  const char* name;
  const char* message;
  const char* r;
  const char* s;
  std::size_t der_bytes;
};

constexpr const char* kRfcKey = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721";
constexpr const char* kRfcUx = "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6";
constexpr const char* kRfcUy = "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299";

// RFC 6979 appendix A.2.5, SHA-256 rows; and C2SP CCTV's P-256 vector whose first k candidate is
// out of range, so that RFC 6979 step h.3 runs (same key; c2sp.org/CCTV/rfc6979).
const Rfc6979Vector kRfcVectors[] = {
    {"sample", "sample", "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716",
     "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8", 72},
    {"test", "test", "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367",
     "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083", 71},
    {"cctv_rejects_first_k", "wv[vnX",
     "efd9073b652e76da1b5a019c0e4a2e3fa529b035a6abb91ef67f0ed7a1f21234",
     "3db4706c9d9f4a4fe13bb5e08ef0fab53a57dbab2061c83a35fa411c68d2ba33", 71},
};

PublicKeyBytes rfc_public_key() {
  return hex_array<kPublicKeyBytes>(std::string("04") + kRfcUx + kRfcUy);
}

PrivateKey rfc_private_key() { return *PrivateKey::from_scalar(scalar_from_hex(kRfcKey)); }

class EcdsaP256Rfc6979Test : public ::testing::TestWithParam<Rfc6979Vector> {};

TEST_P(EcdsaP256Rfc6979Test, SignProducesExactlyTheDerOfTheVectorsRAndS) {
  const Rfc6979Vector& v = GetParam();
  const PrivateKey key = rfc_private_key();
  EXPECT_EQ(key.public_key(), rfc_public_key());
  const Bytes sig = key.sign(as_bytes(v.message));
  const Bytes expected = der_of(v.r, v.s);
  EXPECT_EQ(to_hex(sig), to_hex(expected));
  EXPECT_EQ(sig.size(), v.der_bytes);
  EXPECT_TRUE(verify(key.public_key(), as_bytes(v.message), sig));
}

TEST_P(EcdsaP256Rfc6979Test, VectorsOwnSignatureVerifiesHereAndInOpenSsl) {
  const Rfc6979Vector& v = GetParam();
  const Bytes expected = der_of(v.r, v.s);
  EXPECT_TRUE(verify(rfc_public_key(), as_bytes(v.message), expected));
  EXPECT_TRUE(openssl_verify(rfc_public_key(), as_bytes(v.message), expected));
  EXPECT_FALSE(verify(rfc_public_key(), as_bytes(std::string(v.message) + "!"), expected));
}

INSTANTIATE_TEST_SUITE_P(Rfc6979, EcdsaP256Rfc6979Test, ::testing::ValuesIn(kRfcVectors),
                         [](const ::testing::TestParamInfo<Rfc6979Vector>& param_info) {
                           return std::string(param_info.param.name);
                         });

// ---- Keys ----

TEST(EcdsaP256Test, FromScalarAcceptsExactlyOneThroughOrderMinusOne) {
  const Bn n = bn_from_hex(kOrderHex);
  const auto scalar_of = [](const BIGNUM* bn) {
    Scalar s{};
    EXPECT_EQ(BN_bn2binpad(bn, s.data(), 32), 32);
    return s;
  };
  const Bn n_minus_1(BN_dup(n.get()));
  BN_sub_word(n_minus_1.get(), 1);
  const Bn n_plus_1(BN_dup(n.get()));
  BN_add_word(n_plus_1.get(), 1);
  EXPECT_FALSE(PrivateKey::from_scalar(Scalar{}).has_value());
  EXPECT_FALSE(PrivateKey::from_scalar(scalar_of(n.get())).has_value());
  EXPECT_FALSE(PrivateKey::from_scalar(scalar_of(n_plus_1.get())).has_value());
  Scalar all_ones;
  all_ones.fill(0xff);
  EXPECT_FALSE(PrivateKey::from_scalar(all_ones).has_value());

  // d = 1 gives the base point G; d = n - 1 gives -G = (Gx, p - Gy) (SEC 2 §2.4.2).
  const std::string gx = "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296";
  const std::string gy = "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";
  const std::string p_minus_gy = "b01cbd1c01e58065711814b583f061e9d431cca994cea1313449bf97c840ae0a";
  Scalar one{};
  one[31] = 1;
  const std::optional<PrivateKey> k1 = PrivateKey::from_scalar(one);
  ASSERT_TRUE(k1.has_value());
  EXPECT_EQ(to_hex(k1->public_key()), "04" + gx + gy);
  const std::optional<PrivateKey> k_last = PrivateKey::from_scalar(scalar_of(n_minus_1.get()));
  ASSERT_TRUE(k_last.has_value());
  EXPECT_EQ(to_hex(k_last->public_key()), "04" + gx + p_minus_gy);
  // Both extremes sign verifiable signatures.
  const Bytes msg = {1, 2, 3};
  EXPECT_TRUE(verify(k1->public_key(), msg, k1->sign(msg)));
  EXPECT_TRUE(verify(k_last->public_key(), msg, k_last->sign(msg)));
}

TEST(EcdsaP256Test, DeriveIsDeterministicAndMatchesItsSpecifiedScalar) {
  const PrivateKey a1 = PrivateKey::derive(42, "node-0");
  const PrivateKey a2 = PrivateKey::derive(42, "node-0");
  EXPECT_EQ(a1.public_key(), a2.public_key());
  // d = SHA-256("hlsim-ecdsa-key-v1" || u64 LE 42 || "node-0" || u32 LE 0), computed independently
  // (Python hashlib); it is below n, so counter 0 is taken.
  const std::optional<PrivateKey> expected = PrivateKey::from_scalar(
      scalar_from_hex("f46c466a992fc00d023869d7c3cc0d7020e1640746d9ce1886bb6a6f53cc0a3e"));
  ASSERT_TRUE(expected.has_value());
  EXPECT_EQ(a1.public_key(), expected->public_key());
}

TEST(EcdsaP256Test, DeriveGivesDistinctKeysForDistinctSeedOrIdentity) {
  std::set<PublicKeyBytes> keys;
  for (std::uint64_t seed : {0ull, 1ull, 42ull, 0xFFFFFFFFFFFFFFFFull}) {
    for (const char* id : {"", "node-0", "node-1", "client-0", "node-00"}) {
      keys.insert(PrivateKey::derive(seed, id).public_key());
    }
  }
  EXPECT_EQ(keys.size(), 4u * 5u);
}

TEST(EcdsaP256Test, SigningIsDeterministicAndCopiesShareTheKey) {
  static_assert(!std::is_default_constructible_v<PrivateKey>);
  const PrivateKey a = PrivateKey::derive(7, "copy");
  const PrivateKey b = a;  // NOLINT(performance-unnecessary-copy-initialization)
  PrivateKey c = a;
  const PrivateKey d = std::move(c);  // NOLINT(performance-move-const-arg): moving copies
  const Bytes msg = {1, 2, 3};
  const Bytes sig = a.sign(msg);
  EXPECT_EQ(a.sign(msg), sig);
  EXPECT_EQ(b.sign(msg), sig);
  EXPECT_EQ(d.sign(msg), sig);
  // Moving copies (PrivateKey has no empty state), so the source still signs.
  EXPECT_EQ(c.sign(msg), sig);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(b.public_key(), a.public_key());
  EXPECT_NE(a.sign(Bytes{1, 2, 4}), sig);
  EXPECT_NE(PrivateKey::derive(8, "copy").sign(msg), sig);
}

// ---- Cross-checks against OpenSSL's own ECDSA ----

TEST(EcdsaP256Test, OurSignaturesVerifyInOpenSslAndOpenSslsVerifyHere) {
  const std::vector<Scalar> scalars = test_scalars("cross-check", 64);
  std::set<std::size_t> sizes;
  for (std::size_t i = 0; i < scalars.size(); ++i) {
    const PrivateKey key = *PrivateKey::from_scalar(scalars[i]);
    Bytes msg(i * 7);
    for (std::size_t j = 0; j < msg.size(); ++j) msg[j] = static_cast<std::uint8_t>(i + j);
    const Bytes ours = key.sign(msg);
    sizes.insert(ours.size());
    EXPECT_LE(ours.size(), kSignatureBytesMax);
    EXPECT_TRUE(openssl_verify(key.public_key(), msg, ours)) << i;
    EXPECT_TRUE(verify(key.public_key(), msg, ours)) << i;
    // OpenSSL's canonical re-encoding of our (r, s) is our bytes.
    const auto [r, s] = rs_of(ours);
    EXPECT_EQ(der_of(r, s), ours) << i;
    const Bytes theirs = openssl_sign(scalars[i], key.public_key(), msg);
    EXPECT_TRUE(verify(key.public_key(), msg, theirs)) << i;
    Bytes other = msg;
    other.push_back(0);
    EXPECT_FALSE(verify(key.public_key(), other, theirs)) << i;
  }
  // DER lengths vary with the leading bits of r and s; 70-72 bytes nearly always.
  EXPECT_GE(sizes.size(), 2u);
}

// ---- Inversion modulo n ----

TEST(EcdsaP256Test, InverseModOrderMatchesBnModInverse) {
  const Bn n = bn_from_hex(kOrderHex);
  BN_CTX* ctx = BN_CTX_new();
  std::vector<Bn> inputs;
  for (const char* hex :
       {"1", "2", "3", "10", "3fffffffffffffff", "4000000000000000", "ffffffffffffffff",
        "10000000000000000", "8000000000000000000000000000000000000000000000000000000000000000",
        "7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8",
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550",
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63254f",
        "ffffffff00000000fffffffffffffffe0000000000000000000000000000000",
        "5555555555555555555555555555555555555555555555555555555555555555"}) {
    inputs.push_back(bn_from_hex(hex));
  }
  for (const Scalar& s : test_scalars("inverse", 3000)) inputs.push_back(bn_from({s.data(), 32}));
  for (const Bn& a : inputs) {
    Scalar a_bytes{};
    ASSERT_EQ(BN_bn2binpad(a.get(), a_bytes.data(), 32), 32);
    const Scalar ours = detail::inverse_mod_order(a_bytes);
    const Bn expected(BN_mod_inverse(nullptr, a.get(), n.get(), ctx));
    ASSERT_TRUE(expected);
    Scalar expected_bytes{};
    ASSERT_EQ(BN_bn2binpad(expected.get(), expected_bytes.data(), 32), 32);
    ASSERT_EQ(to_hex({ours.data(), 32}), to_hex({expected_bytes.data(), 32})) << bn_hex(a.get());
  }
  BN_CTX_free(ctx);
}

TEST(EcdsaP256Test, InverseModOrderRefusesZeroAndValuesFromN) {
  Scalar all_ones;
  all_ones.fill(0xff);
  EXPECT_THROW(detail::inverse_mod_order(Scalar{}), std::invalid_argument);
  EXPECT_THROW(detail::inverse_mod_order(scalar_from_hex(kOrderHex)), std::invalid_argument);
  EXPECT_THROW(detail::inverse_mod_order(all_ones), std::invalid_argument);
}

// ---- Rejections: verify ----

class EcdsaP256RejectTest : public ::testing::Test {
 protected:
  const PrivateKey key_ = rfc_private_key();
  const Bytes msg_ = bytes_of("test");
  // r = f1ab... (33 bytes in DER), s = 019f... (32 bytes in DER): 71 bytes.
  const Bytes sig_ = key_.sign(msg_);
  const std::string r_ = "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367";
  const std::string s_ = "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083";

  bool verifies(ByteView sig) const { return verify(key_.public_key(), msg_, sig); }
};

TEST_F(EcdsaP256RejectTest, WrongMessageOrAnotherKeysSignature) {
  ASSERT_TRUE(verifies(sig_));
  EXPECT_FALSE(verify(key_.public_key(), as_bytes("tesT"), sig_));
  EXPECT_FALSE(verify(key_.public_key(), Bytes{}, sig_));
  Bytes longer = msg_;
  longer.push_back(0);
  EXPECT_FALSE(verify(key_.public_key(), longer, sig_));
  const PrivateKey other = PrivateKey::derive(1, "other");
  EXPECT_FALSE(verify(other.public_key(), msg_, sig_));
  EXPECT_FALSE(verifies(Bytes{}));
}

TEST_F(EcdsaP256RejectTest, EveryFlippedBitOfTheSignature) {
  for (std::size_t bit = 0; bit < sig_.size() * 8; ++bit) {
    Bytes bad = sig_;
    bad[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(verifies(bad)) << "bit " << bit;
  }
}

TEST_F(EcdsaP256RejectTest, TruncatedDerAndTrailingBytes) {
  for (std::size_t len = 0; len < sig_.size(); ++len) {
    EXPECT_FALSE(verifies(ByteView(sig_).first(len))) << len;
  }
  for (const Bytes& tail : {Bytes{0x00}, Bytes{0x30, 0x00}, Bytes{0x02, 0x01, 0x01}}) {
    Bytes bad = sig_;
    bad.insert(bad.end(), tail.begin(), tail.end());
    EXPECT_FALSE(verifies(bad));
  }
  // Too long to be a P-256 signature at all.
  EXPECT_FALSE(verifies(Bytes(kSignatureBytesMax + 1, 0x30)));
}

TEST_F(EcdsaP256RejectTest, NonCanonicalDerEncodingsOfAValidSignature) {
  ASSERT_EQ(sig_.size(), 71u);
  const Bytes r_int(sig_.begin() + 2, sig_.begin() + 2 + 35);  // 02 21 00 f1 ...
  const Bytes s_int(sig_.begin() + 37, sig_.end());            // 02 20 01 9f ...
  ASSERT_EQ(r_int[1], 0x21);
  ASSERT_EQ(s_int[1], 0x20);
  const auto seq = [](std::initializer_list<Bytes> parts, bool long_form_length) {
    Bytes body;
    for (const Bytes& p : parts) body.insert(body.end(), p.begin(), p.end());
    Bytes out = {0x30};
    if (long_form_length) out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(body.size()));
    out.insert(out.end(), body.begin(), body.end());
    return out;
  };
  ASSERT_TRUE(verifies(seq({r_int, s_int}, false)));
  // A superfluous leading 0x00 in s (s is positive without it).
  Bytes s_padded = {0x02, 0x21, 0x00};
  s_padded.insert(s_padded.end(), s_int.begin() + 2, s_int.end());
  EXPECT_FALSE(verifies(seq({r_int, s_padded}, false)));
  // Two leading zeros in r.
  Bytes r_padded = {0x02, 0x22, 0x00};
  r_padded.insert(r_padded.end(), r_int.begin() + 2, r_int.end());
  EXPECT_FALSE(verifies(seq({r_padded, s_int}, false)));
  // Long-form length of the SEQUENCE, and of an INTEGER.
  EXPECT_FALSE(verifies(seq({r_int, s_int}, true)));
  Bytes s_long = {0x02, 0x81, 0x20};
  s_long.insert(s_long.end(), s_int.begin() + 2, s_int.end());
  EXPECT_FALSE(verifies(seq({r_int, s_long}, false)));
  // r without its sign byte: a negative INTEGER.
  Bytes r_negative = {0x02, 0x20};
  r_negative.insert(r_negative.end(), r_int.begin() + 3, r_int.end());
  EXPECT_FALSE(verifies(seq({r_negative, s_int}, false)));
  // Indefinite length, and a SET instead of a SEQUENCE.
  Bytes indefinite = {0x30, 0x80};
  indefinite.insert(indefinite.end(), r_int.begin(), r_int.end());
  indefinite.insert(indefinite.end(), s_int.begin(), s_int.end());
  indefinite.insert(indefinite.end(), {0x00, 0x00});
  EXPECT_FALSE(verifies(indefinite));
  Bytes as_set = seq({r_int, s_int}, false);
  as_set[0] = 0x31;
  EXPECT_FALSE(verifies(as_set));
}

TEST_F(EcdsaP256RejectTest, ROrSZeroOrAtLeastN) {
  const Bn n = bn_from_hex(kOrderHex);
  const Bn r = bn_from_hex(r_);
  const Bn s = bn_from_hex(s_);
  ASSERT_TRUE(verifies(der_of(r.get(), s.get())));
  const Bn zero = bn_from_hex("0");
  EXPECT_FALSE(verifies(der_of(zero.get(), s.get())));
  EXPECT_FALSE(verifies(der_of(r.get(), zero.get())));
  EXPECT_FALSE(verifies(der_of(zero.get(), zero.get())));
  EXPECT_FALSE(verifies(der_of(n.get(), s.get())));
  EXPECT_FALSE(verifies(der_of(r.get(), n.get())));
  // r + n and s + n are congruent to valid values: a verifier that reduced them would accept.
  const Bn r_plus_n(BN_new());
  const Bn s_plus_n(BN_new());
  BN_add(r_plus_n.get(), r.get(), n.get());
  BN_add(s_plus_n.get(), s.get(), n.get());
  EXPECT_FALSE(verifies(der_of(r_plus_n.get(), s.get())));
  EXPECT_FALSE(verifies(der_of(r.get(), s_plus_n.get())));
}

// ECDSA's malleability, pinned: (r, n - s) is also valid, and verify() accepts it (no low-s rule).
TEST_F(EcdsaP256RejectTest, HighSCounterpartAlsoVerifies) {
  const Bn n = bn_from_hex(kOrderHex);
  const Bn s = bn_from_hex(s_);
  const Bn n_minus_s(BN_new());
  BN_sub(n_minus_s.get(), n.get(), s.get());
  const Bytes twin = der_of(bn_from_hex(r_).get(), n_minus_s.get());
  EXPECT_NE(twin, sig_);
  EXPECT_TRUE(verifies(twin));
}

TEST_F(EcdsaP256RejectTest, MalformedPublicKeys) {
  const PublicKeyBytes& pub = key_.public_key();
  const ByteView pv(pub.data(), pub.size());
  // Wrong lengths, including the right key compressed.
  EXPECT_FALSE(verify(Bytes{}, msg_, sig_));
  EXPECT_FALSE(verify(pv.first(64), msg_, sig_));
  Bytes longer(pub.begin(), pub.end());
  longer.push_back(0);
  EXPECT_FALSE(verify(longer, msg_, sig_));
  Bytes compressed = {static_cast<std::uint8_t>(0x02 | (pub[64] & 1))};
  compressed.insert(compressed.end(), pub.begin() + 1, pub.begin() + 33);
  ASSERT_EQ(parse_public_key(compressed), pub);
  EXPECT_FALSE(verify(compressed, msg_, sig_));
  // Prefixes other than 0x04, including the hybrid forms OpenSSL itself would accept.
  for (std::uint8_t prefix : {0x00, 0x02, 0x03, 0x05, 0x06, 0x07, 0x14}) {
    PublicKeyBytes bad = pub;
    bad[0] = prefix;
    EXPECT_FALSE(verify(bad, msg_, sig_)) << int{prefix};
  }
  // The point at infinity (a lone 0x00) and the all-zero point.
  EXPECT_FALSE(verify(Bytes{0x00}, msg_, sig_));
  PublicKeyBytes zero{};
  zero[0] = 0x04;
  EXPECT_FALSE(verify(zero, msg_, sig_));
  // Every flipped bit of X or Y: off the curve or another key.
  for (std::size_t bit = 8; bit < pub.size() * 8; ++bit) {
    PublicKeyBytes bad = pub;
    bad[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(verify(bad, msg_, sig_)) << "bit " << bit;
  }
  // The rejections left the cache and the error queue as they were.
  EXPECT_TRUE(verify(pub, msg_, sig_));
  EXPECT_EQ(ERR_peek_error(), 0ul);
}

// ---- parse_public_key ----

TEST(EcdsaP256ParseTest, Sec1UncompressedAndCompressedGiveTheUncompressedPoint) {
  for (const char* id : {"a", "b", "c", "d"}) {
    const PublicKeyBytes pub = PrivateKey::derive(5, id).public_key();
    EXPECT_EQ(parse_public_key(pub), pub);
    Bytes compressed = {static_cast<std::uint8_t>(0x02 | (pub[64] & 1))};
    compressed.insert(compressed.end(), pub.begin() + 1, pub.begin() + 33);
    EXPECT_EQ(parse_public_key(compressed), pub);
    compressed[0] ^= 1;  // the other Y: the negated point
    const std::optional<PublicKeyBytes> negated = parse_public_key(compressed);
    ASSERT_TRUE(negated.has_value());
    EXPECT_NE(*negated, pub);
    EXPECT_TRUE(std::equal(pub.begin(), pub.begin() + 33, negated->begin()));
  }
}

TEST(EcdsaP256ParseTest, SpkiGivesTheSameBytesAsSec1) {
  const PublicKeyBytes pub = rfc_public_key();
  const Pkey key = openssl_key(nullptr, pub);
  const Bytes spki = spki_of(key.get());
  EXPECT_EQ(parse_public_key(spki), pub);
  // The same key with a compressed point inside the SPKI.
  ASSERT_EQ(EVP_PKEY_set_utf8_string_param(key.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                           "compressed"),
            1);
  const Bytes spki_compressed = spki_of(key.get());
  EXPECT_LT(spki_compressed.size(), spki.size());
  EXPECT_EQ(parse_public_key(spki_compressed), pub);
  // Trailing or missing bytes.
  Bytes trailing = spki;
  trailing.push_back(0);
  EXPECT_FALSE(parse_public_key(trailing).has_value());
  for (std::size_t len = 0; len < spki.size(); ++len) {
    EXPECT_FALSE(parse_public_key(ByteView(spki).first(len)).has_value()) << len;
  }
  // A point off the curve inside the SPKI (its last byte is Y's last byte).
  Bytes off_curve = spki;
  off_curve.back() ^= 1;
  EXPECT_FALSE(parse_public_key(off_curve).has_value());
  EXPECT_EQ(ERR_peek_error(), 0ul);
}

TEST(EcdsaP256ParseTest, SpkiOfAnotherCurveOrAlgorithmIsRefused) {
  for (const char* curve : {"secp384r1", "secp256k1", "secp224r1"}) {
    const Pkey other(EVP_EC_gen(curve));
    ASSERT_TRUE(other) << curve;
    EXPECT_FALSE(parse_public_key(spki_of(other.get())).has_value()) << curve;
  }
  const Pkey ed(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  ASSERT_TRUE(ed);
  EXPECT_FALSE(parse_public_key(spki_of(ed.get())).has_value());
  EXPECT_EQ(ERR_peek_error(), 0ul);
}

TEST(EcdsaP256ParseTest, MalformedSec1IsRefused) {
  const PublicKeyBytes pub = rfc_public_key();
  EXPECT_FALSE(parse_public_key(Bytes{}).has_value());
  EXPECT_FALSE(parse_public_key(Bytes{0x00}).has_value());  // the point at infinity
  for (std::uint8_t prefix : {0x00, 0x02, 0x05, 0x06, 0x07}) {
    PublicKeyBytes bad = pub;
    bad[0] = prefix;
    EXPECT_FALSE(parse_public_key(bad).has_value()) << int{prefix};
  }
  PublicKeyBytes off_curve = pub;
  off_curve[64] ^= 0x01;
  EXPECT_FALSE(parse_public_key(off_curve).has_value());
  EXPECT_FALSE(parse_public_key(ByteView(pub).first(64)).has_value());
  // X = p (not a field element) in compressed form.
  Bytes x_is_p = hex_bytes("02ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
  EXPECT_FALSE(parse_public_key(x_is_p).has_value());
  EXPECT_EQ(ERR_peek_error(), 0ul);
}

// ---- The openssl command-line tool ----

class TempDir {
 public:
  TempDir()
      : path_(std::filesystem::path(::testing::TempDir()) /
              ("hlsim_ecdsa_" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const char* name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

void write_file(const std::string& path, ByteView data) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int run(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(EcdsaP256OpenSslCliTest, CommandLineToolAgreesInBothDirections) {
  if (run("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl command";
  const TempDir dir;
  const Scalar d = scalar_from_hex(kRfcKey);
  const PrivateKey key = *PrivateKey::from_scalar(d);
  const Pkey ossl_key = openssl_key(&d, key.public_key());
  {
    BIO* bio = BIO_new_file(dir.file("pub.pem").c_str(), "w");
    ASSERT_NE(bio, nullptr);
    EXPECT_EQ(PEM_write_bio_PUBKEY(bio, ossl_key.get()), 1);
    BIO_free(bio);
    bio = BIO_new_file(dir.file("key.pem").c_str(), "w");
    ASSERT_NE(bio, nullptr);
    EXPECT_EQ(PEM_write_bio_PrivateKey(bio, ossl_key.get(), nullptr, nullptr, 0, nullptr, nullptr),
              1);
    BIO_free(bio);
  }
  const Bytes msg = hex_bytes("00010203fffefd7e7f80");
  write_file(dir.file("msg.bin"), msg);
  write_file(dir.file("ours.der"), key.sign(msg));
  // openssl verifies our signature...
  EXPECT_EQ(run("openssl dgst -sha256 -verify " + dir.file("pub.pem") + " -signature " +
                dir.file("ours.der") + " " + dir.file("msg.bin") + " >/dev/null 2>&1"),
            0);
  // ...and rejects it for another message.
  write_file(dir.file("other.bin"), as_bytes("other"));
  EXPECT_NE(run("openssl dgst -sha256 -verify " + dir.file("pub.pem") + " -signature " +
                dir.file("ours.der") + " " + dir.file("other.bin") + " >/dev/null 2>&1"),
            0);
  // We verify openssl's signature, and read its DER SPKI.
  ASSERT_EQ(run("openssl dgst -sha256 -sign " + dir.file("key.pem") + " -out " +
                dir.file("theirs.der") + " " + dir.file("msg.bin") + " >/dev/null 2>&1"),
            0);
  EXPECT_TRUE(verify(key.public_key(), msg, read_file(dir.file("theirs.der"))));
  ASSERT_EQ(run("openssl pkey -pubin -in " + dir.file("pub.pem") + " -outform DER -out " +
                dir.file("pub.der") + " >/dev/null 2>&1"),
            0);
  EXPECT_EQ(parse_public_key(read_file(dir.file("pub.der"))), key.public_key());
}

// ---- Threads ----

TEST(EcdsaP256Test, SignAndVerifyFromManyThreadsSharingOneKey) {
  const PrivateKey key = PrivateKey::derive(3, "shared");
  std::vector<Bytes> expected;
  for (int i = 0; i < 30; ++i) expected.push_back(key.sign(Bytes{static_cast<std::uint8_t>(i)}));
  std::vector<std::thread> threads;
  std::vector<int> good(4, 0);
  for (std::size_t t = 0; t < good.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        const Bytes msg = {static_cast<std::uint8_t>(i)};
        const Bytes sig = key.sign(msg);
        const Bytes other = {static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(t)};
        if (sig == expected[static_cast<std::size_t>(i)] && verify(key.public_key(), msg, sig) &&
            !verify(key.public_key(), other, sig)) {
          ++good[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int g : good) EXPECT_EQ(g, 30);
}

TEST(EcdsaP256Test, RepeatedVerificationUnderManySignersGivesTheSameAnswers) {
  // The second round finds every signer's key already parsed; the answers must not change.
  const Bytes msg = {0x5a};
  int verified = 0;
  int rejected = 0;
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 20; ++i) {
      const PrivateKey k = PrivateKey::derive(11, "signer-" + std::to_string(i));
      const Bytes sig = k.sign(msg);
      verified += verify(k.public_key(), msg, sig) ? 1 : 0;
      const PrivateKey other = PrivateKey::derive(11, "signer-" + std::to_string(i + 1));
      rejected += verify(other.public_key(), msg, sig) ? 0 : 1;
    }
  }
  EXPECT_EQ(verified, 40);
  EXPECT_EQ(rejected, 40);
}

}  // namespace
}  // namespace hlsim::ecdsa_p256
