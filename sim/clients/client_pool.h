// The workload clients, each an independent logical process.
//
// Open loop with prepared arrivals (the default): a client's whole future is a function of its own
// random stream: at each arrival it asks the workload for a transaction, signs it, maybe forges it
// (attack injection), then draws the time of its next arrival (sim/clients/arrivals.h, or the
// workload's own timetable). So transactions can be prepared ahead of the simulation clock, for
// all clients at once and in parallel (TBB), without changing a single result: prepare() advances
// each client to a horizon in its own task; the simulation then consumes the prepared arrivals in
// time order. Preparation also runs each signature's real verification, whose result the
// simulation's verification cache adopts (the "once" policy: one real check per signature,
// wherever it runs).
//
// Just in time: when the workload reacts to the ledger (Workload::reacts_to_ledger) or arrivals
// are closed-loop, a client's next draft depends on what happened before it, so nothing is
// prepared ahead: the simulation calls draft_now() at the arrival instant.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "ledger/crypto/signature.h"
#include "ledger/transaction.h"
#include "ledger/verifier.h"
#include "sim/clients/arrivals.h"
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
  // Arrivals stop at `stop_ns`. `workload` must outlive the pool and its next_tx must be safe to
  // call concurrently for different clients (the Workload contract).
  ClientPool(std::uint64_t seed, std::uint32_t clients, std::uint32_t validators,
             const ArrivalConfig& arrivals, double forged_fraction, TimeNs stop_ns,
             const AccessLink& link, Workload* workload, SigScheme scheme = SigScheme::kEd25519);

  std::uint32_t size() const { return static_cast<std::uint32_t>(clients_.size()); }
  ClientState& client(ClientId c) { return clients_[c]; }
  const ClientState& client(ClientId c) const { return clients_[c]; }
  // Drafts are made at the arrival instant (draft_now), not prepared ahead.
  bool just_in_time() const { return just_in_time_; }
  bool closed_loop() const { return arrivals_.kind == ArrivalKind::kClosed; }
  const ArrivalConfig& arrivals() const { return arrivals_; }

  // Prepares every client's arrivals before `horizon_ns` (in parallel), and records their
  // verification results in `cache`. Not in just-in-time mode.
  void prepare(TimeNs horizon_ns, Verifier& verifier);

  // The client's next arrival: prepared mode prepares up to `now_ns + window` for all clients
  // first when it has none. nullopt when the client submits nothing more (or, closed loop, until
  // set_next_arrival is called).
  std::optional<TimeNs> next_arrival(ClientId c, TimeNs now_ns, Verifier& verifier);

  // The transaction of the arrival at `now_ns` (== next_arrival): prepared mode pops it; just in
  // time drafts it now, records its verification in `verifier` and draws the next arrival (open
  // loop) or leaves none (closed loop).
  PreparedTx take(ClientId c, TimeNs now_ns, Verifier& verifier);

  // Closed loop: the client will submit again after a think time drawn from its stream; returns
  // the instant (kTimeNever once past stop_ns).
  TimeNs think_then_arrive(ClientId c, TimeNs now_ns);

 private:
  void advance(ClientId c, TimeNs horizon_ns);
  PreparedTx draft(ClientId c, TimeNs at_ns);
  TimeNs next_after(ClientId c, TimeNs after_ns);

  std::vector<ClientState> clients_;
  Workload* workload_;
  ArrivalConfig arrivals_;
  ArrivalProcess process_;
  bool own_arrivals_ = false;
  bool just_in_time_ = false;
  double forged_fraction_;
  TimeNs stop_ns_;
  TimeNs window_ns_;
  TimeNs prepared_to_ns_ = 0;
};

}  // namespace hlsim
