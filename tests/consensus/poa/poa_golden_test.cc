// Golden transcripts: Aura stepped by hand, message by message, next to its specification — the
// OpenEthereum wiki page "Aura - Authority Round" (openethereum.github.io/Aura; sections
// "Description" and "Finality") and OpenEthereum's engines/authority_round. Four authorities,
// 5 s steps, 1 ms links; nodes 0..3 are the wiki's authorities with index s mod 4.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "consensus/poa/poa_test_util.h"

namespace hlsim::testing {
namespace {

constexpr TimeNs kStep = 5 * kNsPerSec;
constexpr TimeNs kLat = kNsPerMs;

class PoaGolden : public ::testing::Test {
 protected:
  void build(Behavior node1 = Behavior::kHonest) {
    PoaClusterOptions o;
    o.nodes = 4;
    o.seed = 21;
    o.params = params_;
    if (node1 != Behavior::kHonest) o.byzantine[1] = node1;
    c_ = make_poa_cluster(o);
    c_->start();
  }
  Poa& node(NodeId n) { return poa(*c_, n); }
  void step(std::uint64_t s) { fire_steps_until(*c_, params_, s); }
  std::size_t deliver_blocks() {
    return c_->deliver([](const Envelope& e) { return is_type(e, PoaMessageType::kBlock); });
  }
  std::vector<CommitRecord> commits_at(Height h) const {
    std::vector<CommitRecord> out;
    for (const CommitRecord& r : c_->commits()) {
      if (r.height == h) out.push_back(r);
    }
    return out;
  }

  PoaParams params_;
  std::unique_ptr<Cluster> c_;
};

TEST_F(PoaGolden, Description_RoundRobinStepsAndMajorityFinality) {
  build();
  // Wiki, Description: step s = floor(time / t); its primary is s mod n. Genesis has step 0, so
  // nothing is sealed at time 0 (a block's step must exceed its parent's).
  EXPECT_TRUE(c_->in_flight().empty());
  EXPECT_TRUE(node(0).is_leader());

  // A client transaction at node 2 reaches every authority by batched gossip after 100 ms.
  const TxRef tx = c_->make_tx(1, 0);
  c_->submit(2, tx);
  ASSERT_TRUE(c_->fire_timer(2, Poa::kGossipTimer));
  EXPECT_EQ(c_->now(), 100 * kNsPerMs);
  EXPECT_EQ(c_->deliver([](const Envelope& e) { return is_type(e, PoaMessageType::kTxGossip); }),
            3u);
  for (NodeId n = 0; n < 4; ++n) EXPECT_EQ(node(n).pending_count(), 1u) << n;

  // Step 1 (t = 5 s): authority 1 seals block 1 on genesis with the pending transaction and
  // broadcasts it: n - 1 = 3 messages.
  step(1);
  EXPECT_EQ(c_->now(), kStep);
  std::vector<Block> sent = blocks_in_flight(*c_, 1);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].header.height, 1u);
  EXPECT_EQ(sent[0].header.epoch, 1u);
  EXPECT_EQ(sent[0].header.proposer, 1u);
  EXPECT_TRUE(sent[0].header.prev_hash.is_zero());
  ASSERT_EQ(sent[0].txs.size(), 1u);
  EXPECT_EQ(sent[0].txs[0]->id, tx->id);
  const Hash256 b1 = sent[0].hash;
  for (const CommitRecord& r : c_->commits()) ADD_FAILURE() << "early commit at " << r.height;
  EXPECT_EQ(deliver_blocks(), 3u);
  for (NodeId n = 0; n < 4; ++n) EXPECT_EQ(node(n).best_head(), b1) << n;

  // Step 2: authority 2 extends it. Sealers of [1..2]: {1, 2}, not more than n/2 = 2.
  step(2);
  EXPECT_EQ(deliver_blocks(), 3u);
  for (NodeId n = 0; n < 4; ++n) EXPECT_EQ(node(n).best_height(), 2u) << n;
  EXPECT_TRUE(c_->commits().empty());

