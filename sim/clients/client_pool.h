// The workload clients: open-loop Poisson arrivals, each client an independent logical process.
//
// A client's whole future is a function of its own random stream: at each arrival it asks the
// workload for a transaction, signs it, maybe forges it (attack injection), then draws the gap to
// its next arrival. So transactions can be prepared ahead of the simulation clock, for all clients
// at once and in parallel (TBB), without changing a single result: prepare() advances each client
// to a horizon in its own task; the simulation then consumes the prepared arrivals in time order.
// Preparation also runs each signature's real verification, whose result the simulation's
// verification cache adopts (the "once" policy: one real check per signature, wherever it runs).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "ledger/crypto/signature.h"
#include "ledger/transaction.h"
#include "ledger/verifier.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/rng.h"
#include "sim/kernel/time.h"
#include "sim/network/link_model.h"
#include "workloads/workload.h"

namespace hlsim {

struct PreparedTx {
  TimeNs submit_ns = 0;
  TxRef tx;
  bool signature_valid = false;  // the real verification's result
  // The sealed off-chain document uploaded with it (TxDraft::document), or null.
  std::shared_ptr<const Bytes> document;
};

struct ClientState {
  Rng rng;
  SigningKey key;
  AccessLink link;
  NodeId gateway = 0;
  std::uint64_t nonce = 0;
  TimeNs next_arrival_ns = kTimeNever;  // drawn, not yet prepared
  std::deque<PreparedTx> ready;         // prepared, not yet submitted, in time order
};

class ClientPool {
 public:
  // `rate_tps` over all clients; arrivals stop at `stop_ns`. `workload` must outlive the pool and
  // its next_tx must be safe to call concurrently for different clients (the Workload contract).
  ClientPool(std::uint64_t seed, std::uint32_t clients, std::uint32_t validators, double rate_tps,
             double forged_fraction, TimeNs stop_ns, const AccessLink& link, Workload* workload,
             SigScheme scheme = SigScheme::kEd25519);

  std::uint32_t size() const { return static_cast<std::uint32_t>(clients_.size()); }
  ClientState& client(ClientId c) { return clients_[c]; }

  // Prepares every client's arrivals before `horizon_ns` (in parallel), and records their
  // verification results in `cache`.
  void prepare(TimeNs horizon_ns, Verifier& verifier);

  // The client's next prepared arrival, preparing up to `now_ns + window` for all clients first
  // when it has none. nullopt when the client submits nothing more.
  std::optional<TimeNs> next_arrival(ClientId c, TimeNs now_ns, Verifier& verifier);

 private:
  void advance(ClientId c, TimeNs horizon_ns);

  std::vector<ClientState> clients_;
  Workload* workload_;
  double mean_gap_ns_;
  double forged_fraction_;
  TimeNs stop_ns_;
  TimeNs window_ns_;
  TimeNs prepared_to_ns_ = 0;
};

}  // namespace hlsim
