// Deterministic pseudo-random streams.
//
// Every consumer of randomness (each node, each workload client, the network's per-sender jitter
// and loss) owns its own stream derived from the run seed and a (domain, index) pair, so adding a
// client never changes another client's draws, and results do not depend on event interleaving
// across LPs. The generator is xoshiro256** (Blackman & Vigna) seeded through SplitMix64; both are
// fully specified here, so a seed gives the same numbers with any compiler and standard library.
#pragma once

#include <cstdint>

namespace hlsim {

// SplitMix64 step: used to expand seeds. Advances `state` and returns the next output.
constexpr std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Domains of independent streams derived from one run seed.
enum class RngDomain : std::uint64_t {
  kNode = 1,      // a validator's protocol stream (election jitter, ...)
  kClient = 2,    // a workload client's arrivals and payloads
  kNetwork = 3,   // a sender's link jitter and loss draws
  kWorkload = 4,  // workload-wide setup (patient population, ...)
  kKeys = 5,      // key derivation
  kScenario = 6,  // scenario-level randomisation (fuzzing)
};

class Rng {
 public:
  explicit constexpr Rng(std::uint64_t seed = 0) { reseed(seed); }

  // The stream for (seed, domain, index): independent of every other (domain, index).
  static constexpr Rng stream(std::uint64_t seed, RngDomain domain, std::uint64_t index) {
    std::uint64_t s = seed;
    std::uint64_t a = splitmix64(s);
    std::uint64_t d = static_cast<std::uint64_t>(domain) * 0xD1B54A32D192ED03ull;
    std::uint64_t mixed = a ^ d ^ (index * 0x8CB92BA72F3D8DD7ull + 0x632BE59BD9B4E019ull);
    std::uint64_t t = mixed;
    return Rng(splitmix64(t));
  }

  constexpr void reseed(std::uint64_t seed) {
    std::uint64_t s = seed;
    for (auto& w : s_) w = splitmix64(s);
  }

  // Next 64 uniformly distributed bits.
  constexpr std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 bits of precision.
  constexpr double next_double() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  // Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject). REQUIRES: n > 0.
  constexpr std::uint64_t next_below(std::uint64_t n) {
    U128 m = static_cast<U128>(next_u64()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<U128>(next_u64()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  // True with probability p (p <= 0 never, p >= 1 always).
  constexpr bool bernoulli(double p) { return next_double() < p; }

 private:
  // 128-bit integers are a compiler extension, not ISO C++; __extension__ marks the use as
  // deliberate (and keeps pedantic warnings quiet).
  __extension__ typedef unsigned __int128 U128;
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4] = {0, 0, 0, 0};
};

}  // namespace hlsim
