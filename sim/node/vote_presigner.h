// Signs validators' votes ahead of them on a spare core.
//
// In the protocols with votes (HotStuff, PBFT, Tendermint), the validators of a cluster cast the
// same vote (kind, height, epoch, block hash), each signing it with its own key: at 1,000
// validators, a thousand real signatures per phase, a third of a run's host time. When a second
// validator signs a vote (so it is not one only its proposer casts), the presigner signs that vote
// for every other validator on a worker thread. A validator that then casts the vote takes its
// signature if it is made, waits for it if it is being made, and makes it itself otherwise, so the
// two threads share the work from both ends and neither waits for more than one signature.
//
// Contracts:
// * Signatures are deterministic (SigningKey::sign), so a vote's bytes are the same whichever
//   thread signed it, and the caller charges the simulated cost either way: runs are identical
//   with and without the presigner, and for any thread timing.
// * Each validator's signature is still made with its own key, for real; nothing is verified or
//   skipped. A validator that never casts the vote just leaves an unused signature.
// * The simulation thread calls sign(); the worker only signs. The most recent kBatchesKept votes
//   are kept; an older one is abandoned (the worker stops on it) and signed inline if asked.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <tuple>
#include <vector>

#include "ledger/crypto/signature.h"
#include "ledger/vote.h"

namespace hlsim {

class VotePresigner {
 public:
  // `keys[i]` is validator i's key.
  explicit VotePresigner(std::vector<SigningKey> keys);
  ~VotePresigner();
  VotePresigner(const VotePresigner&) = delete;
  VotePresigner& operator=(const VotePresigner&) = delete;

  // Signs `vote` as validator vote.voter: sets voter_key and signature exactly as
  // sign_vote(vote, keys[voter]) does. REQUIRES: voter < keys.size(); the simulation thread.
  void sign(SignedVote& vote);

  // Signatures the caller took from the worker, and made itself (for a benchmark's report).
  std::uint64_t taken() const { return taken_; }
  std::uint64_t signed_inline() const { return signed_inline_; }

  static constexpr std::size_t kBatchesKept = 16;

 private:
  enum : std::uint8_t { kFree = 0, kClaimed = 1, kDone = 2 };
  using Content = std::tuple<std::uint8_t, std::uint64_t, std::uint64_t, Hash256>;
  struct Batch {
    SignedVote vote;  // kind, height, epoch and block hash; voter fields unset
    std::vector<std::atomic<std::uint8_t>> state;
    std::vector<Signature> signatures;  // signatures[i] valid once state[i] is kDone
    std::atomic<bool> abandoned{false};
    bool queued = false;  // handed to the worker (simulation thread only)
    explicit Batch(std::size_t n) : state(n), signatures(n) {}
  };

  // Makes validator `voter`'s signature in `batch` (claimed by the caller) and publishes it.
  void sign_slot(Batch& batch, std::size_t voter);
  void work();

  std::vector<SigningKey> keys_;
  // Simulation thread only.
  std::map<Content, std::shared_ptr<Batch>> by_content_;
  std::deque<Content> order_;
  std::uint64_t taken_ = 0;
  std::uint64_t signed_inline_ = 0;
  // Shared with the worker, under mutex_.
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Batch>> queue_;
  bool stopping_ = false;
  std::thread worker_;  // last: started once everything above exists
};

}  // namespace hlsim
