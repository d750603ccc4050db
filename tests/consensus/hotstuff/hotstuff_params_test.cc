// HotStuff's parameters and registry entry: declared keys, defaults and their sources,
// cross-checks naming the key, message roles for the Byzantine wrapper, construction.
#include "consensus/hotstuff/hotstuff_params.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "consensus/byzantine/byzantine_protocol.h"
#include "consensus/hotstuff/hotstuff.h"
#include "consensus/hotstuff/hotstuff_messages.h"
#include "consensus/registry.h"

namespace hlsim {
namespace {

TEST(HotStuffParams, InfoDeclaresMessagesRolesFaultsAndReference) {
  const ProtocolInfo& info = hotstuff_protocol_info();
  EXPECT_EQ(info.name, "hotstuff");
  EXPECT_FALSE(info.summary.empty());
  EXPECT_EQ(info.message_types, (std::vector<std::string>{"proposal", "vote", "new-view",
                                                          "tx-gossip", "fetch", "fetch-reply"}));
  EXPECT_EQ(info.proposal_types, (std::vector<std::uint16_t>{0}));
  EXPECT_EQ(info.vote_types, (std::vector<std::uint16_t>{1}));
  EXPECT_TRUE(info.is_proposal(0));
  EXPECT_TRUE(info.is_vote(1));
  EXPECT_FALSE(info.is_vote(2));  // a new-view is not a vote
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
  EXPECT_NE(info.reference.find("PODC 2019"), std::string::npos);
  EXPECT_NE(info.reference.find("libhotstuff"), std::string::npos);
  EXPECT_NE(info.reference.find("LibraBFT"), std::string::npos);
}

TEST(HotStuffParams, DefaultsMatchTheSourcesAndValidate) {
  const ParamValues defaults = ParamValues::defaults(hotstuff_param_specs());
  const HotStuffParams p = HotStuffParams::from(defaults);
  EXPECT_EQ(p.view_timeout_ns, 1000 * kNsPerMs);
  EXPECT_EQ(p.view_timeout_max_ns, 16'000 * kNsPerMs);
  EXPECT_EQ(p.max_block_tx, 400u);
  EXPECT_EQ(p.max_block_bytes, 1048576u);
  EXPECT_EQ(p.mempool_gossip_ns, 10 * kNsPerMs);
  EXPECT_EQ(p.mempool_regossip_ns, 1000 * kNsPerMs);
  EXPECT_EQ(p.fetch_max_blocks, 64u);
  EXPECT_EQ(p.fetch_retry_ns, 200 * kNsPerMs);
  EXPECT_TRUE(p.check().ok());
  EXPECT_TRUE(hotstuff_protocol_info().validate(defaults, 4).ok());
  // The proposal timeout (kDelayProposals holds proposals for 90% of it) is the base view timeout.
  EXPECT_EQ(hotstuff_protocol_info().proposal_timeout(defaults), 1000 * kNsPerMs);
  // The typed defaults agree with the declared ones.
  const HotStuffParams typed;
  EXPECT_EQ(typed.view_timeout_ns, p.view_timeout_ns);
  EXPECT_EQ(typed.view_timeout_max_ns, p.view_timeout_max_ns);
  EXPECT_EQ(typed.max_block_tx, p.max_block_tx);
  EXPECT_EQ(typed.max_block_bytes, p.max_block_bytes);
  EXPECT_EQ(typed.mempool_gossip_ns, p.mempool_gossip_ns);
  EXPECT_EQ(typed.mempool_regossip_ns, p.mempool_regossip_ns);
  EXPECT_EQ(typed.fetch_max_blocks, p.fetch_max_blocks);
  EXPECT_EQ(typed.fetch_retry_ns, p.fetch_retry_ns);
}

TEST(HotStuffParams, EveryNameCarriesItsUnit) {
  for (const ParamSpec& spec : hotstuff_param_specs()) {
    EXPECT_EQ(spec.type, ParamType::kInt) << spec.name;
    EXPECT_FALSE(spec.unit.empty()) << spec.name;
    EXPECT_TRUE(spec.name.ends_with("_" + spec.unit)) << spec.name;
    EXPECT_GE(spec.min, 1) << spec.name;
    EXPECT_FALSE(spec.help.empty()) << spec.name;
  }
}

Status validate(const std::map<std::string, std::string>& given, std::uint32_t nodes = 4) {
  auto values = ParamValues::parse(hotstuff_param_specs(), given, "consensus");
  if (!values.ok()) return values.error();
  return hotstuff_protocol_info().validate(*values, nodes);
}

void expect_rejected_naming(const Status& s, const std::string& key) {
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find(key), std::string::npos) << s.error().message;
}

TEST(HotStuffParams, RejectsBaseTimeoutAboveTheCapNamingTheKey) {
  expect_rejected_naming(validate({{"view_timeout_ms", "20000"}}), "view_timeout_ms");
  expect_rejected_naming(validate({{"view_timeout_max_ms", "500"}}), "view_timeout_ms");
  EXPECT_TRUE(validate({{"view_timeout_ms", "16000"}}).ok());  // no back-off room, but valid
}

TEST(HotStuffParams, RejectsGossipNotBelowRegossipNamingTheKey) {
  expect_rejected_naming(validate({{"mempool_gossip_ms", "1000"}}), "mempool_gossip_ms");
  EXPECT_TRUE(validate({{"mempool_gossip_ms", "999"}}).ok());
}

TEST(HotStuffParams, RejectsFetchRetryAboveTheTimeoutCapNamingTheKey) {
  expect_rejected_naming(validate({{"fetch_retry_ms", "16001"}}), "fetch_retry_ms");
}

TEST(HotStuffParams, RejectsTooFewNodesOutOfRangeAndUnknownKeys) {
  expect_rejected_naming(validate({}, 3), "nodes");
  expect_rejected_naming(validate({{"max_block_tx", "0"}}), "max_block_tx");
  expect_rejected_naming(validate({{"fetch_max_blocks", "-1"}}), "fetch_max_blocks");
  expect_rejected_naming(validate({{"view_timeout", "10"}}), "view_timeout");
}

TEST(HotStuffParams, MakeBuildsHonestAndEquivocatingValidatorsInViewOne) {
  const ParamValues defaults = ParamValues::defaults(hotstuff_param_specs());
  const ProtocolInfo& info = hotstuff_protocol_info();
  auto honest = info.make(defaults, 1, 4, Behavior::kHonest);
  ASSERT_NE(honest, nullptr);
  EXPECT_EQ(honest->epoch(), 1u);
  EXPECT_TRUE(honest->is_leader());  // view 1 is led by validator 1
  EXPECT_FALSE(dynamic_cast<HotStuff&>(*honest).equivocates());
  auto eq = make_protocol(info, defaults, 2, 4, Behavior::kEquivocate);
  EXPECT_TRUE(dynamic_cast<HotStuff&>(*eq).equivocates());
  EXPECT_FALSE(eq->is_leader());
  // The generic behaviours wrap an honest instance.
  auto silent = make_protocol(info, defaults, 0, 4, Behavior::kSilent);
  auto* wrapped = dynamic_cast<ByzantineProtocol*>(silent.get());
  ASSERT_NE(wrapped, nullptr);
  EXPECT_FALSE(dynamic_cast<HotStuff&>(wrapped->inner()).equivocates());
  EXPECT_THROW(HotStuff(HotStuffParams{}, 0, 3), std::invalid_argument);
  EXPECT_THROW(HotStuff(HotStuffParams{}, 4, 4), std::invalid_argument);
}

}  // namespace
}  // namespace hlsim
