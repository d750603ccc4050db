// PBFT's wire messages: every kind round-trips through its canonical encoding, and truncated,
// extended or garbage bodies are rejected (never a crash). Also the structural checks of a
// VIEW-CHANGE (parse_view_change) before any signature is verified.
#include <gtest/gtest.h>

#include "consensus/pbft/pbft_test_util.h"
#include "ledger/crypto/sha256.h"
#include "ledger/encoding.h"

namespace hlsim::testing {
namespace {

SigningKey key(NodeId i) { return SigningKey::derive(1, "node-" + std::to_string(i)); }

SignedVote vote(PbftVoteKind kind, Height h, std::uint64_t view, const Hash256& hash, NodeId who) {
  SignedVote v;
  v.kind = vote_kind(kind);
  v.height = h;
  v.epoch = view;
  v.block_hash = hash;
  v.voter = who;
  sign_vote(v, key(who));
  return v;
}

TxRef tx(std::uint64_t nonce) {
  Transaction t;
  t.client = 1;
  t.nonce = nonce;
  t.payload = Bytes(20, static_cast<std::uint8_t>(nonce));
  sign_tx(t, SigningKey::derive(1, "client-1"));
  return std::make_shared<const Transaction>(std::move(t));
}

BlockRef block(Height h, const Hash256& prev, std::uint64_t view = 0) {
  return seal_block(h, prev, static_cast<NodeId>(view % 4), view, 0, {tx(h)},
                    key(static_cast<NodeId>(view % 4)));
}

// Every strict prefix of a valid body, the body plus one byte, and some garbage must be refused.
template <class Decode>
void expect_rejects_malformed(const Bytes& body, Decode decode) {
  for (std::size_t n = 0; n < body.size(); ++n) {
    EXPECT_FALSE(decode(ByteView(body.data(), n))) << "prefix " << n << " of " << body.size();
  }
  Bytes longer = body;
  longer.push_back(0);
  EXPECT_FALSE(decode(ByteView(longer)));
  Rng rng(9);
  for (int i = 0; i < 50; ++i) {
    Bytes garbage(rng.next_below(200));
    for (auto& b : garbage) b = static_cast<std::uint8_t>(rng.next_below(256));
    (void)decode(ByteView(garbage));  // must not crash
  }
}

TEST(PbftMessages, TypeNamesAreShortAndLowerCase) {
  const auto& names = pbft_message_type_names();
  ASSERT_EQ(names.size(), 9u);
  EXPECT_EQ(names[type_of(PbftMessageType::kPrePrepare)], "pre-prepare");
  EXPECT_EQ(names[type_of(PbftMessageType::kFetchReply)], "fetch-reply");
  for (const std::string& n : names) {
    for (char ch : n) EXPECT_TRUE((ch >= 'a' && ch <= 'z') || ch == '-') << n;
  }
}

TEST(PbftMessages, PrePrepareRoundTripsAndRejectsMalformed) {
  const BlockRef b = block(1, Hash256{});
  const SignedVote pp = vote(PbftVoteKind::kPrePrepare, 1, 0, b->hash, 0);
  const Message msg = encode_message(PrePrepare{pp, b->encode()});
  EXPECT_EQ(msg.type, type_of(PbftMessageType::kPrePrepare));
  auto back = decode_pre_prepare(msg.view());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->vote.body(), pp.body());
  EXPECT_EQ(back->vote.signature, pp.signature);
  EXPECT_EQ(back->block, b->encode());
  expect_rejects_malformed(*msg.body, [](ByteView v) { return decode_pre_prepare(v).has_value(); });
}

TEST(PbftMessages, VotesRoundTripForPrepareCommitAndCheckpoint) {
  for (auto [type, kind] : {std::pair{PbftMessageType::kPrepare, PbftVoteKind::kPrepare},
                            std::pair{PbftMessageType::kCommit, PbftVoteKind::kCommit},
                            std::pair{PbftMessageType::kCheckpoint, PbftVoteKind::kCheckpoint}}) {
    const SignedVote v = vote(kind, 7, 3, sha256(as_bytes("x")), 2);
    const Message msg = encode_vote_message(type, v);
    EXPECT_EQ(msg.type, type_of(type));
    auto back = decode_vote_message(msg.view());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->encode(), v.encode());
    expect_rejects_malformed(*msg.body,
                             [](ByteView b) { return decode_vote_message(b).has_value(); });
  }
}

ViewChange sample_view_change() {
  const BlockRef b1 = block(1, Hash256{});
  const BlockRef b2 = block(2, b1->hash);
  ViewChange vc;
  vc.new_view = 1;
  vc.head = 0;
  PreparedCert cert;
  cert.pre_prepare = vote(PbftVoteKind::kPrePrepare, 2, 0, b2->hash, 0);
  cert.prepares = {vote(PbftVoteKind::kPrepare, 2, 0, b2->hash, 1),
                   vote(PbftVoteKind::kPrepare, 2, 0, b2->hash, 2)};
  vc.certs = {cert};
  vc.blocks = {b2->encode(), b1->encode()};
  vc.auth.kind = vote_kind(PbftVoteKind::kViewChange);
  vc.auth.height = 0;
  vc.auth.epoch = 1;
  vc.auth.block_hash = sha256(vc.content());
  vc.auth.voter = 2;
  sign_vote(vc.auth, key(2));
  return vc;
}

