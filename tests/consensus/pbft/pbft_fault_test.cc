// PBFT under crashes, restarts (with and without the stored chain) and partitions: the primary
// crashes mid-run, a replica restarts having lost its storage, a replica is cut off for longer
// than the log window. Committed blocks never change, every transaction submitted to a live
// replica commits, and the replicas that fell behind catch up by state transfer.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "consensus/pbft/pbft_test_util.h"

namespace hlsim::testing {
namespace {

bool all_committed(const Cluster& c, const std::vector<NodeId>& nodes,
                   const std::vector<Hash256>& ids) {
  for (NodeId n : nodes) {
    const std::vector<Hash256> got = c.committed_tx_ids(n);
    const std::set<Hash256> set(got.begin(), got.end());
    for (const Hash256& id : ids) {
      if (!set.contains(id)) return false;
    }
  }
  return true;
}

TEST(PbftFault, PrimaryCrashMidRunViewChangesAndLosesNothing) {
  PbftParams params;  // the defaults: view-change timeout 2 s, batch timeout 20 ms
  params.max_block_tx = 10;
  constexpr TimeNs kL = kNsPerMs;
  auto c = make_pbft_cluster(4, 7, params, kL);
  c->start();
  std::vector<Hash256> ids;
  std::uint64_t nonce = 0;
  for (int i = 0; i < 40; ++i) {
    const TxRef tx = c->make_tx(1, nonce++);
    ids.push_back(tx->id);
    c->submit_at(static_cast<TimeNs>(i) * 5 * kNsPerMs, static_cast<NodeId>(i % 4), tx);
  }
  c->run_for(150 * kNsPerMs);  // the primary crashes while transactions still come in
  ASSERT_TRUE(pbft(*c, 0).is_leader());
  const Height before = c->chain(1).height();
  ASSERT_GT(before, 0u);
  std::vector<BlockRef> prefix(c->chain(1).blocks().begin(), c->chain(1).blocks().end());
  c->crash(0);
  const TimeNs t_crash = c->now();
  // Every live replica receives new transactions right after the crash.
  for (int i = 0; i < 12; ++i) {
    const TxRef tx = c->make_tx(2, nonce++);
    ids.push_back(tx->id);
    c->submit(static_cast<NodeId>(1 + i % 3), tx);
  }
  const std::vector<NodeId> live{1, 2, 3};
  std::vector<Hash256> must;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i < 40 && i % 4 == 0) continue;  // submitted to the crashed primary
    must.push_back(ids[i]);
  }
  ASSERT_TRUE(
      c->run_until([&] { return all_committed(*c, live, must); }, t_crash + 30 * kNsPerSec));

  // A new view with a new primary; the blocks committed before the crash are unchanged.
  for (NodeId i : live) {
    EXPECT_GE(pbft(*c, i).view(), 1u);
    for (std::size_t h = 0; h < prefix.size(); ++h) {
      EXPECT_EQ(c->chain(i).at(h + 1)->hash, prefix[h]->hash);
    }
  }
  EXPECT_TRUE(pbft(*c, 1).is_leader());
  // The first commit after the crash: the backups' timers (armed at the latest when the new
  // transactions arrived at t_crash) expire after T, the VIEW-CHANGEs and NEW-VIEW take 2L, the
  // re-forward L, the batch timeout, then 3L for pre-prepare, prepare, commit.
  TimeNs first = -1;
  for (const CommitRecord& r : c->commits()) {
    if (r.time_ns > t_crash && r.height > before && (first < 0 || r.time_ns < first)) {
      first = r.time_ns;
    }
  }
  ASSERT_GT(first, 0);
  EXPECT_LE(first, t_crash + params.view_change_timeout_ns + params.batch_timeout_ns + 10 * kL);
  EXPECT_GE(first, t_crash + params.view_change_timeout_ns);  // nothing commits without a view
  expect_safe(*c);
  EXPECT_EQ(c->divergence(live), "");
}

