// Raft's state machine; the contract is in raft.h. Section numbers cite the paper.
#include "consensus/raft/raft.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

namespace hlsim {

const char* to_string(Raft::Role role) {
  switch (role) {
    case Raft::Role::kFollower:
      return "follower";
    case Raft::Role::kCandidate:
      return "candidate";
    case Raft::Role::kLeader:
      return "leader";
  }
  return "?";
}

Raft::Raft(const RaftParams& params, NodeId self, std::uint32_t nodes)
    : params_(params), self_(self), nodes_(nodes) {
  if (nodes == 0 || self >= nodes) {
    throw std::invalid_argument("Raft: node " + std::to_string(self) + " outside a cluster of " +
                                std::to_string(nodes));
  }
  if (Status s = params.check(); !s.ok()) throw std::invalid_argument(s.error().message);
}

Height Raft::match_index(NodeId peer) const {
  if (role_ != Role::kLeader || peer >= nodes_) return 0;
  return peer == self_ ? log_.last_index() : peers_[peer].match_index;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

void Raft::start(Context& ctx) { reset_volatile(ctx); }

void Raft::on_restart(Context& ctx, bool storage_lost) {
  if (storage_lost) {
    log_ = RaftLog{};
    catching_up_ = true;
  }
  // Timers set before the crash are gone; forget their ids instead of cancelling them.
  election_timer_.reset();
  heartbeat_timer_.reset();
  batch_timer_.reset();
  forward_retry_timer_.reset();
  reset_volatile(ctx);
}

void Raft::reset_volatile(Context& ctx) {
  const Chain& chain = ctx.ledger();
  // The committed chain is the source of truth for what was already committed. A chain that
  // predates this instance's log (committed before the protocol started) seeds the log.
  for (Height h = log_.last_index() + 1; h <= chain.height(); ++h) log_.append(chain.at(h));
  for (Height h = 1; h <= chain.height(); ++h) {
    if (log_.hash_at(h) != chain.at(h)->hash) {
      throw std::logic_error("Raft: log differs from the committed chain at height " +
                             std::to_string(h));
    }
  }
  role_ = Role::kFollower;
  leader_ = kNoNode;
  commit_index_ = chain.height();
  applied_ = chain.height();
  votes_.clear();
  vote_count_ = 0;
  peers_.clear();
  pending_.clear();
  pending_seq_.clear();
  queue_.clear();
  queue_bytes_ = 0;
  queued_ids_.clear();
  cancel_timer(ctx, heartbeat_timer_);
  cancel_timer(ctx, batch_timer_);
  cancel_timer(ctx, forward_retry_timer_);
  arm_election_timer(ctx);
}

// ---------------------------------------------------------------------------------------------
// Inputs

void Raft::on_transaction(Context& ctx, const TxRef& tx) {
  if (!tx || is_committed(tx->id) || pending_seq_.contains(tx->id)) return;
  add_pending(tx);
  if (role_ == Role::kLeader) {
    enqueue(ctx, tx);
    return;
  }
  if (leader_ != kNoNode) {
    ctx.send(leader_, encode_message(Forward{{tx}}));
    pending_.rbegin()->second.forwarded_ns = ctx.now();
  }
  arm_forward_retry(ctx);
}

void Raft::on_message(Context& ctx, NodeId from, const Message& msg) {
  if (from >= nodes_ || from == self_) return;
  const ByteView body = msg.view();
  // Malformed bodies are dropped: the sender gets no reply and the state does not change.
  switch (static_cast<RaftMessageType>(msg.type)) {
    case RaftMessageType::kRequestVote:
      if (auto m = decode_request_vote(body)) handle_request_vote(ctx, from, *m);
      break;
    case RaftMessageType::kVote:
      if (auto m = decode_vote(body)) handle_vote(ctx, from, *m);
      break;
    case RaftMessageType::kAppendEntries:
      if (auto m = decode_append_entries(body)) handle_append_entries(ctx, from, *m);
      break;
    case RaftMessageType::kAppendReply:
      if (auto m = decode_append_reply(body)) handle_append_reply(ctx, from, *m);
      break;
    case RaftMessageType::kForward:
      if (auto m = decode_forward(body)) handle_forward(ctx, *m);
      break;
  }
}

void Raft::on_timer(Context& ctx, TimerId id, std::uint64_t tag) {
  switch (tag) {
    case kElectionTimer:
      if (election_timer_ != id) return;
      election_timer_.reset();
      if (role_ == Role::kLeader) return;
      if (ctx.now() < election_deadline_) {
        // Heard from a leader (or granted a vote) since this timer was set: wait out the rest.
        election_timer_ = ctx.set_timer(election_deadline_ - ctx.now(), kElectionTimer);
        election_fire_ns_ = election_deadline_;
        return;
      }
      if (catching_up_) {
        // No campaigning with a log that may lack committed entries; wait for a leader.
        arm_election_timer(ctx);
        return;
      }
      start_election(ctx);
      return;
    case kHeartbeatTimer:
      if (heartbeat_timer_ != id) return;
      heartbeat_timer_.reset();
      if (role_ != Role::kLeader) return;
      broadcast_heartbeat(ctx);
      heartbeat_timer_ = ctx.set_timer(params_.heartbeat_ns, kHeartbeatTimer);
      return;
    case kBatchTimer:
      if (batch_timer_ != id) return;
      batch_timer_.reset();
      if (role_ == Role::kLeader) seal_queue(ctx);
      return;
    case kForwardRetryTimer:
      if (forward_retry_timer_ != id) return;
      forward_retry_timer_.reset();
      if (role_ == Role::kLeader) return;
      forward_pending(ctx, true);
      arm_forward_retry(ctx);
      return;
    default:
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Roles

void Raft::observe_term(Context& ctx, std::uint64_t term) {
  if (term > current_term_) become_follower(ctx, term, kNoNode);
}

void Raft::become_follower(Context& ctx, std::uint64_t term, NodeId leader) {
  if (term > current_term_) {
    current_term_ = term;
    voted_for_.reset();
    leader_ = kNoNode;
  }
  if (role_ == Role::kLeader) {
    // Queued transactions are dropped here: this node's own clients' are still pending and go to
    // the next leader; forwarded ones are still pending at the followers that forwarded them.
    cancel_timer(ctx, heartbeat_timer_);
    cancel_timer(ctx, batch_timer_);
    queue_.clear();
    queue_bytes_ = 0;
    queued_ids_.clear();
    peers_.clear();
  }
  role_ = Role::kFollower;
  votes_.clear();
  vote_count_ = 0;
  if (!election_timer_) arm_election_timer(ctx);
  if (leader != kNoNode) learn_leader(ctx, leader);
  arm_forward_retry(ctx);
}

void Raft::learn_leader(Context& ctx, NodeId leader) {
  if (leader_ == leader) return;
  leader_ = leader;
  if (noted_term_ < current_term_) {
    noted_term_ = current_term_;
    ctx.note_leader(current_term_, leader);
  }
  forward_pending(ctx, false);
}

void Raft::start_election(Context& ctx) {
  ++current_term_;
  voted_for_ = self_;
  role_ = Role::kCandidate;
  leader_ = kNoNode;
  votes_.assign(nodes_, false);
  votes_[self_] = true;
  vote_count_ = 1;
  arm_election_timer(ctx);
  if (vote_count_ >= majority()) {
    become_leader(ctx);
    return;
  }
  ctx.broadcast(
      encode_message(RequestVote{current_term_, self_, log_.last_index(), log_.last_term()}));
}

void Raft::become_leader(Context& ctx) {
  role_ = Role::kLeader;
  leader_ = self_;
  votes_.clear();
  vote_count_ = 0;
  cancel_timer(ctx, election_timer_);
  cancel_timer(ctx, forward_retry_timer_);
  noted_term_ = current_term_;
  ctx.note_leader(current_term_, self_);
  // Streams to every follower from the end of this log; a follower that lacks entries rejects
  // and is probed back (§5.3).
  peers_.assign(nodes_, Peer{log_.last_index() + 1, 0, Peer::Mode::kReplicate, 0});
  // §8: an empty block of the new term, so entries of earlier terms commit with it (§5.4.2).
  append_own_block(ctx, {});
  // Copied first: in a single-node cluster enqueue() can commit, which erases from pending_.
  std::vector<TxRef> waiting;
  waiting.reserve(pending_.size());
  for (const auto& [seq, p] : pending_) waiting.push_back(p.tx);
  for (const TxRef& tx : waiting) enqueue(ctx, tx);
  heartbeat_timer_ = ctx.set_timer(params_.heartbeat_ns, kHeartbeatTimer);
}

// ---------------------------------------------------------------------------------------------
// Elections

void Raft::handle_request_vote(Context& ctx, NodeId from, const RequestVote& m) {
  if (m.candidate != from) return;
  observe_term(ctx, m.term);
  bool granted = false;
  if (m.term == current_term_ && !catching_up_ && (!voted_for_ || *voted_for_ == from)) {
    // §5.4.1: grant only to a candidate whose log is at least as up to date as ours.
    const bool up_to_date =
        m.last_log_term > log_.last_term() ||
        (m.last_log_term == log_.last_term() && m.last_log_index >= log_.last_index());
    if (up_to_date) {
      voted_for_ = from;
      granted = true;
      arm_election_timer(ctx);
    }
  }
  ctx.send(from, encode_message(Vote{current_term_, granted}));
}

void Raft::handle_vote(Context& ctx, NodeId from, const Vote& m) {
  observe_term(ctx, m.term);
  if (role_ != Role::kCandidate || m.term != current_term_ || !m.granted || votes_[from]) return;
  votes_[from] = true;
  if (++vote_count_ >= majority()) become_leader(ctx);
}

// ---------------------------------------------------------------------------------------------
// Replication, follower side

void Raft::handle_append_entries(Context& ctx, NodeId from, const AppendEntries& m) {
  if (m.leader != from) return;
  if (m.term < current_term_) {
    ctx.send(from, encode_message(AppendReply{current_term_, false, m.prev_index, log_.last_index(),
                                              catching_up_}));
    return;
  }
  if (role_ == Role::kLeader && m.term == current_term_) return;  // cannot happen (§5.2)
  if (m.term > current_term_ || role_ != Role::kFollower) {
    become_follower(ctx, m.term, from);
  } else {
    learn_leader(ctx, from);
  }
  arm_election_timer(ctx);

  auto reject = [&](Height hint) {
    ctx.send(from,
             encode_message(AppendReply{current_term_, false, m.prev_index, hint, catching_up_}));
  };
  if (m.prev_index > log_.last_index()) {
    reject(log_.last_index());
    return;
  }
  if (log_.term_at(m.prev_index) != m.prev_term) {
    // The whole run of our conflicting term is suspect; committed entries never are. (Index 0
    // has term 0 everywhere, so a mismatch there is a malformed message.)
    reject(m.prev_index == 0
               ? 0
               : std::max(commit_index_, log_.first_index_of_term_run(m.prev_index) - 1));
    return;
  }

  // Decode and check every block before changing anything: one bad block rejects the message.
  std::vector<BlockRef> blocks;
  blocks.reserve(m.entries.size());
  Hash256 prev_hash = log_.hash_at(m.prev_index);
  std::uint64_t prev_term = m.prev_term;
  for (std::size_t k = 0; k < m.entries.size(); ++k) {
    std::optional<BlockRef> block = ctx.crypto().decode_block(m.entries[k]);
    const bool fits = block && *block && (*block)->header.height == m.prev_index + k + 1 &&
                      (*block)->header.prev_hash == prev_hash &&
                      (*block)->header.epoch >= prev_term && (*block)->header.epoch <= m.term;
    if (!fits) {
      reject(log_.last_index());
      return;
    }
    prev_hash = (*block)->hash;
    prev_term = (*block)->header.epoch;
    blocks.push_back(std::move(*block));
  }

  Height index = m.prev_index;
  for (BlockRef& block : blocks) {
    ++index;
    if (index <= log_.last_index()) {
      if (log_.hash_at(index) == block->hash) continue;
      if (index <= commit_index_) {
        throw std::logic_error("Raft: node " + std::to_string(self_) +
                               " asked to overwrite committed entry " + std::to_string(index));
      }
      log_.truncate_after(index - 1);
    }
    log_.append(std::move(block));
  }
  const Height last_new = index;
  if (m.leader_commit > commit_index_) {
    commit_index_ = std::max(commit_index_, std::min(m.leader_commit, last_new));
    apply_commits(ctx);
  }
  if (catching_up_ && m.leader_commit > 0 && m.leader_commit <= last_new &&
      log_.term_at(m.leader_commit) == m.term) {
    catching_up_ = false;
  }
  ctx.send(from, encode_message(
                     AppendReply{current_term_, true, last_new, log_.last_index(), catching_up_}));
}

// ---------------------------------------------------------------------------------------------
// Replication, leader side

void Raft::handle_append_reply(Context& ctx, NodeId from, const AppendReply& m) {
  observe_term(ctx, m.term);
  if (role_ != Role::kLeader || m.term != current_term_) return;
  Peer& p = peers_[from];
  if (m.success) {
    if (m.index > log_.last_index()) return;  // claims entries this leader never sent
    const Height matched_before = p.match_index;
    p.match_index = std::max(p.match_index, m.index);
    p.next_index = std::max(p.next_index, p.match_index + 1);
    if (p.mode == Peer::Mode::kProbe) {
      p.mode = Peer::Mode::kReplicate;
      p.next_index = p.match_index + 1;
    }
    // Each step below scans every peer, so each runs only when this reply can change its outcome
    // (the outcome is the same as scanning on every reply; scanning made a reply O(n)): the
    // replicated height counts match indexes above the commit index, so only a match index raised
    // above it can move the commit index, and the acknowledged minimum moves only with a raise.
    const bool raised = p.match_index > matched_before;
    const bool committed = raised && p.match_index > commit_index_ && advance_leader_commit(ctx);
    if (raised) release_acknowledged_encodings();
    if (p.next_index <= log_.last_index()) send_append(ctx, from, true);
    // Also when the commit index did not move: this follower may just have caught up to it. If
    // it did not move, no other follower has anything new to learn (every change of the commit
    // index is followed by notify_commit).
    if (committed) {
      notify_commit(ctx);
    } else {
      notify_commit_to(ctx, from);
    }
    return;
  }
  // A follower that restarted without its log (memory storage) holds less than it acknowledged:
  // start over from what it holds, or every rejection would look stale. Lowering match_index
  // never undoes a commit; it only delays later ones.
  if (m.lost_log && m.last_log_index < p.match_index) p.match_index = m.last_log_index;
  // A rejection of an index the follower has since matched, or of a probe already superseded,
  // is stale (pipelined or reordered messages).
  if (m.index <= p.match_index) return;
  if (p.mode == Peer::Mode::kProbe && m.index + 1 != p.next_index) return;
  p.next_index = std::max(p.match_index + 1, std::min(m.last_log_index + 1, m.index));
  p.mode = Peer::Mode::kProbe;
  send_append(ctx, from, true);
}

void Raft::handle_forward(Context& ctx, const Forward& m) {
  // A follower forwarding to a node that is no longer leader keeps the transactions pending and
  // forwards them again to the next leader it learns of.
  if (role_ != Role::kLeader) return;
  for (const TxRef& tx : m.txs) enqueue(ctx, tx);
}

void Raft::enqueue(Context& ctx, const TxRef& tx) {
  if (log_.find_tx(tx->id) != 0 || queued_ids_.contains(tx->id)) return;
  const std::uint64_t size = tx->encoded_size();
  if (!queue_.empty() && queue_bytes_ + size > params_.max_block_bytes) seal_queue(ctx);
  queue_.push_back(tx);
  queue_bytes_ += size;
  queued_ids_.insert(tx->id);
  if (queue_.size() >= params_.max_block_tx || queue_bytes_ >= params_.max_block_bytes) {
    seal_queue(ctx);
  }
  if (!queue_.empty() && !batch_timer_) {
    batch_timer_ = ctx.set_timer(params_.batch_timeout_ns, kBatchTimer);
  }
}

void Raft::seal_queue(Context& ctx) {
  cancel_timer(ctx, batch_timer_);
  if (queue_.empty()) return;
  std::vector<TxRef> txs = std::move(queue_);
  queue_.clear();
  queue_bytes_ = 0;
  queued_ids_.clear();
  append_own_block(ctx, std::move(txs));
}

void Raft::append_own_block(Context& ctx, std::vector<TxRef> txs) {
  const Height height = log_.last_index() + 1;
  log_.append(
      ctx.crypto().seal_block(height, log_.hash_at(height - 1), current_term_, std::move(txs)));
  // Pipelining: followers that are streaming and caught up get the block right away.
  for (NodeId peer = 0; peer < nodes_; ++peer) {
    if (peer == self_) continue;
    const Peer& p = peers_[peer];
    if (p.mode == Peer::Mode::kReplicate && p.next_index == height) send_append(ctx, peer, true);
  }
  if (advance_leader_commit(ctx)) notify_commit(ctx);
}

void Raft::send_append(Context& ctx, NodeId peer, bool with_entries) {
  Peer& p = peers_[peer];
  const Height prev = p.next_index - 1;
  const Height last =
      with_entries ? std::min(log_.last_index(), prev + params_.max_append_blocks) : prev;
  AppendEntries m{current_term_, self_, prev, log_.term_at(prev), commit_index_, {}};
  std::vector<std::shared_ptr<const Bytes>> held;  // keeps the viewed encodings alive
  held.reserve(last - prev);
  m.entries.reserve(last - prev);
  for (Height i = prev + 1; i <= last; ++i) {
    held.push_back(log_.encoded(i));
    m.entries.emplace_back(*held.back());
  }
  ctx.send(peer, encode_message(m));
  p.commit_known = std::max(p.commit_known, std::min(commit_index_, last));
  if (p.mode == Peer::Mode::kReplicate) p.next_index = last + 1;
}

void Raft::broadcast_heartbeat(Context& ctx) {
  // Heartbeats are empty: a crashed or partitioned follower costs one small message per interval,
  // and a follower that lost entries rejects it (prev_index beyond its log) and is probed back.
  // Entries flow when blocks are sealed and on every successful reply.
  for (NodeId peer = 0; peer < nodes_; ++peer) {
    if (peer != self_) send_append(ctx, peer, false);
  }
}

bool Raft::advance_leader_commit(Context& ctx) {
  std::vector<Height> matches;
  matches.reserve(nodes_);
  for (NodeId n = 0; n < nodes_; ++n) {
    matches.push_back(n == self_ ? log_.last_index() : peers_[n].match_index);
  }
  std::sort(matches.begin(), matches.end(), std::greater<>());
  const Height replicated = matches[majority() - 1];
  // §5.4.2: only an entry of the current term commits by counting replicas.
  if (replicated <= commit_index_ || log_.term_at(replicated) != current_term_) return false;
  commit_index_ = replicated;
  apply_commits(ctx);
  return true;
}

void Raft::notify_commit(Context& ctx) {
  // Followers would otherwise learn of the new commit index only with the next block or
  // heartbeat. The notice claims nothing beyond what the follower is known to hold, so it is
  // never rejected.
  for (NodeId peer = 0; peer < nodes_; ++peer) {
    if (peer != self_) notify_commit_to(ctx, peer);
  }
}

void Raft::notify_commit_to(Context& ctx, NodeId peer) {
  Peer& p = peers_[peer];
  const Height known = std::min(commit_index_, p.match_index);
  if (known <= p.commit_known) return;
  ctx.send(
      peer,
      encode_message(AppendEntries{
          current_term_, self_, p.match_index, log_.term_at(p.match_index), commit_index_, {}}));
  p.commit_known = known;
}

void Raft::release_acknowledged_encodings() {
  Height all_have = log_.last_index();
  for (NodeId n = 0; n < nodes_; ++n) {
    if (n != self_) all_have = std::min(all_have, peers_[n].match_index);
  }
  log_.release_encodings_through(all_have);
}

// ---------------------------------------------------------------------------------------------
// Commits and pending transactions

void Raft::apply_commits(Context& ctx) {
  while (applied_ < commit_index_) {
    ++applied_;
    const BlockRef& block = log_.at(applied_);
    ctx.commit(block);
    for (const TxRef& tx : block->txs) {
      auto it = pending_seq_.find(tx->id);
      if (it == pending_seq_.end()) continue;
      pending_.erase(it->second);
      pending_seq_.erase(it);
    }
  }
}

bool Raft::is_committed(const Hash256& tx_id) const {
  const Height index = log_.find_tx(tx_id);
  return index != 0 && index <= applied_;
}

void Raft::add_pending(const TxRef& tx) {
  const std::uint64_t seq = next_pending_seq_++;
  pending_.emplace(seq, Pending{tx, -1});
  pending_seq_.emplace(tx->id, seq);
}

void Raft::arm_forward_retry(Context& ctx) {
  if (forward_retry_timer_ || role_ == Role::kLeader || pending_.empty()) return;
  forward_retry_timer_ = ctx.set_timer(params_.forward_retry_ns, kForwardRetryTimer);
}

void Raft::forward_pending(Context& ctx, bool only_unacknowledged) {
  if (leader_ == kNoNode || leader_ == self_) return;
  Forward batch;
  std::uint64_t bytes = 0;
  auto flush = [&] {
    if (!batch.txs.empty()) ctx.send(leader_, encode_message(batch));
    batch.txs.clear();
    bytes = 0;
  };
  for (auto& [seq, p] : pending_) {
    if (only_unacknowledged &&
        (p.forwarded_ns > ctx.now() - params_.forward_retry_ns || log_.find_tx(p.tx->id) != 0)) {
      continue;
    }
    const std::uint64_t size = p.tx->encoded_size();
    if (!batch.txs.empty() && bytes + size > params_.max_block_bytes) flush();
    batch.txs.push_back(p.tx);
    bytes += size;
    p.forwarded_ns = ctx.now();
  }
  flush();
}

// ---------------------------------------------------------------------------------------------
// Timers

TimeNs Raft::draw_election_timeout(Context& ctx) {
  const auto span =
      static_cast<std::uint64_t>(params_.election_timeout_max_ns - params_.election_timeout_min_ns);
  return params_.election_timeout_min_ns + static_cast<TimeNs>(ctx.rng().next_below(span + 1));
}

void Raft::arm_election_timer(Context& ctx) {
  election_deadline_ = ctx.now() + draw_election_timeout(ctx);
  // An armed timer that fires no later than the new deadline is kept (it re-arms for the rest
  // when it fires); one that would fire later is replaced, so the draw is honoured exactly.
  if (election_timer_ && election_fire_ns_ <= election_deadline_) return;
  cancel_timer(ctx, election_timer_);
  election_timer_ = ctx.set_timer(election_deadline_ - ctx.now(), kElectionTimer);
  election_fire_ns_ = election_deadline_;
}

void Raft::cancel_timer(Context& ctx, std::optional<TimerId>& timer) {
  if (timer) ctx.cancel_timer(*timer);
  timer.reset();
}

}  // namespace hlsim
