// Path tables of the Topology builders, against hand-computed values and a naive oracle.
#include "sim/network/topology.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "sim/kernel/rng.h"

namespace hlsim {
namespace {

constexpr TimeNs kMs = kNsPerMs;

Topology must(Result<Topology> r) {
  EXPECT_TRUE(r.ok()) << r.error().message;
  return std::move(r).value();
}

Topology csv(std::string_view text, std::uint32_t n) {
  return must(Topology::from_csv_text(text, "test.csv", n));
}

TEST(TopologyFullMesh, EveryDistinctPairIsOneHopAtTheLinkLatency) {
  const Topology t = must(Topology::full_mesh(5, 3 * kMs, 1e9, 0.01));
  ASSERT_EQ(t.size(), 5u);
  EXPECT_TRUE(t.connected());
  for (NodeId a = 0; a < 5; ++a) {
    for (NodeId b = 0; b < 5; ++b) {
      if (a == b) {
        EXPECT_EQ(t.path_latency_ns(a, b), 0);
        EXPECT_EQ(t.hops(a, b), 0);
        EXPECT_EQ(t.path_loss(a, b), 0.0);
        EXPECT_EQ(t.path(a, b), std::vector<NodeId>{a});
      } else {
        EXPECT_EQ(t.path_latency_ns(a, b), 3 * kMs);
        EXPECT_EQ(t.hops(a, b), 1);
        EXPECT_EQ(t.path_bandwidth_bps(a, b), 1e9);
        EXPECT_DOUBLE_EQ(t.path_loss(a, b), 0.01);
        EXPECT_EQ(t.path(a, b), (std::vector<NodeId>{a, b}));
      }
    }
  }
  EXPECT_EQ(t.min_latency_ns(), 3 * kMs);
  EXPECT_EQ(t.region_of(4), 0u);
  EXPECT_EQ(t.num_regions(), 1u);
  EXPECT_EQ(t.edges().size(), 10u);
}

TEST(TopologyFullMesh, SingleNodeHasNoDistinctPairsSoLookaheadIsNever) {
  const Topology t = must(Topology::full_mesh(1, kMs, 1e9, 0));
  EXPECT_EQ(t.size(), 1u);
  EXPECT_TRUE(t.connected());
  EXPECT_EQ(t.path_latency_ns(0, 0), 0);
  EXPECT_EQ(t.min_latency_ns(), kTimeNever);
}

TEST(TopologyStar, HubToLeafIsOneLinkAndLeafToLeafCrossesTheHub) {
  const Topology t = must(Topology::star(6, 5 * kMs, 1e8, 0.1));
  for (NodeId leaf = 1; leaf < 6; ++leaf) {
    EXPECT_EQ(t.path_latency_ns(0, leaf), 5 * kMs);
    EXPECT_EQ(t.path_latency_ns(leaf, 0), 5 * kMs);
    EXPECT_EQ(t.hops(leaf, 0), 1);
  }
  EXPECT_EQ(t.path_latency_ns(2, 5), 10 * kMs);
  EXPECT_EQ(t.hops(2, 5), 2);
  EXPECT_EQ(t.path(2, 5), (std::vector<NodeId>{2, 0, 5}));
  EXPECT_EQ(t.path_bandwidth_bps(2, 5), 1e8);
  EXPECT_DOUBLE_EQ(t.path_loss(2, 5), 1 - 0.9 * 0.9);
  EXPECT_EQ(t.min_latency_ns(), 5 * kMs);
}

TEST(TopologyRegions, TwoRegionsAssignNodesRoundRobinWithIntraAndInterLatency) {
  const Topology t = must(Topology::regions(6, 2, 2 * kMs, 40 * kMs, 1e9, 1e8, 0));
  EXPECT_EQ(t.num_regions(), 2u);
  for (NodeId v = 0; v < 6; ++v) EXPECT_EQ(t.region_of(v), v % 2);
  EXPECT_EQ(t.path_latency_ns(0, 2), 2 * kMs);  // both region 0
  EXPECT_EQ(t.path_latency_ns(1, 5), 2 * kMs);  // both region 1
  EXPECT_EQ(t.path_bandwidth_bps(0, 4), 1e9);
  EXPECT_EQ(t.path_latency_ns(0, 1), 40 * kMs);
  EXPECT_EQ(t.path_latency_ns(4, 3), 40 * kMs);
  EXPECT_EQ(t.hops(4, 3), 1);  // WAN mesh: a direct inter-region link
  EXPECT_EQ(t.path_bandwidth_bps(4, 3), 1e8);
  EXPECT_EQ(t.min_latency_ns(), 2 * kMs);
  EXPECT_EQ(t.edges().size(), 15u);
}

TEST(TopologyRegions, ThreeRegionsWithUnevenSizes) {
  const Topology t = must(Topology::regions(7, 3, kMs, 30 * kMs, 1e9, 5e7, 0));
  EXPECT_EQ(t.region_of(0), 0u);
  EXPECT_EQ(t.region_of(4), 1u);
  EXPECT_EQ(t.region_of(6), 0u);
  EXPECT_EQ(t.path_latency_ns(0, 6), kMs);
  EXPECT_EQ(t.path_latency_ns(0, 3), kMs);
  EXPECT_EQ(t.path_latency_ns(2, 5), kMs);
  EXPECT_EQ(t.path_latency_ns(0, 1), 30 * kMs);
  EXPECT_EQ(t.path_latency_ns(5, 6), 30 * kMs);
  EXPECT_EQ(t.path_bandwidth_bps(5, 6), 5e7);
  EXPECT_EQ(t.hops(5, 6), 1);
}

TEST(TopologyRegions, OneRegionIsAFullMeshAtIntraLatency) {
  const Topology t = must(Topology::regions(4, 1, 7 * kMs, 90 * kMs, 1e9, 1e6, 0));
  for (NodeId a = 0; a < 4; ++a) {
    for (NodeId b = 0; b < 4; ++b) {
      if (a != b) {
        EXPECT_EQ(t.path_latency_ns(a, b), 7 * kMs);
      }
    }
  }
}

TEST(TopologyRegions, SlowIntraRegionLinksAreBypassedThroughAnotherRegion) {
  // 2 * inter (6 ms) < intra (10 ms): 0 -> 2 (same region) goes 0 -> 1 -> 2.
  const Topology t = must(Topology::regions(4, 2, 10 * kMs, 3 * kMs, 1e9, 1e9, 0));
  EXPECT_EQ(t.path_latency_ns(0, 2), 6 * kMs);
  EXPECT_EQ(t.path(0, 2), (std::vector<NodeId>{0, 1, 2}));
}

TEST(TopologyCsv, ShortestPathIsNotTheDirectEdge) {
  // A=0, B=1, C=2: A-B direct is 10 ms, A-C-B is 3 + 4 ms.
  const Topology t =
      csv("src,dst,latency_ms,bandwidth_mbps,loss\n"
          "0,1,10,1000,0\n"
          "0,2,3,100,0.1\n"
          "2,1,4,20,0.2\n",
          3);
  EXPECT_EQ(t.path_latency_ns(0, 1), 7 * kMs);
  EXPECT_EQ(t.path_latency_ns(1, 0), 7 * kMs);
  EXPECT_EQ(t.hops(0, 1), 2);
  EXPECT_EQ(t.path(0, 1), (std::vector<NodeId>{0, 2, 1}));
  EXPECT_EQ(t.path(1, 0), (std::vector<NodeId>{1, 2, 0}));
  EXPECT_EQ(t.path_bandwidth_bps(0, 1), 20e6);         // bottleneck: the 2-1 edge
  EXPECT_DOUBLE_EQ(t.path_loss(0, 1), 1 - 0.9 * 0.8);  // 0.28
  EXPECT_EQ(t.path_latency_ns(0, 2), 3 * kMs);
  EXPECT_EQ(t.min_latency_ns(), 3 * kMs);
}

TEST(TopologyCsv, LineGraphSumsLatenciesAndCountsHops) {
  const Topology t =
      csv("src,dst,latency_ms,bandwidth_mbps\n"
          "0,1,1,100\n"
          "1,2,2,50\n"
          "2,3,3,200\n",
          4);
  EXPECT_EQ(t.path_latency_ns(0, 3), 6 * kMs);
  EXPECT_EQ(t.path_latency_ns(3, 0), 6 * kMs);
  EXPECT_EQ(t.hops(0, 3), 3);
  EXPECT_EQ(t.hops(1, 3), 2);
  EXPECT_EQ(t.path_bandwidth_bps(0, 3), 50e6);
  EXPECT_EQ(t.path_bandwidth_bps(2, 3), 200e6);
  EXPECT_EQ(t.path_loss(0, 3), 0.0);
  EXPECT_EQ(t.path(3, 0), (std::vector<NodeId>{3, 2, 1, 0}));
}

TEST(TopologyCsv, RingTakesTheShorterWayRound) {
  // 0-1-2-3-4-5-0, 1 ms each, except 5-0 at 0.5 ms.
  const Topology t =
      csv("src,dst,latency_ms,bandwidth_mbps\n"
          "0,1,1,100\n1,2,1,100\n2,3,1,100\n3,4,1,100\n4,5,1,100\n5,0,0.5,100\n",
          6);
  EXPECT_EQ(t.path_latency_ns(0, 4), 1500 * kNsPerUs);
  EXPECT_EQ(t.path(0, 4), (std::vector<NodeId>{0, 5, 4}));
  EXPECT_EQ(t.path_latency_ns(0, 2), 2 * kMs);
  EXPECT_EQ(t.path(0, 2), (std::vector<NodeId>{0, 1, 2}));
  // 0 -> 3: 3 ms one way, 2.5 ms the other.
  EXPECT_EQ(t.path_latency_ns(0, 3), 2500 * kNsPerUs);
  EXPECT_EQ(t.path(0, 3), (std::vector<NodeId>{0, 5, 4, 3}));
  EXPECT_EQ(t.min_latency_ns(), 500 * kNsPerUs);
}

TEST(TopologyTieBreak, UniformRingOppositeNodeTakesTheLexicographicallySmallerWay) {
  // 0 -> 3 is 3 ms and 3 hops either way: 0,1,2,3 < 0,5,4,3; from 3: 3,2,1,0 < 3,4,5,0.
  const Topology t =
      csv("src,dst,latency_ms,bandwidth_mbps\n"
          "0,1,1,100\n1,2,1,100\n2,3,1,100\n3,4,1,100\n4,5,1,100\n5,0,1,100\n",
          6);
  EXPECT_EQ(t.path_latency_ns(0, 3), 3 * kMs);
  EXPECT_EQ(t.path(0, 3), (std::vector<NodeId>{0, 1, 2, 3}));
  EXPECT_EQ(t.path(3, 0), (std::vector<NodeId>{3, 2, 1, 0}));
  EXPECT_EQ(t.path(4, 1), (std::vector<NodeId>{4, 3, 2, 1}));
}

TEST(TopologyTieBreak, EqualLatencyPrefersFewerHops) {
  // 0-1 direct 4 ms; 0-2-1 2 + 2 ms: same latency, the direct edge has fewer hops.
  const Topology t =
      csv("src,dst,latency_ms,bandwidth_mbps\n"
          "0,2,2,1000\n2,1,2,1000\n0,1,4,10\n",
          3);
  EXPECT_EQ(t.path_latency_ns(0, 1), 4 * kMs);
  EXPECT_EQ(t.hops(0, 1), 1);
  EXPECT_EQ(t.path_bandwidth_bps(0, 1), 10e6);
}

TEST(TopologyTieBreak, EqualLatencyAndHopsPrefersTheLexicographicallySmallerPath) {
  // Two 3-hop paths of 3 ms from 0 to 5: 0,1,4,5 and 0,2,3,5. The lexicographically smaller
  // sequence wins even though its last intermediate node (4) is larger than the other's (3).
  const Topology t =
      csv("src,dst,latency_ms,bandwidth_mbps\n"
          "0,2,1,100\n2,3,1,100\n3,5,1,100\n"
          "0,1,1,40\n1,4,1,40\n4,5,1,40\n",
          6);
  EXPECT_EQ(t.path_latency_ns(0, 5), 3 * kMs);
  EXPECT_EQ(t.path(0, 5), (std::vector<NodeId>{0, 1, 4, 5}));
  EXPECT_EQ(t.path_bandwidth_bps(0, 5), 40e6);
  // From 5 the rule reads from 5: 5,3,2,0 < 5,4,1,0, so the reverse direction differs.
  EXPECT_EQ(t.path(5, 0), (std::vector<NodeId>{5, 3, 2, 0}));
  EXPECT_EQ(t.path_bandwidth_bps(5, 0), 100e6);
}

TEST(TopologyTieBreak, ZeroLatencyEdgesAreAllowedAndGiveZeroLookahead) {
  const Topology t =
      csv("src,dst,latency_ms,bandwidth_mbps\n"
          "0,1,0,100\n1,2,1,100\n0,2,1,100\n",
          3);
  EXPECT_EQ(t.path_latency_ns(0, 1), 0);
  EXPECT_EQ(t.path_latency_ns(0, 2), kMs);
  EXPECT_EQ(t.hops(0, 2), 1);                            // direct beats 0-1-2 on hops
  EXPECT_EQ(t.path(1, 2), (std::vector<NodeId>{1, 2}));  // direct beats 1-0-2 on hops
  EXPECT_EQ(t.min_latency_ns(), 0);
}

// Naive oracle: Bellman-Ford over (latency, hops, node sequence) compared lexicographically.
struct OraclePath {
  TimeNs latency_ns = std::numeric_limits<TimeNs>::max();
  std::vector<NodeId> nodes;
  double bandwidth_bps = std::numeric_limits<double>::infinity();
  double keep = 1.0;
  bool better_than(const OraclePath& o) const {
    if (latency_ns != o.latency_ns) return latency_ns < o.latency_ns;
    if (nodes.size() != o.nodes.size()) return nodes.size() < o.nodes.size();
    return nodes < o.nodes;
  }
};

std::vector<OraclePath> oracle(std::uint32_t n, const std::vector<Topology::Edge>& edges,
                               NodeId src) {
  std::vector<OraclePath> best(n);
  best[src].latency_ns = 0;
  best[src].nodes = {src};
  for (std::uint32_t round = 0; round < n; ++round) {
    for (const auto& e : edges) {
      for (const auto& [u, v] : {std::pair{e.a, e.b}, std::pair{e.b, e.a}}) {
        if (best[u].nodes.empty()) continue;
        OraclePath c = best[u];
        c.latency_ns += e.latency_ns;
        c.nodes.push_back(v);
        c.bandwidth_bps = std::min(c.bandwidth_bps, e.bandwidth_bps);
        c.keep *= 1 - e.loss;
        if (v != src && c.better_than(best[v])) best[v] = c;
      }
    }
  }
  return best;
}

TEST(TopologyOracle, RandomGraphsWithManyTiesMatchANaiveSearch) {
  Rng rng(20240611);
  int checked = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const auto n = static_cast<std::uint32_t>(2 + rng.next_below(11));
    std::vector<Topology::Edge> edges;
    // A random spanning tree keeps the graph connected; then random extra edges.
    for (NodeId v = 1; v < n; ++v) {
      const auto u = static_cast<NodeId>(rng.next_below(v));
      edges.push_back({u, v, static_cast<TimeNs>(rng.next_below(4)) * kMs,
                       1e6 * static_cast<double>(1 + rng.next_below(5)), 0.05 * rng.next_double()});
    }
    for (NodeId a = 0; a < n; ++a) {
      for (NodeId b = a + 1; b < n; ++b) {
        const bool linked = std::any_of(edges.begin(), edges.end(), [&](const auto& e) {
          return (e.a == a && e.b == b) || (e.a == b && e.b == a);
        });
        if (!linked && rng.bernoulli(0.3)) {
          edges.push_back({b, a, static_cast<TimeNs>(rng.next_below(4)) * kMs,
                           1e6 * static_cast<double>(1 + rng.next_below(5)), 0.0});
        }
      }
    }
    const Topology t = must(Topology::from_edges(n, edges));
    TimeNs min_latency_ns = kTimeNever;
    for (NodeId src = 0; src < n; ++src) {
      const auto best = oracle(n, edges, src);
      for (NodeId dst = 0; dst < n; ++dst) {
        if (dst == src) continue;
        ASSERT_EQ(t.path_latency_ns(src, dst), best[dst].latency_ns) << trial;
        ASSERT_EQ(t.path(src, dst), best[dst].nodes) << trial << " " << src << "->" << dst;
        ASSERT_EQ(t.hops(src, dst), static_cast<int>(best[dst].nodes.size()) - 1);
        ASSERT_EQ(t.path_bandwidth_bps(src, dst), best[dst].bandwidth_bps);
        ASSERT_NEAR(t.path_loss(src, dst), 1 - best[dst].keep, 1e-12);
        min_latency_ns = std::min(min_latency_ns, best[dst].latency_ns);
        ++checked;
      }
    }
    if (n > 1) {
      ASSERT_EQ(t.min_latency_ns(), min_latency_ns);
    }
  }
  EXPECT_GT(checked, 5000);
}

// full_mesh and regions fill their tables in closed form; the general shortest-path pass over
// the same edges must agree bit for bit, including the tie-break and zero latencies.
TEST(TopologyOracle, ClosedFormRegionMeshMatchesTheGeneralAlgorithm) {
  const TimeNs latencies_ns[] = {0, 1 * kMs, 2 * kMs, 3 * kMs, 5 * kMs};
  int compared = 0;
  for (std::uint32_t n = 1; n <= 9; ++n) {
    for (std::uint32_t k = 1; k <= n; ++k) {
      for (const TimeNs intra_ns : latencies_ns) {
        for (const TimeNs inter_ns : latencies_ns) {
          const Topology fast = must(Topology::regions(n, k, intra_ns, inter_ns, 1e9, 1e8, 0.1));
          const Topology general = must(Topology::from_edges(n, fast.edges()));
          ASSERT_EQ(fast.min_latency_ns(), general.min_latency_ns());
          for (NodeId a = 0; a < n; ++a) {
            for (NodeId b = 0; b < n; ++b) {
              const auto where = ::testing::Message()
                                 << "n=" << n << " k=" << k << " intra=" << intra_ns
                                 << " inter=" << inter_ns << " " << a << "->" << b;
              ASSERT_EQ(fast.path_latency_ns(a, b), general.path_latency_ns(a, b)) << where;
              ASSERT_EQ(fast.hops(a, b), general.hops(a, b)) << where;
              ASSERT_EQ(fast.path(a, b), general.path(a, b)) << where;
              ASSERT_EQ(fast.path_bandwidth_bps(a, b), general.path_bandwidth_bps(a, b)) << where;
              ASSERT_EQ(fast.path_loss(a, b), general.path_loss(a, b)) << where;
            }
          }
          ++compared;
        }
      }
    }
  }
  EXPECT_EQ(compared, 45 * 25);
  const Topology mesh = must(Topology::full_mesh(6, 0, 1e9, 0.2));
  const Topology general = must(Topology::from_edges(6, mesh.edges()));
  for (NodeId a = 0; a < 6; ++a) {
    for (NodeId b = 0; b < 6; ++b) {
      ASSERT_EQ(mesh.path(a, b), general.path(a, b));
      ASSERT_EQ(mesh.path_loss(a, b), general.path_loss(a, b));
    }
  }
}

TEST(TopologyKinds, KindNamesListEveryBuilder) {
  EXPECT_EQ(Topology::kind_names(),
            (std::vector<std::string>{"full_mesh", "star", "regions", "csv"}));
}

TEST(TopologyBuilderErrors, ZeroBandwidthIsRejectedNamingTheParameter) {
  const auto r = Topology::full_mesh(4, kMs, 0, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "full_mesh: bandwidth_bps: expected a positive finite bandwidth in bit/s, got 0");
}

TEST(TopologyBuilderErrors, ZeroNodesIsRejected) {
  const auto r = Topology::star(0, kMs, 1e9, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "star: n: expected 1..4096 nodes, got 0");
}

TEST(TopologyBuilderErrors, LossOfOneIsRejected) {
  const auto r = Topology::full_mesh(4, kMs, 1e9, 1.0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "full_mesh: loss: expected a probability in [0, 1), got 1");
}

TEST(TopologyBuilderErrors, NegativeLatencyIsRejected) {
  const auto r = Topology::star(3, -1, 1e9, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "star: hub_latency_ns: expected a latency in [0, 86400000000000] ns, got -1");
}

TEST(TopologyBuilderErrors, RegionsRejectsBadRegionCountAndInterBandwidth) {
  auto r = Topology::regions(4, 0, kMs, kMs, 1e9, 1e9, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "regions: k_regions: expected 1..n (n = 4), got 0");
  r = Topology::regions(4, 5, kMs, kMs, 1e9, 1e9, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "regions: k_regions: expected 1..n (n = 4), got 5");
  r = Topology::regions(4, 2, kMs, kMs, 1e9, -3, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "regions: inter_bandwidth_bps: expected a positive finite bandwidth in bit/s, got -3");
  r = Topology::regions(4, 2, kMs, kMs, std::nan(""), 1e9, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "regions: bandwidth_bps: expected a positive finite bandwidth in bit/s, got nan");
}

TEST(TopologyBuilderErrors, TooManyNodesIsRejected) {
  const auto r = Topology::star(Topology::kMaxNodes + 1, kMs, 1e9, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "star: n: expected 1..4096 nodes, got 4097");
}

TEST(TopologyFromEdges, RejectsDisconnectedSelfLoopAndDuplicateEdges) {
  const double bw = 1e9;
  std::vector<Topology::Edge> edges = {{0, 1, kMs, bw, 0}, {2, 3, kMs, bw, 0}};
  auto r = Topology::from_edges(4, edges);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "topology: node 2 is unreachable from node 0");

  edges = {{0, 1, kMs, bw, 0}, {1, 1, kMs, bw, 0}};
  r = Topology::from_edges(2, edges);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "topology: edge 1 (1-1): self-loop");

  edges = {{0, 1, kMs, bw, 0}, {1, 0, 2 * kMs, bw, 0}};
  r = Topology::from_edges(2, edges, "custom");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "custom: edge 1 (1-0): duplicate of edge 0");

  edges = {{0, 2, kMs, bw, 0}};
  r = Topology::from_edges(2, edges);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "topology: edge 0 (0-2): node id out of range (n = 2, ids are 0..1)");
}

}  // namespace
}  // namespace hlsim
