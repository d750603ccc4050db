#include "sim/network/topology.h"

#include <algorithm>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/range/iterator_range.hpp>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <utility>

namespace hlsim {
namespace {

// Edge bundle of the Boost graph: the weight Dijkstra reads, and what the path tables need.
struct EdgeProps {
  TimeNs latency_ns = 0;
  double bandwidth_bps = 0;
  double loss = 0;
};

// Each undirected edge is stored as two arcs in a compressed sparse row graph: contiguous
// out-edge arrays keep the n shortest-path passes cache-friendly.
using Graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, EdgeProps,
                                                 boost::no_property, std::uint32_t, std::uint32_t>;

std::string format_double(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, r.ptr);
}

std::string prefixed(std::string_view what, std::string_view rest) {
  std::string s(what);
  s += ": ";
  s += rest;
  return s;
}

std::optional<Error> check_n(std::string_view what, std::uint32_t n) {
  if (n == 0 || n > Topology::kMaxNodes) {
    return Error{prefixed(what, "n: expected 1.." + std::to_string(Topology::kMaxNodes) +
                                    " nodes, got " + std::to_string(n))};
  }
  return std::nullopt;
}

std::optional<std::string> check_latency(TimeNs latency_ns) {
  if (latency_ns < 0 || latency_ns > Topology::kMaxEdgeLatencyNs) {
    return "expected a latency in [0, " + std::to_string(Topology::kMaxEdgeLatencyNs) +
           "] ns, got " + std::to_string(latency_ns);
  }
  return std::nullopt;
}

std::optional<std::string> check_bandwidth(double bandwidth_bps) {
  if (!(bandwidth_bps > 0) || !std::isfinite(bandwidth_bps)) {
    return "expected a positive finite bandwidth in bit/s, got " + format_double(bandwidth_bps);
  }
  return std::nullopt;
}

std::optional<std::string> check_loss(double loss) {
  if (!(loss >= 0 && loss < 1)) {
    return "expected a probability in [0, 1), got " + format_double(loss);
  }
  return std::nullopt;
}

// Validates builder parameters named `param` (for the builders' own errors).
std::optional<Error> check_param(std::string_view what, std::string_view param,
                                 const std::optional<std::string>& problem) {
  if (!problem) return std::nullopt;
  std::string s(param);
  s += ": ";
  s += *problem;
  return Error{prefixed(what, s)};
}

std::uint64_t pair_key(NodeId a, NodeId b) {
  const NodeId lo = std::min(a, b);
  const NodeId hi = std::max(a, b);
  return (static_cast<std::uint64_t>(lo) << 32) | hi;
}

// ---- CSV helpers -------------------------------------------------------------------------

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      fields.push_back(trim(line.substr(start)));
      return fields;
    }
    fields.push_back(trim(line.substr(start, comma - start)));
    start = comma + 1;
  }
}

std::optional<double> parse_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

std::optional<std::uint64_t> parse_unsigned(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

constexpr std::string_view kCsvColumns = "src,dst,latency_ms,bandwidth_mbps[,loss]";
enum Column { kSrc = 0, kDst, kLatency, kBandwidth, kLoss, kNumColumns };
constexpr std::string_view kColumnNames[kNumColumns] = {"src", "dst", "latency_ms",
                                                        "bandwidth_mbps", "loss"};

}  // namespace

std::vector<std::string> Topology::kind_names() { return {"full_mesh", "star", "regions", "csv"}; }

Result<Topology> Topology::from_edges(std::uint32_t n, std::span<const Edge> edges,
                                      std::string_view what) {
  if (auto e = check_n(what, n)) return *e;
  std::unordered_map<std::uint64_t, std::size_t> seen;  // lookup only; never iterated
  seen.reserve(edges.size());
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const Edge& edge = edges[i];
    const std::string where = "edge " + std::to_string(i) + " (" + std::to_string(edge.a) + "-" +
                              std::to_string(edge.b) + ")";
    if (edge.a >= n || edge.b >= n) {
      return Error{prefixed(what, where + ": node id out of range (n = " + std::to_string(n) +
                                      ", ids are 0.." + std::to_string(n - 1) + ")")};
    }
    if (edge.a == edge.b) return Error{prefixed(what, where + ": self-loop")};
    if (auto p = check_latency(edge.latency_ns)) {
      return Error{prefixed(what, where + ": latency_ns: " + *p)};
    }
    if (auto p = check_bandwidth(edge.bandwidth_bps)) {
      return Error{prefixed(what, where + ": bandwidth_bps: " + *p)};
    }
    if (auto p = check_loss(edge.loss)) return Error{prefixed(what, where + ": loss: " + *p)};
    const auto [it, inserted] = seen.emplace(pair_key(edge.a, edge.b), i);
    if (!inserted) {
      return Error{prefixed(what, where + ": duplicate of edge " + std::to_string(it->second))};
    }
  }
  Topology t;
  t.n_ = n;
  t.edges_.assign(edges.begin(), edges.end());
  if (Status s = t.compute_paths(what); !s.ok()) return s.error();
  return t;
}

