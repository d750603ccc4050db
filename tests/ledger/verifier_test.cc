// The three verification policies and the parallel block check.
#include "ledger/verifier.h"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include "ledger/vote.h"
#include "ledger_test_util.h"

namespace hlsim {
namespace {

using testing::make_tx;

// 40 transactions from two signers, every fifth with a corrupted signature.
std::vector<TxRef> mixed_txs() {
  const SigningKey a = SigningKey::derive(4, "client-0");
  const SigningKey b = SigningKey::derive(4, "client-1", SigScheme::kEcdsaP256);
  std::vector<TxRef> txs;
  for (std::uint64_t i = 0; i < 40; ++i) {
    Transaction tx = make_tx(i % 2 == 0 ? a : b, i, 16 + i);
    if (i % 5 == 0) tx.signature.bytes[3] ^= 0x10;
    txs.push_back(std::make_shared<const Transaction>(std::move(tx)));
  }
  return txs;
}

std::vector<std::uint8_t> expected(const std::vector<TxRef>& txs) {
  std::vector<std::uint8_t> out;
  for (const TxRef& tx : txs) out.push_back(verify_tx(*tx) ? 1 : 0);
  return out;
}

TEST(VerifierTest, PolicyNamesRoundTrip) {
  for (VerifyPolicy p : {VerifyPolicy::kEveryNode, VerifyPolicy::kOnce, VerifyPolicy::kModelOnly}) {
    EXPECT_EQ(parse_verify_policy(to_string(p)), p);
  }
  EXPECT_FALSE(parse_verify_policy("sometimes").has_value());
}

TEST(VerifierTest, EveryNodeAndOnceGiveTheRealAnswersRepeatedly) {
  const auto txs = mixed_txs();
  const auto want = expected(txs);
  ASSERT_EQ(std::count(want.begin(), want.end(), 0), 8);
  for (VerifyPolicy p : {VerifyPolicy::kEveryNode, VerifyPolicy::kOnce}) {
    Verifier v(p);
    for (int round = 0; round < 3; ++round) {
      EXPECT_EQ(v.verify_txs(txs), want) << to_string(p) << " round " << round;
      for (std::size_t i = 0; i < txs.size(); ++i) {
        EXPECT_EQ(v.verify_tx(*txs[i]), want[i] != 0) << to_string(p) << " tx " << i;
      }
    }
    EXPECT_EQ(v.skipped(), 0u);
  }
}

TEST(VerifierTest, OnceVerifiesEachSignatureOnlyOnceEveryNodeEveryTime) {
  const auto txs = mixed_txs();
  Verifier once(VerifyPolicy::kOnce);
  Verifier every(VerifyPolicy::kEveryNode);
  for (int node = 0; node < 4; ++node) {
    once.verify_txs(txs);
    every.verify_txs(txs);
  }
  EXPECT_EQ(once.real_checks(), txs.size());
  EXPECT_EQ(once.reused(), 3 * txs.size());
  EXPECT_EQ(every.real_checks(), 4 * txs.size());
  EXPECT_EQ(every.reused(), 0u);
}

TEST(VerifierTest, OnceNeverReusesAValidAnswerForATamperedCopy) {
  const auto txs = mixed_txs();
  Verifier v(VerifyPolicy::kOnce);
  ASSERT_TRUE(v.verify_tx(*txs[1]));
  Transaction stale = *txs[1];  // same id and signature fields, different body
  stale.payload[0] ^= 1;
  auto ref = std::make_shared<const Transaction>(stale);
  EXPECT_FALSE(v.verify_tx(stale));
  EXPECT_EQ(v.verify_txs(std::vector<TxRef>{ref}), std::vector<std::uint8_t>{0});
}

TEST(VerifierTest, ModelOnlyChecksNothingAndSaysSo) {
  const auto txs = mixed_txs();
  Verifier v(VerifyPolicy::kModelOnly);
  EXPECT_EQ(v.verify_txs(txs), std::vector<std::uint8_t>(txs.size(), 1));
  EXPECT_TRUE(v.verify_tx(*txs[0]));  // a forgery, accepted: the documented cost of the policy
  EXPECT_EQ(v.real_checks(), 0u);
  EXPECT_EQ(v.skipped(), txs.size() + 1);
}

TEST(VerifierTest, ParallelCheckIsIdenticalWithOneAndTwoThreads) {
  const auto txs = mixed_txs();
  const auto want = expected(txs);
  for (int threads : {1, 2}) {
    tbb::task_arena arena(threads);
    std::vector<std::uint8_t> got;
    arena.execute([&] { got = verify_txs_parallel(txs); });
    EXPECT_EQ(got, want) << threads << " threads";
    Verifier v(VerifyPolicy::kOnce);
    arena.execute([&] { got = v.verify_txs(txs); });
    EXPECT_EQ(got, want) << threads << " threads, once";
  }
}

TEST(VerifierTest, RememberedAnswerIsReusedUnderOnceOnly) {
  const auto txs = mixed_txs();
  Verifier once(VerifyPolicy::kOnce);
  once.remember(*txs[1], true);
  EXPECT_TRUE(once.verify_tx(*txs[1]));
  EXPECT_EQ(once.reused(), 1u);
  Verifier every(VerifyPolicy::kEveryNode);
  every.remember(*txs[1], true);
  EXPECT_TRUE(every.verify_tx(*txs[1]));
  EXPECT_EQ(every.real_checks(), 1u);
}

}  // namespace
}  // namespace hlsim

namespace hlsim {
namespace {

SignedVote signed_vote(std::uint64_t height, NodeId voter) {
  SignedVote v;
  v.kind = 1;
  v.height = height;
  v.voter = voter;
  sign_vote(v, SigningKey::derive(5, "validator-" + std::to_string(voter)));
  return v;
}

TEST(VerifierTest, VotesBroadcastToManyAreReallyCheckedOnceUnderOnce) {
  std::vector<SignedVote> qc;
  for (NodeId i = 0; i < 5; ++i) qc.push_back(signed_vote(9, i));
  SignedVote forged = qc[2];
  forged.signature.bytes[forged.signature.size - 1] ^= 1;
  qc.push_back(forged);

  Verifier once(VerifyPolicy::kOnce);
  Verifier every(VerifyPolicy::kEveryNode);
  const std::vector<std::uint8_t> expected = {1, 1, 1, 1, 1, 0};
  for (int receiver = 0; receiver < 3; ++receiver) {
    EXPECT_EQ(once.verify_votes(qc), expected);
    EXPECT_EQ(every.verify_votes(qc), expected);
  }
  EXPECT_EQ(once.real_checks(), 6u);
  EXPECT_EQ(once.reused(), 12u);
  EXPECT_EQ(every.real_checks(), 18u);
  Verifier model(VerifyPolicy::kModelOnly);
  EXPECT_EQ(model.verify_votes(qc), std::vector<std::uint8_t>(6, 1));
}

}  // namespace
}  // namespace hlsim
