// Channels and private data collections through the whole simulator: a peer receives nothing of a
// channel it is not a member of, and nothing of a collection's payload or clear state unless its
// organisation is a member, while every member reaches the same public and private state; this
// holds across an orderer crash (reconnecting peers seek each of their channels).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "ledger/block.h"
#include "ledger/encoding.h"
#include "ledger/eov/envelope.h"
#include "tests/sim/fabric/fabric_runs.h"

namespace hlsim {
namespace {

// hospital_a (peers 0, 1), hospital_b (2), insurer (3), pharmacy (4).
// care: hospital_a, hospital_b, insurer. audit: hospital_a, pharmacy, and takes access requests
// (of its members: hospital_a's access requests go there, its other kinds to care). Record writes
// on care are private to the collection phi of the two hospitals.
std::string scenario(const std::string& faults = "") {
  return "seed: 5\nduration_s: 6\ndrain_s: 4\n" + faults +
         "pipeline:\n"
         "  kind: fabric\n"
         "  organisations: 'hospital_a:2, hospital_b:1, insurer:1, pharmacy:1'\n"
         "  channels: 'care: hospital_a hospital_b insurer; audit: hospital_a pharmacy'\n"
         "  channel_kinds: 'audit: access_request'\n"
         "  collections: 'phi@care: hospital_a hospital_b'\n"
         "  collection_kinds: 'phi: record_write'\n"
         "consensus: {protocol: raft, nodes: 4, max_block_tx: 50}\n"
         "workload: {kind: ehr, clients: 10, rate_tps: 150}\n"
         "network: {latency_ms: 2}\n";
}

constexpr std::uint32_t kCare = 0;
constexpr std::uint32_t kAudit = 1;
constexpr std::uint32_t kPhi = 0;

struct Receipt {
  std::uint32_t peer;
  PeerReceipt what;
  std::uint32_t channel;
  std::string bytes;
};

struct Observed {
  Ran ran;
  std::vector<Receipt> receipts;
};

Observed run_observed(const std::string& text) {
  Observed o;
  o.ran = run(text, [&](Simulation& sim) {
    sim.pipeline()->observe_receipts(
        [&o](std::uint32_t peer, PeerReceipt what, std::uint32_t channel, ByteView bytes) {
          o.receipts.push_back({peer, what, channel, std::string(bytes.begin(), bytes.end())});
        });
  });
  return o;
}

bool member(std::uint32_t peer, std::uint32_t channel) {
  static const std::set<std::uint32_t> care = {0, 1, 2, 3};
  static const std::set<std::uint32_t> audit = {0, 1, 4};
  return (channel == kCare ? care : audit).contains(peer);
}
bool phi_member(std::uint32_t peer) { return peer <= 2; }

void expect_isolation(const Observed& o) {
  // What only phi's members may hold: each private payload, and each clear value written.
  std::vector<std::string> secrets;
  for (const Receipt& r : o.receipts) {
    if (r.what == PeerReceipt::kTransient) secrets.push_back(r.bytes);
    if (r.what == PeerReceipt::kPrivateData) {
      Reader reader(
          ByteView(reinterpret_cast<const std::uint8_t*>(r.bytes.data()), r.bytes.size()));
      const auto rw = RwSet::decode_from(reader);
      ASSERT_TRUE(rw.has_value());
      for (const KvWrite& w : rw->writes) {
        if (w.value && w.value->size() >= 16) secrets.push_back(*w.value);
      }
    }
  }
  ASSERT_GT(secrets.size(), 20u);
  std::sort(secrets.begin(), secrets.end());
  secrets.erase(std::unique(secrets.begin(), secrets.end()), secrets.end());

  std::uint64_t blocks_seen = 0;
  for (const Receipt& r : o.receipts) {
    // Nothing of a channel reaches a non-member.
    EXPECT_TRUE(member(r.peer, r.channel)) << "peer " << r.peer << " channel " << r.channel;
    if (r.what == PeerReceipt::kBlock) {
      // By content too: every envelope of a block names one of the receiver's channels.
      const auto block = Block::decode(
          ByteView(reinterpret_cast<const std::uint8_t*>(r.bytes.data()), r.bytes.size()));
      ASSERT_TRUE(block.has_value());
      for (const TxRef& tx : block->txs) {
        const auto channel = envelope_channel(tx->payload);
        ASSERT_TRUE(channel.has_value());
        EXPECT_TRUE(member(r.peer, *channel)) << "peer " << r.peer;
      }
      ++blocks_seen;
    }
    if (phi_member(r.peer)) continue;
    // A non-member of phi gets no private payload or clear private data, in any message.
    EXPECT_NE(r.what, PeerReceipt::kTransient) << "peer " << r.peer;
    EXPECT_NE(r.what, PeerReceipt::kPrivateData) << "peer " << r.peer;
    for (const std::string& s : secrets) {
      ASSERT_EQ(r.bytes.find(s), std::string::npos)
          << "peer " << r.peer << " received private data in a message of kind "
          << static_cast<int>(r.what);
    }
  }
  EXPECT_GT(blocks_seen, 50u);
}

TEST(FabricChannelsTest, NonMembersNeverReceiveAChannelOrAPrivatePayload) {
  const Observed o = run_observed(scenario());
  const Ran& r = o.ran;
  ASSERT_TRUE(r.outcome.complete) << r.outcome.stop_reason;
  expect_peers_agree(*r.sim);
  expect_isolation(o);
  const FabricPipeline& p = *r.sim->pipeline();
  // Members of phi hold the same private state; the others hold none.
  std::set<std::uint64_t> private_digests;
  for (std::uint32_t peer = 0; peer < p.peer_count(); ++peer) {
    const auto d = p.peer_private_digest(peer, kPhi);
    EXPECT_EQ(d.has_value(), phi_member(peer)) << "peer " << peer;
    if (d && p.peer_height(peer, kCare) == p.peer_height(0, kCare)) private_digests.insert(*d);
    EXPECT_EQ(p.peer_height(peer, kAudit).has_value(), member(peer, kAudit));
  }
  EXPECT_EQ(private_digests.size(), 1u);
  // Both channels and the collection carried work; the routing rejected what it had to.
  EXPECT_GT(r.figures.at("valid.care"), 100);
  EXPECT_GT(r.figures.at("valid.audit"), 50);
  EXPECT_GT(r.figures.at("private_valid"), 50);
  EXPECT_GT(r.figures.at("private_disseminations"), r.figures.at("private_valid"));
  EXPECT_GT(r.figures.at("rejected_no_channel"), 0);  // the pharmacy's other kinds
  EXPECT_EQ(r.figures.at("channels"), 2);
  std::uint64_t private_ordered = 0;
  for (const PipelineTxTimes& t : p.tx_times()) {
    if (t.collection == kPhi) {
      EXPECT_EQ(t.channel, kCare);
      private_ordered += t.validated ? 1 : 0;
    }
  }
  EXPECT_GT(private_ordered, 50u);
}

TEST(FabricChannelsTest, IsolationAndAgreementHoldAcrossAnOrdererCrash) {
  const Observed o = run_observed(
      scenario("faults:\n  - {at_s: 2, crash: leader}\n  - {at_s: 3.5, restart: crashed}\n"));
  const Ran& r = o.ran;
  ASSERT_TRUE(r.outcome.complete) << r.outcome.stop_reason;
  expect_peers_agree(*r.sim);
  expect_isolation(o);
  std::uint64_t reconnects = 0;
  for (const PeerCounters& c : r.sim->pipeline()->peer_counters()) reconnects += c.reconnects;
  EXPECT_GT(reconnects, 0u);
  for (const PipelineTxTimes& t : r.sim->pipeline()->tx_times()) {
    if (t.ordered_ns >= 0) {
      EXPECT_TRUE(t.validated);
    }
  }
}

TEST(FabricChannelsTest, UnknownTransactionKindsNameTheKey) {
  for (const auto& [key, line] : std::vector<std::pair<std::string, std::string>>{
           {"pipeline.channel_kinds", "  channel_kinds: 'audit: access_reqest'\n"},
           {"pipeline.collection_kinds", "  collection_kinds: 'phi: record_writ'\n"}}) {
    std::string text = scenario();
    const std::string original = key == "pipeline.channel_kinds"
                                     ? "  channel_kinds: 'audit: access_request'\n"
                                     : "  collection_kinds: 'phi: record_write'\n";
    text.replace(text.find(original), original.size(), line);
    auto sc = load_scenario_text(text, "test.yaml", {}, kDataDir, kDataDir);
    ASSERT_TRUE(sc.ok()) << sc.error().message;
    auto sim = Simulation::create(sc.value());
    ASSERT_FALSE(sim.ok());
    EXPECT_EQ(sim.error().message.rfind(key + ": ", 0), 0u) << sim.error().message;
    EXPECT_NE(sim.error().message.find("no transaction kind"), std::string::npos);
  }
}

}  // namespace
}  // namespace hlsim
