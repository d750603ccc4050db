#include "workloads/execute.h"

#include <cassert>

#include "ledger/storage/state_overlay.h"

namespace hlsim {

namespace {

// The contract's view of the state during a block: the overlay, counting reads for their cost.
class CountingState final : public KvStore {
 public:
  explicit CountingState(StateOverlay& overlay) : overlay_(overlay) {}
  std::optional<std::string> get(std::string_view key) const override {
    ++reads;
    std::optional<std::string> v = overlay_.get(key);
    read_bytes += key.size() + (v ? v->size() : 0);
    return v;
  }
  void put(std::string_view key, std::string_view value) override { overlay_.put(key, value); }
  void erase(std::string_view key) override { overlay_.erase(key); }
  std::uint64_t key_count() const override { return overlay_.key_count(); }
  std::uint64_t bytes() const override { return overlay_.bytes(); }

  mutable std::uint64_t reads = 0;
  mutable std::uint64_t read_bytes = 0;

 private:
  StateOverlay& overlay_;
};

}  // namespace

BlockExecution execute_block(Contract& contract, const LedgerStore& store, const Block& block,
                             std::span<const std::uint8_t> valid) {
  assert(valid.size() == block.txs.size());
  BlockExecution out;
  out.outcomes.reserve(block.txs.size());
  StateOverlay overlay(store);
  CountingState state(overlay);
  for (std::size_t i = 0; i < block.txs.size(); ++i) {
    if (valid[i] == 0) {
      out.outcomes.push_back(TxOutcome::kInvalid);
      continue;
    }
    const ApplyResult r = contract.apply(state, *block.txs[i], block.header.timestamp_ns);
    out.outcomes.push_back(r.outcome);
    out.put_ops += r.writes;
    out.put_bytes += r.written_bytes;
    ++out.executed;
  }
  out.reads = state.reads;
  out.read_bytes = state.read_bytes;
  out.writes = overlay.take_writes();
  return out;
}

}  // namespace hlsim
