// Chained HotStuff's pacemaker (HotStuff §4.4 and libhotstuff's round-robin PaceMakerRR): leader
// rotation, the current view, view timeouts with exponential back-off, and the new-view messages
// a leader collects before proposing after failed views.
//
//   * The leader of view v is v mod n. Views start at 1 (view 0 is the genesis block's).
//   * A view ends early when the node votes in it or learns a QC for it (the next view begins);
//     a view that sees no progress ends when its timer fires: the node sends NEW-VIEW with its
//     highQC (and its last vote) to the next leader and moves on. A node also jumps forward to the
//     view of a valid proposal, and a leader to a view for which f + 1 validators sent it NEW-VIEW
//     (at least one correct validator gave up on the views before it). Each consecutive failed view
//     doubles the timeout (base view_timeout_ms, factor 2, capped at view_timeout_max_ms); learning
//     a QC for the previous view (or a later one) resets it to the base.
//   * Idle: the view timer runs only while the node has work (a pending transaction). A system
//     with nothing to order has no timer at all, so it never churns through views; the first
//     transaction (gossiped to every validator) re-arms every node's timer for its current view.
//
// The pacemaker's view is hard state (it survives restarts); the back-off, the collected
// new-views and the timer are volatile. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "consensus/context.h"
#include "consensus/hotstuff/hotstuff_messages.h"
#include "consensus/hotstuff/hotstuff_params.h"

namespace hlsim::hotstuff {

class Pacemaker {
 public:
  // Context::set_timer tag of the view timer.
  static constexpr std::uint64_t kViewTimerTag = 1;

  Pacemaker(const HotStuffParams& params, std::uint32_t nodes);

  NodeId leader(std::uint64_t view) const { return static_cast<NodeId>(view % nodes_); }
  std::uint64_t view() const { return view_; }
  std::uint32_t failures() const { return failures_; }
  // The current view's timeout: base * 2^failures, capped.
  TimeNs timeout() const;

  // Moves to `view` when it is later than the current one; `certified` (a QC for view - 1 or later
  // was seen) resets the back-off. True when the view changed.
  bool advance(std::uint64_t view, bool certified);
  // The current view failed: one more consecutive failure (the caller then advances).
  void note_failure() { ++failures_; }

  // New-view messages for views this node leads. Records `from`'s highQC for `view`; returns how
  // many distinct validators sent one for it.
  std::size_t add_new_view(std::uint64_t view, NodeId from, const QuorumCert& high_qc);
  std::size_t new_views(std::uint64_t view) const;
  // The highest-view QC the new-views for `view` carry (nullptr if none).
  const QuorumCert* best_new_view_qc(std::uint64_t view) const;

  // Arms the view timer for the current view (unless already armed for it) when `has_work`,
  // cancels it otherwise.
  void refresh_timer(Context& ctx, bool has_work);
  // True when `id` is the live view timer (which is then spent).
  bool take_timer(TimerId id);
  bool timer_armed() const { return timer_.has_value(); }

  // After a crash: keeps the view (at least `min_view`), forgets the back-off, the new-views and
  // the timer (which died with the crash).
  void restart(std::uint64_t min_view);

 private:
  const HotStuffParams params_;
  const std::uint32_t nodes_;
  std::uint64_t view_ = 1;
  std::uint32_t failures_ = 0;
  std::map<std::uint64_t, std::map<NodeId, QuorumCert>> new_views_;  // by view, by sender
  std::optional<TimerId> timer_;
  std::uint64_t timer_view_ = 0;
};

}  // namespace hlsim::hotstuff
