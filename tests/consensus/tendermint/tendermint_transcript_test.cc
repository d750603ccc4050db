// Golden transcripts: Tendermint stepped by hand through the key paths of Algorithm 1 of Buchman,
// Kwon & Milosevic, "The latest gossip on BFT consensus" (2018), to be read next to the paper.
// "line N" cites Algorithm 1. Four validators (f = 1, 2f+1 = 3), 1 ms links, no jitter; every
// message is delivered (or held, or dropped) by the test.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "consensus/tendermint/tendermint_test_util.h"

namespace hlsim::testing {
namespace {

using T = TendermintMessageType;

auto of_type(T t) {
  return [t](const Envelope& e) { return is_type(e, t); };
}
auto of_type_to(T t, NodeId to) {
  return [t, to](const Envelope& e) { return is_type(e, t) && e.to == to; };
}
auto of_type_from(T t, NodeId from) {
  return [t, from](const Envelope& e) { return is_type(e, t) && e.from == from; };
}

std::size_t count_in_flight(const Cluster& c, T t) {
  const std::vector<Envelope> f = c.in_flight();
  return static_cast<std::size_t>(
      std::count_if(f.begin(), f.end(), [t](const Envelope& e) { return is_type(e, t); }));
}

// The votes of `kind` in flight, all from `from`, must be for `value`.
void expect_votes_in_flight(const Cluster& c, T kind, NodeId from, const Hash256& value,
                            Round round) {
  std::size_t seen = 0;
  for (const Envelope& e : c.in_flight()) {
    if (!is_type(e, kind) || e.from != from) continue;
    std::optional<SignedVote> v = as_vote(e);
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->block_hash, value) << "from " << from;
    EXPECT_EQ(v->epoch, round);
    ++seen;
  }
  EXPECT_EQ(seen, 3u) << "node " << from << " broadcast one vote to each of the 3 others";
}

Hash256 proposed_hash(const Cluster& c, NodeId proposer_node) {
  for (const Envelope& e : c.in_flight()) {
    if (auto p = as_proposal(e); p && e.from == proposer_node) {
      return proposal_block(*p)->hash;
    }
  }
  ADD_FAILURE() << "no proposal from " << proposer_node;
  return {};
}

TEST(TendermintTranscript, Algorithm1_NormalCase_ProposePrevotePrecommitDecideInRoundZero) {
  auto c = make_quiet_cluster(4, 1);
  // A client transaction at node 1 before the start: proposer(1, 0) = (1 + 0) mod 4 = 1.
  const TxRef tx = c->make_tx(7, 0);
  c->submit(1, tx);
  c->start();
  EXPECT_EQ(proposer(1, 0, 4), 1u);
  EXPECT_TRUE(tm(*c, 1).is_leader());

  // Line 10 / StartRound(0) (line 11-19): the proposer broadcasts PROPOSAL(1, 0, v, -1) and, the
  // proposal being its own, prevotes it at once (line 22). The others wait for it, with
  // create_empty_blocks = false not even arming timeoutPropose: they have no transaction yet.
  ASSERT_EQ(count_in_flight(*c, T::kProposal), 3u);
  const Hash256 v = proposed_hash(*c, 1);
  std::optional<Proposal> p = as_proposal(c->in_flight().front());
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->height, 1u);
  EXPECT_EQ(p->round, 0u);
  EXPECT_EQ(p->valid_round, kNoRound);
  EXPECT_EQ(proposal_block(*p)->txs.size(), 1u);
  EXPECT_EQ(proposal_block(*p)->header.epoch, 0u);  // header.epoch = round
  expect_votes_in_flight(*c, T::kPrevote, 1, v, 0);
  for (NodeId n : {0u, 2u, 3u}) {
    EXPECT_EQ(tm(*c, n).step(), Step::kPropose);
    EXPECT_TRUE(tm(*c, n).core().waiting_for_txs());
  }

