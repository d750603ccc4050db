// Fuzzes the topology CSV reader (Topology::from_csv_text, sim/network/topology.h) and the path
// tables it builds.
//
// Input: one byte choosing the node count n = 1 + byte % 32, then the CSV text. Properties: no
// crash, leak or hang; a built topology has n nodes, is connected, and its path tables keep the
// contract: zero latency and hops to oneself, symmetric latency and hops, and a path from src to
// dst that starts at src, ends at dst and has hops + 1 nodes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "sim/network/topology.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using hlsim::fuzz::check;
  if (size == 0) return 0;
  const std::uint32_t n = 1 + data[0] % 32;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto topo = hlsim::Topology::from_csv_text(text, "fuzz.csv", n);
  if (!topo.ok()) return 0;
  check(topo->size() == n && topo->connected(), "topology size and connectivity");
  for (hlsim::NodeId a = 0; a < n; ++a) {
    check(topo->path_latency_ns(a, a) == 0 && topo->hops(a, a) == 0, "path to oneself");
    for (hlsim::NodeId b = 0; b < n; ++b) {
      check(topo->path_latency_ns(a, b) == topo->path_latency_ns(b, a), "symmetric latency");
      check(topo->hops(a, b) == topo->hops(b, a), "symmetric hops");
      check(a == b || topo->path_latency_ns(a, b) >= topo->min_latency_ns(), "lookahead");
      const auto path = topo->path(a, b);
      check(!path.empty() && path.front() == a && path.back() == b, "path endpoints");
      check(path.size() == static_cast<std::size_t>(topo->hops(a, b)) + 1, "path length");
    }
  }
  return 0;
}
