// PBFT's replica state machine; the contract is in pbft.h. Section numbers cite the OSDI paper.
#include "consensus/pbft/pbft.h"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

namespace hlsim {

using pbft::CheckedViewChange;
using pbft::decode_fetch;
using pbft::decode_fetch_reply;
using pbft::decode_forward_message;
using pbft::decode_new_view;
using pbft::decode_pre_prepare;
using pbft::decode_view_change;
using pbft::decode_vote_message;
using pbft::encode_message;
using pbft::encode_vote_message;
using pbft::Fetch;
using pbft::FetchReply;
using pbft::Forward;
using pbft::NewView;
using pbft::NewViewPlan;
using pbft::PbftMessageType;
using pbft::PbftQuorum;
using pbft::PbftVoteKind;
using pbft::PreparedCert;
using pbft::PrePrepare;
using pbft::ViewChange;
using pbft::vote_kind;

namespace {

constexpr std::uint32_t kMaxBackoffDoublings = 10;

}  // namespace

Pbft::Pbft(const PbftParams& params, NodeId self, std::uint32_t nodes, bool equivocate)
    : params_(params), self_(self), quorum_(PbftQuorum::of(nodes)), equivocate_(equivocate) {
  if (nodes < 4 || self >= nodes) {
    throw std::invalid_argument("Pbft: node " + std::to_string(self) + " in a cluster of " +
                                std::to_string(nodes) + " (needs self < nodes and nodes >= 4)");
  }
  if (Status s = params.check(); !s.ok()) throw std::invalid_argument(s.error().message);
}

bool Pbft::has_prepared(Height seq, const Hash256& hash) const {
  auto it = certs_.find(seq);
  return it != certs_.end() && it->second.hash() == hash;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

void Pbft::start(Context& ctx) {
  rebuild_committed_ids(ctx);
  note_leader(ctx);
  update_request_timer(ctx);
}

void Pbft::on_restart(Context& ctx, bool storage_lost) {
  // Timers set before the crash are gone; forget their ids instead of cancelling them.
  vc_timer_.reset();
  batch_timer_.reset();
  fetch_timer_.reset();
  reset_volatile();
  if (storage_lost) {
    low_ = 0;
    low_hash_ = Hash256{};
    accepted_.clear();
    certs_.clear();
    blocks_.clear();
    prepares_.clear();
    commits_.clear();
    checkpoints_.clear();
    proofs_.clear();
    sent_votes_.clear();
    last_new_view_.reset();
  }
  rebuild_committed_ids(ctx);
  recovering_ = ctx.ledger().height() < max_voted_seq_;
  // Catch up with whatever happened meanwhile: blocks and, if there is one, a newer view.
  send_fetch(ctx, in_view_change_ ? view_ : view_ + 1);
  if (in_view_change_) {
    arm_view_change_wait(ctx);
  } else {
    update_request_timer(ctx);
  }
  execute_ready(ctx);
}

void Pbft::reset_volatile() {
  pending_.clear();
  pending_seq_.clear();
  queue_.clear();
  queued_ids_.clear();
  batch_due_ = false;
  buffer_.clear();
  view_changes_.clear();
  own_view_changes_.clear();
  peer_view_.clear();
  ahead_view_ = 0;
  ahead_count_ = 0;
  peer_seq_.clear();
  want_view_ = 0;
  fetch_target_ = 0;
  vc_attempts_ = 0;
  subject_pending_.reset();
  subject_seq_.reset();
}

void Pbft::rebuild_committed_ids(const Context& ctx) {
  committed_ids_.clear();
  for (const BlockRef& b : ctx.ledger().blocks()) {
    for (const TxRef& tx : b->txs) committed_ids_.insert(tx->id);
  }
}

void Pbft::note_leader(Context& ctx) {
  if (noted_any_ && noted_view_ >= view_) return;
  noted_any_ = true;
  noted_view_ = view_;
  ctx.note_leader(view_, quorum_.primary(view_));
}

// ---------------------------------------------------------------------------------------------
// Inputs

void Pbft::on_transaction(Context& ctx, const TxRef& tx) {
  if (!tx || committed_ids_.contains(tx->id) || pending_seq_.contains(tx->id)) return;
  add_pending(ctx, tx);
  if (in_view_change_) {
    // No primary to send it to: every replica gets it (the primary of the view in progress, if
    // any, orders it; the others watch it), and the next primary gets it again on its NEW-VIEW.
    ctx.broadcast(encode_message(Forward{{tx}}));
    return;
  }
  if (is_primary()) {
    enqueue(ctx, tx);
  } else {
    ctx.send(primary(), encode_message(Forward{{tx}}));
  }
}

void Pbft::on_message(Context& ctx, NodeId from, const Message& msg) {
  if (from >= quorum_.n || from == self_) return;
  const ByteView body = msg.view();
  // Malformed bodies are dropped without a reply.
  switch (static_cast<PbftMessageType>(msg.type)) {
    case PbftMessageType::kPrePrepare:
      // Every backup receives the same pre-prepare: decode it once for all (shared_decode.h).
      if (auto m = decode_shared<pbft::PrePrepare>(ctx.decode_memo(), msg, decode_pre_prepare)) {
        handle_pre_prepare(ctx, from, *m);
      }
      break;
    case PbftMessageType::kPrepare:
    case PbftMessageType::kCommit:
      if (auto v = decode_vote_message(body)) {
        handle_vote(ctx, from, static_cast<PbftMessageType>(msg.type), *v);
      }
      break;
    case PbftMessageType::kCheckpoint:
      if (auto v = decode_vote_message(body)) handle_checkpoint(ctx, from, *v);
      break;
    case PbftMessageType::kViewChange:
      handle_view_change(ctx, from, body);
      break;
    case PbftMessageType::kNewView:
      handle_new_view(ctx, from, body, false);
      break;
    case PbftMessageType::kForward:
      if (auto m = decode_forward_message(body)) handle_forward(ctx, from, *m);
      break;
    case PbftMessageType::kFetch:
      if (auto m = decode_fetch(body)) handle_fetch(ctx, from, *m);
      break;
    case PbftMessageType::kFetchReply:
      if (auto m = decode_fetch_reply(body)) handle_fetch_reply(ctx, from, *m);
      break;
  }
}

void Pbft::on_timer(Context& ctx, TimerId id, std::uint64_t tag) {
  switch (tag) {
    case kViewChangeTimer: {
      if (vc_timer_ != id) return;
      vc_timer_.reset();
      if (in_view_change_ && vc_timer_waits_) {
        // §4.5.2: no NEW-VIEW in time; try the next view, waiting twice as long.
        vc_attempts_ = std::min(vc_attempts_ + 1, kMaxBackoffDoublings);
        start_view_change(ctx, view_ + 1);
        return;
      }
      if (in_view_change_) {
        // Fewer than 2f+1 VIEW-CHANGEs arrived (lost, or sent into a partition): send ours again,
        // as PBFT retransmits its view-change messages.
        auto it = view_changes_.find(view_);
        if (it != view_changes_.end() && it->second.contains(self_)) {
          ctx.broadcast(Message::make(static_cast<std::uint16_t>(PbftMessageType::kViewChange),
                                      it->second.at(self_).body));
        }
        arm_view_change_wait(ctx);
        return;
      }
      // §4.4: a request waited too long. Like a PBFT client, hand what we wait for to every
      // replica (so their timers run too), then suspect the primary.
      std::vector<TxRef> unsent;
      for (auto& [seq, p] : pending_) {
        if (!p.broadcast) unsent.push_back(p.tx);
        p.broadcast = true;
      }
      if (!unsent.empty()) ctx.broadcast(encode_message(Forward{std::move(unsent)}));
      if (may_sign()) {
        start_view_change(ctx, view_ + 1);
      } else {
        update_request_timer(ctx);
      }
      return;
    }
    case kBatchTimer:
      if (batch_timer_ != id) return;
      batch_timer_.reset();
      batch_due_ = true;
      try_propose(ctx);
      return;
    case kFetchTimer:
      if (fetch_timer_ != id) return;
      fetch_timer_.reset();
      if (want_view_ > 0 && want_view_ <= view_ && !in_view_change_) want_view_ = 0;
      if (behind(ctx)) send_fetch(ctx, 0);
      return;
    default:
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Normal case (§4.2)

bool Pbft::verify_one(Context& ctx, const SignedVote& vote) {
  const std::vector<std::uint8_t> ok = ctx.crypto().verify_votes(std::span(&vote, 1));
  return !ok.empty() && ok[0] != 0;
}

void Pbft::handle_pre_prepare(Context& ctx, NodeId from, const PrePrepare& m) {
  const SignedVote& pp = m.vote;
  const std::uint64_t view = pp.epoch;
  if (pp.kind != vote_kind(PbftVoteKind::kPrePrepare) || pp.voter != from ||
      quorum_.primary(view) != from || pp.height <= low_) {
    return;
  }
  if (pp.height > low_ + params_.log_window) {
    note_beyond_window(ctx, from, pp);
    return;
  }
  if (view < view_) {
    // A view this replica has left: it votes no more there, but keeps the block, so that a
    // commit certificate of that view (which it still collects) lets it execute without a fetch.
    if (pp.height <= ctx.ledger().height() || blocks_.contains(pp.block_hash)) return;
    std::optional<BlockRef> block = ctx.crypto().decode_block(m.block);
    if (!block || !*block || (*block)->hash != pp.block_hash ||
        (*block)->header.height != pp.height || !verify_one(ctx, pp)) {
      return;
    }
    blocks_.emplace(pp.block_hash, *block);
    execute_ready(ctx);
    return;
  }
  if (buffer_.contains({view, pp.height, pp.block_hash})) return;
  if (view == view_ && accepted_.contains(pp.height)) {
    if (!equivocate_) return;  // one pre-prepare per (view, seq)
  }
  std::optional<BlockRef> block = ctx.crypto().decode_block(m.block);
  if (!block || !*block || (*block)->hash != pp.block_hash ||
      (*block)->header.height != pp.height || (*block)->header.epoch > view) {
    return;
  }
  if (!verify_one(ctx, pp)) return;
  note_peer_view(ctx, from, view);
  if (equivocate_ && view == view_ && !in_view_change_) {
    equivocate_votes(ctx, pp.height, view, pp.block_hash);
  }
  if (view == view_ && accepted_.contains(pp.height)) return;
  buffer_.emplace(std::make_tuple(view, pp.height, pp.block_hash), Buffered{pp, *block});
  try_accept_buffered(ctx);
}

void Pbft::try_accept_buffered(Context& ctx) {
  if (in_view_change_) return;
  if (accepting_) {
    accept_again_ = true;
    return;
  }
  accepting_ = true;
  do {
    accept_again_ = false;
    std::vector<std::tuple<std::uint64_t, Height, Hash256>> keys;
    for (auto it = buffer_.lower_bound({view_, 0, Hash256{}});
         it != buffer_.end() && std::get<0>(it->first) == view_; ++it) {
      keys.push_back(it->first);
    }
    for (const auto& key : keys) {
      // Taken out while it is tried: accepting runs code that may prune the buffer.
      auto it = buffer_.find(key);
      if (it == buffer_.end() || in_view_change_ || std::get<0>(key) != view_) continue;
      Buffered b = std::move(it->second);
      buffer_.erase(it);
      bool drop = false;
      if (try_accept(ctx, b.pre_prepare, b.block, drop)) {
        accept_again_ = true;
      } else if (!drop) {
        buffer_.emplace(key, std::move(b));
      }
    }
  } while (accept_again_ && !in_view_change_);
  accepting_ = false;
}

std::optional<Hash256> Pbft::base_hash(const Context& ctx, Height seq) const {
  const Chain& chain = ctx.ledger();
  if (seq <= chain.height()) return seq == 0 ? Hash256{} : chain.at(seq)->hash;
  if (auto it = accepted_.find(seq); it != accepted_.end())
    return it->second.pre_prepare.block_hash;
  if (seq == low_) return low_hash_;
  if (auto it = proofs_.find(seq); it != proofs_.end()) return it->second.front().block_hash;
  return std::nullopt;
}

bool Pbft::txs_fresh(const Context& ctx, const Block& block) const {
  std::unordered_set<Hash256, Hash256Hasher> seen;
  for (const TxRef& tx : block.txs) {
    if (committed_ids_.contains(tx->id) || !seen.insert(tx->id).second) return false;
  }
  // Uncommitted ancestors accepted in this view.
  for (auto it = accepted_.upper_bound(ctx.ledger().height());
       it != accepted_.end() && it->first < block.header.height; ++it) {
    for (const TxRef& tx : it->second.block->txs) {
      if (seen.contains(tx->id)) return false;
    }
  }
  return true;
}

bool Pbft::try_accept(Context& ctx, const SignedVote& pp, const BlockRef& block, bool& drop) {
  const Height seq = pp.height;
  if (seq <= low_ || seq > low_ + params_.log_window) {
    drop = seq <= low_;
    return false;
  }
  if (accepted_.contains(seq)) {
    drop = true;
    return false;
  }
  const std::optional<Hash256> base = base_hash(ctx, seq - 1);
  if (!base || block->header.prev_hash != *base) return false;  // wait for the parent
  const Chain& chain = ctx.ledger();
  if (seq <= chain.height()) {
    if (chain.at(seq)->hash != block->hash) {
      drop = true;
      return false;
    }
  } else if (!txs_fresh(ctx, *block)) {
    drop = true;
    return false;
  }
  accepted_.emplace(seq, Accepted{pp, block, false});
  blocks_.emplace(block->hash, block);
  if (!is_primary() && may_sign()) {
    send_vote(ctx, PbftVoteKind::kPrepare, seq, view_, block->hash);
  }
  check_prepared(ctx, seq);
  // Commit votes may have arrived first.
  note_commit_quorum(ctx, {seq, view_, block->hash});
  update_request_timer(ctx);
  execute_ready(ctx);
  return true;
}

void Pbft::send_vote(Context& ctx, PbftVoteKind kind, Height seq, std::uint64_t view,
                     const Hash256& hash) {
  if (!sent_votes_.emplace(vote_kind(kind), seq, view, hash).second) return;
  SignedVote v;
  v.kind = vote_kind(kind);
  v.height = seq;
  v.epoch = view;
  v.block_hash = hash;
  ctx.crypto().sign_vote(v);
  PbftMessageType type = PbftMessageType::kCheckpoint;
  if (kind == PbftVoteKind::kPrepare) {
    type = PbftMessageType::kPrepare;
    prepares_[{seq, view, hash}][self_] = v;
  } else if (kind == PbftVoteKind::kCommit) {
    type = PbftMessageType::kCommit;
    commits_[{seq, view, hash}][self_] = v;
  } else {
    checkpoints_[{seq, hash}][self_] = v;
  }
  if (kind != PbftVoteKind::kCheckpoint) max_voted_seq_ = std::max(max_voted_seq_, seq);
  ctx.broadcast(encode_vote_message(type, v));
}

void Pbft::equivocate_votes(Context& ctx, Height seq, std::uint64_t view, const Hash256& hash) {
  if (!may_sign()) return;
  if (!is_primary()) send_vote(ctx, PbftVoteKind::kPrepare, seq, view, hash);
  send_vote(ctx, PbftVoteKind::kCommit, seq, view, hash);
  note_commit_quorum(ctx, {seq, view, hash});
}

void Pbft::handle_vote(Context& ctx, NodeId from, PbftMessageType type, const SignedVote& vote) {
  const bool prepare = type == PbftMessageType::kPrepare;
  const PbftVoteKind kind = prepare ? PbftVoteKind::kPrepare : PbftVoteKind::kCommit;
  if (vote.kind != vote_kind(kind) || vote.voter != from || vote.height <= low_) return;
  if (vote.height > low_ + params_.log_window) {
    note_beyond_window(ctx, from, vote);
    return;
  }
  // Prepares of views this replica has left are of no use; commits still are: 2f+1 of them prove
  // the block final whatever the view (a replica that moved on alone keeps executing).
  if (vote.epoch < view_ && (prepare || vote.height <= ctx.ledger().height())) return;
  // §4.2: the primary does not prepare; a prepare from it would be counted as a backup's.
  if (prepare && from == quorum_.primary(vote.epoch)) return;
  const VoteKey key{vote.height, vote.epoch, vote.block_hash};
  std::map<VoteKey, VoteSet>& store = prepare ? prepares_ : commits_;
  if (auto it = store.find(key); it != store.end() && it->second.contains(from)) return;
  if (!verify_one(ctx, vote)) return;
  store[key][from] = vote;
  note_peer_view(ctx, from, vote.epoch);
  if (vote.epoch < view_) {
    note_commit_quorum(ctx, key);
    return;
  }
  if (vote.epoch != view_ || in_view_change_) return;  // kept for when that view is installed
  if (prepare) {
    if (equivocate_) equivocate_votes(ctx, vote.height, vote.epoch, vote.block_hash);
    check_prepared(ctx, vote.height);
  } else {
    note_commit_quorum(ctx, key);
  }
}

void Pbft::note_beyond_window(Context& ctx, NodeId from, const SignedVote& vote) {
  // Messages above the high watermark are not logged, but they show how far the others are: when
  // f+1 replicas (one of them correct) work above this replica's window, it has fallen behind and
  // fetches the final blocks it lacks.
  auto it = peer_seq_.find(from);
  if (it != peer_seq_.end() && it->second >= vote.height) return;
  if (!verify_one(ctx, vote)) return;
  peer_seq_[from] = vote.height;
  std::vector<Height> seqs;
  for (const auto& [peer, seq] : peer_seq_) seqs.push_back(seq);
  if (seqs.size() < quorum_.f + 1) return;
  std::sort(seqs.begin(), seqs.end(), std::greater<>());
  const Height ahead = seqs[quorum_.f];
  if (ahead > low_ + params_.log_window) raise_fetch_target(ctx, ahead);
}

void Pbft::check_prepared(Context& ctx, Height seq) {
  auto it = accepted_.find(seq);
  if (it == accepted_.end() || it->second.prepared) return;
  Accepted& a = it->second;
  auto votes = prepares_.find({seq, view_, a.block->hash});
  if (votes == prepares_.end() || votes->second.size() + 1 < quorum_.q) return;
  // Prepared (§4.2): the pre-prepare and 2f prepares from distinct backups.
  a.prepared = true;
  PreparedCert cert;
  cert.pre_prepare = a.pre_prepare;
  for (const auto& [voter, v] : votes->second) {
    if (cert.prepares.size() + 1 >= quorum_.q) break;
    cert.prepares.push_back(v);
  }
  certs_[seq] = std::move(cert);
  if (may_sign()) send_vote(ctx, PbftVoteKind::kCommit, seq, view_, a.block->hash);
  note_commit_quorum(ctx, {seq, view_, a.block->hash});
}

void Pbft::note_commit_quorum(Context& ctx, const VoteKey& key) {
  const Height seq = std::get<0>(key);
  if (proofs_.contains(seq) || seq <= ctx.ledger().height()) return;
  auto it = commits_.find(key);
  if (it == commits_.end() || it->second.size() < quorum_.q) return;
  // 2f+1 commits: a commit certificate. The block and its ancestors are final (§4.2
  // committed-local, which additionally requires being prepared here: the certificate alone
  // already proves that f+1 correct replicas prepared it).
  std::vector<SignedVote> proof;
  for (const auto& [voter, v] : it->second) {
    if (proof.size() >= quorum_.q) break;
    proof.push_back(v);
  }
  proofs_.emplace(seq, std::move(proof));
  execute_ready(ctx);
  raise_fetch_target(ctx, seq);
}

void Pbft::execute_ready(Context& ctx) {
  // Not re-entrant: what executing triggers (accepting buffered pre-prepares, proposing) may find
  // more to execute, which the loop below picks up.
  if (executing_) {
    execute_again_ = true;
    return;
  }
  executing_ = true;
  const Chain& chain = ctx.ledger();
  bool any = false;
  do {
    execute_again_ = false;
    bool progress = true;
    while (progress) {
      progress = false;
      const Height next = chain.next_height();
      for (auto it = proofs_.lower_bound(next); it != proofs_.end(); ++it) {
        // Walk down from the proven block to the chain's head through the blocks we hold.
        std::vector<BlockRef> run;
        Hash256 hash = it->second.front().block_hash;
        bool complete = true;
        for (Height h = it->first; h >= next; --h) {
          auto b = blocks_.find(hash);
          if (b == blocks_.end() || b->second->header.height != h) {
            complete = false;
            break;
          }
          run.push_back(b->second);
          hash = b->second->header.prev_hash;
        }
        if (!complete || hash != chain.head_hash()) continue;
        for (auto r = run.rbegin(); r != run.rend(); ++r) execute(ctx, *r);
        progress = true;
        any = true;
        break;
      }
    }
    if (any) {
      if (resumed_) {
        // Recovery just completed: vote for what this view already pre-prepared above the chain.
        resumed_ = false;
        for (const auto& [seq, a] : accepted_) {
          if (seq <= chain.height() || is_primary() || in_view_change_) continue;
          send_vote(ctx, PbftVoteKind::kPrepare, seq, view_, a.block->hash);
        }
        std::vector<Height> seqs;
        for (auto it = accepted_.upper_bound(chain.height()); it != accepted_.end(); ++it) {
          seqs.push_back(it->first);
        }
        for (Height seq : seqs) check_prepared(ctx, seq);
      }
      garbage_collect(ctx);
      update_request_timer(ctx);
      try_accept_buffered(ctx);
      try_propose(ctx);
    }
  } while (execute_again_);
  executing_ = false;
}

void Pbft::execute(Context& ctx, const BlockRef& block) {
  ctx.commit(block);
  const Height h = block->header.height;
  for (const TxRef& tx : block->txs) {
    committed_ids_.insert(tx->id);
    auto it = pending_seq_.find(tx->id);
    if (it == pending_seq_.end()) continue;
    pending_.erase(it->second);
    pending_seq_.erase(it);
  }
  if (!in_view_change_) vc_attempts_ = 0;
  if (recovering_ && h >= max_voted_seq_) {
    recovering_ = false;
    resumed_ = true;
  }
  // §4.3: a checkpoint every checkpoint_interval blocks.
  if (h % params_.checkpoint_interval == 0 && h > low_) {
    send_vote(ctx, PbftVoteKind::kCheckpoint, h, 0, block->hash);
    auto it = checkpoints_.find({h, block->hash});
    if (it != checkpoints_.end() && it->second.size() >= quorum_.q) {
      std::vector<SignedVote> proof;
      for (const auto& [voter, v] : it->second) proof.push_back(v);
      proofs_[h] = std::move(proof);
      set_low(h, block->hash);
    }
  }
}

void Pbft::handle_checkpoint(Context& ctx, NodeId from, const SignedVote& vote) {
  if (vote.kind != vote_kind(PbftVoteKind::kCheckpoint) || vote.voter != from || vote.epoch != 0 ||
      vote.height <= low_ || vote.height % params_.checkpoint_interval != 0) {
    return;
  }
  VoteSet& set = checkpoints_[{vote.height, vote.block_hash}];
  if (set.contains(from)) return;
  if (!verify_one(ctx, vote)) {
    if (set.empty()) checkpoints_.erase({vote.height, vote.block_hash});
    return;
  }
  set[from] = vote;
  const Chain& chain = ctx.ledger();
  // f+1 matching: at least one correct replica executed it.
  if (set.size() >= quorum_.f + 1 && vote.height > chain.height()) {
    raise_fetch_target(ctx, vote.height);
  }
  if (set.size() < quorum_.q) return;
  // Stable (§4.3).
  std::vector<SignedVote> proof;
  for (const auto& [voter, v] : set) proof.push_back(v);
  proofs_[vote.height] = std::move(proof);
  set_low(vote.height, vote.block_hash);
  garbage_collect(ctx);
  execute_ready(ctx);
  try_propose(ctx);
}

void Pbft::set_low(Height seq, const Hash256& hash) {
  if (seq <= low_) return;
  low_ = seq;
  low_hash_ = hash;
}

void Pbft::garbage_collect(const Context& ctx) {
  const Height done = std::min(low_, ctx.ledger().height());
  // Log entries at or below the stable checkpoint that this replica has executed.
  accepted_.erase(accepted_.begin(), accepted_.upper_bound(done));
  certs_.erase(certs_.begin(), certs_.upper_bound(low_));
  for (auto it = blocks_.begin(); it != blocks_.end();) {
    it = it->second->header.height <= done ? blocks_.erase(it) : std::next(it);
  }
  auto below = [this](const VoteKey& k) { return std::get<0>(k) <= low_; };
  for (auto* store : {&prepares_, &commits_}) {
    for (auto it = store->begin(); it != store->end();) {
      it = below(it->first) ? store->erase(it) : std::next(it);
    }
  }
  checkpoints_.erase(checkpoints_.begin(), checkpoints_.lower_bound({low_ + 1, Hash256{}}));
  for (auto it = sent_votes_.begin(); it != sent_votes_.end();) {
    it = std::get<1>(*it) <= low_ ? sent_votes_.erase(it) : std::next(it);
  }
  // Finality proofs: checkpoint proofs stay (state transfer serves from them); commit
  // certificates below both the stable checkpoint and the chain's head go.
  const Height head = ctx.ledger().height();
  for (auto it = proofs_.begin(); it != proofs_.end();) {
    const bool old = it->first < low_ && it->first < head &&
                     it->second.front().kind == vote_kind(PbftVoteKind::kCommit);
    it = old ? proofs_.erase(it) : std::next(it);
  }
  for (auto it = buffer_.begin(); it != buffer_.end();) {
    const bool stale = std::get<0>(it->first) < view_ || std::get<1>(it->first) <= done;
    it = stale ? buffer_.erase(it) : std::next(it);
  }
}

// ---------------------------------------------------------------------------------------------
// Primary: batching and proposing

void Pbft::enqueue(Context& ctx, const TxRef& tx) {
  if (committed_ids_.contains(tx->id) || queued_ids_.contains(tx->id)) return;
  queue_.push_back(tx);
  queued_ids_.insert(tx->id);
  if (!batch_timer_ && !batch_due_) {
    batch_timer_ = ctx.set_timer(params_.batch_timeout_ns, kBatchTimer);
  }
  try_propose(ctx);
}

void Pbft::try_propose(Context& ctx) {
  if (!is_primary() || in_view_change_ || recovering_ || installing_) return;
  if (proposing_) {
    propose_again_ = true;
    return;
  }
  proposing_ = true;
  do {
    propose_again_ = false;
    propose_ready(ctx);
  } while (propose_again_ && !in_view_change_);
  proposing_ = false;
}

void Pbft::propose_ready(Context& ctx) {
  const Chain& chain = ctx.ledger();
  // A primary that has not executed up to the low watermark cannot tell which transactions the
  // blocks below it hold: it proposes once it has caught up.
  if (chain.height() < low_) return;
  for (;;) {
    if (queue_.empty()) break;
    const Height seq = std::max({chain.height(), low_, last_accepted()}) + 1;
    if (seq > low_ + params_.log_window) break;
    if (seq - 1 - chain.height() >= params_.max_inflight_blocks) break;
    // Transactions in the in-flight blocks or already committed are left out.
    std::unordered_set<Hash256, Hash256Hasher> inflight;
    for (auto it = accepted_.upper_bound(chain.height()); it != accepted_.end(); ++it) {
      for (const TxRef& tx : it->second.block->txs) inflight.insert(tx->id);
    }
    std::vector<TxRef> keep;
    std::vector<TxRef> take;
    std::uint64_t bytes = 0;
    bool full = false;
    for (const TxRef& tx : queue_) {
      if (committed_ids_.contains(tx->id) || inflight.contains(tx->id)) {
        queued_ids_.erase(tx->id);
        continue;
      }
      const std::uint64_t size = tx->encoded_size();
      if (full || (!take.empty() && bytes + size > params_.max_block_bytes)) {
        full = true;
        keep.push_back(tx);
        continue;
      }
      take.push_back(tx);
      bytes += size;
      if (take.size() >= params_.max_block_tx || bytes >= params_.max_block_bytes) full = true;
    }
    if (take.empty()) {
      queue_.clear();
      break;
    }
    if (!full && !batch_due_) {
      // A partial block waits for the batch timeout.
      take.insert(take.end(), keep.begin(), keep.end());
      queue_ = std::move(take);
      break;
    }
    queue_ = std::move(keep);
    for (const TxRef& tx : take) queued_ids_.erase(tx->id);
    const std::optional<Hash256> prev = base_hash(ctx, seq - 1);
    if (!prev) break;
    propose(ctx, std::move(take), seq, *prev);
  }
  if (queue_.empty()) {
    batch_due_ = false;
    cancel_timer(ctx, batch_timer_);
  } else if (!batch_timer_ && !batch_due_) {
    batch_timer_ = ctx.set_timer(params_.batch_timeout_ns, kBatchTimer);
  }
}

void Pbft::propose(Context& ctx, std::vector<TxRef> txs, Height seq, const Hash256& prev) {
  BlockRef block = ctx.crypto().seal_block(seq, prev, view_, std::move(txs));
  SignedVote pp;
  pp.kind = vote_kind(PbftVoteKind::kPrePrepare);
  pp.height = seq;
  pp.epoch = view_;
  pp.block_hash = block->hash;
  ctx.crypto().sign_vote(pp);
  max_voted_seq_ = std::max(max_voted_seq_, seq);
  const Message msg = encode_message(PrePrepare{pp, block->encode()});
  if (!equivocate_) {
    ctx.broadcast(msg);
  } else {
    // Equivocation: an empty block for the same (view, seq, parent) to [0, n/2), the real one to
    // the rest; and commit votes for both at once.
    BlockRef alt = ctx.crypto().seal_block(seq, prev, view_, {});
    SignedVote alt_pp = pp;
    alt_pp.block_hash = alt->hash;
    ctx.crypto().sign_vote(alt_pp);
    const Message alt_msg = encode_message(PrePrepare{alt_pp, alt->encode()});
    for (NodeId to = 0; to < quorum_.n; ++to) {
      if (to != self_) ctx.send(to, to < quorum_.n / 2 ? alt_msg : msg);
    }
    blocks_.emplace(alt->hash, alt);
    send_vote(ctx, PbftVoteKind::kCommit, seq, view_, alt->hash);
  }
  accepted_.emplace(seq, Accepted{pp, block, false});
  blocks_.emplace(block->hash, block);
  if (equivocate_) send_vote(ctx, PbftVoteKind::kCommit, seq, view_, block->hash);
  check_prepared(ctx, seq);
  update_request_timer(ctx);
}

// ---------------------------------------------------------------------------------------------
// Transactions

void Pbft::add_pending(Context& ctx, const TxRef& tx) {
  const std::uint64_t seq = next_pending_seq_++;
  pending_.emplace(seq, Pending{tx, false});
  pending_seq_.emplace(tx->id, seq);
  update_request_timer(ctx);
}

void Pbft::forward_pending(Context& ctx, NodeId to, bool all_replicas) {
  Forward batch;
  std::uint64_t bytes = 0;
  auto flush = [&] {
    if (batch.txs.empty()) return;
    const Message msg = encode_message(batch);
    if (all_replicas) {
      ctx.broadcast(msg);
    } else {
      ctx.send(to, msg);
    }
    batch.txs.clear();
    bytes = 0;
  };
  for (const auto& [seq, p] : pending_) {
    const std::uint64_t size = p.tx->encoded_size();
    if (!batch.txs.empty() && bytes + size > params_.max_block_bytes) flush();
    batch.txs.push_back(p.tx);
    bytes += size;
  }
  flush();
}

void Pbft::handle_forward(Context& ctx, NodeId from, const Forward& m) {
  for (const TxRef& tx : m.txs) {
    if (!tx || committed_ids_.contains(tx->id)) continue;
    if (!in_view_change_ && is_primary()) {
      enqueue(ctx, tx);
      continue;
    }
    // A backup given a transaction (a replica that timed out broadcasts what it waits for, or a
    // forward reached a former primary) watches it like its own: it times the primary on it and
    // hands it to each new primary.
    if (pending_seq_.contains(tx->id)) continue;
    add_pending(ctx, tx);
    if (!in_view_change_ && primary() != from) ctx.send(primary(), encode_message(Forward{{tx}}));
  }
}

// ---------------------------------------------------------------------------------------------
// View change (§4.4)

void Pbft::note_peer_view(Context& ctx, NodeId from, std::uint64_t view) {
  auto [it, fresh] = peer_view_.emplace(from, view);
  const std::uint64_t before = fresh ? 0 : it->second;
  if (!fresh) it->second = std::max(it->second, view);
  // f+1 replicas working in a view this replica has not installed: one correct replica holds its
  // NEW-VIEW; fetch it.
  const std::uint64_t want = in_view_change_ ? view_ : view_ + 1;
  if (want != ahead_view_) {
    // `want` moves only with a view change: recount then.
    ahead_view_ = want;
    ahead_count_ = 0;
    for (const auto& [peer, v] : peer_view_) ahead_count_ += v >= want ? 1 : 0;
  } else if ((fresh || before < want) && it->second >= want) {
    ++ahead_count_;  // this peer has just reached `want`
  }
  const std::uint32_t ahead = ahead_count_;
  if (ahead >= quorum_.f + 1 && want_view_ < want) {
    want_view_ = want;
    maybe_fetch(ctx);
  }
}

void Pbft::start_view_change(Context& ctx, std::uint64_t new_view) {
  if (new_view <= view_) return;
  if (want_view_ < new_view) want_view_ = 0;
  view_ = new_view;
  in_view_change_ = true;
  accepted_.clear();
  queue_.clear();
  queued_ids_.clear();
  batch_due_ = false;
  cancel_timer(ctx, batch_timer_);
  cancel_timer(ctx, vc_timer_);
  subject_pending_.reset();
  subject_seq_.reset();
  last_new_view_.reset();
  view_changes_.erase(view_changes_.begin(), view_changes_.lower_bound(view_));
  if (may_sign()) {
    Message msg;
    CheckedViewChange own = build_view_change(ctx, new_view, msg);
    own_view_changes_[new_view] = own.body;
    view_changes_[new_view][self_] = std::move(own);
    ctx.broadcast(msg);
  }
  garbage_collect(ctx);
  arm_view_change_wait(ctx);
  try_send_new_view(ctx);
  check_join(ctx);
}

CheckedViewChange Pbft::build_view_change(Context& ctx, std::uint64_t new_view, Message& out) {
  CheckedViewChange c;
  c.sender = self_;
  ViewChange& vc = c.vc;
  vc.new_view = new_view;
  if (!proofs_.empty()) {
    const auto& [h, proof] = *proofs_.rbegin();
    vc.head = h;
    vc.head_hash = proof.front().block_hash;
    vc.head_proof = proof;
  }
  std::set<Hash256> included;
  for (auto it = certs_.upper_bound(vc.head); it != certs_.end(); ++it) {
    // The certificate's chain down to head + 1; a certificate on another branch than the proven
    // head is of no use (it cannot have committed) and is left out.
    std::vector<BlockRef> chain;
    Hash256 hash = it->second.hash();
    bool ok = true;
    for (Height h = it->first; h > vc.head; --h) {
      auto b = blocks_.find(hash);
      if (b == blocks_.end() || b->second->header.height != h) {
        ok = false;
        break;
      }
      chain.push_back(b->second);
      hash = b->second->header.prev_hash;
    }
    if (!ok || hash != vc.head_hash) continue;
    vc.certs.push_back(it->second);
    for (const BlockRef& b : chain) {
      if (!included.insert(b->hash).second) continue;
      vc.blocks.push_back(b->encode());
      c.blocks.emplace(b->hash, b);
    }
  }
  SignedVote& auth = vc.auth;
  auth.kind = vote_kind(PbftVoteKind::kViewChange);
  auth.height = vc.head;
  auth.epoch = new_view;
  auth.block_hash = ctx.crypto().hash(vc.content());
  ctx.crypto().sign_vote(auth);
  out = encode_message(vc);
  c.body.assign(out.view().begin(), out.view().end());
  return c;
}

void Pbft::handle_view_change(Context& ctx, NodeId from, ByteView body) {
  if (std::optional<ViewChange> raw = decode_view_change(body);
      raw && (raw->new_view < view_ || (raw->new_view == view_ && !in_view_change_))) {
    // The sender is still trying to reach a view this replica has left or installed. Help it
    // finish: the primary of that view re-sends its NEW-VIEW; a replica that had sent a
    // VIEW-CHANGE for that view and moved on re-sends it (the same message, so no new promise),
    // since the sender may have missed it and wait for 2f+1 forever.
    if (raw->new_view == view_ && !in_view_change_ && is_primary() && last_new_view_) {
      ctx.send(from, Message::make(static_cast<std::uint16_t>(PbftMessageType::kNewView),
                                   *last_new_view_));
    } else if (auto own = own_view_changes_.find(raw->new_view); own != own_view_changes_.end()) {
      ctx.send(from, Message::make(static_cast<std::uint16_t>(PbftMessageType::kViewChange),
                                   own->second));
    }
    return;
  }
  std::optional<CheckedViewChange> c = parse_view_change(ctx.crypto(), quorum_, from, body);
  if (!c) return;
  const std::uint64_t v = c->vc.new_view;
  if (v < view_ || (v == view_ && !in_view_change_)) return;
  if (auto it = view_changes_.find(v); it != view_changes_.end() && it->second.contains(from)) {
    return;
  }
  const std::vector<std::uint8_t> ok = ctx.crypto().verify_votes(c->votes);
  if (std::find(ok.begin(), ok.end(), 0) != ok.end()) return;
  view_changes_[v].emplace(from, std::move(*c));
  check_join(ctx);
  if (in_view_change_ && v == view_) {
    arm_view_change_wait(ctx);
    try_send_new_view(ctx);
  }
}

void Pbft::check_join(Context& ctx) {
  // §4.5.2: f+1 valid VIEW-CHANGEs for views above ours; join the smallest view of such a set.
  std::map<NodeId, std::uint64_t> highest;
  for (const auto& [v, senders] : view_changes_) {
    if (v <= view_) continue;
    for (const auto& [sender, vc] : senders) {
      if (sender != self_) highest[sender] = std::max(highest[sender], v);
    }
  }
  if (highest.size() < quorum_.f + 1) return;
  std::vector<std::uint64_t> views;
  for (const auto& [sender, v] : highest) views.push_back(v);
  std::sort(views.begin(), views.end(), std::greater<>());
  start_view_change(ctx, views[quorum_.f]);
}

void Pbft::arm_view_change_wait(Context& ctx) {
  if (!in_view_change_ || (vc_timer_ && vc_timer_waits_)) return;
  auto it = view_changes_.find(view_);
  const std::size_t have = it == view_changes_.end() ? 0 : it->second.size();
  // §4.5.2: the timer starts once 2f+1 VIEW-CHANGEs for this view are in (a replica that does not
  // sign yet counts itself, or it would never time out). Until then the same timer paces the
  // retransmission of this replica's own VIEW-CHANGE.
  if (have + (may_sign() ? 0 : 1) >= quorum_.q) {
    cancel_timer(ctx, vc_timer_);
    vc_timer_ = ctx.set_timer(params_.view_change_timeout_ns << vc_attempts_, kViewChangeTimer);
    vc_timer_waits_ = true;
  } else if (!vc_timer_) {
    vc_timer_ = ctx.set_timer(params_.view_change_timeout_ns, kViewChangeTimer);
    vc_timer_waits_ = false;
  }
}

void Pbft::try_send_new_view(Context& ctx) {
  if (!in_view_change_ || !is_primary() || !may_sign()) return;
  auto it = view_changes_.find(view_);
  if (it == view_changes_.end() || it->second.size() < quorum_.q || !it->second.contains(self_)) {
    return;
  }
  std::vector<const CheckedViewChange*> vcs;
  for (const auto& [sender, c] : it->second) vcs.push_back(&c);
  std::optional<NewViewPlan> plan = plan_new_view(vcs);
  if (!plan) return;
  NewView nv;
  nv.view = view_;
  for (const CheckedViewChange* c : vcs) nv.view_changes.push_back(c->body);
  for (const BlockRef& b : plan->chain) {
    SignedVote pp;
    pp.kind = vote_kind(PbftVoteKind::kPrePrepare);
    pp.height = b->header.height;
    pp.epoch = view_;
    pp.block_hash = b->hash;
    ctx.crypto().sign_vote(pp);
    nv.pre_prepares.push_back(pp);
    max_voted_seq_ = std::max(max_voted_seq_, pp.height);
  }
  const Message msg = encode_message(nv);
  ctx.broadcast(msg);
  install_view(ctx, view_, *plan, nv.pre_prepares, Bytes(msg.view().begin(), msg.view().end()));
}

void Pbft::handle_new_view(Context& ctx, NodeId from, ByteView body, bool relayed) {
  std::optional<NewView> nv = decode_new_view(body);
  if (!nv || nv->view == 0) return;
  if (nv->view < view_ || (nv->view == view_ && !in_view_change_)) return;
  if (!relayed && from != quorum_.primary(nv->view)) return;
  if (nv->view_changes.size() < quorum_.q || nv->view_changes.size() > quorum_.n) return;
  std::vector<CheckedViewChange> vcs;
  vcs.reserve(nv->view_changes.size());
  std::vector<SignedVote> votes;
  std::set<NodeId> senders;
  for (const Bytes& b : nv->view_changes) {
    std::optional<ViewChange> raw = decode_view_change(b);
    if (!raw || raw->new_view != nv->view || !senders.insert(raw->auth.voter).second) return;
    std::optional<CheckedViewChange> c =
        parse_view_change(ctx.crypto(), quorum_, raw->auth.voter, b);
    if (!c) return;
    votes.insert(votes.end(), c->votes.begin(), c->votes.end());
    vcs.push_back(std::move(*c));
  }
  std::sort(vcs.begin(), vcs.end(), [](const CheckedViewChange& a, const CheckedViewChange& b) {
    return a.sender < b.sender;
  });
  std::vector<const CheckedViewChange*> ptrs;
  for (const CheckedViewChange& c : vcs) ptrs.push_back(&c);
  std::optional<NewViewPlan> plan = plan_new_view(ptrs);
  if (!plan || plan->chain.size() != nv->pre_prepares.size()) return;
  for (std::size_t i = 0; i < plan->chain.size(); ++i) {
    const SignedVote& pp = nv->pre_prepares[i];
    if (pp.kind != vote_kind(PbftVoteKind::kPrePrepare) || pp.epoch != nv->view ||
        pp.voter != quorum_.primary(nv->view) || pp.height != plan->floor + 1 + i ||
        pp.block_hash != plan->chain[i]->hash) {
      return;
    }
  }
  // Every signature in the NEW-VIEW in one batch: the view-changes, their certificates and
  // proofs, and the re-proposals.
  votes.insert(votes.end(), nv->pre_prepares.begin(), nv->pre_prepares.end());
  const std::vector<std::uint8_t> ok = ctx.crypto().verify_votes(votes);
  if (std::find(ok.begin(), ok.end(), 0) != ok.end()) return;
  install_view(ctx, nv->view, *plan, nv->pre_prepares, Bytes(body.begin(), body.end()));
}

void Pbft::install_view(Context& ctx, std::uint64_t view, const NewViewPlan& plan,
                        const std::vector<SignedVote>& pre_prepares, Bytes new_view_body) {
  view_ = view;
  in_view_change_ = false;
  last_new_view_ = std::move(new_view_body);
  if (want_view_ <= view_) want_view_ = 0;
  cancel_timer(ctx, vc_timer_);
  subject_pending_.reset();
  subject_seq_.reset();
  accepted_.clear();
  queue_.clear();
  queued_ids_.clear();
  batch_due_ = false;
  cancel_timer(ctx, batch_timer_);
  view_changes_.erase(view_changes_.begin(), view_changes_.upper_bound(view_));
  own_view_changes_.erase(own_view_changes_.begin(), own_view_changes_.upper_bound(view_));
  note_leader(ctx);
  if (plan.floor > 0) {
    proofs_.emplace(plan.floor, plan.floor_proof);
    set_low(plan.floor, plan.floor_hash);
    raise_fetch_target(ctx, plan.floor);
  }
  garbage_collect(ctx);
  // O: the re-proposals, accepted as pre-prepares of this view (the primary proposes nothing
  // of its own before all of them are in).
  installing_ = true;
  for (std::size_t i = 0; i < plan.chain.size(); ++i) {
    bool drop = false;
    try_accept(ctx, pre_prepares[i], plan.chain[i], drop);
  }
  installing_ = false;
  // Messages of this view that came before its NEW-VIEW.
  try_accept_buffered(ctx);
  // Copied first: what these trigger (execution, garbage collection) may erase entries.
  std::vector<VoteKey> entries;
  for (const auto& [seq, a] : accepted_) entries.emplace_back(seq, view_, a.block->hash);
  for (const VoteKey& key : entries) check_prepared(ctx, std::get<0>(key));
  for (const VoteKey& key : entries) note_commit_quorum(ctx, key);
  if (is_primary()) {
    std::vector<TxRef> waiting;
    for (const auto& [seq, p] : pending_) waiting.push_back(p.tx);
    for (const TxRef& tx : waiting) enqueue(ctx, tx);
  } else {
    forward_pending(ctx, primary(), false);
  }
  update_request_timer(ctx);
  execute_ready(ctx);
  try_propose(ctx);
  maybe_fetch(ctx);
}

// ---------------------------------------------------------------------------------------------
// State transfer

bool Pbft::behind(const Context& ctx) const {
  return fetch_target_ > ctx.ledger().height() || want_view_ > 0;
}

void Pbft::raise_fetch_target(Context& ctx, Height height) {
  fetch_target_ = std::max(fetch_target_, height);
  maybe_fetch(ctx);
}

void Pbft::maybe_fetch(Context& ctx) {
  // Waits one retry interval first: what is missing is usually still in flight.
  if (!behind(ctx) || fetch_timer_) return;
  fetch_timer_ = ctx.set_timer(params_.fetch_retry_ns, kFetchTimer);
}

void Pbft::send_fetch(Context& ctx, std::uint64_t want_view) {
  ctx.broadcast(encode_message(Fetch{ctx.ledger().next_height(), std::max(want_view, want_view_)}));
  cancel_timer(ctx, fetch_timer_);
  fetch_timer_ = ctx.set_timer(params_.fetch_retry_ns, kFetchTimer);
}

void Pbft::handle_fetch(Context& ctx, NodeId from, const Fetch& m) {
  const Chain& chain = ctx.ledger();
  FetchReply reply;
  reply.replier_head = chain.height();
  if (m.from_height <= chain.height()) {
    // Up to max_fetch_blocks, ending at a height this replica holds a finality proof for (the
    // nearest one above when none is in range).
    const Height cap = std::min(chain.height(), m.from_height + params_.max_fetch_blocks - 1);
    std::optional<Height> end;
    auto it = proofs_.upper_bound(cap);
    if (it != proofs_.begin() && std::prev(it)->first >= m.from_height) {
      end = std::prev(it)->first;
    } else if (it != proofs_.end() && it->first <= chain.height()) {
      end = it->first;
    }
    if (end) {
      for (Height h = m.from_height; h <= *end; ++h) reply.blocks.push_back(chain.at(h)->encode());
      reply.proof = proofs_.at(*end);
    }
  }
  if (m.want_view > 0 && !in_view_change_ && view_ >= m.want_view && last_new_view_) {
    reply.new_view = last_new_view_;
  }
  if (reply.blocks.empty() && !reply.new_view) return;
  ctx.send(from, encode_message(reply));
}

void Pbft::handle_fetch_reply(Context& ctx, NodeId from, const FetchReply& m) {
  if (m.new_view) handle_new_view(ctx, from, *m.new_view, true);
  const Chain& chain = ctx.ledger();
  if (m.blocks.empty() || m.proof.empty()) return;
  std::vector<BlockRef> run;
  for (const Bytes& encoded : m.blocks) {
    std::optional<BlockRef> b = ctx.crypto().decode_block(encoded);
    if (!b || !*b) return;
    run.push_back(std::move(*b));
  }
  const BlockRef& last = run.back();
  if (last->header.height <= chain.height()) return;  // nothing new
  for (std::size_t i = 1; i < run.size(); ++i) {
    if (run[i]->header.height != run[i - 1]->header.height + 1 ||
        run[i]->header.prev_hash != run[i - 1]->hash) {
      return;
    }
  }
  const Height first = run.front()->header.height;
  if (first > chain.next_height()) return;
  const BlockRef& link = run[chain.next_height() - first];
  if (link->header.prev_hash != chain.head_hash()) return;
  if (!proof_shape_ok(quorum_, m.proof, last->header.height, last->hash)) return;
  const std::vector<std::uint8_t> ok = ctx.crypto().verify_votes(m.proof);
  if (std::find(ok.begin(), ok.end(), 0) != ok.end()) return;
  proofs_[last->header.height] = m.proof;
  for (std::size_t i = chain.next_height() - first; i < run.size(); ++i) {
    blocks_.emplace(run[i]->hash, run[i]);
  }
  execute_ready(ctx);
  if (m.replier_head > chain.height()) {
    fetch_target_ = std::max(fetch_target_, m.replier_head);
    send_fetch(ctx, 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Timers

void Pbft::update_request_timer(Context& ctx) {
  if (in_view_change_) return;
  const Height executed = ctx.ledger().height();
  if (vc_timer_) {
    // Still waiting for the subject it was armed for: keep it (§4.4: the timer is restarted only
    // when that request executes and another is waiting).
    const bool pending_waits = subject_pending_ && pending_.contains(*subject_pending_);
    const bool seq_waits = subject_seq_ && *subject_seq_ > executed;
    if (pending_waits || seq_waits) return;
    cancel_timer(ctx, vc_timer_);
  }
  subject_pending_.reset();
  subject_seq_.reset();
  if (!pending_.empty()) subject_pending_ = pending_.begin()->first;
  if (auto it = accepted_.upper_bound(executed); it != accepted_.end()) subject_seq_ = it->first;
  if (!subject_pending_ && !subject_seq_) return;
  vc_timer_ = ctx.set_timer(params_.view_change_timeout_ns, kViewChangeTimer);
  vc_timer_waits_ = false;
}

void Pbft::cancel_timer(Context& ctx, std::optional<TimerId>& timer) {
  if (timer) ctx.cancel_timer(*timer);
  timer.reset();
}

}  // namespace hlsim
