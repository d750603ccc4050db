#include "ledger/chain.h"

#include <gtest/gtest.h>

#include <string>

#include "ledger/state/sparse_merkle.h"
#include "ledger_test_util.h"
#include "storage/temp_dir.h"

namespace hlsim {
namespace {

using testing::make_tx;

class ChainTest : public ::testing::Test {
 protected:
  BlockRef block(Height h, const Hash256& prev, std::size_t n_txs = 2) const {
    std::vector<TxRef> txs;
    for (std::size_t i = 0; i < n_txs; ++i) {
      txs.push_back(std::make_shared<const Transaction>(make_tx(client_, h * 100 + i)));
    }
    return seal_block(h, prev, 0, 1, static_cast<TimeNs>(h) * kNsPerMs, std::move(txs), node_);
  }

  Chain chain_;
  const SigningKey node_ = SigningKey::derive(1, "node-0");
  const SigningKey client_ = SigningKey::derive(1, "client-0");
};

TEST_F(ChainTest, StartsEmptyAtGenesis) {
  EXPECT_EQ(chain_.height(), 0u);
  EXPECT_EQ(chain_.next_height(), 1u);
  EXPECT_TRUE(chain_.head_hash().is_zero());
  EXPECT_TRUE(chain_.blocks().empty());
  EXPECT_EQ(chain_.block_bytes(), 0u);
}

TEST_F(ChainTest, AppendsInOrderAndTracksHeadAndBytes) {
  std::uint64_t bytes = 0;
  for (Height h = 1; h <= 4; ++h) {
    const BlockRef b = block(h, chain_.head_hash());
    ASSERT_TRUE(chain_.append(b).ok()) << h;
    bytes += b->encoded_size();
    EXPECT_EQ(chain_.height(), h);
    EXPECT_EQ(chain_.next_height(), h + 1);
    EXPECT_EQ(chain_.head_hash(), b->hash);
    EXPECT_EQ(chain_.at(h), b);
  }
  EXPECT_EQ(chain_.blocks().size(), 4u);
  EXPECT_EQ(chain_.block_bytes(), bytes);
  EXPECT_EQ(chain_.at(2)->header.prev_hash, chain_.at(1)->hash);
}

TEST_F(ChainTest, RejectsWrongHeightNamingExpectedAndActual) {
  ASSERT_TRUE(chain_.append(block(1, Hash256{})).ok());
  const Hash256 head = chain_.head_hash();
  for (Height wrong : {Height{1}, Height{3}, Height{0}}) {
    const Status s = chain_.append(block(wrong, head));
    ASSERT_FALSE(s.ok()) << wrong;
    EXPECT_NE(s.error().message.find("expected height 2"), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("has height " + std::to_string(wrong)), std::string::npos)
        << s.error().message;
  }
  EXPECT_EQ(chain_.height(), 1u);
  EXPECT_EQ(chain_.head_hash(), head);
}

TEST_F(ChainTest, RejectsWrongPrevHashNamingBothInShortHex) {
  ASSERT_TRUE(chain_.append(block(1, Hash256{})).ok());
  const Hash256 head = chain_.head_hash();
  Hash256 wrong = head;
  wrong.bytes[0] ^= 0xFF;
  const std::uint64_t bytes = chain_.block_bytes();
  const Status s = chain_.append(block(2, wrong));
  ASSERT_FALSE(s.ok());
  const std::string& msg = s.error().message;
  EXPECT_NE(msg.find("expected prev_hash " + head.hex().substr(0, 8)), std::string::npos) << msg;
  EXPECT_NE(msg.find("has prev_hash " + wrong.hex().substr(0, 8)), std::string::npos) << msg;
  EXPECT_EQ(msg.find(head.hex()), std::string::npos) << "short hex only: " << msg;
  EXPECT_EQ(chain_.height(), 1u);
  EXPECT_EQ(chain_.block_bytes(), bytes);
}

TEST_F(ChainTest, FirstBlockMustLinkToZeroGenesisHash) {
  Hash256 not_genesis;
  not_genesis.bytes[3] = 1;
  const Status s = chain_.append(block(1, not_genesis));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("expected prev_hash 00000000"), std::string::npos)
      << s.error().message;
  EXPECT_EQ(chain_.height(), 0u);
}

TEST_F(ChainTest, RejectsNullBlock) {
  const Status s = chain_.append(nullptr);
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(s.error().message.empty());
  EXPECT_EQ(chain_.height(), 0u);
}

TEST_F(ChainTest, NullOrNonEmptyStoreIsAProgrammingError) {
  EXPECT_THROW(Chain(nullptr), std::invalid_argument);
  auto store = make_memory_ledger_store();
  ASSERT_TRUE(store->commit_block(1, Bytes{1}, {}, Hash256{}).ok());
  EXPECT_THROW(Chain(std::move(store)), std::invalid_argument);
}

TEST_F(ChainTest, WritesReachTheStoreAndTheStateRootFollowsThem) {
  EXPECT_TRUE(chain_.state_root_at(0).is_zero());
  const std::vector<StateWrite> w1 = {{"a", "1"}, {"b", "2"}};
  ASSERT_TRUE(chain_.append(block(1, Hash256{}), w1).ok());
  const std::vector<StateWrite> w2 = {{"a", std::nullopt}, {"c", "3"}};
  ASSERT_TRUE(chain_.append(block(2, chain_.head_hash()), w2).ok());
  EXPECT_EQ(chain_.store().get("a"), std::nullopt);
  EXPECT_EQ(chain_.store().get("b"), "2");
  EXPECT_EQ(chain_.store().get("c"), "3");
  SparseMerkleTree after1, after2;
  after1.put("a", "1");
  after1.put("b", "2");
  after2.put("b", "2");
  after2.put("c", "3");
  EXPECT_EQ(chain_.state_root_at(1), after1.root());
  EXPECT_EQ(chain_.state_root_at(2), after2.root());
  EXPECT_EQ(chain_.state_commitment(), (StateCommitment{2, after2.root()}));
  EXPECT_EQ(chain_.store().state_root(2), after2.root());
  EXPECT_EQ(chain_.state_tree().root(), after2.root());
}

TEST_F(ChainTest, AppendKnownRecordsTheGivenRootAndDefersTheTreeUntilAskedFor) {
  // The same three blocks appended twice: executed (append) and with known roots (append_known).
  const std::vector<std::vector<StateWrite>> writes = {
      {{"a", "1"}, {"b", "2"}}, {}, {{"a", std::nullopt}, {"c", "3"}}};
  Chain executed;
  std::vector<BlockRef> blocks;
  for (std::size_t i = 0; i < writes.size(); ++i) {
    blocks.push_back(block(static_cast<Height>(i + 1), executed.head_hash()));
    ASSERT_TRUE(executed.append(blocks.back(), writes[i]).ok()) << i;
  }
  for (std::size_t i = 0; i < writes.size(); ++i) {
    const auto h = static_cast<Height>(i + 1);
    ASSERT_TRUE(chain_
                    .append_known(blocks[i], std::make_shared<std::vector<StateWrite>>(writes[i]),
                                  executed.state_root_at(h))
                    .ok())
        << i;
    EXPECT_EQ(chain_.state_root_at(h), executed.state_root_at(h));
    EXPECT_EQ(chain_.store().state_root(h), executed.state_root_at(h));
  }
  EXPECT_EQ(chain_.head_hash(), executed.head_hash());
  EXPECT_EQ(chain_.block_bytes(), executed.block_bytes());
  EXPECT_EQ(chain_.store().get("b"), "2");
  EXPECT_EQ(chain_.store().get("c"), "3");
  EXPECT_EQ(chain_.store().get("a"), std::nullopt);
  // The tree catches up when asked for: its root and its proofs are those of the executed chain.
  EXPECT_EQ(chain_.state_tree().root(), executed.state_tree().root());
  const StateProof proof = chain_.state_tree().prove("c");
  EXPECT_TRUE(verify_state_proof(chain_.state_root_at(3), "c", "3", proof));
  // A plain append after deferred ones applies them first.
  Chain mixed;
  ASSERT_TRUE(mixed
                  .append_known(blocks[0], std::make_shared<std::vector<StateWrite>>(writes[0]),
                                executed.state_root_at(1))
                  .ok());
  ASSERT_TRUE(mixed.append(blocks[1], writes[1]).ok());
  ASSERT_TRUE(mixed.append(blocks[2], writes[2]).ok());
  EXPECT_EQ(mixed.state_root_at(2), executed.state_root_at(2));
  EXPECT_EQ(mixed.state_root_at(3), executed.state_root_at(3));
}

TEST_F(ChainTest, AppendKnownChecksLinksAndNeedsItsWrites) {
  const BlockRef b1 = block(1, Hash256{});
  EXPECT_FALSE(chain_.append_known(b1, nullptr, Hash256{}).ok());
  EXPECT_FALSE(
      chain_
          .append_known(block(2, Hash256{}), std::make_shared<std::vector<StateWrite>>(), Hash256{})
          .ok());
  EXPECT_EQ(chain_.height(), 0u);
}

TEST_F(ChainTest, RocksDbChainReopensExactly) {
  test_util::TempDir dir;
  std::vector<BlockRef> appended;
  {
    auto store = open_rocksdb_ledger_store(dir.sub("node"), true);
    ASSERT_TRUE(store.ok()) << store.error().message;
    Chain chain(std::move(store.value()));
    for (Height h = 1; h <= 5; ++h) {
      const std::vector<StateWrite> w = {{"k" + std::to_string(h), std::string(h, 'v')}};
      appended.push_back(block(h, chain.head_hash()));
      ASSERT_TRUE(chain.append(appended.back(), w).ok());
    }
  }
  auto store = open_rocksdb_ledger_store(dir.sub("node"), false);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto reopened = Chain::open(std::move(store.value()));
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  ASSERT_EQ(reopened->height(), 5u);
  for (Height h = 1; h <= 5; ++h) {
    EXPECT_EQ(reopened->at(h)->hash, appended[h - 1]->hash);
    EXPECT_EQ(reopened->at(h)->encode(), appended[h - 1]->encode());
  }
  EXPECT_EQ(reopened->store().get("k3"), "vvv");
  SparseMerkleTree expected;
  for (Height h = 1; h <= 5; ++h) expected.put("k" + std::to_string(h), std::string(h, 'v'));
  EXPECT_EQ(reopened->state_commitment().root, expected.root());
  // It keeps growing where it stopped.
  EXPECT_TRUE(reopened->append(block(6, reopened->head_hash())).ok());
}

TEST_F(ChainTest, OpenRejectsAStoreWhoseStateDisagreesWithItsRoot) {
  auto store = make_memory_ledger_store();
  const BlockRef b = block(1, Hash256{});
  Hash256 wrong;
  wrong.bytes[0] = 1;
  ASSERT_TRUE(store->commit_block(1, b->encode(), std::vector<StateWrite>{{"x", "y"}}, wrong).ok());
  auto opened = Chain::open(std::move(store));
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("does not match the state root"), std::string::npos)
      << opened.error().message;
}

