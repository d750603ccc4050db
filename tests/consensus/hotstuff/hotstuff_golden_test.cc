// Golden transcripts: chained HotStuff stepped by hand, message by message, with comments that
// follow Yin, Malkhi, Reiter, Gueta & Abraham, "HotStuff: BFT Consensus with Linearity and
// Responsiveness" (PODC 2019): §5 (chained HotStuff, Algorithm 3), §6 (event-driven form,
// Algorithm 4: update, onReceiveProposal, onReceiveVote) and §4.4 (pacemaker, NEW-VIEW).
// n = 4, f = 1, quorum n - f = 3; the leader of view v is validator v mod 4; views start at 1.
#include <gtest/gtest.h>

#include <vector>

#include "consensus/hotstuff/hotstuff_test_util.h"
#include "ledger/crypto/signature.h"

namespace hlsim::testing {
namespace {

EnvelopeFilter of_type(std::uint16_t type) {
  return [type](const Envelope& e) { return e.msg.type == type; };
}

std::vector<Envelope> flight(const Cluster& c, std::uint16_t type) {
  std::vector<Envelope> out;
  for (const Envelope& e : c.in_flight()) {
    if (e.msg.type == type) out.push_back(e);
  }
  return out;
}

// The one block proposed in flight (every copy must carry the same block and justify).
SeenProposal the_proposal(const Cluster& c) {
  const std::vector<Envelope> ps = flight(c, kProposal);
  EXPECT_FALSE(ps.empty());
  std::optional<SeenProposal> first = as_proposal(ps.front());
  EXPECT_TRUE(first.has_value());
  for (const Envelope& e : ps) {
    auto p = as_proposal(e);
    EXPECT_TRUE(p.has_value());
    if (p) {
      EXPECT_EQ(p->block.hash, first->block.hash);
    }
  }
  return *first;
}

// Delivers the proposals in flight, then the votes they cause.
void run_view(Cluster& c) {
  c.deliver(of_type(kProposal));
  c.deliver(of_type(kVote));
}

TEST(HotStuffGolden, NormalCaseThreeChainCommitAndIdle) {
  auto c = make_hotstuff_cluster(4, 1);
  c->start();
  // Every validator starts in view 1, led by validator 1. Nothing to order: no timer anywhere
  // (the pacemaker's idle rule), nothing on the wire.
  for (NodeId n = 0; n < 4; ++n) {
    EXPECT_EQ(hs(*c, n).epoch(), 1u);
    EXPECT_EQ(c->live_timers(n, HotStuff::kViewTimer), 0u);
  }
  EXPECT_TRUE(hs(*c, 1).is_leader());
  EXPECT_TRUE(c->in_flight().empty());

  // §5 Algorithm 3, leader: validator 1 holds the genesis QC (a QC for view 0 = the view before
  // its own), so as soon as a transaction arrives it proposes b1 on it and votes for b1 itself;
  // its vote goes to the leader of the NEXT view, validator 2.
  const TxRef tx = c->make_tx(0, 0);
  c->submit(1, tx);
  ASSERT_EQ(flight(*c, kProposal).size(), 3u);
  const SeenProposal b1 = the_proposal(*c);
  EXPECT_EQ(b1.block.header.height, 1u);
  EXPECT_EQ(b1.block.header.epoch, 1u);
  EXPECT_EQ(b1.block.header.proposer, 1u);
  ASSERT_EQ(b1.block.txs.size(), 1u);
  EXPECT_EQ(b1.block.txs[0]->id, tx->id);
  EXPECT_TRUE(b1.justify.is_genesis());
  ASSERT_EQ(flight(*c, kVote).size(), 1u);
  EXPECT_EQ(flight(*c, kVote)[0].to, 2u);

  // Replicas (onReceiveProposal): b1 extends the genesis lock, view 1 > last voted view 0: each
  // sends its vote to validator 2 only (linear); validator 2's own vote stays local. Having voted,
  // every validator is in view 2, and with a pending transaction its view timer runs.
  c->deliver(of_type(kProposal));
  std::vector<Envelope> votes = flight(*c, kVote);
  ASSERT_EQ(votes.size(), 3u);
  for (const Envelope& e : votes) {
    EXPECT_EQ(e.to, 2u);
    auto v = as_vote(e);
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->block_hash, b1.block.hash);
    EXPECT_EQ(v->epoch, 1u);
    EXPECT_EQ(v->voter, e.from);
  }
  for (NodeId n = 0; n < 4; ++n) {
    EXPECT_EQ(hs(*c, n).epoch(), 2u);
    EXPECT_EQ(hs(*c, n).core().last_voted_view(), 1u);
    EXPECT_EQ(c->live_timers(n, HotStuff::kViewTimer), 1u);
  }

