// Scenario loading: defaults, overrides, and every malformed input rejected with a message that
// names the key (and line), the bad value and what was expected.
#include "sim/scenario/scenario.h"

#include <gtest/gtest.h>

#include <string>

namespace hlsim {
namespace {

const std::string kDataDir = HLSIM_SOURCE_DIR;

Result<Scenario> load(const std::string& text, const std::vector<Override>& overrides = {}) {
  return load_scenario_text(text, "test.yaml", overrides, kDataDir + "/scenarios", kDataDir);
}

TEST(ScenarioTest, EmptyScenarioTakesEveryDefault) {
  auto sc = load("{}");
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  EXPECT_EQ(sc->consensus.protocol, "raft");
  EXPECT_EQ(sc->consensus.nodes, 4u);
  EXPECT_EQ(sc->workload.kind, "ehr");
  EXPECT_EQ(sc->duration_ns, 60 * kNsPerSec);
  EXPECT_EQ(sc->network.topology, "full_mesh");
  EXPECT_EQ(sc->consensus.params.get_int("heartbeat_ms"), 50);
}

TEST(ScenarioTest, QuickstartFileLoads) {
  auto sc = load_scenario_file(kDataDir + "/scenarios/quickstart.yaml", {}, kDataDir);
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  EXPECT_EQ(sc->consensus.nodes, 5u);
  EXPECT_EQ(sc->workload.clients, 20u);
  EXPECT_EQ(sc->network.topology, "regions");
  EXPECT_EQ(sc->network.inter_latency_ns, 8 * kNsPerMs);
  EXPECT_EQ(sc->network.jitter_ns.kind(), Distribution::Kind::kExponential);
  EXPECT_DOUBLE_EQ(sc->network.jitter_ns.mean(), 0.2e6);
}

TEST(ScenarioTest, OverridesReplaceAndCreateKeys) {
  auto sc = load("consensus: {nodes: 5}\n",
                 {{"consensus.nodes", "7"}, {"workload.rate_tps", "2000"}, {"seed", "7"}});
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  EXPECT_EQ(sc->consensus.nodes, 7u);
  EXPECT_DOUBLE_EQ(sc->workload.rate_tps, 2000);
  EXPECT_EQ(sc->seed, 7u);
  EXPECT_NE(sc->effective_yaml.find("2000"), std::string::npos);
}

TEST(ScenarioTest, OverrideSyntaxIsChecked) {
  EXPECT_FALSE(parse_override("consensus.nodes").ok());
  EXPECT_FALSE(parse_override("=3").ok());
  auto o = parse_override("a.b=c=d");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->key, "a.b");
  EXPECT_EQ(o->value, "c=d");
}

TEST(ScenarioTest, FaultsAreSortedAndResolved) {
  auto sc = load(
      "faults:\n  - {at_s: 40, restart: crashed}\n  - {at_s: 20, crash: leader}\n"
      "  - {at_s: 30, crash: 2}\n");
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  ASSERT_EQ(sc->faults.size(), 3u);
  EXPECT_EQ(sc->faults[0].symbolic, "leader");
  EXPECT_EQ(sc->faults[1].node, 2u);
  EXPECT_EQ(sc->faults[2].kind, FaultKind::kRestart);
}

TEST(ScenarioTest, NamedAndInlineHardwareProfiles) {
  auto named = load("nodes: {profile: slow-edge}\n");
  ASSERT_TRUE(named.ok()) << named.error().message;
  EXPECT_DOUBLE_EQ(named->node.profile.ed25519_verify_ns, 230000);
  auto inline_profile = load("nodes:\n  profile: {ed25519_verify_ns: 1000}\n");
  ASSERT_TRUE(inline_profile.ok()) << inline_profile.error().message;
  EXPECT_DOUBLE_EQ(inline_profile->node.profile.ed25519_verify_ns, 1000);
  EXPECT_EQ(inline_profile->node.profile_name, "inline");
}

struct Malformed {
  const char* name;
  const char* yaml;
  const char* expected;  // a substring the error must contain
};

class MalformedScenarioTest : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedScenarioTest, IsRejectedWithAClearMessage) {
  const Malformed& m = GetParam();
  auto sc = load(m.yaml);
  ASSERT_FALSE(sc.ok()) << m.name << " was accepted";
  EXPECT_NE(sc.error().message.find(m.expected), std::string::npos)
      << m.name << ": got '" << sc.error().message << "', expected it to contain '" << m.expected
      << "'";
  EXPECT_EQ(sc.error().message.rfind("test.yaml", 0), 0u) << sc.error().message;
}