  // Step 3: authority 3. Wiki, Finality: |SIG_SET(C[1..])| = |{1, 2, 3}| = 3 > n/2, so block 1
  // and its ancestors are final. Authority 3 commits as it seals, the others one link later.
  step(3);
  ASSERT_EQ(commits_at(1).size(), 1u);
  EXPECT_EQ(commits_at(1)[0].node, 3u);
  EXPECT_EQ(commits_at(1)[0].time_ns, 3 * kStep);
  EXPECT_EQ(deliver_blocks(), 3u);
  ASSERT_EQ(commits_at(1).size(), 4u);
  for (const CommitRecord& r : commits_at(1)) {
    EXPECT_EQ(r.hash, b1);
    EXPECT_EQ(r.time_ns, r.node == 3 ? 3 * kStep : 3 * kStep + kLat);
  }
  EXPECT_TRUE(commits_at(2).empty());  // {2, 3}: not yet
  for (NodeId n = 0; n < 4; ++n) {
    EXPECT_EQ(c_->committed_tx_ids(n), std::vector<Hash256>{tx->id});
    EXPECT_EQ(node(n).pending_count(), 0u);
  }

  // Step 4 wraps around to authority 0 and finalises block 2 ({2, 3, 0}).
  step(4);
  EXPECT_EQ(deliver_blocks(), 3u);
  EXPECT_EQ(commits_at(2).size(), 4u);
  // Every node noted the primary of every step it saw.
  std::vector<NodeId> leaders_of_step_4;
  for (const LeaderNote& l : c_->leader_notes()) {
    if (l.epoch == 4) leaders_of_step_4.push_back(l.leader);
  }
  EXPECT_EQ(leaders_of_step_4, std::vector<NodeId>(4, 0));
  EXPECT_TRUE(c_->reorgs().empty());
  expect_safe(*c_);
}

TEST_F(PoaGolden, Description_ASilentPrimaryCostsItsStepAndOutOfTurnBlocksAreRejected) {
  build();
  step(1);
  deliver_blocks();
  // Authority 2 is down for step 2: no block that step (the "round change" of Aura is simply the
  // clock moving on to the next primary).
  c_->crash(2);
  step(2);
  EXPECT_TRUE(c_->in_flight().empty());
  // Step 3: authority 3 seals height 2 on block 1; steps may skip, heights do not.
  step(3);
  std::vector<Block> sent = blocks_in_flight(*c_, 3);
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(sent[0].header.height, 2u);
  EXPECT_EQ(sent[0].header.epoch, 3u);
  deliver_blocks();
  EXPECT_TRUE(c_->commits().empty());  // sealers {1, 3}
  step(4);
  deliver_blocks();
  EXPECT_EQ(commits_at(1).size(), 3u);  // {1, 3, 0}: final on the three live nodes

  // Wiki: "It is misbehavior to produce more than one block per step or to produce a block out of
  // turn". Blocks signed by authority 3 for a step that is not its own, for a step not above its
  // parent's, or for a step more than one ahead of the receiver's clock are all ignored.
  const SigningKey key3 = SigningKey::derive(21, "node-3");
  const Hash256 head = node(0).best_head();
  const Height h = node(0).best_height();
  const std::uint64_t rejected = node(0).blocks_rejected();
  auto inject = [&](const BlockRef& b) {
    c_->inject(3, 0, encode_poa_block(*b));
    c_->deliver([](const Envelope& e) { return e.to == 0; });
  };
  inject(seal_block(h + 1, head, 3, 5, c_->now(), {}, key3));   // step 5 belongs to authority 1
  inject(seal_block(h + 1, head, 3, 3, c_->now(), {}, key3));   // step 3 is not above 4
  inject(seal_block(h + 1, head, 3, 11, c_->now(), {}, key3));  // step 11 is in the future
  EXPECT_EQ(node(0).blocks_rejected(), rejected + 3);
  EXPECT_EQ(node(0).best_head(), head);
  // Its step-7 block, one step ahead of the clock (step 4, plus one of drift, is not enough)...
  inject(seal_block(h + 1, head, 3, 7, c_->now(), {}, key3));
  EXPECT_EQ(node(0).blocks_rejected(), rejected + 4);
  // ...but at step 6 a step-7 block is within the allowed drift.
  c_->run_until(6 * kStep + kNsPerMs);
  const Hash256 head6 = node(0).best_head();
  const Height h6 = node(0).best_height();
  inject(seal_block(h6 + 1, head6, 3, 7, c_->now(), {}, key3));
  EXPECT_EQ(node(0).best_height(), h6 + 1);
  expect_safe(*c_, {0, 1, 3});
}

