// Chained HotStuff's safety rules; the contract is in hotstuff_core.h.
#include "consensus/hotstuff/hotstuff_core.h"

#include <algorithm>
#include <utility>

namespace hlsim::hotstuff {

namespace {

Core::Meta meta_of(const Block& b) {
  return {b.hash, b.header.height, b.header.epoch, b.header.prev_hash};
}

}  // namespace

bool Core::add_block(const BlockRef& block, const Chain& ledger) {
  if (!block || block->header.height <= ledger.height() || tree_.contains(block->hash)) {
    return false;
  }
  const std::optional<Meta> parent =
      meta(block->header.prev_hash, block->header.height - 1, ledger);
  if (parent && parent->view >= block->header.epoch) return false;
  tree_.emplace(block->hash, block);
  return true;
}

const BlockRef* Core::find(const Hash256& hash) const {
  auto it = tree_.find(hash);
  return it == tree_.end() ? nullptr : &it->second;
}

BlockRef Core::lookup(const Hash256& hash, Height height, const Chain& ledger) const {
  if (height == 0) return nullptr;
  if (height <= ledger.height()) {
    const BlockRef& b = ledger.at(height);
    return b->hash == hash ? b : nullptr;
  }
  const BlockRef* b = find(hash);
  return b != nullptr && (*b)->header.height == height ? *b : nullptr;
}

std::optional<Core::Meta> Core::meta(const Hash256& hash, Height height,
                                     const Chain& ledger) const {
  if (height == 0) {
    if (!hash.is_zero()) return std::nullopt;
    return Meta{};
  }
  const BlockRef b = lookup(hash, height, ledger);
  if (!b) return std::nullopt;
  return meta_of(*b);
}

Core::Ancestry Core::ancestry(const Hash256& hash, Height height, const Chain& ledger) const {
  Hash256 h = hash;
  Height ht = height;
  while (ht > ledger.height()) {
    const BlockRef* b = find(h);
    if (b == nullptr || (*b)->header.height != ht) return {Link::kMissing, h, ht};
    h = (*b)->header.prev_hash;
    --ht;
  }
  const Hash256 committed = ht == 0 ? Hash256{} : ledger.at(ht)->hash;
  return {h == committed ? Link::kConnected : Link::kConflicting, {}, 0};
}

Hash256Set Core::uncommitted_txs(const Hash256& hash, Height height, const Chain& ledger) const {
  Hash256Set ids;
  Hash256 h = hash;
  for (Height ht = height; ht > ledger.height(); --ht) {
    const BlockRef* b = find(h);
    if (b == nullptr) break;
    for (const TxRef& tx : (*b)->txs) ids.insert(tx->id);
    h = (*b)->header.prev_hash;
  }
  return ids;
}

void Core::prune(const Chain& ledger) {
  for (auto it = tree_.begin(); it != tree_.end();) {
    it = it->second->header.height <= ledger.height() ? tree_.erase(it) : std::next(it);
  }
}

bool Core::safe_to_vote(std::uint64_t view, const QuorumCert& justify) const {
  if (view <= last_voted_view_) return false;
  // safeNode: the proposal extends b_lock (its justify certifies b_lock: same hash) or its justify
  // is newer than b_lock (liveness rule).
  return justify.view > lock_.view || justify.block_hash == lock_.hash;
}

void Core::record_vote(std::uint64_t view) { last_voted_view_ = std::max(last_voted_view_, view); }

Core::Outcome Core::apply_qc(const QuorumCert& qc, const Chain& ledger) {
  Outcome out;
  if (qc.view > high_qc_.view) {
    high_qc_ = qc;
    out.new_high_qc = true;
  }
  if (qc.height == 0) return out;
  // b'' = the certified block, b' = its parent, b = its grandparent.
  const std::optional<Meta> b2 = meta(qc.block_hash, qc.height, ledger);
  if (!b2) return out;
  const std::optional<Meta> b1 = meta(b2->parent, b2->height - 1, ledger);
  if (!b1) return out;
  // Two-chain b' <- b'' (b'' certified): lock on b'.
  if (b1->view > lock_.view) {
    lock_ = Lock{b1->hash, b1->height, b1->view};
    out.lock_moved = true;
  }
  if (b1->height == 0) return out;
  const std::optional<Meta> b0 = meta(b1->parent, b1->height - 1, ledger);
  if (!b0 || b0->height <= ledger.height()) return out;
  // Three-chain with consecutive views: b commits, with its uncommitted ancestors.
  if (b2->view != b1->view + 1 || b1->view != b0->view + 1) return out;
  std::vector<BlockRef> path;
  Hash256 h = b0->hash;
  for (Height ht = b0->height; ht > ledger.height(); --ht) {
    const BlockRef* b = find(h);
    if (b == nullptr) return out;
    path.push_back(*b);
    h = (*b)->header.prev_hash;
  }
  if (h != ledger.head_hash()) return out;
  std::reverse(path.begin(), path.end());
  out.commit = std::move(path);
  return out;
}

void Core::restart() {
  tree_.clear();
  high_qc_ = QuorumCert{};
}

}  // namespace hlsim::hotstuff