  // onReceiveVote: validator 2 forms QC(b1) from n - f = 3 votes (one verify_votes call) and
  // proposes b2 on it. The transaction is already in b2's parent, so b2 is empty: it only drives
  // the three-chain.
  c->deliver(of_type(kVote));
  const SeenProposal b2 = the_proposal(*c);
  EXPECT_EQ(b2.block.header.proposer, 2u);
  EXPECT_EQ(b2.block.header.epoch, 2u);
  EXPECT_EQ(b2.block.header.height, 2u);
  EXPECT_EQ(b2.block.header.prev_hash, b1.block.hash);
  EXPECT_TRUE(b2.block.txs.empty());
  EXPECT_EQ(b2.justify.view, 1u);
  EXPECT_EQ(b2.justify.block_hash, b1.block.hash);
  EXPECT_EQ(b2.justify.votes.size(), 3u);

  // View 2 and the proposal of view 3. update(b3): b3.justify = QC(b2) makes the two-chain
  // b1 <- b2, so every replica locks on b1. No three-chain yet: nothing commits.
  run_view(*c);
  const SeenProposal b3 = the_proposal(*c);
  EXPECT_EQ(b3.block.header.proposer, 3u);
  EXPECT_EQ(b3.justify.block_hash, b2.block.hash);
  c->deliver(of_type(kProposal));
  for (NodeId n = 0; n < 4; ++n) {
    EXPECT_EQ(hs(*c, n).core().lock().hash, b1.block.hash) << n;
    EXPECT_EQ(c->chain(n).height(), 0u) << n;
  }

  // Validator 0, leader of view 4, forms QC(b3): b1 <- b2 <- b3 are direct parents with
  // consecutive views 1, 2, 3, so b1 commits there first (the decide phase). It proposes b4 with
  // QC(b3) although nothing is pending any more: the others learn of the commit only from it.
  c->deliver(of_type(kVote));
  EXPECT_EQ(c->chain(0).height(), 1u);
  for (NodeId n = 1; n < 4; ++n) EXPECT_EQ(c->chain(n).height(), 0u) << n;
  const SeenProposal b4 = the_proposal(*c);
  EXPECT_EQ(b4.justify.block_hash, b3.block.hash);
  EXPECT_TRUE(b4.block.txs.empty());

  // update(b4) at the replicas: b1 commits everywhere, the lock moves to b2. The transaction is
  // committed, so no validator has work left: every view timer is cancelled.
  c->deliver(of_type(kProposal));
  for (NodeId n = 0; n < 4; ++n) {
    ASSERT_EQ(c->chain(n).height(), 1u) << n;
    EXPECT_EQ(c->chain(n).at(1)->hash, b1.block.hash);
    EXPECT_EQ(hs(*c, n).core().lock().hash, b2.block.hash) << n;
    EXPECT_EQ(c->live_timers(n, HotStuff::kViewTimer), 0u) << n;
  }