// Per source: Boost's Dijkstra gives the latency of every shortest path; then a breadth-first
// pass over the "tight" edges (u-v with dist[u] + latency = dist[v], exactly the edges that lie
// on some latency-shortest path) finds the fewest hops. The pass expands each level in rank
// order, where a node's rank orders its chosen path lexicographically among the level's paths;
// the first (smallest-rank) tight predecessor claims a node, which realises the documented
// tie-break, and the next level is ranked by (rank of predecessor, node id).
Status Topology::compute_paths(std::string_view what) {
  const std::size_t n = n_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> arcs;
  std::vector<EdgeProps> arc_props;
  arcs.reserve(2 * edges_.size());
  arc_props.reserve(2 * edges_.size());
  for (const Edge& e : edges_) {
    const EdgeProps props{e.latency_ns, e.bandwidth_bps, e.loss};
    arcs.emplace_back(e.a, e.b);
    arc_props.push_back(props);
    arcs.emplace_back(e.b, e.a);
    arc_props.push_back(props);
  }
  const Graph g(boost::edges_are_unsorted_multi_pass, arcs.begin(), arcs.end(), arc_props.begin(),
                static_cast<std::uint32_t>(n));

  latency_ns_.assign(n * n, 0);
  bandwidth_bps_.assign(n * n, 0);
  loss_.assign(n * n, 0);
  hops_.assign(n * n, 0);
  pred_.assign(n * n, 0);
  min_latency_ns_ = kTimeNever;

  constexpr TimeNs kUnreached = std::numeric_limits<TimeNs>::max();
  std::vector<TimeNs> dist(n);
  std::vector<std::uint8_t> visited(n);
  std::vector<std::uint32_t> rank(n);
  std::vector<NodeId> frontier;
  std::vector<NodeId> next;
  frontier.reserve(n);
  next.reserve(n);

  const auto vertex_index = boost::get(boost::vertex_index, g);
  for (NodeId src = 0; src < n; ++src) {
    boost::dijkstra_shortest_paths(
        g, src,
        boost::weight_map(boost::get(&EdgeProps::latency_ns, g))
            .distance_map(boost::make_iterator_property_map(dist.begin(), vertex_index)));
    for (NodeId v = 0; v < n; ++v) {
      if (dist[v] == kUnreached) {
        connected_ = false;
        return Error{prefixed(what, "node " + std::to_string(v) + " is unreachable from node " +
                                        std::to_string(src))};
      }
    }

    const std::size_t row = static_cast<std::size_t>(src) * n;
    std::fill(visited.begin(), visited.end(), 0);
    visited[src] = 1;
    rank[src] = 0;
    latency_ns_[row + src] = 0;
    bandwidth_bps_[row + src] = std::numeric_limits<double>::infinity();
    hops_[row + src] = 0;
    pred_[row + src] = src;
    frontier.assign(1, src);
    std::int32_t level = 0;
    while (!frontier.empty()) {
      ++level;
      next.clear();
      for (const NodeId u : frontier) {
        for (const auto e : boost::make_iterator_range(boost::out_edges(u, g))) {
          const NodeId v = static_cast<NodeId>(boost::target(e, g));
          const EdgeProps& props = g[e];
          if (visited[v] || dist[u] + props.latency_ns != dist[v]) continue;
          visited[v] = 1;
          const std::size_t at = row + v;
          pred_[at] = u;
          hops_[at] = level;
          latency_ns_[at] = dist[v];
          bandwidth_bps_[at] = std::min(bandwidth_bps_[row + u], props.bandwidth_bps);
          // 1 - (1 - loss_u)(1 - loss_e), written so that a one-hop path's loss is exactly
          // its edge's loss.
          const double loss_u = loss_[row + u];
          loss_[at] = loss_u + props.loss * (1.0 - loss_u);
          next.push_back(v);
        }
      }
      std::sort(next.begin(), next.end(), [&](NodeId x, NodeId y) {
        const std::uint32_t rx = rank[pred_[row + x]];
        const std::uint32_t ry = rank[pred_[row + y]];
        return rx != ry ? rx < ry : x < y;
      });
      for (std::uint32_t i = 0; i < next.size(); ++i) rank[next[i]] = i;
      frontier.swap(next);
    }
    for (NodeId v = 0; v < n; ++v) {
      if (v != src) min_latency_ns_ = std::min(min_latency_ns_, dist[v]);
    }
  }
  connected_ = true;
  return Status::Ok();
}

