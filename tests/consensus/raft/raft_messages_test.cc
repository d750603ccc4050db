// Raft's wire codec: every message type roundtrips, and malformed bytes fail cleanly.
#include "consensus/raft/raft_messages.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "ledger/block.h"
#include "ledger/crypto/signature.h"
#include "sim/kernel/rng.h"

namespace hlsim {
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

// Two real encoded blocks of heights 5 and 6, for AppendEntries bodies.
std::vector<Bytes> encoded_blocks() {
  static const SigningKey key = SigningKey::derive(1, "node-0");
  BlockRef b5 = seal_block(5, Hash256{}, 0, 2, 100, {make_tx(1, 40), make_tx(2, 3)}, key);
  BlockRef b6 = seal_block(6, b5->hash, 0, 3, 200, {}, key);
  return {b5->encode(), b6->encode()};
}

Message sample_append_entries(const std::vector<Bytes>& blocks) {
  AppendEntries m{7, 2, 4, 2, 3, {}};
  for (const Bytes& b : blocks) m.entries.emplace_back(b);
  return encode_message(m);
}

TEST(RaftMessages, RequestVoteRoundtrips) {
  const RequestVote m{9, 4, 120, 8};
  const Message msg = encode_message(m);
  EXPECT_EQ(msg.type, static_cast<std::uint16_t>(RaftMessageType::kRequestVote));
  auto back = decode_request_vote(msg.view());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, m);
}

TEST(RaftMessages, VoteRoundtripsBothWays) {
  for (bool granted : {true, false}) {
    const Vote m{3, granted};
    const Message msg = encode_message(m);
    EXPECT_EQ(msg.type, static_cast<std::uint16_t>(RaftMessageType::kVote));
    auto back = decode_vote(msg.view());
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, m);
  }
}

TEST(RaftMessages, AppendEntriesRoundtripsWithBlocks) {
  const std::vector<Bytes> blocks = encoded_blocks();
  const Message msg = sample_append_entries(blocks);
  EXPECT_EQ(msg.type, static_cast<std::uint16_t>(RaftMessageType::kAppendEntries));
  auto back = decode_append_entries(msg.view());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->term, 7u);
  EXPECT_EQ(back->leader, 2u);
  EXPECT_EQ(back->prev_index, 4u);
  EXPECT_EQ(back->prev_term, 2u);
  EXPECT_EQ(back->leader_commit, 3u);
  ASSERT_EQ(back->entries.size(), 2u);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_EQ(Bytes(back->entries[i].begin(), back->entries[i].end()), blocks[i]);
    auto block = Block::decode(back->entries[i]);
    ASSERT_TRUE(block);
    EXPECT_EQ(block->header.height, 5 + i);
  }
}

TEST(RaftMessages, EmptyAppendEntriesIsAHeartbeat) {
  const Message msg = encode_message(AppendEntries{1, 0, 0, 0, 0, {}});
  auto back = decode_append_entries(msg.view());
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->entries.empty());
}

TEST(RaftMessages, AppendReplyRoundtrips) {
  for (bool success : {true, false}) {
    for (bool lost_log : {false, true}) {
      const AppendReply m{5, success, 17, 21, lost_log};
      const Message msg = encode_message(m);
      EXPECT_EQ(msg.type, static_cast<std::uint16_t>(RaftMessageType::kAppendReply));
      EXPECT_EQ(msg.view().size(), 25u);  // the flag shares success's byte
      auto back = decode_append_reply(msg.view());
      ASSERT_TRUE(back);
      EXPECT_EQ(*back, m);
    }
  }
}

TEST(RaftMessages, AppendReplyWithUnknownFlagBitsIsRejected) {
  Bytes body = *encode_message(AppendReply{5, true, 17, 21, true}).body;
  for (std::uint8_t flags : {std::uint8_t{4}, std::uint8_t{0x80}, std::uint8_t{0xff}}) {
    body[8] = flags;
    EXPECT_FALSE(decode_append_reply(body)) << int{flags};
  }
}

TEST(RaftMessages, ForwardRoundtripsTransactionsWithTheirIds) {
  const Forward m{{make_tx(1, 10), make_tx(2, 0), make_tx(3, 500)}};
  const Message msg = encode_message(m);
  EXPECT_EQ(msg.type, static_cast<std::uint16_t>(RaftMessageType::kForward));
  auto back = decode_forward(msg.view());
  ASSERT_TRUE(back);
  ASSERT_EQ(back->txs.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(back->txs[i]->id, m.txs[i]->id);
    EXPECT_EQ(back->txs[i]->encode(), m.txs[i]->encode());
    EXPECT_TRUE(verify_tx(*back->txs[i]));
  }
}

