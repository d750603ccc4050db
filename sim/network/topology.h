// The validators' network topology and its all-pairs path table.
//
// A Topology is an undirected graph over N validator nodes (ids 0..N-1) whose edges carry a
// one-way latency, a bandwidth and a loss probability. It is built once, by one of the builders
// below, and is immutable afterwards (safe to read from any thread).
//
// Messages travel along the latency-shortest path. For every ordered pair (src, dst) the builder
// precomputes, in flat N x N tables:
//   path_latency_ns    sum of the edge latencies along the path (0 for src == dst)
//   path_bandwidth_bps the bottleneck: the smallest edge bandwidth along the path
//                      (+infinity for src == dst, where nothing is transmitted)
//   path_loss          1 - prod(1 - loss_e) over the path's edges (0 for src == dst)
//   hops               number of edges on the path (0 for src == dst)
//
// Tie-break (deterministic, part of the contract): among paths of equal total latency, the one
// with fewer hops wins; among those, the one whose node sequence src, v1, ..., dst is
// lexicographically smallest wins. Because the rule reads the path from its source, the path
// chosen from a to b need not be the reverse of the path from b to a when ties exist; latency
// and hops are symmetric, bandwidth and loss may then differ by direction.
//
// Cost: full_mesh and regions fill the tables in closed form, O(N^2); the other builders run one
// shortest-path pass per node, O(N * E log N), which is fast for sparse graphs.
//
// Every builder rejects bad input with an Error naming the builder and the parameter (or the
// file, line and field for CSV input), and rejects a disconnected graph, so a constructed
// Topology is always connected.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/kernel/ids.h"
#include "sim/kernel/result.h"
#include "sim/kernel/time.h"

namespace hlsim {

class Topology {
 public:
  // Largest node count a Topology accepts: the path tables hold about 32 bytes per ordered
  // pair, so 4,096 nodes take about 0.5 GB.
  static constexpr std::uint32_t kMaxNodes = 4096;
  // Largest latency of one edge (one day), so path sums can never overflow TimeNs.
  static constexpr TimeNs kMaxEdgeLatencyNs = 86'400 * kNsPerSec;

  // One undirected edge a-b.
  struct Edge {
    NodeId a = 0;
    NodeId b = 0;
    TimeNs latency_ns = 0;     // one-way, >= 0
    double bandwidth_bps = 0;  // > 0, finite
    double loss = 0;           // probability in [0, 1)
  };

  // Builder kinds, as a scenario names them.
  static std::vector<std::string> kind_names();  // {"full_mesh", "star", "regions", "csv"}

  // Every pair of nodes linked directly.
  static Result<Topology> full_mesh(std::uint32_t n, TimeNs latency_ns, double bandwidth_bps,
                                    double loss);

  // Node 0 is the hub (a health information exchange); every other node has one edge to it, so
  // hub-leaf latency is hub_latency_ns and leaf-leaf latency is 2 * hub_latency_ns.
  static Result<Topology> star(std::uint32_t n, TimeNs hub_latency_ns, double bandwidth_bps,
                               double loss);

  // Nodes are assigned round-robin to k_regions regions: node i is in region i % k_regions.
  // Within a region, a full mesh at intra_latency_ns and bandwidth_bps. Between regions, a WAN
  // mesh: every pair of nodes in different regions is linked directly at inter_latency_ns and
  // inter_bandwidth_bps. `loss` applies to every edge. REQUIRES 1 <= k_regions <= n (checked).
  // Cross-region pairs always use their direct WAN edge (any other path also crosses regions).
  // If 2 * inter_latency_ns < intra_latency_ns, same-region traffic is routed through another
  // region; the path table reflects that.
  static Result<Topology> regions(std::uint32_t n, std::uint32_t k_regions, TimeNs intra_latency_ns,
                                  TimeNs inter_latency_ns, double bandwidth_bps,
                                  double inter_bandwidth_bps, double loss);

