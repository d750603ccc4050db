// Helpers shared by the Tendermint tests: building a cluster of Tendermint validators (honest or
// with Byzantine behaviours) on the hand-stepping harness, and classifying messages on the wire.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "consensus/byzantine/byzantine_protocol.h"
#include "consensus/harness/cluster.h"
#include "consensus/registry.h"
#include "consensus/tendermint/tendermint.h"
#include "consensus/tendermint/tendermint_messages.h"
#include "consensus/tendermint/tendermint_params.h"

namespace hlsim::testing {
// Inline: the names stay hlsim::testing::*, but each protocol's helpers get their own mangled
// names, so same-named helpers of two protocols linked into one test binary do not collide.
inline namespace tendermint_util {

using Overrides = std::map<std::string, std::string>;
using HashSet = std::set<Hash256, HashOrder>;

inline ParamValues tm_values(const Overrides& overrides = {}) {
  auto values = ParamValues::parse(tendermint_param_specs(), overrides, "consensus");
  EXPECT_TRUE(values.ok()) << (values.ok() ? "" : values.error().message);
  return values.ok() ? *values : ParamValues::defaults(tendermint_param_specs());
}

struct TmClusterSpec {
  std::uint32_t nodes = 4;
  std::uint64_t seed = 1;
  TimeNs latency_ns = kNsPerMs;
  TimeNs jitter_ns = 0;
  Overrides params;
  std::map<NodeId, Behavior> byzantine;  // built with make_protocol(info, ..., behavior)
};

inline std::unique_ptr<Cluster> make_tm_cluster(const TmClusterSpec& spec) {
  ClusterOptions options;
  options.nodes = spec.nodes;
  options.seed = spec.seed;
  options.latency_ns = spec.latency_ns;
  options.jitter_ns = spec.jitter_ns;
  for (const auto& [node, behavior] : spec.byzantine) options.byzantine.insert(node);
  const ParamValues values = tm_values(spec.params);
  const std::map<NodeId, Behavior> byzantine = spec.byzantine;
  return std::make_unique<Cluster>(options, [values, byzantine](NodeId self, std::uint32_t n) {
    auto it = byzantine.find(self);
    const Behavior b = it == byzantine.end() ? Behavior::kHonest : it->second;
    return make_protocol(tendermint_protocol_info(), values, self, n, b);
  });
}

// A cluster whose round 0 waits for transactions (create_empty_blocks = false), so that runs
// quiesce once every transaction is committed.
inline std::unique_ptr<Cluster> make_quiet_cluster(std::uint32_t nodes, std::uint64_t seed,
                                                   Overrides params = {}) {
  params.emplace("create_empty_blocks", "false");
  return make_tm_cluster(TmClusterSpec{nodes, seed, kNsPerMs, 0, params, {}});
}

// The Tendermint inside node `n` (unwrapping a generic Byzantine behaviour).
inline Tendermint& tm(Cluster& c, NodeId n) {
  Protocol& p = c.protocol(n);
  if (auto* byz = dynamic_cast<ByzantineProtocol*>(&p))
    return dynamic_cast<Tendermint&>(byz->inner());
  return dynamic_cast<Tendermint&>(p);
}

inline std::uint16_t type_of(TendermintMessageType t) { return static_cast<std::uint16_t>(t); }

inline bool is_type(const Envelope& e, TendermintMessageType t) { return e.msg.type == type_of(t); }

inline std::optional<Proposal> as_proposal(const Envelope& e) {
  if (!is_type(e, TendermintMessageType::kProposal)) return std::nullopt;
  return decode_proposal(e.msg.view());
}

inline std::optional<SignedVote> as_vote(const Envelope& e) {
  if (is_type(e, TendermintMessageType::kPrevote)) {
    return decode_vote(TendermintMessageType::kPrevote, e.msg.view());
  }
  if (is_type(e, TendermintMessageType::kPrecommit)) {
    return decode_vote(TendermintMessageType::kPrecommit, e.msg.view());
  }
  return std::nullopt;
}

// The block a proposal carries (decoded without checks).
inline std::optional<Block> proposal_block(const Proposal& p) { return Block::decode(p.block); }

inline std::vector<NodeId> all_nodes(const Cluster& c) {
  std::vector<NodeId> out;
  for (NodeId n = 0; n < c.size(); ++n) out.push_back(n);
  return out;
}

inline std::vector<NodeId> honest_nodes(const Cluster& c) {
  std::vector<NodeId> out;
  for (NodeId n = 0; n < c.size(); ++n) {
    if (!c.options().byzantine.contains(n)) out.push_back(n);
  }
  return out;
}

// True when every node in `nodes` has committed every transaction in `ids`.
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

// Fails the current test if the cluster recorded any safety violation or divergence among
// `nodes` (all nodes when empty).
inline void expect_safe(const Cluster& c, const std::vector<NodeId>& nodes = {}) {
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
  EXPECT_EQ(c.divergence(nodes.empty() ? all_nodes(c) : nodes), "");
}

}  // namespace tendermint_util
}  // namespace hlsim::testing