  // Line 22: each validator gets the proposal in step propose, finds it valid and unlocked, and
  // broadcasts PREVOTE(1, 0, id(v)).
  const TimeNs t0 = c->now();
  EXPECT_EQ(c->deliver(of_type(T::kProposal)), 3u);
  EXPECT_EQ(c->now(), t0 + kNsPerMs);
  for (NodeId n : {0u, 2u, 3u}) {
    EXPECT_EQ(tm(*c, n).step(), Step::kPrevote);
    expect_votes_in_flight(*c, T::kPrevote, n, v, 0);
  }

  // Lines 34 and 36: 2f+1 prevotes for id(v). Each validator schedules timeoutPrevote (line 34),
  // then locks v in round 0, sets validValue, and broadcasts PRECOMMIT(1, 0, id(v)) (line 36).
  c->deliver(of_type(T::kPrevote));
  for (NodeId n = 0; n < 4; ++n) {
    const TendermintCore& core = tm(*c, n).core();
    EXPECT_EQ(core.step(), Step::kPrecommit) << n;
    ASSERT_TRUE(core.locked_value()) << n;
    EXPECT_EQ(core.locked_value()->hash, v);
    EXPECT_EQ(core.locked_round(), 0);
    EXPECT_EQ(core.valid_value()->hash, v);
    EXPECT_EQ(core.valid_round(), 0);
    expect_votes_in_flight(*c, T::kPrecommit, n, v, 0);
    EXPECT_EQ(c->live_timers(n, static_cast<std::uint64_t>(TimerKind::kPrevote)), 1u);
  }
  EXPECT_TRUE(c->commits().empty());

  // Line 49: the proposal and 2f+1 PRECOMMIT(1, 0, id(v)): decide v, three one-way delays after
  // the proposal was sent. Each node decides at the second precommit it receives (its own is the
  // third); the fourth, arriving after the decision, joins the certificate during the commit
  // wait, as Tendermint Core keeps collecting precommits for its last commit.
  c->deliver(of_type(T::kPrecommit));
  ASSERT_EQ(c->commits().size(), 4u);
  for (const CommitRecord& r : c->commits()) {
    EXPECT_EQ(r.height, 1u);
    EXPECT_EQ(r.hash, v);
    EXPECT_EQ(r.time_ns, t0 + 3 * kNsPerMs);
  }
  for (NodeId n = 0; n < 4; ++n) {
    const Tendermint& t = tm(*c, n);
    EXPECT_EQ(c->committed_tx_ids(n), std::vector<Hash256>{tx->id});
    // Line 54: the next height starts with no lock and an empty log; timeout_commit first.
    EXPECT_EQ(t.height(), 2u);
    EXPECT_EQ(t.step(), Step::kNewHeight);
    EXPECT_FALSE(t.core().locked_value());
    EXPECT_EQ(t.core().locked_round(), kNoRound);
    const CommitCertificate* cert = t.sync().certificate(1);
    ASSERT_NE(cert, nullptr);
    EXPECT_EQ(cert->round, 0u);
    EXPECT_EQ(cert->precommits.size(), 4u) << "node " << n;
    EXPECT_EQ(c->timer_due(n, static_cast<std::uint64_t>(TimerKind::kCommit)),
              t0 + 3 * kNsPerMs + t.params().timeout_commit_ns);
  }

  // After timeout_commit, round 0 of height 2 has nothing to propose: everything is quiet (only
  // the tx-gossip of the transaction is still to go, and it is already committed everywhere).
  c->run_for(5 * kNsPerSec);
  for (NodeId n = 0; n < 4; ++n) {
    EXPECT_EQ(tm(*c, n).height(), 2u);
    EXPECT_TRUE(tm(*c, n).core().waiting_for_txs());
  }
  EXPECT_EQ(c->chain(0).height(), 1u);
  expect_safe(*c);
}

