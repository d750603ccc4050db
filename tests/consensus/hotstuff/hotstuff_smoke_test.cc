#include "consensus/hotstuff/hotstuff_test_util.h"

namespace hlsim::testing {
namespace {

TEST(HotStuffSmoke, CommitsABatch) {
  auto c = make_hotstuff_cluster(4, 1);
  c->start();
  auto ids = submit_batch(*c, 0, 0, 5);
  c->run_for(500 * kNsPerMs);
  for (NodeId n = 0; n < 4; ++n) {
    std::cout << "node " << n << " height " << c->chain(n).height() << " txs "
              << c->committed_tx_ids(n).size() << " view " << hs(*c, n).epoch() << " timers "
              << c->live_timers(n, HotStuff::kViewTimer) << "\n";
  }
  for (auto t : {kProposal, kVote, kNewView, kTxGossip, kFetch, kFetchReply})
    std::cout << hotstuff_message_type_names()[t] << " " << c->sent(t) << "\n";
  expect_safe(*c);
  EXPECT_TRUE(all_committed(*c, all_nodes(*c), {ids.begin(), ids.end()}));
}

}  // namespace
}  // namespace hlsim::testing
