#include "ledger/crypto/ecdsa_p256.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/params.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "ledger/crypto/openssl_util.h"
#include "ledger/crypto/sha256.h"
#include "ledger/encoding.h"

namespace hlsim::ecdsa_p256 {

namespace {

// ---- RAII for the OpenSSL objects openssl_util.h does not cover ----

template <auto Free>
struct FreeWith {
  template <class T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};
using GroupPtr = std::unique_ptr<EC_GROUP, FreeWith<EC_GROUP_free>>;
using PointPtr = std::unique_ptr<EC_POINT, FreeWith<EC_POINT_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, FreeWith<BN_CTX_free>>;
using MontPtr = std::unique_ptr<BN_MONT_CTX, FreeWith<BN_MONT_CTX_free>>;
// Cleared on free: these hold secrets (the nonce, d in Montgomery form) or values derived from
// them.
using BignumPtr = std::unique_ptr<BIGNUM, FreeWith<BN_clear_free>>;
using MacPtr = std::unique_ptr<EVP_MAC, FreeWith<EVP_MAC_free>>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, FreeWith<EVP_MAC_CTX_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, FreeWith<EVP_PKEY_CTX_free>>;
using SigPtr = std::unique_ptr<ECDSA_SIG, FreeWith<ECDSA_SIG_free>>;

using Scalar = std::array<std::uint8_t, 32>;  // big-endian, as SEC 1 and RFC 6979 write integers

// A 32-byte buffer that is wiped when it goes out of scope, for the nonce and the HMAC-DRBG state.
struct WipedScalar {
  Scalar bytes{};
  WipedScalar() = default;
  WipedScalar(const WipedScalar&) = delete;
  WipedScalar& operator=(const WipedScalar&) = delete;
  ~WipedScalar() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

// n, the order of P-256's base point (SEC 2 §2.4.2), big-endian. Each thread's context checks it
// against OpenSSL's group before first use.
constexpr Scalar kOrder = {0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
                           0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17,
                           0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};

// 1 <= a < n, without branching on a's bytes.
bool in_scalar_range(const Scalar& a) {
  unsigned borrow = 0;  // of a - n, computed from the least significant byte up
  unsigned any = 0;
  for (std::size_t i = a.size(); i-- > 0;) {
    borrow = (static_cast<unsigned>(a[i]) - kOrder[i] - borrow) >> 8 & 1u;
    any |= a[i];
  }
  return (borrow & static_cast<unsigned>(any != 0)) != 0;
}

// ---- Inversion modulo n ----
//
// OpenSSL 3.0 offers no public, fast inversion modulo the group order: BN_mod_inverse (constant
// time or not) and Fermat through BN_mod_exp_mont_consttime each take 10-13 us on the reference
// machine, over half of OpenSSL's own complete signature. This is Bernstein and Yang's "safegcd"
// inversion ("Fast constant-time gcd computation and modular inversion", 2019) with their divstep
// (delta starting at 1), run for a fixed number of steps without data-dependent branches.
//
// Numbers are held as 5 signed limbs of 62 bits, value = sum(v[i] * 2^(62 i)): v[0..3] in
// [0, 2^62) once normalised, v[4] carrying the sign and the high bits. Products of a limb with a
// matrix entry (both below 2^62 in magnitude) fit in 124 bits, so an __int128 accumulates them.

__extension__ using Int128 = __int128;  // GCC / Clang extension; -Wpedantic needs the marker

using Limbs62 = std::array<std::int64_t, 5>;
constexpr std::int64_t kMask62 = (std::int64_t{1} << 62) - 1;

// Batches of 62 divsteps. The paper proves that for f odd and f^2 + 4 g^2 <= 5 * 2^(2d), g reaches
// 0 within floor((49 d + 57) / 17) divsteps when d >= 46: 741 for d = 256 (f = n, g < n), and 12 *
// 62 = 744. invert_mod_order checks the outcome all the same.
constexpr int kBatches = 12;

constexpr Limbs62 limbs62_from_bytes(const Scalar& a) {
  std::array<std::uint64_t, 4> w{};  // little-endian 64-bit words
  for (std::size_t i = 0; i < 32; ++i) w[3 - i / 8] |= std::uint64_t{a[i]} << (8 * (7 - i % 8));
  return {static_cast<std::int64_t>(w[0] & kMask62),
          static_cast<std::int64_t>((w[0] >> 62 | w[1] << 2) & kMask62),
          static_cast<std::int64_t>((w[1] >> 60 | w[2] << 4) & kMask62),
          static_cast<std::int64_t>((w[2] >> 58 | w[3] << 6) & kMask62),
          static_cast<std::int64_t>(w[3] >> 56)};
}

// REQUIRES: a normalised value in [0, 2^256).
Scalar bytes_from_limbs62(const Limbs62& a) {
  const auto u = [&](std::size_t i) { return static_cast<std::uint64_t>(a[i]); };
  const std::array<std::uint64_t, 4> w = {u(0) | u(1) << 62, u(1) >> 2 | u(2) << 60,
                                          u(2) >> 4 | u(3) << 58, u(3) >> 6 | u(4) << 56};
  Scalar out{};
  for (std::size_t i = 0; i < 32; ++i) {
    out[i] = static_cast<std::uint8_t>(w[3 - i / 8] >> (8 * (7 - i % 8)));
  }
  return out;
}

constexpr Limbs62 kOrder62 = limbs62_from_bytes(kOrder);

// n^-1 mod 2^62, by Newton's iteration x <- x (2 - n x), which doubles the correct low bits; an odd
// x is its own inverse modulo 8, so five rounds give 96 >= 62 bits.
constexpr std::uint64_t order_inverse_mod_2_62() {
  const auto n0 = static_cast<std::uint64_t>(kOrder62[0]);
  std::uint64_t x = n0;
  for (int i = 0; i < 5; ++i) x *= 2 - n0 * x;
  return x & static_cast<std::uint64_t>(kMask62);
}
constexpr std::uint64_t kOrderInverse62 = order_inverse_mod_2_62();
static_assert((kOrderInverse62 * static_cast<std::uint64_t>(kOrder62[0]) &
               static_cast<std::uint64_t>(kMask62)) == 1);

// The transition matrix of 62 divsteps, scaled by 2^62: afterwards f = (u f0 + v g0) / 2^62 and
// g = (q f0 + r g0) / 2^62. |u| + |v| <= 2^62 and |q| + |r| <= 2^62 (each step at most doubles a
// row's sum), so every entry fits in an int64.
struct Matrix {
  std::int64_t u, v, q, r;
};

// 62 divsteps on the low 64 bits of f (odd) and g, which decide every step of the batch: a step
// looks at g's parity only and halves g, so 64 known bits last the 62 steps. Branch-free.
Matrix divsteps_62(std::int64_t& delta, std::uint64_t f, std::uint64_t g) {
  std::int64_t u = 1;
  std::int64_t v = 0;
  std::int64_t q = 0;
  std::int64_t r = 1;
  for (int i = 0; i < 62; ++i) {
    // divstep: if delta > 0 and g odd: (1 - delta, g, (g - f) / 2); else if g odd:
    // (1 + delta, f, (g + f) / 2); else (1 + delta, f, g / 2). Written as: conditionally replace
    // (delta, f, g) by (-delta, g, -f) (and the rows alike), add f to g if g is odd, halve g.
    const std::int64_t g_odd = -static_cast<std::int64_t>(g & 1);  // all ones when g is odd
    const std::int64_t swap = g_odd & ((-delta) >> 63);            // ... and delta > 0
    const auto swap_u = static_cast<std::uint64_t>(swap);
    delta = (delta ^ swap) - swap;
    const std::uint64_t fg = (f ^ g) & swap_u;
    f ^= fg;
    g ^= fg;
    g = (g ^ swap_u) - swap_u;
    const std::int64_t uq = (u ^ q) & swap;
    u ^= uq;
    q ^= uq;
    q = (q ^ swap) - swap;
    const std::int64_t vr = (v ^ r) & swap;
    v ^= vr;
    r ^= vr;
    r = (r ^ swap) - swap;
    g += f & static_cast<std::uint64_t>(g_odd);
    q += u & g_odd;
    r += v & g_odd;
    g >>= 1;
    u *= 2;
    v *= 2;
    delta += 1;
  }
  return {u, v, q, r};
}

std::uint64_t low64(const Limbs62& a) {
  return static_cast<std::uint64_t>(a[0]) | static_cast<std::uint64_t>(a[1]) << 62;
}

// Carries so that limbs 0..3 lie in [0, 2^62); the value is unchanged.
void carry(Limbs62& a) {
  for (std::size_t i = 0; i < 4; ++i) {
    a[i + 1] += a[i] >> 62;
    a[i] &= kMask62;
  }
}

// Maps a normalised value in (-n, 2n) into [0, n), branch-free.
void reduce_into_order(Limbs62& a) {
  const std::int64_t negative = a[4] >> 63;
  for (std::size_t i = 0; i < 5; ++i) a[i] += kOrder62[i] & negative;
  carry(a);
  Limbs62 less = a;
  for (std::size_t i = 0; i < 5; ++i) less[i] -= kOrder62[i];
  carry(less);
  const std::int64_t below_n = less[4] >> 63;  // a - n < 0: keep a
  for (std::size_t i = 0; i < 5; ++i) a[i] = (a[i] & below_n) | (less[i] & ~below_n);
}

// (f, g) <- (u f + v g, q f + r g) / 2^62. Exact: the matrix makes the low 62 bits vanish.
void apply_to_fg(const Matrix& m, Limbs62& f, Limbs62& g) {
  Int128 cf = Int128{m.u} * f[0] + Int128{m.v} * g[0];
  Int128 cg = Int128{m.q} * f[0] + Int128{m.r} * g[0];
  cf >>= 62;
  cg >>= 62;
  for (std::size_t i = 1; i < 5; ++i) {
    cf += Int128{m.u} * f[i] + Int128{m.v} * g[i];
    cg += Int128{m.q} * f[i] + Int128{m.r} * g[i];
    f[i - 1] = static_cast<std::int64_t>(cf) & kMask62;
    g[i - 1] = static_cast<std::int64_t>(cg) & kMask62;
    cf >>= 62;
    cg >>= 62;
  }
  f[4] = static_cast<std::int64_t>(cf);
  g[4] = static_cast<std::int64_t>(cg);
}

// (d, e) <- (u d + v e, q d + r e) / 2^62 mod n, for d, e in [0, n), results in [0, n). Adding
// md n and me n, with md, me in [0, 2^62) chosen to clear the low 62 bits, makes the division
// exact; the results then lie in (-n, 2n) since |u| + |v| <= 2^62.
void apply_to_de(const Matrix& m, Limbs62& d, Limbs62& e) {
  const auto low_u = [](std::int64_t x) { return static_cast<std::uint64_t>(x); };
  const std::uint64_t md =
      (0 - (low_u(m.u) * low_u(d[0]) + low_u(m.v) * low_u(e[0])) * kOrderInverse62) &
      static_cast<std::uint64_t>(kMask62);
  const std::uint64_t me =
      (0 - (low_u(m.q) * low_u(d[0]) + low_u(m.r) * low_u(e[0])) * kOrderInverse62) &
      static_cast<std::uint64_t>(kMask62);
  const auto md_s = static_cast<std::int64_t>(md);
  const auto me_s = static_cast<std::int64_t>(me);
  Int128 cd = Int128{m.u} * d[0] + Int128{m.v} * e[0] + Int128{md_s} * kOrder62[0];
  Int128 ce = Int128{m.q} * d[0] + Int128{m.r} * e[0] + Int128{me_s} * kOrder62[0];
  cd >>= 62;
  ce >>= 62;
  for (std::size_t i = 1; i < 5; ++i) {
    cd += Int128{m.u} * d[i] + Int128{m.v} * e[i] + Int128{md_s} * kOrder62[i];
    ce += Int128{m.q} * d[i] + Int128{m.r} * e[i] + Int128{me_s} * kOrder62[i];
    d[i - 1] = static_cast<std::int64_t>(cd) & kMask62;
    e[i - 1] = static_cast<std::int64_t>(ce) & kMask62;
    cd >>= 62;
    ce >>= 62;
  }
  d[4] = static_cast<std::int64_t>(cd);
  e[4] = static_cast<std::int64_t>(ce);
  reduce_into_order(d);
  reduce_into_order(e);
}

// a^-1 mod n. REQUIRES: 1 <= a < n. Keeps d a == f and e a == g (mod n) while the divsteps drive
// g to 0 and f to gcd(n, a) = +-1; then a^-1 = +-d.
Scalar invert_mod_order(const Scalar& a) {
  Limbs62 f = kOrder62;
  Limbs62 g = limbs62_from_bytes(a);
  Limbs62 d = {0, 0, 0, 0, 0};
  Limbs62 e = {1, 0, 0, 0, 0};
  std::int64_t delta = 1;
  for (int batch = 0; batch < kBatches; ++batch) {
    const Matrix m = divsteps_62(delta, low64(f), low64(g));
    apply_to_fg(m, f, g);
    apply_to_de(m, d, e);
  }
  // f is +1 or -1 (limbs 2^62 - 1, ..., -1). Computed without short-circuiting on which.
  const std::int64_t plus_one = (f[0] ^ 1) | f[1] | f[2] | f[3] | f[4];
  const std::int64_t minus_one =
      (f[0] ^ kMask62) | (f[1] ^ kMask62) | (f[2] ^ kMask62) | (f[3] ^ kMask62) | (f[4] ^ -1);
  const std::int64_t g_bits = g[0] | g[1] | g[2] | g[3] | g[4];
  if (((plus_one == 0) | (minus_one == 0)) == 0 || g_bits != 0) {
    throw std::logic_error("ecdsa_p256: inversion did not converge");
  }
  // When f = -1 the inverse is -d = n - d (d is not 0: a is invertible).
  const std::int64_t negate = f[4] >> 63;
  Limbs62 neg_d{};
  for (std::size_t i = 0; i < 5; ++i) neg_d[i] = kOrder62[i] - d[i];
  carry(neg_d);
  for (std::size_t i = 0; i < 5; ++i) d[i] = (neg_d[i] & negate) | (d[i] & ~negate);
  Scalar out = bytes_from_limbs62(d);
  OPENSSL_cleanse(d.data(), sizeof d);
  OPENSSL_cleanse(neg_d.data(), sizeof neg_d);
  OPENSSL_cleanse(e.data(), sizeof e);
  return out;
}

// ---- Per-thread OpenSSL state ----

BignumPtr new_bignum(bool secret) {
  BignumPtr bn(BN_new());
  if (!bn) ossl::throw_error("BN_new");
  if (secret) BN_set_flags(bn.get(), BN_FLG_CONSTTIME);
  return bn;
}

const EVP_MD* sha256_md() {
  static const ossl::MdPtr md = [] {
    ossl::MdPtr fetched(EVP_MD_fetch(nullptr, "SHA256", nullptr));
    if (!fetched) ossl::throw_error("EVP_MD_fetch(SHA256)");
    return fetched;
  }();
  return md.get();
}

EVP_MAC* hmac_mac() {
  static const MacPtr mac = [] {
    MacPtr fetched(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    if (!fetched) ossl::throw_error("EVP_MAC_fetch(HMAC)");
    return fetched;
  }();
  return mac.get();
}

MacCtxPtr new_hmac_sha256() {
  MacCtxPtr ctx(EVP_MAC_CTX_new(hmac_mac()));
  if (!ctx) ossl::throw_error("EVP_MAC_CTX_new");
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>("SHA256"), 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_CTX_set_params(ctx.get(), params) != 1) ossl::throw_error("EVP_MAC_CTX_set_params");
  return ctx;
}

// What signing, key derivation and key parsing reuse, built once per thread: a fresh EC_GROUP costs
// about 10 us and an HMAC context over 1 us, against 15 us for a whole signature. Per thread, so
// that no OpenSSL object is shared between threads. Scratch BIGNUMs are overwritten by every
// signature; the secret ones are cleared after it.
struct ThreadContext {
  GroupPtr group;
  BnCtxPtr bn_ctx;
  const BIGNUM* order = nullptr;  // owned by group
  MontPtr order_mont;             // Montgomery multiplication modulo n
  PointPtr point;
  BignumPtr k = new_bignum(true);
  BignumPtr k_inverse_mont = new_bignum(true);  // k^-1 R mod n (Montgomery form)
  BignumPtr rd = new_bignum(true);              // r d mod n
  BignumPtr sum = new_bignum(true);             // z + r d mod n
  BignumPtr x = new_bignum(false);
  BignumPtr r = new_bignum(false);
  BignumPtr s = new_bignum(false);
  BignumPtr z = new_bignum(false);
  MacCtxPtr hmac = new_hmac_sha256();     // re-keyed as RFC 6979's K changes
  MacCtxPtr hmac_k0 = new_hmac_sha256();  // keyed once with RFC 6979's initial K = 0x00 * 32

