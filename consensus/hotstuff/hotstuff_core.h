// Chained HotStuff's safety rules (Yin et al., PODC 2019, §5 Algorithm 3 and the event-driven
// form of §6 Algorithm 4) over a tree of blocks: no timers, no messages, no Context.
//
// Blocks form a chain through their parent links (header.prev_hash, height = parent height + 1);
// a proposal's parent is always the block its justify QC certifies, so b.justify.node = b.parent
// and a block's view (header.epoch) exceeds its parent's. The tree holds the blocks above the
// committed chain (ledger); committed blocks are read from the ledger and the implicit genesis
// block (height 0, view 0, zero hash) certifies itself.
//
// The rules, for a QC on block b* (update(b*) in Algorithm 4, with b'' = b*, b' = b''.parent,
// b = b'.parent):
//   * highQC: the QC of the highest view seen;
//   * lock (two-chain): b_lock <- b' when b'.view > b_lock.view;
//   * commit (three-chain): when b'' <- b' <- b are direct parent links with consecutive views
//     (b''.view = b'.view + 1, b'.view = b.view + 1), b and every uncommitted ancestor commit, in
//     height order;
//   * voting rule (safeNode): vote for a block of view v only if v > the last voted view and its
//     justify QC either certifies b_lock itself or has a higher view than b_lock. (Block views rise
//     along a chain, so a block extends b_lock exactly when its justify certifies b_lock or a
//     descendant of it, and a descendant's view is higher: the paper's "extends b_lock OR
//     justify.view > b_lock.view" needs no walk through the tree.)
//
// Hard state (survives every restart): the last voted view and the lock (hash, height, view). The
// tree and highQC are volatile: restart() forgets them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "consensus/hotstuff/hotstuff_messages.h"
#include "ledger/block.h"
#include "ledger/chain.h"
#include "ledger/hash256_map.h"

namespace hlsim::hotstuff {

class Core {
 public:
  // What the tree knows of a block (or of the genesis block).
  struct Meta {
    Hash256 hash;
    Height height = 0;
    std::uint64_t view = 0;
    Hash256 parent;
  };
  struct Lock {
    Hash256 hash;  // zero: the genesis block
    Height height = 0;
    std::uint64_t view = 0;
  };
  // How a block relates to the committed chain.
  enum class Link : std::uint8_t {
    kConnected,    // it and all its ancestors are known and reach the ledger's head
    kMissing,      // an ancestor (missing_hash at missing_height) is unknown
    kConflicting,  // its ancestry leaves the committed chain: it can never commit here
  };
  struct Ancestry {
    Link link = Link::kConnected;
    Hash256 missing_hash;
    Height missing_height = 0;
  };
  // What applying a QC changed.
  struct Outcome {
    bool new_high_qc = false;
    bool lock_moved = false;
    std::vector<BlockRef> commit;  // to commit, in height order, extending the ledger
  };

  // ---- Block tree ------------------------------------------------------------------------------
  // Adds a block above the committed chain. False (and nothing added) when already known, at or
  // below the ledger's height, or inconsistent with a known parent (height or view not above it).
  bool add_block(const BlockRef& block, const Chain& ledger);
  // A block of the tree (nullptr if unknown; committed blocks are in the ledger).
  const BlockRef* find(const Hash256& hash) const;
  // The block `hash` at `height` from the tree or the ledger (nullptr for genesis or unknown).
  BlockRef lookup(const Hash256& hash, Height height, const Chain& ledger) const;
  // The block's metadata, from the tree, the ledger or genesis.
  std::optional<Meta> meta(const Hash256& hash, Height height, const Chain& ledger) const;
  // Walks from the block down to the ledger's head.
  Ancestry ancestry(const Hash256& hash, Height height, const Chain& ledger) const;
  // Ids of the transactions in the block and its uncommitted ancestors. REQUIRES: connected.
  Hash256Set uncommitted_txs(const Hash256& hash, Height height, const Chain& ledger) const;
  // Forgets the blocks at or below the ledger's height (committed, or on abandoned forks).
  void prune(const Chain& ledger);
  std::size_t tree_size() const { return tree_.size(); }

  // ---- Safety rules ----------------------------------------------------------------------------
  // The voting rule for a block of `view` whose justify is `justify` (safeNode and one vote per
  // view).
  bool safe_to_vote(std::uint64_t view, const QuorumCert& justify) const;
  // Records a vote cast in `view`.
  void record_vote(std::uint64_t view);
  // Applies a verified QC: highQC, lock, three-chain commit.
  // REQUIRES: the QC's block is connected (ancestry() == kConnected) and of the QC's view.
  Outcome apply_qc(const QuorumCert& qc, const Chain& ledger);

  // ---- State -----------------------------------------------------------------------------------
  const QuorumCert& high_qc() const { return high_qc_; }
  const Lock& lock() const { return lock_; }
  std::uint64_t last_voted_view() const { return last_voted_view_; }
  // After a crash: keeps the hard state (last voted view, lock), forgets the tree and highQC.
  void restart();

 private:
  std::map<Hash256, BlockRef> tree_;
  QuorumCert high_qc_;  // genesis until a better one is seen
  Lock lock_;
  std::uint64_t last_voted_view_ = 0;
};

}  // namespace hlsim::hotstuff
