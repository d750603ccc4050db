// Crash and restart under both ledger storage backends, end to end: with rocksdb the restarted
// node recovers its chain from disk; with memory it starts empty and Raft refetches the chain
// from the leader (state transfer). Either way every chain agrees and nothing is violated.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ledger/storage/temp_dir.h"
#include "sim/results/summary.h"
#include "sim/run/simulation.h"

namespace hlsim {
namespace {

const std::string kDataDir = HLSIM_SOURCE_DIR;

const char* kScenario =
    "seed: 5\nduration_s: 4\ndrain_s: 2\n"
    "consensus: {protocol: raft, nodes: 4}\n"
    "workload: {kind: ehr, clients: 8, rate_tps: 200}\n"
    "network: {topology: full_mesh, latency_ms: 2, jitter: {dist: exponential, mean_ms: 0.3}}\n";

const char* kCrashNode1 =
    "faults:\n"
    "  - {at_s: 1, crash: 1}\n"
    "  - {at_s: 2, restart: 1}\n";

const char* kCrashLeader =
    "faults:\n"
    "  - {at_s: 1, crash: leader}\n"
    "  - {at_s: 2, restart: crashed}\n";

struct Ran {
  std::unique_ptr<Simulation> sim;
  RunOutcome outcome;
};

Ran run(const std::string& yaml, const std::string& storage, const std::string& output) {
  auto sc =
      load_scenario_text(yaml, "restart.yaml", {{"ledger.storage", storage}}, kDataDir, kDataDir);
  EXPECT_TRUE(sc.ok()) << sc.error().message;
  Scenario scenario = sc.value();
  scenario.output_path = output;
  auto sim = Simulation::create(scenario);
  EXPECT_TRUE(sim.ok()) << (sim.ok() ? "" : sim.error().message);
  Ran r{std::move(sim.value()), {}};
  r.outcome = r.sim->run(nullptr, nullptr);
  return r;
}

std::uint64_t bytes_received(const Node& node) {
  std::uint64_t total = 0;
  for (std::uint64_t b : node.counters().bytes_recv) total += b;
  return total;
}

// Complete, no violation, every node at the same height with the same block at every height.
void expect_chains_agree(const Ran& r) {
  ASSERT_TRUE(r.outcome.complete) << r.outcome.stop_reason;
  const RunSummary s = summarize(*r.sim, r.outcome);
  EXPECT_TRUE(s.violations.empty()) << s.violations.front();
  const auto& nodes = r.sim->nodes();
  const Chain& ref = nodes[0]->chain();
  EXPECT_GT(ref.height(), 10u);
  for (const auto& node : nodes) {
    const Chain& c = node->chain();
    EXPECT_FALSE(node->crashed()) << "node " << node->self();
    EXPECT_EQ(c.height(), ref.height()) << "node " << node->self();
    const Height common = std::min(c.height(), ref.height());
    for (Height h = 1; h <= common; ++h) {
      ASSERT_EQ(c.at(h)->hash, ref.at(h)->hash) << "node " << node->self() << " height " << h;
      ASSERT_EQ(c.state_root_at(h), ref.state_root_at(h))
          << "node " << node->self() << " height " << h;
    }
  }
}

class StorageRestartTest : public ::testing::Test {
 protected:
  test_util::TempDir dir_;
};

TEST_F(StorageRestartTest, RocksdbNodeRecoversItsChainFromDiskAndMemoryNodeRefetchesIt) {
  const std::string yaml = std::string(kScenario) + kCrashNode1;
  const std::string output = dir_.sub("rocks.h5");
  const Ran rocks = run(yaml, "rocksdb", output);
  expect_chains_agree(rocks);
  const Node& r1 = *rocks.sim->nodes()[1];
  EXPECT_EQ(r1.counters().crashes, 1u);
  EXPECT_GT(r1.counters().recovered_blocks, 0u) << "node 1 must have recovered blocks from disk";
  EXPECT_EQ(rocks.sim->metrics().recommits(), 0u);
  // Only node 1 restarted, so only it recovered anything; its stores live beside the output.
  for (const auto& node : rocks.sim->nodes()) {
    if (node->self() != 1) {
      EXPECT_EQ(node->counters().recovered_blocks, 0u);
    }
    EXPECT_TRUE(std::filesystem::exists(ledger_dir_for(output) + "/node-" +
                                        std::to_string(node->self()) + "/CURRENT"));
    EXPECT_EQ(node->chain().store().backend(), "rocksdb");
  }

  const Ran mem = run(yaml, "memory", dir_.sub("mem.h5"));
  expect_chains_agree(mem);
  const Node& m1 = *mem.sim->nodes()[1];
  EXPECT_EQ(m1.counters().crashes, 1u);
  EXPECT_EQ(m1.counters().recovered_blocks, 0u);
  EXPECT_EQ(m1.chain().store().backend(), "memory");
  EXPECT_FALSE(std::filesystem::exists(ledger_dir_for(dir_.sub("mem.h5"))));
  // Node 1 was a follower and the leader never changed: the chain came back from the leader that
  // had already seen node 1 acknowledge it before the crash.
  ASSERT_FALSE(mem.sim->metrics().leaders().empty());
  EXPECT_NE(mem.sim->metrics().leaders().front().leader, 1u);
  EXPECT_EQ(mem.sim->metrics().leaders().back().epoch, mem.sim->metrics().leaders().front().epoch);
  // It re-committed the blocks it had before the crash while catching up...
  EXPECT_GT(mem.sim->metrics().recommits(), 0u);
  // Up to the crash both runs are the same simulation (the backend changes no simulated cost), so
  // node 1 held as many blocks at its crash in either: what rocksdb recovered, memory re-commits.
  EXPECT_EQ(mem.sim->metrics().recommits(), r1.counters().recovered_blocks);
  // ...and refetched them: it received more bytes than the node that recovered from disk.
  EXPECT_GT(bytes_received(m1), bytes_received(r1));
  // The others did not lose anything.
  for (NodeId n : {0u, 2u, 3u}) {
    EXPECT_EQ(mem.sim->nodes()[n]->counters().crashes, 0u);
  }
  // Both runs end at comparable heights (same load; the chains themselves differ in timing).
  EXPECT_GT(mem.sim->nodes()[0]->chain().height(), 10u);
}

TEST_F(StorageRestartTest, MemoryStorageLeaderCrashAndRestartKeepsEveryChainInAgreement) {
  const Ran r = run(std::string(kScenario) + kCrashLeader, "memory", dir_.sub("leader.h5"));
  expect_chains_agree(r);
  const auto& leaders = r.sim->metrics().leaders();
  ASSERT_GE(leaders.size(), 2u) << "the crash must have forced a new election";
  const NodeId crashed = leaders.front().leader;
  const Node& n = *r.sim->nodes()[crashed];
  EXPECT_EQ(n.counters().crashes, 1u);
  EXPECT_EQ(n.counters().recovered_blocks, 0u);
  EXPECT_GT(r.sim->metrics().recommits(), 0u) << "the old leader refetched its chain";
  // A later leader of a later term took over.
  EXPECT_GT(leaders.back().epoch, leaders.front().epoch);
  EXPECT_NE(leaders.back().leader, crashed);
}

TEST_F(StorageRestartTest, RocksdbLeaderCrashAndRestartRecoversFromDisk) {
  const Ran r = run(std::string(kScenario) + kCrashLeader, "rocksdb", dir_.sub("rleader.h5"));
  expect_chains_agree(r);
  const auto& leaders = r.sim->metrics().leaders();
  ASSERT_GE(leaders.size(), 2u);
  const Node& n = *r.sim->nodes()[leaders.front().leader];
  EXPECT_EQ(n.counters().crashes, 1u);
  EXPECT_GT(n.counters().recovered_blocks, 0u);
  EXPECT_EQ(r.sim->metrics().recommits(), 0u);
}

}  // namespace
}  // namespace hlsim
