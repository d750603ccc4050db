#include "sim/network/link_model.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

namespace hlsim {
namespace {

__extension__ using U128 = unsigned __int128;

TimeNs saturating_add(TimeNs a, TimeNs b) {
  // Both operands are non-negative here.
  return a > kTimeNever - b ? kTimeNever : a + b;
}

// Jitter sample (ns, real) to a whole non-negative delay: max(0, round(x)); NaN counts as 0.
TimeNs jitter_to_ns(double x) {
  if (!(x > 0)) return 0;
  if (x >= static_cast<double>(kTimeNever)) return kTimeNever;
  return static_cast<TimeNs>(std::llround(x));
}

std::string format_double(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, r.ptr);
}

}  // namespace

TimeNs serialization_ns(std::uint64_t bytes, double bandwidth_bps) {
  assert(bandwidth_bps > 0);
  if (bytes == 0 || std::isinf(bandwidth_bps)) return 0;
  // bits * ns-per-second: at most 2^64 * 8e9 < 2^97, well inside 128 bits.
  const U128 bit_ns = static_cast<U128>(bytes) * 8u * static_cast<U128>(kNsPerSec);
  constexpr double kTwoTo64 = 18446744073709551616.0;
  if (bandwidth_bps < kTwoTo64 && bandwidth_bps == std::floor(bandwidth_bps)) {
    const U128 bps = static_cast<std::uint64_t>(bandwidth_bps);
    const U128 ns = (bit_ns + bps - 1) / bps;
    return ns >= static_cast<U128>(kTimeNever) ? kTimeNever : static_cast<TimeNs>(ns);
  }
  const long double ns = std::ceil(static_cast<long double>(bit_ns) / bandwidth_bps);
  return ns >= static_cast<long double>(kTimeNever) ? kTimeNever : static_cast<TimeNs>(ns);
}

Result<Network> Network::create(Topology topology, NetworkParams params) {
  if (!(params.extra_loss >= 0 && params.extra_loss < 1)) {
    return Error{"network.extra_loss: expected a probability in [0, 1), got " +
                 format_double(params.extra_loss)};
  }
  if (params.jitter.kind() == Distribution::Kind::kConstant &&
      !std::isfinite(params.jitter.value())) {
    return Error{"network.jitter: expected a finite constant in ns, got " +
                 format_double(params.jitter.value())};
  }
  return Network(std::move(topology), params);
}

Network::Network(Topology topology, NetworkParams params)
    : topology_(std::move(topology)), params_(params) {
  jitter_is_constant_ = params_.jitter.kind() == Distribution::Kind::kConstant;
  if (jitter_is_constant_) constant_jitter_ns_ = jitter_to_ns(params_.jitter.value());
  const std::size_t n = topology_.size();
  link_free_at_ns_.assign(n * n, 0);
}

double Network::total_loss(NodeId from, NodeId to) const {
  const double path = topology_.path_loss(from, to);
  const double extra = params_.extra_loss;
  // 1 - (1 - path)(1 - extra), written so that either term alone is returned exactly.
  return path + extra * (1.0 - path);
}

std::optional<TimeNs> Network::transmit(NodeId from, NodeId to, std::uint64_t bytes, TimeNs now_ns,
                                        Rng& sender_rng, const LinkCondition& condition) {
  assert(from != to && "a node never sends to itself over the network");
  assert(from < topology_.size() && to < topology_.size());
  double loss = total_loss(from, to);
  if (condition.loss > 0) loss += condition.loss * (1.0 - loss);
  if (loss > 0 && sender_rng.bernoulli(loss)) return std::nullopt;

  constexpr std::uint64_t kMaxBytes = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t wire_bytes =
      bytes > kMaxBytes - params_.header_bytes ? kMaxBytes : bytes + params_.header_bytes;
  TimeNs& free_at = link_free_at_ns_[static_cast<std::size_t>(from) * topology_.size() + to];
  const TimeNs start = std::max(now_ns, free_at);
  double bandwidth_bps = topology_.path_bandwidth_bps(from, to);
  if (condition.bandwidth_factor != 1) bandwidth_bps *= condition.bandwidth_factor;
  free_at = saturating_add(start, serialization_ns(wire_bytes, bandwidth_bps));
  TimeNs latency_ns = topology_.path_latency_ns(from, to);
  if (condition.latency_factor != 1) {
    const double scaled = static_cast<double>(latency_ns) * condition.latency_factor;
    latency_ns = scaled < 9.0e18 ? static_cast<TimeNs>(std::llround(scaled)) : kTimeNever;
  }
  const TimeNs jitter_ns =
      jitter_is_constant_ ? constant_jitter_ns_ : jitter_to_ns(params_.jitter.sample(sender_rng));
  return saturating_add(saturating_add(free_at, latency_ns), jitter_ns);
}

Result<AccessLink> AccessLink::create(TimeNs latency_ns, double bandwidth_bps) {
  if (latency_ns < 0) {
    return Error{"access_link.latency_ns: expected a non-negative latency, got " +
                 std::to_string(latency_ns)};
  }
  if (!(bandwidth_bps > 0) || !std::isfinite(bandwidth_bps)) {
    return Error{"access_link.bandwidth_bps: expected a positive finite bandwidth in bit/s, got " +
                 format_double(bandwidth_bps)};
  }
  return AccessLink(latency_ns, bandwidth_bps);
}

TimeNs AccessLink::transmit(std::uint64_t bytes, TimeNs now_ns) {
  const TimeNs start = std::max(now_ns, free_at_ns_);
  free_at_ns_ = saturating_add(start, serialization_ns(bytes, bandwidth_bps_));
  return saturating_add(free_at_ns_, latency_ns_);
}

}  // namespace hlsim
