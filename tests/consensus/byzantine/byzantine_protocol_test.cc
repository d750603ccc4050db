// The generic Byzantine behaviours, applied around Raft in the hand-steppable cluster: what each
// one does to the node's messages and signatures, and that a Raft cluster with a silent minority
// keeps committing.
#include "consensus/byzantine/byzantine_protocol.h"

#include <gtest/gtest.h>

#include "consensus/harness/cluster.h"
#include "consensus/raft/raft.h"
#include "consensus/raft/raft_messages.h"
#include "consensus/raft/raft_params.h"
#include "consensus/registry.h"

namespace hlsim {
namespace {

using testing::Cluster;
using testing::ClusterOptions;
using testing::Envelope;

constexpr auto kAppend = static_cast<std::uint16_t>(RaftMessageType::kAppendEntries);
constexpr auto kVote = static_cast<std::uint16_t>(RaftMessageType::kVote);

// A 3-node Raft cluster where node `odd` behaves as `behavior`; node 0 is made leader first
// (its election timer fires before anyone else's) unless it is the odd one.
std::unique_ptr<Cluster> cluster(NodeId odd, Behavior behavior, std::uint64_t seed = 1) {
  ClusterOptions o;
  o.nodes = 3;
  o.seed = seed;
  o.byzantine = {odd};
  const ProtocolInfo& info = raft_protocol_info();
  const ParamValues values = ParamValues::defaults(info.params);
  return std::make_unique<Cluster>(o, [&info, values, odd, behavior](NodeId self, std::uint32_t n) {
    return make_protocol(info, values, self, n, self == odd ? behavior : Behavior::kHonest);
  });
}

TEST(ByzantineProtocolTest, HonestAndEquivocatingBuildsAreNotWrapped) {
  const ProtocolInfo& info = raft_protocol_info();
  auto p = make_protocol(info, ParamValues::defaults(info.params), 0, 3, Behavior::kHonest);
  EXPECT_EQ(dynamic_cast<ByzantineProtocol*>(p.get()), nullptr);
  auto s = make_protocol(info, ParamValues::defaults(info.params), 0, 3, Behavior::kSilent);
  ASSERT_NE(dynamic_cast<ByzantineProtocol*>(s.get()), nullptr);
  EXPECT_NE(dynamic_cast<Raft*>(&dynamic_cast<ByzantineProtocol*>(s.get())->inner()), nullptr);
}

TEST(ByzantineProtocolTest, ASilentNodeSendsNothingButTheOthersStillCommit) {
  auto c = cluster(2, Behavior::kSilent);
  std::uint64_t sent_by_silent = 0;
  c->set_send_observer([&](const Envelope& e) { sent_by_silent += e.from == 2 ? 1 : 0; });
  c->start();
  c->run_for(2 * kNsPerSec);
  for (std::uint64_t i = 0; i < 20; ++i) c->submit(i % 3, c->make_tx(i, i));
  c->run_for(3 * kNsPerSec);
  EXPECT_EQ(sent_by_silent, 0u);
  EXPECT_GT(dynamic_cast<ByzantineProtocol&>(c->protocol(2)).dropped(), 0u);
  // Transactions given to the silent node are never forwarded; the others' are committed.
  std::size_t committed = c->committed_tx_ids(0).size();
  EXPECT_GE(committed, 13u);
  EXPECT_LT(committed, 20u);
  EXPECT_EQ(c->divergence({0, 1}), "");
  EXPECT_TRUE(c->violations().empty());
}

TEST(ByzantineProtocolTest, ForgedSignaturesAreRejectedByRealVerification) {
  ClusterOptions o;
  o.nodes = 1;
  const ProtocolInfo& info = raft_protocol_info();
  Cluster c(o, [&info](NodeId self, std::uint32_t n) {
    return make_protocol(info, ParamValues::defaults(info.params), self, n,
                         Behavior::kInvalidSignatures);
  });
  c.start();
  c.run_for(kNsPerSec);
  // A one-node Raft commits its own blocks; the block it seals carries a corrupted signature
  // that check_block rejects.
  c.submit(0, c.make_tx(1, 1));
  c.run_for(kNsPerSec);
  ASSERT_GE(c.chain(0).height(), 1u);
  const Block& b = *c.chain(0).at(c.chain(0).height());
  EXPECT_EQ(check_block(b), BlockCheck::kBadSignature);
}

TEST(ByzantineProtocolTest, CorruptSignatureFailsVerificationForBothSchemes) {
  for (SigScheme scheme : {SigScheme::kEd25519, SigScheme::kEcdsaP256}) {
    const SigningKey key = SigningKey::derive(3, "v", scheme);
    const Bytes msg = {1, 2, 3};
    const Signature good = key.sign(msg);
    EXPECT_TRUE(verify_signature(key.public_key(), msg, good));
    EXPECT_FALSE(verify_signature(key.public_key(), msg, corrupt_signature(good)));
  }
}

// A stub protocol that, when started, broadcasts one message of each role (type 0 proposal,
// 1 vote, 2 other) carrying a signed vote, so each behaviour's effect is visible exactly.
class Chatter final : public Protocol {
 public:
  void start(Context& ctx) override {
    SignedVote v;
    v.kind = 1;
    v.height = 1;
    ctx.crypto().sign_vote(v);
    for (std::uint16_t type = 0; type < 3; ++type) ctx.broadcast(Message::make(type, v.encode()));
  }
  void on_transaction(Context& /*ctx*/, const TxRef& /*tx*/) override {}
  void on_message(Context& ctx, NodeId /*from*/, const Message& msg) override {
    auto v = SignedVote::decode(msg.view());
    if (v && ctx.crypto().verify_votes(std::span<const SignedVote>(&*v, 1))[0]) ++valid_votes;
  }
  void on_timer(Context& /*ctx*/, TimerId /*id*/, std::uint64_t /*tag*/) override {}
  void on_restart(Context& /*ctx*/, bool /*storage_lost*/) override {}
  std::uint64_t epoch() const override { return 0; }
  bool is_leader() const override { return false; }
  int valid_votes = 0;
};

struct Sent {
  std::uint16_t type;
  TimeNs sent_ns;
};

// Two nodes: node 0 behaves as `behavior` (delay 100 ms), node 1 is an honest Chatter.
std::vector<Sent> run_chatter(Behavior behavior, int* valid_votes_at_1 = nullptr) {
  ClusterOptions o;
  o.nodes = 2;
  o.byzantine = {0};
  Cluster c(o, [behavior](NodeId self, std::uint32_t /*n*/) -> std::unique_ptr<Protocol> {
    auto chatter = std::make_unique<Chatter>();
    if (self != 0 || behavior == Behavior::kHonest) return chatter;
    return std::make_unique<ByzantineProtocol>(std::move(chatter), behavior,
                                               std::vector<std::uint16_t>{0},
                                               std::vector<std::uint16_t>{1}, 100 * kNsPerMs);
  });
  std::vector<Sent> sent;
  c.set_send_observer([&](const Envelope& e) {
    if (e.from == 0) sent.push_back({e.msg.type, e.sent_ns});
  });
  c.start();
  c.run_for(kNsPerSec);
  if (valid_votes_at_1 != nullptr) {
    *valid_votes_at_1 = dynamic_cast<Chatter&>(c.protocol(1)).valid_votes;
  }
  return sent;
}

TEST(ByzantineProtocolTest, EachGenericBehaviourChangesExactlyWhatItSays) {
  int valid = 0;
  auto honest = run_chatter(Behavior::kHonest, &valid);
  ASSERT_EQ(honest.size(), 3u);
  EXPECT_EQ(valid, 3);

  EXPECT_TRUE(run_chatter(Behavior::kSilent).empty());

  auto withheld = run_chatter(Behavior::kWithholdVotes);
  ASSERT_EQ(withheld.size(), 2u);
  EXPECT_EQ(withheld[0].type, 0);
  EXPECT_EQ(withheld[1].type, 2);

  auto delayed = run_chatter(Behavior::kDelayProposals);
  ASSERT_EQ(delayed.size(), 3u);
  EXPECT_EQ(delayed[0].type, 1);  // vote and other leave at once
  EXPECT_EQ(delayed[1].type, 2);
  EXPECT_EQ(delayed[0].sent_ns, 0);
  EXPECT_EQ(delayed[2].type, 0);  // the proposal 100 ms later
  EXPECT_EQ(delayed[2].sent_ns, 100 * kNsPerMs);

  auto forged = run_chatter(Behavior::kInvalidSignatures, &valid);
  EXPECT_EQ(forged.size(), 3u);
  EXPECT_EQ(valid, 0);  // every vote the forger signed fails real verification
}

}  // namespace
}  // namespace hlsim
