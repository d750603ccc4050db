// The `byzantine:` scenario section: which validators misbehave and how, checked against the
// protocol's fault tolerance and the behaviours that apply to it.
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/scenario.h"

namespace hlsim {
namespace {

const std::string kDataDir = HLSIM_SOURCE_DIR;

Result<Scenario> load(const std::string& text) {
  return load_scenario_text(text, "test.yaml", {}, kDataDir + "/scenarios", kDataDir);
}

TEST(ByzantineSectionTest, AbsentMeansEveryValidatorIsHonest) {
  auto sc = load("{}");
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  EXPECT_FALSE(sc->byzantine.any());
  EXPECT_EQ(sc->byzantine.of(0), Behavior::kHonest);
}

TEST(ByzantineSectionTest, AssignsBehavioursByValidatorId) {
  auto sc = load("consensus: {protocol: raft, nodes: 5}\nbyzantine:\n  nodes: {3: silent}\n");
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  EXPECT_TRUE(sc->byzantine.any());
  EXPECT_EQ(sc->byzantine.of(3), Behavior::kSilent);
  EXPECT_EQ(sc->byzantine.of(0), Behavior::kHonest);
}

TEST(ByzantineSectionTest, UnknownBehaviourIsNamedWithTheChoicesAndLine) {
  auto sc = load("consensus: {protocol: raft, nodes: 5}\nbyzantine:\n  nodes: {3: sielnt}\n");
  ASSERT_FALSE(sc.ok());
  const std::string& m = sc.error().message;
  EXPECT_NE(m.find("test.yaml:3"), std::string::npos) << m;
  EXPECT_NE(m.find("byzantine.nodes.3"), std::string::npos) << m;
  EXPECT_NE(m.find("did you mean 'silent'"), std::string::npos) << m;
}

TEST(ByzantineSectionTest, BehaviourOutsideTheProtocolsFaultModelIsRejected) {
  auto sc = load("consensus: {protocol: raft, nodes: 5}\nbyzantine: {nodes: {1: equivocate}}\n");
  ASSERT_FALSE(sc.ok());
  EXPECT_NE(sc.error().message.find("does not apply to raft"), std::string::npos)
      << sc.error().message;
}

TEST(ByzantineSectionTest, MoreThanFIsRejectedUnlessBeyondF) {
  const std::string base = "consensus: {protocol: raft, nodes: 3}\nbyzantine:\n";
  auto sc = load(base + "  nodes: {0: silent, 1: silent}\n");
  ASSERT_FALSE(sc.ok());
  EXPECT_NE(sc.error().message.find("tolerates f = 1"), std::string::npos) << sc.error().message;
  auto canary = load(base + "  nodes: {0: silent, 1: silent}\n  beyond_f: true\n");
  ASSERT_TRUE(canary.ok()) << canary.error().message;
}

TEST(ByzantineSectionTest, ValidatorIdMustExist) {
  auto sc = load("consensus: {protocol: raft, nodes: 3}\nbyzantine: {nodes: {7: silent}}\n");
  ASSERT_FALSE(sc.ok());
  EXPECT_NE(sc.error().message.find("0..2"), std::string::npos) << sc.error().message;
}

TEST(ByzantineSectionTest, UnknownKeyGetsASuggestion) {
  auto sc = load("consensus: {protocol: raft, nodes: 3}\nbyzantine: {node: {0: silent}}\n");
  ASSERT_FALSE(sc.ok());
  EXPECT_NE(sc.error().message.find("did you mean 'nodes'"), std::string::npos)
      << sc.error().message;
}

}  // namespace
}  // namespace hlsim
