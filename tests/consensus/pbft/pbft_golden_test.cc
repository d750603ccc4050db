// Golden transcripts: PBFT stepped by hand through its key paths, message by message, readable
// next to the OSDI 1999 paper (section numbers below are its). Constant 1 ms latency, no jitter.
#include <gtest/gtest.h>

#include <vector>

#include "consensus/pbft/pbft_test_util.h"

namespace hlsim::testing {
namespace {

constexpr TimeNs kL = kNsPerMs;

std::optional<PrePrepare> as_pre_prepare(const Envelope& e) {
  if (!is_type(e, PbftMessageType::kPrePrepare)) return std::nullopt;
  return decode_pre_prepare(e.msg.view());
}

std::optional<SignedVote> as_vote(const Envelope& e, PbftMessageType type) {
  if (!is_type(e, type)) return std::nullopt;
  return decode_vote_message(e.msg.view());
}

std::optional<NewView> first_new_view(const Cluster& c) {
  for (const Envelope& e : c.in_flight()) {
    if (is_type(e, PbftMessageType::kNewView)) return decode_new_view(e.msg.view());
  }
  return std::nullopt;
}

// The block hashes the pre-prepares in flight carry, by sequence number.
std::map<Height, Hash256> pre_prepared(const Cluster& c) {
  std::map<Height, Hash256> out;
  for (const Envelope& e : c.in_flight()) {
    if (auto pp = as_pre_prepare(e)) out[pp->vote.height] = pp->vote.block_hash;
  }
  return out;
}

TEST(PbftGolden, Section4_2_NormalCasePrePrepareThenPrepareThenCommit) {
  auto c = make_pbft_cluster(4, 1, small_params());
  c->start();
  EXPECT_TRUE(pbft(*c, 0).is_leader());  // primary of view 0 = 0 mod 4
  // A full block (max_block_tx = 4) at the primary: sealed and pre-prepared at once.
  for (std::uint64_t i = 0; i < 4; ++i) c->submit(0, c->make_tx(1, i));
  ASSERT_EQ(count_in_flight(*c, PbftMessageType::kPrePrepare), 3u);  // n - 1
  const Hash256 b1 = pre_prepared(*c).at(1);
  for (const Envelope& e : c->in_flight()) {
    auto pp = as_pre_prepare(e);
    ASSERT_TRUE(pp);
    EXPECT_EQ(pp->vote.voter, 0u);
    EXPECT_EQ(pp->vote.epoch, 0u);   // view
    EXPECT_EQ(pp->vote.height, 1u);  // sequence number = height
  }

  // Backups accept the pre-prepare and multicast PREPARE: each to the 3 others.
  EXPECT_EQ(deliver_all(*c, PbftMessageType::kPrePrepare), 3u);
  EXPECT_EQ(c->now(), kL);
  EXPECT_EQ(count_in_flight(*c, PbftMessageType::kPrepare), 9u);  // (n - 1)^2
  for (NodeId i = 0; i < 4; ++i) EXPECT_FALSE(pbft(*c, i).has_prepared(1, b1));

  // prepared(m, v, n, i): the pre-prepare and 2f = 2 matching prepares from distinct backups.
  // Every replica, primary included, then multicasts COMMIT.
  EXPECT_EQ(c->deliver(of_type(PbftMessageType::kPrepare)), 9u);
  EXPECT_EQ(c->now(), 2 * kL);
  for (NodeId i = 0; i < 4; ++i) EXPECT_TRUE(pbft(*c, i).has_prepared(1, b1)) << i;
  EXPECT_EQ(count_in_flight(*c, PbftMessageType::kCommit), 12u);  // n (n - 1)
  for (NodeId i = 0; i < 4; ++i) EXPECT_EQ(c->chain(i).height(), 0u);

  // committed-local: prepared and 2f + 1 = 3 matching commits; the block executes.
  EXPECT_EQ(c->deliver(of_type(PbftMessageType::kCommit)), 12u);
  for (NodeId i = 0; i < 4; ++i) {
    ASSERT_EQ(c->chain(i).height(), 1u);
    EXPECT_EQ(c->chain(i).at(1)->hash, b1);
  }
  for (const CommitRecord& r : c->commits()) EXPECT_EQ(r.time_ns, 3 * kL);
  EXPECT_TRUE(c->in_flight().empty());
  expect_safe(*c);
}

TEST(PbftGolden, Section4_2_PipelinedBlocksChainAndAPrePrepareWaitsForItsParent) {
  auto c = make_pbft_cluster(4, 2, small_params());
  c->start();
  // Two full blocks: both in flight at once (max_inflight_blocks = 4), block 2 on block 1.
  for (std::uint64_t i = 0; i < 8; ++i) c->submit(0, c->make_tx(1, i));
  const std::map<Height, Hash256> pp = pre_prepared(*c);
  ASSERT_EQ(pp.size(), 2u);
  EXPECT_EQ(count_in_flight(*c, PbftMessageType::kPrePrepare), 6u);
  // Node 3 gets block 2's pre-prepare first: it cannot accept it before block 1's (the parent).
  c->deliver([](const Envelope& e) {
    auto m = as_pre_prepare(e);
    return m && e.to == 3 && m->vote.height == 2;
  });
  EXPECT_EQ(pbft(*c, 3).last_accepted(), 0u);
  EXPECT_EQ(count_in_flight(*c, PbftMessageType::kPrepare), 0u);
  c->deliver(
      [](const Envelope& e) { return is_type(e, PbftMessageType::kPrePrepare) && e.to == 3; });
  EXPECT_EQ(pbft(*c, 3).last_accepted(), 2u);  // both now, in order
  EXPECT_EQ(count_in_flight(*c, PbftMessageType::kPrepare), 6u);
  c->stabilize();
  for (NodeId i = 0; i < 4; ++i) {
    ASSERT_EQ(c->chain(i).height(), 2u);
    EXPECT_EQ(c->chain(i).at(1)->hash, pp.at(1));
    EXPECT_EQ(c->chain(i).at(2)->header.prev_hash, pp.at(1));
  }
  expect_safe(*c);
}

TEST(PbftGolden, Section4_4_ViewChangeAfterPrimaryCrash) {
  auto c = make_pbft_cluster(4, 3, small_params());
  c->start();
  for (std::uint64_t i = 0; i < 4; ++i) c->submit(0, c->make_tx(1, i));
  c->stabilize();
  ASSERT_EQ(c->chain(1).height(), 1u);

  // The primary crashes; a client transaction reaches the backups, which forward it in vain.
  c->crash(0);
  const TxRef tx = c->make_tx(2, 0);
  for (NodeId i = 1; i < 4; ++i) c->submit(i, tx);
  c->drop([](const Envelope& e) { return e.to == 0; });
  const TimeNs t0 = c->now();
  for (NodeId i = 1; i < 4; ++i) {
    ASSERT_EQ(c->timer_due(i, Pbft::kViewChangeTimer),
              t0 + pbft(*c, i).params().view_change_timeout_ns);
  }

  // §4.4: each backup's timer expires: it multicasts VIEW-CHANGE(v+1 = 1, ...).
  for (NodeId i = 1; i < 4; ++i) {
    ASSERT_TRUE(c->fire_timer(i, Pbft::kViewChangeTimer));
    EXPECT_TRUE(pbft(*c, i).in_view_change());
    EXPECT_EQ(pbft(*c, i).view(), 1u);
  }
  EXPECT_EQ(count_in_flight(*c, PbftMessageType::kViewChange), 9u);
  std::vector<Envelope> vcs;
  for (const Envelope& e : c->in_flight()) {
    if (is_type(e, PbftMessageType::kViewChange)) vcs.push_back(e);
  }
  // Each proves block 1 final with its commit certificate and carries nothing above it.
  for (const Envelope& e : vcs) {
    auto vc = decode_view_change(e.msg.view());
    ASSERT_TRUE(vc);
    EXPECT_EQ(vc->new_view, 1u);
    EXPECT_EQ(vc->head, 1u);
    EXPECT_EQ(vc->head_proof.size(), 3u);
    EXPECT_TRUE(vc->certs.empty());
  }

  // The new primary (1 mod 4 = 1) collects 2f + 1 = 3 and multicasts NEW-VIEW(1, V, O).
  c->deliver(of_type(PbftMessageType::kViewChange));
  EXPECT_TRUE(pbft(*c, 1).is_leader());
  ASSERT_EQ(count_in_flight(*c, PbftMessageType::kNewView), 3u);
  auto nv = first_new_view(*c);
  ASSERT_TRUE(nv);
  EXPECT_EQ(nv->view_changes.size(), 3u);
  EXPECT_TRUE(nv->pre_prepares.empty());  // nothing prepared above the floor
  c->deliver(of_type(PbftMessageType::kNewView));
  for (NodeId i = 1; i < 4; ++i) {
    EXPECT_EQ(pbft(*c, i).view(), 1u);
    EXPECT_FALSE(pbft(*c, i).in_view_change());
  }
  // The backups forward their pending transaction to the new primary, which batches it.
  c->stabilize();
  ASSERT_TRUE(c->fire_timer(1, Pbft::kBatchTimer));
  c->stabilize();
  for (NodeId i = 1; i < 4; ++i) {
    ASSERT_EQ(c->chain(i).height(), 2u);
    EXPECT_EQ(c->chain(i).at(2)->header.epoch, 1u);
    EXPECT_EQ(c->chain(i).at(2)->header.proposer, 1u);
    EXPECT_TRUE(has_tx(*c, i, tx->id));
  }
  bool noted = false;
  for (const LeaderNote& n : c->leader_notes()) noted |= n.epoch == 1 && n.leader == 1;
  EXPECT_TRUE(noted);
  expect_safe(*c);
}

// The chain-specific subtle case. Blocks 1 and 2 are pre-prepared everywhere, but no replica
// prepares block 1 and only replica 2 prepares block 2 before the primary crashes. Block 2 may
// have committed somewhere (as far as the others can tell), so NEW-VIEW must re-propose it — and,
// since a hash chain has no null requests, the block under it too, although block 1 has no
// prepared certificate of its own: replica 2's VIEW-CHANGE carries it as a block of the
// certificate's chain. Both are re-proposed unchanged (same hash, sealed in view 0).
TEST(PbftGolden, Section4_4_NewViewReproposesACertifiedBlockAndTheUncertifiedBlockUnderIt) {
  auto c = make_pbft_cluster(4, 4, small_params());
  c->start();
  for (std::uint64_t i = 0; i < 8; ++i) c->submit(0, c->make_tx(1, i));
  const std::map<Height, Hash256> pp = pre_prepared(*c);
  ASSERT_EQ(pp.size(), 2u);
  deliver_all(*c, PbftMessageType::kPrePrepare);
  for (NodeId i = 1; i < 4; ++i) EXPECT_EQ(pbft(*c, i).last_accepted(), 2u);
  // Prepares for block 1 are lost; those for block 2 reach replica 2 only.
  c->drop([](const Envelope& e) {
    auto v = as_vote(e, PbftMessageType::kPrepare);
    return v && (v->height == 1 || e.to != 2);
  });
  c->deliver(of_type(PbftMessageType::kPrepare));
  EXPECT_TRUE(pbft(*c, 2).has_prepared(2, pp.at(2)));
  EXPECT_FALSE(pbft(*c, 2).has_prepared(1, pp.at(1)));
  EXPECT_FALSE(pbft(*c, 1).has_prepared(2, pp.at(2)));
  c->drop(of_type(PbftMessageType::kCommit));  // replica 2's commit for block 2 is lost
  c->crash(0);

  // The backups time out on their accepted, unexecuted pre-prepares.
  for (NodeId i = 1; i < 4; ++i) ASSERT_TRUE(c->fire_timer(i, Pbft::kViewChangeTimer));
  for (const Envelope& e : c->in_flight()) {
    if (!is_type(e, PbftMessageType::kViewChange) || e.from != 2) continue;
    auto vc = decode_view_change(e.msg.view());
    ASSERT_TRUE(vc);
    EXPECT_EQ(vc->head, 0u);
    ASSERT_EQ(vc->certs.size(), 1u);  // P = {block 2's certificate}
    EXPECT_EQ(vc->certs[0].seq(), 2u);
    EXPECT_EQ(vc->certs[0].prepares.size(), 2u);  // 2f
    EXPECT_EQ(vc->blocks.size(), 2u);             // block 2 and the block under it
  }
  c->deliver(of_type(PbftMessageType::kViewChange));
  ASSERT_EQ(count_in_flight(*c, PbftMessageType::kNewView), 3u);
  auto nv = first_new_view(*c);
  ASSERT_TRUE(nv);
  ASSERT_EQ(nv->pre_prepares.size(), 2u);  // O: blocks 1 and 2 again, in view 1
  EXPECT_EQ(nv->pre_prepares[0].block_hash, pp.at(1));
  EXPECT_EQ(nv->pre_prepares[1].block_hash, pp.at(2));
  EXPECT_EQ(nv->pre_prepares[1].epoch, 1u);
  EXPECT_EQ(nv->pre_prepares[1].voter, 1u);

  // View 1 runs the normal case on them: prepares and commits of view 1.
  c->stabilize();
  for (NodeId i = 1; i < 4; ++i) {
    ASSERT_EQ(c->chain(i).height(), 2u) << i;
    EXPECT_EQ(c->chain(i).at(1)->hash, pp.at(1));
    EXPECT_EQ(c->chain(i).at(2)->hash, pp.at(2));
    EXPECT_EQ(c->chain(i).at(2)->header.epoch, 0u);  // sealed by the old primary
  }
  expect_safe(*c);
}

TEST(PbftGolden, Section4_5_2_NoNewViewInTimeMovesOnWithTwiceTheTimeout) {
  // n = 7 (f = 2): the primaries of views 0 and 1 are both down.
  auto c = make_pbft_cluster(7, 5, small_params());
  c->start();
  c->crash(0);
  c->crash(1);
  const TxRef tx = c->make_tx(3, 0);
  for (NodeId i = 2; i < 7; ++i) c->submit(i, tx);
  const TimeNs t = pbft(*c, 2).params().view_change_timeout_ns;
  for (NodeId i = 2; i < 7; ++i) ASSERT_TRUE(c->fire_timer(i, Pbft::kViewChangeTimer));
  const TimeNs t1 = c->now();
  c->deliver(of_type(PbftMessageType::kViewChange));
  // 2f + 1 = 5 VIEW-CHANGEs for view 1 are in: the wait for its NEW-VIEW starts, timeout T.
  for (NodeId i = 2; i < 7; ++i) {
    EXPECT_EQ(pbft(*c, i).view(), 1u);
    EXPECT_EQ(c->timer_due(i, Pbft::kViewChangeTimer), t1 + kL + t);
  }
  // No NEW-VIEW (replica 1 is down): each moves to view 2.
  for (NodeId i = 2; i < 7; ++i) ASSERT_TRUE(c->fire_timer(i, Pbft::kViewChangeTimer));
  const TimeNs t2 = c->now();
  for (NodeId i = 2; i < 7; ++i) EXPECT_EQ(pbft(*c, i).view(), 2u);
  c->deliver(of_type(PbftMessageType::kViewChange));
  // Replica 2 leads view 2 and has sent NEW-VIEW; the others wait for it twice as long.
  EXPECT_TRUE(pbft(*c, 2).is_leader());
  for (NodeId i = 3; i < 7; ++i) {
    EXPECT_EQ(c->timer_due(i, Pbft::kViewChangeTimer), t2 + kL + 2 * t) << i;
  }
  c->deliver(of_type(PbftMessageType::kNewView));
  for (NodeId i = 2; i < 7; ++i) EXPECT_FALSE(pbft(*c, i).in_view_change());
  c->stabilize();
  ASSERT_TRUE(c->fire_timer(2, Pbft::kBatchTimer));
  c->stabilize();
  for (NodeId i = 2; i < 7; ++i) EXPECT_TRUE(has_tx(*c, i, tx->id)) << i;
  expect_safe(*c);
}

TEST(PbftGolden, Section4_5_2_AReplicaJoinsWhenFPlusOneOthersAskForAHigherView) {
  auto c = make_pbft_cluster(4, 6, small_params());
  c->start();
  // A transaction waits at replicas 1 and 2 only (the primary never hears of it).
  const TxRef tx = c->make_tx(4, 0);
  c->submit(1, tx);
  c->submit(2, tx);
  c->drop([](const Envelope&) { return true; });
  ASSERT_TRUE(c->fire_timer(1, Pbft::kViewChangeTimer));
  c->drop(of_type(PbftMessageType::kForward));
  c->deliver(of_type(PbftMessageType::kViewChange));
  // One VIEW-CHANGE (f = 1) is not enough to make replica 3 (or the primary) leave view 0.
  EXPECT_FALSE(pbft(*c, 3).in_view_change());
  EXPECT_FALSE(pbft(*c, 0).in_view_change());
  ASSERT_TRUE(c->fire_timer(2, Pbft::kViewChangeTimer));
  c->drop(of_type(PbftMessageType::kForward));
  c->deliver(of_type(PbftMessageType::kViewChange));
  // f + 1 = 2: replicas 0 and 3 join view 1.
  EXPECT_TRUE(pbft(*c, 3).in_view_change());
  EXPECT_EQ(pbft(*c, 3).view(), 1u);
  EXPECT_EQ(pbft(*c, 0).view(), 1u);
  c->stabilize();
  EXPECT_TRUE(pbft(*c, 1).is_leader());
  for (NodeId i = 0; i < 4; ++i) EXPECT_FALSE(pbft(*c, i).in_view_change()) << i;
  expect_safe(*c);
}

}  // namespace
}  // namespace hlsim::testing
