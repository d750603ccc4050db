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
#include <string>
#include <string_view>
#include <vector>

#include "ledger/bytes.h"
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