TEST(RaftMessages, TypeNamesFollowTheEnum) {
  const auto& names = raft_message_type_names();
  ASSERT_EQ(names.size(), 5u);
  EXPECT_EQ(names[static_cast<std::size_t>(RaftMessageType::kRequestVote)], "request_vote");
  EXPECT_EQ(names[static_cast<std::size_t>(RaftMessageType::kVote)], "vote");
  EXPECT_EQ(names[static_cast<std::size_t>(RaftMessageType::kAppendEntries)], "append_entries");
  EXPECT_EQ(names[static_cast<std::size_t>(RaftMessageType::kAppendReply)], "append_reply");
  EXPECT_EQ(names[static_cast<std::size_t>(RaftMessageType::kForward)], "forward");
}

TEST(RaftMessages, EveryTruncationOfAnAppendEntriesFailsCleanly) {
  const std::vector<Bytes> blocks = encoded_blocks();
  const Message msg = sample_append_entries(blocks);
  const ByteView full = msg.view();
  ASSERT_TRUE(decode_append_entries(full));
  for (std::size_t len = 0; len < full.size(); ++len) {
    EXPECT_FALSE(decode_append_entries(full.first(len))) << "length " << len;
  }
}

TEST(RaftMessages, TrailingBytesAreRejectedForEveryType) {
  const std::vector<Bytes> blocks = encoded_blocks();
  auto with_trailer = [](const Message& m) {
    Bytes b = *m.body;
    b.push_back(0);
    return b;
  };
  EXPECT_FALSE(decode_request_vote(with_trailer(encode_message(RequestVote{1, 1, 1, 1}))));
  EXPECT_FALSE(decode_vote(with_trailer(encode_message(Vote{1, true}))));
  EXPECT_FALSE(decode_append_entries(with_trailer(sample_append_entries(blocks))));
  EXPECT_FALSE(decode_append_reply(with_trailer(encode_message(AppendReply{1, true, 1, 1}))));
  EXPECT_FALSE(decode_forward(with_trailer(encode_message(Forward{{make_tx(1, 5)}}))));
}

TEST(RaftMessages, TruncatedShortMessagesFail) {
  const Bytes rv = *encode_message(RequestVote{1, 2, 3, 4}).body;
  const Bytes vote = *encode_message(Vote{1, true}).body;
  const Bytes reply = *encode_message(AppendReply{1, true, 2, 3}).body;
  const Bytes fwd = *encode_message(Forward{{make_tx(1, 5), make_tx(2, 9)}}).body;
  for (std::size_t len = 0; len < rv.size(); ++len) {
    EXPECT_FALSE(decode_request_vote(ByteView(rv).first(len)));
  }
  for (std::size_t len = 0; len < vote.size(); ++len) {
    EXPECT_FALSE(decode_vote(ByteView(vote).first(len)));
  }
  for (std::size_t len = 0; len < reply.size(); ++len) {
    EXPECT_FALSE(decode_append_reply(ByteView(reply).first(len)));
  }
  for (std::size_t len = 0; len < fwd.size(); ++len) {
    EXPECT_FALSE(decode_forward(ByteView(fwd).first(len)));
  }
}

TEST(RaftMessages, BooleansOtherThanZeroOrOneAreMalformed) {
  Bytes vote = *encode_message(Vote{1, true}).body;
  vote.back() = 2;
  EXPECT_FALSE(decode_vote(vote));
  Bytes reply = *encode_message(AppendReply{1, true, 2, 3}).body;
  reply[8] = 0xFF;
  EXPECT_FALSE(decode_append_reply(reply));
}

TEST(RaftMessages, ForgedCountsDoNotOverAllocateOrCrash) {
  // An AppendEntries header claiming 2^32-1 entries with nothing behind it.
  Bytes body = *encode_message(AppendEntries{1, 0, 0, 0, 0, {}}).body;
  for (std::size_t i = body.size() - 4; i < body.size(); ++i) body[i] = 0xFF;
  EXPECT_FALSE(decode_append_entries(body));
  // A Forward claiming 2^32-1 transactions.
  const Bytes fwd = {0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3};
  EXPECT_FALSE(decode_forward(fwd));
  // prev_index + count wrapping around.
  AppendEntries wrap{1, 0, ~Height{0}, 0, 0, {}};
  const Bytes one = {1};
  wrap.entries.emplace_back(one);
  EXPECT_FALSE(decode_append_entries(encode_message(wrap).view()));
}

TEST(RaftMessages, RandomGarbageNeverCrashesAnyDecoder) {
  Rng rng(42);
  int accepted = 0;
  for (int i = 0; i < 5000; ++i) {
    Bytes garbage(rng.next_below(200));
    for (auto& b : garbage) b = static_cast<std::uint8_t>(rng.next_u64());
    accepted += decode_request_vote(garbage).has_value();
    accepted += decode_vote(garbage).has_value();
    accepted += decode_append_entries(garbage).has_value();
    accepted += decode_append_reply(garbage).has_value();
    accepted += decode_forward(garbage).has_value();
  }
  // Fixed-size messages of exactly the right length may parse; nearly everything else must not.
  EXPECT_LT(accepted, 500);
}

}  // namespace
}  // namespace hlsim
