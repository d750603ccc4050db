// Raft §5.2 leader election and §5.4.1 election restriction.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <utility>

#include "consensus/raft/raft_test_util.h"

namespace hlsim::testing {
namespace {

// Records every granted vote as (voter, term) -> candidates.
struct VoteLog {
  std::map<std::pair<NodeId, std::uint64_t>, std::set<NodeId>> granted;
  void attach(Cluster& c) {
    c.set_send_observer([this](const Envelope& e) {
      if (!is_type(e, RaftMessageType::kVote)) return;
      auto v = decode_vote(e.msg.view());
      if (v && v->granted) granted[{e.from, v->term}].insert(e.to);
    });
  }
};

TEST(RaftElection, Section5_2_ColdStartElectsExactlyOneLeaderPerTerm) {
  const RaftParams params;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    auto c = make_raft_cluster(5, seed, params);
    VoteLog votes;
    votes.attach(*c);
    bool timers_ok = true;
    c->set_after_job([&] {
      for (NodeId n = 0; n < c->size(); ++n) {
        const std::size_t live = c->live_timers(n, Raft::kElectionTimer);
        // Never two live election timers; none while leading.
        if (live > 1 || (raft(*c, n).is_leader() && live != 0)) timers_ok = false;
      }
    });
    c->start();
    c->run_for(3 * kNsPerSec);

    EXPECT_TRUE(timers_ok);
    // Election Safety: at most one leader per term, as every node reported it.
    std::map<std::uint64_t, std::set<NodeId>> leaders_by_term;
    for (const LeaderNote& note : c->leader_notes())
      leaders_by_term[note.epoch].insert(note.leader);
    ASSERT_FALSE(leaders_by_term.empty());
    for (const auto& [term, leaders] : leaders_by_term) EXPECT_EQ(leaders.size(), 1u) << term;
    // Votes are granted at most once per term.
    for (const auto& [voter_term, candidates] : votes.granted) EXPECT_EQ(candidates.size(), 1u);
    // Nobody times out before the minimum election timeout.
    EXPECT_GE(c->leader_notes().front().time_ns, params.election_timeout_min_ns);
    // With heartbeats flowing, the cluster settles on one leader that everyone follows.
    ASSERT_EQ(c->leaders().size(), 1u);
    const NodeId leader = c->leaders().front();
    for (NodeId n = 0; n < c->size(); ++n) {
      EXPECT_EQ(raft(*c, n).epoch(), raft(*c, leader).epoch());
      EXPECT_EQ(raft(*c, n).leader_id(), leader);
    }
    // The leader's empty block (§8) committed everywhere.
    for (NodeId n = 0; n < c->size(); ++n) EXPECT_GE(c->chain(n).height(), 1u);
    expect_safe(*c);
  }
}

TEST(RaftElection, Section5_2_FirstElectionFinishesWithinTheTimeoutBounds) {
  const RaftParams params;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    auto c = make_raft_cluster(3, seed, params);
    c->start();
    ASSERT_TRUE(run_until_stable_leader(*c, 5 * kNsPerSec));
    const LeaderNote& first = c->leader_notes().front();
    EXPECT_GE(first.time_ns, params.election_timeout_min_ns);
    // One round trip after the first timeout, unless votes split (then another timeout).
    EXPECT_LE(first.time_ns, 2 * params.election_timeout_max_ns + 4 * kNsPerMs) << seed;
  }
}

TEST(RaftElection, Section5_2_EachNodeVotesOncePerTerm) {
  auto c = make_raft_cluster(3, 1);
  VoteLog votes;
  votes.attach(*c);
  c->start();
  // Nodes 1 and 2 both stand in term 1; node 0 hears node 1 first.
  ASSERT_TRUE(c->fire_timer(1, Raft::kElectionTimer));
  ASSERT_TRUE(c->fire_timer(2, Raft::kElectionTimer));
  EXPECT_EQ(raft(*c, 1).epoch(), 1u);
  EXPECT_EQ(raft(*c, 2).epoch(), 1u);
  c->stabilize();

  ASSERT_EQ(votes.granted.count({0, 1}), 1u);
  EXPECT_EQ(votes.granted.at({0, 1}), std::set<NodeId>{1});
  EXPECT_EQ(raft(*c, 0).voted_for(), std::optional<NodeId>(1));
  // The candidates voted for themselves and refused each other.
  EXPECT_EQ(votes.granted.count({1, 1}), 0u);
  EXPECT_EQ(votes.granted.count({2, 1}), 0u);
  EXPECT_TRUE(raft(*c, 1).is_leader());
  EXPECT_FALSE(raft(*c, 2).is_leader());
  EXPECT_EQ(raft(*c, 2).leader_id(), 1u);  // learned from the new leader's AppendEntries
  expect_safe(*c);
}

