// Aura-style proof of authority's state machine; the contract is in poa.h. Citations: the Aura
// wiki (openethereum.github.io/Aura) and OpenEthereum's engines/authority_round.
#include "consensus/poa/poa.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "consensus/poa/poa_finality.h"

namespace hlsim {

Poa::Poa(const PoaParams& params, NodeId self, std::uint32_t nodes, Behavior behavior)
    : params_(params), self_(self), nodes_(nodes), behavior_(behavior) {
  if (nodes == 0 || self >= nodes) {
    throw std::invalid_argument("Poa: node " + std::to_string(self) + " outside a cluster of " +
                                std::to_string(nodes));
  }
  if (behavior != Behavior::kHonest && behavior != Behavior::kEquivocate) {
    throw std::invalid_argument("Poa: built with a generic behaviour (use make_protocol)");
  }
  if (Status s = params.check(); !s.ok()) throw std::invalid_argument(s.error().message);
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

void Poa::start(Context& ctx) {
  reset_tree(ctx);
  rebuild_committed_ids(ctx);
  step_ = step_at(ctx.now());
  catching_up_ = false;
  arm_step_timer(ctx);
}

void Poa::on_restart(Context& ctx, bool storage_lost) {
  // Timers set before the crash are gone; forget their ids instead of cancelling them.
  step_timer_.reset();
  gossip_timer_.reset();
  mempool_.clear();
  gossip_batch_.clear();
  fetch_.reset();
  tree_.clear_orphans();
  const Chain& chain = ctx.ledger();
  if (storage_lost || tree_.root_hash() != chain.head_hash() ||
      tree_.root().height != chain.height()) {
    reset_tree(ctx);
  }
  rebuild_committed_ids(ctx);
  step_ = step_at(ctx.now());
  arm_step_timer(ctx);
  // No sealing until caught up: a block on a stale head only makes a fork that loses.
  catching_up_ = true;
  if (nodes_ == 1) {
    finish_catch_up(ctx);
    return;
  }
  const Height from = best_height() + 1;
  ctx.broadcast(encode_message(PoaFetch{from, from + params_.max_fetch_blocks - 1}));
  fetch_ = Outstanding{kNoNode, ctx.now()};
}

void Poa::reset_tree(Context& ctx) {
  const Chain& chain = ctx.ledger();
  const std::uint64_t root_step = chain.height() == 0 ? 0 : chain.at(chain.height())->header.epoch;
  tree_.reset(chain.head_hash(), PoaBlockTree::Position{chain.height(), root_step});
  first_of_step_.clear();
}

void Poa::rebuild_committed_ids(Context& ctx) {
  committed_ids_.clear();
  for (const BlockRef& block : ctx.ledger().blocks()) {
    for (const TxRef& tx : block->txs) committed_ids_.insert(tx->id);
  }
}

void Poa::arm_step_timer(Context& ctx) {
  const TimeNs next = (static_cast<TimeNs>(step_at(ctx.now())) + 1) * params_.step_duration_ns;
  step_timer_ = ctx.set_timer(next - ctx.now(), kStepTimer);
}

// ---------------------------------------------------------------------------------------------
// Inputs

void Poa::on_transaction(Context& ctx, const TxRef& tx) {
  if (!tx || is_committed(tx->id) || !mempool_.add(tx)) return;
  if (nodes_ == 1) return;
  gossip_batch_.push_back(tx);
  if (!gossip_timer_) gossip_timer_ = ctx.set_timer(params_.mempool_gossip_ns, kGossipTimer);
}

void Poa::on_message(Context& ctx, NodeId from, const Message& msg) {
  if (from >= nodes_ || from == self_) return;
  const ByteView body = msg.view();
  // Malformed bodies are dropped: no reply, no state change.
  switch (static_cast<PoaMessageType>(msg.type)) {
    case PoaMessageType::kBlock:
      handle_block(ctx, from, msg);
      break;
    case PoaMessageType::kTxGossip:
      // Every authority receives the same batch: decode it once for all (shared_decode.h).
      if (auto m = decode_shared<PoaTxGossip>(ctx.decode_memo(), msg, decode_poa_tx_gossip)) {
        handle_tx_gossip(*m);
      }
      break;
    case PoaMessageType::kFetch:
      if (auto m = decode_poa_fetch(body)) handle_fetch(ctx, from, *m);
      break;
    case PoaMessageType::kFetchReply:
      if (auto m = decode_poa_fetch_reply(body)) handle_fetch_reply(ctx, from, *m);
      break;
  }
}

void Poa::on_timer(Context& ctx, TimerId id, std::uint64_t tag) {
  switch (tag) {
    case kStepTimer:
      if (step_timer_ != id) return;
      step_timer_.reset();
      on_step(ctx);
      return;
    case kGossipTimer:
      if (gossip_timer_ != id) return;
      gossip_timer_.reset();
      flush_gossip(ctx);
      return;
    default:
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Steps and sealing (Aura wiki, "Description": the primary of step s is s mod n and issues at
// most one block, on top of the best chain it knows)

void Poa::on_step(Context& ctx) {
  step_ = step_at(ctx.now());
  ctx.note_leader(step_, authority_of(step_));
  try_seal(ctx);
  arm_step_timer(ctx);
}

void Poa::finish_catch_up(Context& ctx) {
  catching_up_ = false;
  // Restarted within its own step: it may still seal it, once (last_sealed_step_ says whether
  // it already did before the crash).
  try_seal(ctx);
}

void Poa::try_seal(Context& ctx) {
  const std::uint64_t step = step_at(ctx.now());
  step_ = step;
  if (catching_up_ || authority_of(step) != self_ || step <= last_sealed_step_) return;
  const Hash256 head = tree_.best();
  const PoaBlockTree::Position pos = tree_.best_position();
  // A head from a later step (a block one step ahead of this clock) cannot be extended now.
  if (step <= pos.step) return;

  // Leave out what the chain being extended already holds, committed or tentative.
  Hash256Set in_chain;
  for (const BlockRef& b : tree_.best_chain()) {
    for (const TxRef& tx : b->txs) in_chain.insert(tx->id);
  }
  const std::vector<TxRef> txs =
      mempool_.select([&](const Hash256& id) { return in_chain.contains(id) || is_committed(id); },
                      params_.max_block_tx, params_.max_block_bytes);
  if (txs.empty() && !params_.seal_empty) return;

  last_sealed_step_ = step;
  const Hash256 old_best = tree_.best();
  BlockRef block = ctx.crypto().seal_block(pos.height + 1, head, step, txs);
  ++blocks_sealed_;
  BlockRef twin;
  if (behavior_ == Behavior::kEquivocate) {
    // A second block of the same step: empty beside a non-empty one, or (nothing pending) an
    // empty one on the head's parent.
    if (!txs.empty()) {
      twin = ctx.crypto().seal_block(pos.height + 1, head, step, {});
    } else if (head != tree_.root_hash()) {
      const Hash256& parent = (*tree_.find(head))->header.prev_hash;
      twin = ctx.crypto().seal_block(pos.height, parent, step, {});
    }
  }
  insert(block);
  if (!twin) {
    ctx.broadcast(encode_poa_block(*block));
  } else {
    ++blocks_sealed_;
    insert(twin);
    const Message first = encode_poa_block(*block);
    const Message second = encode_poa_block(*twin);
    for (NodeId to = 0; to < nodes_; ++to) {
      if (to != self_) ctx.send(to, to < nodes_ / 2 ? first : second);
    }
  }
  settle(ctx, old_best);
}

// ---------------------------------------------------------------------------------------------
// Receiving blocks

void Poa::handle_block(Context& ctx, NodeId from, const Message& msg) {
  std::optional<BlockRef> decoded = ctx.crypto().decode_block_in(msg, msg.view());
  if (!decoded || !*decoded) {
    ++blocks_rejected_;
    return;
  }
  const BlockRef block = std::move(*decoded);
  const Hash256 old_best = tree_.best();
  const Offer outcome = offer(ctx, block);
  if (outcome == Offer::kOrphan) {
    // Fetch the missing ancestors from the sender, which built on them (one fetch per step).
    if (!fetch_ || ctx.now() - fetch_->sent_ns >= params_.step_duration_ns) {
      const Height top = block->header.height - 1;
      const Height floor = tree_.root().height + 1;
      const Height from_h =
          top >= floor + params_.max_fetch_blocks ? top - params_.max_fetch_blocks + 1 : floor;
      request_fetch(ctx, from, from_h, top);
    }
    return;
  }
  settle(ctx, old_best);
  // A live block that attaches means this node holds the chain its sealer extends.
  if (outcome == Offer::kAttached && catching_up_) finish_catch_up(ctx);
}

Poa::Offer Poa::offer(Context& ctx, const BlockRef& block) {
  const BlockHeader& h = block->header;
  if (tree_.knows(block->hash) || tree_.has_orphan(block->hash)) return Offer::kKnown;
  const PoaBlockTree::Position root = tree_.root();
  if (h.height <= root.height) {
    // At or below the committed head: either a committed block, or a fork off the committed
    // chain that this node will never switch to.
    const Chain& chain = ctx.ledger();
    if (h.height >= 1 && h.height <= chain.height() && chain.at(h.height)->hash == block->hash) {
      return Offer::kKnown;
    }
    ++blocks_rejected_;
    return Offer::kRejected;
  }
  // Only the step's authority may seal in it, and not ahead of this clock by more than a step
  // (OpenEthereum rejects blocks from the future beyond its drift allowance).
  if (h.proposer != authority_of(h.epoch) || h.epoch > step_at(ctx.now()) + 1) {
    ++blocks_rejected_;
    return Offer::kRejected;
  }
  if (!tree_.knows(h.prev_hash)) {
    if (h.height == root.height + 1) {  // its parent would be a conflicting committed block
      ++blocks_rejected_;
      return Offer::kRejected;
    }
    return tree_.add_orphan(block) ? Offer::kOrphan : Offer::kKnown;
  }
  if (!fits_parent(*block)) {
    ++blocks_rejected_;
    return Offer::kRejected;
  }
  insert(block);
  // Orphans that waited for this block (and, in turn, for theirs).
  std::vector<BlockRef> ready = tree_.take_orphans(block->hash);
  while (!ready.empty()) {
    const BlockRef next = ready.back();
    ready.pop_back();
    if (tree_.knows(next->hash)) continue;
    if (!fits_parent(*next)) {
      ++blocks_rejected_;
      continue;
    }
    insert(next);
    std::vector<BlockRef> more = tree_.take_orphans(next->hash);
    ready.insert(ready.end(), more.rbegin(), more.rend());
  }
  return Offer::kAttached;
}

bool Poa::fits_parent(const Block& block) const {
  const std::optional<PoaBlockTree::Position> parent = tree_.position(block.header.prev_hash);
  if (!parent || parent->height + 1 != block.header.height || block.header.epoch <= parent->step) {
    return false;
  }
  // No transaction twice on one chain: not within the block, not in its tentative ancestors,
  // not committed.
  Hash256Set ids;
  for (const TxRef& tx : block.txs) {
    if (!ids.insert(tx->id) || is_committed(tx->id)) return false;
  }
  if (ids.empty()) return true;
  for (Hash256 h = block.header.prev_hash; h != tree_.root_hash();) {
    const BlockRef& ancestor = *tree_.find(h);
    for (const TxRef& tx : ancestor->txs) {
      if (ids.contains(tx->id)) return false;
    }
    h = ancestor->header.prev_hash;
  }
  return true;
}

void Poa::insert(const BlockRef& block) {
  const auto key = std::make_pair(block->header.proposer, block->header.epoch);
  auto [it, fresh] = first_of_step_.emplace(key, block->hash);
  // Aura wiki: "it is misbehavior to produce more than one block per step". Keep both and let
  // the fork choice decide; count the evidence.
  if (!fresh && it->second != block->hash && block->header.proposer != self_) ++equivocations_;
  tree_.insert(block);
}

// ---------------------------------------------------------------------------------------------
// Fork choice, reorganisation and finality

void Poa::settle(Context& ctx, const Hash256& old_best) {
  const Hash256 best = tree_.best();
  if (best != old_best) {
    const Hash256 fork = tree_.common_ancestor(old_best, best);
    if (fork != old_best) {
      // The best head moved to another branch: the old branch's blocks above the fork are
      // abandoned, and their transactions are pending again (in chain order).
      const Height fork_height = tree_.position(fork)->height;
      const Height old_height = tree_.position(old_best)->height;
      ++reorgs_;
      std::vector<BlockRef> abandoned;
      std::uint32_t own = 0;
      for (Hash256 h = old_best; h != fork;) {
        const BlockRef& b = *tree_.find(h);
        abandoned.push_back(b);
        if (b->header.proposer == self_) ++own;
        h = b->header.prev_hash;
      }
      ctx.note_reorg(fork_height, static_cast<std::uint32_t>(old_height - fork_height), own);
      for (auto it = abandoned.rbegin(); it != abandoned.rend(); ++it) {
        for (const TxRef& tx : (*it)->txs) {
          if (!is_committed(tx->id)) mempool_.add(tx);
        }
      }
    }
  }
  commit_final(ctx);
}

void Poa::commit_final(Context& ctx) {
  const std::vector<BlockRef> chain = tree_.best_chain();
  const Height root_height = tree_.root().height;
  const Height final_height =
      poa_final_height(chain, root_height, params_.finality, params_.confirmations, nodes_);
  for (Height h = root_height + 1; h <= final_height; ++h) {
    const BlockRef& block = chain[static_cast<std::size_t>(h - root_height - 1)];
    ctx.commit(block);
    for (const TxRef& tx : block->txs) {
      committed_ids_.insert(tx->id);
      mempool_.erase(tx->id);
    }
    tree_.advance_root(block);
  }
  if (final_height > root_height) {
    const std::uint64_t root_step = tree_.root().step;
    std::erase_if(first_of_step_, [&](const auto& kv) { return kv.first.second <= root_step; });
  }
}

// ---------------------------------------------------------------------------------------------
// Sync

void Poa::request_fetch(Context& ctx, NodeId peer, Height from, Height to) {
  if (from == 0 || from > to || peer == self_ || peer >= nodes_) return;
  ctx.send(peer, encode_message(PoaFetch{from, to}));
  fetch_ = Outstanding{peer, ctx.now()};
}

void Poa::handle_fetch(Context& ctx, NodeId from, const PoaFetch& m) {
  const Height root_height = tree_.root().height;
  const std::vector<BlockRef> tentative = tree_.best_chain();
  const Height head = root_height + tentative.size();
  // Nothing above the head, at most one page (from_height <= head here, so no overflow).
  const Height last =
      m.from_height > head
          ? 0
          : std::min({m.to_height, head, m.from_height + params_.max_fetch_blocks - 1});
  std::vector<Bytes> encodings;
  for (Height h = m.from_height; h <= last; ++h) {
    const BlockRef& block = h <= root_height
                                ? ctx.ledger().at(h)
                                : tentative[static_cast<std::size_t>(h - root_height - 1)];
    encodings.push_back(block->encode());
  }
  PoaFetchReply reply{m.from_height, {}};
  reply.blocks.reserve(encodings.size());
  for (const Bytes& e : encodings) reply.blocks.emplace_back(e);
  ctx.send(from, encode_message(reply));
}

void Poa::handle_fetch_reply(Context& ctx, NodeId from, const PoaFetchReply& m) {
  if (fetch_ && (fetch_->peer == from || fetch_->peer == kNoNode)) fetch_.reset();
  const Hash256 old_best = tree_.best();
  bool all_attached = true;
  bool first_orphan = false;
  for (std::size_t i = 0; i < m.blocks.size(); ++i) {
    std::optional<BlockRef> block = ctx.crypto().decode_block(m.blocks[i]);
    if (!block || !*block || (*block)->header.height != m.from_height + i) {
      ++blocks_rejected_;
      all_attached = false;
      break;
    }
    const Offer outcome = offer(ctx, *block);
    if (i == 0) first_orphan = outcome == Offer::kOrphan;
    if (outcome == Offer::kOrphan || outcome == Offer::kRejected) all_attached = false;
  }
  settle(ctx, old_best);
  const Height floor = tree_.root().height + 1;
  const Height cap = params_.max_fetch_blocks;
  if (first_orphan && m.from_height > floor) {
    // The range still does not reach a block this node holds: page down towards the committed
    // head.
    const Height top = m.from_height - 1;
    request_fetch(ctx, from, top >= floor + cap ? top - cap + 1 : floor, top);
  } else if (m.blocks.size() >= cap) {
    // A full page: the peer may hold more above it.
    const Height next = m.from_height + m.blocks.size();
    request_fetch(ctx, from, next, next + cap - 1);
  } else if (catching_up_ && all_attached) {
    // This peer's whole best chain above our head is now ours.
    finish_catch_up(ctx);
  }
}

// ---------------------------------------------------------------------------------------------
// Mempool gossip

void Poa::handle_tx_gossip(const PoaTxGossip& m) {
  for (const TxRef& tx : m.txs) {
    if (!is_committed(tx->id)) mempool_.add(tx);
  }
}

void Poa::flush_gossip(Context& ctx) {
  std::vector<TxRef> batch = std::exchange(gossip_batch_, {});
  PoaTxGossip chunk;
  std::uint64_t bytes = 0;
  for (TxRef& tx : batch) {
    if (is_committed(tx->id)) continue;
    const std::uint64_t size = tx->encoded_size();
    if (!chunk.txs.empty() && bytes + size > params_.max_block_bytes) {
      ctx.broadcast(encode_message(chunk));
      chunk.txs.clear();
      bytes = 0;
    }
    chunk.txs.push_back(std::move(tx));
    bytes += size;
  }
  if (!chunk.txs.empty()) ctx.broadcast(encode_message(chunk));
}

}  // namespace hlsim
