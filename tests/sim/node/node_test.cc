// A validator's Context/NodeCrypto: real checks, charged costs, and the outbox contract.
#include "sim/node/node.h"

#include <gtest/gtest.h>

#include "ledger/crypto/sha256.h"

namespace hlsim {
namespace {

class IdleProtocol final : public Protocol {
 public:
  void start(Context&) override {}
  void on_transaction(Context&, const TxRef&) override {}
  void on_message(Context&, NodeId, const Message&) override {}
  void on_timer(Context&, TimerId, std::uint64_t) override {}
  void on_restart(Context&, bool) override {}
  std::uint64_t epoch() const override { return 0; }
  bool is_leader() const override { return false; }
};

class NodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (NodeId i = 0; i < 3; ++i) {
      keys_.push_back(SigningKey::derive(5, "validator-" + std::to_string(i)));
      shared_.validator_keys.push_back(keys_.back().public_key());
    }
    node_ = std::make_unique<Node>(0, 3, 2, 5, keys_[0], std::make_unique<IdleProtocol>(), nullptr,
                                   1, &shared_);
    node_->begin_job(0);
  }
  Bytes block_by(const SigningKey& key, NodeId claimed_proposer) {
    return seal_block(1, Hash256{}, claimed_proposer, 1, 0, {}, key)->encode();
  }
  std::vector<SigningKey> keys_;
  NodeShared shared_;
  std::unique_ptr<Node> node_;
};

TEST_F(NodeTest, AcceptsABlockSealedByTheValidatorItNames) {
  EXPECT_TRUE(node_->decode_block(block_by(keys_[1], 1)).has_value());
  EXPECT_GT(node_->job_cost_ns(), shared_.profile.verify_cost_ns(SigScheme::kEd25519) - 1);
}

TEST_F(NodeTest, RejectsABlockSignedByAnOutsider) {
  const SigningKey outsider = SigningKey::derive(5, "mallory");
  EXPECT_FALSE(node_->decode_block(block_by(outsider, 1)).has_value());
}

TEST_F(NodeTest, RejectsABlockWhoseSignerIsAnotherValidator) {
  EXPECT_FALSE(node_->decode_block(block_by(keys_[2], 1)).has_value());
}

TEST_F(NodeTest, RejectsABlockNamingANonexistentProposer) {
  EXPECT_FALSE(node_->decode_block(block_by(keys_[1], 7)).has_value());
}

TEST_F(NodeTest, RejectsAFlippedByteAnywhereInABlockHeaderOrSignature) {
  const Bytes good = block_by(keys_[1], 1);
  // Header (~190 bytes) and signature come first in the encoding.
  for (std::size_t i = 0; i < std::min<std::size_t>(good.size(), 260); ++i) {
    Bytes bad = good;
    bad[i] ^= 0x40;
    EXPECT_FALSE(node_->decode_block(bad).has_value()) << "byte " << i;
  }
}

TEST_F(NodeTest, SignaturesAreRealAndCharged) {
  const Bytes msg = {1, 2, 3};
  const TimeNs before = node_->job_cost_ns();
  const Signature sig = node_->sign(msg);
  EXPECT_EQ(node_->job_cost_ns() - before, shared_.profile.sign_cost_ns(SigScheme::kEd25519));
  EXPECT_TRUE(node_->verify(node_->public_key(), msg, sig));
  EXPECT_FALSE(node_->verify(node_->public_key_of(1), msg, sig));
  EXPECT_EQ(node_->hash(msg), sha256(msg));
}

TEST_F(NodeTest, SendsAndTimersWaitInTheOutboxUntilTheJobEnds) {
  node_->send(1, Message::make(0, Bytes(100, 7)));
  node_->broadcast(Message::make(0, Bytes(10, 1)));
  const TimerId t = node_->set_timer(5 * kNsPerMs, 9);
  EXPECT_EQ(node_->outbox().sends.size(), 3u);  // one send + a broadcast to the two others
  ASSERT_EQ(node_->outbox().timers.size(), 1u);
  EXPECT_EQ(node_->outbox().timers[0].id, t);
  EXPECT_EQ(node_->counters().msgs_sent[0], 3u);
  EXPECT_EQ(node_->counters().bytes_sent[0], 3 * kMessageHeaderBytes + 120);
  node_->begin_job(10);
  EXPECT_TRUE(node_->outbox().sends.empty());
  EXPECT_EQ(node_->job_cost_ns(), 0);
}

TEST_F(NodeTest, RestartForgetsTimersArmedBeforeTheCrash) {
  const TimerId t = node_->set_timer(kNsPerMs, 1);
  node_->crash(100);
  EXPECT_TRUE(node_->crashed());
  node_->restart(200);
  EXPECT_FALSE(node_->crashed());
  EXPECT_EQ(node_->incarnation(), 1u);
  EXPECT_FALSE(node_->timers().fire(t));
}

}  // namespace
}  // namespace hlsim