  // An edge list in CSV form. The first line that is neither blank nor a comment ('#' as first
  // non-space character) is the header, naming the columns in any order:
  //   src,dst,latency_ms,bandwidth_mbps[,loss]
  // Each following line is one undirected edge; latency in milliseconds (rounded to the nearest
  // ns), bandwidth in megabits per second (1 Mbps = 10^6 bit/s), loss a probability in [0, 1)
  // (0 when the column is absent). Errors name the file, line and field, e.g.
  //   "topology.csv:7: field latency_ms: expected a non-negative number, got 'abc'"
  // and reject node ids >= n, self-loops, duplicate edges (in either direction), missing or
  // unknown header columns and a disconnected graph ("node 3 is unreachable from node 0").
  static Result<Topology> from_csv_text(std::string_view text, std::string_view name_for_errors,
                                        std::uint32_t n);
  // Reads the file at `path` and parses it as from_csv_text, naming the file by `path`.
  static Result<Topology> from_csv_file(const std::string& path, std::uint32_t n);

  // The general builder the others use: n nodes and the given edges (indices in errors refer to
  // positions in `edges`). Rejects self-loops and duplicate edges. `what` prefixes errors.
  static Result<Topology> from_edges(std::uint32_t n, std::span<const Edge> edges,
                                     std::string_view what = "topology");

  std::uint32_t size() const { return n_; }

  // REQUIRES for every per-pair accessor: src < size(), dst < size().
  TimeNs path_latency_ns(NodeId src, NodeId dst) const { return latency_ns_[index(src, dst)]; }
  double path_bandwidth_bps(NodeId src, NodeId dst) const {
    return bandwidth_bps_[index(src, dst)];
  }
  double path_loss(NodeId src, NodeId dst) const { return loss_[index(src, dst)]; }
  int hops(NodeId src, NodeId dst) const { return hops_[index(src, dst)]; }
  // The node sequence src, ..., dst of the chosen path ({src} when src == dst).
  std::vector<NodeId> path(NodeId src, NodeId dst) const;

  // Smallest path latency over distinct pairs: the kernel's lookahead. kTimeNever when
  // size() == 1 (no message ever crosses nodes).
  TimeNs min_latency_ns() const { return min_latency_ns_; }
  // True when every node reaches every other; always true for a built Topology.
  bool connected() const { return connected_; }

  // Region of a node for the regions topology; 0 for every other topology.
  std::uint32_t region_of(NodeId node) const { return region_.empty() ? 0 : region_[node]; }
  // Number of regions: k_regions for the regions topology, 1 otherwise.
  std::uint32_t num_regions() const { return num_regions_; }

  // The edges as given to the builder, in input order.
  const std::vector<Edge>& edges() const { return edges_; }

 private:
  Topology() = default;
  std::size_t index(NodeId src, NodeId dst) const {
    return static_cast<std::size_t>(src) * n_ + dst;
  }
  // Fills the path tables from edges_; returns an error naming the first unreachable node.
  Status compute_paths(std::string_view what);
  // full_mesh (k = 1) and regions, with the path tables in closed form. REQUIRES: parameters
  // validated, 1 <= k <= n.
  static Topology region_mesh(std::uint32_t n, std::uint32_t k, TimeNs intra_latency_ns,
                              TimeNs inter_latency_ns, double bandwidth_bps,
                              double inter_bandwidth_bps, double loss);

  std::uint32_t n_ = 0;
  std::vector<Edge> edges_;
  std::vector<TimeNs> latency_ns_;
  std::vector<double> bandwidth_bps_;
  std::vector<double> loss_;
  std::vector<std::int32_t> hops_;
  std::vector<NodeId> pred_;  // pred_[index(src, dst)]: the node before dst on the path
  std::vector<std::uint32_t> region_;
  std::uint32_t num_regions_ = 1;
  TimeNs min_latency_ns_ = kTimeNever;
  bool connected_ = false;
};

}  // namespace hlsim
