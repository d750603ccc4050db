// PoaBlockTree (block_tree.h).
#include "consensus/poa/block_tree.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace hlsim {

void PoaBlockTree::reset(const Hash256& root_hash, Position root) {
  root_hash_ = root_hash;
  root_ = root;
  entries_.clear();
  best_ = root_hash;
  orphans_.clear();
  orphan_ids_.clear();
}

std::optional<PoaBlockTree::Position> PoaBlockTree::position(const Hash256& hash) const {
  if (hash == root_hash_) return root_;
  auto it = entries_.find(hash);
  if (it == entries_.end()) return std::nullopt;
  const BlockHeader& h = it->second.block->header;
  return Position{h.height, h.epoch};
}

const BlockRef* PoaBlockTree::find(const Hash256& hash) const {
  auto it = entries_.find(hash);
  return it == entries_.end() ? nullptr : &it->second.block;
}

const Hash256& PoaBlockTree::parent_of(const Hash256& hash) const {
  return entries_.at(hash).block->header.prev_hash;
}

bool PoaBlockTree::insert(BlockRef block) {
  const Hash256 hash = block->hash;
  const Hash256 parent = block->header.prev_hash;
  const std::optional<Position> parent_pos = position(parent);
  if (!parent_pos || parent_pos->height + 1 != block->header.height || knows(hash)) {
    throw std::logic_error("PoaBlockTree: block does not extend a known block");
  }
  const Position pos{block->header.height, block->header.epoch};
  entries_.emplace(hash, Entry{std::move(block), {}});
  if (parent != root_hash_) entries_.at(parent).children.push_back(hash);
  if (prefer(pos, hash, best_position(), best_)) {
    best_ = hash;
    return true;
  }
  return false;
}

PoaBlockTree::Position PoaBlockTree::best_position() const { return *position(best_); }

bool PoaBlockTree::prefer(Position a, const Hash256& a_hash, Position b, const Hash256& b_hash) {
  if (a.height != b.height) return a.height > b.height;
  if (a.step != b.step) return a.step < b.step;
  return PoaHashOrder{}(a_hash, b_hash);
}

std::vector<BlockRef> PoaBlockTree::chain_to(const Hash256& head) const {
  std::vector<BlockRef> chain;
  for (Hash256 h = head; h != root_hash_; h = parent_of(h)) chain.push_back(entries_.at(h).block);
  std::reverse(chain.begin(), chain.end());
  return chain;
}

Hash256 PoaBlockTree::common_ancestor(const Hash256& a, const Hash256& b) const {
  Hash256 x = a;
  Hash256 y = b;
  Height hx = position(x)->height;
  Height hy = position(y)->height;
  while (hx > hy) {
    x = parent_of(x);
    --hx;
  }
  while (hy > hx) {
    y = parent_of(y);
    --hy;
  }
  while (x != y) {
    x = parent_of(x);
    y = parent_of(y);
  }
  return x;
}

void PoaBlockTree::advance_root(const BlockRef& block) {
  if (block->header.prev_hash != root_hash_ || !entries_.contains(block->hash)) {
    throw std::logic_error("PoaBlockTree: the new root is not a child of the root");
  }
  // Keep the new root's descendants, found breadth first through the children lists.
  std::map<Hash256, Entry, PoaHashOrder> kept;
  std::vector<Hash256> frontier = entries_.at(block->hash).children;
  while (!frontier.empty()) {
    std::vector<Hash256> next;
    for (const Hash256& h : frontier) {
      auto node = entries_.extract(h);
      next.insert(next.end(), node.mapped().children.begin(), node.mapped().children.end());
      kept.insert(std::move(node));
    }
    frontier = std::move(next);
  }
  root_hash_ = block->hash;
  root_ = Position{block->header.height, block->header.epoch};
  entries_ = std::move(kept);
  if (!knows(best_)) throw std::logic_error("PoaBlockTree: committed a block off the best chain");
  for (auto it = orphans_.begin(); it != orphans_.end();) {
    auto& list = it->second;
    std::erase_if(list, [&](const BlockRef& b) {
      if (b->header.height > root_.height) return false;
      orphan_ids_.erase(b->hash);
      return true;
    });
    it = list.empty() ? orphans_.erase(it) : std::next(it);
  }
}

bool PoaBlockTree::add_orphan(BlockRef block) {
  if (orphan_ids_.size() >= kMaxOrphans || orphan_ids_.contains(block->hash) ||
      knows(block->hash)) {
    return false;
  }
  orphan_ids_.insert(block->hash);
  orphans_[block->header.prev_hash].push_back(std::move(block));
  return true;
}

std::vector<BlockRef> PoaBlockTree::take_orphans(const Hash256& parent) {
  auto it = orphans_.find(parent);
  if (it == orphans_.end()) return {};
  std::vector<BlockRef> out = std::move(it->second);
  orphans_.erase(it);
  for (const BlockRef& b : out) orphan_ids_.erase(b->hash);
  return out;
}

void PoaBlockTree::clear_orphans() {
  orphans_.clear();
  orphan_ids_.clear();
}

}  // namespace hlsim
