// Helpers shared by the PBFT tests: building a PBFT cluster on the hand-stepping harness (honest
// or with Byzantine members built through make_protocol), classifying messages on the wire, and
// common checks.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "consensus/byzantine/byzantine_protocol.h"
#include "consensus/harness/cluster.h"
#include "consensus/pbft/pbft.h"
#include "consensus/pbft/pbft_messages.h"
#include "consensus/pbft/pbft_params.h"
#include "consensus/registry.h"

namespace hlsim::testing {
// Inline: the names stay hlsim::testing::*, but each protocol's helpers get their own mangled
// names, so same-named helpers of two protocols linked into one test binary do not collide.
inline namespace pbft_util {

using namespace hlsim::pbft;  // NOLINT(google-build-using-namespace): test-local brevity

// Parameters for hand-stepped and formula runs: the paper's protocol with small, exact limits.
inline PbftParams small_params() {
  PbftParams p;
  p.max_block_tx = 4;
  p.checkpoint_interval = 4;
  p.log_window = 8;
  return p;
}

inline std::unique_ptr<Cluster> make_pbft_cluster(std::uint32_t nodes, std::uint64_t seed,
                                                  const PbftParams& params = PbftParams{},
                                                  TimeNs latency_ns = kNsPerMs,
                                                  TimeNs jitter_ns = 0) {
  ClusterOptions options;
  options.nodes = nodes;
  options.seed = seed;
  options.latency_ns = latency_ns;
  options.jitter_ns = jitter_ns;
  return std::make_unique<Cluster>(options, [params](NodeId self, std::uint32_t n) {
    return std::make_unique<Pbft>(params, self, n);
  });
}

// The ParamValues equivalent of `params` (for make_protocol).
inline ParamValues param_values(const PbftParams& p) {
  auto ms = [](TimeNs ns) { return std::to_string(ns / kNsPerMs); };
  auto values =
      ParamValues::parse(pbft_param_specs(),
                         {{"view_change_timeout_ms", ms(p.view_change_timeout_ns)},
                          {"checkpoint_interval_blocks", std::to_string(p.checkpoint_interval)},
                          {"log_window_blocks", std::to_string(p.log_window)},
                          {"max_inflight_blocks", std::to_string(p.max_inflight_blocks)},
                          {"max_block_tx", std::to_string(p.max_block_tx)},
                          {"max_block_bytes", std::to_string(p.max_block_bytes)},
                          {"batch_timeout_ms", ms(p.batch_timeout_ns)},
                          {"max_fetch_blocks", std::to_string(p.max_fetch_blocks)},
                          {"fetch_retry_ms", ms(p.fetch_retry_ns)}},
                         "consensus");
  EXPECT_TRUE(values.ok());
  return *values;
}

// A cluster whose `byzantine` nodes run `behavior` (built by make_protocol, so the generic
// behaviours are applied by the ByzantineProtocol wrapper exactly as in the simulator).
inline std::unique_ptr<Cluster> make_byzantine_cluster(std::uint32_t nodes, std::uint64_t seed,
                                                       const std::set<NodeId>& byzantine,
                                                       Behavior behavior, const PbftParams& params,
                                                       TimeNs latency_ns, TimeNs jitter_ns) {
  ClusterOptions options;
  options.nodes = nodes;
  options.seed = seed;
  options.latency_ns = latency_ns;
  options.jitter_ns = jitter_ns;
  options.byzantine = byzantine;
  const ParamValues values = param_values(params);
  return std::make_unique<Cluster>(options, [=](NodeId self, std::uint32_t n) {
    return make_protocol(pbft_protocol_info(), values, self, n,
                         byzantine.contains(self) ? behavior : Behavior::kHonest);
  });
}

// The honest Pbft inside node `node` (unwrapping a ByzantineProtocol).
inline Pbft& pbft(Cluster& c, NodeId node) {
  Protocol& p = c.protocol(node);
  if (auto* b = dynamic_cast<ByzantineProtocol*>(&p)) return dynamic_cast<Pbft&>(b->inner());
  return dynamic_cast<Pbft&>(p);
}

inline std::uint16_t type_of(PbftMessageType t) { return static_cast<std::uint16_t>(t); }

inline bool is_type(const Envelope& e, PbftMessageType type) { return e.msg.type == type_of(type); }

inline std::function<bool(const Envelope&)> of_type(PbftMessageType type) {
  return [type](const Envelope& e) { return is_type(e, type); };
}

inline std::size_t count_in_flight(const Cluster& c, PbftMessageType type) {
  std::size_t n = 0;
  for (const Envelope& e : c.in_flight()) n += is_type(e, type) ? 1 : 0;
  return n;
}

// Delivers messages of `type` until none is in flight.
inline std::size_t deliver_all(Cluster& c, PbftMessageType type) {
  std::size_t total = 0;
  while (std::size_t k = c.deliver(of_type(type))) total += k;
  return total;
}

inline std::vector<NodeId> all_but(std::uint32_t n, const std::set<NodeId>& excluded) {
  std::vector<NodeId> out;
  for (NodeId i = 0; i < n; ++i) {
    if (!excluded.contains(i)) out.push_back(i);
  }
  return out;
}

// Fails the current test if the cluster recorded any safety violation or divergence.
inline void expect_safe(const Cluster& c) {
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
  EXPECT_EQ(c.divergence(), "");
}

inline bool has_tx(const Cluster& c, NodeId node, const Hash256& id) {
  for (const Hash256& x : c.committed_tx_ids(node)) {
    if (x == id) return true;
  }
  return false;
}

}  // namespace pbft_util
}  // namespace hlsim::testing
