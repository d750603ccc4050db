// Message formulas and commit latency of chained HotStuff in the fault-free case with a constant
// latency L (no jitter), for n = 4, 7, 10, 16.
//
// Per block (one block per view): the leader broadcasts the proposal to the n - 1 others, and
// every validator but the next leader sends its vote to the next leader (whose own vote is local):
//   proposal = n - 1,  vote = n - 1,  new-view = fetch = fetch-reply = 0.
// A block of transactions commits when the QC of its grandchild completes the three-chain, and the
// other validators learn that QC from the next proposal, so after the last transaction block the
// chain needs exactly three more (empty) blocks: a burst of K transactions sealed one per block
// (max_block_tx = 1) costs K + 3 blocks, i.e. (K + 3)(n - 1) proposals and (K + 3)(n - 1) votes.
// In the steady state every committed block costs n - 1 proposals and n - 1 votes.
//
// Latency, in one-way delays L from the proposal of block b (view v): proposal (1), votes to
// leader(v+1) (2), its proposal with QC(b) (3), votes (4), leader(v+2)'s proposal with QC(b') (5),
// votes (6): leader(v+3) forms QC(b''), which completes b <- b' <- b'': b commits there at 6 L, and
// at every other validator when leader(v+3)'s proposal carries that QC, at 7 L.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "consensus/hotstuff/hotstuff_test_util.h"

