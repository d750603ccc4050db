#include "sim/kernel/distributions.h"

#include <array>
#include <cassert>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

namespace hlsim {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Uniform on (0, 1]: never 0, so its logarithm is finite.
double open_closed_unit(Rng& rng) { return 1.0 - rng.next_double(); }

// Shortest text that reads back as the same double ("2", "0.1", "1e+20").
std::string format_number(double x) {
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), x);
  if (ec != std::errc{}) return "?";
  return std::string(buf.data(), end);
}

}  // namespace

double sample_normal(Rng& rng, double mean, double stddev) {
  for (;;) {
    const double u = 2.0 * rng.next_double() - 1.0;
    const double v = 2.0 * rng.next_double() - 1.0;
    const double s = u * u + v * v;
    if (s < 1.0 && s > 0.0) return mean + stddev * u * std::sqrt(-2.0 * std::log(s) / s);
  }
}

double sample_lognormal(Rng& rng, double mu, double sigma) {
  return std::exp(sample_normal(rng, mu, sigma));
}

double sample_pareto(Rng& rng, double scale_xm, double shape_alpha) {
  // (1 - u)^(-1/alpha) with 1 - u in (0, 1], written as exp(-log(1 - u) / alpha).
  return scale_xm * std::exp(-std::log(open_closed_unit(rng)) / shape_alpha);
}

// ---------------------------------------------------------------------------------------------
// Zipf by rejection-inversion. With ranks r = k + 1 in 1..n and h(x) = x^-s, the hat function's
// integral is H(x) = (x^(1-s) - 1) / (1 - s) (log x at s = 1); both are evaluated through
// log1p/expm1 helpers that stay accurate as s -> 1. A uniform u in (H(1.5) - 1, H(n + 0.5)] is
// inverted to x = H^-1(u) and rounded to rank r; r is accepted when u lies under the bar of
// height h(r) centred on r, which the squeeze test decides cheaply most of the time.

namespace {

// log1p(x) / x, continuous at 0.
double log1p_over_x(double x) {
  if (std::fabs(x) > 1e-8) return std::log1p(x) / x;
  return 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
}

// expm1(x) / x, continuous at 0.
double expm1_over_x(double x) {
  if (std::fabs(x) > 1e-8) return std::expm1(x) / x;
  return 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x));
}

}  // namespace

Zipf::Zipf(std::uint64_t n, double exponent_s) : n_(n), s_(exponent_s) {
  assert(n >= 1);
  assert(exponent_s >= 0 && std::isfinite(exponent_s));
  h_integral_x1_ = h_integral(1.5) - 1.0;
  h_integral_n_ = h_integral(static_cast<double>(n_) + 0.5);
  squeeze_ = 2.0 - h_integral_inverse(h_integral(2.5) - h(2.0));
}

double Zipf::h(double x) const { return std::exp(-s_ * std::log(x)); }

double Zipf::h_integral(double x) const {
  const double log_x = std::log(x);
  return expm1_over_x((1.0 - s_) * log_x) * log_x;
}

double Zipf::h_integral_inverse(double x) const {
  double t = x * (1.0 - s_);
  if (t < -1.0) t = -1.0;  // rounding can push t just below the domain of log1p
  return std::exp(log1p_over_x(t) * x);
}

