// Chained HotStuff's protocol glue; the contract is in hotstuff.h. Section numbers cite the paper.
#include "consensus/hotstuff/hotstuff.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace hlsim {

using hotstuff::decode_fetch;
using hotstuff::decode_fetch_reply;
using hotstuff::decode_new_view;
using hotstuff::decode_proposal;
using hotstuff::decode_tx_gossip;
using hotstuff::decode_vote;
using hotstuff::encode_message;
using hotstuff::Fetch;
using hotstuff::FetchReply;
using hotstuff::NewView;
using hotstuff::Proposal;
using hotstuff::QuorumCert;
using hotstuff::TxGossip;

namespace {

// Messages waiting for a missing block, at most (the oldest go first).
constexpr std::size_t kMaxDeferred = 64;

}  // namespace

HotStuff::HotStuff(const HotStuffParams& params, NodeId self, std::uint32_t nodes, bool equivocate)
    : params_(params),
      self_(self),
      nodes_(nodes),
      max_faulty_(nodes == 0 ? 0 : (nodes - 1) / 3),
      equivocate_(equivocate),
      pacemaker_(params, nodes) {
  if (nodes < 4 || self >= nodes) {
    throw std::invalid_argument("HotStuff: node " + std::to_string(self) + " in a cluster of " +
                                std::to_string(nodes) + " (needs n >= 4)");
  }
  if (Status s = params.check(); !s.ok()) throw std::invalid_argument(s.error().message);
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

void HotStuff::start(Context& ctx) {
  reset_volatile(ctx);
  enter_view(ctx, pacemaker_.view(), false);
  settle(ctx);
}

void HotStuff::on_restart(Context& ctx, bool /*storage_lost*/) {
  // Timers set before the crash are gone: forget their ids instead of cancelling them. The hard
  // state (view, last voted view, lock) stays; with memory storage the ledger is empty now and the
  // node catches up from its peers (sync_needed_ and the fetches it leads to).
  core_.restart();
  pacemaker_.restart(core_.last_voted_view() + 1);
  fetch_timer_.reset();
  gossip_timer_.reset();
  regossip_timer_.reset();
  reset_volatile(ctx);
  sync_needed_ = true;
  sync_peer_ = next_peer(self_);
  sync_tries_ = 0;
  enter_view(ctx, pacemaker_.view(), false);
  settle(ctx);
}

void HotStuff::reset_volatile(Context& ctx) {
  mempool_.reset(ctx.ledger());
  votes_.clear();
  last_vote_.reset();
  alt_qc_.reset();
  proposed_view_ = 0;
  tx_commit_qc_view_ = 0;
  verified_qcs_.clear();
  deferred_.clear();
  blocks_added_ = false;
  wanted_.clear();
  fetch_.reset();
  sync_needed_ = false;
}

// ---------------------------------------------------------------------------------------------
// Inputs

void HotStuff::on_transaction(Context& ctx, const TxRef& tx) {
  if (!mempool_.add(tx, true, ctx.now())) return;
  if (!gossip_timer_) gossip_timer_ = ctx.set_timer(params_.mempool_gossip_ns, kGossipTimer);
  settle(ctx);
}

void HotStuff::on_message(Context& ctx, NodeId from, const Message& msg) {
  if (from >= nodes_ || from == self_) return;
  const ByteView body = msg.view();
  // Malformed bodies are dropped: nothing answers them and the state does not change.
  switch (static_cast<HotStuffMessageType>(msg.type)) {
    case HotStuffMessageType::kProposal:
      // Every validator receives the same proposal and its certificate of n - f votes: decode it
      // once for all (shared_decode.h). Each still checks what its verification policy says.
      if (auto m = decode_shared<hotstuff::Proposal>(ctx.decode_memo(), msg, decode_proposal)) {
        handle_proposal(ctx, from, msg, *m);
      }
      break;
    case HotStuffMessageType::kVote:
      if (auto m = decode_vote(body)) handle_vote(ctx, from, *m);
      break;
    case HotStuffMessageType::kNewView:
      if (auto m = decode_new_view(body)) handle_new_view(ctx, from, *m);
      break;
    case HotStuffMessageType::kTxGossip:
      if (auto m = decode_shared<hotstuff::TxGossip>(ctx.decode_memo(), msg, decode_tx_gossip)) {
        handle_tx_gossip(ctx, *m);
      }
      break;
    case HotStuffMessageType::kFetch:
      if (auto m = decode_fetch(body)) handle_fetch(ctx, from, *m);
      break;
    case HotStuffMessageType::kFetchReply:
      if (auto m = decode_fetch_reply(body)) handle_fetch_reply(ctx, from, *m);
      break;
  }
  settle(ctx);
}

void HotStuff::on_timer(Context& ctx, TimerId id, std::uint64_t tag) {
  switch (tag) {
    case kViewTimer:
      if (!pacemaker_.take_timer(id)) return;
      view_timed_out(ctx);
      break;
    case kGossipTimer:
      if (gossip_timer_ != id) return;
      gossip_timer_.reset();
      gossip(ctx);
      break;
    case kRegossipTimer:
      if (regossip_timer_ != id) return;
      regossip_timer_.reset();
      regossip(ctx);
      break;
    case kFetchTimer:
      if (fetch_timer_ != id) return;
      fetch_timer_.reset();
      fetch_timed_out();
      break;
    default:
      return;
  }
  settle(ctx);
}

void HotStuff::settle(Context& ctx) {
  // Blocks that arrived may complete the ancestry deferred messages wait for (and applying those
  // may add blocks in turn).
  for (int round = 0; round < 8 && blocks_added_ && !deferred_.empty(); ++round) {
    blocks_added_ = false;
    retry_deferred(ctx);
  }
  blocks_added_ = false;
  maybe_propose(ctx);
  extend_late_fork(ctx);
  pacemaker_.refresh_timer(ctx, has_work());
  if (has_work() && !regossip_timer_) {
    regossip_timer_ = ctx.set_timer(params_.mempool_regossip_ns, kRegossipTimer);
  }
  issue_fetch(ctx);
}

// ---------------------------------------------------------------------------------------------
// Proposals (§5 Algorithm 3, replica side)

void HotStuff::handle_proposal(Context& ctx, NodeId from, const Message& msg, const Proposal& m) {
  std::optional<BlockRef> block = ctx.crypto().decode_block_in(msg, m.block);
  if (!block || !*block) return;
  on_proposal(ctx, from, *block, m.justify, false);
}

void HotStuff::on_proposal(Context& ctx, NodeId from, const BlockRef& block,
                           const QuorumCert& justify, bool justify_verified) {
  const BlockHeader& h = block->header;
  const Chain& ledger = ctx.ledger();
  // A proposal of view v comes from v's leader and extends the block its justify certifies.
  if (h.epoch == 0 || h.proposer != from || pacemaker_.leader(h.epoch) != from) return;
  if (h.height != justify.height + 1 || h.prev_hash != justify.block_hash ||
      h.epoch <= justify.view) {
    return;
  }
  if (h.height <= ledger.height()) return;  // a height already decided here
  if (!justify_verified && !check_qc(ctx, justify)) return;
  switch (accept_qc(ctx, justify, from)) {
    case QcResult::kRejected:
      return;
    case QcResult::kDeferred:
      defer(Deferred{block, justify, from, {}}, ctx.ledger());
      return;
    case QcResult::kApplied:
      break;
  }
  if (ctx.ledger().height() >= h.height) return;  // committed meanwhile (cannot be, but cheap)
  if (core_.add_block(block, ctx.ledger())) {
    blocks_added_ = true;
    wanted_.erase(block->hash);
  } else if (core_.find(block->hash) == nullptr) {
    return;  // inconsistent with its parent
  }
  // The proposal's view begins (replicas follow the leaders' views forward, never back).
  enter_view(ctx, h.epoch, false);
  if (!txs_valid(*block, ctx.ledger())) return;
  // Its transactions are pending here until they commit (on this fork or, re-proposed, another).
  for (const TxRef& tx : block->txs) mempool_.add(tx, false, ctx.now());
  // The voting rule alone decides (safeNode, one vote per view): a validator whose timers ran it
  // ahead of the others (it was cut off) still votes for their proposals, so they keep a quorum.
  if (equivocate_ || core_.safe_to_vote(h.epoch, justify)) cast_vote(ctx, *block);
}

bool HotStuff::txs_valid(const Block& block, const Chain& ledger) const {
  if (block.txs.size() > params_.max_block_tx) return false;
  const hotstuff::Mempool::IdSet ancestors =
      core_.uncommitted_txs(block.header.prev_hash, block.header.height - 1, ledger);
  hotstuff::Mempool::IdSet seen;
  for (const TxRef& tx : block.txs) {
    if (!seen.insert(tx->id) || mempool_.committed(tx->id) || ancestors.contains(tx->id)) {
      return false;
    }
  }
  return true;
}

void HotStuff::cast_vote(Context& ctx, const Block& block) {
  SignedVote v;
  v.kind = hotstuff::kVoteKind;
  v.height = block.header.height;
  v.epoch = block.header.epoch;
  v.block_hash = block.hash;
  ctx.crypto().sign_vote(v);
  core_.record_vote(v.epoch);
  if (!last_vote_ || last_vote_->epoch < v.epoch) last_vote_ = v;
  // Linear: the vote goes to the next view's leader only; its own vote stays local.
  const NodeId next = pacemaker_.leader(v.epoch + 1);
  enter_view(ctx, v.epoch + 1, false);
  if (next == self_) {
    count_vote(ctx, v, true, self_);
  } else {
    ctx.send(next, encode_message(v));
  }
}

// ---------------------------------------------------------------------------------------------
// Votes and certificates (§5: the next leader collects n - f votes into a QC)

void HotStuff::handle_vote(Context& ctx, NodeId from, const SignedVote& vote) {
  if (vote.kind != hotstuff::kVoteKind || vote.voter != from || vote.epoch == 0) return;
  if (pacemaker_.leader(vote.epoch + 1) != self_) return;
  // Too late to lead with it (an equivocator still certifies every fork it can).
  if (!equivocate_ && vote.epoch + 1 < pacemaker_.view()) return;
  count_vote(ctx, vote, false, from);
}

void HotStuff::count_vote(Context& ctx, const SignedVote& vote, bool own, NodeId hint) {
  if (!votes_.add(vote, own)) return;
  std::optional<QuorumCert> qc = votes_.try_certify(vote, ctx.crypto(), quorum());
  if (!qc) return;
  remember_qc(*qc);
  accept_or_defer(ctx, *qc, hint);
}

void HotStuff::accept_or_defer(Context& ctx, const QuorumCert& qc, NodeId hint) {
  if (accept_qc(ctx, qc, hint) == QcResult::kDeferred) {
    defer(Deferred{nullptr, qc, hint, {}}, ctx.ledger());
  }
}

bool HotStuff::qc_known(const QuorumCert& qc) const {
  if (qc.is_genesis()) return true;
  auto it = verified_qcs_.find(qc.block_hash);
  return it != verified_qcs_.end() && it->second == std::pair{qc.height, qc.view};
}

void HotStuff::remember_qc(const QuorumCert& qc) {
  if (!qc.is_genesis()) verified_qcs_[qc.block_hash] = {qc.height, qc.view};
}

bool HotStuff::check_qc(Context& ctx, const QuorumCert& qc) {
  if (!hotstuff::qc_well_formed(qc, nodes_, quorum())) return false;
  if (qc_known(qc)) return true;
  if (!hotstuff::verify_all(ctx.crypto(), qc.votes)) return false;
  remember_qc(qc);
  return true;
}

HotStuff::QcResult HotStuff::accept_qc(Context& ctx, const QuorumCert& qc, NodeId hint) {
  const Chain& ledger = ctx.ledger();
  if (!qc.is_genesis()) {
    const hotstuff::Core::Ancestry a = core_.ancestry(qc.block_hash, qc.height, ledger);
    if (a.link == hotstuff::Core::Link::kConflicting) {
      // An equivocator keeps a conflicting QC as high as its own to build a second fork on.
      if (equivocate_ && qc.view >= core_.high_qc().view && core_.find(qc.block_hash) != nullptr) {
        alt_qc_ = qc;
      }
      return QcResult::kRejected;
    }
    if (a.link == hotstuff::Core::Link::kMissing) {
      want(a.missing_hash, a.missing_height, hint, ledger);
      return QcResult::kDeferred;
    }
    const std::optional<hotstuff::Core::Meta> m = core_.meta(qc.block_hash, qc.height, ledger);
    if (!m || m->view != qc.view) return QcResult::kRejected;
  }
  const hotstuff::Core::Outcome out = core_.apply_qc(qc, ledger);
  if (equivocate_ && !out.new_high_qc && qc.view == core_.high_qc().view &&
      qc.block_hash != core_.high_qc().block_hash) {
    alt_qc_ = qc;  // two QCs of the highest view: the equivocator extends both
  }
  commit(ctx, out.commit, qc.view);
  // A QC for view v ends view v everywhere: the next view begins, with the back-off reset.
  enter_view(ctx, qc.view + 1, true);
  return QcResult::kApplied;
}

void HotStuff::commit(Context& ctx, const std::vector<BlockRef>& blocks, std::uint64_t qc_view) {
  if (blocks.empty()) return;
  bool txs = false;
  for (const BlockRef& b : blocks) {
    const Chain& ledger = ctx.ledger();
    if (b->header.height != ledger.next_height() || b->header.prev_hash != ledger.head_hash()) {
      break;
    }
    ctx.commit(b);
    mempool_.on_commit(*b);
    txs = txs || !b->txs.empty();
  }
  if (txs) tx_commit_qc_view_ = std::max(tx_commit_qc_view_, qc_view);
  const Chain& ledger = ctx.ledger();
  core_.prune(ledger);
  for (auto it = verified_qcs_.begin(); it != verified_qcs_.end();) {
    it = it->second.first + 2 < ledger.height() ? verified_qcs_.erase(it) : std::next(it);
  }
  for (auto it = wanted_.begin(); it != wanted_.end();) {
    it = it->second.height <= ledger.height() ? wanted_.erase(it) : std::next(it);
  }
}

// ---------------------------------------------------------------------------------------------
// Proposing (§5 Algorithm 3 leader side; §4.4 pacemaker: propose on a QC or n - f new-views)

void HotStuff::maybe_propose(Context& ctx) {
  const std::uint64_t v = pacemaker_.view();
  if (pacemaker_.leader(v) != self_ || proposed_view_ >= v) return;
  const QuorumCert& high = core_.high_qc();
  const bool by_qc = high.view + 1 == v;
  if (!by_qc) {
    if (pacemaker_.new_views(v) < quorum()) return;
    // Extend the highest QC the new-views report: wait while its block is being fetched.
    const QuorumCert* best = pacemaker_.best_new_view_qc(v);
    if (best != nullptr && best->view > high.view) return;
  }
  // Idle unless there is something to order (hotstuff.h).
  const bool commit_news = tx_commit_qc_view_ != 0 && high.view == tx_commit_qc_view_;
  if (mempool_.empty() && !commit_news) return;
  const Chain& ledger = ctx.ledger();
  // After a restart highQC may lie below the committed chain until a peer reports a newer one.
  if (high.height < ledger.height()) return;
  const QuorumCert justify = high;
  const hotstuff::Mempool::IdSet exclude =
      core_.uncommitted_txs(justify.block_hash, justify.height, ledger);
  std::vector<TxRef> txs = mempool_.select(params_.max_block_tx, params_.max_block_bytes, exclude);
  // Equivocation: a second block for the same view, on the other QC of the highest view if there
  // is one (a fork the equivocators certified), else on the same parent without the transactions.
  const bool fork = equivocate_ && alt_qc_ && alt_qc_->view == justify.view &&
                    alt_qc_->block_hash != justify.block_hash;
  const bool split = equivocate_ && (fork || !txs.empty());
  const BlockRef block =
      ctx.crypto().seal_block(justify.height + 1, justify.block_hash, v, std::move(txs));
  proposed_view_ = v;
  extended_.clear();
  extended_.insert(justify.block_hash);
  if (!split) {
    const Bytes encoded = block->encode();
    ctx.broadcast(encode_message(Proposal{encoded, justify}));
    own_proposal(ctx, block, justify);
    return;
  }
  const QuorumCert other_justify = fork ? *alt_qc_ : justify;
  const BlockRef other =
      ctx.crypto().seal_block(other_justify.height + 1, other_justify.block_hash, v, {});
  for (NodeId to = 0; to < nodes_; ++to) {
    if (to == self_) continue;
    if (to < nodes_ / 2) {
      send_block(ctx, to, block, justify);
    } else {
      send_block(ctx, to, other, other_justify);
    }
  }
  extended_.insert(other_justify.block_hash);
  own_proposal(ctx, block, justify);
  own_proposal(ctx, other, other_justify);
}

void HotStuff::extend_late_fork(Context& ctx) {
  // An equivocating leader that certified a second fork after proposing in its view extends that
  // fork too, in the same view, to the second half.
  const std::uint64_t v = proposed_view_;
  if (!equivocate_ || v == 0 || !alt_qc_ || alt_qc_->view >= v ||
      alt_qc_->view != core_.high_qc().view || extended_.contains(alt_qc_->block_hash) ||
      core_.find(alt_qc_->block_hash) == nullptr) {
    return;
  }
  const QuorumCert justify = *alt_qc_;
  extended_.insert(justify.block_hash);
  const BlockRef block = ctx.crypto().seal_block(justify.height + 1, justify.block_hash, v, {});
  for (NodeId to = nodes_ / 2; to < nodes_; ++to) {
    if (to != self_) send_block(ctx, to, block, justify);
  }
  own_proposal(ctx, block, justify);
}

void HotStuff::send_block(Context& ctx, NodeId to, const BlockRef& block,
                          const QuorumCert& justify) {
  const Bytes encoded = block->encode();
  ctx.send(to, encode_message(Proposal{encoded, justify}));
}

void HotStuff::own_proposal(Context& ctx, const BlockRef& block, const QuorumCert& justify) {
  if (core_.add_block(block, ctx.ledger())) blocks_added_ = true;
  if (equivocate_ || core_.safe_to_vote(block->header.epoch, justify)) cast_vote(ctx, *block);
}

// ---------------------------------------------------------------------------------------------
// Views (§4.4 pacemaker)

void HotStuff::enter_view(Context& ctx, std::uint64_t view, bool certified) {
  pacemaker_.advance(view, certified);
  const std::uint64_t now_view = pacemaker_.view();
  // Votes for views below highQC's can only make an older QC. (Those of highQC's view are kept:
  // an equivocator certifies both forks of a view.)
  votes_.prune_below(core_.high_qc().view);
  if (noted_view_ < now_view) {
    noted_view_ = now_view;
    ctx.note_leader(now_view, pacemaker_.leader(now_view));
  }
}

void HotStuff::view_timed_out(Context& ctx) {
  // NEW-VIEW: give up on the current view, tell the next leader this node's highQC (signed with
  // the view it enters) and move on. Consecutive failures back the timeout off.
  const std::uint64_t next = pacemaker_.view() + 1;
  pacemaker_.note_failure();
  enter_view(ctx, next, false);
  const QuorumCert& high = core_.high_qc();
  const NodeId leader = pacemaker_.leader(next);
  if (leader == self_) {
    pacemaker_.add_new_view(next, self_, high);
    if (last_vote_ && last_vote_->epoch > high.view) count_vote(ctx, *last_vote_, true, self_);
    return;
  }
  NewView m;
  m.view = next;
  m.committed_height = ctx.ledger().height();
  m.high_qc = high;
  m.timeout.kind = hotstuff::kTimeoutKind;
  m.timeout.height = high.height;
  m.timeout.epoch = next;
  m.timeout.block_hash = high.block_hash;
  ctx.crypto().sign_vote(m.timeout);
  m.last_vote = last_vote_;
  ctx.send(leader, encode_message(m));
}

void HotStuff::handle_new_view(Context& ctx, NodeId from, const NewView& m) {
  const SignedVote& t = m.timeout;
  if (t.kind != hotstuff::kTimeoutKind || t.voter != from || t.epoch != m.view || m.view == 0 ||
      t.height != m.high_qc.height || t.block_hash != m.high_qc.block_hash) {
    return;
  }
  if (!hotstuff::qc_well_formed(m.high_qc, nodes_, quorum())) return;
  // The sender's last vote counts towards the QC its leader was to form, if that QC would be newer
  // than this node's highQC (the leader may have failed: this is how its successor recovers it).
  const bool carried = m.last_vote && m.last_vote->kind == hotstuff::kVoteKind &&
                       m.last_vote->voter == from && m.last_vote->epoch > core_.high_qc().view;
  // One verify_votes call: the timeout signature, the carried vote and, unless verified before,
  // the QC's votes.
  std::vector<SignedVote> batch{t};
  if (carried) batch.push_back(*m.last_vote);
  const bool known = qc_known(m.high_qc);
  if (!known) batch.insert(batch.end(), m.high_qc.votes.begin(), m.high_qc.votes.end());
  if (!hotstuff::verify_all(ctx.crypto(), batch)) return;
  if (!known) remember_qc(m.high_qc);
  if (carried) count_vote(ctx, *m.last_vote, true, from);
  // A straggler times out while this node, with nothing to propose, holds a newer QC: send it,
  // with the blocks under it, so the straggler commits what the others did.
  if (!has_work() && core_.high_qc().view > m.high_qc.view && !core_.high_qc().is_genesis()) {
    const QuorumCert& high = core_.high_qc();
    const BlockRef top = core_.lookup(high.block_hash, high.height, ctx.ledger());
    if (top) {
      std::vector<Bytes> encodings;
      FetchReply reply = chain_reply(ctx, top, m.committed_height, encodings);
      reply.qc = high;
      ctx.send(from, encode_message(reply));
    }
  }
  accept_or_defer(ctx, m.high_qc, from);
  if (pacemaker_.leader(m.view) != self_ || m.view < pacemaker_.view()) return;
  const std::size_t count = pacemaker_.add_new_view(m.view, from, m.high_qc);
  // f + 1 timeouts for a later view: at least one correct validator gave up on the views before
  // it, so this leader joins it (and counts its own new-view) rather than wait out its own timers.
  if (m.view > pacemaker_.view() && count >= max_faulty_ + 1) {
    pacemaker_.note_failure();
    enter_view(ctx, m.view, false);
    pacemaker_.add_new_view(m.view, self_, core_.high_qc());
    if (last_vote_ && last_vote_->epoch > core_.high_qc().view) {
      count_vote(ctx, *last_vote_, true, self_);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Block retrieval

void HotStuff::want(const Hash256& hash, Height height, NodeId hint, const Chain& ledger) {
  if (height <= ledger.height() || core_.find(hash) != nullptr) return;
  wanted_.try_emplace(hash, Wanted{height, hint == self_ ? next_peer(self_) : hint, 0});
}

void HotStuff::defer(Deferred d, const Chain& ledger) {
  const Hash256& hash = d.block ? d.block->header.prev_hash : d.qc.block_hash;
  const Height height = d.block ? d.block->header.height - 1 : d.qc.height;
  d.needs = core_.ancestry(hash, height, ledger).missing_hash;
  if (deferred_.size() >= kMaxDeferred) deferred_.erase(deferred_.begin());
  deferred_.push_back(std::move(d));
}

void HotStuff::retry_deferred(Context& ctx) {
  std::vector<Deferred> items = std::move(deferred_);
  deferred_.clear();
  for (Deferred& d : items) {
    if (d.block) {
      on_proposal(ctx, d.from, d.block, d.qc, true);
    } else if (accept_qc(ctx, d.qc, d.from) == QcResult::kDeferred) {
      defer(std::move(d), ctx.ledger());
    }
  }
}

NodeId HotStuff::next_peer(NodeId after) const {
  NodeId p = (after + 1) % nodes_;
  if (p == self_) p = (p + 1) % nodes_;
  return p;
}

void HotStuff::issue_fetch(Context& ctx) {
  if (fetch_) return;
  const Chain& ledger = ctx.ledger();
  if (!wanted_.empty()) {
    // The highest missing block first: its ancestors come with it.
    auto best = wanted_.begin();
    for (auto it = wanted_.begin(); it != wanted_.end(); ++it) {
      if (it->second.height > best->second.height) best = it;
    }
    fetch_ = InFlight{best->first, best->second.hint};
    ctx.send(best->second.hint,
             encode_message(Fetch{best->first, best->second.height, ledger.height()}));
  } else if (sync_needed_) {
    fetch_ = InFlight{Hash256{}, sync_peer_};
    ctx.send(sync_peer_, encode_message(Fetch{Hash256{}, 0, ledger.height()}));
  } else {
    return;
  }
  fetch_timer_ = ctx.set_timer(params_.fetch_retry_ns, kFetchTimer);
}

void HotStuff::fetch_timed_out() {
  if (!fetch_) return;
  const InFlight f = *fetch_;
  fetch_.reset();
  if (f.target.is_zero()) {
    // No highQC from that peer: ask the next one, up to every peer once.
    sync_peer_ = next_peer(sync_peer_);
    if (++sync_tries_ >= nodes_ - 1) sync_needed_ = false;
    return;
  }
  auto it = wanted_.find(f.target);
  if (it == wanted_.end()) return;
  it->second.hint = next_peer(it->second.hint);
  if (++it->second.tries >= nodes_ - 1) {
    // Nobody has it (an abandoned fork pruned everywhere): drop what waits for it.
    const Hash256 gone = it->first;
    wanted_.erase(it);
    std::erase_if(deferred_, [&](const Deferred& d) { return d.needs == gone; });
  }
}

FetchReply HotStuff::chain_reply(Context& ctx, const BlockRef& top, Height low_height,
                                 std::vector<Bytes>& encodings) const {
  const Chain& ledger = ctx.ledger();
  BlockRef b = top;
  while (b && b->header.height > low_height && encodings.size() < params_.fetch_max_blocks) {
    encodings.push_back(b->encode());
    b = core_.lookup(b->header.prev_hash, b->header.height - 1, ledger);
  }
  FetchReply reply;
  reply.blocks.reserve(encodings.size());
  for (const Bytes& e : encodings) reply.blocks.emplace_back(e);
  return reply;
}

void HotStuff::handle_fetch(Context& ctx, NodeId from, const Fetch& m) {
  std::optional<QuorumCert> qc;
  BlockRef top;
  if (m.target.is_zero()) {
    if (core_.high_qc().is_genesis()) return;
    qc = core_.high_qc();
    top = core_.lookup(qc->block_hash, qc->height, ctx.ledger());
  } else {
    top = core_.lookup(m.target, m.target_height, ctx.ledger());
  }
  if (!top) return;  // the requester asks the next peer after its retry interval
  std::vector<Bytes> encodings;
  FetchReply reply = chain_reply(ctx, top, m.low_height, encodings);
  reply.qc = qc;
  if (reply.blocks.empty() && !reply.qc) return;
  ctx.send(from, encode_message(reply));
}

void HotStuff::handle_fetch_reply(Context& ctx, NodeId from, const FetchReply& m) {
  if (m.qc && !check_qc(ctx, *m.qc)) return;
  if (fetch_ && fetch_->peer == from) {
    fetch_.reset();
    if (fetch_timer_) ctx.cancel_timer(*fetch_timer_);
    fetch_timer_.reset();
  }
  const Chain& ledger = ctx.ledger();
  if (m.qc) {
    sync_needed_ = false;
    want(m.qc->block_hash, m.qc->height, from, ledger);
  }
  // From the top down: each block is authentic when its hash is one this node wants (named by a
  // verified QC or by the parent link of an authentic block).
  for (const ByteView& encoded : m.blocks) {
    std::optional<BlockRef> block = ctx.crypto().decode_block(encoded);
    if (!block || !*block) break;
    auto it = wanted_.find((*block)->hash);
    if (it == wanted_.end() || it->second.height != (*block)->header.height) continue;
    wanted_.erase(it);
    if (!core_.add_block(*block, ledger)) continue;
    blocks_added_ = true;
    const BlockHeader& h = (*block)->header;
    if (h.height > 1 && !core_.meta(h.prev_hash, h.height - 1, ledger)) {
      want(h.prev_hash, h.height - 1, from, ledger);
    }
  }
  if (m.qc) accept_or_defer(ctx, *m.qc, from);
}

// ---------------------------------------------------------------------------------------------
// hotstuff::Mempool gossip

void HotStuff::handle_tx_gossip(Context& ctx, const TxGossip& m) {
  for (const TxRef& tx : m.txs) mempool_.add(tx, false, ctx.now());
}

void HotStuff::gossip(Context& ctx) {
  std::vector<TxRef> txs = mempool_.take_fresh(ctx.now());
  if (!txs.empty()) ctx.broadcast(encode_message(TxGossip{std::move(txs)}));
}

void HotStuff::regossip(Context& ctx) {
  std::vector<TxRef> txs = mempool_.take_stale(ctx.now() - params_.mempool_regossip_ns, ctx.now());
  if (!txs.empty()) ctx.broadcast(encode_message(TxGossip{std::move(txs)}));
}

}  // namespace hlsim
