// Proof of authority's wire codec: round trips, and truncated, trailing or garbage bytes rejected
// (never a crash); a protocol fed malformed messages ignores them.
#include "consensus/poa/poa_messages.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "consensus/poa/poa_test_util.h"
#include "ledger/crypto/signature.h"
#include "ledger/encoding.h"
#include "sim/kernel/rng.h"

namespace hlsim::testing {
namespace {

TxRef make_tx(std::uint64_t nonce, std::size_t payload) {
  Transaction tx;
  tx.client = 7;
  tx.nonce = nonce;
  tx.payload.assign(payload, static_cast<std::uint8_t>(nonce));
  sign_tx(tx, SigningKey::derive(1, "client-7"));
  return std::make_shared<const Transaction>(std::move(tx));
}

BlockRef make_block(Height height, std::uint64_t step, std::vector<TxRef> txs) {
  return seal_block(height, Hash256{}, static_cast<NodeId>(step % 4), step, 0, std::move(txs),
                    SigningKey::derive(1, "node-0"));
}

Bytes body(const Message& m) { return *m.body; }

TEST(PoaMessages, TypeNamesMatchTheEnum) {
  const auto& names = poa_message_type_names();
  ASSERT_EQ(names.size(), 4u);
  EXPECT_EQ(names[static_cast<std::size_t>(PoaMessageType::kBlock)], "block");
  EXPECT_EQ(names[static_cast<std::size_t>(PoaMessageType::kTxGossip)], "tx-gossip");
  EXPECT_EQ(names[static_cast<std::size_t>(PoaMessageType::kFetch)], "fetch");
  EXPECT_EQ(names[static_cast<std::size_t>(PoaMessageType::kFetchReply)], "fetch-reply");
}

TEST(PoaMessages, BlockMessageIsTheBlockEncoding) {
  const BlockRef b = make_block(3, 9, {make_tx(1, 10)});
  const Message m = encode_poa_block(*b);
  EXPECT_EQ(m.type, static_cast<std::uint16_t>(PoaMessageType::kBlock));
  EXPECT_EQ(body(m), b->encode());
  auto back = Block::decode(m.view());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->hash, b->hash);
}

TEST(PoaMessages, TxGossipRoundTrip) {
  PoaTxGossip g{{make_tx(1, 0), make_tx(2, 100), make_tx(3, 5000)}};
  const Message m = encode_message(g);
  EXPECT_EQ(m.type, static_cast<std::uint16_t>(PoaMessageType::kTxGossip));
  auto back = decode_poa_tx_gossip(m.view());
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->txs.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(back->txs[i]->id, g.txs[i]->id);
  auto empty = decode_poa_tx_gossip(encode_message(PoaTxGossip{}).view());
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->txs.empty());
}

TEST(PoaMessages, FetchRoundTripAndRangeChecks) {
  const PoaFetch f{5, 68};
  const Message m = encode_message(f);
  EXPECT_EQ(m.type, static_cast<std::uint16_t>(PoaMessageType::kFetch));
  EXPECT_EQ(decode_poa_fetch(m.view()), f);
  EXPECT_FALSE(decode_poa_fetch(encode_message(PoaFetch{0, 3}).view()).has_value());  // genesis
  EXPECT_FALSE(decode_poa_fetch(encode_message(PoaFetch{4, 3}).view()).has_value());  // empty range
  EXPECT_TRUE(decode_poa_fetch(encode_message(PoaFetch{4, 4}).view()).has_value());
}

