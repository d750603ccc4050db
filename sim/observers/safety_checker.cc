// SafetyChecker (safety_checker.h).
#include "sim/observers/safety_checker.h"

#include <algorithm>
#include <utility>

namespace hlsim {

namespace {

std::string short_hash(const Hash256& h) { return h.hex().substr(0, 16); }

std::string node_list(const std::vector<NodeId>& nodes) {
  std::string s = nodes.size() == 1 ? "node " : "nodes ";
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (i > 0) s += i + 1 == nodes.size() ? " and " : ", ";
    s += std::to_string(nodes[i]);
  }
  return s;
}

}  // namespace

SafetyChecker::SafetyChecker(std::uint64_t seed, std::vector<bool> byzantine)
    : seed_(seed), byzantine_(std::move(byzantine)), tips_(byzantine_.size()) {}

void SafetyChecker::violation(std::string kind, Height height, std::vector<NodeId> nodes,
                              TimeNs now_ns, std::string detail) {
  violations_.push_back(
      SafetyViolation{std::move(kind), height, std::move(nodes), now_ns, std::move(detail)});
}

void SafetyChecker::on_commit(NodeId node, const Block& block, TimeNs now_ns) {
  if (!is_honest(node)) return;
  if (tips_.size() <= node) tips_.resize(node + 1);
  const Height h = block.header.height;
  Tip& tip = tips_[node];
  if (h != tip.height + 1 || (h > 1 && block.header.prev_hash != tip.hash)) {
    violation("chain", h, {node}, now_ns,
              "block " + short_hash(block.hash) + " does not extend the node's block " +
                  short_hash(tip.hash) + " at height " + std::to_string(tip.height));
    return;
  }
  tip = Tip{h, block.hash};

  if (canonical_.size() < h) canonical_.resize(h);
  Canonical& c = canonical_[h - 1];
  if (c.hash == Hash256{}) {
    c = Canonical{block.hash, node};
  } else if (c.hash != block.hash) {
    violation("agreement", h, {c.first, node}, now_ns,
              "committed different blocks (" + short_hash(c.hash) + " vs " +
                  short_hash(block.hash) + ")");
    return;
  } else {
    return;  // the same block again: its transactions were checked at its first commit
  }

  for (const TxRef& tx : block.txs) {
    if (!submitted_.contains(tx->id)) {
      violation("validity", h, {node}, now_ns,
                "committed transaction " + short_hash(tx->id) + " that no client submitted");
      continue;
    }
    auto [it, fresh] = tx_height_.emplace(tx->id, h);
    if (!fresh && it->second != h) {
      violation("integrity", h, {node}, now_ns,
                "committed transaction " + short_hash(tx->id) + " already committed at height " +
                    std::to_string(it->second));
    }
  }
}

void SafetyChecker::on_storage_lost(NodeId node) {
  if (node < tips_.size()) tips_[node] = Tip{};
}

void SafetyChecker::on_reorg(NodeId node, Height /*fork_height*/, std::uint32_t depth_blocks,
                             std::uint32_t own_blocks) {
  if (!is_honest(node)) return;
  ++reorgs_.reorgs;
  reorgs_.blocks_abandoned += depth_blocks;
  reorgs_.own_blocks_abandoned += own_blocks;
  reorgs_.max_depth_blocks = std::max(reorgs_.max_depth_blocks, depth_blocks);
}

void SafetyChecker::on_node_violation(NodeId node, std::string what, TimeNs now_ns) {
  if (!is_honest(node)) return;
  const Height h = node < tips_.size() ? tips_[node].height + 1 : 0;
  violation("ledger", h, {node}, now_ns, std::move(what));
}

std::string SafetyChecker::describe(const SafetyViolation& v) const {
  return "seed " + std::to_string(seed_) + ", height " + std::to_string(v.height) + ", " +
         node_list(v.nodes) + ": " + v.kind + ": " + v.detail + " (at " +
         std::to_string(v.time_ns / kNsPerMs) + " ms)";
}

std::vector<std::string> SafetyChecker::descriptions() const {
  std::vector<std::string> out;
  out.reserve(violations_.size());
  for (const SafetyViolation& v : violations_) out.push_back(describe(v));
  return out;
}

}  // namespace hlsim
