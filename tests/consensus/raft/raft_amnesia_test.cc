// Raft after a restart that lost the log (memory storage): the node starts with an empty chain,
// keeps only its term and vote, and is "catching up" until it again holds a commit index the
// leader reports for an entry of the leader's own term. While catching up it grants no vote and
// never campaigns (its acknowledgements before the crash may have counted towards a commit
// quorum; a vote from it could elect a leader without a committed entry). Once caught up it holds
// every committed block.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "consensus/raft/raft_test_util.h"

namespace hlsim::testing {
namespace {

std::vector<Hash256> chain_hashes(const Chain& chain) {
  std::vector<Hash256> out;
  for (const BlockRef& b : chain.blocks()) out.push_back(b->hash);
  return out;
}

// `node`'s chain holds exactly the blocks `leader` committed, at least up to the leader's commit
// index.
void expect_holds_committed_prefix(const Cluster& c, NodeId node, NodeId leader) {
  const Height committed = c.chain(leader).height();
  ASSERT_GT(committed, 0u);
  ASSERT_GE(c.chain(node).height(), committed) << "node " << node;
  for (Height h = 1; h <= committed; ++h) {
    ASSERT_EQ(c.chain(node).at(h)->hash, c.chain(leader).at(h)->hash)
        << "node " << node << " height " << h;
  }
}

// Submits `count` transactions to `node`, one every millisecond, and runs 1 ms after each.
void submit_load(Cluster& c, NodeId node, std::uint64_t first_nonce, int count) {
  for (int i = 0; i < count; ++i) {
    c.submit(node, c.make_tx(static_cast<ClientId>(i % 5), first_nonce + i));
    c.run_for(kNsPerMs);
  }
}

// A cluster with a stable leader that has committed a few blocks of transactions, everywhere.
struct Warm {
  std::unique_ptr<Cluster> c;
  NodeId leader = 0;
};

Warm warm_cluster(std::uint32_t nodes, std::uint64_t seed) {
  RaftParams params;
  params.max_block_tx = 4;  // several blocks from a little load
  Warm w{make_raft_cluster(nodes, seed, params), 0};
  w.c->start();
  EXPECT_TRUE(run_until_stable_leader(*w.c, 5 * kNsPerSec));
  w.leader = *w.c->leader();
  for (NodeId n = 0; n < nodes; ++n) submit_load(*w.c, n, 100 * n, 6);
  w.c->run_for(200 * kNsPerMs);
  for (NodeId n = 0; n < nodes; ++n) EXPECT_GE(w.c->chain(n).height(), 4u) << n;
  return w;
}

NodeId follower_of(const Warm& w, std::uint32_t k = 1) {
  return static_cast<NodeId>((w.leader + k) % w.c->size());
}

TEST(RaftAmnesia, RestartedFollowerStartsEmptyThenCatchesUpToEveryCommittedBlock) {
  Warm w = warm_cluster(3, 3);
  Cluster& c = *w.c;
  const NodeId f = follower_of(w);
  const std::vector<Hash256> before_crash = chain_hashes(c.chain(f));
  const std::uint64_t term = raft(c, f).epoch();
  const std::optional<NodeId> vote = raft(c, f).voted_for();
  ASSERT_FALSE(raft(c, f).catching_up());

  c.crash(f);
  submit_load(c, w.leader, 1000, 10);  // the others move on meanwhile
  c.run_for(100 * kNsPerMs);
  ASSERT_GT(c.chain(w.leader).height(), before_crash.size());
  c.restart(f, /*storage_lost=*/true);

  // Amnesia: an empty chain and log, only the hard state (term, vote) kept.
  EXPECT_EQ(c.chain(f).height(), 0u);
  EXPECT_EQ(raft(c, f).log().last_index(), 0u);
  EXPECT_EQ(raft(c, f).commit_index(), 0u);
  EXPECT_TRUE(raft(c, f).catching_up());
  EXPECT_EQ(raft(c, f).role(), Raft::Role::kFollower);
  EXPECT_EQ(raft(c, f).epoch(), term);
  EXPECT_EQ(raft(c, f).voted_for(), vote);

  // The leader's heartbeats find the gap and stream the whole log back. It is the leader of before
  // the crash, whose match index for f predates the crash: f's rejections, with a log hint below
  // that match index, must not be dismissed as stale (they were, and f never caught up).
  ASSERT_TRUE(c.run_until(
      [&] {
        return !raft(c, f).catching_up() && c.chain(f).height() == c.chain(w.leader).height();
      },
      c.now() + 2 * kNsPerSec));
  EXPECT_FALSE(raft(c, f).catching_up());
  expect_holds_committed_prefix(c, f, w.leader);
  // Everything it had committed before the crash is back, at the same heights.
  const std::vector<Hash256> after = chain_hashes(c.chain(f));
  ASSERT_GE(after.size(), before_crash.size());
  EXPECT_TRUE(std::equal(before_crash.begin(), before_crash.end(), after.begin()));
  EXPECT_EQ(raft(c, f).epoch(), raft(c, w.leader).epoch());  // no term was disturbed
  EXPECT_TRUE(raft(c, w.leader).is_leader());

  // And it takes part normally again.
  submit_load(c, f, 2000, 5);
  c.run_for(200 * kNsPerMs);
  EXPECT_TRUE(c.chains_identical());
  expect_safe(c);
}

// Restarts follower f (with or without its storage), keeps the leader's replication away from it,
// and asks for its vote with an up-to-date log in a new term, as another follower o would.
// Returns f's answer.
std::optional<Vote> ask_for_vote_after_restart(bool storage_lost) {
  Warm w = warm_cluster(3, 7);
  Cluster& c = *w.c;
  const NodeId f = follower_of(w, 1);
  const NodeId o = follower_of(w, 2);
  c.crash(f);
  c.run_for(50 * kNsPerMs);
  c.restart(f, storage_lost);
  EXPECT_EQ(raft(c, f).catching_up(), storage_lost);
  // Nothing from the leader reaches f: it cannot catch up in the meantime.
  c.set_drop_filter([&](const Envelope& e) { return e.to == f && e.from == w.leader; });
  c.drop([&](const Envelope& e) { return e.to == f; });

  const std::uint64_t term = raft(c, o).epoch() + 1;
  const RequestVote rv{term, o, raft(c, o).log().last_index(), raft(c, o).log().last_term()};
  c.inject(o, f, encode_message(rv));
  EXPECT_EQ(c.deliver([&](const Envelope& e) {
    return e.to == f && is_type(e, RaftMessageType::kRequestVote);
  }),
            1u);
  // f moved to the candidate's term either way (§5.1).
  EXPECT_EQ(raft(c, f).epoch(), term);
  EXPECT_EQ(raft(c, f).role(), Raft::Role::kFollower);
  std::optional<Vote> answer;
  for (const Envelope& e : c.in_flight()) {
    if (e.from == f && e.to == o && is_type(e, RaftMessageType::kVote)) {
      answer = decode_vote(e.msg.view());
    }
  }
  if (storage_lost) {
    EXPECT_FALSE(raft(c, f).voted_for().has_value()) << "an amnesiac node recorded a vote";
    EXPECT_TRUE(raft(c, f).catching_up());
  } else {
    EXPECT_EQ(raft(c, f).voted_for(), std::optional<NodeId>(o));
  }

  // Afterwards the cluster recovers and the amnesiac node catches up.
  c.set_drop_filter(nullptr);
  EXPECT_TRUE(c.run_until(
      [&] {
        const auto l = c.leader();
        return l && !raft(c, f).catching_up() && c.chain(f).height() == c.chain(*l).height() &&
               raft(c, f).leader_id() == *l;
      },
      c.now() + 5 * kNsPerSec));
  const auto l = c.leader();
  EXPECT_TRUE(l.has_value());
  if (l) expect_holds_committed_prefix(c, f, *l);
  expect_safe(c);
  return answer;
}

TEST(RaftAmnesia, CatchingUpNodeRefusesToVoteForAnUpToDateCandidate) {
  const std::optional<Vote> amnesiac = ask_for_vote_after_restart(/*storage_lost=*/true);
  ASSERT_TRUE(amnesiac.has_value()) << "the node must answer the RequestVote";
  EXPECT_FALSE(amnesiac->granted);
  // Control: the same request to a node that kept its log is granted (the candidate's log is as
  // up to date as its own).
  const std::optional<Vote> durable = ask_for_vote_after_restart(/*storage_lost=*/false);
  ASSERT_TRUE(durable.has_value());
  EXPECT_TRUE(durable->granted);
  EXPECT_EQ(durable->term, amnesiac->term);
}

// Restarts follower f (with or without storage) cut off from everyone and lets 3 s pass, so that
// its election timer fires again and again (on its own schedule: the rest of the cluster runs
// normally meanwhile). Returns how many RequestVotes f sent; `firings` counts its election timer
// firings.
std::uint64_t campaigns_while_cut_off(bool storage_lost, Warm& w, NodeId f, int& firings) {
  Cluster& c = *w.c;
  std::uint64_t request_votes = 0;
  bool ever_candidate = false;
  c.set_send_observer([&](const Envelope& e) {
    if (e.from == f && is_type(e, RaftMessageType::kRequestVote)) ++request_votes;
  });
  c.set_after_job([&] {
    if (raft(c, f).role() != Raft::Role::kFollower) ever_candidate = true;
  });
  c.crash(f);
  c.run_for(20 * kNsPerMs);
  c.restart(f, storage_lost);
  c.isolate(f);
  const std::uint64_t term = raft(c, f).epoch();
  firings = 0;
  for (int step = 0; step < 300; ++step) {
    const std::optional<TimeNs> due = c.timer_due(f, Raft::kElectionTimer);
    EXPECT_TRUE(due.has_value()) << "the election timer stays armed";
    c.run_for(10 * kNsPerMs);
    if (due && *due <= c.now()) ++firings;
    if (storage_lost) {
      EXPECT_EQ(raft(c, f).role(), Raft::Role::kFollower);
      EXPECT_EQ(raft(c, f).epoch(), term) << "a catching-up node never starts a term";
    }
  }
  if (storage_lost) {
    EXPECT_FALSE(ever_candidate);
    EXPECT_TRUE(raft(c, f).catching_up());
    EXPECT_EQ(c.chain(f).height(), 0u);
  } else {
    EXPECT_TRUE(ever_candidate);
    EXPECT_GT(raft(c, f).epoch(), term);
  }
  c.set_send_observer(nullptr);
  c.set_after_job(nullptr);
  return request_votes;
}

TEST(RaftAmnesia, CatchingUpNodeNeverStartsAnElectionEvenWhenItsTimerFires) {
  {
    Warm w = warm_cluster(3, 11);
    const NodeId f = follower_of(w);
    int firings = 0;
    EXPECT_EQ(campaigns_while_cut_off(/*storage_lost=*/true, w, f, firings), 0u);
    EXPECT_GE(firings, 8) << "its election timer fired repeatedly (every 150-300 ms)";
    // Reconnected, it catches up from the leader, which it never disturbed.
    Cluster& c = *w.c;
    const std::uint64_t leader_term = raft(c, w.leader).epoch();
    c.heal();
    ASSERT_TRUE(c.run_until(
        [&] {
          return !raft(c, f).catching_up() && c.chain(f).height() == c.chain(w.leader).height();
        },
        c.now() + 2 * kNsPerSec));
    EXPECT_TRUE(raft(c, w.leader).is_leader());
    EXPECT_EQ(raft(c, w.leader).epoch(), leader_term);
    expect_holds_committed_prefix(c, f, w.leader);
    expect_safe(c);
  }
  {
    // Control: with its log kept, the cut-off node does campaign.
    Warm w = warm_cluster(3, 11);
    int firings = 0;
    EXPECT_GT(campaigns_while_cut_off(/*storage_lost=*/false, w, follower_of(w), firings), 0u);
  }
}

TEST(RaftAmnesia, ElectionDuringCatchUpGetsNoVoteFromTheAmnesiacNode) {
  Warm w = warm_cluster(5, 17);
  Cluster& c = *w.c;
  const NodeId old_leader = w.leader;
  const NodeId f = follower_of(w);
  const std::uint64_t old_term = raft(c, old_leader).epoch();

  c.crash(f);
  submit_load(c, old_leader, 5000, 8);
  c.run_for(50 * kNsPerMs);
  c.restart(f, /*storage_lost=*/true);
  ASSERT_TRUE(raft(c, f).catching_up());

  // Watch f: every vote it sends, every RequestVote it receives, its role after every job.
  std::map<std::uint64_t, int> votes_granted_by_f;  // by term
  std::uint64_t votes_refused_by_f = 0;
  std::uint64_t request_votes_to_f = 0;
  bool f_left_follower = false;
  c.set_send_observer([&](const Envelope& e) {
    if (e.from == f && is_type(e, RaftMessageType::kVote)) {
      const auto v = decode_vote(e.msg.view());
      ASSERT_TRUE(v);
      if (v->granted) {
        ++votes_granted_by_f[v->term];
      } else {
        ++votes_refused_by_f;
      }
    }
    if (e.to == f && is_type(e, RaftMessageType::kRequestVote)) ++request_votes_to_f;
  });
  std::set<std::uint64_t> terms_while_catching_up;
  bool voted_while_catching_up = false;
  c.set_after_job([&] {
    if (raft(c, f).role() != Raft::Role::kFollower) f_left_follower = true;
    if (raft(c, f).catching_up()) {
      terms_while_catching_up.insert(raft(c, f).epoch());
      if (raft(c, f).epoch() > old_term && raft(c, f).voted_for()) voted_while_catching_up = true;
    }
  });

  // f hears nothing from any leader (it stays behind), and the leader is cut off: the other three
  // (a majority of five without f) elect a new leader.
  c.set_drop_filter(
      [&](const Envelope& e) { return e.to == f && is_type(e, RaftMessageType::kAppendEntries); });
  c.isolate(old_leader);
  ASSERT_TRUE(c.run_until(
      [&] {
        const auto l = c.leader();
        return l && *l != old_leader && raft(c, *l).epoch() > old_term &&
               raft(c, *l).commit_index() > c.chain(old_leader).height();
      },
      c.now() + 5 * kNsPerSec));
  const NodeId new_leader = *c.leader();
  EXPECT_NE(new_leader, f);
  EXPECT_TRUE(raft(c, f).catching_up());
  EXPECT_GT(request_votes_to_f, 0u) << "f was asked for its vote";
  EXPECT_GT(votes_refused_by_f, 0u);
  EXPECT_TRUE(votes_granted_by_f.empty())
      << "f granted a vote in term " << votes_granted_by_f.begin()->first;
  EXPECT_FALSE(voted_while_catching_up);
  EXPECT_FALSE(raft(c, f).voted_for().has_value());
  EXPECT_GT(raft(c, f).epoch(), old_term) << "f followed the election's terms";
  EXPECT_FALSE(f_left_follower);
  EXPECT_EQ(c.chain(f).height(), 0u);

  // Let replication reach f and reconnect the old leader: f catches up from the new leader and
  // every chain agrees.
  c.set_drop_filter(nullptr);
  c.heal();
  submit_load(c, new_leader, 6000, 5);
  ASSERT_TRUE(c.run_until(
      [&] {
        const auto l = c.leader();
        if (!l || raft(c, f).catching_up()) return false;
        for (NodeId n = 0; n < c.size(); ++n) {
          if (c.chain(n).height() != c.chain(*l).height()) return false;
        }
        return true;
      },
      c.now() + 5 * kNsPerSec));
  EXPECT_FALSE(f_left_follower);
  EXPECT_TRUE(votes_granted_by_f.empty());
  const NodeId leader = *c.leader();
  expect_holds_committed_prefix(c, f, leader);
  EXPECT_TRUE(c.chains_identical());
  EXPECT_FALSE(raft(c, old_leader).is_leader());
  EXPECT_FALSE(terms_while_catching_up.empty());
  expect_safe(c);
  c.set_send_observer(nullptr);
  c.set_after_job(nullptr);
}

}  // namespace
}  // namespace hlsim::testing
