// One node's committed chain: blocks in height order, hash-linked, the world state they produced
// (in a LedgerStore: memory or rocksdb) and the authenticated state tree over it.
//
// Only finalised blocks are appended; protocols keep their own uncommitted logs. Each append
// records the block, its state writes and the resulting state root atomically in the store, so a
// chain reopened from a durable store (open()) is exactly the chain that was appended: its blocks
// are decoded again, its state tree is rebuilt from the stored state and checked against the root
// stored with the last block.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "ledger/block.h"
#include "ledger/state/sparse_merkle.h"
#include "ledger/storage/ledger_store.h"
#include "sim/kernel/result.h"

namespace hlsim {

class Chain {
 public:
  // An empty chain over an empty memory store.
  Chain();
  // An empty chain over `store`. REQUIRES: store is non-null and holds no block (else throws
  // std::invalid_argument; use open() to recover a stored chain).
  explicit Chain(std::unique_ptr<LedgerStore> store);

  // Recovers the chain `store` holds. Fails naming the height when a stored block does not decode,
  // does not link to its predecessor, or the stored state disagrees with the recorded state root.
  static Result<Chain> open(std::unique_ptr<LedgerStore> store);

  // Appends a committed block with the state writes its execution produced (the canonical write
  // set, ledger/storage/state_overlay.h) and persists both. Fails, appending nothing, unless
  // block.height == next_height() and block.prev_hash == head_hash(). A storage error is also
  // returned; the chain is then unusable (the run stops).
  Status append(BlockRef block, std::span<const StateWrite> writes = {});

  // As append(), for writes whose resulting state root is already known: `root` must be what
  // applying `writes` to this chain's state gives (an identical execution on a state with the same
  // root, workloads/execution_memo.h). The store receives the writes at once; the state tree is
  // brought up to date only when next asked for (state_tree(), or an append() without a root), so
  // a validator that never serves proofs never pays for rehashing it. REQUIRES: writes non-null.
  Status append_known(BlockRef block, std::shared_ptr<const std::vector<StateWrite>> writes,
                      const Hash256& root);

  // Height the next block must have. The first committed block has height 1 (0 is genesis,
  // implicit, with an all-zero hash and the empty state).
  Height next_height() const { return static_cast<Height>(blocks_.size()) + 1; }
  Height height() const { return static_cast<Height>(blocks_.size()); }
  Hash256 head_hash() const { return blocks_.empty() ? Hash256{} : blocks_.back()->hash; }
  // REQUIRES: 1 <= h <= height()
  const BlockRef& at(Height h) const { return blocks_[static_cast<std::size_t>(h - 1)]; }
  const std::vector<BlockRef>& blocks() const { return blocks_; }

  // The state root after block h. REQUIRES: h <= height(); the empty state's root (zero) for 0.
  const Hash256& state_root_at(Height h) const { return roots_[static_cast<std::size_t>(h)]; }
  // What a block sealed on top of this chain commits to: the state after the head.
  StateCommitment state_commitment() const { return {height(), roots_.back()}; }

  const LedgerStore& store() const { return *store_; }
  // The authenticated state, for proofs of reads (root() == state_root_at(height())).
  SparseMerkleTree& state_tree() {
    catch_up_tree();
    return tree_;
  }
  std::uint64_t block_bytes() const { return block_bytes_; }

 private:
  // Applies the writes append_known() deferred, oldest first.
  void catch_up_tree();
  // Stores the block with its writes and root, and records both.
  Status store_block(BlockRef block, const WriteSetRef& writes, const Hash256& root);

  std::unique_ptr<LedgerStore> store_;
  std::vector<BlockRef> blocks_;
  std::vector<Hash256> roots_{Hash256{}};  // roots_[h]: state root after block h
  SparseMerkleTree tree_;                  // the state after the last block, less deferred_writes_
  std::vector<std::shared_ptr<const std::vector<StateWrite>>> deferred_writes_;
  std::uint64_t block_bytes_ = 0;
};

}  // namespace hlsim
