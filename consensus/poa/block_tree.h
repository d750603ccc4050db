// The blocks a proof-of-authority node holds above its committed head: a tree rooted at that head
// (every tentative block descends from it) with Aura's fork choice over its leaves, and a bounded
// pool of orphans (valid-looking blocks whose parent the node has not seen yet).
//
// Fork choice (the "heaviest" chain): the head with the greatest height; among equal heights the
// one sealed in the lower step (it was sealed first, so more of the network has built on it);
// then the lower hash, so every node holding the same blocks picks the same head. The best head
// always descends from the root, so moving the root up along the best chain (a commit) never
// changes it and a committed block can never be reorganised away.
//
// Pure data structure: no validation beyond linkage (the protocol checks proposer, step and
// transactions before inserting), no I/O. Every container is ordered or only looked up, so
// nothing observable depends on hashing order.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "consensus/poa/hash_order.h"
#include "ledger/block.h"
#include "ledger/bytes.h"

namespace hlsim {

class PoaBlockTree {
 public:
  // Orphans beyond this many are dropped (the fetch that brings their parents brings them too).
  static constexpr std::size_t kMaxOrphans = 1024;

  // Where a known block sits: its height and the step (header.epoch) it was sealed in.
  struct Position {
    Height height = 0;
    std::uint64_t step = 0;
    bool operator==(const Position&) const = default;
  };

  // An empty tree rooted at genesis (height 0, step 0, zero hash).
  PoaBlockTree() = default;
  // Drops every tentative block and orphan; the committed head is now `root`.
  void reset(const Hash256& root_hash, Position root);

  const Hash256& root_hash() const { return root_hash_; }
  Position root() const { return root_; }
  std::size_t size() const { return entries_.size(); }  // tentative blocks

  // The root or a tentative block.
  bool knows(const Hash256& hash) const { return hash == root_hash_ || entries_.contains(hash); }
  std::optional<Position> position(const Hash256& hash) const;
  // A tentative block (nullptr for the root and unknown hashes).
  const BlockRef* find(const Hash256& hash) const;

  // Adds a tentative block. REQUIRES: its parent is known, its height is the parent's + 1 and it
  // is not held yet. Returns true when it became the best head.
  bool insert(BlockRef block);

  const Hash256& best() const { return best_; }
  Position best_position() const;
  // Fork choice: true when head `a` is preferred to head `b`.
  static bool prefer(Position a, const Hash256& a_hash, Position b, const Hash256& b_hash);

  // The tentative blocks from just above the root up to `head`, ascending. REQUIRES: head known.
  std::vector<BlockRef> chain_to(const Hash256& head) const;
  std::vector<BlockRef> best_chain() const { return chain_to(best_); }
  // The highest block both chains contain (possibly the root). REQUIRES: both known.
  Hash256 common_ancestor(const Hash256& a, const Hash256& b) const;

  // The node committed `block`, a child of the root on the best chain: it becomes the root, and
  // tentative blocks that do not descend from it and orphans at or below its height are dropped.
  // REQUIRES: block is a tentative child of the root and an ancestor of (or is) the best head.
  void advance_root(const BlockRef& block);

  // Orphans. add_orphan is false when the block is already held or the pool is full.
  bool add_orphan(BlockRef block);
  bool has_orphan(const Hash256& hash) const { return orphan_ids_.contains(hash); }
  // Removes and returns the orphans whose parent is `parent`, in arrival order.
  std::vector<BlockRef> take_orphans(const Hash256& parent);
  std::size_t orphan_count() const { return orphan_ids_.size(); }
  void clear_orphans();

 private:
  struct Entry {
    BlockRef block;
    std::vector<Hash256> children;  // in insertion order
  };
  const Hash256& parent_of(const Hash256& hash) const;

  Hash256 root_hash_;
  Position root_;
  std::map<Hash256, Entry, PoaHashOrder> entries_;
  Hash256 best_;
  std::map<Hash256, std::vector<BlockRef>, PoaHashOrder> orphans_;  // by missing parent
  std::set<Hash256, PoaHashOrder> orphan_ids_;
};

}  // namespace hlsim
