// The run's shared memos, of executed blocks (workloads/execution_memo.h), of decoded blocks
// (Node::decode_block) and of decoded broadcast messages (consensus/shared_decode.h), and votes
// signed ahead on another thread (sim/node/vote_presigner.h), change host work only: a run with
// them and the same run with every validator decoding and executing everything itself simulate
// exactly the same thing, down to every node's state root at every height. Shown for each protocol
// that shares message decodings, for a leader-based protocol whose validators commit at different
// times, with a crashed validator that loses its memory store and re-executes the chain from the
// start on recovery, with a partition that splits proof of authority's sealers for a second, and
// with forged transactions whose failed checks are part of what the execution memo is keyed on.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sim/run/run_fingerprint.h"
#include "sim/run/simulation.h"

namespace hlsim {
namespace {

using test_util::expect_same_run;
using test_util::run_fingerprint;

const std::string kDataDir = HLSIM_SOURCE_DIR;

struct Ran {
  std::unique_ptr<Simulation> sim;
  RunOutcome outcome;
  std::vector<std::string> fingerprint;
};

Ran run(const std::string& text, bool memo) {
  auto sc = load_scenario_text(text, "memo.yaml", {}, kDataDir, kDataDir);
  EXPECT_TRUE(sc.ok()) << sc.error().message;
  auto sim = Simulation::create(sc.value());
  EXPECT_TRUE(sim.ok()) << (sim.ok() ? "" : sim.error().message);
  Ran r{std::move(sim.value()), {}, {}};
  if (memo) {
    r.sim->enable_background_signing();
  } else {
    r.sim->disable_shared_memos();
  }
  r.outcome = r.sim->run(nullptr, nullptr);
  r.fingerprint = run_fingerprint(*r.sim, r.outcome);
  return r;
}

std::string scenario(const std::string& protocol, const std::string& extra,
                     const std::string& consensus_extra = "") {
  return "seed: 5\nduration_s: 4\ndrain_s: 3\n"
         "consensus: {protocol: " +
         protocol + ", nodes: 7" + consensus_extra +
         "}\n"
         "workload: {kind: ehr, clients: 8, rate_tps: 150, forged_fraction: 0.05}\n"
         "ledger: {verify: every-node}\n"
         "network: {topology: full_mesh, latency_ms: 3, jitter: {dist: exponential, mean_ms: "
         "0.5}}\n" +
         extra;
}

void expect_memo_changes_nothing(const std::string& text, bool shares_messages) {
  const Ran with = run(text, true);
  const Ran without = run(text, false);
  ASSERT_TRUE(with.outcome.complete) << with.outcome.stop_reason;
  EXPECT_TRUE(with.sim->safety().violations().empty());
  EXPECT_GT(with.sim->nodes()[0]->chain().height(), 5u);
  // The memos did their work: most validators took another's execution and decoded block...
  const ExecutionMemo& memo = with.sim->shared().execution_memo;
  EXPECT_GT(memo.hits(), 3 * memo.misses());
  // (a block received in a broadcast is taken by the message's identity, Node::decode_block_in;
  // others, such as Raft's entries, by their hash) ...
  const BoundedMemo<BlockRef>& decoded = with.sim->shared().decoded_blocks;
  const MessageDecodeMemo& messages = with.sim->shared().decoded_messages;
  EXPECT_GT(decoded.hits() + messages.hits(), 3 * decoded.misses());
  // ... and, for protocols that broadcast gossip or proposals, another's decoded message ...
  if (shares_messages) {
    EXPECT_GT(messages.hits(), 3 * messages.misses());
  } else {
    EXPECT_EQ(messages.hits() + messages.misses(), 0u);
  }
  // ... and the other run did none.
  EXPECT_EQ(without.sim->shared().execution_memo.hits(), 0u);
  EXPECT_EQ(without.sim->shared().decoded_blocks.hits(), 0u);
  EXPECT_EQ(without.sim->shared().decoded_messages.hits(), 0u);
  expect_same_run(with.fingerprint, without.fingerprint, "with vs without the shared memos");
}

TEST(SharedMemosRunTest, HotStuffWithForgeriesIsTheSameRunWithAndWithoutThem) {
  expect_memo_changes_nothing(scenario("hotstuff", ""), true);
}

TEST(SharedMemosRunTest, PoaThroughAPartitionIsTheSameRunWithAndWithoutThem) {
  expect_memo_changes_nothing(
      scenario("poa",
               "faults:\n  - {at_s: 1, until_s: 2, partition: {groups: {a: [0, 1, 2, 3, 4], b: "
               "[5, 6]}}}\n",
               ", step_duration_ms: 200, mempool_gossip_ms: 50"),
      true);
}

TEST(SharedMemosRunTest, TendermintIsTheSameRunWithAndWithoutThem) {
  expect_memo_changes_nothing(scenario("tendermint", ""), true);
}

TEST(SharedMemosRunTest, PbftIsTheSameRunWithAndWithoutThem) {
  expect_memo_changes_nothing(scenario("pbft", ""), true);
}

TEST(SharedMemosRunTest, RaftWithACrashedLeaderIsTheSameRunWithAndWithoutThem) {
  expect_memo_changes_nothing(
      scenario("raft",
               "faults:\n  - {at_s: 1.5, crash: leader}\n  - {at_s: 3, restart: crashed}\n"),
      false);
}

}  // namespace
}  // namespace hlsim
