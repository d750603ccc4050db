// VotePresigner: every signature it hands out is exactly the one sign_vote makes with the voter's
// own key, whether the caller or the worker made it, for votes many validators cast, votes one
// validator casts, votes cast again, and votes older than the batches it keeps.
#include "sim/node/vote_presigner.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace hlsim {
namespace {

std::vector<SigningKey> keys(std::size_t n, SigScheme scheme) {
  std::vector<SigningKey> out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(SigningKey::derive(11, "validator-" + std::to_string(i), scheme));
  }
  return out;
}

SignedVote unsigned_vote(std::uint8_t kind, std::uint64_t height, NodeId voter) {
  SignedVote v;
  v.kind = kind;
  v.height = height;
  v.epoch = height + 100;
  v.block_hash.bytes[0] = static_cast<std::uint8_t>(height);
  v.voter = voter;
  return v;
}

void expect_as_signed_alone(VotePresigner& presigner, const std::vector<SigningKey>& ks,
                            std::uint8_t kind, std::uint64_t height, NodeId voter) {
  SignedVote got = unsigned_vote(kind, height, voter);
  presigner.sign(got);
  SignedVote want = unsigned_vote(kind, height, voter);
  sign_vote(want, ks[voter]);
  EXPECT_EQ(got.voter_key, want.voter_key) << int{kind} << " " << height << " " << voter;
  EXPECT_EQ(got.signature, want.signature) << int{kind} << " " << height << " " << voter;
  EXPECT_TRUE(verify_vote(got));
}

TEST(VotePresignerTest, EveryValidatorGetsTheSignatureItsOwnKeyMakes) {
  for (SigScheme scheme : {SigScheme::kEd25519, SigScheme::kEcdsaP256}) {
    const std::vector<SigningKey> ks = keys(40, scheme);
    VotePresigner presigner(ks);
    for (std::uint64_t height = 1; height <= 3; ++height) {
      // Validators cast in an order unlike the worker's (0, 1, 2, ...).
      for (NodeId i = 0; i < ks.size(); ++i) {
        expect_as_signed_alone(presigner, ks, 1, height, (i * 7 + 3) % 40);
      }
    }
    EXPECT_EQ(presigner.taken() + presigner.signed_inline(), 3u * 40u);
  }
}

TEST(VotePresignerTest, RepeatedOneSignerAndEvictedVotesAreStillRight) {
  const std::vector<SigningKey> ks = keys(8, SigScheme::kEd25519);
  VotePresigner presigner(ks);
  // A vote only one validator casts, twice.
  expect_as_signed_alone(presigner, ks, 9, 1, 2);
  expect_as_signed_alone(presigner, ks, 9, 1, 2);
  // More votes than the presigner keeps, then the oldest again.
  for (std::uint64_t height = 1; height <= VotePresigner::kBatchesKept + 4; ++height) {
    expect_as_signed_alone(presigner, ks, 1, height, 0);
    expect_as_signed_alone(presigner, ks, 1, height, 5);
  }
  for (NodeId v = 0; v < 8; ++v) expect_as_signed_alone(presigner, ks, 1, 1, v);
}

TEST(VotePresignerTest, StopsCleanlyWithWorkQueued) {
  const std::vector<SigningKey> ks = keys(200, SigScheme::kEd25519);
  auto presigner = std::make_unique<VotePresigner>(ks);
  for (std::uint64_t height = 1; height <= 5; ++height) {
    expect_as_signed_alone(*presigner, ks, 1, height, 0);
    expect_as_signed_alone(*presigner, ks, 1, height, 1);
  }
  presigner.reset();  // joins the worker, which abandons what is left
}

}  // namespace
}  // namespace hlsim
