// What an endorsing peer's contract runs against: a KvStore over the peer's committed
// VersionedState that changes nothing and records the transaction's read-write set.
//
// A get() of a key the transaction has not written reads the committed state and records the key
// with the version it had (the first read of each key; later reads of it are the same read). A
// get() after the transaction's own put/erase of the key sees that write and records no read, since
// its result does not depend on the committed state. put/erase are kept as pending writes; the
// last one per key wins. take() returns the canonical (sorted, one entry per key) read-write set.
//
// The state must not change while the recorder is in use.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "ledger/eov/rwset.h"
#include "ledger/eov/versioned_state.h"
#include "ledger/storage/kv_store.h"

namespace hlsim {

class RwSetRecorder final : public KvStore {
 public:
  explicit RwSetRecorder(const VersionedState& state) : state_(&state) {}

  std::optional<std::string> get(std::string_view key) const override;
  void put(std::string_view key, std::string_view value) override;
  void erase(std::string_view key) override;
  // The committed state's counters adjusted by the pending writes.
  std::uint64_t key_count() const override;
  std::uint64_t bytes() const override;

  // The recorded read-write set; the recorder is empty afterwards.
  RwSet take();
  std::uint64_t reads() const { return reads_.size(); }

 private:
  const VersionedState* state_;
  // get() is const in KvStore, but recording a read is the point of this store.
  mutable std::map<std::string, std::optional<Version>, std::less<>> reads_;
  std::map<std::string, std::optional<std::string>, std::less<>> writes_;
};

}  // namespace hlsim
