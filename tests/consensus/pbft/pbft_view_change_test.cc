// The NEW-VIEW planning rule (pbft_view_change.h) on hand-built VIEW-CHANGE sets: the floor is
// the highest proven head, the anchor the highest (view, sequence number) certificate connected
// to it, its chain is re-proposed down to the floor, and above it the chain follows the child
// with the highest vouching view. Signatures are irrelevant here (checked before planning).
#include <gtest/gtest.h>

#include "consensus/pbft/pbft_test_util.h"

namespace hlsim::testing {
namespace {

SigningKey key(NodeId i) { return SigningKey::derive(3, "node-" + std::to_string(i)); }

// Distinct blocks at the same height differ by their transaction.
BlockRef block(Height h, const Hash256& prev, std::uint64_t tag) {
  Transaction t;
  t.client = 1;
  t.nonce = tag;
  sign_tx(t, SigningKey::derive(3, "client"));
  return seal_block(h, prev, 0, 0, 0, {std::make_shared<const Transaction>(std::move(t))}, key(0));
}

PreparedCert cert(std::uint64_t view, const BlockRef& b) {
  PreparedCert c;
  c.pre_prepare.kind = vote_kind(PbftVoteKind::kPrePrepare);
  c.pre_prepare.height = b->header.height;
  c.pre_prepare.epoch = view;
  c.pre_prepare.block_hash = b->hash;
  c.pre_prepare.voter = static_cast<NodeId>(view % 4);
  return c;
}

CheckedViewChange vc(NodeId sender, Height head, const Hash256& head_hash,
                     std::vector<PreparedCert> certs, const std::vector<BlockRef>& blocks) {
  CheckedViewChange c;
  c.sender = sender;
  c.vc.new_view = 9;
  c.vc.head = head;
  c.vc.head_hash = head_hash;
  c.vc.certs = std::move(certs);
  for (const BlockRef& b : blocks) c.blocks.emplace(b->hash, b);
  return c;
}

std::vector<Hash256> hashes(const NewViewPlan& p) {
  std::vector<Hash256> out;
  for (const BlockRef& b : p.chain) out.push_back(b->hash);
  return out;
}

TEST(PbftPlan, NothingPreparedReproposesNothingAboveTheHighestProvenHead) {
  const BlockRef b1 = block(1, Hash256{}, 1);
  const CheckedViewChange a = vc(0, 0, Hash256{}, {}, {});
  const CheckedViewChange b = vc(1, 1, b1->hash, {}, {});
  auto plan = plan_new_view({&a, &b});
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->floor, 1u);
  EXPECT_EQ(plan->floor_hash, b1->hash);
  EXPECT_TRUE(plan->chain.empty());
}

TEST(PbftPlan, ACertificateBringsTheUncertifiedBlocksUnderIt) {
  const BlockRef b1 = block(1, Hash256{}, 1);
  const BlockRef b2 = block(2, b1->hash, 2);
  const BlockRef b3 = block(3, b2->hash, 3);
  const CheckedViewChange a = vc(0, 0, Hash256{}, {cert(0, b3)}, {b1, b2, b3});
  const CheckedViewChange b = vc(1, 0, Hash256{}, {}, {});
  auto plan = plan_new_view({&a, &b});
  ASSERT_TRUE(plan);
  EXPECT_EQ(hashes(*plan), (std::vector<Hash256>{b1->hash, b2->hash, b3->hash}));
}

TEST(PbftPlan, AHigherViewCertificateBeatsALowerViewBranchAboveIt) {
  // View 1 certified Y2 on P1; view 2 then certified X1 (another block at height 1). Y2 cannot
  // have committed (a committed Y2 would have been re-proposed in view 2 with P1), so the new
  // view keeps X1 and drops the branch.
  const BlockRef p1 = block(1, Hash256{}, 1);
  const BlockRef y2 = block(2, p1->hash, 2);
  const BlockRef x1 = block(1, Hash256{}, 3);
  const CheckedViewChange a = vc(0, 0, Hash256{}, {cert(1, y2)}, {p1, y2});
  const CheckedViewChange b = vc(1, 0, Hash256{}, {cert(2, x1)}, {x1});
  auto plan = plan_new_view({&a, &b});
  ASSERT_TRUE(plan);
  EXPECT_EQ(hashes(*plan), (std::vector<Hash256>{x1->hash}));
}

TEST(PbftPlan, AboveTheAnchorTheChainFollowsLowerViewCertificatesThatExtendIt) {
  // The anchor (view 3, height 1) is X1; a view-2 certificate for Z3 on X1 <- Y2 extends it (Z3
  // may have committed in view 2, and view 3 re-proposed its chain). A view-1 certificate for W2
  // on X1 competes with Y2 at height 2 and loses on its vouching view.
  const BlockRef x1 = block(1, Hash256{}, 1);
  const BlockRef y2 = block(2, x1->hash, 2);
  const BlockRef z3 = block(3, y2->hash, 3);
  const BlockRef w2 = block(2, x1->hash, 4);
  const CheckedViewChange a = vc(0, 0, Hash256{}, {cert(3, x1)}, {x1});
  const CheckedViewChange b = vc(1, 0, Hash256{}, {cert(1, w2)}, {x1, w2});
  const CheckedViewChange c = vc(2, 0, Hash256{}, {cert(2, z3)}, {x1, y2, z3});
  auto plan = plan_new_view({&a, &b, &c});
  ASSERT_TRUE(plan);
  EXPECT_EQ(hashes(*plan), (std::vector<Hash256>{x1->hash, y2->hash, z3->hash}));
}

TEST(PbftPlan, CertificatesOffTheProvenChainAreIgnored) {
  // Replica 1 proves F1 final; replica 0's certificate is for a block on another block at
  // height 1 (it cannot have committed: F1 did).
  const BlockRef f1 = block(1, Hash256{}, 1);
  const BlockRef g1 = block(1, Hash256{}, 2);
  const BlockRef g2 = block(2, g1->hash, 3);
  const BlockRef f2 = block(2, f1->hash, 4);
  const CheckedViewChange a = vc(0, 0, Hash256{}, {cert(5, g2)}, {g1, g2});
  const CheckedViewChange b = vc(1, 1, f1->hash, {cert(4, f2)}, {f2});
  auto plan = plan_new_view({&a, &b});
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->floor, 1u);
  EXPECT_EQ(hashes(*plan), (std::vector<Hash256>{f2->hash}));
}

}  // namespace
}  // namespace hlsim::testing