  ThreadContext() {
    group.reset(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
    if (!group) ossl::throw_error("EC_GROUP_new_by_curve_name(prime256v1)");
    bn_ctx.reset(BN_CTX_new());
    if (!bn_ctx) ossl::throw_error("BN_CTX_new");
    order = EC_GROUP_get0_order(group.get());
    Scalar order_bytes{};
    if (order == nullptr || BN_bn2binpad(order, order_bytes.data(), 32) != 32 ||
        order_bytes != kOrder) {
      throw std::logic_error("ecdsa_p256: OpenSSL's P-256 order differs from kOrder");
    }
    order_mont.reset(BN_MONT_CTX_new());
    if (!order_mont || BN_MONT_CTX_set(order_mont.get(), order, bn_ctx.get()) != 1) {
      ossl::throw_error("BN_MONT_CTX_set");
    }
    point.reset(EC_POINT_new(group.get()));
    if (!point) ossl::throw_error("EC_POINT_new");
    const Scalar zero_key{};
    if (EVP_MAC_init(hmac_k0.get(), zero_key.data(), zero_key.size(), nullptr) != 1) {
      ossl::throw_error("EVP_MAC_init");
    }
  }

  static ThreadContext& get() {
    thread_local ThreadContext context;
    return context;
  }
};

// out = HMAC-SHA-256 of the concatenated parts, under `key`, or, when key is nullptr, under the key
// `ctx` was last initialised with (which spares re-deriving the padded key states). `out` may alias
// a part: every part is consumed before the result is written.
void hmac(EVP_MAC_CTX* ctx, const Scalar* key, std::initializer_list<ByteView> parts, Scalar& out) {
  const int init = key != nullptr ? EVP_MAC_init(ctx, key->data(), key->size(), nullptr)
                                  : EVP_MAC_init(ctx, nullptr, 0, nullptr);
  if (init != 1) ossl::throw_error("EVP_MAC_init");
  for (const ByteView part : parts) {
    if (EVP_MAC_update(ctx, part.data(), part.size()) != 1) ossl::throw_error("EVP_MAC_update");
  }
  std::size_t len = 0;
  if (EVP_MAC_final(ctx, out.data(), &len, out.size()) != 1) ossl::throw_error("EVP_MAC_final");
  if (len != out.size()) throw std::runtime_error("OpenSSL: HMAC-SHA-256 has wrong length");
}

ByteView view(const Scalar& s) { return {s.data(), s.size()}; }

// An uncompressed or compressed SEC1 point on P-256 as uncompressed SEC1 bytes; nullopt for any
// other shape or a point off the curve. (OpenSSL's decoder alone would also take the hybrid forms
// 0x06 / 0x07 and a lone 0x00 for the point at infinity.)
std::optional<PublicKeyBytes> sec1_to_uncompressed(ByteView in) {
  const bool uncompressed = in.size() == kPublicKeyBytes && in[0] == 0x04;
  const bool compressed = in.size() == 33 && (in[0] == 0x02 || in[0] == 0x03);
  if (!uncompressed && !compressed) return std::nullopt;
  ThreadContext& tc = ThreadContext::get();
  if (EC_POINT_oct2point(tc.group.get(), tc.point.get(), in.data(), in.size(), tc.bn_ctx.get()) !=
          1 ||
      EC_POINT_is_at_infinity(tc.group.get(), tc.point.get()) == 1) {
    ossl::clear_errors();
    return std::nullopt;
  }
  PublicKeyBytes out{};
  if (EC_POINT_point2oct(tc.group.get(), tc.point.get(), POINT_CONVERSION_UNCOMPRESSED, out.data(),
                         out.size(), tc.bn_ctx.get()) != out.size()) {
    ossl::throw_error("EC_POINT_point2oct");
  }
  return out;
}

// DER ECDSA-Sig-Value of (r, s). REQUIRES: 0 < r, s < n, which bounds it by kSignatureBytesMax.
Bytes encode_der(const BIGNUM* r, const BIGNUM* s) {
  const SigPtr sig(ECDSA_SIG_new());
  if (!sig) ossl::throw_error("ECDSA_SIG_new");
  BignumPtr r_copy(BN_dup(r));
  BignumPtr s_copy(BN_dup(s));
  if (!r_copy || !s_copy) ossl::throw_error("BN_dup");
  if (ECDSA_SIG_set0(sig.get(), r_copy.get(), s_copy.get()) != 1) {
    ossl::throw_error("ECDSA_SIG_set0");
  }
  static_cast<void>(r_copy.release());  // owned by sig now
  static_cast<void>(s_copy.release());
  const int len = i2d_ECDSA_SIG(sig.get(), nullptr);  // checked before anything is written
  if (len <= 0 || static_cast<std::size_t>(len) > kSignatureBytesMax) {
    ossl::throw_error("i2d_ECDSA_SIG (length)");
  }
  Bytes der(static_cast<std::size_t>(len));
  std::uint8_t* out = der.data();
  if (i2d_ECDSA_SIG(sig.get(), &out) != len) ossl::throw_error("i2d_ECDSA_SIG");
  return der;
}

// Clears the thread context's secret scratch BIGNUMs when a signature attempt ends, however.
class SecretScratchGuard {
 public:
  explicit SecretScratchGuard(ThreadContext& tc) : tc_(tc) {}
  SecretScratchGuard(const SecretScratchGuard&) = delete;
  SecretScratchGuard& operator=(const SecretScratchGuard&) = delete;
  ~SecretScratchGuard() {
    BN_clear(tc_.k.get());
    BN_clear(tc_.k_inverse_mont.get());
    BN_clear(tc_.rd.get());
    BN_clear(tc_.sum.get());
  }

