// HotStuff under crash faults: a leader crash (the pacemaker's view change, HotStuff §4.4), a
// validator restarting with or without its storage (catch-up by fetching blocks under a QC), and
// the idle rule (no timers, no messages when there is nothing to order).
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "consensus/hotstuff/hotstuff_test_util.h"

namespace hlsim::testing {
namespace {

std::vector<Hash256> chain_hashes(const Chain& chain) {
  std::vector<Hash256> out;
  for (const BlockRef& b : chain.blocks()) out.push_back(b->hash);
  return out;
}

bool is_prefix(const std::vector<Hash256>& prefix, const Chain& chain) {
  if (prefix.size() > chain.height()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (chain.at(i + 1)->hash != prefix[i]) return false;
  }
  return true;
}

std::vector<NodeId> up_nodes(const Cluster& c) {
  std::vector<NodeId> out;
  for (NodeId n = 0; n < c.size(); ++n) {
    if (c.is_up(n)) out.push_back(n);
  }
  return out;
}

TEST(HotStuffFault, LeaderCrashViewChangeKeepsCommittedBlocksAndCommitsWithinTheTimeout) {
  for (std::uint32_t nodes : {4u, 7u}) {
    SCOPED_TRACE("n = " + std::to_string(nodes));
    auto c = make_hotstuff_cluster(nodes, 11);
    c->start();
    std::vector<Hash256> before = submit_batch(*c, 0, 0, 10);
    c->run_for(200 * kNsPerMs);
    ASSERT_TRUE(all_committed(*c, all_nodes(*c), {before.begin(), before.end()}));
    const std::vector<Hash256> committed = chain_hashes(c->chain(0));
    // The leader of the current view crashes just as new work arrives.
    const NodeId leader = hs(*c, 0).leader_of(hs(*c, 0).epoch());
    const std::uint64_t view = hs(*c, 0).epoch();
    c->crash(leader);
    const TimeNs crash_ns = c->now();
    const NodeId gateway = (leader + 1) % nodes;
    std::vector<Hash256> after = submit_batch(*c, gateway, 100, 10, 1);
    const std::size_t commits_before = c->commits().size();
    const std::vector<NodeId> live = up_nodes(*c);
    ASSERT_TRUE(c->run_until(
        [&] {
          return all_committed(*c, live, {after.begin(), after.end()});
        },
        c->now() + 10 * kNsPerSec));
    // A view change happened: live nodes are past the crashed leader's view.
    for (NodeId n : live) EXPECT_GT(hs(*c, n).epoch(), view) << n;
    // Nothing committed before the crash was lost or changed.
    for (NodeId n : live) EXPECT_TRUE(is_prefix(committed, c->chain(n))) << n;
    // Bound: the crashed leader's view times out (base view timeout, no back-off before it),
    // then the next leader recovers the QC from the new-views and proposes, and the new
    // transactions need three more views to commit: gossip interval + timeout + 10 one-way delays.
    ASSERT_GT(c->commits().size(), commits_before);
    const TimeNs first = c->commits()[commits_before].time_ns;
    const HotStuffParams p;
    EXPECT_LE(first - crash_ns, p.mempool_gossip_ns + p.view_timeout_ns + 10 * kNsPerMs);
    expect_safe(*c, live);
  }
}

TEST(HotStuffFault, IdleClusterHasNoTimersAndSendsNothing) {
  auto c = make_hotstuff_cluster(4, 3);
  c->start();
  std::vector<Hash256> ids = submit_batch(*c, 2, 0, 3);
  c->run_for(100 * kNsPerMs);
  ASSERT_TRUE(all_committed(*c, all_nodes(*c), {ids.begin(), ids.end()}));
  // Let the regossip timer (armed while transactions were pending) run out once.
  c->run_for(2 * kNsPerSec);
  const std::uint64_t sent = total_sent(*c);
  for (NodeId n = 0; n < 4; ++n) {
    EXPECT_EQ(c->live_timers(n, HotStuff::kViewTimer), 0u) << n;
    EXPECT_EQ(c->live_timers(n, HotStuff::kRegossipTimer), 0u) << n;
    EXPECT_EQ(c->live_timers(n, HotStuff::kGossipTimer), 0u) << n;
    EXPECT_EQ(c->live_timers(n, HotStuff::kFetchTimer), 0u) << n;
    EXPECT_TRUE(hs(*c, n).mempool().empty()) << n;
  }
  const std::uint64_t view = hs(*c, 0).epoch();
  c->run_for(60 * kNsPerSec);
  EXPECT_EQ(total_sent(*c), sent);
  EXPECT_EQ(hs(*c, 0).epoch(), view);
  // The next transaction wakes it up.
  std::vector<Hash256> more = submit_batch(*c, 0, 10, 1);
  ASSERT_TRUE(c->run_until(
      [&] {
        return all_committed(*c, all_nodes(*c), {more.begin(), more.end()});
      },
      c->now() + kNsPerSec));
  expect_safe(*c);
}

// Restarts `node` after it missed part of the run; with `storage_lost` it comes back with an empty
// chain and must catch up by fetching blocks (proven by the QC above them).
void restart_and_catch_up(bool storage_lost, bool busy_after) {
  auto c = make_hotstuff_cluster(4, storage_lost ? 21 : 22);
  c->start();
  std::vector<Hash256> ids = submit_batch(*c, 0, 0, 5);
  c->run_for(100 * kNsPerMs);
  const NodeId node = 3;
  const std::uint64_t last_voted = hs(*c, node).core().last_voted_view();
  const auto lock = hs(*c, node).core().lock();
  c->crash(node);
  for (int k = 0; k < 6; ++k) {
    auto more = submit_batch(*c, static_cast<NodeId>(k % 3), 100 + 10 * k, 4, 1);
    ids.insert(ids.end(), more.begin(), more.end());
    c->run_for(50 * kNsPerMs);
  }
  ASSERT_GT(c->chain(0).height(), c->chain(node).height());
  c->restart(node, storage_lost);
  // Hard state kept: the last voted view and the lock.
  EXPECT_EQ(hs(*c, node).core().last_voted_view(), last_voted);
  EXPECT_EQ(hs(*c, node).core().lock().hash, lock.hash);
  EXPECT_GT(hs(*c, node).epoch(), last_voted);
  if (storage_lost) {
    EXPECT_EQ(c->chain(node).height(), 0u);
  }
  if (busy_after) {
    auto more = submit_batch(*c, 1, 1000, 4, 2);
    ids.insert(ids.end(), more.begin(), more.end());
  }
  // Every transaction (also those committed while it was down) reaches its ledger.
  ASSERT_TRUE(c->run_until(
      [&] {
        return all_committed(*c, all_nodes(*c), {ids.begin(), ids.end()});
      },
      c->now() + 5 * kNsPerSec))
      << "node " << node << " height " << c->chain(node).height() << " vs " << c->chain(0).height();
  EXPECT_GT(c->sent(kFetch), 0u);
  expect_safe(*c);
  // And it takes part normally again.
  auto last = submit_batch(*c, node, 5000, 3, 3);
  ASSERT_TRUE(c->run_until(
      [&] {
        return all_committed(*c, all_nodes(*c), {last.begin(), last.end()});
      },
      c->now() + 5 * kNsPerSec));
  expect_safe(*c);
}

TEST(HotStuffFault, RestartWithStorageLostCatchesUpWhileIdle) { restart_and_catch_up(true, false); }
TEST(HotStuffFault, RestartWithStorageLostCatchesUpUnderLoad) { restart_and_catch_up(true, true); }
TEST(HotStuffFault, RestartWithDurableStorageCatchesUp) { restart_and_catch_up(false, false); }

}  // namespace
}  // namespace hlsim::testing