  // Validator 1 (view 5) forms QC(b4), which commits b2 (empty) at it, and then idles: no
  // transaction pending and no commit of transactions to announce, so no b5.
  c->deliver(of_type(kVote));
  EXPECT_EQ(c->chain(1).height(), 2u);
  EXPECT_TRUE(flight(*c, kProposal).empty());
  EXPECT_TRUE(hs(*c, 1).is_leader());
  EXPECT_EQ(hs(*c, 1).core().high_qc().view, 4u);
  c->run_for(5 * kNsPerSec);
  EXPECT_EQ(c->sent(kProposal), 4u * 3);
  EXPECT_EQ(c->sent(kNewView), 0u);
  expect_safe(*c);
}

TEST(HotStuffGolden, LeaderCrashNewViewsRecoverTheQcAndBackOffResets) {
  auto c = make_hotstuff_cluster(4, 2);
  c->start();
  const TxRef tx = c->make_tx(0, 0);
  c->submit(1, tx);
  run_view(*c);  // b1 (view 1), QC(b1) at validator 2
  const SeenProposal b2 = the_proposal(*c);
  c->deliver(of_type(kProposal));  // votes for b2 now travel to validator 3, leader of view 3
  // Validator 3 crashes: the votes for b2 are lost and there will be no b3.
  c->crash(3);
  c->drop(of_type(kVote));
  for (NodeId n = 0; n < 3; ++n) {
    EXPECT_EQ(hs(*c, n).epoch(), 3u);
    EXPECT_EQ(hs(*c, n).pacemaker().timeout(), 1000 * kNsPerMs);
  }

  // §4.4 pacemaker: view 3 times out at validators 0, 1 and 2 (each has a pending transaction).
  // Each moves to view 4 and sends NEW-VIEW, signed, with its highQC (QC(b1)) and its last vote
  // (for b2), to the leader of view 4, validator 0, whose own counts locally. A failed view
  // doubles the timeout.
  for (NodeId n = 0; n < 3; ++n) ASSERT_TRUE(c->fire_timer(n, HotStuff::kViewTimer));
  const std::vector<Envelope> nvs = flight(*c, kNewView);
  ASSERT_EQ(nvs.size(), 2u);
  for (const Envelope& e : nvs) {
    EXPECT_EQ(e.to, 0u);
    auto m = hotstuff::decode_new_view(e.msg.view());
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->view, 4u);
    EXPECT_EQ(m->high_qc.view, 1u);
    EXPECT_EQ(m->timeout.kind, hotstuff::kTimeoutKind);
    EXPECT_EQ(m->timeout.voter, e.from);
    ASSERT_TRUE(m->last_vote.has_value());
    EXPECT_EQ(m->last_vote->block_hash, b2.block.hash);
  }
  for (NodeId n = 0; n < 3; ++n) {
    EXPECT_EQ(hs(*c, n).epoch(), 4u);
    EXPECT_EQ(hs(*c, n).pacemaker().timeout(), 2000 * kNsPerMs);
  }

  // With n - f new-views validator 0 may propose. Their votes for b2 make the QC the crashed
  // leader was to form, so validator 0 extends b2 (QC(b2), view 2) rather than b1.
  c->deliver(of_type(kNewView));
  const SeenProposal b4 = the_proposal(*c);
  EXPECT_EQ(b4.block.header.epoch, 4u);
  EXPECT_EQ(b4.block.header.height, 3u);
  EXPECT_EQ(b4.justify.view, 2u);
  EXPECT_EQ(b4.justify.block_hash, b2.block.hash);
  EXPECT_EQ(hs(*c, 0).core().lock().view, 1u);  // two-chain b1 <- b2

  // Views 4, 5 and 6 succeed (validator 3's copies are lost). Seeing QC(b4) while in view 5
  // resets the back-off: view 5's timer runs the base timeout again.
  run_view(*c);
  EXPECT_EQ(hs(*c, 1).pacemaker().timeout(), 1000 * kNsPerMs);
  run_view(*c);
  c->deliver(of_type(kProposal));  // b6, with QC(b5): b4 <- b5 locks b4
  for (NodeId n = 0; n < 3; ++n) {
    EXPECT_EQ(hs(*c, n).epoch(), 7u);
    EXPECT_EQ(hs(*c, n).core().lock().view, 4u);
    EXPECT_EQ(c->chain(n).height(), 0u);  // b4 <- b5 <- b6 is certified only at validator 3
    EXPECT_EQ(hs(*c, n).pacemaker().timeout(), 1000 * kNsPerMs);
  }
  c->drop(of_type(kVote));  // to validator 3, leader of view 7: lost

