#include "ledger/chain.h"

#include <stdexcept>
#include <string>

namespace hlsim {

namespace {

// The first 4 bytes in hex: enough to tell hashes apart in a message.
std::string short_hex(const Hash256& h) { return to_hex(h.view().first(4)); }

Status check_links(const Block& block, Height expected_height, const Hash256& expected_prev) {
  const BlockHeader& h = block.header;
  if (h.height != expected_height) {
    return Error{"block " + short_hex(block.hash) + " has height " + std::to_string(h.height) +
                 ", expected height " + std::to_string(expected_height)};
  }
  if (h.prev_hash != expected_prev) {
    return Error{"block " + short_hex(block.hash) + " at height " + std::to_string(h.height) +
                 " has prev_hash " + short_hex(h.prev_hash) + ", expected prev_hash " +
                 short_hex(expected_prev) + " (the head at height " +
                 std::to_string(expected_height - 1) + ")"};
  }
  return Status::Ok();
}

}  // namespace

Chain::Chain() : Chain(make_memory_ledger_store()) {}

Chain::Chain(std::unique_ptr<LedgerStore> store) : store_(std::move(store)) {
  if (!store_) throw std::invalid_argument("Chain: the store must not be null");
  if (store_->height() != 0 || store_->key_count() != 0) {
    throw std::invalid_argument("Chain: the store is not empty; recover it with Chain::open");
  }
}

Result<Chain> Chain::open(std::unique_ptr<LedgerStore> store) {
  if (!store) return Error{"cannot open a chain over a null store"};
  Chain chain(make_memory_ledger_store());
  const Height stored = store->height();
  chain.blocks_.reserve(stored);
  chain.roots_.reserve(stored + 1);
  for (Height h = 1; h <= stored; ++h) {
    const std::string where = "stored block " + std::to_string(h) + ": ";
    std::optional<Bytes> encoding = store->block(h);
    if (!encoding) return Error{where + "missing"};
    std::optional<Block> block = Block::decode(*encoding);
    if (!block) return Error{where + "does not decode"};
    if (Status s = check_links(*block, h, chain.head_hash()); !s.ok()) {
      return Error{where + s.error().message};
    }
    std::optional<Hash256> root = store->state_root(h);
    if (!root) return Error{where + "has no recorded state root"};
    chain.block_bytes_ += encoding->size();
    chain.blocks_.push_back(std::make_shared<const Block>(std::move(*block)));
    chain.roots_.push_back(*root);
  }
  store->for_each_state(
      [&](std::string_view key, std::string_view value) { chain.tree_.put(key, value); });
  if (chain.tree_.root() != chain.roots_.back()) {
    return Error{"the stored state does not match the state root recorded with block " +
                 std::to_string(stored)};
  }
  chain.store_ = std::move(store);
  return chain;
}

Status Chain::append(BlockRef block, std::span<const StateWrite> writes) {
  if (!block) return Error{"cannot append a null block"};
  if (Status s = check_links(*block, next_height(), head_hash()); !s.ok()) return s;
  catch_up_tree();
  tree_.apply(writes);
  return store_block(std::move(block),
                     std::make_shared<const std::vector<StateWrite>>(writes.begin(), writes.end()),
                     tree_.root());
}

Status Chain::append_known(BlockRef block, std::shared_ptr<const std::vector<StateWrite>> writes,
                           const Hash256& root) {
  if (!block) return Error{"cannot append a null block"};
  if (!writes) return Error{"cannot append a block without its write set"};
  if (Status s = check_links(*block, next_height(), head_hash()); !s.ok()) return s;
  if (Status s = store_block(std::move(block), writes, root); !s.ok()) return s;
  if (!writes->empty()) deferred_writes_.push_back(std::move(writes));
  return Status::Ok();
}

void Chain::catch_up_tree() {
  for (const auto& writes : deferred_writes_) tree_.apply(*writes);
  deferred_writes_.clear();
}

Status Chain::store_block(BlockRef block, const WriteSetRef& writes, const Hash256& root) {
  if (Status s = store_->commit_block_ref(block->header.height, block, writes, root); !s.ok()) {
    return s;
  }
  block_bytes_ += block->encoded_size();
  roots_.push_back(root);
  blocks_.push_back(std::move(block));
  return Status::Ok();
}

}  // namespace hlsim
