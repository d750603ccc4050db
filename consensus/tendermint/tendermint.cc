// Tendermint's Protocol glue; the contract is in tendermint.h, the rules in tendermint_core.h.
#include "consensus/tendermint/tendermint.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace hlsim {

// Every entry point runs inside a Job: the host callbacks the core makes use its context, and
// the follow-ups (replaying buffered messages, the stall timer) run once the input is handled.
class Tendermint::Job {
 public:
  Job(Tendermint& t, Context& ctx) : t_(t) { t_.ctx_ = &ctx; }
  ~Job() {
    t_.after_job();
    t_.ctx_ = nullptr;
  }
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

 private:
  Tendermint& t_;
};

Tendermint::Tendermint(const TendermintParams& params, NodeId self, std::uint32_t nodes,
                       bool equivocate)
    : params_(params),
      self_(self),
      nodes_(nodes),
      equivocate_(equivocate),
      core_(self, nodes, equivocate) {
  if (Status s = params.check(); !s.ok()) throw std::invalid_argument(s.error().message);
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

void Tendermint::start(Context& ctx) {
  Job job(*this, ctx);
  rebuild_committed_ids();
  core_.start_height(ctx.ledger().next_height());
  // "upon start do StartRound(0)" (line 10).
  core_.start_round(*this, 0);
}

void Tendermint::on_restart(Context& ctx, bool storage_lost) {
  Job job(*this, ctx);
  timers_.forget_all();
  mempool_.clear();
  next_height_msgs_.clear();
  helped_.clear();
  sync_.reset_volatile();
  if (storage_lost) sync_.forget_certificates();
  rebuild_committed_ids();
  core_.clear_log();
  progress_ = Progress{};
  replayed_height_ = 0;
  const Height next = ctx.ledger().next_height();
  if (next > core_.height()) {
    throw std::logic_error("Tendermint: node " + std::to_string(self_) +
                           " has a chain beyond its consensus height");
  }
  catching_up_ = next < core_.height();
  if (storage_lost) {
    // The chain may be behind the network even when it is not behind the kept height: ask.
    send_fetch(BlockSync::next_peer(self_, self_, nodes_));
  }
  if (!catching_up_) resume_core();
}

void Tendermint::resume_core() {
  // The message log was lost; what this node itself signed in this height was not.
  for (const auto& [round, own] : own_proposals_) {
    for (const ProposalRecord& p : own.records) core_.record_own_proposal(round, p);
  }
  for (const auto& [key, votes] : signed_votes_) {
    for (const SignedVote& v : votes) core_.record_own_vote(v);
  }
  if (core_.step() == Step::kNewHeight) {
    timers_.arm(*ctx_, TimerKind::kCommit, params_.timeout_commit_ns, core_.height(), 0);
  }
  const Round round = core_.round();
  core_.resume(*this);
  // Peers stalled for lack of this node's messages get them now (not those of a proposal just
  // made: resume sent those).
  if (core_.round() == round && core_.step() != Step::kNewHeight &&
      core_.step() != Step::kPropose) {
    resend_round(round, std::nullopt);
  }
}

void Tendermint::rebuild_committed_ids() {
  committed_ids_.clear();
  for (const BlockRef& b : ctx_->ledger().blocks()) {
    for (const TxRef& tx : b->txs) committed_ids_.insert(tx->id);
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs

void Tendermint::on_transaction(Context& ctx, const TxRef& tx) {
  Job job(*this, ctx);
  if (!tx || committed_ids_.contains(tx->id) || !mempool_.add(tx, true)) return;
  if (!timers_.armed(TimerKind::kMempoolGossip)) {
    timers_.arm(ctx, TimerKind::kMempoolGossip, params_.mempool_gossip_ns);
  }
  if (!catching_up_) core_.on_value_ready(*this);
}

void Tendermint::on_message(Context& ctx, NodeId from, const Message& msg) {
  if (from >= nodes_ || from == self_) return;
  Job job(*this, ctx);
  dispatch(from, msg);
}

void Tendermint::dispatch(NodeId from, const Message& msg) {
  // Malformed bodies are dropped: no reply, no state change.
  const auto type = static_cast<TendermintMessageType>(msg.type);
  switch (type) {
    case TendermintMessageType::kProposal:
      handle_proposal(from, msg);
      return;
    case TendermintMessageType::kPrevote:
    case TendermintMessageType::kPrecommit:
      handle_vote(from, type, msg);
      return;
    case TendermintMessageType::kTxGossip:
      handle_tx_gossip(msg);
      return;
    case TendermintMessageType::kFetch:
      handle_fetch(from, msg);
      return;
    case TendermintMessageType::kCommitSync:
      handle_commit_sync(from, msg);
      return;
  }
}

void Tendermint::on_timer(Context& ctx, TimerId id, std::uint64_t tag) {
  if (tag == 0 || tag >= kTimerKinds) return;
  const auto kind = static_cast<TimerKind>(tag);
  const std::optional<TimerSet::Armed> armed = timers_.fire(kind, id);
  if (!armed) return;
  Job job(*this, ctx);
  switch (kind) {
    case TimerKind::kPropose:
      if (!catching_up_)
        core_.on_timeout(*this, TimeoutKind::kPropose, armed->height, armed->round);
      return;
    case TimerKind::kPrevote:
      if (!catching_up_)
        core_.on_timeout(*this, TimeoutKind::kPrevote, armed->height, armed->round);
      return;
    case TimerKind::kPrecommit:
      if (!catching_up_) {
        core_.on_timeout(*this, TimeoutKind::kPrecommit, armed->height, armed->round);
      }
      return;
    case TimerKind::kCommit:
      if (!catching_up_ && core_.step() == Step::kNewHeight && core_.height() == armed->height) {
        core_.start_round(*this, 0);
      }
      return;
    case TimerKind::kMempoolGossip: {
      std::vector<TxRef> txs = mempool_.take_gossip();
      if (!txs.empty()) ctx.broadcast(encode_tx_gossip(txs));
      return;
    }
    case TimerKind::kGossipRetry: {
      // The round stalled in prevote / precommit (votes lost, a partition, a peer that restarted):
      // send this node's messages of the round again, and keep doing so while it stays stalled.
      const bool stalled = !catching_up_ && core_.height() == armed->height &&
                           core_.round() == armed->round &&
                           (core_.step() == Step::kPrevote || core_.step() == Step::kPrecommit);
      if (!stalled) return;
      resend_round(core_.round(), std::nullopt);
      timers_.arm(ctx, TimerKind::kGossipRetry, params_.gossip_retry_ns, armed->height,
                  armed->round);
      return;
    }
    case TimerKind::kSyncRetry: {
      if (!behind()) {
        sync_.fetch_done();
        return;
      }
      // A request that brought everything it could is followed up with the same peer; one that
      // did not goes to the next peer.
      const std::optional<BlockSync::Fetch>& f = sync_.outstanding();
      NodeId peer = BlockSync::next_peer(self_, self_, nodes_);
      if (f) {
        peer =
            ctx.ledger().height() >= f->to ? f->peer : BlockSync::next_peer(f->peer, self_, nodes_);
      }
      send_fetch(peer);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Consensus messages

bool Tendermint::observe(NodeId from, Height height, Round round, const Message& msg,
                         bool relayed) {
  Context& ctx = *ctx_;
  const Height next = ctx.ledger().next_height();
  if (height > next) {
    // The sender has committed height - 1, which this node has not: catch up.
    sync_.saw_committed(height - 1);
    maybe_fetch(from);
  }
  if (height < next) {
    // The sender is behind. During the commit wait, messages of the height just decided are
    // expected (late votes); otherwise send it that height's block and certificate.
    const bool late =
        height + 1 == next && core_.height() == next && core_.step() == Step::kNewHeight;
    if (!late && height >= 1 && sync_.may_push(from, height, ctx.now(), params_.gossip_retry_ns)) {
      send_commit_sync(from, height);
    }
    return false;
  }
  if (catching_up_) return false;  // no judging messages of a height the chain has not reached
  if (height == next + 1) {
    if (next_height_msgs_.size() < kNextHeightBufferPerNode * nodes_) {
      next_height_msgs_.emplace_back(from, msg);
    }
    return false;
  }
  if (height != next) return false;
  if (!relayed && round < core_.round() && core_.step() != Step::kNewHeight) {
    // The sender is in an earlier round of this height: send it this node's messages of its
    // round, once per round, so that it can skip ahead (line 55) without waiting for retries.
    auto it = helped_.find(from);
    const std::pair<Height, Round> now_at{core_.height(), core_.round()};
    if (it == helped_.end() || it->second != now_at) {
      helped_[from] = now_at;
      resend_round(core_.round(), from);
    }
  }
  return true;
}

void Tendermint::handle_proposal(NodeId from, const Message& msg) {
  Context& ctx = *ctx_;
  std::optional<Proposal> m = decode_proposal(msg.view());
  if (!m) return;
  const NodeId expected = proposer(m->height, m->round, nodes_);
  if (from != expected) return;  // proposals come straight from their proposer
  if (!observe(from, m->height, m->round, msg)) return;
  std::optional<BlockRef> block = ctx.crypto().decode_block_in(msg, m->block);
  if (!block || !*block) return;
  if (!core_.wants_proposal(m->round, (*block)->hash)) return;
  const Bytes signed_bytes =
      proposal_sign_bytes(m->height, m->round, m->valid_round, (*block)->hash);
  if (!ctx.crypto().verify(ctx.crypto().public_key_of(expected), signed_bytes, m->signature)) {
    return;
  }
  const bool valid = valid_block(**block, m->round, m->valid_round);
  core_.on_proposal(*this, m->round, std::move(*block), m->valid_round, valid);
}

bool Tendermint::valid_block(const Block& block, Round round, std::int64_t valid_round) const {
  const Chain& chain = ctx_->ledger();
  if (block.header.height != chain.next_height() || block.header.prev_hash != chain.head_hash()) {
    return false;
  }
  if (valid_round == kNoRound) {
    if (block.header.proposer != proposer(block.header.height, round, nodes_) ||
        block.header.epoch != round) {
      return false;
    }
  } else if (block.header.epoch > static_cast<std::uint64_t>(valid_round)) {
    return false;
  }
  if (block.txs.size() > params_.max_block_tx || block.payload_bytes() > params_.max_block_bytes) {
    return false;
  }
  std::unordered_set<Hash256, Hash256Hasher> seen;
  for (const TxRef& tx : block.txs) {
    if (committed_ids_.contains(tx->id) || !seen.insert(tx->id).second) return false;
  }
  return true;
}

void Tendermint::handle_vote(NodeId from, TendermintMessageType type, const Message& msg) {
  Context& ctx = *ctx_;
  std::optional<SignedVote> v = decode_vote(type, msg.view());
  if (!v) return;
  if (type == TendermintMessageType::kPrecommit && collect_late_precommit(*v)) return;
  if (!observe(from, v->height, v->epoch, msg, v->voter != from)) return;
  if (!core_.wants_vote(*v)) return;
  const std::vector<std::uint8_t> ok = ctx.crypto().verify_votes(std::span(&*v, 1));
  if (ok.empty() || ok[0] == 0) return;
  core_.on_vote(*this, *v);
}

bool Tendermint::collect_late_precommit(const SignedVote& vote) {
  // Tendermint Core keeps adding precommits for the decided block to its commit during the commit
  // wait; here they join the certificate the node serves to peers that catch up.
  Context& ctx = *ctx_;
  const Height decided = ctx.ledger().height();
  if (vote.height != decided || decided == 0 || core_.height() != decided + 1 ||
      core_.step() != Step::kNewHeight) {
    return false;
  }
  const Hash256& hash = ctx.ledger().at(decided)->hash;
  if (!sync_.wants_precommit(decided, hash, vote)) return true;
  const std::vector<std::uint8_t> ok = ctx.crypto().verify_votes(std::span(&vote, 1));
  if (!ok.empty() && ok[0] != 0) sync_.add_precommit(decided, hash, vote);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Host callbacks: what the core casts

bool Tendermint::wait_for_txs() { return !params_.create_empty_blocks && mempool_.empty(); }

BlockRef Tendermint::seal_fresh(Round round, bool with_txs) {
  Context& ctx = *ctx_;
  std::vector<TxRef> txs;
  if (with_txs) txs = mempool_.select(params_.max_block_tx, params_.max_block_bytes);
  return ctx.crypto().seal_block(ctx.ledger().next_height(), ctx.ledger().head_hash(), round,
                                 std::move(txs));
}

Message Tendermint::proposal_message(Round round, std::int64_t valid_round, const BlockRef& block) {
  Context& ctx = *ctx_;
  const Bytes encoded = block->encode();
  Proposal p;
  p.height = core_.height();
  p.round = round;
  p.valid_round = valid_round;
  p.block = encoded;
  p.signature = ctx.crypto().sign(proposal_sign_bytes(p.height, round, valid_round, block->hash));
  return encode_proposal(p);
}

std::vector<ProposalRecord> Tendermint::propose(Round round, const BlockRef& value,
                                                std::int64_t valid_round) {
  Context& ctx = *ctx_;
  if (auto it = own_proposals_.find(round); it != own_proposals_.end()) {
    // Proposed in this round before a restart: the same proposal again, never another.
    for (const auto& [to, msg] : it->second.sends) {
      for (NodeId n : to) ctx.send(n, msg);
    }
    if (value) send_proof_of_lock(std::nullopt);
    return it->second.records;
  }
  OwnProposal own;
  const BlockRef a = value ? value : seal_fresh(round, true);
  const std::int64_t vr_a = value ? valid_round : kNoRound;
  own.records.push_back(ProposalRecord{a, vr_a, true});
  const Message ma = proposal_message(round, vr_a, a);
  std::vector<NodeId> first;
  std::vector<NodeId> second;
  for (NodeId n = 0; n < nodes_; ++n) {
    if (n != self_) (n < nodes_ / 2 ? first : second).push_back(n);
  }
  BlockRef b;
  if (equivocate_) {
    // A second block for the same height and round: an empty one (or, when `a` is validValue, a
    // fresh one from the mempool).
    b = seal_fresh(round, value != nullptr);
    if (b->hash == a->hash) b.reset();  // nothing to make it differ: a single proposal
  }
  if (!b) {
    std::vector<NodeId> all = first;
    all.insert(all.end(), second.begin(), second.end());
    ctx.broadcast(ma);
    own.sends.emplace_back(std::move(all), ma);
  } else {
    own.records.push_back(ProposalRecord{b, kNoRound, true});
    const Message mb = proposal_message(round, kNoRound, b);
    own.sends.emplace_back(first, ma);
    own.sends.emplace_back(second, mb);
    own.sends.emplace_back(first, mb);
    own.sends.emplace_back(second, ma);
    for (const auto& [to, msg] : own.sends) {
      for (NodeId n : to) ctx.send(n, msg);
    }
  }
  if (value) send_proof_of_lock(std::nullopt);
  std::vector<ProposalRecord> records = own.records;
  own_proposals_.emplace(round, std::move(own));
  return records;
}

std::optional<SignedVote> Tendermint::vote(VoteKind kind, Round round, const Hash256& block_hash) {
  Context& ctx = *ctx_;
  std::vector<SignedVote>& signed_here = signed_votes_[{static_cast<std::uint8_t>(kind), round}];
  for (const SignedVote& v : signed_here) {
    if (v.block_hash == block_hash) return v;
  }
  if (!signed_here.empty() && !equivocate_) {
    // Never two different votes for one height, round and step: re-send the one signed.
    ctx.broadcast(encode_vote(signed_here.front()));
    return signed_here.front();
  }
  SignedVote v;
  v.kind = static_cast<std::uint8_t>(kind);
  v.height = core_.height();
  v.epoch = round;
  v.block_hash = block_hash;
  ctx.crypto().sign_vote(v);
  signed_here.push_back(v);
  ctx.broadcast(encode_vote(v));
  return v;
}

void Tendermint::schedule_timeout(TimeoutKind kind, Height height, Round round) {
  timers_.arm(*ctx_, timer_for(kind), round_timeout(params_, kind, round), height, round);
}

void Tendermint::decide(Round round, const BlockRef& block, std::vector<SignedVote> precommits) {
  std::sort(precommits.begin(), precommits.end(),
            [](const SignedVote& a, const SignedVote& b) { return a.voter < b.voter; });
  commit_block(block, CommitCertificate{round, std::move(precommits)});
  // The core moves to the next height when this returns.
  new_height_bookkeeping();
  timers_.arm(*ctx_, TimerKind::kCommit, params_.timeout_commit_ns, block->header.height + 1, 0);
}

void Tendermint::round_started(Height height, Round round) {
  timers_.cancel(*ctx_, TimerKind::kCommit);
  ctx_->note_leader(view_number(height, round), proposer(height, round, nodes_));
}

// ---------------------------------------------------------------------------------------------
// Commits and catching up

void Tendermint::commit_block(const BlockRef& block, CommitCertificate certificate) {
  Context& ctx = *ctx_;
  const Chain& chain = ctx.ledger();
  if (block->header.height != chain.next_height() || block->header.prev_hash != chain.head_hash()) {
    throw std::logic_error("Tendermint: node " + std::to_string(self_) +
                           " decided a block that does not extend its chain at height " +
                           std::to_string(block->header.height));
  }
  ctx.commit(block);
  sync_.store(block->header.height, std::move(certificate));
  mempool_.remove_committed(*block);
  for (const TxRef& tx : block->txs) committed_ids_.insert(tx->id);
}

void Tendermint::new_height_bookkeeping() {
  signed_votes_.clear();
  own_proposals_.clear();
  helped_.clear();
  timers_.cancel(*ctx_, TimerKind::kPropose);
  timers_.cancel(*ctx_, TimerKind::kPrevote);
  timers_.cancel(*ctx_, TimerKind::kPrecommit);
}

void Tendermint::send_commit_sync(NodeId to, Height height) {
  Context& ctx = *ctx_;
  const CommitCertificate* cert = sync_.certificate(height);
  if (cert == nullptr || height == 0 || height > ctx.ledger().height()) return;
  const Bytes encoded = ctx.ledger().at(height)->encode();
  CommitSync m;
  m.sender_height = ctx.ledger().height();
  m.block = encoded;
  m.precommits = cert->precommits;
  ctx.send(to, encode_commit_sync(m));
}

void Tendermint::handle_fetch(NodeId from, const Message& msg) {
  std::optional<Height> first = decode_fetch(msg.view());
  if (!first) return;
  const Height have = ctx_->ledger().height();
  const Height last = std::min(have, *first + params_.max_sync_blocks - 1);
  for (Height h = *first; h <= last; ++h) send_commit_sync(from, h);
}

void Tendermint::handle_commit_sync(NodeId from, const Message& msg) {
  Context& ctx = *ctx_;
  std::optional<CommitSync> m = decode_commit_sync(msg.view());
  if (!m) return;
  std::optional<Height> height = peek_block_height(m->block);
  if (!height) return;
  sync_.saw_committed(std::max(m->sender_height, *height));
  const Height next = ctx.ledger().next_height();
  if (*height > next) {
    sync_.buffer(*height, next, msg);
    maybe_fetch(from);
    return;
  }
  if (*height < next || !apply_commit_sync(*m)) return;
  // Blocks that arrived ahead of their turn.
  while (std::optional<Message> buffered = sync_.take(ctx.ledger().next_height())) {
    std::optional<CommitSync> b = decode_commit_sync(buffered->view());
    if (!b || !apply_commit_sync(*b)) break;
  }
  sync_.drop_below(ctx.ledger().next_height());
  after_sync_progress();
  if (behind()) maybe_fetch(from);
}

bool Tendermint::apply_commit_sync(const CommitSync& m) {
  Context& ctx = *ctx_;
  std::optional<BlockRef> block = ctx.crypto().decode_block(m.block);
  if (!block || !*block) return false;
  const Block& b = **block;
  if (b.header.height != ctx.ledger().next_height() ||
      b.header.prev_hash != ctx.ledger().head_hash()) {
    return false;
  }
  std::optional<CommitCertificate> cert = verify_commit(ctx.crypto(), b, m.precommits, nodes_);
  if (!cert) return false;
  const Height h = b.header.height;
  commit_block(*block, std::move(*cert));
  if (h == core_.height()) {
    // Decided by the others: this height is over here too.
    new_height_bookkeeping();
    core_.start_height(h + 1);
    timers_.arm(ctx, TimerKind::kCommit, params_.timeout_commit_ns, h + 1, 0);
  }
  finish_catch_up_if_reached();
  return true;
}

void Tendermint::finish_catch_up_if_reached() {
  if (!catching_up_ || ctx_->ledger().next_height() < core_.height()) return;
  catching_up_ = false;
  resume_core();
}

bool Tendermint::behind() const {
  const Chain& chain = ctx_->ledger();
  return catching_up_ || chain.height() < sync_.max_seen();
}

void Tendermint::maybe_fetch(NodeId peer) {
  if (!behind()) return;
  const std::optional<BlockSync::Fetch>& f = sync_.outstanding();
  const bool under_way =
      f && ctx_->now() < f->sent_ns + params_.gossip_retry_ns && ctx_->ledger().height() < f->to;
  if (!under_way) send_fetch(peer);
}

void Tendermint::send_fetch(NodeId peer) {
  Context& ctx = *ctx_;
  const Height from = ctx.ledger().next_height();
  ctx.send(peer, encode_fetch(from));
  sync_.fetched(BlockSync::Fetch{peer, from, from + params_.max_sync_blocks - 1, ctx.now()});
  timers_.arm(ctx, TimerKind::kSyncRetry, params_.gossip_retry_ns);
}

void Tendermint::after_sync_progress() {
  const std::optional<BlockSync::Fetch>& f = sync_.outstanding();
  if (!behind()) {
    sync_.fetch_done();
    timers_.cancel(*ctx_, TimerKind::kSyncRetry);
    return;
  }
  // The request brought all it could: ask the same peer for the next range at once.
  if (f && ctx_->ledger().height() >= f->to) send_fetch(f->peer);
}

// ---------------------------------------------------------------------------------------------
// Transactions

void Tendermint::handle_tx_gossip(const Message& msg) {
  Context& ctx = *ctx_;
  // Every validator receives the same batch: decode it once for all (shared_decode.h).
  const auto txs = decode_shared<std::vector<TxRef>>(ctx.decode_memo(), msg, decode_tx_gossip);
  if (!txs) return;
  bool added = false;
  for (const TxRef& tx : *txs) {
    if (committed_ids_.contains(tx->id) || mempool_.contains(tx->id)) continue;
    // CheckTx: the id is the hash of the body and the client's signature verifies.
    const Bytes body = tx->body();
    if (ctx.crypto().hash(body) != tx->id ||
        !ctx.crypto().verify(tx->signer, body, tx->signature)) {
      continue;
    }
    added |= mempool_.add(tx, false);
  }
  if (added && !catching_up_) core_.on_value_ready(*this);
}

// ---------------------------------------------------------------------------------------------
// Gossip helpers

void Tendermint::resend_round(Round round, std::optional<NodeId> to) {
  Context& ctx = *ctx_;
  auto send = [&](const Message& msg) {
    if (to) {
      ctx.send(*to, msg);
    } else {
      ctx.broadcast(msg);
    }
  };
  if (auto it = own_proposals_.find(round); it != own_proposals_.end()) {
    if (to) {
      // The first message that went to this peer.
      for (const auto& [dests, msg] : it->second.sends) {
        if (std::find(dests.begin(), dests.end(), *to) != dests.end()) {
          ctx.send(*to, msg);
          break;
        }
      }
    } else {
      for (const auto& [dests, msg] : it->second.sends) {
        for (NodeId n : dests) ctx.send(n, msg);
      }
    }
  }
  for (auto kind : {VoteKind::kPrevote, VoteKind::kPrecommit}) {
    auto it = signed_votes_.find({static_cast<std::uint8_t>(kind), round});
    if (it == signed_votes_.end()) continue;
    for (const SignedVote& v : it->second) send(encode_vote(v));
  }
  send_proof_of_lock(to);
}

void Tendermint::send_proof_of_lock(std::optional<NodeId> to) {
  const BlockRef& value = core_.valid_value();
  if (!value || core_.valid_round() < 0) return;
  const TendermintCore::RoundLog* pol = core_.log(static_cast<Round>(core_.valid_round()));
  if (pol == nullptr) return;  // the log did not survive a restart
  for (const SignedVote& v : pol->prevotes.votes_for(value->hash)) {
    const Message msg = encode_vote(v);
    if (to) {
      if (*to != v.voter) ctx_->send(*to, msg);
    } else {
      for (NodeId n = 0; n < nodes_; ++n) {
        if (n != self_ && n != v.voter) ctx_->send(n, msg);
      }
    }
  }
}

void Tendermint::after_job() {
  Context& ctx = *ctx_;
  // Messages of the next height that arrived early are handled once the node gets there.
  for (int pass = 0; pass < 4 && !catching_up_ && core_.height() != replayed_height_; ++pass) {
    replayed_height_ = core_.height();
    std::vector<std::pair<NodeId, Message>> early = std::move(next_height_msgs_);
    next_height_msgs_.clear();
    for (const auto& [from, msg] : early) dispatch(from, msg);
  }
  // The stall timer runs while the node waits in prevote / precommit, for gossip_retry from
  // when it got there.
  const Progress now{core_.height(), core_.round(), core_.step()};
  if (now == progress_) return;
  progress_ = now;
  const bool waits_for_votes = now.step == Step::kPrevote || now.step == Step::kPrecommit;
  if (waits_for_votes && !catching_up_) {
    timers_.arm(ctx, TimerKind::kGossipRetry, params_.gossip_retry_ns, now.height, now.round);
  } else {
    timers_.cancel(ctx, TimerKind::kGossipRetry);
  }
}

}  // namespace hlsim
