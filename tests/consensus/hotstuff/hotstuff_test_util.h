// Helpers shared by the HotStuff tests: building a HotStuff cluster on the hand-stepping harness
// (honest, or with Byzantine validators built through make_protocol), classifying and decoding
// messages on the wire, and checking runs.
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
#include "consensus/hotstuff/hotstuff.h"
#include "consensus/hotstuff/hotstuff_messages.h"
#include "consensus/hotstuff/hotstuff_params.h"
#include "consensus/registry.h"

namespace hlsim::testing {
// Inline: the names stay hlsim::testing::*, but each protocol's helpers get their own mangled
// names, so same-named helpers of two protocols linked into one test binary do not collide.
inline namespace hotstuff_util {

inline constexpr auto kProposal = static_cast<std::uint16_t>(HotStuffMessageType::kProposal);
inline constexpr auto kVote = static_cast<std::uint16_t>(HotStuffMessageType::kVote);
inline constexpr auto kNewView = static_cast<std::uint16_t>(HotStuffMessageType::kNewView);
inline constexpr auto kTxGossip = static_cast<std::uint16_t>(HotStuffMessageType::kTxGossip);
inline constexpr auto kFetch = static_cast<std::uint16_t>(HotStuffMessageType::kFetch);
inline constexpr auto kFetchReply = static_cast<std::uint16_t>(HotStuffMessageType::kFetchReply);

struct HotStuffClusterOptions {
  std::uint32_t nodes = 4;
  std::uint64_t seed = 1;
  TimeNs latency_ns = kNsPerMs;
  TimeNs jitter_ns = 0;
  HotStuffParams params;
  // Byzantine validators and their behaviour (built with make_protocol).
  std::map<NodeId, Behavior> byzantine;
};

inline ParamValues to_values(const HotStuffParams& p) {
  auto ms = [](TimeNs ns) { return std::to_string(ns / kNsPerMs); };
  auto values = ParamValues::parse(hotstuff_param_specs(),
                                   {{"view_timeout_ms", ms(p.view_timeout_ns)},
                                    {"view_timeout_max_ms", ms(p.view_timeout_max_ns)},
                                    {"max_block_tx", std::to_string(p.max_block_tx)},
                                    {"max_block_bytes", std::to_string(p.max_block_bytes)},
                                    {"mempool_gossip_ms", ms(p.mempool_gossip_ns)},
                                    {"mempool_regossip_ms", ms(p.mempool_regossip_ns)},
                                    {"fetch_max_blocks", std::to_string(p.fetch_max_blocks)},
                                    {"fetch_retry_ms", ms(p.fetch_retry_ns)}},
                                   "consensus");
  EXPECT_TRUE(values.ok());
  return values.ok() ? *values : ParamValues::defaults(hotstuff_param_specs());
}

inline std::unique_ptr<Cluster> make_hotstuff_cluster(const HotStuffClusterOptions& o) {
  ClusterOptions options;
  options.nodes = o.nodes;
  options.seed = o.seed;
  options.latency_ns = o.latency_ns;
  options.jitter_ns = o.jitter_ns;
  for (const auto& [node, behavior] : o.byzantine) options.byzantine.insert(node);
  const ParamValues values = to_values(o.params);
  const auto byzantine = o.byzantine;
  return std::make_unique<Cluster>(options, [values, byzantine](NodeId self, std::uint32_t n) {
    auto it = byzantine.find(self);
    const Behavior b = it == byzantine.end() ? Behavior::kHonest : it->second;
    return make_protocol(hotstuff_protocol_info(), values, self, n, b);
  });
}

inline std::unique_ptr<Cluster> make_hotstuff_cluster(std::uint32_t nodes, std::uint64_t seed,
                                                      const HotStuffParams& params = {}) {
  HotStuffClusterOptions o;
  o.nodes = nodes;
  o.seed = seed;
  o.params = params;
  return make_hotstuff_cluster(o);
}

// The HotStuff instance of `node`, unwrapping a ByzantineProtocol.
inline HotStuff& hs(Cluster& c, NodeId node) {
  Protocol& p = c.protocol(node);
  if (auto* b = dynamic_cast<ByzantineProtocol*>(&p)) return dynamic_cast<HotStuff&>(b->inner());
  return dynamic_cast<HotStuff&>(p);
}

inline bool is_type(const Envelope& e, std::uint16_t type) { return e.msg.type == type; }

// The proposal in `e`, if it is one (its block decoded without checks).
struct SeenProposal {
  Block block;
  hotstuff::QuorumCert justify;
};
inline std::optional<SeenProposal> as_proposal(const Envelope& e) {
  if (!is_type(e, kProposal)) return std::nullopt;
  auto m = hotstuff::decode_proposal(e.msg.view());
  if (!m) return std::nullopt;
  auto b = Block::decode(m->block);
  if (!b) return std::nullopt;
  return SeenProposal{std::move(*b), std::move(m->justify)};
}

inline std::optional<SignedVote> as_vote(const Envelope& e) {
  if (!is_type(e, kVote)) return std::nullopt;
  return hotstuff::decode_vote(e.msg.view());
}

// Submits `count` transactions to `node` now (nonces from `first_nonce`); returns their ids.
inline std::vector<Hash256> submit_batch(Cluster& c, NodeId node, std::uint64_t first_nonce,
                                         int count, ClientId client = 0) {
  std::vector<Hash256> ids;
  for (int i = 0; i < count; ++i) {
    const TxRef tx = c.make_tx(client, first_nonce + static_cast<std::uint64_t>(i));
    ids.push_back(tx->id);
    c.submit(node, tx);
  }
  return ids;
}

// True when every node in `nodes` has committed every id in `ids`.
inline bool all_committed(const Cluster& c, const std::vector<NodeId>& nodes,
                          const std::set<Hash256>& ids) {
  for (NodeId n : nodes) {
    const std::vector<Hash256> got = c.committed_tx_ids(n);
    const std::set<Hash256> have(got.begin(), got.end());
    for (const Hash256& id : ids) {
      if (!have.contains(id)) return false;
    }
  }
  return true;
}

// Messages of every HotStuff type sent so far.
inline std::uint64_t total_sent(const Cluster& c) {
  std::uint64_t total = 0;
  for (std::size_t t = 0; t < hotstuff_message_type_names().size(); ++t) {
    total += c.sent(static_cast<std::uint16_t>(t));
  }
  return total;
}

inline std::vector<NodeId> all_nodes(const Cluster& c) {
  std::vector<NodeId> out;
  for (NodeId n = 0; n < c.size(); ++n) out.push_back(n);
  return out;
}

// Fails the current test if the cluster recorded any safety violation or divergence among `nodes`.
inline void expect_safe(const Cluster& c, const std::vector<NodeId>& nodes) {
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
  EXPECT_EQ(c.divergence(nodes), "");
}
inline void expect_safe(const Cluster& c) { expect_safe(c, all_nodes(c)); }

}  // namespace hotstuff_util
}  // namespace hlsim::testing
