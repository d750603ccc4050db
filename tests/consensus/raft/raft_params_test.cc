// Raft's parameters and registry entry: declared keys, defaults, cross-checks, construction.
#include "consensus/raft/raft_params.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "consensus/registry.h"

namespace hlsim {
namespace {

TEST(RaftParams, RegistryFindsRaftByNameAndNothingForUnknownNames) {
  const ProtocolInfo* info = find_protocol("raft");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->name, raft_protocol_info().name);
  EXPECT_EQ(info->params.size(), raft_param_specs().size());
  EXPECT_EQ(find_protocol("rafts"), nullptr);
  EXPECT_EQ(find_protocol(""), nullptr);
  bool listed = false;
  for (const ProtocolInfo& p : protocol_registry()) listed |= p.name == "raft";
  EXPECT_TRUE(listed);
}

TEST(RaftParams, InfoDeclaresMessagesMinimumNodesAndReference) {
  const ProtocolInfo& info = raft_protocol_info();
  EXPECT_EQ(info.message_types, (std::vector<std::string>{"request_vote", "vote", "append_entries",
                                                          "append_reply", "forward"}));
  EXPECT_EQ(info.min_nodes, 1u);
  EXPECT_NE(info.reference.find("2014"), std::string::npos);
  EXPECT_FALSE(info.summary.empty());
}

TEST(RaftParams, DefaultsMatchThePaperAndTheBrief) {
  const ParamValues defaults = ParamValues::defaults(raft_param_specs());
  const RaftParams p = RaftParams::from(defaults);
  EXPECT_EQ(p.election_timeout_min_ns, 150 * kNsPerMs);
  EXPECT_EQ(p.election_timeout_max_ns, 300 * kNsPerMs);
  EXPECT_EQ(p.heartbeat_ns, 50 * kNsPerMs);
  EXPECT_EQ(p.max_block_tx, 500u);
  EXPECT_EQ(p.max_block_bytes, 1048576u);
  EXPECT_EQ(p.batch_timeout_ns, 20 * kNsPerMs);
  EXPECT_EQ(p.max_append_blocks, 16u);
  EXPECT_EQ(p.forward_retry_ns, 300 * kNsPerMs);
  EXPECT_TRUE(raft_protocol_info().validate(defaults, 5).ok());
}

TEST(RaftParams, EveryNameCarriesItsUnit) {
  for (const ParamSpec& spec : raft_param_specs()) {
    EXPECT_EQ(spec.type, ParamType::kInt) << spec.name;
    EXPECT_FALSE(spec.unit.empty()) << spec.name;
    if (spec.unit == "ms") {
      EXPECT_TRUE(spec.name.ends_with("_ms")) << spec.name;
    }
    EXPECT_GE(spec.min, 1) << spec.name;
  }
}

Status validate(const std::map<std::string, std::string>& given) {
  auto values = ParamValues::parse(raft_param_specs(), given, "consensus");
  if (!values.ok()) return values.error();
  return raft_protocol_info().validate(*values, 3);
}

TEST(RaftParams, RejectsMinTimeoutNotBelowMaxNamingTheKey) {
  Status s = validate({{"election_timeout_min_ms", "300"}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("election_timeout_min_ms"), std::string::npos);
  EXPECT_FALSE(validate({{"election_timeout_min_ms", "400"}}).ok());
  EXPECT_TRUE(validate({{"election_timeout_min_ms", "299"}}).ok());
}

TEST(RaftParams, RejectsHeartbeatNotBelowMinTimeout) {
  Status s = validate({{"heartbeat_ms", "150"}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("heartbeat_ms"), std::string::npos);
  EXPECT_TRUE(validate({{"heartbeat_ms", "149"}}).ok());
}

TEST(RaftParams, RejectsOutOfRangeAndUnknownKeys) {
  EXPECT_FALSE(validate({{"max_block_tx", "0"}}).ok());
  EXPECT_FALSE(validate({{"max_append_blocks", "-1"}}).ok());
  EXPECT_FALSE(validate({{"heartbeat", "10"}}).ok());
}

TEST(RaftParams, MakeBuildsAFollowerAtTermZero) {
  const ParamValues defaults = ParamValues::defaults(raft_param_specs());
  auto protocol = raft_protocol_info().make(defaults, 1, 3, Behavior::kHonest);
  ASSERT_NE(protocol, nullptr);
  EXPECT_EQ(protocol->epoch(), 0u);
  EXPECT_FALSE(protocol->is_leader());
}

}  // namespace
}  // namespace hlsim