 private:
  ThreadContext& tc_;
};

// The ECDSA signature with nonce k (1 <= k < n) over z (already reduced mod n, in tc.z) under the
// key with d R mod n = d_mont; nullopt when r or s comes out 0 (RFC 6979 §3.4: take the next k).
std::optional<Bytes> sign_with_nonce(ThreadContext& tc, const BIGNUM* d_mont, const Scalar& k) {
  const SecretScratchGuard guard(tc);
  BN_CTX* const bn = tc.bn_ctx.get();
  if (BN_bin2bn(k.data(), static_cast<int>(k.size()), tc.k.get()) == nullptr) {
    ossl::throw_error("BN_bin2bn");
  }
  // r = x(k G) mod n; x < p < 2n, so at most one subtraction.
  if (EC_POINT_mul(tc.group.get(), tc.point.get(), tc.k.get(), nullptr, nullptr, bn) != 1) {
    ossl::throw_error("EC_POINT_mul");
  }
  if (EC_POINT_get_affine_coordinates(tc.group.get(), tc.point.get(), tc.x.get(), nullptr, bn) !=
      1) {
    ossl::throw_error("EC_POINT_get_affine_coordinates");
  }
  const bool reduced = BN_cmp(tc.x.get(), tc.order) >= 0
                           ? BN_sub(tc.r.get(), tc.x.get(), tc.order) == 1
                           : BN_copy(tc.r.get(), tc.x.get()) != nullptr;
  if (!reduced) ossl::throw_error("BN_sub / BN_copy");
  if (BN_is_zero(tc.r.get())) return std::nullopt;

  // s = k^-1 (z + r d) mod n, in Montgomery arithmetic: mont(a, b) = a b R^-1 mod n, so
  // mont(r, d R) = r d and mont(z + r d, k^-1 R) = (z + r d) k^-1.
  WipedScalar k_inverse;
  k_inverse.bytes = invert_mod_order(k);
  if (BN_bin2bn(k_inverse.bytes.data(), static_cast<int>(k_inverse.bytes.size()),
                tc.k_inverse_mont.get()) == nullptr ||
      BN_to_montgomery(tc.k_inverse_mont.get(), tc.k_inverse_mont.get(), tc.order_mont.get(), bn) !=
          1 ||
      BN_mod_mul_montgomery(tc.rd.get(), tc.r.get(), d_mont, tc.order_mont.get(), bn) != 1 ||
      BN_mod_add_quick(tc.sum.get(), tc.z.get(), tc.rd.get(), tc.order) != 1 ||
      BN_mod_mul_montgomery(tc.s.get(), tc.sum.get(), tc.k_inverse_mont.get(), tc.order_mont.get(),
                            bn) != 1) {
    ossl::throw_error("BIGNUM arithmetic modulo n");
  }
  if (BN_is_zero(tc.s.get())) return std::nullopt;
  return encode_der(tc.r.get(), tc.s.get());
}

// Verification contexts (EVP_PKEY_CTX, initialised for verification with SHA-256, holding the
// parsed key), per thread and per public key. Parsing a key and initialising a context cost about
// 20 us, a third of a verification, and a run verifies many signatures from few signers. Cleared
// wholesale when full, which only costs re-parsing. The cache never affects a result: it holds
// parsed keys, not answers.
class VerifierCache {
 public:
  // The context for `key` (0x04-prefixed, 65 bytes), or nullptr when OpenSSL refuses the point.
  EVP_PKEY_CTX* get(const PublicKeyBytes& key) {
    if (auto it = contexts_.find(key); it != contexts_.end()) return it->second.get();
    PkeyCtxPtr ctx = make_context(key);
    if (!ctx) return nullptr;
    if (contexts_.size() >= kCapacity) contexts_.clear();
    return contexts_.emplace(key, std::move(ctx)).first->second.get();
  }

