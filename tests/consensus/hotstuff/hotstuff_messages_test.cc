// HotStuff's wire codec: every message type roundtrips, and truncated, extended or garbled bytes
// fail cleanly (nullopt, never a crash).
#include "consensus/hotstuff/hotstuff_messages.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <vector>

#include "ledger/block.h"
#include "ledger/crypto/signature.h"
#include "sim/kernel/rng.h"

namespace hlsim::hotstuff {
namespace {

TxRef make_tx(std::uint64_t nonce, std::size_t payload_bytes) {
  static const SigningKey key = SigningKey::derive(1, "client-0");
  Transaction tx;
  tx.client = 0;
  tx.nonce = nonce;
  tx.submit_ns = static_cast<TimeNs>(nonce) * kNsPerMs;
  tx.payload.assign(payload_bytes, static_cast<std::uint8_t>(nonce));
  sign_tx(tx, key);
  return std::make_shared<const Transaction>(std::move(tx));
}

SignedVote make_vote(NodeId voter, std::uint8_t kind, std::uint64_t view, Height height,
                     const Hash256& hash) {
  SignedVote v;
  v.kind = kind;
  v.epoch = view;
  v.height = height;
  v.block_hash = hash;
  v.voter = voter;
  sign_vote(v, SigningKey::derive(1, "node-" + std::to_string(voter)));
  return v;
}

BlockRef sample_block(Height height, std::uint64_t view) {
  static const SigningKey key = SigningKey::derive(1, "node-1");
  return seal_block(height, Hash256{}, 1, view, 100, {make_tx(1, 40), make_tx(2, 3)}, key);
}

QuorumCert sample_qc() {
  const BlockRef b = sample_block(4, 6);
  QuorumCert qc;
  qc.view = 6;
  qc.height = 4;
  qc.block_hash = b->hash;
  for (NodeId n : {0u, 2u, 3u}) qc.votes.push_back(make_vote(n, kVoteKind, 6, 4, b->hash));
  return qc;
}

void expect_same(const QuorumCert& a, const QuorumCert& b) {
  EXPECT_EQ(a.view, b.view);
  EXPECT_EQ(a.height, b.height);
  EXPECT_EQ(a.block_hash, b.block_hash);
  ASSERT_EQ(a.votes.size(), b.votes.size());
  for (std::size_t i = 0; i < a.votes.size(); ++i)
    EXPECT_EQ(a.votes[i].encode(), b.votes[i].encode());
}

std::uint16_t type_of(HotStuffMessageType t) { return static_cast<std::uint16_t>(t); }

TEST(HotStuffMessages, ProposalRoundtripsWithBlockAndJustify) {
  const Bytes block = sample_block(5, 7)->encode();
  const Proposal m{block, sample_qc()};
  const Message msg = encode_message(m);
  EXPECT_EQ(msg.type, type_of(HotStuffMessageType::kProposal));
  auto back = decode_proposal(msg.view());
  ASSERT_TRUE(back);
  EXPECT_EQ(Bytes(back->block.begin(), back->block.end()), block);
  expect_same(back->justify, m.justify);
  // The genesis justify: no votes.
  auto genesis = decode_proposal(encode_message(Proposal{block, QuorumCert{}}).view());
  ASSERT_TRUE(genesis);
  EXPECT_TRUE(genesis->justify.is_genesis());
  EXPECT_TRUE(genesis->justify.votes.empty());
}

TEST(HotStuffMessages, VoteRoundtrips) {
  const SignedVote v = make_vote(3, kVoteKind, 9, 8, sample_block(8, 9)->hash);
  const Message msg = encode_message(v);
  EXPECT_EQ(msg.type, type_of(HotStuffMessageType::kVote));
  auto back = decode_vote(msg.view());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->encode(), v.encode());
  EXPECT_TRUE(verify_vote(*back));
}

TEST(HotStuffMessages, NewViewRoundtripsWithAndWithoutTheLastVote) {
  NewView m;
  m.view = 8;
  m.committed_height = 2;
  m.high_qc = sample_qc();
  m.timeout = make_vote(2, kTimeoutKind, 8, m.high_qc.height, m.high_qc.block_hash);
  for (bool with_vote : {false, true}) {
    if (with_vote) m.last_vote = make_vote(2, kVoteKind, 7, 5, sample_block(5, 7)->hash);
    const Message msg = encode_message(m);
    EXPECT_EQ(msg.type, type_of(HotStuffMessageType::kNewView));
    auto back = decode_new_view(msg.view());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->view, 8u);
    EXPECT_EQ(back->committed_height, 2u);
    expect_same(back->high_qc, m.high_qc);
    EXPECT_EQ(back->timeout.encode(), m.timeout.encode());
    ASSERT_EQ(back->last_vote.has_value(), with_vote);
    if (with_vote) {
      EXPECT_EQ(back->last_vote->encode(), m.last_vote->encode());
    }
  }
}

