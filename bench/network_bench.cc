// Network layer micro benchmarks: building a topology's all-pairs path table, and the cost of
// timing one message.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <vector>

#include "sim/kernel/rng.h"
#include "sim/network/link_model.h"
#include "sim/network/topology.h"

namespace hlsim {
namespace {

Topology regions_topology(std::uint32_t n) {
  auto t = Topology::regions(n, 4, 2 * kNsPerMs, 40 * kNsPerMs, 1e9, 1e8, 0.001);
  if (!t.ok()) {
    std::cerr << t.error().message << "\n";
    std::abort();
  }
  return std::move(t).value();
}

// Regions topology (4 regions, WAN mesh between them): n(n-1)/2 edges, n shortest-path trees.
void BM_TopologyRegionsBuild(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  for (auto _ : state) {
    Topology t = regions_topology(n);
    benchmark::DoNotOptimize(t.min_latency_ns());
  }
  state.counters["pairs"] = static_cast<double>(n) * (n - 1);
  state.SetComplexityN(n);
}
BENCHMARK(BM_TopologyRegionsBuild)->Arg(16)->Arg(128)->Arg(1000)->Unit(benchmark::kMillisecond);

// The general shortest-path builder (used by csv and star) on a sparse WAN-like graph: a ring
// plus three chords per node at pseudo-random distances, latencies 1-20 ms.
void BM_TopologySparseBuild(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  std::vector<Topology::Edge> edges;
  Rng rng(7);
  std::vector<std::uint8_t> linked(static_cast<std::size_t>(n) * n, 0);
  const auto add = [&](NodeId a, NodeId b) {
    if (a == b || linked[static_cast<std::size_t>(a) * n + b]) return;
    linked[static_cast<std::size_t>(a) * n + b] = linked[static_cast<std::size_t>(b) * n + a] = 1;
    edges.push_back({a, b, static_cast<TimeNs>(1 + rng.next_below(20)) * kNsPerMs,
                     1e8 * static_cast<double>(1 + rng.next_below(10)), 0.0});
  };
  for (NodeId v = 0; v < n; ++v) {
    add(v, (v + 1) % n);
    for (int c = 0; c < 3; ++c) add(v, static_cast<NodeId>(rng.next_below(n)));
  }
  for (auto _ : state) {
    auto t = Topology::from_edges(n, edges);
    if (!t.ok()) {
      state.SkipWithError(t.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(t->min_latency_ns());
  }
  state.counters["edges"] = static_cast<double>(edges.size());
}
BENCHMARK(BM_TopologySparseBuild)->Arg(16)->Arg(128)->Arg(1000)->Unit(benchmark::kMillisecond);

// One message timed on a lossy 64-node regions network with exponential jitter: the loss draw,
// the FIFO update and the jitter draw. Senders and receivers rotate so the link table is walked.
void BM_NetworkTransmit(benchmark::State& state) {
  const std::uint32_t n = 64;
  NetworkParams params;
  params.jitter = Distribution::exponential(0.2 * kNsPerMs);
  params.extra_loss = 0.01;
  auto net = Network::create(regions_topology(n), params);
  if (!net.ok()) {
    std::cerr << net.error().message << "\n";
    std::abort();
  }
  Rng rng = Rng::stream(1, RngDomain::kNetwork, 0);
  TimeNs now_ns = 0;
  std::uint64_t i = 0;
  for (auto _ : state) {
    const auto from = static_cast<NodeId>(i % n);
    const auto to = static_cast<NodeId>((from + 1 + (i / n) % (n - 1)) % n);
    benchmark::DoNotOptimize(net->transmit(from, to, 512, now_ns, rng));
    now_ns += 1000;
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NetworkTransmit);

// The loss-free, jitter-free fast path: no random draws at all.
void BM_NetworkTransmitNoLossNoJitter(benchmark::State& state) {
  const std::uint32_t n = 64;
  auto t = Topology::full_mesh(n, kNsPerMs, 1e9, 0);
  auto net = Network::create(std::move(t).value());
  Rng rng(1);
  TimeNs now_ns = 0;
  std::uint64_t i = 0;
  for (auto _ : state) {
    const auto from = static_cast<NodeId>(i % n);
    const auto to = static_cast<NodeId>((from + 1 + (i / n) % (n - 1)) % n);
    benchmark::DoNotOptimize(net->transmit(from, to, 512, now_ns, rng));
    now_ns += 1000;
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NetworkTransmitNoLossNoJitter);

}  // namespace
}  // namespace hlsim

BENCHMARK_MAIN();
