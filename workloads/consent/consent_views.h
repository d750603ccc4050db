// What one organisation of the consent workload knows, built only from its own drafts and from
// what it observed on the ledger (Workload::on_observed). Each view belongs to one client and is
// touched only from that client's next_tx / on_observed calls.
//
// A gateway delivers observations in commit order, so a view is always a view of some prefix of
// the ledger; it lags the ledger by the time commits take to reach the gateway, and reads drafted
// in that window may be denied (a withdrawal or amendment in flight), as in a real deployment.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <unordered_map>
#include <vector>

#include "sim/kernel/rng.h"

namespace hlsim::consent {

// A set of ids with O(1) insert, erase and uniform pick. The order of items() depends only on the
// sequence of operations (erase moves the last item into the gap), never on hashing.
class IndexedSet {
 public:
  bool insert(std::uint64_t v);  // false if already present
  bool erase(std::uint64_t v);   // false if absent
  bool contains(std::uint64_t v) const { return pos_.count(v) != 0; }
  void clear();
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  // REQUIRES: !empty(). One Rng::next_below draw.
  std::uint64_t pick(Rng& rng) const { return items_[rng.next_below(items_.size())]; }
  const std::vector<std::uint64_t>& items() const { return items_; }

 private:
  std::vector<std::uint64_t> items_;
  std::unordered_map<std::uint64_t, std::size_t> pos_;  // lookups only, never iterated
};

// A reader's (sponsor's or monitor's) picture of trials' participants, from observed enrol,
// reconsent, withdraw and amend commits. Trials start at consent version 1 (registration).
class ReaderView {
 public:
  struct Trial {
    std::uint32_t version = 1;  // latest observed consent version
    IndexedSet current;         // enrolled, not withdrawn, signed `version`
    IndexedSet stale;           // enrolled, not withdrawn, signed an older version
    std::vector<std::uint64_t> withdrawn;
    std::unordered_map<std::uint64_t, std::uint32_t> signed_version;  // of current and stale
  };

  void observe_enrol(std::uint32_t trial, std::uint64_t participant, std::uint32_t version);
  void observe_reconsent(std::uint32_t trial, std::uint64_t participant, std::uint32_t version);
  void observe_withdraw(std::uint32_t trial, std::uint64_t participant);
  void observe_amend(std::uint32_t trial, std::uint32_t version);

  // The trial's view (a fresh version-1 view when nothing was observed).
  const Trial& trial(std::uint32_t trial) const;

 private:
  Trial& at(std::uint32_t trial) { return trials_[trial]; }
  std::map<std::uint32_t, Trial> trials_;
};

// A site's picture of its own trials and participants.
class SiteView {
 public:
  struct Trial {
    std::uint32_t id = 0;
    bool active = false;        // its activation was observed
    std::uint32_t version = 1;  // latest observed consent version
    IndexedSet enrolled;        // observed enrolled, not withdrawn
  };
  struct Member {
    std::size_t trial_index = 0;  // into trials()
    std::uint32_t version = 0;    // latest version observed signed
    bool queued = false;          // waiting in the re-consent queue
  };

  // `planned`: the trials planned at this site, ascending.
  explicit SiteView(const std::vector<std::uint32_t>& planned);

  void observe_activation(std::uint32_t trial);
  void observe_amend(std::uint32_t trial, std::uint32_t version);
  void observe_enrolled(std::uint32_t trial, std::uint64_t participant, std::uint32_t version);
  // A re-consent of ours committed: applied (signed `version`) or denied.
  void observe_reconsent(std::uint64_t participant, std::uint32_t version, bool applied);

  // Takes the next participant owed a re-consent (still enrolled, behind its trial's version) off
  // the queue into `participant`; false when none is owed.
  bool pop_reconsent(std::uint64_t& participant);
  // Forgets an enrolled participant (the site withdraws it). REQUIRES: it is a member.
  void forget(std::uint64_t participant);

  const std::vector<Trial>& trials() const { return trials_; }
  const std::vector<std::size_t>& active() const { return active_; }  // trial indices
  const IndexedSet& members() const { return all_; }
  const Member& member(std::uint64_t participant) const { return members_.at(participant); }
  // Index into trials() of a planned trial, or trials().size() if not planned here.
  std::size_t index_of(std::uint32_t trial) const;
  std::size_t queued() const { return queue_.size(); }

  std::uint64_t next_local = 0;  // the next of the site's own participants to enrol

 private:
  void enqueue(std::uint64_t participant, Member& m);

  std::vector<Trial> trials_;
  std::vector<std::size_t> active_;                    // in order of observation
  IndexedSet all_;                                     // every member, for a uniform pick
  std::unordered_map<std::uint64_t, Member> members_;  // lookups only
  std::deque<std::uint64_t> queue_;
};

}  // namespace hlsim::consent
