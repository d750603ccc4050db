// ExecutionMemo: what its key binds (state, block, each transaction and its verification flag),
// hits and misses. Eviction and the disabled memo are BoundedMemo's (tests/ledger).
#include "workloads/execution_memo.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "ledger/crypto/sha256.h"
#include "ledger/crypto/signature.h"

namespace hlsim {
namespace {

BlockRef make_block(Height height, std::uint64_t first_nonce, std::size_t txs) {
  const SigningKey client = SigningKey::derive(3, "client-0");
  std::vector<TxRef> list;
  for (std::size_t i = 0; i < txs; ++i) {
    Transaction tx;
    tx.kind = 1;
    tx.nonce = first_nonce + i;
    tx.payload = Bytes{1, 2, 3};
    sign_tx(tx, client);
    list.push_back(std::make_shared<const Transaction>(std::move(tx)));
  }
  return seal_block(height, Hash256{}, 0, 1, 0, std::move(list), SigningKey::derive(3, "node-0"));
}

Hash256 root(std::uint8_t b) {
  Hash256 h;
  h.bytes[0] = b;
  return h;
}

ExecutionMemo::Entry entry(std::uint64_t executed, std::uint8_t root_after) {
  auto run = std::make_shared<BlockExecution>();
  run->executed = executed;
  run->writes.push_back(StateWrite{"k", "v"});
  return ExecutionMemo::Entry{std::move(run), root(root_after)};
}

TEST(ExecutionMemoTest, KeyBindsStateBlockTransactionsAndFlags) {
  const BlockRef b = make_block(1, 0, 3);
  const std::vector<std::uint8_t> all = {1, 1, 1};
  const Hash256 k = ExecutionMemo::key_of(root(1), *b, all);
  EXPECT_EQ(k, ExecutionMemo::key_of(root(1), *b, all));
  // Another state before the block.
  EXPECT_NE(k, ExecutionMemo::key_of(root(2), *b, all));
  // One transaction failed its check.
  EXPECT_NE(k, ExecutionMemo::key_of(root(1), *b, std::vector<std::uint8_t>{1, 0, 1}));
  // Another block at the same height.
  EXPECT_NE(k, ExecutionMemo::key_of(root(1), *make_block(1, 10, 3), all));
  // The same header with one transaction's body changed: its id (the hash of the body as
  // received) changes, so the key does, even though the block's hash does not.
  Block tampered = *b;
  Transaction changed = *tampered.txs[1];
  changed.payload.push_back(9);
  changed.id = sha256(changed.body());
  tampered.txs[1] = std::make_shared<const Transaction>(std::move(changed));
  ASSERT_EQ(tampered.hash, b->hash);
  EXPECT_NE(k, ExecutionMemo::key_of(root(1), tampered, all));
}

TEST(ExecutionMemoTest, FindsWhatWasInsertedAndCountsHitsAndMisses) {
  ExecutionMemo memo;
  const BlockRef b = make_block(1, 0, 2);
  const Hash256 k = ExecutionMemo::key_of(root(1), *b, std::vector<std::uint8_t>{1, 1});
  EXPECT_EQ(memo.find(k), nullptr);
  memo.insert(k, entry(2, 7));
  const ExecutionMemo::Entry* hit = memo.find(k);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->run->executed, 2u);
  EXPECT_EQ(hit->root_after, root(7));
  // A second insert under the same key keeps the first entry.
  memo.insert(k, entry(5, 8));
  EXPECT_EQ(memo.find(k)->root_after, root(7));
  EXPECT_EQ(memo.hits(), 2u);
  EXPECT_EQ(memo.misses(), 1u);
}

}  // namespace
}  // namespace hlsim