TEST_F(PoaGolden, Scoring_ALateBlockForksTheChainAndTheEarlierStepWins) {
  build();
  step(1);
  deliver_blocks();
  // A transaction reaches authority 3 only (its gossip is lost).
  const TxRef tx = c_->make_tx(2, 0);
  c_->submit(3, tx);
  c_->fire_timer(3, Poa::kGossipTimer);
  EXPECT_EQ(c_->drop([](const Envelope& e) { return is_type(e, PoaMessageType::kTxGossip); }), 3u);

  // Step 2: authority 2's block reaches 0 and 1 but is late to 3 (held in flight).
  step(2);
  const Hash256 b2 = blocks_in_flight(*c_, 2).at(0).hash;
  c_->deliver([](const Envelope& e) { return is_type(e, PoaMessageType::kBlock) && e.to != 3; });
  // Step 3: authority 3 has not seen it and seals its own height 2 (with the transaction) on
  // block 1: two blocks at height 2.
  step(3);
  const Block c3 = blocks_in_flight(*c_, 3).at(0);
  EXPECT_EQ(c3.header.height, 2u);
  ASSERT_EQ(c3.txs.size(), 1u);
  // Nodes 0 and 1 hold both: same height, so the one of the earlier step (2) stays best; no reorg.
  c_->deliver([](const Envelope& e) { return e.from == 3; });
  EXPECT_EQ(node(0).best_head(), b2);
  EXPECT_EQ(node(1).best_head(), b2);
  EXPECT_TRUE(c_->reorgs().empty());
  EXPECT_EQ(node(3).best_head(), c3.hash);

  // The late block reaches 3: it abandons its own block (fork at height 1, depth 1), and the
  // abandoned transaction is pending again.
  c_->deliver([](const Envelope& e) { return e.to == 3; });
  EXPECT_EQ(node(3).best_head(), b2);
  ASSERT_EQ(c_->reorgs().size(), 1u);
  EXPECT_EQ(c_->reorgs()[0].node, 3u);
  EXPECT_EQ(c_->reorgs()[0].fork_height, 1u);
  EXPECT_EQ(c_->reorgs()[0].depth_blocks, 1u);
  EXPECT_EQ(c_->reorgs()[0].own_blocks, 1u);  // 3 sealed it: its next seal signs the other branch
  EXPECT_EQ(node(3).pending_count(), 1u);
  EXPECT_EQ(node(3).reorgs(), 1u);

  // Steps 4..7: 0, 1 and 2 extend block 2 (final: block 1 at step 4, block 2 at step 5); at
  // step 7 authority 3 seals the transaction again, on the surviving chain.
  for (std::uint64_t s = 4; s <= 7; ++s) {
    step(s);
    deliver_blocks();
  }
  for (std::uint64_t s = 8; s <= 10; ++s) {
    step(s);
    deliver_blocks();
  }
  for (NodeId n = 0; n < 4; ++n) {
    EXPECT_EQ(c_->chain(n).at(2)->hash, b2) << n;
    EXPECT_EQ(c_->committed_tx_ids(n), std::vector<Hash256>{tx->id}) << n;
  }
  for (const CommitRecord& r : c_->commits()) EXPECT_NE(r.hash, c3.hash);
  expect_safe(*c_);
}

