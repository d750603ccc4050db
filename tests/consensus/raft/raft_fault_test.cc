// Raft under faults: leader crash and restart, isolated and lagging followers, a partitioned
// stale leader, and malformed or tampered input.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "consensus/raft/raft_test_util.h"

namespace hlsim::testing {
namespace {

bool has_committed_all(const Cluster& c, NodeId n, const std::set<Hash256>& ids) {
  const std::vector<Hash256> got = c.committed_tx_ids(n);
  const std::set<Hash256> s(got.begin(), got.end());
  return std::includes(s.begin(), s.end(), ids.begin(), ids.end());
}

std::vector<Hash256> chain_hashes(const Chain& chain) {
  std::vector<Hash256> out;
  for (const BlockRef& b : chain.blocks()) out.push_back(b->hash);
  return out;
}

TEST(RaftFaults, Section5_2_LeaderCrashLosesNothingALiveNodeAccepted) {
  const RaftParams params;
  auto c = make_raft_cluster(5, 21, params);
  bool timers_ok = true;
  c->set_after_job([&] {
    for (NodeId n = 0; n < c->size(); ++n) {
      if (c->live_timers(n, Raft::kElectionTimer) > 1) timers_ok = false;
    }
  });
  c->start();
  Rng rng(5);
  const TimeNs crash_at = 600 * kNsPerMs;
  std::optional<NodeId> crashed;
  std::uint64_t crashed_term = 0;
  std::vector<std::vector<Hash256>> chains_at_crash;
  std::vector<std::pair<Hash256, NodeId>> accepted;  // (transaction, the node it was given to)
  for (std::uint64_t i = 0; i < 1200; ++i) {
    c->run_until(static_cast<TimeNs>(i) * kNsPerMs);
    if (!crashed && c->now() >= crash_at) {
      ASSERT_TRUE(c->leader());
      crashed = *c->leader();
      crashed_term = raft(*c, *crashed).epoch();
      for (NodeId n = 0; n < 5; ++n) chains_at_crash.push_back(chain_hashes(c->chain(n)));
      c->crash(*crashed);
    }
    NodeId target = static_cast<NodeId>(rng.next_below(5));
    while (!c->is_up(target)) target = static_cast<NodeId>(rng.next_below(5));
    const TxRef tx = c->make_tx(static_cast<ClientId>(i % 7), i);
    c->submit(target, tx);
    accepted.emplace_back(tx->id, target);
  }
  ASSERT_TRUE(crashed);
  // Transactions handed to the crashed node before it crashed may be lost with it; everything
  // accepted by a node that stayed up must commit.
  std::set<Hash256> must_commit;
  for (const auto& [id, node] : accepted) {
    if (node != *crashed) must_commit.insert(id);
  }
  ASSERT_GT(must_commit.size(), 900u);

  // A new leader of a higher term, within the election timeout bounds after the crash.
  const LeaderNote* next = nullptr;
  for (const LeaderNote& note : c->leader_notes()) {
    if (note.epoch > crashed_term && note.leader != *crashed) {
      next = &note;
      break;
    }
  }
  ASSERT_NE(next, nullptr);
  EXPECT_GE(next->time_ns - crash_at, params.election_timeout_min_ns - params.heartbeat_ns);
  EXPECT_LE(next->time_ns - crash_at, params.election_timeout_max_ns + 10 * kNsPerMs);

  std::vector<NodeId> live;
  for (NodeId n = 0; n < 5; ++n) {
    if (n != *crashed) live.push_back(n);
  }
  ASSERT_TRUE(c->run_until(
      [&] {
        return std::all_of(live.begin(), live.end(),
                           [&](NodeId n) { return has_committed_all(*c, n, must_commit); });
      },
      c->now() + 10 * kNsPerSec));
  c->run_for(200 * kNsPerMs);
  for (NodeId n : live) EXPECT_EQ(chain_hashes(c->chain(n)), chain_hashes(c->chain(live[0])));

  // The old leader restarts and catches up to the same chain.
  c->restart(*crashed);
  ASSERT_TRUE(c->run_until([&] { return c->chains_identical(); }, c->now() + 5 * kNsPerSec));
  // Nothing committed before the crash was lost or reordered on any node.
  const std::vector<Hash256> final_chain = chain_hashes(c->chain(0));
  for (NodeId n = 0; n < 5; ++n) {
    const auto& before = chains_at_crash[n];
    ASSERT_LE(before.size(), final_chain.size());
    EXPECT_TRUE(std::equal(before.begin(), before.end(), final_chain.begin())) << n;
  }
  EXPECT_TRUE(timers_ok);
  expect_safe(*c);
}

TEST(RaftFaults, Section5_3_IsolatedFollowerCatchesUpAfterHeal) {
  RaftParams params;
  params.max_block_tx = 5;
  auto c = make_raft_cluster(5, 22, params);
  c->start();
  ASSERT_TRUE(run_until_stable_leader(*c, 2 * kNsPerSec));
  const NodeId leader = *c->leader();
  const NodeId isolated = (leader + 2) % 5;
  c->isolate(isolated);
  std::set<Hash256> ids;
  for (std::uint64_t i = 0; i < 300; ++i) {
    const TxRef tx = c->make_tx(1, i);
    ids.insert(tx->id);
    NodeId target = static_cast<NodeId>(i % 5);
    if (target == isolated) target = leader;
    c->submit_at(c->now() + static_cast<TimeNs>(i) * kNsPerMs, target, tx);
  }
  c->run_for(1500 * kNsPerMs);
  // More than max_append_blocks blocks behind.
  ASSERT_GE(c->chain(leader).height(), c->chain(isolated).height() + 2 * params.max_append_blocks);
  EXPECT_TRUE(has_committed_all(*c, leader, ids));

  c->heal();
  ASSERT_TRUE(c->run_until([&] { return c->chains_identical(); }, c->now() + 5 * kNsPerSec));
  EXPECT_TRUE(has_committed_all(*c, isolated, ids));
  expect_safe(*c);
}

TEST(RaftFaults, Section5_3_FollowerMissingEntriesIsRepairedByNextIndexBackOff) {
  RaftParams params;
  params.max_block_tx = 4;
  params.max_append_blocks = 4;
  auto c = make_raft_cluster(3, 23, params);
  c->start();
  ASSERT_TRUE(run_until_stable_leader(*c, 2 * kNsPerSec));
  const NodeId leader = *c->leader();
  const std::uint64_t term = raft(*c, leader).epoch();
  const NodeId lagging = (leader + 1) % 3;
  // Heartbeats reach the follower, so it keeps following; entries do not.
  c->set_drop_filter([&](const Envelope& e) {
    auto m = as_append(e);
    return e.to == lagging && m && !m->entries.empty();
  });
  std::uint64_t rejections = 0;
  c->set_send_observer([&](const Envelope& e) {
    if (e.from != lagging || !is_type(e, RaftMessageType::kAppendReply)) return;
    auto r = decode_append_reply(e.msg.view());
    if (r && !r->success) ++rejections;
  });
  for (std::uint64_t i = 0; i < 200; ++i) c->submit(leader, c->make_tx(2, i));
  c->run_for(500 * kNsPerMs);
  const Height behind = c->chain(leader).height() - c->chain(lagging).height();
  EXPECT_GE(behind, 40u);
  EXPECT_GT(rejections, 0u);

  c->set_drop_filter(nullptr);
  ASSERT_TRUE(c->run_until([&] { return c->chains_identical(); }, c->now() + 2 * kNsPerSec));
  // Repaired by the same leader, in the same term: no election was needed.
  EXPECT_EQ(*c->leader(), leader);
  EXPECT_EQ(raft(*c, lagging).epoch(), term);
  EXPECT_EQ(raft(*c, lagging).log().last_index(), raft(*c, leader).log().last_index());
  expect_safe(*c);
}

TEST(RaftFaults, Section5_4_PartitionedStaleLeaderStepsDownAndItsEntriesAreReplaced) {
  RaftParams params;
  params.max_block_tx = 2;
  auto c = make_raft_cluster(5, 24, params);
  c->start();
  ASSERT_TRUE(run_until_stable_leader(*c, 2 * kNsPerSec));
  c->run_for(200 * kNsPerMs);
  const NodeId stale = *c->leader();
  const std::uint64_t stale_term = raft(*c, stale).epoch();
  const Height committed = raft(*c, stale).commit_index();
  ASSERT_EQ(committed, raft(*c, stale).log().last_index());  // everything so far is on all
  c->isolate(stale);

  // The stale leader keeps accepting (and sealing) transactions it can never commit.
  std::set<Hash256> to_stale, to_majority;
  for (std::uint64_t i = 0; i < 20; ++i) {
    const TxRef tx = c->make_tx(3, i);
    to_stale.insert(tx->id);
    c->submit(stale, tx);
  }
  const Height stale_last = raft(*c, stale).log().last_index();
  ASSERT_GE(stale_last, committed + 10);
  std::map<Height, Hash256> stale_entries;
  for (Height h = committed + 1; h <= stale_last; ++h) {
    stale_entries[h] = raft(*c, stale).log().hash_at(h);
  }
  for (std::uint64_t i = 0; i < 30; ++i) {
    const TxRef tx = c->make_tx(4, i);
    to_majority.insert(tx->id);
    c->submit_at(c->now() + static_cast<TimeNs>(i) * 10 * kNsPerMs, (stale + 1 + i % 4) % 5, tx);
  }
  c->run_for(1500 * kNsPerMs);
  ASSERT_TRUE(c->leader());
  const NodeId fresh = *c->leader();
  ASSERT_NE(fresh, stale);
  EXPECT_GT(raft(*c, fresh).epoch(), stale_term);
  EXPECT_TRUE(raft(*c, stale).is_leader());  // it cannot know yet
  EXPECT_EQ(raft(*c, stale).commit_index(), committed);
  EXPECT_TRUE(has_committed_all(*c, fresh, to_majority));

  c->heal();
  ASSERT_TRUE(
      c->run_until([&] { return c->chains_identical() && has_committed_all(*c, stale, to_stale); },
                   c->now() + 5 * kNsPerSec));
  EXPECT_FALSE(raft(*c, stale).is_leader());
  EXPECT_GT(raft(*c, stale).epoch(), stale_term);
  // Its uncommitted entries were replaced by the new leader's...
  for (const auto& [h, hash] : stale_entries) {
    if (h <= raft(*c, stale).log().last_index()) {
      EXPECT_NE(raft(*c, stale).log().hash_at(h), hash) << h;
    }
  }
  for (const CommitRecord& r : c->commits()) {
    auto it = stale_entries.find(r.height);
    if (it != stale_entries.end()) {
      EXPECT_NE(r.hash, it->second);
    }
  }
  // ...and the transactions its clients gave it were forwarded to the new leader, not lost.
  EXPECT_TRUE(has_committed_all(*c, fresh, to_stale));
  EXPECT_EQ(raft(*c, stale).pending_count(), 0u);
  expect_safe(*c);
}

TEST(RaftFaults, TamperedOrForgedBlocksAreRejectedWithTheWholeMessage) {
  auto c = make_raft_cluster(3, 25);
  c->start();
  ASSERT_TRUE(run_until_stable_leader(*c, 2 * kNsPerSec));
  const NodeId leader = *c->leader();
  for (std::uint64_t i = 0; i < 3; ++i) c->submit(leader, c->make_tx(5, i));
  c->run_for(200 * kNsPerMs);
  const NodeId follower = (leader + 1) % 3;
  Raft& f = raft(*c, follower);
  const Height last = f.log().last_index();
  ASSERT_GE(last, 2u);
  const std::uint64_t term = raft(*c, leader).epoch();
  std::uint64_t rejected_replies = 0;
  c->set_send_observer([&](const Envelope& e) {
    if (e.from != follower || !is_type(e, RaftMessageType::kAppendReply)) return;
    auto r = decode_append_reply(e.msg.view());
    if (r && !r->success) ++rejected_replies;
  });

  // 1. The follower's last entry with one payload byte flipped, resent over its parent.
  Bytes tampered = f.log().at(last)->encode();
  tampered[tampered.size() - 70] ^= 0x01;
  // 2. A well-formed block for the next height, signed by a key nobody registered.
  const SigningKey intruder = SigningKey::derive(25, "intruder");
  const Bytes forged = seal_block(last + 1, f.log().hash_at(last), leader, term, c->now(),
                                  {c->make_tx(6, 0)}, intruder)
                           ->encode();
  // 3. Bytes that are not a block at all, after a valid copy of the follower's last entry.
  const Bytes valid_same = raft(*c, leader).log().at(last)->encode();
  const Bytes garbage = {1, 2, 3, 4, 5};

  const std::uint64_t rejected_blocks = c->blocks_rejected();
  auto send = [&](Height prev, std::vector<ByteView> entries) {
    AppendEntries m{term, leader, prev, f.log().term_at(prev), 0, std::move(entries)};
    c->inject(leader, follower, encode_message(m));
    c->deliver([&](const Envelope& e) { return e.to == follower && e.from == leader; });
  };
  const Hash256 last_hash = f.log().hash_at(last);
  send(last - 1, {ByteView(tampered)});
  send(last, {ByteView(forged)});
  send(last - 1, {ByteView(valid_same), ByteView(garbage)});

  EXPECT_EQ(c->blocks_rejected(), rejected_blocks + 3);
  EXPECT_EQ(rejected_replies, 3u);
  EXPECT_EQ(f.log().last_index(), last);
  EXPECT_EQ(f.log().hash_at(last), last_hash);
  EXPECT_EQ(f.epoch(), term);
  c->run_for(300 * kNsPerMs);
  expect_safe(*c);
}

TEST(RaftFaults, MalformedMessagesOfEveryTypeChangeNothing) {
  auto c = make_raft_cluster(3, 26);
  c->start();
  ASSERT_TRUE(run_until_stable_leader(*c, 2 * kNsPerSec));
  const NodeId leader = *c->leader();
  const NodeId follower = (leader + 1) % 3;
  const std::uint64_t term = raft(*c, follower).epoch();
  const Height last = raft(*c, follower).log().last_index();
  const std::vector<Bytes> bodies = {{}, {0xFF}, Bytes(27, 0xFF), Bytes(300, 0x7F)};
  for (std::uint16_t type = 0; type < 7; ++type) {  // includes unknown types
    for (const Bytes& body : bodies) {
      c->inject(leader, follower, Message::make(type, body));
      c->inject(follower, leader, Message::make(type, body));
    }
  }
  c->deliver();
  EXPECT_EQ(raft(*c, follower).epoch(), term);
  EXPECT_EQ(raft(*c, follower).log().last_index(), last);
  EXPECT_EQ(*c->leader(), leader);
  c->run_for(300 * kNsPerMs);
  EXPECT_EQ(*c->leader(), leader);
  expect_safe(*c);
}

}  // namespace
}  // namespace hlsim::testing
