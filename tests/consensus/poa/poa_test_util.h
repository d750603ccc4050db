// Helpers shared by the proof-of-authority tests: building a cluster of Poa nodes (honest or
// Byzantine) on the hand-stepping harness, reaching a node's Poa through a Byzantine wrapper, and
// classifying messages on the wire.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "consensus/byzantine/byzantine_protocol.h"
#include "consensus/harness/cluster.h"
#include "consensus/poa/hash_order.h"
#include "consensus/poa/poa.h"
#include "consensus/poa/poa_messages.h"
#include "consensus/poa/poa_params.h"
#include "consensus/registry.h"

namespace hlsim::testing {
// Helpers live in their own namespace so that they never clash (ODR) with other protocols'
// test helpers of the same name (e.g. expect_safe) linked into the same test binary.
namespace poa_testing {

using HashSet = std::set<Hash256, PoaHashOrder>;

inline constexpr std::uint16_t kBlockType = static_cast<std::uint16_t>(PoaMessageType::kBlock);
inline constexpr std::uint16_t kGossipType = static_cast<std::uint16_t>(PoaMessageType::kTxGossip);
inline constexpr std::uint16_t kFetchType = static_cast<std::uint16_t>(PoaMessageType::kFetch);
inline constexpr std::uint16_t kFetchReplyType =
    static_cast<std::uint16_t>(PoaMessageType::kFetchReply);

// The scenario form of `p` (what a `consensus:` section with these values parses to).
inline ParamValues poa_values(const PoaParams& p) {
  const std::map<std::string, std::string> given = {
      {"step_duration_ms", std::to_string(p.step_duration_ns / kNsPerMs)},
      {"max_block_tx", std::to_string(p.max_block_tx)},
      {"max_block_bytes", std::to_string(p.max_block_bytes)},
      {"seal_empty", p.seal_empty ? "true" : "false"},
      {"finality", to_string(p.finality)},
      {"confirmations", std::to_string(p.confirmations)},
      {"mempool_gossip_ms", std::to_string(p.mempool_gossip_ns / kNsPerMs)},
      {"max_fetch_blocks", std::to_string(p.max_fetch_blocks)},
  };
  auto values = ParamValues::parse(poa_param_specs(), given, "consensus");
  EXPECT_TRUE(values.ok());
  return values.ok() ? *values : ParamValues::defaults(poa_param_specs());
}

struct PoaClusterOptions {
  std::uint32_t nodes = 4;
  std::uint64_t seed = 1;
  PoaParams params;
  TimeNs latency_ns = kNsPerMs;
  TimeNs jitter_ns = 0;
  // Byzantine nodes and their behaviour (built through make_protocol, as a scenario would).
  std::map<NodeId, Behavior> byzantine;
};

inline std::unique_ptr<Cluster> make_poa_cluster(const PoaClusterOptions& o) {
  ClusterOptions options;
  options.nodes = o.nodes;
  options.seed = o.seed;
  options.latency_ns = o.latency_ns;
  options.jitter_ns = o.jitter_ns;
  for (const auto& [node, behavior] : o.byzantine) options.byzantine.insert(node);
  const ParamValues values = poa_values(o.params);
  const std::map<NodeId, Behavior> byzantine = o.byzantine;
  return std::make_unique<Cluster>(options, [values, byzantine](NodeId self, std::uint32_t n) {
    auto it = byzantine.find(self);
    const Behavior b = it == byzantine.end() ? Behavior::kHonest : it->second;
    return make_protocol(poa_protocol_info(), values, self, n, b);
  });
}

inline std::unique_ptr<Cluster> make_poa_cluster(std::uint32_t nodes, std::uint64_t seed,
                                                 const PoaParams& params = PoaParams{}) {
  PoaClusterOptions o;
  o.nodes = nodes;
  o.seed = seed;
  o.params = params;
  return make_poa_cluster(o);
}

// Node `n`'s Poa, also behind a ByzantineProtocol wrapper.
inline Poa& poa(Cluster& c, NodeId n) {
  if (auto* p = dynamic_cast<Poa*>(&c.protocol(n))) return *p;
  return dynamic_cast<Poa&>(dynamic_cast<ByzantineProtocol&>(c.protocol(n)).inner());
}

inline bool is_type(const Envelope& e, PoaMessageType type) {
  return e.msg.type == static_cast<std::uint16_t>(type);
}

// The block a "block" message carries (no signature check), if it is one.
inline std::optional<Block> block_in(const Envelope& e) {
  if (!is_type(e, PoaMessageType::kBlock)) return std::nullopt;
  return Block::decode(e.msg.view());
}

// Runs to the start of step `s` plus `after_ns` (every event up to then included).
inline void run_to_step(Cluster& c, const PoaParams& p, std::uint64_t s, TimeNs after_ns = 0) {
  c.run_until(static_cast<TimeNs>(s) * p.step_duration_ns + after_ns);
}

inline std::vector<NodeId> all_nodes(const Cluster& c) {
  std::vector<NodeId> out;
  for (NodeId n = 0; n < c.size(); ++n) out.push_back(n);
  return out;
}

// Fails the current test if the cluster recorded a safety violation or `nodes` diverge.
inline void expect_safe(const Cluster& c, const std::vector<NodeId>& nodes) {
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
  EXPECT_EQ(c.divergence(nodes), "");
}
inline void expect_safe(const Cluster& c) { expect_safe(c, all_nodes(c)); }

// True when every node in `nodes` committed every id in `ids`.
inline bool all_committed(const Cluster& c, const std::vector<NodeId>& nodes, const HashSet& ids) {
  for (NodeId n : nodes) {
    const std::vector<Hash256> got = c.committed_tx_ids(n);
    const HashSet have(got.begin(), got.end());
    for (const Hash256& id : ids) {
      if (!have.contains(id)) return false;
    }
  }
  return true;
}

// Fires, in node order, every up node's step timers due by the start of step `s` (so the step's
// authority seals), without delivering anything: what they send stays in flight.
inline void fire_steps_until(Cluster& c, const PoaParams& p, std::uint64_t s) {
  const TimeNs t = static_cast<TimeNs>(s) * p.step_duration_ns;
  for (bool fired = true; fired;) {
    fired = false;
    for (NodeId n = 0; n < c.size(); ++n) {
      const std::optional<TimeNs> due = c.timer_due(n, Poa::kStepTimer);
      if (c.is_up(n) && due && *due <= t) fired |= c.fire_timer(n, Poa::kStepTimer);
    }
  }
}

// Blocks (decoded, unchecked) in flight from `from`, in delivery order.
inline std::vector<Block> blocks_in_flight(const Cluster& c, NodeId from) {
  std::vector<Block> out;
  for (const Envelope& e : c.in_flight()) {
    if (e.from != from) continue;
    if (auto b = block_in(e)) out.push_back(std::move(*b));
  }
  return out;
}

}  // namespace poa_testing
using namespace poa_testing;  // NOLINT(google-build-using-namespace): PoA test files only
}  // namespace hlsim::testing
