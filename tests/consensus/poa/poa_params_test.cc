// Proof of authority's parameters and registry entry: declared keys, defaults and their sources,
// cross-checks naming the key, message roles, behaviours and construction.
#include "consensus/poa/poa_params.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "consensus/poa/poa.h"
#include "consensus/poa/poa_messages.h"

namespace hlsim {
namespace {

TEST(PoaParams, InfoDeclaresMessagesRolesAndReference) {
  const ProtocolInfo& info = poa_protocol_info();
  EXPECT_EQ(info.name, "poa");
  EXPECT_FALSE(info.summary.empty());
  EXPECT_EQ(info.message_types,
            (std::vector<std::string>{"block", "tx-gossip", "fetch", "fetch-reply"}));
  EXPECT_EQ(info.proposal_types,
            (std::vector<std::uint16_t>{static_cast<std::uint16_t>(PoaMessageType::kBlock)}));
  EXPECT_TRUE(info.vote_types.empty());  // Aura has no votes
  EXPECT_EQ(info.min_nodes, 1u);
  EXPECT_NE(info.reference.find("openethereum.github.io/Aura"), std::string::npos);
  EXPECT_NE(info.reference.find("ITASEC 2018"), std::string::npos);
  EXPECT_EQ(info.params.size(), poa_param_specs().size());
}

TEST(PoaParams, MaxFaultyIsAuraMajorityAssumption) {
  const ProtocolInfo& info = poa_protocol_info();
  EXPECT_EQ(info.max_faulty(1), 0u);
  EXPECT_EQ(info.max_faulty(3), 1u);
  EXPECT_EQ(info.max_faulty(4), 1u);
  EXPECT_EQ(info.max_faulty(5), 2u);
  EXPECT_EQ(info.max_faulty(7), 3u);
  EXPECT_EQ(info.max_faulty(16), 7u);
}

TEST(PoaParams, BehavioursAreAllButWithholdVotes) {
  const ProtocolInfo& info = poa_protocol_info();
  EXPECT_TRUE(info.supports(Behavior::kSilent));
  EXPECT_TRUE(info.supports(Behavior::kEquivocate));
  EXPECT_TRUE(info.supports(Behavior::kInvalidSignatures));
  EXPECT_TRUE(info.supports(Behavior::kDelayProposals));
  EXPECT_FALSE(info.supports(Behavior::kWithholdVotes));
  EXPECT_EQ(info.behaviors.size(), 4u);
}

TEST(PoaParams, DefaultsMatchAuraAndTheBrief) {
  const ParamValues defaults = ParamValues::defaults(poa_param_specs());
  const PoaParams p = PoaParams::from(defaults);
  EXPECT_EQ(p.step_duration_ns, 5 * kNsPerSec);
  EXPECT_EQ(p.max_block_tx, 500u);
  EXPECT_EQ(p.max_block_bytes, 1048576u);
  EXPECT_TRUE(p.seal_empty);
  EXPECT_EQ(p.finality, PoaFinality::kMajority);
  EXPECT_EQ(p.confirmations, 12u);
  EXPECT_EQ(p.mempool_gossip_ns, 100 * kNsPerMs);
  EXPECT_EQ(p.max_fetch_blocks, 64u);
  EXPECT_TRUE(poa_protocol_info().validate(defaults, 4).ok());
  // The struct's own defaults are the declared ones.
  const PoaParams plain;
  EXPECT_EQ(plain.step_duration_ns, p.step_duration_ns);
  EXPECT_EQ(plain.confirmations, p.confirmations);
  EXPECT_EQ(plain.finality, p.finality);
  // kDelayProposals holds a block for 90% of a step.
  EXPECT_EQ(poa_protocol_info().proposal_timeout(defaults), 5 * kNsPerSec);
}

TEST(PoaParams, EveryNameCarriesItsUnit) {
  for (const ParamSpec& spec : poa_param_specs()) {
    EXPECT_FALSE(spec.help.empty()) << spec.name;
    if (spec.type != ParamType::kInt) continue;
    EXPECT_FALSE(spec.unit.empty()) << spec.name;
    if (spec.unit == "ms") {
      EXPECT_TRUE(spec.name.ends_with("_ms")) << spec.name;
    }
    EXPECT_GE(spec.min, 1) << spec.name;
  }
}

Status validate(const std::map<std::string, std::string>& given) {
  auto values = ParamValues::parse(poa_param_specs(), given, "consensus");
  if (!values.ok()) return values.error();
  return poa_protocol_info().validate(*values, 4);
}

TEST(PoaParams, ParsesOverrides) {
  auto values = ParamValues::parse(
      poa_param_specs(),
      {{"finality", "confirmations"}, {"confirmations", "3"}, {"seal_empty", "false"}},
      "consensus");
  ASSERT_TRUE(values.ok());
  const PoaParams p = PoaParams::from(*values);
  EXPECT_EQ(p.finality, PoaFinality::kConfirmations);
  EXPECT_EQ(p.confirmations, 3u);
  EXPECT_FALSE(p.seal_empty);
}

TEST(PoaParams, RejectsGossipNotBelowTheStepNamingTheKey) {
  Status s = validate({{"step_duration_ms", "100"}, {"mempool_gossip_ms", "100"}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("mempool_gossip_ms"), std::string::npos);
  EXPECT_TRUE(validate({{"step_duration_ms", "100"}, {"mempool_gossip_ms", "99"}}).ok());
}

TEST(PoaParams, RejectsBadValuesNamingTheKey) {
  Status s = validate({{"finality", "probabilistic"}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("consensus.finality"), std::string::npos);
  s = validate({{"confirmations", "0"}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("consensus.confirmations"), std::string::npos);
  s = validate({{"seal_empty", "maybe"}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("consensus.seal_empty"), std::string::npos);
  EXPECT_FALSE(validate({{"step_duration_ms", "0"}}).ok());
  EXPECT_FALSE(validate({{"max_block_tx", "0"}}).ok());
  EXPECT_FALSE(validate({{"max_fetch_blocks", "-1"}}).ok());
  EXPECT_FALSE(validate({{"step_ms", "10"}}).ok());
}

TEST(PoaParams, CheckRejectsZeroesInTheStruct) {
  PoaParams p;
  p.confirmations = 0;
  EXPECT_FALSE(p.check().ok());
  p = PoaParams{};
  p.max_fetch_blocks = 0;
  EXPECT_FALSE(p.check().ok());
  EXPECT_THROW(Poa(p, 0, 4), std::invalid_argument);
  EXPECT_THROW(Poa(PoaParams{}, 4, 4), std::invalid_argument);
  EXPECT_THROW(Poa(PoaParams{}, 0, 4, Behavior::kSilent), std::invalid_argument);
}

TEST(PoaParams, MakeBuildsHonestAndEquivocatingAuthorities) {
  const ParamValues defaults = ParamValues::defaults(poa_param_specs());
  for (Behavior b : {Behavior::kHonest, Behavior::kEquivocate}) {
    auto protocol = poa_protocol_info().make(defaults, 1, 4, b);
    ASSERT_NE(protocol, nullptr);
    EXPECT_EQ(protocol->epoch(), 0u);
    EXPECT_FALSE(protocol->is_leader());  // step 0 belongs to authority 0
  }
  auto wrapped = make_protocol(poa_protocol_info(), defaults, 0, 4, Behavior::kDelayProposals);
  EXPECT_TRUE(wrapped->is_leader());
}

}  // namespace
}  // namespace hlsim