TEST_F(PoaGolden, Misbehaviour_EquivocationKeepsBothBlocksAndTheNextPrimaryDecides) {
  build(Behavior::kEquivocate);
  const TxRef tx = c_->make_tx(3, 0);
  c_->submit(0, tx);
  c_->fire_timer(0, Poa::kGossipTimer);
  c_->stabilize();
  // Step 1: equivocating authority 1 seals two blocks of step 1 at height 1: A with the
  // transaction to validators [0, 2) (that is node 0), and an empty B to [2, 4).
  step(1);
  const std::vector<Block> sent = blocks_in_flight(*c_, 1);
  ASSERT_EQ(sent.size(), 3u);
  const Block& a = sent[0];
  const Block& b = sent[1];
  EXPECT_NE(a.hash, b.hash);
  EXPECT_EQ(a.header.epoch, 1u);
  EXPECT_EQ(b.header.epoch, 1u);
  EXPECT_EQ(a.header.height, b.header.height);
  EXPECT_EQ(a.txs.size(), 1u);
  EXPECT_TRUE(b.txs.empty());
  EXPECT_EQ(sent[2].hash, b.hash);
  deliver_blocks();
  EXPECT_EQ(node(0).best_head(), a.hash);
  EXPECT_EQ(node(2).best_head(), b.hash);
  EXPECT_EQ(node(3).best_head(), b.hash);

  // Step 2: authority 2 builds on B. Node 0 lacks B: it keeps the block as an orphan and fetches
  // heights [1, 1] from node 2.
  step(2);
  const Hash256 c2 = blocks_in_flight(*c_, 2).at(0).hash;
  deliver_blocks();
  EXPECT_EQ(node(0).best_head(), a.hash);
  EXPECT_EQ(node(0).tree().orphan_count(), 1u);
  std::vector<Envelope> fetches;
  for (const Envelope& e : c_->in_flight()) {
    if (is_type(e, PoaMessageType::kFetch)) fetches.push_back(e);
  }
  ASSERT_EQ(fetches.size(), 1u);
  EXPECT_EQ(fetches[0].from, 0u);
  EXPECT_EQ(fetches[0].to, 2u);
  EXPECT_EQ(decode_poa_fetch(fetches[0].msg.view()), (PoaFetch{1, 1}));
  c_->stabilize();  // fetch, fetch-reply
  // Node 0 now holds both blocks of step 1 (evidence counted) and follows the higher branch,
  // abandoning A; its transaction is pending again.
  EXPECT_EQ(node(0).equivocations_seen(), 1u);
  EXPECT_EQ(node(0).best_head(), c2);
  ASSERT_EQ(c_->reorgs().size(), 1u);
  EXPECT_EQ(c_->reorgs()[0].node, 0u);
  EXPECT_EQ(c_->reorgs()[0].fork_height, 0u);
  EXPECT_EQ(c_->reorgs()[0].depth_blocks, 1u);
  EXPECT_EQ(c_->reorgs()[0].own_blocks, 0u);  // A was authority 1's
  EXPECT_EQ(node(0).pending_count(), 1u);

  // The transaction is sealed again by the next honest primary and committed once everywhere.
  for (std::uint64_t s = 3; s <= 8; ++s) {
    step(s);
    c_->stabilize();
  }
  for (NodeId n : {0u, 2u, 3u}) {
    EXPECT_EQ(c_->chain(n).at(1)->hash, b.hash) << n;
    EXPECT_EQ(c_->committed_tx_ids(n), std::vector<Hash256>{tx->id}) << n;
  }
  expect_safe(*c_, {0, 2, 3});
}

TEST_F(PoaGolden, Confirmations_ABlockIsFinalWithThatManyBlocksOnTop) {
  params_.finality = PoaFinality::kConfirmations;
  params_.confirmations = 2;
  build();
  for (std::uint64_t s = 1; s <= 2; ++s) {
    step(s);
    deliver_blocks();
  }
  EXPECT_TRUE(c_->commits().empty());  // block 1 has one block on top
  step(3);
  EXPECT_EQ(commits_at(1).size(), 1u);  // its sealer first
  deliver_blocks();
  EXPECT_EQ(commits_at(1).size(), 4u);
  EXPECT_TRUE(commits_at(2).empty());
  expect_safe(*c_);
}

}  // namespace
}  // namespace hlsim::testing
