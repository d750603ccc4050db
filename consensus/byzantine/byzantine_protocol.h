// The generic Byzantine behaviours, applied around an honest protocol instance.
//
// ByzantineProtocol drives the wrapped protocol through a Context of its own that forwards
// everything to the node's real Context except what the behaviour changes:
//   * kSilent: every send and broadcast is dropped (the node still receives and processes);
//   * kWithholdVotes: sends of the protocol's vote message types are dropped;
//   * kInvalidSignatures: every signature made through crypto().sign() and every sealed block's
//     proposer signature has its last byte flipped, so honest peers' real verification fails;
//   * kDelayProposals: sends of the protocol's proposal message types leave `delay_ns` later
//     (held here and released by a timer of the node's with kDelayedSendTag set).
// Equivocation needs the protocol's own logic and is not handled here (see behavior.h).
//
// Timer tags with kDelayedSendTag set are reserved; protocols use small tags. Held messages are
// volatile: a crash loses them, like any send the node had not yet made.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "consensus/behavior.h"
#include "consensus/protocol.h"

namespace hlsim {

class ByzantineProtocol final : public Protocol {
 public:
  static constexpr std::uint64_t kDelayedSendTag = std::uint64_t{1} << 63;

  // REQUIRES: inner non-null; behavior is kHonest (pass everything through until set_behavior)
  // or one of the generic ones (not kEquivocate).
  ByzantineProtocol(std::unique_ptr<Protocol> inner, Behavior behavior,
                    std::vector<std::uint16_t> proposal_types,
                    std::vector<std::uint16_t> vote_types, TimeNs delay_ns);
  ~ByzantineProtocol() override;

  void start(Context& ctx) override;
  void on_transaction(Context& ctx, const TxRef& tx) override;
  void on_message(Context& ctx, NodeId from, const Message& msg) override;
  void on_timer(Context& ctx, TimerId id, std::uint64_t tag) override;
  void on_restart(Context& ctx, bool storage_lost) override;
  std::uint64_t epoch() const override { return inner_->epoch(); }
  bool is_leader() const override { return inner_->is_leader(); }

  Behavior behavior() const { return behavior_; }
  // Changes what the wrapper does from the next send on (a role on the fault schedule); messages
  // already held back by delay_proposals still go out when due. REQUIRES: not kEquivocate.
  void set_behavior(Behavior behavior) { behavior_ = behavior; }
  Protocol& inner() { return *inner_; }
  const Protocol& inner() const { return *inner_; }
  // Messages this wrapper dropped or delayed so far (for tests).
  std::uint64_t dropped() const { return dropped_; }
  std::uint64_t delayed() const { return delayed_; }

 private:
  class FaultyContext;
  friend class FaultyContext;

  struct Held {
    bool broadcast = false;
    NodeId to = 0;
    Message msg;
  };

  bool is_vote(std::uint16_t type) const;
  bool is_proposal(std::uint16_t type) const;

  std::unique_ptr<Protocol> inner_;
  Behavior behavior_;
  const std::vector<std::uint16_t> proposal_types_;
  const std::vector<std::uint16_t> vote_types_;
  const TimeNs delay_ns_;
  std::map<std::uint64_t, Held> held_;  // by sequence number (the timer tag's low bits)
  std::uint64_t next_held_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t delayed_ = 0;
};

// The behaviour's signature corruption: the last byte flipped (still well-formed DER for ECDSA,
// so the rejection comes from the verification itself).
Signature corrupt_signature(Signature signature);

}  // namespace hlsim