// Restarts that lose the storage (memory backend): the replica keeps only its hard state (view,
// whether a view change is on, the highest sequence number it signed), fetches the chain with
// finality proofs, and signs nothing until it holds every block it may have voted for.
void run_amnesia(std::uint64_t seed) {
  SCOPED_TRACE("seed=" + std::to_string(seed));
  PbftParams params;
  params.view_change_timeout_ns = 300 * kNsPerMs;
  params.batch_timeout_ns = 10 * kNsPerMs;
  params.max_block_tx = 6;
  params.checkpoint_interval = 4;
  params.log_window = 8;
  params.max_fetch_blocks = 5;
  params.fetch_retry_ns = 40 * kNsPerMs;
  constexpr TimeNs kL = kNsPerMs;
  auto c = make_pbft_cluster(4, seed, params, kL, kL);
  c->start();
  Rng rng = Rng::stream(seed, RngDomain::kScenario, 3);
  const NodeId victim = static_cast<NodeId>(rng.next_below(4));
  std::vector<std::pair<TimeNs, TxRef>> plan;
  for (std::uint64_t i = 0; i < 40; ++i) {
    plan.emplace_back(static_cast<TimeNs>(rng.next_below(1200)) * kNsPerMs, c->make_tx(3, i));
  }
  const TimeNs crash_at = 300 * kNsPerMs;
  const TimeNs restart_at = 700 * kNsPerMs;
  std::vector<Hash256> must;
  std::vector<std::pair<TimeNs, TxRef>> after_restart;  // a crash drops scheduled submissions
  for (const auto& [at, tx] : plan) {
    // Never to the victim while it is down (such submissions are simply lost).
    NodeId to = static_cast<NodeId>(rng.next_below(4));
    if (to == victim && at >= crash_at - 50 * kNsPerMs && at < restart_at) to = (victim + 1) % 4;
    if (to == victim && at >= restart_at) {
      after_restart.emplace_back(at, tx);
    } else {
      c->submit_at(at, to, tx);
    }
    must.push_back(tx->id);
  }
  c->run_until(crash_at);
  const Height voted = pbft(*c, victim).max_voted_seq();
  c->crash(victim);
  c->run_until(restart_at);
  c->restart(victim, /*storage_lost=*/true);
  for (const auto& [at, tx] : after_restart) c->submit_at(at, victim, tx);
  EXPECT_EQ(c->chain(victim).height(), 0u);
  EXPECT_EQ(pbft(*c, victim).recovering(), voted > 0);
  std::vector<NodeId> all{0, 1, 2, 3};
  ASSERT_TRUE(c->run_until(
      [&] {
        if (!all_committed(*c, all, must)) return false;
        for (NodeId i = 1; i < 4; ++i) {
          if (c->chain(i).height() != c->chain(0).height()) return false;
        }
        return true;
      },
      60 * kNsPerSec))
      << "victim " << victim << " heights " << c->chain(0).height() << " " << c->chain(1).height()
      << " " << c->chain(2).height() << " " << c->chain(3).height() << " committed "
      << c->committed_tx_ids(0).size() << " of " << must.size();
  expect_safe(*c);
  EXPECT_FALSE(pbft(*c, victim).recovering());
  EXPECT_GT(c->sent(type_of(PbftMessageType::kFetchReply)), 0u);
}

TEST(PbftFault, RestartWithStorageLostCatchesUpByStateTransfer) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    run_amnesia(seed);
    if (HasFatalFailure()) return;
  }
}

TEST(PbftFault, RestartWithDurableStorageKeepsTheLogAndCatchesUp) {
  PbftParams params = small_params();
  auto c = make_pbft_cluster(4, 9, params);
  c->start();
  std::uint64_t nonce = 0;
  for (int i = 0; i < 8; ++i) c->submit(0, c->make_tx(1, nonce++));
  c->run_for(100 * kNsPerMs);
  ASSERT_EQ(c->chain(2).height(), 2u);
  c->crash(2);
  for (int i = 0; i < 24; ++i) c->submit(0, c->make_tx(1, nonce++));
  c->run_for(500 * kNsPerMs);
  ASSERT_EQ(c->chain(0).height(), 8u);
  c->restart(2);  // the chain and the protocol log survive
  EXPECT_EQ(c->chain(2).height(), 2u);
  EXPECT_EQ(pbft(*c, 2).view(), 0u);
  EXPECT_FALSE(pbft(*c, 2).recovering());
  c->run_for(500 * kNsPerMs);
  EXPECT_EQ(c->chain(2).height(), 8u);
  EXPECT_TRUE(c->chains_identical());
  expect_safe(*c);
}

TEST(PbftFault, ACutOffReplicaFallsBehindTheWindowAndCatchesUpFromCheckpoints) {
  PbftParams params = small_params();  // K = 4, L = 8
  auto c = make_pbft_cluster(4, 10, params);
  c->start();
  c->isolate(3);
  std::uint64_t nonce = 0;
  for (int i = 0; i < 4 * 20; ++i) c->submit(0, c->make_tx(1, nonce++));
  c->run_for(kNsPerSec);
  ASSERT_EQ(c->chain(0).height(), 20u);  // 20 blocks: far beyond node 3's window (L = 8)
  EXPECT_EQ(c->chain(3).height(), 0u);
  c->heal();
  // Block 21 goes out with node 3 connected: its pre-prepare cannot be accepted (no parent), but
  // the checkpoint and commit votes tell it what is final; it fetches the rest.
  for (int i = 0; i < 4; ++i) c->submit(0, c->make_tx(1, nonce++));
  c->run_for(kNsPerSec);
  EXPECT_EQ(c->chain(3).height(), 21u);
  EXPECT_TRUE(c->chains_identical());
  EXPECT_GT(c->sent(type_of(PbftMessageType::kFetch)), 0u);
  expect_safe(*c);
}

}  // namespace
}  // namespace hlsim::testing