const Malformed kMalformed[] = {
    {"not_yaml", "consensus: [1, 2\n", "test.yaml:2: not valid YAML"},
    {"top_level_list", "- 1\n- 2\n", "expected a map of scenario keys"},
    {"unknown_top_key", "durations_s: 10\n",
     "durations_s: unknown key (did you mean 'duration_s'?)"},
    {"unknown_protocol", "consensus: {protocol: rafft}\n", "consensus.protocol: expected one of {"},
    {"protocol_suggestion", "consensus: {protocol: rafft}\n", "(did you mean 'raft'?)"},
    {"nodes_not_integer", "consensus:\n  nodes: five\n",
     "test.yaml:2: consensus.nodes: expected an integer in [1, 10000], got 'five'"},
    {"nodes_zero", "consensus: {nodes: 0}\n", "consensus.nodes: expected an integer in [1, 10000]"},
    {"nodes_absurd", "consensus: {nodes: 1000000000}\n", "consensus.nodes: expected an integer"},
    {"protocol_param_typo", "consensus: {hearbeat_ms: 10}\n",
     "consensus.hearbeat_ms: unknown key (did you mean 'heartbeat_ms'?)"},
    {"protocol_param_range", "consensus: {heartbeat_ms: 0}\n", "consensus.heartbeat_ms: expected"},
    {"raft_timeouts_inverted",
     "consensus: {election_timeout_min_ms: 300, election_timeout_max_ms: 150}\n",
     "election_timeout"},
    {"negative_rate", "workload: {rate_tps: -5}\n", "workload.rate_tps: expected a number"},
    {"unknown_workload", "workload: {kind: ehrr}\n", "workload.kind: expected one of"},
    {"workload_param_typo", "workload: {patient: 10}\n",
     "workload.patient: unknown key (did you mean 'patients'?)"},
    {"negative_latency", "network: {latency_ms: -1}\n",
     "network.latency_ms: expected a number in [0, 1000000], got '-1'"},
    {"zero_bandwidth", "network: {bandwidth_mbps: 0}\n",
     "network.bandwidth_mbps: expected a number"},
    {"bad_topology", "network: {topology: ring}\n", "network.topology: expected one of"},
    {"loss_one", "network: {loss: 1}\n", "network.loss: expected a number in [0, 0.999]"},
    {"csv_missing_file", "network: {topology: csv}\n", "network.csv: required"},
    {"csv_not_found", "network: {topology: csv, csv: nope.csv}\n",
     "network.csv: file 'nope.csv' not found"},
    {"jitter_without_dist", "network:\n  jitter: {mean_ms: 1}\n", "network.jitter.dist: missing"},
    {"jitter_negative", "network:\n  jitter: {dist: exponential, mean_ms: -1}\n", "network.jitter"},
    {"jitter_normal", "network:\n  jitter: {dist: normal, mean_ms: 1, stddev_ms: 1}\n",
     "a normal jitter can be negative"},
    {"section_scalar", "network: fast\n", "network: expected a map, got 'fast'"},
    {"nested_where_scalar", "consensus:\n  nodes: {a: 1}\n",
     "consensus.nodes: expected a single value"},
    {"regions_exceed_nodes", "consensus: {nodes: 3}\nnetwork: {topology: regions, regions: 5}\n",
     "network.regions: 5 regions for 3 nodes"},
    {"cores_zero", "nodes: {cores: 0}\n", "nodes.cores: expected an integer in [1, 1024]"},
    {"profile_unknown", "nodes: {profile: quantum}\n", "hardware profile 'quantum' not found"},
    {"profile_field_typo", "nodes:\n  profile: {ed25519_verfy_ns: 3}\n",
     "unknown profile field (did you mean 'ed25519_verify_ns'?)"},
    {"fault_missing_time", "faults:\n  - {crash: 1}\n", "faults[0].at_s: expected a time >= 0"},
    {"fault_bad_action", "faults:\n  - {at_s: 1, crsh: 1}\n", "(did you mean 'crash'?)"},
    {"fault_node_out_of_range", "consensus: {nodes: 4}\nfaults:\n  - {at_s: 1, crash: 9}\n",
     "faults[0]: node 9 does not exist; validators are 0..3"},
    {"fault_after_end", "duration_s: 10\ndrain_s: 0\nfaults:\n  - {at_s: 11, crash: 0}\n",
     "after the end of the run"},
    {"faults_not_list", "faults: {at_s: 1}\n", "faults: expected a list"},
    {"seed_not_number", "seed: abc\n", "seed: expected an integer"},
    {"duration_zero", "duration_s: 0\n", "duration_s: expected a number in [0.001"},
};

INSTANTIATE_TEST_SUITE_P(All, MalformedScenarioTest, ::testing::ValuesIn(kMalformed),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ScenarioTest, ErrorsCarryTheLineOfTheKey) {
  auto sc = load("name: x\nseed: 3\nconsensus:\n  protocol: raft\n  nodes: -2\n");
  ASSERT_FALSE(sc.ok());
  EXPECT_EQ(sc.error().message.rfind("test.yaml:5: consensus.nodes", 0), 0u) << sc.error().message;
}

TEST(ScenarioTest, AKeyGivenTwiceIsRejectedWithBothLines) {
  // YAML parsers keep both entries; the second would silently win (a fuzzer found this).
  auto sc = load("consensus: {protocol: pbft}\nseed: 2\nconsensus: {protocol: raft}\n");
  ASSERT_FALSE(sc.ok());
  EXPECT_EQ(sc.error().message, "test.yaml:3: consensus: given twice (first on line 1)");
  sc = load("consensus:\n  nodes: 4\n  nodes: 7\n");
  ASSERT_FALSE(sc.ok());
  EXPECT_EQ(sc.error().message, "test.yaml:3: consensus.nodes: given twice (first on line 2)");
}

TEST(ScenarioTest, BadOverrideValueIsNamed) {
  auto sc = load("{}", {{"consensus.nodes", "x"}});
  ASSERT_FALSE(sc.ok());
  EXPECT_NE(sc.error().message.find("consensus.nodes: expected an integer"), std::string::npos);
}

}  // namespace
}  // namespace hlsim
