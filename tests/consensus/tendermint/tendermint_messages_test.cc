// Tendermint's wire codec: round trips, and rejection of truncated, trailing and garbage bytes.
#include "consensus/tendermint/tendermint_messages.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ledger/block.h"
#include "ledger/crypto/signature.h"
#include "sim/kernel/rng.h"

namespace hlsim {
namespace {

SigningKey key(const std::string& name) { return SigningKey::derive(42, name); }

TxRef make_tx(std::uint64_t nonce) {
  Transaction tx;
  tx.client = 3;
  tx.nonce = nonce;
  tx.submit_ns = 5;
  tx.payload = Bytes(40, static_cast<std::uint8_t>(nonce));
  sign_tx(tx, key("client"));
  return std::make_shared<const Transaction>(std::move(tx));
}

BlockRef make_block() {
  return seal_block(7, Hash256{}, 2, 3, 1000, {make_tx(1), make_tx(2)}, key("node-2"));
}

SignedVote make_vote(VoteKind kind, const Hash256& hash) {
  SignedVote v;
  v.kind = static_cast<std::uint8_t>(kind);
  v.height = 7;
  v.epoch = 3;
  v.block_hash = hash;
  v.voter = 1;
  sign_vote(v, key("node-1"));
  return v;
}

// Every proper prefix of `body` and `body` with a byte appended must be rejected by `decode`.
template <class Decode>
void expect_rejects_truncated_and_trailing(const Bytes& body, Decode decode) {
  for (std::size_t len = 0; len < body.size(); ++len) {
    EXPECT_FALSE(decode(ByteView(body.data(), len)).has_value()) << "prefix of " << len;
  }
  Bytes longer = body;
  longer.push_back(0);
  EXPECT_FALSE(decode(ByteView(longer)).has_value()) << "trailing byte";
}

TEST(TendermintMessages, TypeNamesMatchTheEnum) {
  const auto& names = tendermint_message_type_names();
  ASSERT_EQ(names.size(), 6u);
  EXPECT_EQ(names[static_cast<std::size_t>(TendermintMessageType::kProposal)], "proposal");
  EXPECT_EQ(names[static_cast<std::size_t>(TendermintMessageType::kPrevote)], "prevote");
  EXPECT_EQ(names[static_cast<std::size_t>(TendermintMessageType::kPrecommit)], "precommit");
  EXPECT_EQ(names[static_cast<std::size_t>(TendermintMessageType::kTxGossip)], "tx-gossip");
  EXPECT_EQ(names[static_cast<std::size_t>(TendermintMessageType::kFetch)], "fetch");
  EXPECT_EQ(names[static_cast<std::size_t>(TendermintMessageType::kCommitSync)], "commit-sync");
}

TEST(TendermintMessages, ProposalRoundTripsAndItsSignatureCoversEveryField) {
  const BlockRef block = make_block();
  const Bytes encoded = block->encode();
  Proposal p;
  p.height = 7;
  p.round = 3;
  p.valid_round = 1;
  p.block = encoded;
  p.signature = key("node-2").sign(proposal_sign_bytes(7, 3, 1, block->hash));
  const Message msg = encode_proposal(p);
  EXPECT_EQ(msg.type, static_cast<std::uint16_t>(TendermintMessageType::kProposal));
  std::optional<Proposal> back = decode_proposal(msg.view());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->height, 7u);
  EXPECT_EQ(back->round, 3u);
  EXPECT_EQ(back->valid_round, 1);
  EXPECT_EQ(Bytes(back->block.begin(), back->block.end()), encoded);
  EXPECT_EQ(Block::decode(back->block)->hash, block->hash);
  EXPECT_TRUE(verify_signature(key("node-2").public_key(),
                               proposal_sign_bytes(7, 3, 1, block->hash), back->signature));
  // Any other height, round, valid round or block: another message to sign.
  const Bytes base = proposal_sign_bytes(7, 3, 1, block->hash);
  EXPECT_NE(proposal_sign_bytes(8, 3, 1, block->hash), base);
  EXPECT_NE(proposal_sign_bytes(7, 4, 1, block->hash), base);
  EXPECT_NE(proposal_sign_bytes(7, 3, kNoRound, block->hash), base);
  EXPECT_NE(proposal_sign_bytes(7, 3, 1, Hash256{}), base);
  expect_rejects_truncated_and_trailing(*msg.body, decode_proposal);
}

TEST(TendermintMessages, ProposalWithAValidRoundNotBeforeItsRoundIsMalformed) {
  const Bytes encoded = make_block()->encode();
  for (std::int64_t vr : {std::int64_t{3}, std::int64_t{4}, std::int64_t{-2}}) {
    Proposal p;
    p.height = 7;
    p.round = 3;
    p.valid_round = vr;
    p.block = encoded;
    EXPECT_FALSE(decode_proposal(encode_proposal(p).view()).has_value()) << vr;
  }
  Proposal ok;
  ok.round = 0;
  ok.valid_round = kNoRound;
  ok.block = encoded;
  EXPECT_TRUE(decode_proposal(encode_proposal(ok).view()).has_value());
}

TEST(TendermintMessages, VotesRoundTripAndTheirKindMustMatchTheMessageType) {
  const Hash256 h = make_block()->hash;
  for (VoteKind kind : {VoteKind::kPrevote, VoteKind::kPrecommit}) {
    const SignedVote v = make_vote(kind, h);
    const Message msg = encode_vote(v);
    const auto type = static_cast<TendermintMessageType>(msg.type);
    EXPECT_EQ(type, kind == VoteKind::kPrevote ? TendermintMessageType::kPrevote
                                               : TendermintMessageType::kPrecommit);
    std::optional<SignedVote> back = decode_vote(type, msg.view());
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->encode(), v.encode());
    EXPECT_TRUE(verify_vote(*back));
    // The same bytes under the other type: rejected.
    const auto other = type == TendermintMessageType::kPrevote ? TendermintMessageType::kPrecommit
                                                               : TendermintMessageType::kPrevote;
    EXPECT_FALSE(decode_vote(other, msg.view()).has_value());
    expect_rejects_truncated_and_trailing(*msg.body,
                                          [type](ByteView b) { return decode_vote(type, b); });
  }
  // A nil vote is a zero hash.
  const SignedVote nil = make_vote(VoteKind::kPrevote, Hash256{});
  EXPECT_TRUE(
      decode_vote(TendermintMessageType::kPrevote, encode_vote(nil).view())->block_hash.is_zero());
}

