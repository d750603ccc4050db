// PBFT's parameters and registry entry: declared keys, defaults and their sources, cross-checks
// naming the offending key, message roles, construction.
#include "consensus/pbft/pbft_params.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "consensus/pbft/pbft.h"
#include "consensus/pbft/pbft_messages.h"

namespace hlsim {
namespace {

TEST(PbftParams, DefaultsAreValidAndCiteTheirSources) {
  const ProtocolInfo& info = pbft_protocol_info();
  const ParamValues defaults = ParamValues::defaults(info.params);
  const PbftParams p = PbftParams::from(defaults);
  EXPECT_EQ(p.view_change_timeout_ns, 2000 * kNsPerMs);
  EXPECT_EQ(p.checkpoint_interval, 128u);  // K
  EXPECT_EQ(p.log_window, 256u);           // L = 2K
  EXPECT_EQ(p.max_inflight_blocks, 4u);
  EXPECT_EQ(p.max_block_tx, 500u);
  EXPECT_EQ(p.max_block_bytes, 1048576u);
  EXPECT_EQ(p.batch_timeout_ns, 20 * kNsPerMs);
  EXPECT_EQ(p.max_fetch_blocks, 64u);
  EXPECT_EQ(p.fetch_retry_ns, 200 * kNsPerMs);
  EXPECT_TRUE(p.check().ok());
  EXPECT_TRUE(info.validate(defaults, 4).ok());
  EXPECT_NE(info.reference.find("OSDI 1999"), std::string::npos);
  EXPECT_NE(info.reference.find("BFT-SMaRt"), std::string::npos);
  EXPECT_EQ(info.proposal_timeout(defaults), 2000 * kNsPerMs);
}

TEST(PbftParams, InfoDeclaresEveryField) {
  const ProtocolInfo& info = pbft_protocol_info();
  EXPECT_EQ(info.name, "pbft");
  EXPECT_FALSE(info.summary.empty());
  EXPECT_EQ(info.message_types, (std::vector<std::string>{"pre-prepare", "prepare", "commit",
                                                          "checkpoint", "view-change", "new-view",
                                                          "forward", "fetch", "fetch-reply"}));
  EXPECT_EQ(info.proposal_types, (std::vector<std::uint16_t>{0, 5}));  // pre-prepare, new-view
  EXPECT_EQ(info.vote_types, (std::vector<std::uint16_t>{1, 2}));      // prepare, commit
  EXPECT_EQ(info.min_nodes, 4u);
  EXPECT_EQ(info.max_faulty(4), 1u);
  EXPECT_EQ(info.max_faulty(6), 1u);
  EXPECT_EQ(info.max_faulty(7), 2u);
  EXPECT_EQ(info.max_faulty(16), 5u);
  for (Behavior b : {Behavior::kSilent, Behavior::kEquivocate, Behavior::kWithholdVotes,
                     Behavior::kInvalidSignatures, Behavior::kDelayProposals}) {
    EXPECT_TRUE(info.supports(b)) << to_string(b);
  }
  ASSERT_TRUE(info.make);
  ASSERT_TRUE(info.validate);
}

TEST(PbftParams, EveryNameCarriesItsUnit) {
  for (const ParamSpec& spec : pbft_param_specs()) {
    EXPECT_EQ(spec.type, ParamType::kInt) << spec.name;
    ASSERT_FALSE(spec.unit.empty()) << spec.name;
    EXPECT_TRUE(spec.name.ends_with("_" + spec.unit)) << spec.name;
    EXPECT_GE(spec.min, 1) << spec.name;
    EXPECT_FALSE(spec.help.empty()) << spec.name;
  }
}

Status validate(const std::map<std::string, std::string>& given, std::uint32_t nodes = 4) {
  auto values = ParamValues::parse(pbft_param_specs(), given, "consensus");
  if (!values.ok()) return values.error();
  return pbft_protocol_info().validate(*values, nodes);
}

void expect_rejected_naming(const Status& s, const std::string& key) {
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find(key), std::string::npos) << s.error().message;
}

TEST(PbftParams, RejectsAWindowSmallerThanTheCheckpointInterval) {
  expect_rejected_naming(validate({{"log_window_blocks", "127"}}), "log_window_blocks");
  EXPECT_TRUE(validate({{"log_window_blocks", "128"}}).ok());
  expect_rejected_naming(
      validate({{"checkpoint_interval_blocks", "10"}, {"log_window_blocks", "9"}}),
      "log_window_blocks");
}

TEST(PbftParams, RejectsMoreInFlightBlocksThanTheWindow) {
  expect_rejected_naming(validate({{"checkpoint_interval_blocks", "4"},
                                   {"log_window_blocks", "8"},
                                   {"max_inflight_blocks", "9"}}),
                         "max_inflight_blocks");
}

TEST(PbftParams, RejectsABatchTimeoutNotBelowTheViewChangeTimeout) {
  expect_rejected_naming(validate({{"batch_timeout_ms", "2000"}}), "batch_timeout_ms");
  EXPECT_TRUE(validate({{"batch_timeout_ms", "1999"}}).ok());
}

TEST(PbftParams, RejectsOutOfRangeUnknownKeysAndTooFewNodes) {
  expect_rejected_naming(validate({{"max_block_tx", "0"}}), "max_block_tx");
  expect_rejected_naming(validate({{"view_change_timeout", "10"}}), "view_change_timeout");
  expect_rejected_naming(validate({{"fetch_retry_ms", "-1"}}), "fetch_retry_ms");
  EXPECT_FALSE(validate({}, 3).ok());
}

TEST(PbftParams, MakeBuildsAReplicaInViewZero) {
  const ParamValues defaults = ParamValues::defaults(pbft_param_specs());
  auto primary = pbft_protocol_info().make(defaults, 0, 4, Behavior::kHonest);
  auto backup = pbft_protocol_info().make(defaults, 3, 4, Behavior::kEquivocate);
  ASSERT_NE(primary, nullptr);
  ASSERT_NE(backup, nullptr);
  EXPECT_EQ(primary->epoch(), 0u);
  EXPECT_TRUE(primary->is_leader());
  EXPECT_FALSE(backup->is_leader());
  EXPECT_THROW(Pbft(PbftParams{}, 4, 4), std::invalid_argument);
  EXPECT_THROW(Pbft(PbftParams{}, 0, 3), std::invalid_argument);
}

TEST(PbftParams, QuorumIsTwoFPlusOneAndIntersectsInACorrectReplica) {
  for (std::uint32_t n = 4; n <= 40; ++n) {
    const pbft::PbftQuorum q = pbft::PbftQuorum::of(n);
    EXPECT_EQ(q.f, (n - 1) / 3);
    EXPECT_GE(2 * q.q, n + q.f + 1) << n;  // two quorums share f + 1 replicas
    EXPECT_LE(q.q, n - q.f) << n;          // n - f correct replicas form a quorum
    if (n % 3 == 1) {
      EXPECT_EQ(q.q, 2 * q.f + 1);
    }
  }
}

}  // namespace
}  // namespace hlsim