TEST_F(ChainTest, OpenRejectsABlockThatDoesNotDecodeNamingItsHeight) {
  auto store = make_memory_ledger_store();
  const BlockRef b1 = block(1, Hash256{});
  ASSERT_TRUE(store->commit_block(1, b1->encode(), {}, Hash256{}).ok());
  Bytes bad = block(2, b1->hash)->encode();
  bad.pop_back();
  ASSERT_TRUE(store->commit_block(2, bad, {}, Hash256{}).ok());
  auto opened = Chain::open(std::move(store));
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("stored block 2: does not decode"), std::string::npos)
      << opened.error().message;
}

TEST_F(ChainTest, AReadIsProvenAgainstTheStateRootALaterHeaderCommitsTo) {
  const std::vector<StateWrite> w1 = {{"consent/7/3", "until=99"}, {"record/7/0", "hash"}};
  ASSERT_TRUE(chain_.append(block(1, Hash256{}), w1).ok());
  // Block 2 is sealed on top of block 1: its header commits to the state after block 1.
  std::vector<TxRef> txs = {std::make_shared<const Transaction>(make_tx(client_, 900))};
  const BlockRef b2 = seal_block(2, chain_.head_hash(), 0, 1, 2 * kNsPerMs, std::move(txs), node_,
                                 chain_.state_commitment());
  ASSERT_EQ(check_block(*b2), BlockCheck::kOk);
  ASSERT_TRUE(chain_.append(b2).ok());
  const Hash256& committed = b2->header.state.root;
  EXPECT_EQ(b2->header.state.height, 1u);
  const StateProof present = chain_.state_tree().prove("consent/7/3");
  EXPECT_TRUE(verify_state_proof(committed, "consent/7/3", "until=99", present));
  EXPECT_FALSE(verify_state_proof(committed, "consent/7/3", "until=100", present));
  const StateProof absent = chain_.state_tree().prove("consent/7/4");
  EXPECT_TRUE(verify_state_proof(committed, "consent/7/4", std::nullopt, absent));
}

}  // namespace
}  // namespace hlsim
