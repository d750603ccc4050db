// RaftLog: blocks as log entries, hash-linked, with a transaction index and an encoding cache.
#include "consensus/raft/raft_log.h"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <vector>

#include "ledger/crypto/signature.h"

namespace hlsim {
namespace {

class RaftLogTest : public ::testing::Test {
 protected:
  TxRef tx(std::uint64_t nonce) {
    Transaction t;
    t.nonce = nonce;
    t.payload = {1, 2, 3};
    sign_tx(t, client_);
    return std::make_shared<const Transaction>(std::move(t));
  }
  BlockRef next_block(const RaftLog& log, std::uint64_t term, std::vector<TxRef> txs = {}) {
    const Height h = log.last_index() + 1;
    return seal_block(h, log.hash_at(h - 1), 0, term, 0, std::move(txs), node_);
  }

  SigningKey client_ = SigningKey::derive(3, "client-0");
  SigningKey node_ = SigningKey::derive(3, "node-0");
};

TEST_F(RaftLogTest, EmptyLogHasIndexAndTermZero) {
  RaftLog log;
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(log.last_index(), 0u);
  EXPECT_EQ(log.last_term(), 0u);
  EXPECT_EQ(log.term_at(0), 0u);
  EXPECT_TRUE(log.hash_at(0).is_zero());
}

TEST_F(RaftLogTest, AppendsHashLinkedBlocksAndIndexesTheirTransactions) {
  RaftLog log;
  const TxRef a = tx(1), b = tx(2);
  log.append(next_block(log, 1, {a}));
  log.append(next_block(log, 1));
  log.append(next_block(log, 3, {b}));
  EXPECT_EQ(log.last_index(), 3u);
  EXPECT_EQ(log.last_term(), 3u);
  EXPECT_EQ(log.term_at(2), 1u);
  EXPECT_EQ(log.at(2)->header.prev_hash, log.hash_at(1));
  EXPECT_EQ(log.find_tx(a->id), 1u);
  EXPECT_EQ(log.find_tx(b->id), 3u);
  EXPECT_EQ(log.find_tx(tx(3)->id), 0u);
}

TEST_F(RaftLogTest, RejectsBlocksThatDoNotExtendIt) {
  RaftLog log;
  log.append(next_block(log, 2));
  // Wrong height.
  EXPECT_THROW(log.append(seal_block(3, log.hash_at(1), 0, 2, 0, {}, node_)), std::logic_error);
  // Broken hash chain.
  EXPECT_THROW(log.append(seal_block(2, Hash256{}, 0, 2, 0, {}, node_)), std::logic_error);
  // Term going backwards.
  EXPECT_THROW(log.append(next_block(log, 1)), std::logic_error);
  EXPECT_EQ(log.last_index(), 1u);
}

TEST_F(RaftLogTest, TruncationDropsEntriesAndTheirTransactionIds) {
  RaftLog log;
  const TxRef a = tx(1), b = tx(2);
  log.append(next_block(log, 1, {a}));
  log.append(next_block(log, 1, {b}));
  log.append(next_block(log, 2));
  log.truncate_after(1);
  EXPECT_EQ(log.last_index(), 1u);
  EXPECT_EQ(log.find_tx(a->id), 1u);
  EXPECT_EQ(log.find_tx(b->id), 0u);
  EXPECT_THROW(log.truncate_after(5), std::logic_error);
  // The log extends again from the truncation point.
  log.append(next_block(log, 4, {b}));
  EXPECT_EQ(log.find_tx(b->id), 2u);
}

TEST_F(RaftLogTest, FindsWhereATermsRunOfEntriesStarts) {
  RaftLog log;
  for (std::uint64_t term : {1, 1, 2, 2, 2, 5}) log.append(next_block(log, term));
  EXPECT_EQ(log.first_index_of_term_run(1), 1u);
  EXPECT_EQ(log.first_index_of_term_run(2), 1u);
  EXPECT_EQ(log.first_index_of_term_run(5), 3u);
  EXPECT_EQ(log.first_index_of_term_run(6), 6u);
}

TEST_F(RaftLogTest, CachesEncodingsUntilReleased) {
  RaftLog log;
  log.append(next_block(log, 1, {tx(1)}));
  log.append(next_block(log, 1));
  auto first = log.encoded(1);
  EXPECT_EQ(*first, log.at(1)->encode());
  EXPECT_EQ(log.encoded(1), first);  // same cached buffer
  log.release_encodings_through(1);
  auto again = log.encoded(1);
  EXPECT_NE(again, first);  // re-encoded after release
  EXPECT_EQ(*again, *first);
  EXPECT_THROW(log.encoded(3), std::logic_error);
}

}  // namespace
}  // namespace hlsim
