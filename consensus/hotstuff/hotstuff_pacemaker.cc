// Chained HotStuff's pacemaker; the contract is in hotstuff_pacemaker.h.
#include "consensus/hotstuff/hotstuff_pacemaker.h"

#include <algorithm>

namespace hlsim::hotstuff {

Pacemaker::Pacemaker(const HotStuffParams& params, std::uint32_t nodes)
    : params_(params), nodes_(nodes) {}

TimeNs Pacemaker::timeout() const {
  TimeNs t = params_.view_timeout_ns;
  for (std::uint32_t i = 0; i < failures_ && t < params_.view_timeout_max_ns; ++i) t *= 2;
  return std::min(t, params_.view_timeout_max_ns);
}

bool Pacemaker::advance(std::uint64_t view, bool certified) {
  if (certified && view >= view_) failures_ = 0;
  if (view <= view_) return false;
  view_ = view;
  new_views_.erase(new_views_.begin(), new_views_.lower_bound(view_));
  return true;
}

std::size_t Pacemaker::add_new_view(std::uint64_t view, NodeId from, const QuorumCert& high_qc) {
  if (view < view_) return 0;
  auto& senders = new_views_[view];
  senders.emplace(from, high_qc);
  return senders.size();
}

std::size_t Pacemaker::new_views(std::uint64_t view) const {
  auto it = new_views_.find(view);
  return it == new_views_.end() ? 0 : it->second.size();
}

const QuorumCert* Pacemaker::best_new_view_qc(std::uint64_t view) const {
  auto it = new_views_.find(view);
  if (it == new_views_.end()) return nullptr;
  const QuorumCert* best = nullptr;
  for (const auto& [from, qc] : it->second) {
    if (best == nullptr || qc.view > best->view) best = &qc;
  }
  return best;
}

void Pacemaker::refresh_timer(Context& ctx, bool has_work) {
  if (!has_work) {
    if (timer_) ctx.cancel_timer(*timer_);
    timer_.reset();
    return;
  }
  if (timer_ && timer_view_ == view_) return;
  if (timer_) ctx.cancel_timer(*timer_);
  timer_ = ctx.set_timer(timeout(), kViewTimerTag);
  timer_view_ = view_;
}

bool Pacemaker::take_timer(TimerId id) {
  if (timer_ != id) return false;
  timer_.reset();
  return true;
}

void Pacemaker::restart(std::uint64_t min_view) {
  view_ = std::max(view_, min_view);
  failures_ = 0;
  new_views_.clear();
  timer_.reset();
  timer_view_ = 0;
}

}  // namespace hlsim::hotstuff