std::vector<NodeId> Topology::path(NodeId src, NodeId dst) const {
  std::vector<NodeId> nodes{dst};
  for (NodeId v = dst; v != src;) {
    v = pred_[index(src, v)];
    nodes.push_back(v);
  }
  std::reverse(nodes.begin(), nodes.end());
  return nodes;
}

Result<Topology> Topology::full_mesh(std::uint32_t n, TimeNs latency_ns, double bandwidth_bps,
                                     double loss) {
  constexpr std::string_view kWhat = "full_mesh";
  if (auto e = check_n(kWhat, n)) return *e;
  if (auto e = check_param(kWhat, "latency_ns", check_latency(latency_ns))) return *e;
  if (auto e = check_param(kWhat, "bandwidth_bps", check_bandwidth(bandwidth_bps))) return *e;
  if (auto e = check_param(kWhat, "loss", check_loss(loss))) return *e;
  return region_mesh(n, 1, latency_ns, latency_ns, bandwidth_bps, bandwidth_bps, loss);
}

Result<Topology> Topology::star(std::uint32_t n, TimeNs hub_latency_ns, double bandwidth_bps,
                                double loss) {
  constexpr std::string_view kWhat = "star";
  if (auto e = check_n(kWhat, n)) return *e;
  if (auto e = check_param(kWhat, "hub_latency_ns", check_latency(hub_latency_ns))) return *e;
  if (auto e = check_param(kWhat, "bandwidth_bps", check_bandwidth(bandwidth_bps))) return *e;
  if (auto e = check_param(kWhat, "loss", check_loss(loss))) return *e;
  std::vector<Edge> edges;
  edges.reserve(n - 1);
  for (NodeId leaf = 1; leaf < n; ++leaf) {
    edges.push_back({0, leaf, hub_latency_ns, bandwidth_bps, loss});
  }
  return from_edges(n, edges, kWhat);
}

Result<Topology> Topology::regions(std::uint32_t n, std::uint32_t k_regions,
                                   TimeNs intra_latency_ns, TimeNs inter_latency_ns,
                                   double bandwidth_bps, double inter_bandwidth_bps, double loss) {
  constexpr std::string_view kWhat = "regions";
  if (auto e = check_n(kWhat, n)) return *e;
  if (k_regions == 0 || k_regions > n) {
    return Error{prefixed(kWhat, "k_regions: expected 1..n (n = " + std::to_string(n) + "), got " +
                                     std::to_string(k_regions))};
  }
  if (auto e = check_param(kWhat, "intra_latency_ns", check_latency(intra_latency_ns))) return *e;
  if (auto e = check_param(kWhat, "inter_latency_ns", check_latency(inter_latency_ns))) return *e;
  if (auto e = check_param(kWhat, "bandwidth_bps", check_bandwidth(bandwidth_bps))) return *e;
  if (auto e = check_param(kWhat, "inter_bandwidth_bps", check_bandwidth(inter_bandwidth_bps))) {
    return *e;
  }
  if (auto e = check_param(kWhat, "loss", check_loss(loss))) return *e;
  return region_mesh(n, k_regions, intra_latency_ns, inter_latency_ns, bandwidth_bps,
                     inter_bandwidth_bps, loss);
}

