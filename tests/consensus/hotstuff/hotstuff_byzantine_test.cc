// HotStuff under f Byzantine validators (consensus/behavior.h): for each behaviour, many seeds with
// latency jitter (messages overtake each other). The honest validators never diverge, the harness
// records no violation on them, and they commit every transaction submitted to an honest
// validator. A canary shows the checks can fail: with f + 1 equivocators the honest validators
// are made to commit different blocks.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
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

// A Byzantine validator of each behaviour while an honest validator crashes and comes back with
// its storage lost (it catches up by fetching blocks under a QC and votes again).
TEST(HotStuffByzantine, RestartWithStorageLostBesideAByzantineValidator) {
  const Behavior behaviors[] = {Behavior::kSilent, Behavior::kWithholdVotes,
                                Behavior::kInvalidSignatures, Behavior::kDelayProposals,
                                Behavior::kEquivocate};
  for (std::uint64_t seed = 600; seed < 610; ++seed) {
    const Behavior behavior = behaviors[seed % 5];
    SCOPED_TRACE(std::string(to_string(behavior)) + " seed " + std::to_string(seed));
    HotStuffClusterOptions o;
    o.nodes = 4;
    o.seed = seed;
    o.jitter_ns = kNsPerMs;
    const auto byz = static_cast<NodeId>(seed % 4);
    const auto crashing = static_cast<NodeId>((byz + 1 + seed % 3) % 4);  // never byz
    o.byzantine[byz] = behavior;
    auto c = make_hotstuff_cluster(o);
    std::vector<NodeId> honest;
    std::vector<NodeId> gateways;
    for (NodeId n = 0; n < 4; ++n) {
      if (n == byz) continue;
      honest.push_back(n);
      if (n != crashing) gateways.push_back(n);
    }
    c->start();
    std::set<Hash256> ids;
    std::uint64_t nonce = 0;
    auto submit_some = [&] {
      for (int k = 0; k < 3; ++k) {
        const NodeId to = gateways[nonce % gateways.size()];
        const TxRef tx = c->make_tx(static_cast<ClientId>(to), nonce++);
        ids.insert(tx->id);
        c->submit(to, tx);
      }
    };
    for (TimeNs t = 0; t < 2000 * kNsPerMs; t += 200 * kNsPerMs) {
      c->run_until(t);
      if (t == 400 * kNsPerMs) c->crash(crashing);
      if (t == 1000 * kNsPerMs) c->restart(crashing, /*storage_lost=*/true);
      submit_some();
    }
    const bool live =
        c->run_until([&] { return all_committed(*c, honest, ids); }, c->now() + 60 * kNsPerSec);
    EXPECT_TRUE(live) << "restarted node " << crashing << " holds " << c->chain(crashing).height()
                      << " blocks, node " << gateways[0] << " " << c->chain(gateways[0]).height();
    expect_safe(*c, honest);
  }
}

TEST(HotStuffByzantine, EquivocatingLeaderSendsTwoBlocksToTheTwoHalvesAndVotesForBoth) {
  HotStuffClusterOptions o;
  o.byzantine[1] = Behavior::kEquivocate;  // the leader of view 1
  auto c = make_hotstuff_cluster(o);
  c->start();
  const TxRef tx = c->make_tx(0, 0);
  c->submit(1, tx);
  std::map<NodeId, Block> sent;
  for (const Envelope& e : c->in_flight()) {
    if (auto p = as_proposal(e)) sent.emplace(e.to, p->block);
  }
  ASSERT_EQ(sent.size(), 3u);
  // Validator 0 (in [0, n/2)) gets the block with the transaction, 2 and 3 an empty one: same
  // view, height and parent, different blocks.
  EXPECT_EQ(sent.at(0).txs.size(), 1u);
  EXPECT_TRUE(sent.at(2).txs.empty());
  EXPECT_EQ(sent.at(2).hash, sent.at(3).hash);
  EXPECT_NE(sent.at(0).hash, sent.at(2).hash);
  EXPECT_EQ(sent.at(0).header.epoch, sent.at(2).header.epoch);
  EXPECT_EQ(sent.at(0).header.height, sent.at(2).header.height);
  EXPECT_EQ(sent.at(0).header.prev_hash, sent.at(2).header.prev_hash);
  // It votes for both, to the next leader.
  std::set<Hash256> voted;
  for (const Envelope& e : c->in_flight()) {
    if (auto v = as_vote(e)) {
      EXPECT_EQ(e.to, 2u);
      voted.insert(v->block_hash);
    }
  }
  EXPECT_EQ(voted, (std::set<Hash256>{sent.at(0).hash, sent.at(2).hash}));
  // The empty block gets n - f votes (1, 2, 3), the other only 2 (0, 1): the honest validators
  // follow the certified one and the transaction, pending everywhere, still commits.
  const bool done = c->run_until(
      [&] {
        return all_committed(*c, {0, 2, 3}, {tx->id});
      },
      c->now() + 10 * kNsPerSec);
  EXPECT_TRUE(done);
  expect_safe(*c, {0, 2, 3});
  EXPECT_NE(c->chain(2).at(1)->hash, sent.at(0).hash);
}

