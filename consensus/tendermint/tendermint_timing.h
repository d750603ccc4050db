// Tendermint's rounds in time: who proposes in a round, how long each step may last, and the
// node's timers.
//
// Proposer selection is round robin with equal voting power: proposer(h, r) = (h + r) mod n
// (the paper's proposer(h, r) function; Tendermint Core's weighted round robin reduces to this
// when all validators have the same power). Timeouts grow linearly with the round
// (timeoutX(r) = timeout_X + r * timeout_X_delta), as in Tendermint Core, so that after GST they
// eventually exceed the message delay (Buchman, Kwon & Milosevic 2018, §4).
//
// TimerSet keeps at most one live timer per kind, each remembering the (height, round) it was
// armed for: arming a kind again replaces (cancels) the older timer, whose OnTimeout would be a
// no-op anyway (Algorithm 1, lines 57-66, act only for the current height and round).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "consensus/context.h"
#include "consensus/tendermint/tendermint_params.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/time.h"

namespace hlsim {

using Round = std::uint64_t;

// The three step timeouts of Algorithm 1.
enum class TimeoutKind : std::uint8_t { kPropose, kPrevote, kPrecommit };

// Timer tags (Context::set_timer's tag argument); small, so bit 63 stays free.
enum class TimerKind : std::uint64_t {
  kPropose = 1,        // OnTimeoutPropose (line 57)
  kPrevote = 2,        // OnTimeoutPrevote (line 61)
  kPrecommit = 3,      // OnTimeoutPrecommit (line 65)
  kCommit = 4,         // timeout_commit: start round 0 of the next height
  kMempoolGossip = 5,  // broadcast the transactions accepted since the last tx-gossip
  kGossipRetry = 6,    // the round stalled: re-broadcast this node's messages of the round
  kSyncRetry = 7,      // catching up: ask (another) peer for committed blocks
};
inline constexpr std::size_t kTimerKinds = 8;  // tags 0..7 (0 unused)

TimerKind timer_for(TimeoutKind kind);

// proposer(h, r) = (h + r) mod n. REQUIRES: nodes > 0.
NodeId proposer(Height height, Round round, std::uint32_t nodes);

// timeoutPropose(r), timeoutPrevote(r), timeoutPrecommit(r). Saturates instead of overflowing.
TimeNs round_timeout(const TendermintParams& params, TimeoutKind kind, Round round);

// A monotone number for (height, round), for Protocol::epoch() and Context::note_leader: rounds
// restart at 0 every height, so the round alone would repeat. Rounds above 2^32 - 1 saturate.
std::uint64_t view_number(Height height, Round round);

class TimerSet {
 public:
  struct Armed {
    Height height = 0;
    Round round = 0;
  };

  // Arms `kind` to fire after delay_ns for (height, round), cancelling its live timer if any.
  void arm(Context& ctx, TimerKind kind, TimeNs delay_ns, Height height = 0, Round round = 0);
  void cancel(Context& ctx, TimerKind kind);
  bool armed(TimerKind kind) const { return slot(kind).id.has_value(); }
  // For a firing of timer `id` with tag `kind`: what it was armed for when it is the live timer of
  // that kind (which is then no longer live); nullopt for a stale or unknown firing.
  std::optional<Armed> fire(TimerKind kind, TimerId id);
  // After a restart: every timer set before the crash is gone; forget them without cancelling.
  void forget_all();

 private:
  struct Slot {
    std::optional<TimerId> id;
    Armed armed;
  };
  Slot& slot(TimerKind kind) { return slots_[static_cast<std::size_t>(kind)]; }
  const Slot& slot(TimerKind kind) const { return slots_[static_cast<std::size_t>(kind)]; }

  std::array<Slot, kTimerKinds> slots_{};
};

}  // namespace hlsim