TEST(HotStuffMessages, TxGossipFetchAndFetchReplyRoundtrip) {
  const TxGossip g{{make_tx(1, 10), make_tx(2, 0), make_tx(3, 300)}};
  auto g_back = decode_tx_gossip(encode_message(g).view());
  ASSERT_TRUE(g_back);
  ASSERT_EQ(g_back->txs.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(g_back->txs[i]->id, g.txs[i]->id);
  EXPECT_EQ(encode_message(g).type, type_of(HotStuffMessageType::kTxGossip));

  const Fetch f{sample_block(3, 3)->hash, 3, 1};
  EXPECT_EQ(encode_message(f).type, type_of(HotStuffMessageType::kFetch));
  auto f_back = decode_fetch(encode_message(f).view());
  ASSERT_TRUE(f_back);
  EXPECT_EQ(*f_back, f);

  const Bytes b1 = sample_block(6, 9)->encode();
  const Bytes b2 = sample_block(5, 8)->encode();
  for (bool with_qc : {false, true}) {
    FetchReply r;
    if (with_qc) r.qc = sample_qc();
    r.blocks = {b1, b2};
    const Message msg = encode_message(r);
    EXPECT_EQ(msg.type, type_of(HotStuffMessageType::kFetchReply));
    auto back = decode_fetch_reply(msg.view());
    ASSERT_TRUE(back);
    ASSERT_EQ(back->qc.has_value(), with_qc);
    if (with_qc) expect_same(*back->qc, *r.qc);
    ASSERT_EQ(back->blocks.size(), 2u);
    EXPECT_EQ(Bytes(back->blocks[0].begin(), back->blocks[0].end()), b1);
    EXPECT_EQ(Bytes(back->blocks[1].begin(), back->blocks[1].end()), b2);
  }
}

// Every message type, encoded once, with its decoder.
struct Sample {
  Message msg;
  std::function<bool(ByteView)> decodes;
};

std::vector<Sample> samples() {
  static const Bytes block = sample_block(5, 7)->encode();
  NewView nv;
  nv.view = 8;
  nv.high_qc = sample_qc();
  nv.timeout = make_vote(2, kTimeoutKind, 8, nv.high_qc.height, nv.high_qc.block_hash);
  nv.last_vote = make_vote(2, kVoteKind, 7, 4, nv.high_qc.block_hash);
  FetchReply reply;
  reply.qc = sample_qc();
  reply.blocks = {block};
  return {
      {encode_message(Proposal{block, sample_qc()}),
       [](ByteView b) { return decode_proposal(b).has_value(); }},
      {encode_message(make_vote(1, kVoteKind, 3, 2, Hash256{})),
       [](ByteView b) { return decode_vote(b).has_value(); }},
      {encode_message(nv), [](ByteView b) { return decode_new_view(b).has_value(); }},
      {encode_message(TxGossip{{make_tx(1, 20), make_tx(2, 5)}}),
       [](ByteView b) { return decode_tx_gossip(b).has_value(); }},
      {encode_message(Fetch{Hash256{}, 0, 3}),
       [](ByteView b) { return decode_fetch(b).has_value(); }},
      {encode_message(reply), [](ByteView b) { return decode_fetch_reply(b).has_value(); }},
  };
}

TEST(HotStuffMessages, EveryTruncationAndEveryExtensionIsRejected) {
  for (const Sample& s : samples()) {
    const Bytes& body = *s.msg.body;
    ASSERT_TRUE(s.decodes(body)) << s.msg.type;
    for (std::size_t len = 0; len < body.size(); ++len) {
      EXPECT_FALSE(s.decodes(ByteView(body.data(), len)))
          << "type " << s.msg.type << " len " << len;
    }
    Bytes longer = body;
    longer.push_back(0);
    EXPECT_FALSE(s.decodes(longer)) << s.msg.type;
  }
}

TEST(HotStuffMessages, GarbageNeverCrashesAndForgedCountsAreRejected) {
  Rng rng(42);
  for (const Sample& s : samples()) {
    for (int trial = 0; trial < 300; ++trial) {
      Bytes garbled = *s.msg.body;
      const std::size_t flips = 1 + rng.next_below(4);
      for (std::size_t k = 0; k < flips; ++k) {
        garbled[rng.next_below(garbled.size())] = static_cast<std::uint8_t>(rng.next_u64());
      }
      (void)s.decodes(garbled);  // must not crash; either answer is fine for a flipped byte
    }
    for (std::size_t len = 0; len < 200; ++len) {
      Bytes random(len);
      for (auto& b : random) b = static_cast<std::uint8_t>(rng.next_u64());
      (void)s.decodes(random);
    }
  }
  // Counts far beyond the bytes present: a QC claiming 2^32 - 1 votes, a reply claiming as many
  // blocks, a gossip claiming as many transactions.
  Bytes qc_body(8 + 8 + 32, 0);
  qc_body.insert(qc_body.end(), {0xff, 0xff, 0xff, 0xff});
  Bytes proposal = {0, 0, 0, 0};
  proposal.insert(proposal.end(), qc_body.begin(), qc_body.end());
  EXPECT_FALSE(decode_proposal(proposal));
  EXPECT_FALSE(decode_fetch_reply(Bytes{0, 0xff, 0xff, 0xff, 0xff, 1, 2, 3}));
  EXPECT_FALSE(decode_tx_gossip(Bytes{0xff, 0xff, 0xff, 0xff, 1, 2, 3}));
  // A flag byte other than 0 or 1.
  Bytes reply = *encode_message(FetchReply{}).body;
  reply[0] = 2;
  EXPECT_FALSE(decode_fetch_reply(reply));
}

}  // namespace
}  // namespace hlsim::hotstuff
