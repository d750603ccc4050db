// Tendermint's parameters and registry entry: declared keys, defaults (Tendermint Core /
// CometBFT config.toml), cross-checks naming the key, message roles, construction.
#include "consensus/tendermint/tendermint_params.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "consensus/registry.h"
#include "consensus/tendermint/tendermint.h"
#include "consensus/tendermint/tendermint_messages.h"

namespace hlsim {
namespace {

TEST(TendermintParams, InfoDeclaresEveryField) {
  const ProtocolInfo& info = tendermint_protocol_info();
  EXPECT_EQ(info.name, "tendermint");
  EXPECT_FALSE(info.summary.empty());
  EXPECT_NE(info.reference.find("1807.04938"), std::string::npos);
  EXPECT_NE(info.reference.find("config.toml"), std::string::npos);
  EXPECT_EQ(info.params.size(), tendermint_param_specs().size());
  EXPECT_EQ(info.message_types, (std::vector<std::string>{"proposal", "prevote", "precommit",
                                                          "tx-gossip", "fetch", "commit-sync"}));
  EXPECT_EQ(info.proposal_types, (std::vector<std::uint16_t>{0}));
  EXPECT_EQ(info.vote_types, (std::vector<std::uint16_t>{1, 2}));
  EXPECT_TRUE(info.is_proposal(0));
  EXPECT_TRUE(info.is_vote(1));
  EXPECT_TRUE(info.is_vote(2));
  EXPECT_FALSE(info.is_vote(3));  // tx-gossip is not consensus traffic
  EXPECT_EQ(info.min_nodes, 4u);
  EXPECT_EQ(info.max_faulty(4), 1u);
  EXPECT_EQ(info.max_faulty(6), 1u);
  EXPECT_EQ(info.max_faulty(7), 2u);
  EXPECT_EQ(info.max_faulty(10), 3u);
  EXPECT_EQ(info.max_faulty(16), 5u);
  for (Behavior b : {Behavior::kSilent, Behavior::kEquivocate, Behavior::kWithholdVotes,
                     Behavior::kInvalidSignatures, Behavior::kDelayProposals}) {
    EXPECT_TRUE(info.supports(b)) << to_string(b);
  }
  const ParamValues defaults = ParamValues::defaults(info.params);
  EXPECT_EQ(info.proposal_timeout(defaults), 3 * kNsPerSec);
  EXPECT_TRUE(info.validate(defaults, 4).ok());
}

TEST(TendermintParams, DefaultsAreTendermintCoreConfigToml) {
  const TendermintParams p =
      TendermintParams::from(ParamValues::defaults(tendermint_param_specs()));
  EXPECT_EQ(p.timeout_propose_ns, 3000 * kNsPerMs);
  EXPECT_EQ(p.timeout_propose_delta_ns, 500 * kNsPerMs);
  EXPECT_EQ(p.timeout_prevote_ns, 1000 * kNsPerMs);
  EXPECT_EQ(p.timeout_prevote_delta_ns, 500 * kNsPerMs);
  EXPECT_EQ(p.timeout_precommit_ns, 1000 * kNsPerMs);
  EXPECT_EQ(p.timeout_precommit_delta_ns, 500 * kNsPerMs);
  EXPECT_EQ(p.timeout_commit_ns, 1000 * kNsPerMs);
  EXPECT_TRUE(p.create_empty_blocks);
  EXPECT_EQ(p.max_block_tx, 500u);
  EXPECT_EQ(p.max_block_bytes, 1048576u);
  EXPECT_EQ(p.mempool_gossip_ns, 10 * kNsPerMs);
  EXPECT_EQ(p.gossip_retry_ns, 2000 * kNsPerMs);
  EXPECT_EQ(p.max_sync_blocks, 20u);
  // The struct's own defaults agree with the declared ones.
  const TendermintParams plain;
  EXPECT_EQ(plain.timeout_propose_ns, p.timeout_propose_ns);
  EXPECT_EQ(plain.gossip_retry_ns, p.gossip_retry_ns);
  EXPECT_EQ(plain.max_sync_blocks, p.max_sync_blocks);
  EXPECT_TRUE(p.check().ok());
}

TEST(TendermintParams, EveryNameCarriesItsUnit) {
  for (const ParamSpec& spec : tendermint_param_specs()) {
    if (spec.type == ParamType::kBool) continue;
    EXPECT_EQ(spec.type, ParamType::kInt) << spec.name;
    EXPECT_FALSE(spec.unit.empty()) << spec.name;
    EXPECT_TRUE(spec.name.ends_with("_" + spec.unit)) << spec.name;
    EXPECT_FALSE(spec.help.empty()) << spec.name;
  }
}

Status validate(const std::map<std::string, std::string>& given) {
  auto values = ParamValues::parse(tendermint_param_specs(), given, "consensus");
  if (!values.ok()) return values.error();
  return tendermint_protocol_info().validate(*values, 4);
}

TEST(TendermintParams, RejectsAProposeTimeoutWithinOneGossipIntervalNamingTheKey) {
  Status s = validate({{"timeout_propose_ms", "10"}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("timeout_propose_ms"), std::string::npos);
  EXPECT_NE(s.error().message.find("mempool_gossip_ms"), std::string::npos);
  EXPECT_FALSE(validate({{"timeout_propose_ms", "50"}, {"mempool_gossip_ms", "60"}}).ok());
  EXPECT_TRUE(validate({{"timeout_propose_ms", "11"}}).ok());
}

TEST(TendermintParams, RejectsAGossipRetryBelowTheStepTimeoutsNamingTheKey) {
  Status s = validate({{"gossip_retry_ms", "999"}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("gossip_retry_ms"), std::string::npos);
  EXPECT_FALSE(validate({{"timeout_precommit_ms", "3000"}}).ok());
  EXPECT_TRUE(validate({{"gossip_retry_ms", "1000"}}).ok());
}

TEST(TendermintParams, RejectsOutOfRangeMistypedAndUnknownKeys) {
  EXPECT_FALSE(validate({{"max_block_tx", "0"}}).ok());
  EXPECT_FALSE(validate({{"timeout_prevote_ms", "0"}}).ok());
  EXPECT_FALSE(validate({{"timeout_commit_ms", "-1"}}).ok());
  EXPECT_FALSE(validate({{"create_empty_blocks", "maybe"}}).ok());
  Status s = validate({{"timeout_propse_ms", "100"}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("timeout_propose_ms"), std::string::npos);  // did you mean
  EXPECT_TRUE(validate({{"timeout_commit_ms", "0"}, {"create_empty_blocks", "false"}}).ok());
}

TEST(TendermintParams, MakeBuildsValidatorsAtHeightOneRoundZero) {
  const ProtocolInfo& info = tendermint_protocol_info();
  const ParamValues defaults = ParamValues::defaults(info.params);
  auto honest = info.make(defaults, 1, 4, Behavior::kHonest);
  ASSERT_NE(honest, nullptr);
  auto* t = dynamic_cast<Tendermint*>(honest.get());
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->height(), 1u);
  EXPECT_EQ(t->round(), 0u);
  EXPECT_EQ(t->epoch(), view_number(1, 0));
  EXPECT_TRUE(t->is_leader());  // proposer(1, 0) = 1
  EXPECT_FALSE(t->equivocating());
  auto byz = info.make(defaults, 2, 4, Behavior::kEquivocate);
  EXPECT_TRUE(dynamic_cast<Tendermint&>(*byz).equivocating());
  EXPECT_THROW(Tendermint(TendermintParams{}, 4, 4), std::invalid_argument);
  TendermintParams bad;
  bad.max_block_tx = 0;
  EXPECT_THROW(Tendermint(bad, 0, 4), std::invalid_argument);
}

}  // namespace
}  // namespace hlsim
