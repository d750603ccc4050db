#include "ledger/chain.h"

#include <gtest/gtest.h>

#include <string>

#include "ledger/storage/memory_store.h"
#include "ledger_test_util.h"

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

  Chain chain_{std::make_unique<MemoryStore>()};
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

TEST_F(ChainTest, NullStateIsAProgrammingError) {
  EXPECT_THROW(Chain(nullptr), std::invalid_argument);
}

TEST_F(ChainTest, StateIsTheGivenStore) {
  chain_.state().put("k", "v");
  const Chain& c = chain_;
  EXPECT_EQ(c.state().get("k"), "v");
  EXPECT_EQ(c.state().bytes(), 2u);
}

}  // namespace
}  // namespace hlsim
