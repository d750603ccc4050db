// Proposer selection, round timeouts and the timer set (tendermint_timing.h).
#include "consensus/tendermint/tendermint_timing.h"

#include <limits>

namespace hlsim {

TimerKind timer_for(TimeoutKind kind) {
  switch (kind) {
    case TimeoutKind::kPropose:
      return TimerKind::kPropose;
    case TimeoutKind::kPrevote:
      return TimerKind::kPrevote;
    case TimeoutKind::kPrecommit:
      return TimerKind::kPrecommit;
  }
  return TimerKind::kPropose;
}

NodeId proposer(Height height, Round round, std::uint32_t nodes) {
  // (h + r) mod n without overflowing the sum.
  return static_cast<NodeId>((height % nodes + round % nodes) % nodes);
}

TimeNs round_timeout(const TendermintParams& params, TimeoutKind kind, Round round) {
  TimeNs base = 0;
  TimeNs delta = 0;
  switch (kind) {
    case TimeoutKind::kPropose:
      base = params.timeout_propose_ns;
      delta = params.timeout_propose_delta_ns;
      break;
    case TimeoutKind::kPrevote:
      base = params.timeout_prevote_ns;
      delta = params.timeout_prevote_delta_ns;
      break;
    case TimeoutKind::kPrecommit:
      base = params.timeout_precommit_ns;
      delta = params.timeout_precommit_delta_ns;
      break;
  }
  // Far beyond any run: a day. Keeps base + round * delta from overflowing.
  constexpr TimeNs kCap = 24 * 3600 * kNsPerSec;
  if (delta > 0 && round > static_cast<Round>((kCap - base) / delta)) return kCap;
  return base + static_cast<TimeNs>(round) * delta;
}

std::uint64_t view_number(Height height, Round round) {
  constexpr Round kMaxRound = std::numeric_limits<std::uint32_t>::max();
  return (height << 32) | (round < kMaxRound ? round : kMaxRound);
}

void TimerSet::arm(Context& ctx, TimerKind kind, TimeNs delay_ns, Height height, Round round) {
  cancel(ctx, kind);
  Slot& s = slot(kind);
  s.id = ctx.set_timer(delay_ns, static_cast<std::uint64_t>(kind));
  s.armed = Armed{height, round};
}

void TimerSet::cancel(Context& ctx, TimerKind kind) {
  Slot& s = slot(kind);
  if (s.id) ctx.cancel_timer(*s.id);
  s.id.reset();
}

std::optional<TimerSet::Armed> TimerSet::fire(TimerKind kind, TimerId id) {
  if (static_cast<std::size_t>(kind) >= kTimerKinds) return std::nullopt;
  Slot& s = slot(kind);
  if (s.id != id) return std::nullopt;
  s.id.reset();
  return s.armed;
}

void TimerSet::forget_all() {
  for (Slot& s : slots_) s.id.reset();
}

}  // namespace hlsim
