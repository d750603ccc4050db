// The canary: with f + 1 equivocating replicas PBFT's guarantees are void, and the Byzantine
// tests must be able to see it — a run in which honest replicas commit different blocks at the
// same height. If this test ever stops finding a divergence, the Byzantine tests (which assert
// there is none with f equivocators) prove nothing.
//
// Why replicas 0 and 2 rather than 0 and 1: an equivocating primary sends one block to
// validators [0, n/2) and the other to the rest, so with replicas 0 and 1 Byzantine both honest
// replicas (2 and 3) are in the same half and see the same block. With 0 (the primary of view 0)
// and 2 Byzantine, honest replica 1 receives the empty block A and honest replica 3 the real
// block B for sequence number 1. Replica 2 prepares and commits both (A after seeing replica 1
// prepare it), and replica 0 commits both. So A gathers prepares from backups 1 and 2 (2f = 2)
// and commits from 0, 1, 2 (2f + 1 = 3) and commits at replica 1; B gathers prepares from 2 and 3
// and commits from 0, 2, 3 and commits at replica 3. Two quorums of 3 out of 4 intersect only in
// the f + 1 = 2 Byzantine replicas.
#include <gtest/gtest.h>

#include <string>

#include "consensus/pbft/pbft_test_util.h"

namespace hlsim::testing {
namespace {

TEST(PbftCanary, FPlusOneEquivocatorsMakeHonestReplicasDiverge) {
  PbftParams params = small_params();
  int diverged = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    auto c =
        make_byzantine_cluster(4, seed, {0, 2}, Behavior::kEquivocate, params, kNsPerMs, kNsPerMs);
    c->start();
    for (std::uint64_t i = 0; i < 8; ++i) c->submit(0, c->make_tx(1, i));
    c->run_for(2 * kNsPerSec);
    const std::string d = c->divergence({1, 3});
    if (!d.empty()) ++diverged;
  }
  EXPECT_GT(diverged, 0) << "f + 1 equivocators never split the honest replicas";
}

TEST(PbftCanary, FEquivocatorsDoNot) {
  // The same scenario with only the primary equivocating: replica 2 is honest and no block gets
  // both 2f prepares and 2f + 1 commits on the side of the empty block.
  PbftParams params = small_params();
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    auto c =
        make_byzantine_cluster(4, seed, {0}, Behavior::kEquivocate, params, kNsPerMs, kNsPerMs);
    c->start();
    for (std::uint64_t i = 0; i < 8; ++i) c->submit(0, c->make_tx(1, i));
    c->run_for(2 * kNsPerSec);
    EXPECT_EQ(c->divergence({1, 2, 3}), "") << "seed " << seed;
    EXPECT_TRUE(c->violations().empty());
    EXPECT_EQ(c->chain(1).height(), c->chain(3).height()) << "seed " << seed;
  }
}

}  // namespace
}  // namespace hlsim::testing
