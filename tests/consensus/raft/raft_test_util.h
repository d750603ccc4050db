// Helpers shared by the Raft tests: building a Raft cluster on the hand-stepping harness,
// classifying messages on the wire, and driving elections by hand.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>

#include "consensus/harness/cluster.h"
#include "consensus/raft/raft.h"
#include "consensus/raft/raft_messages.h"
#include "consensus/raft/raft_params.h"

namespace hlsim::testing {
// Inline: the names stay hlsim::testing::*, but each protocol's helpers get their own mangled
// names, so same-named helpers of two protocols linked into one test binary do not collide.
inline namespace raft_util {

inline std::unique_ptr<Cluster> make_raft_cluster(std::uint32_t nodes, std::uint64_t seed,
                                                  const RaftParams& params = RaftParams{},
                                                  TimeNs latency_ns = kNsPerMs) {
  ClusterOptions options;
  options.nodes = nodes;
  options.seed = seed;
  options.latency_ns = latency_ns;
  return std::make_unique<Cluster>(options, [params](NodeId self, std::uint32_t n) {
    return std::make_unique<Raft>(params, self, n);
  });
}

inline Raft& raft(Cluster& c, NodeId node) { return c.protocol_as<Raft>(node); }

inline bool is_type(const Envelope& e, RaftMessageType type) {
  return e.msg.type == static_cast<std::uint16_t>(type);
}

// The AppendEntries in `e`, if it is one.
inline std::optional<AppendEntries> as_append(const Envelope& e) {
  if (!is_type(e, RaftMessageType::kAppendEntries)) return std::nullopt;
  return decode_append_entries(e.msg.view());
}

// True for an AppendEntries that carries the entry at `index` or later ones.
inline bool carries_index_at_least(const Envelope& e, Height index) {
  auto m = as_append(e);
  return m && !m->entries.empty() && m->prev_index + m->entries.size() >= index;
}

// Makes `node` stand for election (firing its election timer, as often as it takes: a firing
// before a deadline that was pushed back only re-arms it) and delivers only election traffic
// until it settles; up to `attempts` elections or until `node` leads. Other messages stay in
// flight.
inline bool campaign(Cluster& c, NodeId node, int attempts = 3) {
  for (int i = 0; i < attempts && !raft(c, node).is_leader(); ++i) {
    const std::uint64_t term = raft(c, node).epoch();
    for (int k = 0; k < 100 && raft(c, node).epoch() == term; ++k) {
      if (!c.fire_timer(node, Raft::kElectionTimer)) return false;
    }
    while (c.deliver([](const Envelope& e) {
      return is_type(e, RaftMessageType::kRequestVote) || is_type(e, RaftMessageType::kVote);
    }) > 0) {
    }
  }
  return raft(c, node).is_leader();
}

// Runs until some up node leads and every up node follows it in the same term.
inline bool run_until_stable_leader(Cluster& c, TimeNs deadline) {
  return c.run_until(
      [&c] {
        auto leader = c.leader();
        if (!leader) return false;
        const std::uint64_t term = c.protocol(*leader).epoch();
        for (NodeId n = 0; n < c.size(); ++n) {
          if (!c.is_up(n) || n == *leader) continue;
          if (raft(c, n).epoch() != term || raft(c, n).leader_id() != *leader) return false;
        }
        return true;
      },
      deadline);
}

// Fails the current test if the cluster recorded any safety violation or divergence.
inline void expect_safe(const Cluster& c) {
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
  EXPECT_EQ(c.divergence(), "");
}

}  // namespace raft_util
}  // namespace hlsim::testing