  // View 7 fails the same way; validator 0 (view 8) recovers QC(b6) from the new-views:
  // b4 <- b5 <- b6 with views 4, 5, 6 commits b4 with its ancestors b1 and b2 there, and b8
  // carries QC(b6) to the others.
  for (NodeId n = 0; n < 3; ++n) ASSERT_TRUE(c->fire_timer(n, HotStuff::kViewTimer));
  c->deliver(of_type(kNewView));
  EXPECT_EQ(c->chain(0).height(), 3u);
  c->deliver(of_type(kProposal));
  for (NodeId n = 0; n < 3; ++n) {
    ASSERT_EQ(c->chain(n).height(), 3u) << n;
    EXPECT_EQ(c->chain(n).at(2)->hash, b2.block.hash);
    EXPECT_EQ(c->chain(n).at(3)->hash, b4.block.hash);
    EXPECT_EQ(c->committed_tx_ids(n), std::vector<Hash256>{tx->id});
  }
  expect_safe(*c, {0, 1, 2});
}

TEST(HotStuffGolden, ThreeChainWithAViewGapDoesNotCommit) {
  auto c = make_hotstuff_cluster(4, 3);
  c->start();
  c->submit(1, c->make_tx(0, 0));
  run_view(*c);  // b1
  run_view(*c);  // b2; QC(b2) at validator 3
  const SeenProposal b3 = the_proposal(*c);
  // b3 and validator 3's vote for it are lost: view 3 fails.
  c->drop([](const Envelope& e) { return e.from == 3; });
  for (NodeId n = 0; n < 3; ++n) ASSERT_TRUE(c->fire_timer(n, HotStuff::kViewTimer));
  c->deliver(of_type(kNewView));
  // Validator 0 (view 4) recovers QC(b2) and proposes b4 on b2: the chain b1 <- b2 <- b4 skips view
  // 3. Validator 3, which voted for b3 and is locked on b1, votes for b4 too: its justify QC(b2)
  // is newer than its lock (safeNode's liveness rule), and b3 is abandoned.
  const SeenProposal b4 = the_proposal(*c);
  EXPECT_EQ(b4.justify.block_hash, b3.justify.block_hash);
  EXPECT_EQ(b4.block.header.height, b3.block.header.height);
  run_view(*c);  // votes for b4 from all four reach validator 1
  const SeenProposal b5 = the_proposal(*c);
  EXPECT_EQ(b5.justify.votes.size(), 3u);
  run_view(*c);
  // b6 carries QC(b5): b2 <- b4 <- b5 is a three-chain of direct parents, but views 2, 4, 5 are
  // not consecutive, so b2 does NOT commit (Algorithm 3's "b''.parent = b' and b'.parent = b"
  // with views: a gap could hide a conflicting QC of view 3).
  c->deliver(of_type(kProposal));
  for (NodeId n = 0; n < 4; ++n) EXPECT_EQ(c->chain(n).height(), 0u) << n;
  // b7 carries QC(b6): b4 <- b5 <- b6 has views 4, 5, 6: b4 commits with b1 and b2.
  c->deliver(of_type(kVote));
  c->deliver(of_type(kProposal));
  for (NodeId n = 0; n < 4; ++n) {
    ASSERT_EQ(c->chain(n).height(), 3u) << n;
    EXPECT_EQ(c->chain(n).at(3)->hash, b4.block.hash);
  }
  expect_safe(*c);
}