namespace hlsim::testing {
namespace {

constexpr TimeNs kL = kNsPerMs;

struct FormulaRun {
  std::unique_ptr<Cluster> c;
  std::vector<Hash256> ids;
  std::map<std::uint16_t, std::map<std::uint64_t, std::uint64_t>> by_view;  // type -> view -> n
};

// K transactions, each handed to every validator at time 0 (so every leader holds all of them and
// seals one per block from the first view on), run until nothing is in flight and nothing is due.
FormulaRun run_burst(std::uint32_t nodes, int k) {
  HotStuffClusterOptions o;
  o.nodes = nodes;
  o.seed = 5;
  o.latency_ns = kL;
  o.params.max_block_tx = 1;
  FormulaRun r{make_hotstuff_cluster(o), {}, {}};
  Cluster& c = *r.c;
  c.set_send_observer([&r](const Envelope& e) {
    if (auto p = as_proposal(e)) ++r.by_view[kProposal][p->block.header.epoch];
    if (auto v = as_vote(e)) ++r.by_view[kVote][v->epoch];
  });
  c.start();
  for (int i = 0; i < k; ++i) {
    const TxRef tx = c.make_tx(0, static_cast<std::uint64_t>(i));
    r.ids.push_back(tx->id);
    for (NodeId n = 0; n < nodes; ++n) c.submit(n, tx);
  }
  c.run_for(30 * kNsPerSec);
  return r;
}

TEST(HotStuffFormula, BurstCostsKPlusThreeBlocksOfNMinusOneProposalsAndVotes) {
  constexpr int kTxs = 12;
  for (std::uint32_t n : {4u, 7u, 10u, 16u}) {
    SCOPED_TRACE("n = " + std::to_string(n));
    FormulaRun r = run_burst(n, kTxs);
    Cluster& c = *r.c;
    ASSERT_TRUE(all_committed(c, all_nodes(c), {r.ids.begin(), r.ids.end()}));
    expect_safe(c);
    const std::uint64_t blocks = kTxs + 3;
    EXPECT_EQ(c.sent(kProposal), blocks * (n - 1));
    EXPECT_EQ(c.sent(kVote), blocks * (n - 1));
    EXPECT_EQ(c.sent(kNewView), 0u);
    EXPECT_EQ(c.sent(kFetch), 0u);
    EXPECT_EQ(c.sent(kFetchReply), 0u);
    // Mempool gossip (not a consensus message): every validator flushes its clients' burst once.
    EXPECT_EQ(c.sent(kTxGossip), std::uint64_t{n} * (n - 1));
    // One block per view, views 1..K+3, each with n - 1 proposal and n - 1 vote messages.
    ASSERT_EQ(r.by_view[kProposal].size(), blocks);
    for (const auto& [view, count] : r.by_view[kProposal]) {
      EXPECT_EQ(count, n - 1) << "view " << view;
      EXPECT_EQ(r.by_view[kVote][view], n - 1) << "view " << view;
    }
    EXPECT_EQ(r.by_view[kProposal].begin()->first, 1u);
    EXPECT_EQ(r.by_view[kProposal].rbegin()->first, blocks);
    // Every validator holds the K transaction blocks, one transaction each, in submission order;
    // the leader that formed the last QC also committed the first empty block.
    for (NodeId node = 0; node < n; ++node) {
      ASSERT_GE(c.chain(node).height(), static_cast<Height>(kTxs)) << node;
      ASSERT_LE(c.chain(node).height(), static_cast<Height>(kTxs) + 1) << node;
      EXPECT_EQ(c.committed_tx_ids(node), r.ids) << node;
    }
    // Idle afterwards: no view timer anywhere.
    for (NodeId node = 0; node < n; ++node) {
      EXPECT_EQ(c.live_timers(node, HotStuff::kViewTimer), 0u) << node;
    }
  }
}

TEST(HotStuffFormula, SteadyStateCostsNMinusOneProposalsAndVotesPerCommittedBlock) {
  // Between two commits at a validator in the steady state, exactly one block per view is
  // proposed and voted on, and exactly one block commits.
  for (std::uint32_t n : {4u, 7u, 10u, 16u}) {
    SCOPED_TRACE("n = " + std::to_string(n));
    HotStuffClusterOptions o;
    o.nodes = n;
    o.seed = 6;
    o.latency_ns = kL;
    o.params.max_block_tx = 1;
    auto c = make_hotstuff_cluster(o);
    std::vector<std::pair<TimeNs, std::uint16_t>> sends;
    c->set_send_observer([&](const Envelope& e) { sends.emplace_back(e.sent_ns, e.msg.type); });
    c->start();
    for (int i = 0; i < 30; ++i) {
      const TxRef tx = c->make_tx(0, static_cast<std::uint64_t>(i));
      for (NodeId node = 0; node < n; ++node) c->submit(node, tx);
    }
    c->run_for(kNsPerSec);
    // The commits of heights 5 and 25 at a validator that is the third leader of neither (it
    // commits both seven delays after their proposals): twenty committed blocks in between.
    const NodeId node = 9 % n;
    std::map<Height, TimeNs> at;
    for (const CommitRecord& r : c->commits()) {
      if (r.node == node) at[r.height] = r.time_ns;
    }
    ASSERT_TRUE(at.contains(5) && at.contains(25));
    std::map<std::uint16_t, std::uint64_t> count;
    for (const auto& [t, type] : sends) {
      if (t >= at[5] && t < at[25]) ++count[type];
    }
    EXPECT_EQ(count[kProposal], 20u * (n - 1));
    EXPECT_EQ(count[kVote], 20u * (n - 1));
    EXPECT_EQ(count[kNewView], 0u);
    EXPECT_EQ(count[kFetch], 0u);
  }
}

TEST(HotStuffFormula, BlockCommitsSixDelaysAfterItsProposalAtTheThirdLeaderAndSevenElsewhere) {
  for (std::uint32_t n : {4u, 7u, 10u, 16u}) {
    SCOPED_TRACE("n = " + std::to_string(n));
    FormulaRun r = run_burst(n, 8);
    Cluster& c = *r.c;
    std::size_t checked = 0;
    for (const CommitRecord& rec : c.commits()) {
      const BlockHeader& h = rec.block->header;
      if (rec.block->txs.empty()) continue;
      // The proposer sealed the block at its view's start (header.timestamp_ns).
      const NodeId third_leader = static_cast<NodeId>((h.epoch + 3) % n);
      const TimeNs delays = (rec.time_ns - h.timestamp_ns) / kL;
      EXPECT_EQ(rec.time_ns - h.timestamp_ns, delays * kL);
      EXPECT_EQ(delays, rec.node == third_leader ? 6 : 7)
          << "node " << rec.node << " view " << h.epoch;
      ++checked;
    }
    EXPECT_EQ(checked, 8u * n);
    // Views are two delays long: block v is proposed at (v - 1) * 2 L.
    for (const CommitRecord& rec : c.commits()) {
      EXPECT_EQ(rec.block->header.timestamp_ns,
                static_cast<TimeNs>(rec.block->header.epoch - 1) * 2 * kL);
    }
  }
}

}  // namespace
}  // namespace hlsim::testing
