// The hand-stepping harness itself: event order, timers, faults and commit checking, exercised
// with a tiny protocol whose behaviour is obvious.
#include "consensus/harness/cluster.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hlsim::testing {
namespace {

// Node 0 seals a block of each transaction it is given and commits it; every node, on start,
// sets a timer (tag 1, 10 ms) that broadcasts a one-byte ping; pings are logged.
class Toy final : public Protocol {
 public:
  explicit Toy(std::vector<std::string>* log) : log_(log) {}
  void start(Context& ctx) override { ctx.set_timer(10 * kNsPerMs, 1); }
  void on_transaction(Context& ctx, const TxRef& tx) override {
    if (ctx.self() != 0) return;
    const Chain& chain = ctx.ledger();
    ctx.commit(ctx.crypto().seal_block(chain.next_height(), chain.head_hash(), 0, {tx}));
  }
  void on_message(Context& ctx, NodeId from, const Message& msg) override {
    log_->push_back(std::to_string(ctx.now() / kNsPerMs) + ":" + std::to_string(from) + "->" +
                    std::to_string(ctx.self()) + ":" + std::to_string(msg.type));
  }
  void on_timer(Context& ctx, TimerId, std::uint64_t tag) override {
    ++fired_;
    if (tag == 1) ctx.broadcast(Message::make(7, Bytes{1}));
  }
  void on_restart(Context& ctx, bool /*storage_lost*/) override { ctx.set_timer(10 * kNsPerMs, 1); }
  std::uint64_t epoch() const override { return 0; }
  bool is_leader() const override { return false; }
  int fired_ = 0;

 private:
  std::vector<std::string>* log_;
};

std::unique_ptr<Cluster> toy_cluster(std::vector<std::string>* log, std::uint32_t n = 3) {
  ClusterOptions o;
  o.nodes = n;
  o.latency_ns = 2 * kNsPerMs;
  return std::make_unique<Cluster>(
      o, [log](NodeId, std::uint32_t) { return std::make_unique<Toy>(log); });
}

TEST(Harness, EventsRunInTimeThenNodeThenInsertionOrder) {
  std::vector<std::string> log;
  auto c = toy_cluster(&log);
  c->start();
  c->run_for(20 * kNsPerMs);
  // All timers fire at 10 ms (node order), pings arrive at 12 ms ordered by receiver, then sender.
  EXPECT_EQ(log, (std::vector<std::string>{"12:1->0:7", "12:2->0:7", "12:0->1:7", "12:2->1:7",
                                           "12:0->2:7", "12:1->2:7"}));
  EXPECT_EQ(c->now(), 20 * kNsPerMs);
  EXPECT_EQ(c->sent(7), 6u);
  EXPECT_EQ(c->delivered(7), 6u);
}

TEST(Harness, PartitionsCrashesAndDropFiltersLoseMessages) {
  std::vector<std::string> log;
  auto c = toy_cluster(&log);
  c->start();
  c->partition({{0}, {1, 2}});
  c->crash(2);
  EXPECT_EQ(c->live_timers(2, 1), 0u);
  c->run_for(20 * kNsPerMs);
  // Only node 0 and 1 fired; 0 and 1 are partitioned; 2 is down.
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(c->lost(), 4u);
  c->heal();
  c->restart(2);
  c->set_drop_filter([](const Envelope& e) { return e.to == 0; });
  c->run_for(20 * kNsPerMs);
  EXPECT_EQ(log, (std::vector<std::string>{"32:2->1:7"}));
}

TEST(Harness, ManualSteppingFiresTimersAndDeliversSelectedMessages) {
  std::vector<std::string> log;
  auto c = toy_cluster(&log);
  c->start();
  EXPECT_EQ(c->timer_due(1, 1), std::optional<TimeNs>(10 * kNsPerMs));
  ASSERT_TRUE(c->fire_timer(1, 1));
  EXPECT_FALSE(c->fire_timer(1, 1));
  EXPECT_EQ(c->in_flight().size(), 2u);
  EXPECT_EQ(c->drop([](const Envelope& e) { return e.to == 2; }), 1u);
  EXPECT_EQ(c->deliver(), 1u);
  // The timer was due at 10 ms, so firing it moved time there; the ping took 2 ms.
  EXPECT_EQ(log, (std::vector<std::string>{"12:1->0:7"}));
  EXPECT_EQ(c->stabilize(), 0u);
  EXPECT_EQ(c->protocol_as<Toy>(1).fired_, 1);
  EXPECT_EQ(c->protocol_as<Toy>(0).fired_, 0);  // the loop never ran, so no other timer fired
}

TEST(Harness, CommitsAreRecordedAndCheckedAgainstTheChain) {
  std::vector<std::string> log;
  auto c = toy_cluster(&log);
  const TxRef a = c->make_tx(0, 0), b = c->make_tx(0, 1);
  c->submit(0, a);
  c->submit(0, b);
  ASSERT_EQ(c->commits().size(), 2u);
  EXPECT_EQ(c->chain(0).height(), 2u);
  EXPECT_EQ(c->committed_tx_ids(0), (std::vector<Hash256>{a->id, b->id}));
  EXPECT_TRUE(c->violations().empty());
  // The same transaction again: committed twice on one node is a violation.
  c->submit(0, a);
  EXPECT_EQ(c->violations().size(), 1u);
  // A transaction nobody made through the harness is a violation too.
  Transaction forged = *a;
  forged.nonce = 99;
  sign_tx(forged, SigningKey::derive(1, "someone"));
  c->submit(0, std::make_shared<const Transaction>(forged));
  EXPECT_EQ(c->violations().size(), 2u);
  EXPECT_FALSE(c->chains_identical());  // nodes 1 and 2 have nothing
  EXPECT_EQ(c->divergence(), "");       // but nothing conflicts
}

}  // namespace
}  // namespace hlsim::testing