 private:
  // A key and its context take about 3 KB (measured); this bounds the cache near 12 MB per thread.
  static constexpr std::size_t kCapacity = std::size_t{1} << 12;

  struct KeyHash {
    std::size_t operator()(const PublicKeyBytes& k) const noexcept {
      std::size_t v;
      std::memcpy(&v, k.data() + 1, sizeof v);  // bytes of X: uniform for honest keys
      return v;
    }
  };

  PkeyCtxPtr make_context(const PublicKeyBytes& key) {
    if (!fromdata_) {
      fromdata_.reset(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
      if (!fromdata_) ossl::throw_error("EVP_PKEY_CTX_new_from_name(EC)");
    }
    if (EVP_PKEY_fromdata_init(fromdata_.get()) != 1) ossl::throw_error("EVP_PKEY_fromdata_init");
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                         const_cast<char*>("prime256v1"), 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
                                          const_cast<std::uint8_t*>(key.data()), key.size()),
        OSSL_PARAM_construct_end()};
    EVP_PKEY* raw = nullptr;
    // Decoding checks that the point lies on the curve (and P-256's cofactor is 1).
    if (EVP_PKEY_fromdata(fromdata_.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) {
      return nullptr;
    }
    const ossl::PkeyPtr pkey(raw);
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));  // takes a reference
    if (!ctx) ossl::throw_error("EVP_PKEY_CTX_new_from_pkey");
    if (EVP_PKEY_verify_init(ctx.get()) != 1) ossl::throw_error("EVP_PKEY_verify_init");
    if (EVP_PKEY_CTX_set_signature_md(ctx.get(), sha256_md()) != 1) {
      ossl::throw_error("EVP_PKEY_CTX_set_signature_md");
    }
    return ctx;
  }

