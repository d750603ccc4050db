// What contracts execute against during a block: a KvStore over a node's committed state (a
// LedgerStore) that keeps the block's writes pending instead of applying them.
//
// Reads see the pending writes first, then the store. take_writes() hands the block's write set to
// the node, which commits it with the block:
//
//   StateOverlay overlay(store);
//   ... execute the block's transactions against overlay ...
//   store.commit_block(h, encoding, overlay.take_writes());
//
// The write set is canonical: one StateWrite per key, in byte order of keys, holding the key's
// final state (a value, or nullopt for erased). It depends only on the sequence of puts and erases,
// so every replica executing the same block produces the same write set. An erase of a key that is
// not visible (in neither the pending writes nor the store) records nothing.
//
// The store must outlive the overlay and must not change while writes are pending: key_count()
// and bytes() are the store's counters plus deltas computed at put/erase time against the state
// visible then.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ledger/storage/kv_store.h"
#include "ledger/storage/ledger_store.h"

namespace hlsim {

class StateOverlay final : public KvStore {
 public:
  explicit StateOverlay(const LedgerStore& store) : store_(&store) {}

  std::optional<std::string> get(std::string_view key) const override;
  void put(std::string_view key, std::string_view value) override;
  void erase(std::string_view key) override;
  // The store's counters plus those of the pending writes.
  std::uint64_t key_count() const override;
  std::uint64_t bytes() const override;

  // The pending write set in canonical order (see above); leaves the overlay empty, reading the
  // store alone again.
  std::vector<StateWrite> take_writes();

  // Number of keys with a pending write.
  std::size_t pending() const { return pending_.size(); }

 private:
  // The size of key's value as currently visible, or nullopt when the key is absent.
  std::optional<std::size_t> visible_size(std::string_view key) const;

  const LedgerStore* store_;
  std::map<std::string, std::optional<std::string>, std::less<>> pending_;  // nullopt = erased
  std::int64_t key_delta_ = 0;
  std::int64_t byte_delta_ = 0;
};

}  // namespace hlsim
