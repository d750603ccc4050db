// HotStuff under f Byzantine validators (consensus/behavior.h): for each behaviour, many seeds with
// latency jitter (messages overtake each other). The honest validators never diverge, the harness
// records no violation on them, and they commit every transaction submitted to an honest
// validator. A canary shows the checks can fail: with f + 1 equivocators the honest validators
// are made to commit different blocks.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "consensus/hotstuff/hotstuff_test_util.h"

namespace hlsim::testing {
namespace {

struct RunResult {
  bool live = false;
  std::string divergence;
  std::vector<std::string> violations;
  std::size_t must_commit = 0;
  std::size_t committed = 0;
  TimeNs end_ns = 0;
};

// One run: `nodes` validators, the `byzantine` ones behaving as `behavior`, bursts of five
// transactions submitted to random honest validators every 300 ms for 1.2 s, then time to commit
// them all.
RunResult run_byzantine(std::uint32_t nodes, std::uint64_t seed, Behavior behavior,
                        const std::vector<NodeId>& byzantine) {
  HotStuffClusterOptions o;
  o.nodes = nodes;
  o.seed = seed;
  o.latency_ns = kNsPerMs;
  o.jitter_ns = kNsPerMs;
  for (NodeId b : byzantine) o.byzantine[b] = behavior;
  auto c = make_hotstuff_cluster(o);
  std::vector<NodeId> honest;
  for (NodeId n = 0; n < nodes; ++n) {
    if (!o.byzantine.contains(n)) honest.push_back(n);
  }
  c->start();
  Rng rng = Rng::stream(seed, RngDomain::kScenario, 7);
  std::set<Hash256> ids;
  std::uint64_t nonce = 0;
  for (TimeNs t = 0; t < 1200 * kNsPerMs; t += 300 * kNsPerMs) {
    c->run_until(t);
    for (int k = 0; k < 5; ++k) {
      const NodeId to = honest[rng.next_below(honest.size())];
      const TxRef tx = c->make_tx(static_cast<ClientId>(to), nonce++);
      ids.insert(tx->id);
      c->submit(to, tx);
    }
  }
  RunResult r;
  r.live = c->run_until([&] { return all_committed(*c, honest, ids); }, c->now() + 60 * kNsPerSec);
  r.divergence = c->divergence(honest);
  r.violations = c->violations();
  r.must_commit = ids.size();
  r.committed = c->committed_tx_ids(honest[0]).size();
  r.end_ns = c->now();
  return r;
}

void expect_ok(const RunResult& r, std::uint64_t seed) {
  EXPECT_TRUE(r.violations.empty()) << "seed " << seed << ": " << r.violations.front();
  EXPECT_EQ(r.divergence, "") << "seed " << seed;
  EXPECT_TRUE(r.live) << "seed " << seed << ": " << r.committed << " of " << r.must_commit
                      << " committed by " << r.end_ns / kNsPerMs << " ms";
}

void run_behavior(Behavior behavior, std::uint64_t first_seed) {
  // 30 seeds with n = 4 (the Byzantine node rotating through every position, the first view's
  // leader included) and 10 with n = 7 (two Byzantine nodes, adjacent leaders in some seeds).
  for (std::uint64_t k = 0; k < 40; ++k) {
    const std::uint64_t seed = first_seed + k;
    SCOPED_TRACE(std::string(to_string(behavior)) + " seed " + std::to_string(seed));
    RunResult r;
    if (k < 30) {
      r = run_byzantine(4, seed, behavior, {static_cast<NodeId>(k % 4)});
    } else {
      const auto a = static_cast<NodeId>(k % 7);
      const auto b = static_cast<NodeId>((k + 1 + k % 3) % 7);
      r = run_byzantine(7, seed, behavior, {a, b});
    }
    expect_ok(r, seed);
    if (::testing::Test::HasFailure()) break;
  }
}

TEST(HotStuffByzantine, SilentMinority) { run_behavior(Behavior::kSilent, 100); }
TEST(HotStuffByzantine, WithheldVotes) { run_behavior(Behavior::kWithholdVotes, 200); }
TEST(HotStuffByzantine, InvalidSignatures) { run_behavior(Behavior::kInvalidSignatures, 300); }
TEST(HotStuffByzantine, DelayedProposals) { run_behavior(Behavior::kDelayProposals, 400); }
TEST(HotStuffByzantine, EquivocatingMinority) { run_behavior(Behavior::kEquivocate, 500); }

}  // namespace
}  // namespace hlsim::testing
