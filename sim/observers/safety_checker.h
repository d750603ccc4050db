// The safety checker: an observer outside the protocols that sees every commit of every node and
// judges the honest ones (Byzantine nodes' ledgers are theirs to corrupt).
//
// A run violates safety when
//   * agreement: two honest nodes commit different blocks at one height;
//   * chain: a node's committed block does not extend the block it committed before it (wrong
//     height or prev_hash);
//   * integrity: a transaction is committed at two heights;
//   * validity: a committed transaction was never submitted by a client;
//   * ledger: a node's own ledger refused a commit (execution or state-root mismatch).
// Every violation names the seed, the height and the nodes involved, so it can be replayed.
//
// Reorganisations of tentative chains (proof of authority) are not violations: they are counted
// here from the protocols' note_reorg reports. Reversing a committed (final) block is caught as an
// agreement violation, since a node that finalised the other branch disagrees at that height.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ledger/block.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/time.h"

namespace hlsim {

struct SafetyViolation {
  std::string kind;  // agreement | chain | integrity | validity | ledger
  Height height = 0;
  std::vector<NodeId> nodes;
  TimeNs time_ns = 0;
  std::string detail;
};

struct ReorgStats {
  std::uint64_t reorgs = 0;            // branch switches reported by honest nodes
  std::uint64_t blocks_abandoned = 0;  // tentative blocks they dropped in total
  std::uint32_t max_depth_blocks = 0;  // deepest single switch
  // Abandoned blocks that the switching node had sealed itself: an honest sealer that then seals
  // on its new branch has signed two conflicting branches (the premise of PoA's majority
  // finality is that no honest authority ever does).
  std::uint64_t own_blocks_abandoned = 0;
};

class SafetyChecker {
 public:
  // `byzantine[i]` marks validator i as Byzantine (not judged).
  SafetyChecker(std::uint64_t seed, std::vector<bool> byzantine);

  bool is_honest(NodeId node) const { return node >= byzantine_.size() || !byzantine_[node]; }

  void on_submit(const Hash256& tx_id) { submitted_.insert(tx_id); }
  void on_commit(NodeId node, const Block& block, TimeNs now_ns);
  // `node` restarted with an empty ledger (memory storage): its commits start again at height 1.
  void on_storage_lost(NodeId node);
  void on_reorg(NodeId node, Height fork_height, std::uint32_t depth_blocks,
                std::uint32_t own_blocks);
  // A node's own ledger detected a problem while committing (see Node::commit).
  void on_node_violation(NodeId node, std::string what, TimeNs now_ns);

  const std::vector<SafetyViolation>& violations() const { return violations_; }
  // "seed 3, height 17, nodes 0 and 2: agreement: ..." — one line per violation.
  std::string describe(const SafetyViolation& v) const;
  std::vector<std::string> descriptions() const;
  const ReorgStats& reorgs() const { return reorgs_; }

 private:
  struct Tip {
    Height height = 0;
    Hash256 hash;
  };
  struct Canonical {
    Hash256 hash;
    NodeId first = 0;
  };
  void violation(std::string kind, Height height, std::vector<NodeId> nodes, TimeNs now_ns,
                 std::string detail);

  std::uint64_t seed_;
  std::vector<bool> byzantine_;
  std::vector<Tip> tips_;             // by node: its last committed block
  std::vector<Canonical> canonical_;  // [h - 1]: the first honest commit at height h
  std::unordered_map<Hash256, Height, Hash256Hasher> tx_height_;
  std::unordered_set<Hash256, Hash256Hasher> submitted_;
  std::vector<SafetyViolation> violations_;
  ReorgStats reorgs_;
};

}  // namespace hlsim
