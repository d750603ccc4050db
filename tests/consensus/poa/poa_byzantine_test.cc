// Byzantine authorities: for every behaviour PoA supports, f = floor((n - 1) / 2) of n
// authorities misbehave (Aura's majority assumption, 2f + 1 <= n), with jittered links so
// messages reorder. Per seed: no violation, no divergence among the honest nodes, and every
// transaction submitted to an honest node is committed by every honest node (progress).
//   silent              its steps pass without blocks (it still receives everything)
//   invalid_signatures  its blocks fail decode_block everywhere, so its steps are lost too
//   delay_proposals     its blocks leave 90% into its step (18 of 20 ms); with up to 3 ms of
//                       link delay the next primary often seals before it arrives: forks of one
//                       block, resolved by the step tie-break (reorgs, no violation)
//   equivocate          two blocks per step, to the two halves of the validators; the next
//                       honest primary's block, and the fetch of its parent, settle it (reorgs)
// Plus restarts with storage lost among honest nodes under a Byzantine minority.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "consensus/poa/poa_test_util.h"

namespace hlsim::testing {
namespace {

struct Outcome {
  std::uint64_t reorgs = 0;  // at honest nodes
  std::uint64_t equivocations_seen = 0;
  std::uint64_t fetches = 0;
};

PoaParams byzantine_params() {
  PoaParams p;
  p.step_duration_ns = 20 * kNsPerMs;
  p.mempool_gossip_ns = 5 * kNsPerMs;
  return p;
}

// One seeded run. `restart`: an honest node crashes and later restarts with its storage lost.
Outcome run_seed(Behavior behavior, std::uint32_t n, std::uint64_t seed, bool restart = false) {
  SCOPED_TRACE(std::string("behaviour ") + to_string(behavior) + ", n=" + std::to_string(n) +
               ", seed=" + std::to_string(seed));
  Rng setup = Rng::stream(seed, RngDomain::kScenario, static_cast<std::uint64_t>(behavior));
  const std::uint32_t f = poa_protocol_info().max_faulty(n);
  PoaClusterOptions o;
  o.nodes = n;
  o.seed = seed;
  o.params = byzantine_params();
  o.latency_ns = kNsPerMs;
  o.jitter_ns = 2 * kNsPerMs;
  while (o.byzantine.size() < f) {
    o.byzantine.emplace(static_cast<NodeId>(setup.next_below(n)), behavior);
  }
  std::vector<NodeId> honest;
  for (NodeId i = 0; i < n; ++i) {
    if (!o.byzantine.contains(i)) honest.push_back(i);
  }
  auto c = make_poa_cluster(o);
  const TimeNs step = o.params.step_duration_ns;
  c->start();

  // Transactions to random nodes (Byzantine gateways too: theirs need not commit) over the
  // first 12 steps.
  HashSet must;
  const NodeId victim = restart ? honest[setup.next_below(honest.size())] : kNoNode;
  for (std::uint64_t i = 0; i < 10; ++i) {
    auto gateway = static_cast<NodeId>(setup.next_below(n));
    if (gateway == victim) gateway = honest[0] == victim ? honest[1] : honest[0];
    const TxRef tx = c->make_tx(gateway, i);
    const TimeNs at = static_cast<TimeNs>(setup.next_below(12 * static_cast<std::uint64_t>(step)));
    c->submit_at(at, gateway, tx);
    if (!o.byzantine.contains(gateway)) must.insert(tx->id);
  }
  std::vector<NodeId> judged = honest;
  if (restart) {
    // The victim takes no client transactions (what it held when it crashed would be lost with
    // it); it crashes mid-run and comes back without storage.
    c->run_until(static_cast<TimeNs>(3 + setup.next_below(8)) * step);
    c->crash(victim);
    c->run_until(c->now() + static_cast<TimeNs>(2 + setup.next_below(10)) * step);
    c->restart(victim, /*storage_lost=*/true);
  }
  const bool live = c->run_until([&] { return all_committed(*c, judged, must); },
                                 120 * static_cast<TimeNs>(n) * step);
  EXPECT_TRUE(c->violations().empty()) << c->violations().front();
  EXPECT_EQ(c->divergence(honest), "");
  EXPECT_TRUE(live) << must.size() << " transactions must commit; node " << honest[0]
                    << " committed " << c->committed_tx_ids(honest[0]).size();
  Outcome out;
  for (const ReorgNote& r : c->reorgs()) {
    if (!o.byzantine.contains(r.node)) ++out.reorgs;  // a Byzantine node's own reorgs not counted
  }
  out.fetches = c->sent(kFetchType);
  for (NodeId i : honest) out.equivocations_seen += poa(*c, i).equivocations_seen();
  return out;
}

// 50 seeds per behaviour: 35 with n = 4 (f = 1), 15 with n = 7 (f = 3).
Outcome run_behaviour(Behavior behavior) {
  Outcome total;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    const Outcome o = run_seed(behavior, seed <= 35 ? 4 : 7, seed);
    total.reorgs += o.reorgs;
    total.equivocations_seen += o.equivocations_seen;
    total.fetches += o.fetches;
    if (::testing::Test::HasFailure()) break;
  }
  return total;
}

TEST(PoaByzantine, SilentMinority) {
  const Outcome o = run_behaviour(Behavior::kSilent);
  EXPECT_EQ(o.reorgs, 0u);  // missing blocks never fork the chain
}

TEST(PoaByzantine, InvalidSignatureMinority) {
  const Outcome o = run_behaviour(Behavior::kInvalidSignatures);
  EXPECT_EQ(o.reorgs, 0u);
}

TEST(PoaByzantine, DelayedProposalMinorityForksButStaysSafe) {
  const Outcome o = run_behaviour(Behavior::kDelayProposals);
  EXPECT_GT(o.reorgs, 0u);
}

TEST(PoaByzantine, EquivocatingMinorityIsResolvedByReorganisations) {
  const Outcome o = run_behaviour(Behavior::kEquivocate);
  EXPECT_GT(o.reorgs, 0u);
  EXPECT_GT(o.equivocations_seen, 0u);
  EXPECT_GT(o.fetches, 0u);
}

TEST(PoaByzantine, HonestRestartsWithStorageLostUnderAByzantineMinority) {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const Behavior b = seed % 2 == 0 ? Behavior::kEquivocate : Behavior::kSilent;
    run_seed(b, seed <= 8 ? 4 : 7, 100 + seed, /*restart=*/true);
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace hlsim::testing