std::uint64_t Zipf::sample(Rng& rng) const {
  if (s_ == 0.0) return rng.next_below(n_);
  const double n_real = static_cast<double>(n_);
  for (;;) {
    const double u = h_integral_n_ + rng.next_double() * (h_integral_x1_ - h_integral_n_);
    const double x = h_integral_inverse(u);
    double rank = std::floor(x + 0.5);
    if (rank < 1.0) rank = 1.0;
    if (rank > n_real) rank = n_real;
    if (rank - x <= squeeze_ || u >= h_integral(rank + 0.5) - h(rank)) {
      return static_cast<std::uint64_t>(rank) - 1;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Distribution

Distribution Distribution::constant(double value) { return {Kind::kConstant, value, 0}; }

Distribution Distribution::uniform(double lo, double hi) {
  assert(lo <= hi);
  return {Kind::kUniform, lo, hi};
}

Distribution Distribution::exponential(double mean) {
  assert(mean > 0);
  return {Kind::kExponential, mean, 0};
}

Distribution Distribution::normal(double mean, double stddev) {
  assert(stddev >= 0);
  return {Kind::kNormal, mean, stddev};
}

Distribution Distribution::lognormal(double mu, double sigma) {
  assert(sigma >= 0);
  return {Kind::kLognormal, mu, sigma};
}

Distribution Distribution::pareto(double scale, double shape) {
  assert(scale > 0 && shape > 0);
  return {Kind::kPareto, scale, shape};
}

namespace {

struct KindSpec {
  Distribution::Kind kind;
  std::string_view name;
  std::array<std::string_view, 2> params;  // empty second name: one parameter
};

constexpr std::array<KindSpec, 6> kKinds = {{
    {Distribution::Kind::kConstant, "constant", {"value", ""}},
    {Distribution::Kind::kUniform, "uniform", {"min", "max"}},
    {Distribution::Kind::kExponential, "exponential", {"mean", ""}},
    {Distribution::Kind::kNormal, "normal", {"mean", "stddev"}},
    {Distribution::Kind::kLognormal, "lognormal", {"mu", "sigma"}},
    {Distribution::Kind::kPareto, "pareto", {"scale", "shape"}},
}};

const KindSpec& spec_of(Distribution::Kind kind) { return kKinds[static_cast<std::size_t>(kind)]; }

std::string expected_params(const KindSpec& spec) {
  std::string out(spec.params[0]);
  if (!spec.params[1].empty()) out += ", " + std::string(spec.params[1]);
  return out;
}

Error range_error(const KindSpec& spec, std::string_view param, std::string_view expected,
                  double got) {
  return Error{std::string(spec.name) + " needs " + std::string(param) + " " +
               std::string(expected) + ", got " + format_number(got)};
}

}  // namespace

std::vector<std::string> Distribution::kind_names() {
  std::vector<std::string> names;
  names.reserve(kKinds.size());
  for (const KindSpec& spec : kKinds) names.emplace_back(spec.name);
  return names;
}

std::string_view Distribution::kind_name(Kind kind) { return spec_of(kind).name; }

Result<Distribution> Distribution::make(std::string_view kind_name,
                                        const std::map<std::string, double>& params) {
  const KindSpec* spec = nullptr;
  for (const KindSpec& candidate : kKinds) {
    if (candidate.name == kind_name) spec = &candidate;
  }
  if (spec == nullptr) {
    std::string known;
    for (const KindSpec& candidate : kKinds) {
      if (!known.empty()) known += ", ";
      known += candidate.name;
    }
    return Error{"unknown distribution '" + std::string(kind_name) +
                 "'; expected one of: " + known};
  }
  for (const auto& [name, value] : params) {
    if (name != spec->params[0] && (spec->params[1].empty() || name != spec->params[1])) {
      return Error{std::string(spec->name) + " has no parameter '" + name +
                   "'; expected: " + expected_params(*spec)};
    }
  }
  std::array<double, 2> v{0.0, 0.0};
  for (std::size_t i = 0; i < 2; ++i) {
    const std::string_view param = spec->params[i];
    if (param.empty()) continue;
    const auto it = params.find(std::string(param));
    if (it == params.end()) {
      return Error{std::string(spec->name) + " needs parameter '" + std::string(param) +
                   "' (parameters: " + expected_params(*spec) + ")"};
    }
    if (!std::isfinite(it->second)) return range_error(*spec, param, "finite", it->second);
    v[i] = it->second;
  }
  switch (spec->kind) {
    case Kind::kConstant:
      return constant(v[0]);
    case Kind::kUniform:
      if (!(v[0] <= v[1])) {
        return Error{"uniform needs min <= max, got min=" + format_number(v[0]) +
                     ", max=" + format_number(v[1])};
      }
      return uniform(v[0], v[1]);
    case Kind::kExponential:
      if (!(v[0] > 0)) return range_error(*spec, "mean", "> 0", v[0]);
      return exponential(v[0]);
    case Kind::kNormal:
      if (!(v[1] >= 0)) return range_error(*spec, "stddev", ">= 0", v[1]);
      return normal(v[0], v[1]);
    case Kind::kLognormal:
      if (!(v[1] >= 0)) return range_error(*spec, "sigma", ">= 0", v[1]);
      return lognormal(v[0], v[1]);
    case Kind::kPareto:
      if (!(v[0] > 0)) return range_error(*spec, "scale", "> 0", v[0]);
      if (!(v[1] > 0)) return range_error(*spec, "shape", "> 0", v[1]);
      return pareto(v[0], v[1]);
  }
  return Error{"unreachable distribution kind"};
}

double Distribution::sample(Rng& rng) const {
  switch (kind_) {
    case Kind::kConstant:
      return a_;
    case Kind::kUniform:
      return sample_uniform(rng, a_, b_);
    case Kind::kExponential:
      return sample_exponential(rng, a_);
    case Kind::kNormal:
      return sample_normal(rng, a_, b_);
    case Kind::kLognormal:
      return sample_lognormal(rng, a_, b_);
    case Kind::kPareto:
      return sample_pareto(rng, a_, b_);
  }
  return 0.0;
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::kConstant:
      return a_;
    case Kind::kUniform:
      return 0.5 * (a_ + b_);
    case Kind::kExponential:
    case Kind::kNormal:
      return a_;
    case Kind::kLognormal:
      return std::exp(a_ + 0.5 * b_ * b_);
    case Kind::kPareto:
      return b_ > 1 ? b_ * a_ / (b_ - 1) : kInfinity;
  }
  return 0.0;
}

double Distribution::variance() const {
  switch (kind_) {
    case Kind::kConstant:
      return 0.0;
    case Kind::kUniform:
      return (b_ - a_) * (b_ - a_) / 12.0;
    case Kind::kExponential:
      return a_ * a_;
    case Kind::kNormal:
      return b_ * b_;
    case Kind::kLognormal: {
      const double s2 = b_ * b_;
      return std::expm1(s2) * std::exp(2 * a_ + s2);
    }
    case Kind::kPareto:
      return b_ > 2 ? a_ * a_ * b_ / ((b_ - 1) * (b_ - 1) * (b_ - 2)) : kInfinity;
  }
  return 0.0;
}

double Distribution::value() const {
  assert(kind_ == Kind::kConstant);
  return a_;
}
double Distribution::lo() const {
  assert(kind_ == Kind::kUniform);
  return a_;
}
double Distribution::hi() const {
  assert(kind_ == Kind::kUniform);
  return b_;
}
double Distribution::mean_param() const {
  assert(kind_ == Kind::kExponential || kind_ == Kind::kNormal);
  return a_;
}
double Distribution::stddev() const {
  assert(kind_ == Kind::kNormal);
  return b_;
}
double Distribution::mu() const {
  assert(kind_ == Kind::kLognormal);
  return a_;
}
double Distribution::sigma() const {
  assert(kind_ == Kind::kLognormal);
  return b_;
}
double Distribution::scale() const {
  assert(kind_ == Kind::kPareto);
  return a_;
}
double Distribution::shape() const {
  assert(kind_ == Kind::kPareto);
  return b_;
}

std::string Distribution::describe() const {
  const KindSpec& spec = spec_of(kind_);
  std::string out =
      std::string(spec.name) + "(" + std::string(spec.params[0]) + "=" + format_number(a_);
  if (!spec.params[1].empty()) out += ", " + std::string(spec.params[1]) + "=" + format_number(b_);
  return out + ")";
}

}  // namespace hlsim