  std::unordered_map<PublicKeyBytes, PkeyCtxPtr, KeyHash> contexts_;
  PkeyCtxPtr fromdata_;
};

}  // namespace

// ---- PrivateKey ----

struct PrivateKey::Impl {
  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() { OPENSSL_cleanse(d.data(), d.size()); }

  Scalar d{};                           // int2octets(d), input to RFC 6979's HMAC-DRBG
  BignumPtr d_mont = new_bignum(true);  // d R mod n (Montgomery form), for r d
  PublicKeyBytes public_key{};
};

PrivateKey::PrivateKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

const PublicKeyBytes& PrivateKey::public_key() const { return impl_->public_key; }

std::optional<PrivateKey> PrivateKey::from_scalar(const std::array<std::uint8_t, 32>& d) {
  if (!in_scalar_range(d)) return std::nullopt;
  ThreadContext& tc = ThreadContext::get();
  auto impl = std::make_shared<Impl>();
  impl->d = d;
  const BignumPtr d_bn = new_bignum(true);
  if (BN_bin2bn(d.data(), static_cast<int>(d.size()), d_bn.get()) == nullptr) {
    ossl::throw_error("BN_bin2bn");
  }
  if (EC_POINT_mul(tc.group.get(), tc.point.get(), d_bn.get(), nullptr, nullptr, tc.bn_ctx.get()) !=
      1) {
    ossl::throw_error("EC_POINT_mul");
  }
  if (EC_POINT_point2oct(tc.group.get(), tc.point.get(), POINT_CONVERSION_UNCOMPRESSED,
                         impl->public_key.data(), impl->public_key.size(),
                         tc.bn_ctx.get()) != impl->public_key.size()) {
    ossl::throw_error("EC_POINT_point2oct");
  }
  if (BN_to_montgomery(impl->d_mont.get(), d_bn.get(), tc.order_mont.get(), tc.bn_ctx.get()) != 1) {
    ossl::throw_error("BN_to_montgomery");
  }
  return PrivateKey(std::move(impl));
}

std::array<std::uint8_t, 32> PrivateKey::derive_scalar(std::uint64_t run_seed,
                                                       std::string_view identity) {
  constexpr std::string_view kDomain = "hlsim-ecdsa-key-v1";
  for (std::uint32_t counter = 0;; ++counter) {
    Writer w(kDomain.size() + 8 + identity.size() + 4);
    w.raw(as_bytes(kDomain));
    w.u64(run_seed);
    w.raw(as_bytes(identity));
    w.u32(counter);
    // A digest outside [1, n) has probability below 2^-32; the next counter then decides.
    const Hash256 d = sha256(w.data());
    if (from_scalar(d.bytes)) return d.bytes;
  }
}

PrivateKey PrivateKey::derive(std::uint64_t run_seed, std::string_view identity) {
  return *from_scalar(derive_scalar(run_seed, identity));
}

Bytes PrivateKey::sign(ByteView message) const {
  ThreadContext& tc = ThreadContext::get();

  // z = bits2int(SHA-256(message)) mod n. With qlen = hlen = 256, bits2int is the plain big-endian
  // integer, and RFC 6979's bits2octets(h1) is z's 32 bytes.
  const Hash256 h1 = sha256(message);
  if (BN_bin2bn(h1.bytes.data(), static_cast<int>(h1.bytes.size()), tc.z.get()) == nullptr) {
    ossl::throw_error("BN_bin2bn");
  }
  if (BN_cmp(tc.z.get(), tc.order) >= 0 && BN_sub(tc.z.get(), tc.z.get(), tc.order) != 1) {
    ossl::throw_error("BN_sub");
  }
  Scalar z_bytes{};
  if (BN_bn2binpad(tc.z.get(), z_bytes.data(), 32) != 32) ossl::throw_error("BN_bn2binpad");

  // RFC 6979 §3.2 steps b-g.
  static constexpr std::uint8_t kZero = 0x00;
  static constexpr std::uint8_t kOne = 0x01;
  const ByteView x = view(impl_->d);
  WipedScalar v;
  WipedScalar key;
  v.bytes.fill(0x01);
  hmac(tc.hmac_k0.get(), nullptr, {view(v.bytes), {&kZero, 1}, x, view(z_bytes)}, key.bytes);
  hmac(tc.hmac.get(), &key.bytes, {view(v.bytes)}, v.bytes);
  hmac(tc.hmac.get(), nullptr, {view(v.bytes), {&kOne, 1}, x, view(z_bytes)}, key.bytes);
  hmac(tc.hmac.get(), &key.bytes, {view(v.bytes)}, v.bytes);

  for (;;) {
    // Step h: with qlen = hlen, T is one block V, and k = bits2int(T) = V.
    hmac(tc.hmac.get(), nullptr, {view(v.bytes)}, v.bytes);
    if (in_scalar_range(v.bytes)) {
      if (std::optional<Bytes> der = sign_with_nonce(tc, impl_->d_mont.get(), v.bytes)) {
        return std::move(*der);
      }
    }
    // Step h.3 (also RFC 6979 §3.4's answer to r = 0 or s = 0): K = HMAC_K(V || 0x00),
    // V = HMAC_K(V), then try the next candidate.
    hmac(tc.hmac.get(), nullptr, {view(v.bytes), {&kZero, 1}}, key.bytes);
    hmac(tc.hmac.get(), &key.bytes, {view(v.bytes)}, v.bytes);
  }
}

// ---- Verification and key parsing ----

bool verify(ByteView public_key, ByteView message, ByteView der_signature) {
  // OpenSSL would also take the hybrid forms 0x06 / 0x07; the contract is the uncompressed form.
  if (public_key.size() != kPublicKeyBytes || public_key[0] != 0x04) return false;
  // A canonical DER ECDSA-Sig-Value over P-256 is at most 72 bytes; OpenSSL rejects longer ones,
  // this only spares it the work.
  if (der_signature.empty() || der_signature.size() > kSignatureBytesMax) return false;
  PublicKeyBytes key{};
  std::copy(public_key.begin(), public_key.end(), key.begin());
  thread_local VerifierCache cache;
  EVP_PKEY_CTX* ctx = cache.get(key);
  if (ctx == nullptr) {
    ossl::clear_errors();
    return false;
  }
  // What EVP_DigestVerify(SHA-256) does, minus building a context per call: hash, then verify the
  // digest. OpenSSL's ECDSA_verify refuses DER that does not re-encode to the same bytes
  // (non-canonical forms, trailing bytes) and r, s outside [1, n - 1].
  const Hash256 digest = sha256(message);
  const int rc = EVP_PKEY_verify(ctx, der_signature.data(), der_signature.size(),
                                 digest.bytes.data(), digest.bytes.size());
  if (rc != 1) ossl::clear_errors();
  return rc == 1;
}

std::optional<PublicKeyBytes> parse_public_key(ByteView sec1_or_spki) {
  if (sec1_or_spki.empty()) return std::nullopt;
  if (sec1_or_spki[0] != 0x30) return sec1_to_uncompressed(sec1_or_spki);  // not a DER SEQUENCE
  // An SPKI for P-256 is under 100 bytes; the bound also keeps the length within a long.
  if (sec1_or_spki.size() > 1024) return std::nullopt;
  const unsigned char* p = sec1_or_spki.data();
  const ossl::PkeyPtr pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(sec1_or_spki.size())));
  if (!pkey || p != sec1_or_spki.data() + sec1_or_spki.size()) {
    ossl::clear_errors();
    return std::nullopt;
  }
  char group[32] = {};
  std::size_t group_len = 0;
  if (EVP_PKEY_is_a(pkey.get(), "EC") != 1 ||
      EVP_PKEY_get_group_name(pkey.get(), group, sizeof group, &group_len) != 1 ||
      std::string_view(group, group_len) != "prime256v1") {
    ossl::clear_errors();
    return std::nullopt;
  }
  std::array<std::uint8_t, kPublicKeyBytes> encoded{};
  std::size_t encoded_len = 0;
  if (EVP_PKEY_get_octet_string_param(pkey.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                      encoded.data(), encoded.size(), &encoded_len) != 1) {
    ossl::clear_errors();
    return std::nullopt;
  }
  return sec1_to_uncompressed({encoded.data(), encoded_len});
}

namespace detail {

std::array<std::uint8_t, 32> inverse_mod_order(const std::array<std::uint8_t, 32>& a) {
  if (!in_scalar_range(a)) throw std::invalid_argument("inverse_mod_order: need 1 <= a < n");
  return invert_mod_order(a);
}

}  // namespace detail

}  // namespace hlsim::ecdsa_p256
