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

// One figure a workload reports about its own domain (counterfeits rejected, time from a
// revocation to its enforcement, ...): printed under `workload` in the run summary and written to
// the summary JSON's `workload_figures`.
struct WorkloadFigure {
  std::string name;  // snake_case, unique within the workload, e.g. "revoke_to_enforcement_p50"
  double value = 0;
  std::string unit;  // "ms", "tx", "%", "" for a plain count
  std::string help;  // one line: what it counts
};

// A workload's own accounting over what the ledger ordered. The simulator feeds it each ordered
// transaction exactly once, when the first honest validator commits it, in commit order (height,
// then position in the block; deterministic, whatever the thread count). Transactions that never
// commit (pending, rejected, lost) are not shown. REQUIRES nothing of the contract state: it sees
// the outcome the contract gave.
class WorkloadMetrics {
 public:
  virtual ~WorkloadMetrics() = default;
  virtual void on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) = 0;
  virtual std::vector<WorkloadFigure> figures() const = 0;
};

struct WorkloadSetup {
  std::uint64_t seed = 0;        // run seed (derive setup randomness with RngDomain::kWorkload)
  std::uint32_t clients = 0;     // clients are 0..clients-1
  std::uint32_t validators = 0;  // validator nodes 0..validators-1
  // Simulated time that stands for one day (scenario key workload.day_s, default 86400 s): a
  // workload scales intervals given in days (a licence's validity, a consent's duration, a trace's
  // timestamps) by it, so a scenario can compress a month into a minute.
  TimeNs day_ns = 86'400 * kNsPerSec;
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

  // Its own figures (WorkloadMetrics); null when it has none beyond the per-kind table.
  virtual std::unique_ptr<WorkloadMetrics> make_metrics() const { return nullptr; }

  // Clients that act on what the ledger says: a wholesaler receives what was shipped to it, a
  // pharmacy dispenses what it received. watchers(tx) names the clients that learn of a committed
  // transaction (a pure function of it, e.g. a shipment's receiver); when the transaction commits
  // at such a client's gateway, the simulator calls on_observed(client, ...) in that client's own
  // logical process, at that instant. on_observed may change only that client's state, like
  // next_tx. A workload whose watchers() can be non-empty must say so with reacts_to_ledger():
  // its drafts are then made at their arrival instant rather than prepared ahead, so a draft sees
  // every observation before it.
  virtual bool reacts_to_ledger() const { return false; }
  // Arrivals. By default the simulator decides when each client submits (workload.arrivals:
  // Poisson, a daily profile, bursts, closed loop). A workload that carries its own timetable
  // (trace replay) returns true from has_own_arrivals() and gives each client's next submit
  // instant strictly after `after_ns` from next_arrival_ns (kTimeNever: that client is done). It
  // may touch only that client's state.
  virtual bool has_own_arrivals() const { return false; }
  virtual TimeNs next_arrival_ns(ClientId /*client*/, TimeNs /*after_ns*/) { return kTimeNever; }
  virtual std::vector<ClientId> watchers(const Transaction& /*tx*/) const { return {}; }
  virtual void on_observed(ClientId /*client*/, const Transaction& /*tx*/, TxOutcome /*outcome*/,
                           TimeNs /*now_ns*/) {}
};

struct WorkloadInfo {
  std::string name;  // scenario value of workload.kind
  std::string summary;
  std::vector<ParamSpec> params;  // keys allowed under `workload:` besides the common ones
  std::function<Result<std::unique_ptr<Workload>>(const ParamValues&, const WorkloadSetup&)> make;
  // A published figure for its load, per organisation per day (workload.rate_per_org_per_day:
  // typical), and where it comes from; 0 when there is none (benchmarks, replays).
  double typical_rate_per_org_per_day = 0;
  std::string typical_rate_source;
};

const std::vector<WorkloadInfo>& workload_registry();
const WorkloadInfo* find_workload(std::string_view name);

// One component of a mixed workload (workload.kind: mix): a registered workload, its share of the
// transactions (a relative weight) and its own parameters.
struct MixPart {
  std::string kind;
  double weight = 1;
  ParamValues params;
};
inline constexpr std::string_view kMixWorkload = "mix";

// The workload a scenario names: `kind`'s factory with `params`, or for "mix" the mixture of
// `parts` (workloads/mix/mix_workload.h).
Result<std::unique_ptr<Workload>> make_workload(std::string_view kind, const ParamValues& params,
                                                const std::vector<MixPart>& parts,
                                                const WorkloadSetup& setup);

}  // namespace hlsim