// Lines 16, 28, 34, 36, 47, 65: a validator locks v in round 0 but the round ends without a
// decision; in round 1 it is the proposer and re-proposes its validValue with validRound 0, and
// the others accept it once they hold the proof of lock (2f+1 prevotes of round 0).
TEST(TendermintTranscript,
     Algorithm1_Line28_RoundChangeReproposesTheLockedValueWithItsProofOfLock) {
  auto c = make_tm_cluster(TmClusterSpec{});  // create_empty_blocks = true: empty blocks
  c->start();
  const Hash256 v = proposed_hash(*c, 1);

  // Round 0. The proposal reaches nodes 0 and 2; node 3's copy is lost, so after timeoutPropose
  // (3 s, line 57) node 3 prevotes nil. Nodes 0, 1, 2 prevote id(v) (line 22).
  c->drop(of_type_to(T::kProposal, 3));
  c->deliver(of_type(T::kProposal));
  ASSERT_TRUE(c->fire_timer(3, static_cast<std::uint64_t>(TimerKind::kPropose)));
  EXPECT_EQ(c->now(), round_timeout(tm(*c, 3).params(), TimeoutKind::kPropose, 0));
  expect_votes_in_flight(*c, T::kPrevote, 3, Hash256{}, 0);

  // Only node 2 sees the polka (3 prevotes for id(v)): it locks v and precommits it (line 36).
  // Node 2's own prevotes to the others are held back: the others see 3 prevotes of which only 2
  // are for v, so they schedule timeoutPrevote (line 34) and, when it fires, precommit nil
  // (line 61).
  c->deliver([](const Envelope& e) { return is_type(e, T::kPrevote) && e.from != 2; });
  EXPECT_EQ(tm(*c, 2).core().locked_round(), 0);
  EXPECT_EQ(tm(*c, 2).core().locked_value()->hash, v);
  EXPECT_EQ(tm(*c, 2).core().valid_round(), 0);
  for (NodeId n : {0u, 1u, 3u}) {
    EXPECT_EQ(tm(*c, n).step(), Step::kPrevote) << n;
    EXPECT_EQ(tm(*c, n).core().locked_round(), kNoRound) << n;
    ASSERT_TRUE(c->fire_timer(n, static_cast<std::uint64_t>(TimerKind::kPrevote))) << n;
    expect_votes_in_flight(*c, T::kPrecommit, n, Hash256{}, 0);
  }
  expect_votes_in_flight(*c, T::kPrecommit, 2, v, 0);

  // 2f+1 precommits of round 0 (three nil, one for v): no decision; timeoutPrecommit (line 47)
  // and then StartRound(1) (line 65).
  c->deliver(of_type(T::kPrecommit));
  EXPECT_TRUE(c->commits().empty());
  for (NodeId n = 0; n < 4; ++n) {
    ASSERT_TRUE(c->fire_timer(n, static_cast<std::uint64_t>(TimerKind::kPrecommit))) << n;
    EXPECT_EQ(tm(*c, n).round(), 1u);
  }

  // Round 1: proposer(1, 1) = 2, which proposes its validValue v with validRound 0 (line 16) and,
  // holding the proof of lock itself, prevotes it (line 28; its lock is from round 0 <= 0).
  ASSERT_EQ(count_in_flight(*c, T::kProposal), 3u);
  std::optional<Proposal> p;
  for (const Envelope& e : c->in_flight()) {
    if (auto q = as_proposal(e)) p = q;
  }
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->round, 1u);
  EXPECT_EQ(p->valid_round, 0);
  EXPECT_EQ(proposal_block(*p)->hash, v);
  EXPECT_EQ(proposal_block(*p)->header.epoch, 0u);  // the block of round 0
  EXPECT_EQ(tm(*c, 2).step(), Step::kPrevote);

  // The others get the re-proposal but hold only 2 of the 2f+1 prevotes of round 0 for v, so
  // line 28 does not fire yet: they stay in propose.
  c->deliver(of_type(T::kProposal));
  for (NodeId n : {0u, 1u, 3u}) EXPECT_EQ(tm(*c, n).step(), Step::kPropose) << n;

  // Node 2's held prevote of round 0 completes the proof of lock: line 28 fires and they prevote
  // id(v) in round 1 (none of them is locked).
  c->deliver([](const Envelope& e) {
    auto vote = as_vote(e);
    return vote && vote->epoch == 0 && e.from == 2 &&
           vote->kind == static_cast<std::uint8_t>(VoteKind::kPrevote);
  });
  for (NodeId n : {0u, 1u, 3u}) {
    EXPECT_EQ(tm(*c, n).step(), Step::kPrevote) << n;
    expect_votes_in_flight(*c, T::kPrevote, n, v, 1);
  }

  // The rest runs by itself: a polka for v in round 1 (everyone locks v in round 1), then 2f+1
  // precommits and the decision of v (line 49), in round 1 with the block of round 0.
  ASSERT_TRUE(c->run_until([&] { return c->commits().size() == 4; }, c->now() + kNsPerSec));
  for (const CommitRecord& r : c->commits()) EXPECT_EQ(r.hash, v);
  for (NodeId n = 0; n < 4; ++n) EXPECT_EQ(tm(*c, n).sync().certificate(1)->round, 1u);
  expect_safe(*c);
}

