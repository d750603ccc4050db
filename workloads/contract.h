// On-ledger logic ("contract"): how a committed transaction changes the world state.
//
// Every validator runs the same contract over the same committed blocks, so the function must be
// deterministic: it may read only the state, the transaction and the block time.
#pragma once

#include <cstdint>

#include "ledger/storage/kv_store.h"
#include "ledger/transaction.h"
#include "sim/kernel/time.h"

namespace hlsim {

enum class TxOutcome : std::uint8_t {
  kApplied,  // valid and its effects were written
  kDenied,   // valid, recorded, but the rule said no (e.g. access without consent)
  kInvalid,  // malformed payload or a rule violation; no effect on state
};
const char* to_string(TxOutcome o);

struct ApplyResult {
  TxOutcome outcome = TxOutcome::kApplied;
  std::uint32_t writes = 0;         // state writes performed (the node charges storage cost)
  std::uint64_t written_bytes = 0;  // bytes of keys + values written
};

class Contract {
 public:
  virtual ~Contract() = default;
  virtual ApplyResult apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) = 0;
};

}  // namespace hlsim
