// The sizing search against a made-up evaluator: bisection finds the fewest cores with fewer
// simulations than the grid, bandwidths bracket each other, the validator count follows the
// failures to tolerate, infeasible protocols say why, and results come cheapest first.
#include "sim/size/size_search.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>

namespace hlsim {
namespace {

// Raft-like (2f + 1) and BFT-like (3f + 1) fault bounds.
std::int64_t bound(const std::string& protocol, std::uint32_t n) {
  if (protocol == "bft") return n < 4 ? -1 : static_cast<std::int64_t>((n - 1) / 3);
  return static_cast<std::int64_t>((n - 1) / 2);
}

SizeSpec spec_with(std::vector<std::string> protocols) {
  SizeSpec s;
  s.levels = {.committed_tps = 400, .p99_ms = 100, .failures = 1};
  s.protocols = std::move(protocols);
  s.nodes = {3, 4, 5, 7};
  s.cores = {1, 2, 4, 8, 16};
  s.bandwidth_mbps = {100, 1000};
  s.seeds = {1};
  return s;
}

// Throughput grows with cores (and doubles with 1000 Mbit/s); latency is fine.
SizeMeasure made_up(const SizeConfig& c) {
  const double per_core = c.bandwidth_mbps >= 1000 ? 200 : 100;
  return SizeMeasure{true, "", per_core * c.cores, 50};
}

TEST(SizeSearchTest, BisectionFindsTheFewestCoresPerBandwidth) {
  std::atomic<int> calls{0};
  std::set<std::pair<std::uint32_t, double>> seen;
  std::mutex mu;
  const SizeResult r = search_sizes(spec_with({"raft"}), bound, [&](const SizeConfig& c) {
    ++calls;
    const std::lock_guard lock(mu);
    EXPECT_EQ(c.nodes, 3u);  // the smallest n tolerating one failure with 2f + 1
    EXPECT_TRUE(seen.insert({c.cores, c.bandwidth_mbps}).second) << "evaluated twice";
    return made_up(c);
  });
  ASSERT_EQ(r.feasible.size(), 2u);
  // 100 Mbit/s needs 4 cores (400 tx/s); 1000 Mbit/s needs 2.
  EXPECT_EQ(r.feasible[0].config.cores + r.feasible[1].config.cores, 6u);
  for (const SizeCandidate& c : r.feasible) {
    EXPECT_EQ(c.config.cores, c.config.bandwidth_mbps >= 1000 ? 2u : 4u);
    EXPECT_GE(c.measure.committed_tps, 400);
  }
  EXPECT_EQ(r.evaluations, static_cast<std::size_t>(calls.load()));
  EXPECT_LT(r.evaluations, r.grid / 4);  // grid: 4 nodes x 5 cores x 2 bandwidths
  EXPECT_EQ(r.grid, 40u);
  EXPECT_TRUE(r.rejected.empty());
}

TEST(SizeSearchTest, TheFailuresDecideTheValidatorCount) {
  SizeSpec s = spec_with({"raft", "bft"});
  s.levels.failures = 2;  // raft: n = 5; bft: 3f + 1 = 7
  const SizeResult r = search_sizes(s, bound, made_up);
  std::set<std::pair<std::string, std::uint32_t>> n;
  for (const SizeCandidate& c : r.feasible) n.insert({c.config.protocol, c.config.nodes});
  EXPECT_EQ(n, (std::set<std::pair<std::string, std::uint32_t>>{{"bft", 7}, {"raft", 5}}));
  s.levels.failures = 3;  // raft needs 7 (a candidate), bft 10 (not one)
  const SizeResult r3 = search_sizes(s, bound, made_up);
  ASSERT_EQ(r3.rejected.size(), 1u);
  EXPECT_EQ(r3.rejected[0], "bft: no candidate validator count tolerates 3 failures");
}

TEST(SizeSearchTest, InfeasibleConfigurationsSayWhyAndTheRestComeCheapestFirst) {
  SizeSpec s = spec_with({"raft", "slow"});
  const SizeResult r = search_sizes(s, bound, [](const SizeConfig& c) {
    if (c.protocol == "slow") return SizeMeasure{true, "", 450, 900};  // p99 over the bound
    return made_up(c);
  });
  ASSERT_EQ(r.rejected.size(), 2u);  // at each bandwidth, at the most cores
  EXPECT_EQ(r.rejected[0], "slow n=3 cores=16 bandwidth=100 Mbit/s: p99 900 ms > 100");
  ASSERT_FALSE(r.feasible.empty());
  for (std::size_t i = 1; i < r.feasible.size(); ++i) {
    EXPECT_LE(r.feasible[i - 1].cost, r.feasible[i].cost);
  }
  // Cost: n x (per node + per core x cores + per Gbit/s x bandwidth).
  const SizeConfig c{"raft", 3, 4, 1000};
  EXPECT_DOUBLE_EQ(size_cost(SizeCost{}, c), 3 * (1.0 + 0.25 * 4 + 0.1 * 1.0));
}

TEST(SizeSearchTest, OnceTheFewestCoresSufficeHigherBandwidthsAreNotTried) {
  int calls = 0;
  const SizeResult r = search_sizes(spec_with({"raft"}), bound, [&](const SizeConfig&) {
    ++calls;
    return SizeMeasure{true, "", 1000, 10};  // everything suffices
  });
  ASSERT_EQ(r.feasible.size(), 1u);
  EXPECT_EQ(r.feasible[0].config.cores, 1u);
  EXPECT_EQ(r.feasible[0].config.bandwidth_mbps, 100);
  EXPECT_EQ(calls, 3);  // at 100 Mbit/s: 16 cores, then bisection tries 2 and 1; no 1000
}

TEST(SizeSearchTest, SizeFilesAreValidatedNamingTheKey) {
  auto ok = parse_size_spec(
      "base: b.yaml\n"
      "service: {committed_tps: 400, p99_ms: 800, failures: 1}\n"
      "consider: {protocols: [raft, pbft], nodes: [7, 3, 4], cores: [4, 1]}\n"
      "cost: {per_core: 0.5}\n"
      "seeds: 3\n",
      "s.yaml", "d");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->base_path, "d/b.yaml");
  EXPECT_EQ(ok->nodes, (std::vector<std::uint32_t>{3, 4, 7}));  // sorted
  EXPECT_EQ(ok->cores, (std::vector<std::uint32_t>{1, 4}));
  EXPECT_DOUBLE_EQ(ok->cost.per_core, 0.5);
  EXPECT_EQ(ok->seeds.size(), 3u);
  auto err = [](const std::string& text) {
    auto r = parse_size_spec(text, "s.yaml", "");
    return r.ok() ? std::string() : r.error().message;
  };
  const std::string base = "base: b.yaml\nconsider: {protocols: [raft], nodes: [3]}\n";
  EXPECT_EQ(err(base + "service: {committed_tps: 400, p99: 5}\n"),
            "s.yaml:3: service.p99: unknown key (expected committed_tps, p99_ms, failures)");
  EXPECT_EQ(err(base + "service: {committed_tps: -4}\n"),
            "s.yaml:3: service.committed_tps: expected a positive number");
  EXPECT_NE(err(base + "service: {p99_ms: 5}\n").find("committed_tps: missing"), std::string::npos);
  EXPECT_NE(err("base: b.yaml\nservice: {committed_tps: 4}\n").find("consider: needs"),
            std::string::npos);
  EXPECT_EQ(err(base + "service: {committed_tps: 4}\ncost: {per_cpu: 1}\n"),
            "s.yaml:4: cost.per_cpu: unknown key (expected per_node, per_core, per_gbps)");
  EXPECT_NE(err(base + "service: {committed_tps: 4}\nseeds: 0\n").find("seeds: expected a count"),
            std::string::npos);
  EXPECT_NE(err("service: {committed_tps: 4}\nconsider: {protocols: [raft], nodes: [3]}\n")
                .find("base: missing"),
            std::string::npos);
}

}  // namespace
}  // namespace hlsim