TEST(HotStuffGolden, LockedReplicaRefusesAnOlderForkAndVotesOnceForANewerOne) {
  const std::uint64_t seed = 4;
  auto c = make_hotstuff_cluster(4, seed);
  c->start();
  c->submit(1, c->make_tx(0, 0));
  run_view(*c);  // b1
  run_view(*c);  // b2
  const SeenProposal b3 = the_proposal(*c);
  EXPECT_EQ(b3.justify.view, 2u);
  c->deliver(of_type(kProposal));  // b3 with QC(b2): every replica locks on b1
  const NodeId r = 1;              // the replica under test
  ASSERT_EQ(hs(*c, r).core().lock().view, 1u);
  ASSERT_EQ(hs(*c, r).core().last_voted_view(), 3u);
  ASSERT_EQ(hs(*c, r).epoch(), 4u);
  // Hold everything else: the honest validator 0 will propose b4 in view 4.
  c->deliver(of_type(kVote));
  const SeenProposal b4 = the_proposal(*c);
  const std::vector<Envelope> held = c->in_flight();
  c->drop([](const Envelope&) { return true; });

  // Forged messages, signed with the validators' keys as Byzantine validators would.
  auto key = [&](NodeId n) { return SigningKey::derive(seed, "node-" + std::to_string(n)); };
  auto propose = [&](NodeId leader, const BlockRef& block, const hotstuff::QuorumCert& justify) {
    const Bytes encoded = block->encode();
    c->inject(leader, r, hotstuff::encode_message(hotstuff::Proposal{encoded, justify}));
    c->deliver(of_type(kProposal));
  };
  const std::uint64_t votes_before = c->sent(kVote);

  // (1) A fork from genesis in view 4 (a Byzantine leader 0): its justify, the genesis QC, is
  // older than the lock (view 1) and is not the lock: safeNode fails, no vote.
  const BlockRef fork = seal_block(1, Hash256{}, 0, 4, c->now(), {}, key(0));
  propose(0, fork, hotstuff::QuorumCert{});
  EXPECT_EQ(hs(*c, r).core().last_voted_view(), 3u);
  EXPECT_EQ(c->sent(kVote), votes_before);

  // (2) A block x of view 2 on another branch, and a QC for it (as f + 1 Byzantine validators and
  // one that missed b1 could sign): x arrives late (no vote: view 2 is past), then a view-4
  // proposal y on QC(x). Its justify (view 2) is newer than the lock (view 1): safeNode's
  // liveness rule lets the locked replica vote although y does not extend b1.
  const BlockRef x = seal_block(1, Hash256{}, 2, 2, c->now(), {}, key(2));
  propose(2, x, hotstuff::QuorumCert{});
  hotstuff::QuorumCert qc_x;
  qc_x.view = 2;
  qc_x.height = 1;
  qc_x.block_hash = x->hash;
  for (NodeId n : {0u, 2u, 3u}) {
    SignedVote v;
    v.kind = hotstuff::kVoteKind;
    v.height = 1;
    v.epoch = 2;
    v.block_hash = x->hash;
    v.voter = n;
    sign_vote(v, key(n));
    qc_x.votes.push_back(v);
  }
  const BlockRef y = seal_block(2, x->hash, 0, 4, c->now(), {}, key(0));
  propose(0, y, qc_x);
  EXPECT_EQ(hs(*c, r).core().last_voted_view(), 4u);
  EXPECT_EQ(hs(*c, r).epoch(), 5u);
  EXPECT_EQ(hs(*c, r).core().lock().view, 1u);  // QC(x)'s parent is genesis: no new lock

  // (3) The honest b4 of view 4 arrives last: one vote per view, so none for it.
  const std::uint64_t votes_after_y = c->sent(kVote);
  for (const Envelope& e : held) {
    if (e.to == r && e.msg.type == kProposal) c->inject(e.from, e.to, e.msg);
  }
  c->deliver(of_type(kProposal));
  EXPECT_EQ(c->sent(kVote), votes_after_y);
  EXPECT_NE(hs(*c, r).core().find(b4.block.hash), nullptr);  // known, not voted for
}

}  // namespace
}  // namespace hlsim::testing