// The path tables of a region mesh in closed form (O(n^2) instead of n shortest-path passes over
// n^2 / 2 edges). With I = intra and X = inter latency:
// * a, b in different regions: the direct edge. Every other a-b path also crosses regions, so it
//   is no faster (latency >= X) and has more hops.
// * a, b in one region: every path that leaves the region crosses at least two WAN edges
//   (latency >= 2X), every path inside it costs >= I, so the shortest latency is min(I, 2X).
//   If I <= 2X the direct edge wins (fewer hops on a tie). If 2X < I (needs k >= 2) the
//   two-hop paths a, x, b through any node x of another region win; the lexicographically
//   smallest takes the smallest such x: node 1 when a is in region 0, else node 0.
// The general algorithm agrees on every table (checked by the tests against from_edges).
Topology Topology::region_mesh(std::uint32_t n, std::uint32_t k, TimeNs intra_latency_ns,
                               TimeNs inter_latency_ns, double bandwidth_bps,
                               double inter_bandwidth_bps, double loss) {
  Topology t;
  t.n_ = n;
  t.edges_.reserve(static_cast<std::size_t>(n) * (n - 1) / 2);
  for (NodeId a = 0; a < n; ++a) {
    for (NodeId b = a + 1; b < n; ++b) {
      if (a % k == b % k) {
        t.edges_.push_back({a, b, intra_latency_ns, bandwidth_bps, loss});
      } else {
        t.edges_.push_back({a, b, inter_latency_ns, inter_bandwidth_bps, loss});
      }
    }
  }
  if (k > 1) {
    t.region_.resize(n);
    for (NodeId v = 0; v < n; ++v) t.region_[v] = v % k;
  }
  t.num_regions_ = k;

  const std::size_t size = static_cast<std::size_t>(n) * n;
  t.latency_ns_.assign(size, 0);
  t.bandwidth_bps_.assign(size, 0);
  t.loss_.assign(size, 0);
  t.hops_.assign(size, 0);
  t.pred_.assign(size, 0);
  const bool via_other_region = k > 1 && 2 * inter_latency_ns < intra_latency_ns;
  const double two_hop_loss = loss + loss * (1.0 - loss);  // as the general pass computes it
  for (NodeId a = 0; a < n; ++a) {
    for (NodeId b = 0; b < n; ++b) {
      const std::size_t at = t.index(a, b);
      if (a == b) {
        t.bandwidth_bps_[at] = std::numeric_limits<double>::infinity();
        t.pred_[at] = a;
        continue;
      }
      if (a % k != b % k) {
        t.latency_ns_[at] = inter_latency_ns;
        t.bandwidth_bps_[at] = inter_bandwidth_bps;
        t.loss_[at] = loss;
        t.hops_[at] = 1;
        t.pred_[at] = a;
      } else if (via_other_region) {
        t.latency_ns_[at] = 2 * inter_latency_ns;
        t.bandwidth_bps_[at] = inter_bandwidth_bps;
        t.loss_[at] = two_hop_loss;
        t.hops_[at] = 2;
        t.pred_[at] = a % k == 0 ? 1 : 0;
      } else {
        t.latency_ns_[at] = intra_latency_ns;
        t.bandwidth_bps_[at] = bandwidth_bps;
        t.loss_[at] = loss;
        t.hops_[at] = 1;
        t.pred_[at] = a;
      }
      t.min_latency_ns_ = std::min(t.min_latency_ns_, t.latency_ns_[at]);
    }
  }
  t.connected_ = true;
  return t;
}

