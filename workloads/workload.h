// The workload interface: what clients submit, and the contract that judges it on the ledger.
//
// The simulator owns arrivals (when each client submits) and signing; a Workload decides *what* a
// client submits. next_tx(c, ...) may touch only client c's own generator state and must use only
// the Rng it is given (client c's stream), so clients stay independent logical processes. The
// simulator relies on this: it calls next_tx for different clients concurrently (never for one
// client from two threads at once), preparing their transactions ahead of the clock.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/bytes.h"
#include "ledger/crypto/aes_gcm.h"
#include "ledger/transaction.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "sim/kernel/rng.h"
#include "sim/kernel/time.h"
#include "workloads/contract.h"

namespace hlsim {

struct TxDraft {
  std::uint16_t kind = 0;  // index into kind_names()
  Bytes payload;           // canonical encoding the contract parses
  // An encrypted off-chain document (AES-256-GCM, ledger/crypto/aes_gcm.h) the client uploads to
  // its organisation's off-chain store with the transaction; the payload carries only its digest
  // and a pointer. Empty when the transaction has none. PHI never goes on the ledger.
  std::shared_ptr<const Bytes> document;
};

// What a committed transaction says about an off-chain document: that `subject`'s latest document
// is the sealed one with SHA-256 `digest`, and how an authorised reader opens it. (Key exchange is
// not modelled: a reader that the ledger authorised is assumed to hold the key.)
struct OffchainPointer {
  std::uint64_t subject = 0;  // e.g. a patient
  Hash256 digest;             // SHA-256 of the sealed document: all the ledger holds
  AeadKey key;
  AeadNonce nonce;
  std::string aad;  // authenticated data, e.g. the record's URI
};

struct WorkloadSetup {
  std::uint64_t seed = 0;        // run seed (derive setup randomness with RngDomain::kWorkload)
  std::uint32_t clients = 0;     // clients are 0..clients-1
  std::uint32_t validators = 0;  // validator nodes 0..validators-1
};

class Workload {
 public:
  virtual ~Workload() = default;
  virtual const std::vector<std::string>& kind_names() const = 0;
  // Client `client`'s next transaction at `now_ns`, drawn from `rng` (that client's stream).
  virtual TxDraft next_tx(ClientId client, TimeNs now_ns, Rng& rng) = 0;
  // A fresh contract instance for one validator.
  virtual std::unique_ptr<Contract> make_contract() const = 0;

  // Off-chain documents. The simulator keeps each uploaded document in the store of the
  // submitter's gateway site; when a transaction with a pointer commits (applied) there, it becomes
  // its subject's latest document; when a transaction for which offchain_read() names a subject
  // commits (applied) at the reader's gateway, the reader fetches that subject's latest document
  // over the simulated network and decrypts it. Both must be pure functions of the transaction.
  virtual std::optional<OffchainPointer> offchain_pointer(const Transaction& /*tx*/) const {
    return std::nullopt;
  }
  virtual std::optional<std::uint64_t> offchain_read(const Transaction& /*tx*/) const {
    return std::nullopt;
  }
};

struct WorkloadInfo {
  std::string name;  // scenario value of workload.kind
  std::string summary;
  std::vector<ParamSpec> params;  // keys allowed under `workload:` besides the common ones
  std::function<Result<std::unique_ptr<Workload>>(const ParamValues&, const WorkloadSetup&)> make;
};

const std::vector<WorkloadInfo>& workload_registry();
const WorkloadInfo* find_workload(std::string_view name);

}  // namespace hlsim
