// Executing a committed block: the one place where a block's transactions change the world state,
// shared by the simulated validators and `hlsim verify` (which re-executes a stored ledger to
// re-derive its state roots).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ledger/block.h"
#include "ledger/storage/ledger_store.h"
#include "workloads/contract.h"

namespace hlsim {

struct BlockExecution {
  std::vector<TxOutcome> outcomes;  // per transaction, in block order
  std::vector<StateWrite> writes;   // the canonical write set (ledger/storage/state_overlay.h)
  std::uint64_t executed = 0;       // transactions run through the contract (valid ones)
  std::uint64_t reads = 0;          // state reads and the bytes of keys plus values read
  std::uint64_t read_bytes = 0;
  std::uint64_t put_ops = 0;  // state writes the contract reported, and their bytes
  std::uint64_t put_bytes = 0;
};

// Runs `block`'s transactions in order against the committed state in `store`, without changing
// it: a transaction with valid[i] == 0 (its signature failed) is kInvalid and not executed.
// REQUIRES: valid.size() == block.txs.size().
BlockExecution execute_block(Contract& contract, const LedgerStore& store, const Block& block,
                             std::span<const std::uint8_t> valid);

}  // namespace hlsim
