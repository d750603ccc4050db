#include "workloads/credentials/credentials_register.h"

#include <cmath>
#include <numeric>
#include <stdexcept>

#include "sim/kernel/rng.h"

namespace hlsim::credentials {
namespace {

constexpr std::uint64_t kTagMulti = 1;
constexpr std::uint64_t kTagLapse = 2;
constexpr std::uint64_t kTagIssue = 3;
constexpr std::uint64_t kTagPermutation = 4;

std::uint64_t mix(std::uint64_t seed, std::uint64_t tag, std::uint64_t a, std::uint64_t b) {
  std::uint64_t s = seed ^ (tag * 0x9E3779B97F4A7C15ull);
  s = splitmix64(s) ^ a;
  s = splitmix64(s) ^ b;
  return splitmix64(s);
}

// x^-1 mod n by the extended Euclidean algorithm. REQUIRES: gcd(x, n) == 1, n >= 1.
std::uint64_t inverse_mod(std::uint64_t x, std::uint64_t n) {
  std::int64_t t = 0;
  std::int64_t new_t = 1;
  auto r = static_cast<std::int64_t>(n);
  auto new_r = static_cast<std::int64_t>(x % n);
  while (new_r != 0) {
    const std::int64_t q = r / new_r;
    const std::int64_t t2 = t - q * new_t;
    t = new_t;
    new_t = t2;
    const std::int64_t r2 = r - q * new_r;
    r = new_r;
    new_r = r2;
  }
  if (t < 0) t += static_cast<std::int64_t>(n);
  return static_cast<std::uint64_t>(t) % n;
}

}  // namespace

Register::Register(const RegisterConfig& config) : config_(config) {
  if (config.boards == 0 || config.clinicians == 0 || config.clinicians >= (1ull << 32) ||
      config.interval_ns <= 0 || config.day_ns <= 0) {
    throw std::invalid_argument(
        "Register: needs boards, 1 <= clinicians < 2^32, an interval, a day");
  }
  if (config.revocations_per_day > 0) {
    spacing_ns_ = std::max<TimeNs>(
        1, std::llround(static_cast<double>(config.day_ns) / config.revocations_per_day));
  }
  const std::uint64_t n = config.clinicians;
  if (n > 1) {
    perm_a_ = 1 + mix(config.seed, kTagPermutation, 0, 0) % (n - 1);
    while (std::gcd(perm_a_, n) != 1) perm_a_ = perm_a_ % (n - 1) + 1;
    perm_b_ = mix(config.seed, kTagPermutation, 1, 0) % n;
    perm_a_inverse_ = inverse_mod(perm_a_, n);
  }
}

double Register::unit(std::uint64_t tag, std::uint64_t a, std::uint64_t b) const {
  return static_cast<double>(mix(config_.seed, tag, a, b) >> 11) * 0x1.0p-53;
}

bool Register::multi_licensed(std::uint64_t clinician) const {
  return config_.boards >= 2 && clinician < config_.clinicians &&
         unit(kTagMulti, clinician, 0) < config_.multi_licence_fraction;
}

bool Register::holds(std::uint32_t board, std::uint64_t clinician) const {
  if (clinician >= config_.clinicians) return false;
  return board == primary_board(clinician) ||
         (board == secondary_board(clinician) && multi_licensed(clinician));
}

bool Register::may_license(std::uint32_t board, std::uint64_t clinician) const {
  return clinician < config_.clinicians ? holds(board, clinician)
                                        : board == primary_board(clinician);
}

TimeNs Register::register_issue_ns(std::uint32_t board, std::uint64_t clinician) const {
  const auto interval = static_cast<std::uint64_t>(config_.interval_ns);
  return -static_cast<TimeNs>(mix(config_.seed, kTagIssue, board, clinician) % interval);
}

bool Register::lapses(std::uint64_t clinician) const {
  return unit(kTagLapse, clinician, 0) < config_.lapse_fraction;
}

std::uint64_t Register::revocations_due(TimeNs now_ns) const {
  if (spacing_ns_ == 0 || now_ns < spacing_ns_) return 0;
  return std::min<std::uint64_t>(config_.clinicians,
                                 static_cast<std::uint64_t>(now_ns / spacing_ns_));
}

std::uint64_t Register::revoked_clinician(std::uint64_t k) const {
  // a, k < 2^32, so a * k + b fits in 64 bits.
  return (perm_a_ * k + perm_b_) % config_.clinicians;
}

std::uint64_t Register::revocation_index(std::uint64_t clinician) const {
  const std::uint64_t n = config_.clinicians;
  return (perm_a_inverse_ * ((clinician + n - perm_b_) % n)) % n;
}

bool Register::revocation_due(std::uint64_t clinician, TimeNs now_ns) const {
  return clinician < config_.clinicians && revocation_index(clinician) < revocations_due(now_ns);
}

}  // namespace hlsim::credentials