TEST(PbftMessages, ViewChangeAndNewViewRoundTrip) {
  const ViewChange vc = sample_view_change();
  const Message msg = encode_message(vc);
  auto back = decode_view_change(msg.view());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->content(), vc.content());
  EXPECT_EQ(back->auth.encode(), vc.auth.encode());
  ASSERT_EQ(back->certs.size(), 1u);
  EXPECT_EQ(back->certs[0].prepares.size(), 2u);
  expect_rejects_malformed(*msg.body, [](ByteView b) { return decode_view_change(b).has_value(); });

  NewView nv;
  nv.view = 1;
  nv.view_changes = {*msg.body, *msg.body};
  nv.pre_prepares = {vote(PbftVoteKind::kPrePrepare, 1, 1, sha256(as_bytes("a")), 1)};
  const Message nmsg = encode_message(nv);
  auto nback = decode_new_view(nmsg.view());
  ASSERT_TRUE(nback);
  EXPECT_EQ(nback->view, 1u);
  EXPECT_EQ(nback->view_changes, nv.view_changes);
  ASSERT_EQ(nback->pre_prepares.size(), 1u);
  expect_rejects_malformed(*nmsg.body, [](ByteView b) { return decode_new_view(b).has_value(); });
}

TEST(PbftMessages, ForwardFetchAndFetchReplyRoundTrip) {
  const Message f = encode_message(Forward{{tx(1), tx(2)}});
  auto fb = decode_forward_message(f.view());
  ASSERT_TRUE(fb);
  ASSERT_EQ(fb->txs.size(), 2u);
  EXPECT_EQ(fb->txs[1]->id, tx(2)->id);
  expect_rejects_malformed(*f.body,
                           [](ByteView b) { return decode_forward_message(b).has_value(); });

  const Message q = encode_message(Fetch{5, 2});
  EXPECT_EQ(decode_fetch(q.view()), (Fetch{5, 2}));
  EXPECT_FALSE(decode_fetch(encode_message(Fetch{0, 0}).view()));  // heights start at 1
  expect_rejects_malformed(*q.body, [](ByteView b) { return decode_fetch(b).has_value(); });

  const BlockRef b1 = block(1, Hash256{});
  FetchReply r;
  r.replier_head = 1;
  r.blocks = {b1->encode()};
  r.proof = {vote(PbftVoteKind::kCommit, 1, 0, b1->hash, 1)};
  r.new_view = Bytes{1, 2, 3};
  const Message rm = encode_message(r);
  auto rb = decode_fetch_reply(rm.view());
  ASSERT_TRUE(rb);
  EXPECT_EQ(rb->blocks, r.blocks);
  EXPECT_EQ(rb->new_view, r.new_view);
  ASSERT_EQ(rb->proof.size(), 1u);
  expect_rejects_malformed(*rm.body, [](ByteView b) { return decode_fetch_reply(b).has_value(); });
}

// parse_view_change, through a real node crypto (the harness's).
class PbftParseViewChange : public ::testing::Test {
 protected:
  // Runs parse_view_change with node 0's NodeCrypto of a harness cluster of seed 1, whose keys
  // are derived exactly as key() derives them.
  std::optional<CheckedViewChange> parse(const ViewChange& vc, NodeId sender) {
    std::optional<CheckedViewChange> out;
    Message m = encode_message(vc);
    struct Probe final : Protocol {
      std::function<void(Context&)> f;
      void start(Context& ctx) override { f(ctx); }
      void on_transaction(Context&, const TxRef&) override {}
      void on_message(Context&, NodeId, const Message&) override {}
      void on_timer(Context&, TimerId, std::uint64_t) override {}
      void on_restart(Context&, bool) override {}
      std::uint64_t epoch() const override { return 0; }
      bool is_leader() const override { return false; }
    };
    ClusterOptions o;
    o.nodes = 4;
    o.seed = 1;
    Cluster probe(o, [&](NodeId, std::uint32_t) {
      auto p = std::make_unique<Probe>();
      p->f = [&](Context& ctx) {
        if (ctx.self() == 0)
          out = parse_view_change(ctx.crypto(), PbftQuorum::of(4), sender, m.view());
      };
      return p;
    });
    probe.start();
    return out;
  }
};

TEST_F(PbftParseViewChange, AcceptsAWellFormedOneAndListsEverySignature) {
  const ViewChange vc = sample_view_change();
  auto checked = parse(vc, 2);
  ASSERT_TRUE(checked);
  EXPECT_EQ(checked->blocks.size(), 2u);
  EXPECT_EQ(checked->votes.size(), 4u);  // auth + pre-prepare + 2 prepares
}

TEST_F(PbftParseViewChange, RejectsStructuralFaults) {
  EXPECT_FALSE(parse(sample_view_change(), 3));  // auth voter is not the sender
  {
    ViewChange vc = sample_view_change();
    vc.blocks.pop_back();  // the block under the certificate is missing
    EXPECT_FALSE(parse(vc, 2));
  }
  {
    ViewChange vc = sample_view_change();
    vc.certs[0].prepares.pop_back();  // fewer than 2f prepares
    vc.auth.block_hash = sha256(vc.content());
    EXPECT_FALSE(parse(vc, 2));
  }
  {
    ViewChange vc = sample_view_change();
    vc.certs[0].pre_prepare.voter = 1;  // not the primary of view 0
    vc.auth.block_hash = sha256(vc.content());
    EXPECT_FALSE(parse(vc, 2));
  }
  {
    ViewChange vc = sample_view_change();
    vc.new_view = 2;  // content no longer matches the signed hash
    vc.auth.epoch = 2;
    EXPECT_FALSE(parse(vc, 2));
  }
  {
    ViewChange vc = sample_view_change();
    vc.head = 1;  // a head without a proof
    vc.auth.height = 1;
    vc.auth.block_hash = sha256(vc.content());
    EXPECT_FALSE(parse(vc, 2));
  }
}

}  // namespace
}  // namespace hlsim::testing
