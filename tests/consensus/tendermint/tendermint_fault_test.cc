// Tendermint under crashes and partitions: a crashed proposer costs one round (timeoutPropose,
// then timeoutPrecommit) and nothing committed is lost or changed; a validator that comes back
// (with or without its chain) catches up from commit certificates; a healed partition resumes by
// re-sent votes and round skipping.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

#include "consensus/tendermint/tendermint_test_util.h"

namespace hlsim::testing {
namespace {

std::vector<Hash256> hashes(const Chain& chain) {
  std::vector<Hash256> out;
  for (const BlockRef& b : chain.blocks()) out.push_back(b->hash);
  return out;
}

bool is_prefix(const std::vector<Hash256>& a, const std::vector<Hash256>& b) {
  return a.size() <= b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// Line 57 / 65: the proposer of the next height crashes; the others wait timeoutPropose(0),
// prevote nil (2f+1 nil prevotes: precommit nil at once, line 44), wait timeoutPrecommit(0) and
// decide in round 1 under the next proposer. The first commit after the crash comes within
// timeout_commit + timeoutPropose(0) + timeoutPrecommit(0) + a few delays.
TEST(TendermintFault, CrashedProposerCostsOneRoundAndLosesNothing) {
  auto c = make_tm_cluster(TmClusterSpec{4, 5, kNsPerMs, 0, {}, {}});  // empty blocks on
  const TendermintParams& params = tm(*c, 0).params();
  c->start();
  struct Submitted {
    Hash256 id;
    NodeId gateway;
    TimeNs at;
  };
  std::vector<Submitted> submitted;
  std::uint64_t nonce = 0;
  auto load = [&](TimeNs until) {
    while (c->now() < until) {
      const auto gateway = static_cast<NodeId>(nonce % 4);
      if (c->is_up(gateway)) {
        const TxRef tx = c->make_tx(1, nonce);
        submitted.push_back({tx->id, gateway, c->now()});
        c->submit(gateway, tx);
      }
      ++nonce;
      c->run_for(100 * kNsPerMs);
    }
  };
  load(4500 * kNsPerMs);
  const Height before = c->chain(0).height();
  ASSERT_GE(before, 4u);
  // Crash the proposer of the next height's round 0 just after the current height is decided.
  ASSERT_TRUE(c->run_until([&] { return c->chain(0).height() == before + 1; }, 10 * kNsPerSec));
  const Height next = before + 2;
  const NodeId victim = proposer(next, 0, 4);
  const std::vector<Hash256> committed = hashes(c->chain(victim));
  const TimeNs crash_at = c->now();
  c->crash(victim);
  load(crash_at + 12 * kNsPerSec);

  // Height `next` was decided in round 1, by proposer(next, 1), within the bound.
  const NodeId survivor = (victim + 1) % 4;
  ASSERT_GE(c->chain(survivor).height(), next);
  EXPECT_EQ(c->chain(survivor).at(next)->header.epoch, 1u);
  EXPECT_EQ(c->chain(survivor).at(next)->header.proposer, proposer(next, 1, 4));
  TimeNs first_after = 0;
  for (const CommitRecord& r : c->commits()) {
    if (r.node == survivor && r.height == next) first_after = r.time_ns;
  }
  const TimeNs bound = params.timeout_commit_ns + round_timeout(params, TimeoutKind::kPropose, 0) +
                       round_timeout(params, TimeoutKind::kPrecommit, 0) + 10 * kNsPerMs;
  EXPECT_GT(first_after, crash_at);
  EXPECT_LE(first_after - crash_at, bound);
  bool noted = false;
  for (const LeaderNote& n : c->leader_notes()) {
    noted |= n.epoch == view_number(next, 1) && n.leader == proposer(next, 1, 4);
  }
  EXPECT_TRUE(noted);

  // Nothing committed before the crash was lost or changed, and every transaction a live gateway
  // accepted was committed by every live validator. (The victim's own transactions were gossiped
  // within mempool_gossip of their arrival: only those younger than that at the crash are lost.)
  std::vector<NodeId> live;
  for (NodeId n = 0; n < 4; ++n) {
    if (n == victim) continue;
    live.push_back(n);
    EXPECT_TRUE(is_prefix(committed, hashes(c->chain(n)))) << n;
  }
  HashSet must;
  for (const Submitted& s : submitted) {
    if (s.gateway != victim || s.at + params.mempool_gossip_ns < crash_at) must.insert(s.id);
  }
  EXPECT_TRUE(
      c->run_until([&] { return all_committed(*c, live, must); }, c->now() + 10 * kNsPerSec));
  expect_safe(*c);

  // The victim comes back with its chain and catches up (fetch / commit-sync), then takes part.
  c->restart(victim, /*storage_lost=*/false);
  ASSERT_TRUE(c->run_until([&] { return c->chain(victim).height() >= c->chain(survivor).height(); },
                           c->now() + 10 * kNsPerSec));
  EXPECT_TRUE(is_prefix(committed, hashes(c->chain(victim))));
  expect_safe(*c);
}

// Every transaction submitted to a live validator while one validator is down is committed, in
// one order, exactly once, by every live validator; the crashed one gets them all on its return.
TEST(TendermintFault, TransactionsToLiveGatewaysCommitWhileAValidatorIsDown) {
  auto c = make_quiet_cluster(4, 9);
  c->start();
  c->crash(2);
  HashSet ids;
  for (std::uint64_t i = 0; i < 40; ++i) {
    const TxRef tx = c->make_tx(static_cast<ClientId>(i % 4), i);
    const NodeId gateway = static_cast<NodeId>(i % 4 == 2 ? 3 : i % 4);
    ids.insert(tx->id);
    c->submit_at(static_cast<TimeNs>(i) * 200 * kNsPerMs, gateway, tx);
  }
  ASSERT_TRUE(c->run_until([&] { return all_committed(*c, {0, 1, 3}, ids); }, 120 * kNsPerSec));
  c->restart(2, /*storage_lost=*/true);
  ASSERT_TRUE(c->run_until([&] { return all_committed(*c, all_nodes(*c), ids); },
                           c->now() + 60 * kNsPerSec));
  EXPECT_EQ(c->committed_tx_ids(0).size(), ids.size());  // once each (the harness checks too)
  for (NodeId n = 1; n < 4; ++n) EXPECT_EQ(c->committed_tx_ids(n), c->committed_tx_ids(0));
  expect_safe(*c);
}

// A partition with no quorum on either side stalls every round (no 2f+1 votes anywhere, and the
// votes sent meanwhile are lost). After it heals, the stalled validators re-send their votes
// (gossip_retry) and skip to the highest round of f+1 validators (line 55): the height is decided.
TEST(TendermintFault, HealedPartitionResumesThroughResentVotesAndRoundSkipping) {
  auto c = make_tm_cluster(TmClusterSpec{4, 13, kNsPerMs, kNsPerMs, {}, {}});
  c->start();
  ASSERT_TRUE(c->run_until([&] { return c->chain(0).height() >= 2; }, 10 * kNsPerSec));
  c->partition({{0, 1}, {2, 3}});
  const Height stuck = c->chain(0).height();
  c->run_for(20 * kNsPerSec);
  for (NodeId n = 0; n < 4; ++n) EXPECT_LE(c->chain(n).height(), stuck + 1) << n;
  c->heal();
  ASSERT_TRUE(c->run_until(
      [&] {
        for (NodeId n = 0; n < 4; ++n) {
          if (c->chain(n).height() < stuck + 3) return false;
        }
        return true;
      },
      c->now() + 60 * kNsPerSec));
  expect_safe(*c);
}

// Storage lost: the restarted validator keeps only its hard state (height, round, step, lock,
// valid value, signed votes), starts with an empty chain, and neither votes nor proposes until
// certified blocks bring its chain back to its kept height.
TEST(TendermintFault, AmnesiacValidatorCatchesUpFromCertificatesBeforeVotingAgain) {
  auto c = make_tm_cluster(TmClusterSpec{4, 21, kNsPerMs, 0, {}, {}});
  c->start();
  ASSERT_TRUE(c->run_until([&] { return c->chain(3).height() >= 6; }, 20 * kNsPerSec));
  c->run_for(500 * kNsPerMs);  // inside a commit wait
  const Height kept = tm(*c, 3).height();
  const Round kept_round = tm(*c, 3).round();
  const std::vector<Hash256> before = hashes(c->chain(3));
  c->crash(3);
  c->run_for(3 * kNsPerSec);
  c->restart(3, /*storage_lost=*/true);

  // Hard state kept, chain gone: catching up, asking a peer for blocks from height 1.
  EXPECT_EQ(c->chain(3).height(), 0u);
  EXPECT_EQ(tm(*c, 3).height(), kept);
  EXPECT_EQ(tm(*c, 3).round(), kept_round);
  EXPECT_TRUE(tm(*c, 3).catching_up());
  bool asked = false;
  for (const Envelope& e : c->in_flight()) {
    if (e.from == 3 && is_type(e, TendermintMessageType::kFetch)) {
      asked = true;
      EXPECT_EQ(decode_fetch(e.msg.view()), std::optional<Height>(1));
    }
  }
  EXPECT_TRUE(asked);
  // No vote from node 3 until its chain is back at the kept height.
  bool voted_early = false;
  c->set_send_observer([&](const Envelope& e) {
    if (e.from == 3 && (is_type(e, TendermintMessageType::kPrevote) ||
                        is_type(e, TendermintMessageType::kPrecommit))) {
      voted_early |= c->chain(3).height() + 1 < kept;
    }
  });
  ASSERT_TRUE(c->run_until(
      [&] { return c->chain(3).height() >= c->chain(0).height() && !tm(*c, 3).catching_up(); },
      c->now() + 10 * kNsPerSec));
  EXPECT_FALSE(voted_early);
  EXPECT_TRUE(is_prefix(before, hashes(c->chain(3))));
  // Every block it re-committed came with a certificate it verified: it can serve them in turn.
  for (Height h = 1; h <= c->chain(3).height(); ++h) {
    ASSERT_NE(tm(*c, 3).sync().certificate(h), nullptr) << h;
    EXPECT_GE(tm(*c, 3).sync().certificate(h)->precommits.size(), 3u);
  }
  c->run_for(5 * kNsPerSec);
  EXPECT_TRUE(c->chains_identical() || c->divergence().empty());
  expect_safe(*c);
}

// A forged certificate never commits: commit-sync messages whose precommits are too few, for
// another block, or badly signed are ignored.
TEST(TendermintFault, ForgedCommitCertificatesAreIgnored) {
  auto c = make_quiet_cluster(4, 3);
  c->start();
  c->submit(1, c->make_tx(1, 0));
  ASSERT_TRUE(c->run_until([&] { return c->chain(0).height() == 1; }, 5 * kNsPerSec));
  // A real block 2 made by node 2 (the proposer of height 2), never decided.
  const BlockRef block =
      seal_block(2, c->chain(0).head_hash(), 2, 0, c->now(), {}, SigningKey::derive(3, "node-2"));
  const Bytes encoded = block->encode();
  auto precommit = [&](NodeId voter, const Hash256& hash, bool corrupt) {
    SignedVote v;
    v.kind = static_cast<std::uint8_t>(VoteKind::kPrecommit);
    v.height = 2;
    v.epoch = 0;
    v.block_hash = hash;
    v.voter = voter;
    sign_vote(v, SigningKey::derive(3, "node-" + std::to_string(voter)));
    if (corrupt) v.signature.bytes[v.signature.size - 1] ^= 1;
    return v;
  };
  const std::vector<std::vector<SignedVote>> forged = {
      {precommit(1, block->hash, false), precommit(2, block->hash, false)},  // 2 < 2f+1
      {precommit(1, block->hash, false), precommit(2, block->hash, false),
       precommit(1, block->hash, false)},  // a voter twice
      {precommit(1, Hash256{}, false), precommit(2, Hash256{}, false),
       precommit(3, Hash256{}, false)},  // nil precommits
      {precommit(1, block->hash, false), precommit(2, block->hash, false),
       precommit(3, block->hash, true)},  // one bad signature
  };
  for (const auto& votes : forged) {
    CommitSync m;
    m.sender_height = 2;
    m.block = encoded;
    m.precommits = votes;
    c->inject(1, 0, encode_commit_sync(m));
  }
  c->run_for(100 * kNsPerMs);
  EXPECT_EQ(c->chain(0).height(), 1u);
  // The genuine article does commit: three valid precommits.
  CommitSync m;
  m.sender_height = 2;
  m.block = encoded;
  m.precommits = {precommit(1, block->hash, false), precommit(2, block->hash, false),
                  precommit(3, block->hash, false)};
  c->inject(1, 0, encode_commit_sync(m));
  c->run_for(100 * kNsPerMs);
  EXPECT_EQ(c->chain(0).height(), 2u);
  EXPECT_EQ(c->chain(0).at(2)->hash, block->hash);
  EXPECT_TRUE(c->violations().empty());
}

}  // namespace
}  // namespace hlsim::testing
