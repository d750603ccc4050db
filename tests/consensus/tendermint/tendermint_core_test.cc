// The safety core alone (Algorithm 1's upon-rules) against a scripted host: each test feeds one
// validator's core the messages of a scenario and checks what it casts, line by line.
#include "consensus/tendermint/tendermint_core.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "consensus/tendermint/tendermint_mempool.h"
#include "ledger/crypto/signature.h"

namespace hlsim {
namespace {

SigningKey node_key(NodeId n) { return SigningKey::derive(9, "node-" + std::to_string(n)); }

BlockRef block(Height h, Round r, NodeId proposer_node, std::uint64_t salt = 0) {
  return seal_block(h, Hash256{}, proposer_node, r, static_cast<TimeNs>(salt), {},
                    node_key(proposer_node));
}

SignedVote vote_of(NodeId voter, VoteKind kind, Height h, Round r, const Hash256& value) {
  SignedVote v;
  v.kind = static_cast<std::uint8_t>(kind);
  v.height = h;
  v.epoch = r;
  v.block_hash = value;
  v.voter = voter;
  return v;  // the core does not check signatures: the host did
}

// Records what the core asks for.
class ScriptedHost final : public TendermintHost {
 public:
  explicit ScriptedHost(NodeId self) : self_(self) {}
  TendermintCore* core = nullptr;
  bool wait = false;
  std::vector<SignedVote> votes;
  std::vector<std::pair<TimeoutKind, Round>> timeouts;
  std::vector<std::pair<Round, Hash256>> decisions;
  std::vector<std::pair<Round, std::int64_t>> proposals;  // round, valid round
  std::vector<Round> rounds;
  std::size_t certificate_size = 0;

  bool wait_for_txs() override { return wait; }
  std::vector<ProposalRecord> propose(Round round, const BlockRef& value,
                                      std::int64_t valid_round) override {
    proposals.emplace_back(round, valid_round);
    return {ProposalRecord{value ? value : block(core->height(), round, self_), valid_round, true}};
  }
  std::optional<SignedVote> vote(VoteKind kind, Round round, const Hash256& value) override {
    votes.push_back(vote_of(self_, kind, core->height(), round, value));
    return votes.back();
  }
  void schedule_timeout(TimeoutKind kind, Height /*height*/, Round round) override {
    timeouts.emplace_back(kind, round);
  }
  void decide(Round round, const BlockRef& b, std::vector<SignedVote> precommits) override {
    decisions.emplace_back(round, b->hash);
    certificate_size = precommits.size();
  }
  void round_started(Height /*height*/, Round round) override { rounds.push_back(round); }

  const SignedVote& last() const { return votes.back(); }