Result<Topology> Topology::from_csv_text(std::string_view text, std::string_view name_for_errors,
                                         std::uint32_t n) {
  const std::string name(name_for_errors);
  if (auto e = check_n(name, n)) return *e;

  const auto at_line = [&](std::size_t line_no, const std::string& message) {
    return Error{name + ":" + std::to_string(line_no) + ": " + message};
  };
  const auto field_error = [&](std::size_t line_no, Column c, std::string_view expected,
                               std::string_view got) {
    return at_line(line_no, "field " + std::string(kColumnNames[c]) + ": expected " +
                                std::string(expected) + ", got '" + std::string(got) + "'");
  };

  std::vector<Edge> edges;
  std::unordered_map<std::uint64_t, std::size_t> first_line;  // lookup only; never iterated
  int column_of[kNumColumns] = {-1, -1, -1, -1, -1};
  std::size_t num_fields = 0;
  bool have_header = false;

  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const std::vector<std::string_view> fields = split_fields(line);

    if (!have_header) {
      have_header = true;
      num_fields = fields.size();
      bool any_known = false;
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const auto* it = std::find(std::begin(kColumnNames), std::end(kColumnNames), fields[i]);
        if (it == std::end(kColumnNames)) continue;
        any_known = true;
        const auto c = static_cast<std::size_t>(it - std::begin(kColumnNames));
        if (column_of[c] >= 0) {
          return at_line(line_no, "header: column '" + std::string(fields[i]) +
                                      "' appears twice (expected " + std::string(kCsvColumns) +
                                      ")");
        }
        column_of[c] = static_cast<int>(i);
      }
      if (!any_known) {
        return at_line(line_no, "expected a header line " + std::string(kCsvColumns) + ", got '" +
                                    std::string(line) + "'");
      }
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (std::find(std::begin(kColumnNames), std::end(kColumnNames), fields[i]) ==
            std::end(kColumnNames)) {
          return at_line(line_no, "header: unknown column '" + std::string(fields[i]) +
                                      "' (expected " + std::string(kCsvColumns) + ")");
        }
      }
      for (int c = 0; c < kLoss; ++c) {
        if (column_of[c] < 0) {
          return at_line(line_no, "header: missing column '" + std::string(kColumnNames[c]) +
                                      "' (expected " + std::string(kCsvColumns) + ")");
        }
      }
      continue;
    }

    if (fields.size() != num_fields) {
      return at_line(line_no, "expected " + std::to_string(num_fields) +
                                  " fields as in the header, got " + std::to_string(fields.size()));
    }
    const auto field = [&](Column c) { return fields[static_cast<std::size_t>(column_of[c])]; };

    NodeId ends[2] = {0, 0};
    for (const Column c : {kSrc, kDst}) {
      const std::string_view f = field(c);
      const auto id = parse_unsigned(f);
      if (!id) return field_error(line_no, c, "a node id (a non-negative integer)", f);
      if (*id >= n) {
        return at_line(line_no, "field " + std::string(kColumnNames[c]) + ": node id " +
                                    std::string(f) + " is out of range (n = " + std::to_string(n) +
                                    ", ids are 0.." + std::to_string(n - 1) + ")");
      }
      ends[c == kSrc ? 0 : 1] = static_cast<NodeId>(*id);
    }
    if (ends[0] == ends[1]) {
      return at_line(line_no,
                     "self-loop on node " + std::to_string(ends[0]) + " (src and dst must differ)");
    }

    const auto latency_ms = parse_number(field(kLatency));
    if (!latency_ms || *latency_ms < 0) {
      return field_error(line_no, kLatency, "a non-negative number", field(kLatency));
    }
    const double max_latency_ms = static_cast<double>(kMaxEdgeLatencyNs) / kNsPerMs;
    if (*latency_ms > max_latency_ms) {
      return field_error(line_no, kLatency,
                         "at most " + format_double(max_latency_ms) + " (one day)",
                         field(kLatency));
    }
    const auto bandwidth_mbps = parse_number(field(kBandwidth));
    if (!bandwidth_mbps || !(*bandwidth_mbps > 0) || !std::isfinite(*bandwidth_mbps * 1e6)) {
      return field_error(line_no, kBandwidth, "a positive number", field(kBandwidth));
    }
    double loss = 0;
    if (column_of[kLoss] >= 0) {
      const auto parsed = parse_number(field(kLoss));
      if (!parsed || !(*parsed >= 0 && *parsed < 1)) {
        return field_error(line_no, kLoss, "a probability in [0, 1)", field(kLoss));
      }
      loss = *parsed;
    }

    const auto [it, inserted] = first_line.emplace(pair_key(ends[0], ends[1]), line_no);
    if (!inserted) {
      return at_line(line_no, "duplicate edge " + std::to_string(ends[0]) + "-" +
                                  std::to_string(ends[1]) + " (first defined on line " +
                                  std::to_string(it->second) + ")");
    }
    edges.push_back({ends[0], ends[1], ms_to_ns(*latency_ms), *bandwidth_mbps * 1e6, loss});
  }
  if (!have_header) {
    return Error{name + ": no header line (expected " + std::string(kCsvColumns) + ")"};
  }
  return from_edges(n, edges, name);
}

Result<Topology> Topology::from_csv_file(const std::string& path, std::uint32_t n) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot open file"};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error{path + ": cannot read file"};
  return from_csv_text(text.str(), path, n);
}

}  // namespace hlsim
