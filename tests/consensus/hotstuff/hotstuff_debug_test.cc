#include <cstdlib>

#include "consensus/hotstuff/hotstuff_test_util.h"

namespace hlsim::testing {
namespace {

TEST(HotStuffDebug, Run) {
  const char* b = std::getenv("HS_BEH");
  if (!b) GTEST_SKIP();
  Behavior beh = *parse_behavior(b);
  std::uint64_t seed = std::strtoull(std::getenv("HS_SEED"), nullptr, 10);
  std::uint32_t nodes = std::getenv("HS_N") ? std::atoi(std::getenv("HS_N")) : 4;
  NodeId byz = std::atoi(std::getenv("HS_BYZ"));
  HotStuffClusterOptions o;
  o.nodes = nodes;
  o.seed = seed;
  o.jitter_ns = kNsPerMs;
  o.byzantine[byz] = beh;
  auto c = make_hotstuff_cluster(o);
  std::vector<NodeId> honest;
  for (NodeId n = 0; n < nodes; ++n)
    if (n != byz) honest.push_back(n);
  c->start();
  Rng rng = Rng::stream(seed, RngDomain::kScenario, 7);
  std::set<Hash256> ids;
  std::uint64_t nonce = 0;
  for (TimeNs t = 0; t < 1500 * kNsPerMs; t += 25 * kNsPerMs) {
    c->run_until(t);
    const NodeId to = honest[rng.next_below(honest.size())];
    const TxRef tx = c->make_tx(static_cast<ClientId>(to), nonce++);
    ids.insert(tx->id);
    c->submit(to, tx);
  }
  for (int i = 0; i < 20; ++i) {
    c->run_for(std::getenv("HS_STEP") ? std::atoi(std::getenv("HS_STEP")) * kNsPerMs
                                      : 500 * kNsPerMs);
    std::cout << "t=" << c->now() / kNsPerMs << "ms";
    for (NodeId n = 0; n < nodes; ++n) {
      auto& h = hs(*c, n);
      std::cout << " | n" << n << " h" << c->chain(n).height() << " v" << h.epoch() << " hq"
                << h.core().high_qc().view << " lk" << h.core().lock().view << " lv"
                << h.core().last_voted_view() << " mp" << h.mempool().size() << " w"
                << h.wanted_blocks() << " d" << h.deferred() << " f" << h.pacemaker().failures();
    }
    std::cout << "\n";
    if (all_committed(*c, honest, ids)) break;
  }
  for (auto t : {kProposal, kVote, kNewView, kTxGossip, kFetch, kFetchReply})
    std::cout << hotstuff_message_type_names()[t] << " " << c->sent(t) << "\n";
  std::cout << "rejected blocks " << c->blocks_rejected() << "\n";
}

}  // namespace
}  // namespace hlsim::testing