 private:
  NodeId self_;
};

struct Fixture {
  explicit Fixture(NodeId self = 0, bool equivocate = false)
      : host(self), core(self, 4, equivocate) {
    host.core = &core;
    core.start_height(1);
  }
  ScriptedHost host;
  TendermintCore core;
};

constexpr auto kPrevote = VoteKind::kPrevote;
constexpr auto kPrecommit = VoteKind::kPrecommit;

TEST(TendermintCore, ThresholdsAreMoreThanTwoThirdsAndMoreThanOneThird) {
  EXPECT_EQ(quorum(4), 3u);
  EXPECT_EQ(one_third_plus(4), 2u);
  EXPECT_EQ(quorum(5), 4u);  // not 2f+1 = 3: two quorums of 3 in 5 could share only a faulty one
  EXPECT_EQ(quorum(7), 5u);
  EXPECT_EQ(one_third_plus(7), 3u);
  EXPECT_EQ(quorum(10), 7u);
  EXPECT_EQ(quorum(16), 11u);
  for (std::uint32_t n = 4; n <= 40; ++n) {
    // Two quorums intersect in more than n/3 validators (at least f + 1).
    EXPECT_GT(2 * quorum(n), n + n / 3) << n;
  }
}

TEST(TendermintCore, NormalCaseLineByLine) {
  Fixture f(0);
  // StartRound(0): node 0 is not proposer(1, 0) = 1, so it schedules timeoutPropose (line 21).
  f.core.start_round(f.host, 0);
  ASSERT_EQ(f.host.timeouts.size(), 1u);
  EXPECT_EQ(f.host.timeouts[0].first, TimeoutKind::kPropose);
  EXPECT_TRUE(f.host.votes.empty());
  const BlockRef v = block(1, 0, 1);
  // Line 22.
  f.core.on_proposal(f.host, 0, v, kNoRound, true);
  EXPECT_EQ(f.core.step(), Step::kPrevote);
  EXPECT_EQ(f.host.last().kind, static_cast<std::uint8_t>(kPrevote));
  EXPECT_EQ(f.host.last().block_hash, v->hash);
  // Line 34 and 36 at the third prevote (its own plus two).
  f.core.on_vote(f.host, vote_of(1, kPrevote, 1, 0, v->hash));
  EXPECT_EQ(f.core.step(), Step::kPrevote);
  f.core.on_vote(f.host, vote_of(2, kPrevote, 1, 0, v->hash));
  EXPECT_EQ(f.core.step(), Step::kPrecommit);
  EXPECT_EQ(f.host.timeouts.back().first, TimeoutKind::kPrevote);
  EXPECT_EQ(f.core.locked_value()->hash, v->hash);
  EXPECT_EQ(f.core.locked_round(), 0);
  EXPECT_EQ(f.core.valid_round(), 0);
  EXPECT_EQ(f.host.last().kind, static_cast<std::uint8_t>(kPrecommit));
  // A repeated vote changes nothing.
  EXPECT_FALSE(f.core.wants_vote(vote_of(2, kPrevote, 1, 0, v->hash)));
  // Lines 47 and 49.
  f.core.on_vote(f.host, vote_of(1, kPrecommit, 1, 0, v->hash));
  EXPECT_TRUE(f.host.decisions.empty());
  f.core.on_vote(f.host, vote_of(3, kPrecommit, 1, 0, v->hash));
  ASSERT_EQ(f.host.decisions.size(), 1u);
  EXPECT_EQ(f.host.decisions[0], std::make_pair(Round{0}, v->hash));
  EXPECT_EQ(f.host.certificate_size, 3u);
  EXPECT_EQ(f.core.height(), 2u);
  EXPECT_EQ(f.core.step(), Step::kNewHeight);
  EXPECT_FALSE(f.core.locked_value());
}

TEST(TendermintCore, Line22InvalidProposalGetsANilPrevote) {
  Fixture f(0);
  f.core.start_round(f.host, 0);
  f.core.on_proposal(f.host, 0, block(1, 0, 1), kNoRound, /*valid=*/false);
  EXPECT_TRUE(f.host.last().block_hash.is_zero());
  EXPECT_EQ(f.core.step(), Step::kPrevote);
}

TEST(TendermintCore, Line44NilPolkaPrecommitsNilAndLine57TimeoutPrevotesNil) {
  Fixture f(0);
  f.core.start_round(f.host, 0);
  // Line 57: OnTimeoutPropose(1, 0); a stale timeout (another round) does nothing.
  f.core.on_timeout(f.host, TimeoutKind::kPropose, 1, 5);
  EXPECT_TRUE(f.host.votes.empty());
  f.core.on_timeout(f.host, TimeoutKind::kPropose, 1, 0);
  ASSERT_EQ(f.host.votes.size(), 1u);
  EXPECT_TRUE(f.host.last().block_hash.is_zero());
  f.core.on_vote(f.host, vote_of(1, kPrevote, 1, 0, Hash256{}));
  f.core.on_vote(f.host, vote_of(2, kPrevote, 1, 0, Hash256{}));
  EXPECT_EQ(f.core.step(), Step::kPrecommit);
  EXPECT_EQ(f.host.last().kind, static_cast<std::uint8_t>(kPrecommit));
  EXPECT_TRUE(f.host.last().block_hash.is_zero());
  // Line 47, then 65: the next round.
  f.core.on_vote(f.host, vote_of(1, kPrecommit, 1, 0, Hash256{}));
  f.core.on_vote(f.host, vote_of(2, kPrecommit, 1, 0, Hash256{}));
  EXPECT_EQ(f.host.timeouts.back().first, TimeoutKind::kPrecommit);
  f.core.on_timeout(f.host, TimeoutKind::kPrecommit, 1, 0);
  EXPECT_EQ(f.core.round(), 1u);
  EXPECT_EQ(f.core.step(), Step::kPropose);
  // proposer(1, 1) = 2: node 0 waits for it.
  EXPECT_EQ(f.host.timeouts.back(), std::make_pair(TimeoutKind::kPropose, Round{1}));
}

TEST(TendermintCore, Line55SkipsOnlyOnFPlusOneDistinctSendersOfAHigherRound) {
  Fixture f(0);
  f.core.start_round(f.host, 0);
  const Hash256 w = block(1, 3, 0)->hash;
  f.core.on_vote(f.host, vote_of(2, kPrevote, 1, 3, w));
  f.core.on_vote(f.host, vote_of(2, kPrecommit, 1, 3, w));  // same sender again
  EXPECT_EQ(f.core.round(), 0u);
  f.core.on_vote(f.host, vote_of(3, kPrevote, 1, 3, w));
  EXPECT_EQ(f.core.round(), 3u);
  // proposer(1, 3) = 0: it proposes at once and prevotes its own proposal.
  ASSERT_EQ(f.host.proposals.size(), 1u);
  EXPECT_EQ(f.host.proposals[0], std::make_pair(Round{3}, kNoRound));
  EXPECT_EQ(f.host.last().epoch, 3u);
}

TEST(TendermintCore, ASenderIsHeardInAtMostTwoRoundsAhead) {
  Fixture f(0);
  f.core.start_round(f.host, 0);
  // A Byzantine validator votes in rounds 5, 6, 7, 8: only the first two are kept.
  for (Round r = 5; r <= 8; ++r) {
    const SignedVote v = vote_of(3, kPrevote, 1, r, Hash256{});
    EXPECT_EQ(f.core.wants_vote(v), r <= 6) << r;
    f.core.on_vote(f.host, v);
  }
  EXPECT_NE(f.core.log(5), nullptr);
  EXPECT_NE(f.core.log(6), nullptr);
  EXPECT_EQ(f.core.log(7), nullptr);
  EXPECT_EQ(f.core.log(8), nullptr);
  // More of its messages in a round it is already heard in are still kept.
  EXPECT_TRUE(f.core.wants_vote(vote_of(3, kPrecommit, 1, 6, Hash256{})));
  // Another validator in round 6 makes f+1 senders: StartRound(6); rounds 7 and 8 are now only
  // one and two ahead, and validator 3 is heard there again.
  f.core.on_vote(f.host, vote_of(2, kPrevote, 1, 6, Hash256{}));
  EXPECT_EQ(f.core.round(), 6u);
  EXPECT_TRUE(f.core.wants_vote(vote_of(3, kPrevote, 1, 8, Hash256{})));
}

TEST(TendermintCore, Line49DecidesWithTheBlockFromAnyRoundOfTheHeight) {
  Fixture f(0);
  f.core.start_round(f.host, 0);
  const BlockRef v = block(1, 0, 1);
  f.core.on_proposal(f.host, 0, v, kNoRound, true);
  // 2f+1 precommits for v in round 2, whose proposal this node never saw.
  for (NodeId n : {1u, 2u, 3u}) f.core.on_vote(f.host, vote_of(n, kPrecommit, 1, 2, v->hash));
  ASSERT_EQ(f.host.decisions.size(), 1u);
  EXPECT_EQ(f.host.decisions[0], std::make_pair(Round{2}, v->hash));
}

TEST(TendermintCore, Line49NeedsTheBlock) {
  Fixture f(0);
  f.core.start_round(f.host, 0);
  const Hash256 unknown = block(1, 0, 1, 99)->hash;
  for (NodeId n : {1u, 2u, 3u}) f.core.on_vote(f.host, vote_of(n, kPrecommit, 1, 0, unknown));
  EXPECT_TRUE(f.host.decisions.empty());
  // An invalid block with that hash does not do either.
  f.core.on_proposal(f.host, 0, block(1, 0, 1, 99), kNoRound, false);
  EXPECT_TRUE(f.host.decisions.empty());
}

TEST(TendermintCore, Line28WaitsForTheProofOfLockThenHonoursAnOlderLock) {
  Fixture f(3);
  f.core.start_round(f.host, 0);
  const BlockRef v = block(1, 0, 1);
  // Round 0: a polka for v that node 3 sees (it locks v), then nil precommits end the round.
  f.core.on_proposal(f.host, 0, v, kNoRound, true);
  for (NodeId n : {0u, 1u}) f.core.on_vote(f.host, vote_of(n, kPrevote, 1, 0, v->hash));
  EXPECT_EQ(f.core.locked_round(), 0);
  for (NodeId n : {0u, 1u}) f.core.on_vote(f.host, vote_of(n, kPrecommit, 1, 0, Hash256{}));
  f.core.on_timeout(f.host, TimeoutKind::kPrecommit, 1, 0);
  ASSERT_EQ(f.core.round(), 1u);
  // Round 1: proposer 2 re-proposes a block with validRound 0 but only has a proof of lock for
  // another value u; node 3 holds none for u and waits (line 28's 2f+1 prevotes are missing).
  const BlockRef u = block(1, 0, 1, 7);
  f.core.on_proposal(f.host, 1, u, 0, true);
  EXPECT_EQ(f.core.step(), Step::kPropose);
  // The re-proposal of v itself with validRound 0: node 3 holds the proof (its own prevote and
  // those of 0 and 1) and its lock is from round 0 <= 0: prevote v.
  Fixture g(3);
  g.core.start_round(g.host, 0);
  g.core.on_proposal(g.host, 0, v, kNoRound, true);
  for (NodeId n : {0u, 1u}) g.core.on_vote(g.host, vote_of(n, kPrevote, 1, 0, v->hash));
  for (NodeId n : {0u, 1u}) g.core.on_vote(g.host, vote_of(n, kPrecommit, 1, 0, Hash256{}));
  g.core.on_timeout(g.host, TimeoutKind::kPrecommit, 1, 0);
  g.core.on_proposal(g.host, 1, v, 0, true);
  EXPECT_EQ(g.core.step(), Step::kPrevote);
  EXPECT_EQ(g.host.last().block_hash, v->hash);
  EXPECT_EQ(g.host.last().epoch, 1u);
}

TEST(TendermintCore, WaitingForTransactionsHoldsRoundZeroUntilTxsOrAnotherValidatorsMessage) {
  Fixture f(0);
  f.host.wait = true;
  f.core.start_round(f.host, 0);
  EXPECT_TRUE(f.core.waiting_for_txs());
  EXPECT_TRUE(f.host.timeouts.empty());
  f.core.on_value_ready(f.host);  // transactions arrived
  EXPECT_FALSE(f.core.waiting_for_txs());
  EXPECT_EQ(f.host.timeouts.size(), 1u);

  Fixture g(1);  // the proposer
  g.host.wait = true;
  g.core.start_round(g.host, 0);
  EXPECT_TRUE(g.host.proposals.empty());
  // Another validator's prevote shows that round 0 is under way: propose (maybe an empty block).
  g.core.on_vote(g.host, vote_of(2, kPrevote, 1, 0, Hash256{}));
  EXPECT_EQ(g.host.proposals.size(), 1u);
}

TEST(TendermintCore, CommitWaitEndsEarlyOnARoundZeroProposal) {
  Fixture f(0);
  f.core.start_height(2);
  EXPECT_EQ(f.core.step(), Step::kNewHeight);
  // Votes of round 0 are only recorded meanwhile.
  const BlockRef v = block(2, 0, 2);
  f.core.on_vote(f.host, vote_of(2, kPrevote, 2, 0, v->hash));
  EXPECT_EQ(f.core.step(), Step::kNewHeight);
  f.core.on_proposal(f.host, 0, v, kNoRound, true);
  EXPECT_EQ(f.core.step(), Step::kPrevote);
  EXPECT_EQ(f.host.rounds, std::vector<Round>{0});
}

TEST(TendermintCore, EquivocatingVoterVotesForEveryValidProposalIgnoringItsLock) {
  Fixture f(0, /*equivocate=*/true);
  f.core.start_round(f.host, 0);
  const BlockRef a = block(1, 0, 1, 1);
  const BlockRef b = block(1, 0, 1, 2);
  f.core.on_proposal(f.host, 0, a, kNoRound, true);
  f.core.on_proposal(f.host, 0, b, kNoRound, true);
  std::set<std::pair<std::uint8_t, std::array<std::uint8_t, 32>>> cast;
  for (const SignedVote& v : f.host.votes) cast.emplace(v.kind, v.block_hash.bytes);
  EXPECT_TRUE(cast.contains({static_cast<std::uint8_t>(kPrevote), a->hash.bytes}));
  EXPECT_TRUE(cast.contains({static_cast<std::uint8_t>(kPrevote), b->hash.bytes}));
  EXPECT_TRUE(cast.contains({static_cast<std::uint8_t>(kPrecommit), a->hash.bytes}));
  EXPECT_TRUE(cast.contains({static_cast<std::uint8_t>(kPrecommit), b->hash.bytes}));
  // An honest core keeps to the first.
  Fixture h(0);
  h.core.start_round(h.host, 0);
  h.core.on_proposal(h.host, 0, a, kNoRound, true);
  h.core.on_proposal(h.host, 0, b, kNoRound, true);
  ASSERT_EQ(h.host.votes.size(), 1u);
  EXPECT_EQ(h.host.votes[0].block_hash, a->hash);
}

TEST(TendermintVoteTally, CountsDistinctVotersPerValueAndCapsEachVoter) {
  VoteTally t;
  const Hash256 a = block(1, 0, 1, 1)->hash;
  const Hash256 b = block(1, 0, 1, 2)->hash;
  const Hash256 c = block(1, 0, 1, 3)->hash;
  EXPECT_TRUE(t.add(vote_of(0, kPrevote, 1, 0, a)));
  EXPECT_FALSE(t.add(vote_of(0, kPrevote, 1, 0, a)));  // repeat
  EXPECT_TRUE(t.add(vote_of(0, kPrevote, 1, 0, b)));   // equivocation: counts for b too
  EXPECT_TRUE(t.redundant(0, c));                      // a third value is dropped
  EXPECT_FALSE(t.add(vote_of(0, kPrevote, 1, 0, c)));
  EXPECT_TRUE(t.add(vote_of(1, kPrevote, 1, 0, a)));
  EXPECT_TRUE(t.add(vote_of(2, kPrevote, 1, 0, Hash256{})));
  EXPECT_EQ(t.count(a), 2u);
  EXPECT_EQ(t.count(b), 1u);
  EXPECT_EQ(t.count(c), 0u);
  EXPECT_EQ(t.count(Hash256{}), 1u);
  EXPECT_EQ(t.voters(), 3u);
  EXPECT_EQ(t.values_with(2), std::vector<Hash256>{a});
  EXPECT_EQ(t.votes_for(a).size(), 2u);
  EXPECT_EQ(t.votes_of(0).size(), 2u);
}

TEST(TendermintTiming, ProposerRotatesAndTimeoutsGrowPerRound) {
  EXPECT_EQ(proposer(1, 0, 4), 1u);
  EXPECT_EQ(proposer(1, 1, 4), 2u);
  EXPECT_EQ(proposer(4, 0, 4), 0u);
  EXPECT_EQ(proposer(~Height{0}, ~Round{0}, 7), static_cast<NodeId>((~Height{0} % 7 * 2) % 7));
  const TendermintParams p;
  EXPECT_EQ(round_timeout(p, TimeoutKind::kPropose, 0), 3 * kNsPerSec);
  EXPECT_EQ(round_timeout(p, TimeoutKind::kPropose, 2), 4 * kNsPerSec);
  EXPECT_EQ(round_timeout(p, TimeoutKind::kPrevote, 1), 1500 * kNsPerMs);
  EXPECT_EQ(round_timeout(p, TimeoutKind::kPrecommit, 4), 3 * kNsPerSec);
  EXPECT_EQ(round_timeout(p, TimeoutKind::kPrecommit, ~Round{0}), 24 * 3600 * kNsPerSec);
  EXPECT_LT(view_number(1, 5), view_number(2, 0));
  EXPECT_LT(view_number(2, 0), view_number(2, 1));
}

TEST(TendermintMempool, SelectsInArrivalOrderWithinTheLimitsAndForgetsCommitted) {
  auto tx = [](std::uint64_t nonce, std::size_t payload) {
    Transaction t;
    t.nonce = nonce;
    t.payload = Bytes(payload, 1);
    sign_tx(t, SigningKey::derive(1, "client"));
    return std::make_shared<const Transaction>(std::move(t));
  };
  Mempool m;
  const TxRef a = tx(0, 10), big = tx(1, 5000), b = tx(2, 10), c = tx(3, 10);
  EXPECT_TRUE(m.add(a, true));
  EXPECT_FALSE(m.add(a, false));
  EXPECT_TRUE(m.add(big, false));
  EXPECT_TRUE(m.add(b, true));
  EXPECT_TRUE(m.add(c, false));
  // Byte limit: the big one is skipped, smaller later ones still fit.
  const std::vector<TxRef> sel = m.select(10, 1000);
  ASSERT_EQ(sel.size(), 3u);
  EXPECT_EQ(sel[0]->id, a->id);
  EXPECT_EQ(sel[1]->id, b->id);
  EXPECT_EQ(sel[2]->id, c->id);
  EXPECT_EQ(m.select(2, 1 << 20).size(), 2u);
  // Gossip: only local ones, once.
  const std::vector<TxRef> g = m.take_gossip();
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0]->id, a->id);
  EXPECT_TRUE(m.take_gossip().empty());
  Block blk;
  blk.txs = {a, c};
  m.remove_committed(blk);
  EXPECT_EQ(m.size(), 2u);
  EXPECT_FALSE(m.contains(a->id));
  EXPECT_TRUE(m.contains(b->id));
}

}  // namespace
}  // namespace hlsim
