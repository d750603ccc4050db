// The consensus protocol interface: one instance per validator, a deterministic state machine
// driven only through these calls (see context.h for what it may do in them).
#pragma once

#include <cstdint>

#include "consensus/context.h"
#include "consensus/message.h"
#include "ledger/transaction.h"

namespace hlsim {

class Protocol {
 public:
  virtual ~Protocol() = default;

  // Called once at time 0.
  virtual void start(Context& ctx) = 0;
  // A client transaction whose signature this node has already verified.
  virtual void on_transaction(Context& ctx, const TxRef& tx) = 0;
  virtual void on_message(Context& ctx, NodeId from, const Message& msg) = 0;
  virtual void on_timer(Context& ctx, TimerId id, std::uint64_t tag) = 0;
  // The node restarts after a crash. Every timer set before the crash is gone; the protocol resets
  // its volatile state and re-arms its timers. What survives depends on the storage backend:
  //  * durable (rocksdb, storage_lost = false): ctx.ledger() is the chain recovered from disk and
  //    the protocol keeps what it holds on stable storage (e.g. Raft's log);
  //  * memory (storage_lost = true): ctx.ledger() is empty and the protocol keeps only its hard
  //    state (term / view and vote: the few bytes every real deployment writes to disk, since
  //    forgetting them would let a node vote twice), and must catch up from its peers (state
  //    transfer) before it may vote again.
  virtual void on_restart(Context& ctx, bool storage_lost) = 0;

  // Introspection for observers and tests.
  virtual std::uint64_t epoch() const = 0;  // current term / view / round
  virtual bool is_leader() const = 0;
};

}  // namespace hlsim
