#include "workloads/consent/consent_views.h"

#include <algorithm>

namespace hlsim::consent {

bool IndexedSet::insert(std::uint64_t v) {
  if (!pos_.emplace(v, items_.size()).second) return false;
  items_.push_back(v);
  return true;
}

bool IndexedSet::erase(std::uint64_t v) {
  const auto it = pos_.find(v);
  if (it == pos_.end()) return false;
  const std::size_t i = it->second;
  pos_.erase(it);
  if (i + 1 != items_.size()) {
    items_[i] = items_.back();
    pos_[items_[i]] = i;
  }
  items_.pop_back();
  return true;
}

void IndexedSet::clear() {
  items_.clear();
  pos_.clear();
}

void ReaderView::observe_enrol(std::uint32_t trial, std::uint64_t participant,
                               std::uint32_t version) {
  Trial& t = at(trial);
  t.signed_version[participant] = version;
  if (version >= t.version) {
    t.current.insert(participant);
  } else {
    t.stale.insert(participant);
  }
}

void ReaderView::observe_reconsent(std::uint32_t trial, std::uint64_t participant,
                                   std::uint32_t version) {
  Trial& t = at(trial);
  const auto it = t.signed_version.find(participant);
  if (it == t.signed_version.end()) return;  // not seen enrolled (or withdrawn): nothing to update
  it->second = version;
  if (version >= t.version) {
    t.stale.erase(participant);
    t.current.insert(participant);
  }
}

void ReaderView::observe_withdraw(std::uint32_t trial, std::uint64_t participant) {
  Trial& t = at(trial);
  t.current.erase(participant);
  t.stale.erase(participant);
  t.signed_version.erase(participant);
  t.withdrawn.push_back(participant);
}

void ReaderView::observe_amend(std::uint32_t trial, std::uint32_t version) {
  Trial& t = at(trial);
  if (version <= t.version) return;
  t.version = version;
  for (std::uint64_t p : t.current.items()) t.stale.insert(p);
  t.current.clear();
}

const ReaderView::Trial& ReaderView::trial(std::uint32_t trial) const {
  static const Trial kFresh;  // immutable: shared safely across threads
  const auto it = trials_.find(trial);
  return it == trials_.end() ? kFresh : it->second;
}

SiteView::SiteView(const std::vector<std::uint32_t>& planned) {
  trials_.reserve(planned.size());
  for (std::uint32_t id : planned) trials_.push_back(Trial{id, false, 1, {}});
}

std::size_t SiteView::index_of(std::uint32_t trial) const {
  const auto it = std::lower_bound(trials_.begin(), trials_.end(), trial,
                                   [](const Trial& t, std::uint32_t id) { return t.id < id; });
  if (it == trials_.end() || it->id != trial) return trials_.size();
  return static_cast<std::size_t>(it - trials_.begin());
}

void SiteView::observe_activation(std::uint32_t trial) {
  const std::size_t i = index_of(trial);
  if (i == trials_.size() || trials_[i].active) return;
  trials_[i].active = true;
  active_.push_back(i);
}

void SiteView::observe_amend(std::uint32_t trial, std::uint32_t version) {
  const std::size_t i = index_of(trial);
  if (i == trials_.size() || version <= trials_[i].version) return;
  trials_[i].version = version;
  for (std::uint64_t p : trials_[i].enrolled.items()) enqueue(p, members_.at(p));
}

void SiteView::observe_enrolled(std::uint32_t trial, std::uint64_t participant,
                                std::uint32_t version) {
  const std::size_t i = index_of(trial);
  if (i == trials_.size()) return;
  Member& m = members_[participant];
  m.trial_index = i;
  m.version = version;
  trials_[i].enrolled.insert(participant);
  all_.insert(participant);
  if (version < trials_[i].version) enqueue(participant, m);
}

void SiteView::observe_reconsent(std::uint64_t participant, std::uint32_t version, bool applied) {
  const auto it = members_.find(participant);
  if (it == members_.end()) return;  // withdrawn meanwhile
  Member& m = it->second;
  if (applied) m.version = std::max(m.version, version);
  if (m.version < trials_[m.trial_index].version) enqueue(participant, m);
}

void SiteView::enqueue(std::uint64_t participant, Member& m) {
  if (m.queued || m.version >= trials_[m.trial_index].version) return;
  m.queued = true;
  queue_.push_back(participant);
}

bool SiteView::pop_reconsent(std::uint64_t& participant) {
  while (!queue_.empty()) {
    const std::uint64_t p = queue_.front();
    queue_.pop_front();
    const auto it = members_.find(p);
    if (it == members_.end()) continue;  // withdrawn since it was queued
    it->second.queued = false;
    if (it->second.version >= trials_[it->second.trial_index].version) continue;
    participant = p;
    return true;
  }
  return false;
}

void SiteView::forget(std::uint64_t participant) {
  const Member& m = members_.at(participant);
  trials_[m.trial_index].enrolled.erase(participant);
  all_.erase(participant);
  members_.erase(participant);
}

}  // namespace hlsim::consent
