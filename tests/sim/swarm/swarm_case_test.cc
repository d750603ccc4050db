// The generated fuzz cases: a pure function of (protocol, seed, options), always a valid scenario,
// within the protocol's fault bound, with every fault healed by the end of the safety phase; the
// canary breaks the bound exactly by one.
#include "sim/swarm/swarm_case.h"

#include <gtest/gtest.h>

#include <set>

#include "consensus/registry.h"
#include "sim/scenario/scenario.h"

namespace hlsim {
namespace {

const std::string kDataDir = HLSIM_SOURCE_DIR;

Scenario load(const SwarmCase& c) {
  auto sc = load_scenario_text(c.yaml, "case.yaml", {}, kDataDir, kDataDir);
  EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : sc.error().message) << "\n" << c.yaml;
  return sc.ok() ? sc.value() : Scenario{};
}

TEST(SwarmCaseTest, ACaseIsAPureFunctionOfProtocolAndSeed) {
  const SwarmOptions o;
  const auto a = make_swarm_case("pbft", 42, o);
  const auto b = make_swarm_case("pbft", 42, o);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->yaml, b->yaml);
  EXPECT_NE(a->yaml, make_swarm_case("pbft", 43, o)->yaml);
  EXPECT_NE(a->yaml, make_swarm_case("hotstuff", 42, o)->yaml);
}

TEST(SwarmCaseTest, EveryCaseLoadsStaysInsideTheBoundAndHealsByTheEndOfTheSafetyPhase) {
  const SwarmOptions o{.safety_s = 6, .liveness_s = 10, .canary = false};
  for (const ProtocolInfo& p : protocol_registry()) {
    std::set<std::string> kinds_seen;
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
      const auto c = make_swarm_case(p.name, seed, o);
      ASSERT_TRUE(c.ok()) << c.error().message;
      const Scenario sc = load(c.value());
      ASSERT_EQ(sc.consensus.nodes, c->nodes);
      EXPECT_EQ(c->heal_ns, 6 * kNsPerSec);
      EXPECT_EQ(c->budget, p.max_faulty(c->nodes));
      // Faulty validators: Byzantine ones and those that crash, at most f in all.
      std::set<NodeId> faulty;
      for (NodeId v = 0; v < sc.consensus.nodes; ++v) {
        if (sc.byzantine.faulty(v)) faulty.insert(v);
      }
      EXPECT_FALSE(sc.byzantine.beyond_f);
      int down = 0;
      for (const FaultEvent& f : sc.faults) {
        if (f.kind == FaultKind::kCrash) {
          faulty.insert(f.node);
          ++down;
        } else if (f.kind == FaultKind::kRestart) {
          EXPECT_LE(f.at_ns, c->heal_ns);
          --down;
        } else {
          EXPECT_TRUE(f.is_condition());
          EXPECT_LE(f.until_ns, c->heal_ns) << f.describe();
          EXPECT_LT(f.at_ns, f.until_ns);
          kinds_seen.insert(fault_key(f.kind));
        }
      }
      EXPECT_EQ(down, 0) << "every crash has its restart";
      EXPECT_LE(faulty.size(), c->budget) << p.name << " seed " << seed;
      EXPECT_EQ(faulty.size(), c->faulty);
    }
    // Sixty seeds exercise every network and host condition, and timed Byzantine roles where
    // the protocol has generic behaviours (all but Raft, whose only one, silent, is generic too).
    EXPECT_EQ(kinds_seen.size(), 7u) << p.name;
  }
}

TEST(SwarmCaseTest, TheCanaryHasOneEquivocatorMoreThanTheBoundAndSplitsTheHonest) {
  const SwarmOptions o{.safety_s = 6, .liveness_s = 10, .canary = true};
  for (const char* protocol : {"pbft", "tendermint", "hotstuff", "poa"}) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      const auto c = make_swarm_case(protocol, seed, o);
      ASSERT_TRUE(c.ok()) << c.error().message;
      const Scenario sc = load(c.value());
      EXPECT_TRUE(sc.byzantine.beyond_f);
      std::uint32_t equivocators = 0;
      for (NodeId v = 0; v < sc.consensus.nodes; ++v) {
        if (sc.byzantine.of(v) == Behavior::kEquivocate) ++equivocators;
      }
      EXPECT_EQ(equivocators, c->budget + 1) << protocol << " seed " << seed;
      EXPECT_EQ(sc.byzantine.of(0), Behavior::kEquivocate);  // the first leader
    }
  }
  // Raft has no Byzantine behaviour to break its bound with.
  const auto raft = make_swarm_case("raft", 1, o);
  ASSERT_FALSE(raft.ok());
  EXPECT_NE(raft.error().message.find("raft"), std::string::npos);
}

TEST(SwarmCaseTest, UnknownProtocolIsAnError) {
  const auto c = make_swarm_case("paxos", 1, {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("paxos"), std::string::npos);
}

}  // namespace
}  // namespace hlsim