TEST(TendermintMessages, TxGossipRoundTrips) {
  const std::vector<TxRef> txs = {make_tx(1), make_tx(2), make_tx(3)};
  const Message msg = encode_tx_gossip(txs);
  std::optional<std::vector<TxRef>> back = decode_tx_gossip(msg.view());
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ((*back)[i]->id, txs[i]->id);
  EXPECT_TRUE(decode_tx_gossip(encode_tx_gossip({}).view()).has_value());
  expect_rejects_truncated_and_trailing(*msg.body, decode_tx_gossip);
}

TEST(TendermintMessages, FetchRoundTripsAndHeightZeroIsMalformed) {
  EXPECT_EQ(decode_fetch(encode_fetch(12).view()), std::optional<Height>(12));
  EXPECT_FALSE(decode_fetch(encode_fetch(0).view()).has_value());
  expect_rejects_truncated_and_trailing(*encode_fetch(12).body, decode_fetch);
}

TEST(TendermintMessages, CommitSyncRoundTrips) {
  const BlockRef block = make_block();
  const Bytes encoded = block->encode();
  CommitSync m;
  m.sender_height = 9;
  m.block = encoded;
  m.precommits = {make_vote(VoteKind::kPrecommit, block->hash),
                  make_vote(VoteKind::kPrecommit, block->hash)};
  const Message msg = encode_commit_sync(m);
  std::optional<CommitSync> back = decode_commit_sync(msg.view());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->sender_height, 9u);
  EXPECT_EQ(Bytes(back->block.begin(), back->block.end()), encoded);
  ASSERT_EQ(back->precommits.size(), 2u);
  EXPECT_EQ(back->precommits[1].encode(), m.precommits[1].encode());
  EXPECT_EQ(peek_block_height(back->block), std::optional<Height>(7));
  EXPECT_FALSE(peek_block_height(ByteView(encoded.data(), 5)).has_value());
  expect_rejects_truncated_and_trailing(*msg.body, decode_commit_sync);
}

TEST(TendermintMessages, GarbageAndForgedCountsAreRejectedWithoutHugeAllocations) {
  Rng rng(5);
  for (int i = 0; i < 200; ++i) {
    Bytes junk(rng.next_below(120));
    for (auto& b : junk) b = static_cast<std::uint8_t>(rng.next_u64());
    const ByteView v(junk);
    (void)decode_proposal(v);
    (void)decode_vote(TendermintMessageType::kPrevote, v);
    (void)decode_tx_gossip(v);
    (void)decode_fetch(v);
    (void)decode_commit_sync(v);
  }
  // Counts far beyond the bytes present.
  const Bytes huge_count = {0xff, 0xff, 0xff, 0xff};
  EXPECT_FALSE(decode_tx_gossip(huge_count).has_value());
  Bytes sync(8 + 4, 0);  // sender height, empty block
  sync.insert(sync.end(), {0xff, 0xff, 0xff, 0x7f});
  EXPECT_FALSE(decode_commit_sync(sync).has_value());
  Bytes proposal(24, 0);  // height, round, valid round 0 ... with a block length past the end
  proposal.insert(proposal.end(), {0xff, 0xff, 0xff, 0xff});
  EXPECT_FALSE(decode_proposal(proposal).has_value());
}

}  // namespace
}  // namespace hlsim
