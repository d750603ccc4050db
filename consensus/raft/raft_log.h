// Raft's replicated log, whose entries are blocks.
//
// Entry i (1-based) is a block of height i whose header.epoch is the term that created it and
// whose prev_hash is the hash of entry i-1 (all zero for entry 1); index 0 is the implicit
// genesis with term 0. The log holds committed and uncommitted entries alike and is part of Raft's
// persistent state: it survives a restart. It also indexes the ids of the transactions it holds,
// so a leader can drop duplicates, and caches each entry's encoding while a leader still needs to
// send it. Violating a REQUIRES is a programming error and throws std::logic_error.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "ledger/block.h"
#include "ledger/bytes.h"
#include "sim/kernel/ids.h"

namespace hlsim {

class RaftLog {
 public:
  Height last_index() const { return static_cast<Height>(entries_.size()); }
  std::uint64_t last_term() const { return term_at(last_index()); }
  bool empty() const { return entries_.empty(); }

  // REQUIRES: index <= last_index(). 0 for index 0.
  std::uint64_t term_at(Height index) const;
  // REQUIRES: index <= last_index(). The zero hash for index 0.
  Hash256 hash_at(Height index) const;
  // REQUIRES: 1 <= index <= last_index().
  const BlockRef& at(Height index) const;

  // REQUIRES: block height == last_index() + 1, prev_hash == hash_at(last_index()) and
  // header.epoch >= last_term() (terms never decrease along a log).
  void append(BlockRef block);
  // Removes every entry after `index`. REQUIRES: index <= last_index().
  void truncate_after(Height index);

  // The index of the entry holding transaction `id`, or 0 when the log does not hold it.
  Height find_tx(const Hash256& id) const;

  // The lowest index j <= index such that entries j..index all have term_at(index), i.e. where
  // that term's run of entries starts. REQUIRES: 1 <= index <= last_index().
  Height first_index_of_term_run(Height index) const;

  // The block encoding of entry `index`, computed on first use and cached until released.
  // REQUIRES: 1 <= index <= last_index().
  std::shared_ptr<const Bytes> encoded(Height index);
  // Drops cached encodings of entries 1..index (every follower already holds them).
  void release_encodings_through(Height index);

 private:
  struct Entry {
    BlockRef block;
    std::shared_ptr<const Bytes> encoded;  // null until a leader first sends the entry
  };
  std::vector<Entry> entries_;
  // Transaction id -> index of the (first) entry holding it.
  std::unordered_map<Hash256, Height, Hash256Hasher> tx_index_;
  // Entries 1..released_through_ have no cached encoding.
  Height released_through_ = 0;
};

}  // namespace hlsim