TEST(RaftElection, Section5_4_1_CandidateWithStaleLogLoses) {
  RaftParams params;
  params.max_block_tx = 1;  // every transaction is its own entry
  auto c = make_raft_cluster(3, 1, params);
  c->start();
  ASSERT_TRUE(campaign(*c, 0));
  c->stabilize();
  // Entry 2 reaches node 1 but not node 2.
  c->set_drop_filter([](const Envelope& e) { return e.to == 2; });
  c->submit(0, c->make_tx(0, 0));
  c->stabilize();
  c->set_drop_filter(nullptr);
  ASSERT_EQ(raft(*c, 1).log().last_index(), 2u);
  ASSERT_EQ(raft(*c, 2).log().last_index(), 1u);

  // Node 2 stands with a log that lacks a committed entry: both others refuse (§5.4.1).
  ASSERT_FALSE(campaign(*c, 2, 1));
  EXPECT_EQ(raft(*c, 2).role(), Raft::Role::kCandidate);
  EXPECT_EQ(raft(*c, 0).epoch(), raft(*c, 2).epoch());  // the old leader stepped down...
  EXPECT_FALSE(raft(*c, 0).is_leader());
  EXPECT_NE(raft(*c, 0).voted_for(), std::optional<NodeId>(2));  // ...without voting for it
  EXPECT_NE(raft(*c, 1).voted_for(), std::optional<NodeId>(2));

  // Node 1, whose log is complete, wins the next term with node 2's vote.
  ASSERT_TRUE(campaign(*c, 1));
  c->stabilize();
  c->fire_timer(1, Raft::kHeartbeatTimer);
  c->stabilize();
  EXPECT_EQ(raft(*c, 2).log().last_index(), raft(*c, 1).log().last_index());
  EXPECT_TRUE(c->chains_identical());
  EXPECT_EQ(c->committed_tx_ids(2).size(), 1u);
  expect_safe(*c);
}

TEST(RaftElection, Section5_2_LeaderStepsDownOnHigherTermFromAnyMessage) {
  auto c = make_raft_cluster(3, 1);
  c->start();
  ASSERT_TRUE(campaign(*c, 0));
  c->stabilize();
  const std::uint64_t term = raft(*c, 0).epoch();
  // A vote reply carrying a higher term is enough.
  c->inject(1, 0, encode_message(Vote{term + 5, false}));
  c->stabilize();
  EXPECT_FALSE(raft(*c, 0).is_leader());
  EXPECT_EQ(raft(*c, 0).epoch(), term + 5);
  EXPECT_EQ(raft(*c, 0).leader_id(), kNoNode);
  EXPECT_EQ(c->live_timers(0, Raft::kHeartbeatTimer), 0u);
  EXPECT_EQ(c->live_timers(0, Raft::kElectionTimer), 1u);
}

TEST(RaftElection, SingleNodeClusterElectsItselfAfterOneTimeout) {
  const RaftParams params;
  auto c = make_raft_cluster(1, 1, params);
  c->start();
  ASSERT_TRUE(c->run_until([&] { return raft(*c, 0).is_leader(); }, kNsPerSec));
  EXPECT_GE(c->now(), params.election_timeout_min_ns);
  EXPECT_LE(c->now(), params.election_timeout_max_ns);
  EXPECT_EQ(c->chain(0).height(), 1u);  // its empty block committed at once
  EXPECT_EQ(c->sent(static_cast<std::uint16_t>(RaftMessageType::kRequestVote)), 0u);
}

}  // namespace
}  // namespace hlsim::testing