// The subtle case of locking: a validator locked on v refuses a different value in a later round
// (line 22: prevote nil), but a polka for that value in the later round moves its lock (line 36
// applies to the current round whatever the lock), so the height is decided. Safety is intact:
// v never had 2f+1 precommits.
TEST(TendermintTranscript, Algorithm1_Line22_LockedValidatorPrevotesNilThenRelocksOnALaterPolka) {
  auto c = make_tm_cluster(TmClusterSpec{});
  c->start();
  const Hash256 v = proposed_hash(*c, 1);

  // Round 0: node 3 misses the proposal and prevotes nil after timeoutPropose; nodes 0, 1, 2
  // prevote id(v).
  c->drop(of_type_to(T::kProposal, 3));
  c->deliver(of_type(T::kProposal));
  ASSERT_TRUE(c->fire_timer(3, static_cast<std::uint64_t>(TimerKind::kPropose)));

  // Node 1 gets every prevote: a polka for v, so it locks v in round 0 (line 36). Node 1's
  // prevote never reaches the others, who see 2f+1 prevotes but only 2 for v: timeoutPrevote
  // (line 34) and a nil precommit (line 61).
  c->drop(of_type_from(T::kPrevote, 1));
  c->deliver(of_type(T::kPrevote));
  EXPECT_EQ(tm(*c, 1).core().locked_value()->hash, v);
  EXPECT_EQ(tm(*c, 1).core().locked_round(), 0);
  for (NodeId n : {0u, 2u, 3u}) {
    ASSERT_TRUE(c->fire_timer(n, static_cast<std::uint64_t>(TimerKind::kPrevote))) << n;
    EXPECT_FALSE(tm(*c, n).core().valid_value()) << n;
  }
  c->deliver(of_type(T::kPrecommit));
  EXPECT_TRUE(c->commits().empty());  // v has one precommit (node 1's)
  for (NodeId n = 0; n < 4; ++n) {
    ASSERT_TRUE(c->fire_timer(n, static_cast<std::uint64_t>(TimerKind::kPrecommit))) << n;
  }

  // Round 1: proposer(1, 1) = 2 has no validValue, so it proposes a fresh block w (line 18).
  const Hash256 w = proposed_hash(*c, 2);
  ASSERT_NE(w, v);
  c->deliver(of_type(T::kProposal));
  // Line 22: node 1 is locked on v (lockedRound 0) and w is a fresh proposal (validRound -1):
  // it prevotes nil. Nodes 0 and 3 prevote w.
  expect_votes_in_flight(*c, T::kPrevote, 1, Hash256{}, 1);
  expect_votes_in_flight(*c, T::kPrevote, 0, w, 1);
  expect_votes_in_flight(*c, T::kPrevote, 3, w, 1);

  // Line 36: 2f+1 prevotes for w in round 1. Node 1 is in step prevote, so it locks w (lockedRound
  // 1) and precommits it; everyone decides w (line 49).
  c->deliver(of_type(T::kPrevote));
  EXPECT_EQ(tm(*c, 1).core().locked_value()->hash, w);
  EXPECT_EQ(tm(*c, 1).core().locked_round(), 1);
  expect_votes_in_flight(*c, T::kPrecommit, 1, w, 1);
  c->deliver(of_type(T::kPrecommit));
  ASSERT_EQ(c->commits().size(), 4u);
  for (const CommitRecord& r : c->commits()) EXPECT_EQ(r.hash, w);
  expect_safe(*c);
}

