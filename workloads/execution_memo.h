// Memoised block execution, shared by the validators of one run.
//
// Executing a committed block is a pure function of the state before it, the block and which of
// its transactions verified: a contract reads only the state, the transaction and the block time
// (workloads/contract.h), and every validator of a run runs the same contract. Validators execute
// the same blocks on the same states, so the first execution's result (outcomes, canonical write
// set, counted reads and writes) and the state root it leads to are kept, and a later validator
// executing the same block on a state with the same root takes them instead of running the
// contract and rehashing its state tree again.
//
// Nothing a run reports changes: each validator still charges the simulated cost of executing and
// of updating its state tree, computed from the same counts; it still writes the same state into
// its own store and records the same root. Only the host's work shrinks (at 256 validators, about
// 40% of a HotStuff run was every validator re-executing every block).
//
// The key is a SHA-256 the validator computes from what it holds: its own state root before the
// block, the block's hash (computed when the block was decoded), and every transaction's id (the
// hash of its body as received) with its verification flag. A block that differs in any
// transaction, or a state that differs in any key, therefore never hits another's entry.
//
// Bounded: the oldest entries beyond `capacity` are dropped; a validator far behind the others
// then executes for itself, with the same result. Not thread-safe: one memo per simulation
// thread (NodeShared), as the verifier's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "ledger/block.h"
#include "ledger/bounded_memo.h"
#include "workloads/execute.h"

namespace hlsim {

class ExecutionMemo {
 public:
  // What one execution produced, as every validator that hits the entry sees it.
  struct Entry {
    std::shared_ptr<const BlockExecution> run;
    Hash256 root_after;  // the state root after applying run->writes
  };

  // `capacity` 0 disables the memo: find() never hits and insert() keeps nothing.
  explicit ExecutionMemo(std::size_t capacity = kDefaultCapacity) : entries_(capacity) {}

  // The key of executing `block` with verification flags `valid` on a state whose root is
  // `root_before`. REQUIRES: valid.size() == block.txs.size().
  static Hash256 key_of(const Hash256& root_before, const Block& block,
                        std::span<const std::uint8_t> valid);

  // The entry for `key`, or null. The pointer is valid until the next insert().
  const Entry* find(const Hash256& key) { return entries_.find(key); }
  // Records an execution. REQUIRES: entry.run non-null and the result of executing the block
  // `key` names (a key already present keeps its entry).
  void insert(const Hash256& key, Entry entry);

  bool enabled() const { return entries_.enabled(); }
  std::uint64_t hits() const { return entries_.hits(); }
  std::uint64_t misses() const { return entries_.misses(); }

  // Blocks kept: enough for every validator of a large cluster to commit a block a few hundred
  // blocks after the first one did.
  static constexpr std::size_t kDefaultCapacity = 512;

 private:
  BoundedMemo<Entry> entries_;
};

}  // namespace hlsim
