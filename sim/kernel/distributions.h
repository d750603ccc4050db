// hlsim's own random distributions over hlsim::Rng.
//
// The standard library's distributions are implementation-defined (different standard library
// implementations draw different numbers from the same engine), so a run's results would depend
// on the standard library. Everything here is written out in full: each draw consumes a documented
// number of Rng outputs and uses only +, -, *, /, sqrt (exact in IEEE 754) and the math library
// functions log, log1p, exp and expm1. No draw keeps hidden state between calls, so the same Rng
// state always gives the same value.
//
// All functions are pure apart from advancing the Rng; all are thread-compatible.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/kernel/result.h"
#include "sim/kernel/rng.h"

namespace hlsim {

// Uniform on [lo, hi). One Rng output. REQUIRES: lo <= hi, both finite.
inline double sample_uniform(Rng& rng, double lo, double hi) {
  return lo + (hi - lo) * rng.next_double();
}

// Exponential with the given mean, by inversion: -mean * log(1 - u). One Rng output.
// u has 53 random bits, so 1 - u is exact and this equals -mean * log1p(-u) to within the
// rounding of log itself, while log is about three times faster than log1p.
// REQUIRES: mean > 0.
inline double sample_exponential(Rng& rng, double mean) {
  return -mean * std::log(1.0 - rng.next_double());
}

// Normal, by Marsaglia's polar method; the second variate of each accepted pair is discarded so
// that no state is kept between calls. Two Rng outputs per attempt (acceptance pi/4).
// REQUIRES: stddev >= 0.
double sample_normal(Rng& rng, double mean, double stddev);

// Log-normal: exp(N(mu, sigma^2)); mu and sigma are those of the underlying normal.
// REQUIRES: sigma >= 0.
double sample_lognormal(Rng& rng, double mu, double sigma);

// Pareto (type I) with minimum `scale_xm` and tail index `shape_alpha`, by inversion:
// xm * (1 - u)^(-1/alpha). One Rng output. REQUIRES: scale_xm > 0, shape_alpha > 0.
double sample_pareto(Rng& rng, double scale_xm, double shape_alpha);

// Zipf over ranks 0..n-1: P(k) proportional to 1 / (k + 1)^s; rank 0 is the most popular.
// s = 0 is uniform (one Rng::next_below draw); any s >= 0 is allowed (below, at and above 1).
// Draws use Hoermann & Derflinger's rejection-inversion ("Rejection-inversion to generate
// variates from monotone discrete distributions", ACM TOMACS 1996): O(1) expected time and O(1)
// memory for any n, with an expected number of attempts close to 1.
class Zipf {
 public:
  // REQUIRES: n >= 1, exponent_s >= 0 and finite.
  Zipf(std::uint64_t n, double exponent_s);

  std::uint64_t sample(Rng& rng) const;

  std::uint64_t n() const { return n_; }
  double exponent() const { return s_; }

 private:
  double h(double x) const;
  double h_integral(double x) const;
  double h_integral_inverse(double x) const;

  std::uint64_t n_;
  double s_;
  double h_integral_x1_ = 0;  // H(1.5) - 1
  double h_integral_n_ = 0;   // H(n + 0.5)
  double squeeze_ = 0;        // accept without evaluating H when k - x <= squeeze_
};

// A distribution of real values, as named in a scenario file. A small value type: copy freely.
class Distribution {
 public:
  enum class Kind { kConstant, kUniform, kExponential, kNormal, kLognormal, kPareto };

  // constant(0), so that the type can sit in default-constructed configuration structs.
  Distribution() = default;

  // Factories. Each REQUIRES the ranges that make() checks (see there); make() is the entry
  // point for user input.
  static Distribution constant(double value);
  static Distribution uniform(double lo, double hi);
  static Distribution exponential(double mean);
  static Distribution normal(double mean, double stddev);
  static Distribution lognormal(double mu, double sigma);
  static Distribution pareto(double scale, double shape);

  // Builds a distribution from a scenario's kind name and parameters, checking every name and
  // range. Kinds and parameters: constant{value}, uniform{min, max} (min <= max),
  // exponential{mean} (mean > 0), normal{mean, stddev} (stddev >= 0),
  // lognormal{mu, sigma} (sigma >= 0), pareto{scale, shape} (both > 0). Every value must be
  // finite. The error names the kind, the parameter, its value and what was expected.
  static Result<Distribution> make(std::string_view kind_name,
                                   const std::map<std::string, double>& params);

  // The kind names make() accepts, in Kind order.
  static std::vector<std::string> kind_names();
  static std::string_view kind_name(Kind kind);

  double sample(Rng& rng) const;

  // Moments of the distribution; +infinity where the moment does not exist (Pareto mean for
  // shape <= 1, variance for shape <= 2).
  double mean() const;
  double variance() const;

  Kind kind() const { return kind_; }

  // Parameters; each REQUIRES the matching kind.
  double value() const;       // constant
  double lo() const;          // uniform
  double hi() const;          // uniform
  double mean_param() const;  // exponential, normal: the `mean` parameter
  double stddev() const;      // normal
  double mu() const;          // lognormal
  double sigma() const;       // lognormal
  double scale() const;       // pareto
  double shape() const;       // pareto

  // E.g. "exponential(mean=2)", "uniform(min=1, max=3)".
  std::string describe() const;

  friend bool operator==(const Distribution&, const Distribution&) = default;

 private:
  Distribution(Kind kind, double a, double b) : kind_(kind), a_(a), b_(b) {}

  Kind kind_ = Kind::kConstant;
  double a_ = 0;  // first parameter in make()'s order
  double b_ = 0;  // second parameter, 0 when there is none
};

}  // namespace hlsim