// ---------------------------------------------------------------------------------------------
// Canary: more than f equivocators break safety, and the checks see it.
//
// Why not n = 4 with validators 0 and 1 equivocating: a QC needs n - f = 3 votes, so every QC
// holds an honest vote, and an equivocating leader sends its second block to validators [2, 4),
// i.e. both honest validators see the same block of every Byzantine view. Every commit needs four
// consecutive views (three certified blocks and the leader that certifies the third), which in
// n = 4 always include both honest validators as leaders, and an honest leader extends the
// highest QC it knows to everyone. So the honest validators of n = 4 cannot be split by
// equivocation alone. With n = 10, f = 3 and f + 1 = 4 equivocators 1..4, views 1..4 all have
// Byzantine leaders: equivocation certifies two forks from view 1 on (each QC = 4 equivocators +
// 3 honest), and the leader of view 4 hands each fork's QC to its own honest group. The network
// (colluding with the equivocators) delivers each fork's blocks to the equivocators and one honest
// group only and keeps the two honest groups apart.
TEST(HotStuffByzantine, CanaryMoreThanFEquivocatorsMakeHonestValidatorsDiverge) {
  const std::vector<NodeId> group_x = {0, 5, 6};
  const std::vector<NodeId> group_y = {7, 8, 9};
  const std::set<NodeId> byzantine = {1, 2, 3, 4};
  int diverged = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    HotStuffClusterOptions o;
    o.nodes = 10;
    o.seed = seed;
    o.jitter_ns = kNsPerMs;
    for (NodeId b : byzantine) o.byzantine[b] = Behavior::kEquivocate;
    auto c = make_hotstuff_cluster(o);
    auto in = [](const std::vector<NodeId>& g, NodeId n) {
      return std::find(g.begin(), g.end(), n) != g.end();
    };
    // Fork of each Byzantine block: 'x' for the block view 1's leader sent to [0, 5) and its
    // descendants, 'y' for the other.
    std::map<Hash256, char> fork;
    std::map<Hash256, std::set<NodeId>> reached;
    auto fork_of = [&](const Envelope& e) -> char {
      auto p = as_proposal(e);
      if (!p || !byzantine.contains(e.from)) return 0;
      auto it = fork.find(p->block.header.prev_hash);
      char f = it != fork.end() ? it->second : (e.to < 5 ? 'x' : 'y');
      fork.emplace(p->block.hash, f);
      return fork[p->block.hash];
    };
    c->set_send_observer([&](const Envelope& e) {
      const char f = fork_of(e);
      if (f == 0) return;
      auto p = as_proposal(e);
      std::set<NodeId>& got = reached[p->block.hash];
      got.insert(e.to);
      std::vector<NodeId> targets(byzantine.begin(), byzantine.end());
      for (NodeId n : f == 'x' ? group_x : group_y) targets.push_back(n);
      for (NodeId t : targets) {
        if (t != e.from && got.insert(t).second) c->inject(e.from, t, e.msg);
      }
    });
    c->set_drop_filter([&](const Envelope& e) {
      if ((in(group_x, e.from) && in(group_y, e.to)) ||
          (in(group_y, e.from) && in(group_x, e.to))) {
        return true;
      }
      auto p = as_proposal(e);
      if (!p) return false;
      auto it = fork.find(p->block.hash);
      if (it == fork.end()) return false;
      return (it->second == 'x' && in(group_y, e.to)) || (it->second == 'y' && in(group_x, e.to));
    });
    c->start();
    c->submit(1, c->make_tx(0, 0));  // view 1's (Byzantine) leader has something to order
    c->run_for(200 * kNsPerMs);
    std::vector<NodeId> honest = group_x;
    honest.insert(honest.end(), group_y.begin(), group_y.end());
    const std::string d = c->divergence(honest);
    if (!d.empty()) ++diverged;
    EXPECT_GE(c->chain(0).height(), 1u);
    EXPECT_GE(c->chain(7).height(), 1u);
  }
  EXPECT_GT(diverged, 0);
}

}  // namespace
}  // namespace hlsim::testing