TEST(PoaMessages, FetchReplyRoundTrip) {
  const BlockRef a = make_block(4, 4, {});
  const BlockRef b = make_block(5, 5, {make_tx(9, 30)});
  const Bytes ea = a->encode();
  const Bytes eb = b->encode();
  const Message m = encode_message(PoaFetchReply{4, {ea, eb}});
  EXPECT_EQ(m.type, static_cast<std::uint16_t>(PoaMessageType::kFetchReply));
  auto back = decode_poa_fetch_reply(m.view());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->from_height, 4u);
  ASSERT_EQ(back->blocks.size(), 2u);
  EXPECT_TRUE(std::equal(back->blocks[0].begin(), back->blocks[0].end(), ea.begin(), ea.end()));
  EXPECT_TRUE(std::equal(back->blocks[1].begin(), back->blocks[1].end(), eb.begin(), eb.end()));
  auto none = decode_poa_fetch_reply(encode_message(PoaFetchReply{9, {}}).view());
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->blocks.empty());
}

// Every strict prefix and every one-byte extension of a valid body is rejected.
template <class Decode>
void expect_rejects_truncated_and_trailing(const Bytes& valid, Decode decode) {
  ASSERT_TRUE(decode(ByteView(valid)).has_value());
  for (std::size_t len = 0; len < valid.size(); ++len) {
    EXPECT_FALSE(decode(ByteView(valid.data(), len)).has_value()) << "prefix " << len;
  }
  Bytes longer = valid;
  longer.push_back(0);
  EXPECT_FALSE(decode(ByteView(longer)).has_value());
}

TEST(PoaMessages, TruncatedAndTrailingBytesAreRejected) {
  expect_rejects_truncated_and_trailing(body(encode_message(PoaTxGossip{{make_tx(1, 20)}})),
                                        decode_poa_tx_gossip);
  expect_rejects_truncated_and_trailing(body(encode_message(PoaFetch{1, 2})), decode_poa_fetch);
  const Bytes e = make_block(1, 1, {make_tx(2, 3)})->encode();
  expect_rejects_truncated_and_trailing(body(encode_message(PoaFetchReply{1, {e}})),
                                        decode_poa_fetch_reply);
}

TEST(PoaMessages, ForgedCountsAreRejectedWithoutAllocatingForThem) {
  Writer w;
  w.u32(0xFFFF'FFFFu);
  EXPECT_FALSE(decode_poa_tx_gossip(w.data()).has_value());
  Writer r;
  r.u64(1);
  r.u32(0xFFFF'FFFFu);
  EXPECT_FALSE(decode_poa_fetch_reply(r.data()).has_value());
  // from_height + count would wrap.
  Writer wrap;
  wrap.u64(~Height{0});
  wrap.u32(1);
  wrap.bytes(Bytes{1, 2, 3});
  EXPECT_FALSE(decode_poa_fetch_reply(wrap.data()).has_value());
}

TEST(PoaMessages, RandomGarbageNeverDecodesIntoSomethingBogusOrCrashes) {
  Rng rng(5);
  for (int i = 0; i < 2000; ++i) {
    Bytes junk(rng.next_below(80));
    for (auto& b : junk) b = static_cast<std::uint8_t>(rng.next_u64());
    (void)decode_poa_tx_gossip(junk);
    if (auto f = decode_poa_fetch(junk)) {
      EXPECT_GE(f->from_height, 1u);
      EXPECT_LE(f->from_height, f->to_height);
    }
    if (auto r = decode_poa_fetch_reply(junk)) {
      EXPECT_GE(r->from_height, 1u);
    }
  }
}

TEST(PoaMessages, AProtocolIgnoresMalformedMessagesOfEveryType) {
  auto c = make_poa_cluster(4, 3);
  c->start();
  for (std::uint16_t type = 0; type < 6; ++type) {
    c->inject(1, 0, Message::make(type, Bytes{1, 2, 3}));
    c->inject(1, 0, Message::make(type, Bytes{}));
  }
  c->stabilize();
  EXPECT_TRUE(c->in_flight().empty());  // no replies to garbage
  EXPECT_EQ(poa(*c, 0).best_height(), 0u);
  EXPECT_EQ(poa(*c, 0).blocks_rejected(), 2u);  // the two "block" messages
  EXPECT_TRUE(c->violations().empty());
}

}  // namespace
}  // namespace hlsim::testing
