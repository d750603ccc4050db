// One node's committed chain: blocks in height order, hash-linked, plus the world state they
// produced. Only finalised blocks are appended; protocols keep their own uncommitted logs.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "ledger/block.h"
#include "ledger/storage/kv_store.h"
#include "sim/kernel/result.h"

namespace hlsim {

class Chain {
 public:
  explicit Chain(std::unique_ptr<KvStore> state);

  // Appends a committed block. Fails (and appends nothing) unless block.height == next_height()
  // and block.prev_hash == head_hash().
  Status append(BlockRef block);

  // Height the next block must have. The first committed block has height 1 (0 is genesis,
  // implicit, with an all-zero hash).
  Height next_height() const { return static_cast<Height>(blocks_.size()) + 1; }
  Height height() const { return static_cast<Height>(blocks_.size()); }
  Hash256 head_hash() const { return blocks_.empty() ? Hash256{} : blocks_.back()->hash; }
  // REQUIRES: 1 <= h <= height()
  const BlockRef& at(Height h) const { return blocks_[static_cast<std::size_t>(h - 1)]; }
  const std::vector<BlockRef>& blocks() const { return blocks_; }

  KvStore& state() { return *state_; }
  const KvStore& state() const { return *state_; }
  std::uint64_t block_bytes() const { return block_bytes_; }

 private:
  std::vector<BlockRef> blocks_;
  std::unique_ptr<KvStore> state_;
  std::uint64_t block_bytes_ = 0;
};

}  // namespace hlsim