// Line 55: a validator left behind in round 0 (its links were down) jumps to a later round as
// soon as it holds messages of that round from f+1 validators (at least one of them honest), not
// earlier.
TEST(TendermintTranscript, Algorithm1_Line55_AValidatorLeftInRoundZeroSkipsOnFPlusOneMessages) {
  auto c = make_tm_cluster(TmClusterSpec{});
  c->start();
  // Round 0 fails for lack of a proposal: the proposer's copies are lost. Nothing reaches node 3.
  c->drop(of_type(T::kProposal));
  for (NodeId n : {0u, 2u, 3u}) {
    ASSERT_TRUE(c->fire_timer(n, static_cast<std::uint64_t>(TimerKind::kPropose))) << n;
  }
  // Nodes 0, 1, 2: 2f+1 nil prevotes (nodes 0, 2, 3), so they precommit nil (line 44); node 1
  // had prevoted its own proposal.
  c->drop([](const Envelope& e) { return e.to == 3; });
  c->deliver(of_type(T::kPrevote));
  for (NodeId n : {0u, 1u, 2u}) EXPECT_EQ(tm(*c, n).step(), Step::kPrecommit) << n;
  c->drop([](const Envelope& e) { return e.to == 3; });
  c->deliver(of_type(T::kPrecommit));
  for (NodeId n : {0u, 1u, 2u}) {
    ASSERT_TRUE(c->fire_timer(n, static_cast<std::uint64_t>(TimerKind::kPrecommit))) << n;
    EXPECT_EQ(tm(*c, n).round(), 1u);
  }
  EXPECT_EQ(tm(*c, 3).round(), 0u);
  EXPECT_EQ(tm(*c, 3).step(), Step::kPrevote);

  // Round 1's proposal (from proposer(1, 1) = 2) reaches node 3: one sender of round 1 is not
  // f+1 = 2, so node 3 stays in round 0 (a lone Byzantine validator cannot drag it ahead).
  c->deliver(of_type_to(T::kProposal, 3));
  EXPECT_EQ(tm(*c, 3).round(), 0u);
  c->deliver([](const Envelope& e) { return is_type(e, T::kPrevote) && e.from == 2 && e.to == 3; });
  EXPECT_EQ(tm(*c, 3).round(), 0u);

  // Node 0's prevote of round 1 makes two senders: StartRound(1), where the proposal is already
  // in the log, so node 3 prevotes it at once (line 22); with the prevotes of nodes 0 and 2 its
  // own makes 2f+1, so it locks the value and precommits it in the same step (line 36).
  c->deliver(of_type(T::kProposal));
  c->deliver([](const Envelope& e) { return is_type(e, T::kPrevote) && e.from == 0 && e.to == 3; });
  EXPECT_EQ(tm(*c, 3).round(), 1u);
  EXPECT_EQ(tm(*c, 3).step(), Step::kPrecommit);
  EXPECT_EQ(tm(*c, 3).core().locked_round(), 1);

  ASSERT_TRUE(c->run_until([&] { return c->commits().size() == 4; }, c->now() + kNsPerSec));
  for (const CommitRecord& r : c->commits()) EXPECT_EQ(r.height, 1u);
  for (NodeId n = 0; n < 4; ++n) EXPECT_EQ(tm(*c, n).sync().certificate(1)->round, 1u);
  expect_safe(*c);
}

}  // namespace
}  // namespace hlsim::testing
