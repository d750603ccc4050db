// Re-checking a stored ledger (`hlsim verify`): everything a validator would check, from the
// stored bytes alone.
//
// For each height h, in order: the block decodes; it has height h and links to block h-1 (hash
// chain); its header hash, transaction count, Merkle root over its transactions (ids and
// signatures) and proposer signature hold; its proposer is a validator signing with its
// registered key; every transaction's signature is checked (in parallel on all cores). Then the
// state: with the workload's contract, the chain is re-executed (signature failures recorded as
// invalid, as validators do) and every header's state commitment, every recorded state root and
// the stored final state must agree with the re-execution. Without a contract only the recorded
// roots are checked against the headers.
//
// A transaction whose signature fails is not by itself a defect: a validator records a forged
// transaction as invalid and the block keeps it. Since the Merkle root covers every signature, a
// byte changed after the block was sealed is still caught, as a Merkle root mismatch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ledger/bytes.h"
#include "ledger/crypto/signature.h"
#include "sim/kernel/ids.h"
#include "workloads/contract.h"

namespace hlsim {

struct StoredLedger {
  std::string source;                 // what it was read from, for messages
  std::vector<Bytes> blocks;          // encodings of heights 1..n
  std::vector<Hash256> state_roots;   // recorded root after each height (empty: none recorded)
  std::vector<PublicKey> validators;  // empty: membership not checked
  // The stored world state at the head (a RocksDB ledger), in key order; nullopt if not stored.
  std::optional<std::vector<std::pair<std::string, std::string>>> final_state;
};

struct LedgerCheck {
  bool ok = true;
  Height blocks = 0;              // blocks checked
  std::uint64_t txs = 0;          // transactions in them
  std::uint64_t invalid_txs = 0;  // whose signature fails (recorded invalid by the validators)
  bool reexecuted = false;        // state re-derived by running the contract
  Height bad_height = 0;          // the first bad block, 0 when none (or not block-specific)
  std::string failure;            // what failed, naming the block
};

// `contract` may be null (state not re-executed).
LedgerCheck check_ledger(const StoredLedger& ledger, Contract* contract);

}  // namespace hlsim
