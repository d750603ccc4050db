// VotePresigner (vote_presigner.h).
#include "sim/node/vote_presigner.h"

#include <utility>

namespace hlsim {

VotePresigner::VotePresigner(std::vector<SigningKey> keys)
    : keys_(std::move(keys)), worker_([this] { work(); }) {}

VotePresigner::~VotePresigner() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    for (const auto& [content, batch] : by_content_) batch->abandoned = true;
  }
  wake_.notify_all();
  worker_.join();
}

void VotePresigner::sign_slot(Batch& batch, std::size_t voter) {
  SignedVote v = batch.vote;
  v.voter = static_cast<NodeId>(voter);
  sign_vote(v, keys_[voter]);
  batch.signatures[voter] = v.signature;
  batch.state[voter].store(kDone, std::memory_order_release);
}

void VotePresigner::sign(SignedVote& vote) {
  const std::size_t voter = vote.voter;
  const Content content{vote.kind, vote.height, vote.epoch, vote.block_hash};
  auto it = by_content_.find(content);
  if (it == by_content_.end()) {
    // The first signer of a vote: remember it, but start the worker only when a second validator
    // signs the same vote, so a vote only one validator casts (a proposal's) costs it nothing.
    auto batch = std::make_shared<Batch>(keys_.size());
    batch->vote.kind = vote.kind;
    batch->vote.height = vote.height;
    batch->vote.epoch = vote.epoch;
    batch->vote.block_hash = vote.block_hash;
    it = by_content_.emplace(content, std::move(batch)).first;
    order_.push_back(content);
    if (order_.size() > kBatchesKept) {
      const auto oldest = by_content_.find(order_.front());
      oldest->second->abandoned = true;
      by_content_.erase(oldest);
      order_.pop_front();
    }
  } else if (!it->second->queued &&
             it->second->state[voter].load(std::memory_order_acquire) == kFree) {
    it->second->queued = true;
    {
      const std::lock_guard lock(mutex_);
      queue_.push_back(it->second);
    }
    wake_.notify_one();
  }
  Batch& batch = *it->second;
  std::uint8_t expected = kFree;
  if (batch.state[voter].compare_exchange_strong(expected, kClaimed, std::memory_order_acq_rel)) {
    ++signed_inline_;
    sign_slot(batch, voter);
  } else {
    ++taken_;
    // Claimed by the worker (it is signing this very slot) or already done.
    while (batch.state[voter].load(std::memory_order_acquire) != kDone) std::this_thread::yield();
  }
  vote.voter_key = keys_[voter].public_key();
  vote.signature = batch.signatures[voter];
}

void VotePresigner::work() {
  for (;;) {
    std::shared_ptr<Batch> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    for (std::size_t voter = 0; voter < batch->state.size(); ++voter) {
      if (batch->abandoned.load(std::memory_order_relaxed)) break;
      std::uint8_t expected = kFree;
      if (batch->state[voter].compare_exchange_strong(expected, kClaimed,
                                                      std::memory_order_acq_rel)) {
        sign_slot(*batch, voter);
      }
    }
  }
}

}  // namespace hlsim
