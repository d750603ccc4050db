// The hand-stepping test cluster; the contract is in cluster.h.
#include "consensus/harness/cluster.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "ledger/crypto/sha256.h"
#include "ledger/storage/memory_store.h"

namespace hlsim::testing {

// ---------------------------------------------------------------------------------------------
// NodeCrypto: real keys, real sealing and checking; costs are not modelled.

class Cluster::NodeCryptoImpl final : public NodeCrypto {
 public:
  NodeCryptoImpl(Cluster& cluster, NodeId self) : cluster_(cluster), self_(self) {}

  const PublicKey& public_key() const override { return cluster_.node_public_keys_[self_]; }
  const PublicKey& public_key_of(NodeId validator) const override {
    return cluster_.node_public_keys_.at(validator);
  }
  Signature sign(ByteView message) override { return cluster_.node_keys_[self_].sign(message); }
  bool verify(const PublicKey& key, ByteView message, const Signature& signature) override {
    return verify_signature(key, message, signature);
  }
  Hash256 hash(ByteView data) override { return sha256(data); }
  void sign_vote(SignedVote& vote) override {
    vote.voter = self_;
    hlsim::sign_vote(vote, cluster_.node_keys_[self_]);
  }
  std::vector<std::uint8_t> verify_votes(std::span<const SignedVote> votes) override {
    std::vector<std::uint8_t> valid(votes.size(), 0);
    for (std::size_t i = 0; i < votes.size(); ++i) {
      const SignedVote& v = votes[i];
      valid[i] = v.voter < cluster_.size() && v.voter_key == cluster_.node_public_keys_[v.voter] &&
                 verify_vote(v);
    }
    return valid;
  }
  BlockRef seal_block(Height height, const Hash256& prev_hash, std::uint64_t epoch,
                      std::vector<TxRef> txs) override {
    return hlsim::seal_block(height, prev_hash, self_, epoch, cluster_.now_, std::move(txs),
                             cluster_.node_keys_[self_]);
  }
  std::optional<BlockRef> decode_block(ByteView encoded) override {
    std::optional<Block> block = Block::decode(encoded);
    const bool ok =
        block && check_block(*block) == BlockCheck::kOk &&
        block->header.proposer < cluster_.size() &&
        block->header.proposer_key == cluster_.node_public_keys_[block->header.proposer];
    if (!ok) {
      ++cluster_.blocks_rejected_;
      return std::nullopt;
    }
    return std::make_shared<const Block>(std::move(*block));
  }

 private:
  Cluster& cluster_;
  NodeId self_;
};

// ---------------------------------------------------------------------------------------------
// Context: holds the messages a job sends until the job returns.

class Cluster::NodeContext final : public Context {
 public:
  NodeContext(Cluster& cluster, NodeId self)
      : cluster_(cluster),
        self_(self),
        rng_(Rng::stream(cluster.options_.seed, RngDomain::kNode, self)),
        crypto_(cluster, self) {}

  TimeNs now() const override { return cluster_.now_; }
  NodeId self() const override { return self_; }
  std::uint32_t cluster_size() const override { return cluster_.size(); }

  void send(NodeId to, Message msg) override {
    if (to == self_ || to >= cluster_.size() || !msg.body) {
      cluster_.violation("node " + std::to_string(self_) + " sent an invalid message to " +
                         std::to_string(to));
      return;
    }
    outbox_.push_back(Envelope{self_, to, std::move(msg), cluster_.now_, 0});
  }
  void broadcast(const Message& msg) override {
    for (NodeId to = 0; to < cluster_.size(); ++to) {
      if (to != self_) send(to, msg);
    }
  }

  TimerId set_timer(TimeNs delay_ns, std::uint64_t tag) override {
    if (delay_ns < 0) cluster_.violation("node " + std::to_string(self_) + " set a past timer");
    const TimerId id = cluster_.next_timer_id_++;
    const Key key = cluster_.next_key(cluster_.now_ + std::max<TimeNs>(delay_ns, 0), self_);
    Event event;
    event.kind = EventKind::kTimer;
    event.timer = id;
    event.tag = tag;
    cluster_.events_.emplace(key, std::move(event));
    cluster_.timers_.emplace(id, key);
    return id;
  }
  void cancel_timer(TimerId id) override {
    auto it = cluster_.timers_.find(id);
    if (it == cluster_.timers_.end() || it->second.node != self_) return;
    cluster_.events_.erase(it->second);
    cluster_.timers_.erase(it);
  }

  NodeCrypto& crypto() override { return crypto_; }
  const Chain& ledger() const override { return *cluster_.chains_[self_]; }
  // As in the simulator's node, the chain grows at once (ledger() shows it for the rest of the
  // job); observers see the commit with the job's time.
  void commit(const BlockRef& block) override { cluster_.apply_commit(self_, block); }
  Rng& rng() override { return rng_; }
  void charge(TimeNs /*cpu_ns*/) override {}
  void note_leader(std::uint64_t epoch, NodeId leader) override {
    cluster_.leader_notes_.push_back(LeaderNote{self_, epoch, leader, cluster_.now_});
  }
  void note_reorg(Height fork_height, std::uint32_t depth_blocks,
                  std::uint32_t own_blocks) override {
    cluster_.reorgs_.push_back(
        ReorgNote{self_, fork_height, depth_blocks, own_blocks, cluster_.now_});
  }

  std::vector<Envelope> take_outbox() { return std::exchange(outbox_, {}); }

 private:
  Cluster& cluster_;
  NodeId self_;
  Rng rng_;
  NodeCryptoImpl crypto_;
  std::vector<Envelope> outbox_;
};

// ---------------------------------------------------------------------------------------------
// Cluster

Cluster::Cluster(ClusterOptions options, ProtocolFactory factory)
    : options_(options), network_rng_(Rng::stream(options.seed, RngDomain::kNetwork, 0)) {
  if (options_.nodes == 0) throw std::invalid_argument("Cluster: needs at least one node");
  const std::uint32_t n = options_.nodes;
  for (NodeId i = 0; i < n; ++i) {
    node_keys_.push_back(SigningKey::derive(options_.seed, "node-" + std::to_string(i)));
    node_public_keys_.push_back(node_keys_.back().public_key());
  }
  for (NodeId i = 0; i < n; ++i) {
    protocols_.push_back(factory(i, n));
    contexts_.push_back(std::make_unique<NodeContext>(*this, i));
    chains_.push_back(std::make_unique<Chain>());
  }
  up_.assign(n, true);
  group_.assign(n, 0);
  committed_ids_.resize(n);
}

Cluster::~Cluster() = default;

Protocol& Cluster::protocol(NodeId node) { return *protocols_.at(node); }
const Protocol& Cluster::protocol(NodeId node) const { return *protocols_.at(node); }

void Cluster::start() {
  for (NodeId i = 0; i < size(); ++i) {
    run_job(i, [](Protocol& p, Context& ctx) { p.start(ctx); });
  }
}

TxRef Cluster::make_tx(ClientId client, std::uint64_t nonce, std::size_t payload_bytes) {
  auto key_it = client_keys_.find(client);
  if (key_it == client_keys_.end()) {
    key_it =
        client_keys_
            .emplace(client, SigningKey::derive(options_.seed, "client-" + std::to_string(client)))
            .first;
  }
  Transaction tx;
  tx.kind = 0;
  tx.client = client;
  tx.nonce = nonce;
  tx.submit_ns = now_;
  tx.payload.resize(payload_bytes);
  for (std::size_t i = 0; i < payload_bytes; ++i) {
    tx.payload[i] = static_cast<std::uint8_t>(client * 31 + nonce * 7 + i);
  }
  sign_tx(tx, key_it->second);
  made_tx_ids_.insert(tx.id);
  return std::make_shared<const Transaction>(std::move(tx));
}

void Cluster::submit(NodeId node, const TxRef& tx) {
  if (!up_.at(node)) return;
  run_job(node, [&tx](Protocol& p, Context& ctx) { p.on_transaction(ctx, tx); });
}

void Cluster::submit_at(TimeNs at, NodeId node, const TxRef& tx) {
  Event event;
  event.kind = EventKind::kSubmit;
  event.tx = tx;
  events_.emplace(next_key(std::max(at, now_), node), std::move(event));
}

void Cluster::inject(NodeId from, NodeId to, Message msg) {
  Envelope env{from, to, std::move(msg), now_, now_ + options_.latency_ns};
  Event event;
  event.kind = EventKind::kMessage;
  event.envelope = env;
  events_.emplace(next_key(env.deliver_ns, to), std::move(event));
}

void Cluster::run_job(NodeId node, const std::function<void(Protocol&, Context&)>& job) {
  NodeContext& ctx = *contexts_[node];
  job(*protocols_[node], ctx);
  for (Envelope& env : ctx.take_outbox()) {
    env.deliver_ns = now_ + options_.latency_ns;
    if (options_.jitter_ns > 0) {
      env.deliver_ns += static_cast<TimeNs>(
          network_rng_.next_below(static_cast<std::uint64_t>(options_.jitter_ns) + 1));
    }
    ++sent_[env.msg.type];
    if (send_observer_) send_observer_(env);
    if (options_.loss_rate > 0 && network_rng_.bernoulli(options_.loss_rate)) {
      ++lost_;
      continue;
    }
    Event event;
    event.kind = EventKind::kMessage;
    const NodeId to = env.to;
    const TimeNs at = env.deliver_ns;
    event.envelope = std::move(env);
    events_.emplace(next_key(at, to), std::move(event));
  }
  if (after_job_) after_job_();
}

void Cluster::apply_commit(NodeId node, const BlockRef& block) {
  const std::string who = "node " + std::to_string(node) + " height " +
                          std::to_string(block ? block->header.height : 0) + ": ";
  const bool judged = !options_.byzantine.contains(node);
  auto violation = [&](std::string what) {
    if (judged) this->violation(std::move(what));
  };
  if (!block) {
    violation(who + "committed a null block");
    return;
  }
  if (Status s = chains_[node]->append(block); !s.ok()) {
    violation(who + "commit does not extend the chain: " + s.error().message);
    return;
  }
  for (const TxRef& tx : block->txs) {
    if (options_.verify_committed_txs && !verify_tx(*tx)) {
      violation(who + "transaction " + tx->id.hex() + " fails verification");
    }
    if (!committed_ids_[node].insert(tx->id).second) {
      violation(who + "transaction " + tx->id.hex() + " committed twice");
    }
    if (!made_tx_ids_.contains(tx->id)) {
      violation(who + "transaction " + tx->id.hex() + " was never submitted");
    }
  }
  commits_.push_back(CommitRecord{node, block->header.height, block->hash, now_, block});
}

void Cluster::violation(std::string what) { violations_.push_back(std::move(what)); }

void Cluster::deliver_message(const Envelope& env) {
  if (!up_[env.to] || !connected(env.from, env.to) || (drop_filter_ && drop_filter_(env))) {
    ++lost_;
    return;
  }
  ++delivered_[env.msg.type];
  run_job(env.to, [&env](Protocol& p, Context& ctx) { p.on_message(ctx, env.from, env.msg); });
}

void Cluster::run_event(const Key& key, Event event) {
  now_ = std::max(now_, key.time);
  switch (event.kind) {
    case EventKind::kMessage:
      deliver_message(event.envelope);
      return;
    case EventKind::kTimer: {
      timers_.erase(event.timer);
      const TimerId id = event.timer;
      const std::uint64_t tag = event.tag;
      run_job(key.node, [id, tag](Protocol& p, Context& ctx) { p.on_timer(ctx, id, tag); });
      return;
    }
    case EventKind::kSubmit:
      submit(key.node, event.tx);
      return;
  }
}

bool Cluster::step() {
  if (events_.empty()) return false;
  auto it = events_.begin();
  const Key key = it->first;
  Event event = std::move(it->second);
  events_.erase(it);
  run_event(key, std::move(event));
  return true;
}

void Cluster::run_until(TimeNs t) {
  while (!events_.empty() && events_.begin()->first.time <= t) step();
  now_ = std::max(now_, t);
}

bool Cluster::run_until(const std::function<bool()>& done, TimeNs deadline) {
  if (done()) return true;
  while (!events_.empty() && events_.begin()->first.time <= deadline) {
    step();
    if (done()) return true;
  }
  return done();
}

std::vector<Envelope> Cluster::in_flight() const {
  std::vector<Envelope> out;
  for (const auto& [key, event] : events_) {
    if (event.kind == EventKind::kMessage) out.push_back(event.envelope);
  }
  return out;
}

std::size_t Cluster::deliver(const EnvelopeFilter& which) {
  std::vector<Key> keys;
  for (const auto& [key, event] : events_) {
    if (event.kind == EventKind::kMessage && (!which || which(event.envelope))) {
      keys.push_back(key);
    }
  }
  std::size_t handed = 0;
  for (const Key& key : keys) {
    auto it = events_.find(key);
    if (it == events_.end()) continue;
    Event event = std::move(it->second);
    events_.erase(it);
    const std::uint64_t before = lost_;
    run_event(key, std::move(event));
    if (lost_ == before) ++handed;
  }
  return handed;
}

std::size_t Cluster::drop(const EnvelopeFilter& which) {
  std::size_t dropped = 0;
  for (auto it = events_.begin(); it != events_.end();) {
    if (it->second.kind == EventKind::kMessage && which(it->second.envelope)) {
      it = events_.erase(it);
      ++dropped;
    } else {
      ++it;
    }
  }
  return dropped;
}

std::size_t Cluster::stabilize(std::size_t max_rounds) {
  std::size_t total = 0;
  for (std::size_t round = 0; round < max_rounds; ++round) {
    const bool any = std::any_of(events_.begin(), events_.end(), [](const auto& kv) {
      return kv.second.kind == EventKind::kMessage;
    });
    if (!any) break;
    total += deliver();
  }
  return total;
}

bool Cluster::fire_timer(NodeId node, std::uint64_t tag) {
  for (auto it = events_.begin(); it != events_.end(); ++it) {
    const Event& e = it->second;
    if (e.kind == EventKind::kTimer && it->first.node == node && e.tag == tag) {
      const TimerId id = e.timer;
      now_ = std::max(now_, it->first.time);
      events_.erase(it);
      timers_.erase(id);
      run_job(node, [id, tag](Protocol& p, Context& ctx) { p.on_timer(ctx, id, tag); });
      return true;
    }
  }
  return false;
}

std::size_t Cluster::live_timers(NodeId node, std::uint64_t tag) const {
  std::size_t n = 0;
  for (const auto& [key, event] : events_) {
    if (event.kind == EventKind::kTimer && key.node == node && event.tag == tag) ++n;
  }
  return n;
}

std::optional<TimeNs> Cluster::timer_due(NodeId node, std::uint64_t tag) const {
  for (const auto& [key, event] : events_) {
    if (event.kind == EventKind::kTimer && key.node == node && event.tag == tag) return key.time;
  }
  return std::nullopt;
}

void Cluster::partition(const std::vector<std::vector<NodeId>>& groups) {
  std::fill(group_.begin(), group_.end(), 0);
  int g = 0;
  for (const auto& members : groups) {
    ++g;
    for (NodeId n : members) group_.at(n) = g;
  }
}

void Cluster::isolate(NodeId node) {
  group_.at(node) = 1 + *std::max_element(group_.begin(), group_.end());
}

void Cluster::heal() { std::fill(group_.begin(), group_.end(), 0); }

void Cluster::crash(NodeId node) {
  up_.at(node) = false;
  for (auto it = events_.begin(); it != events_.end();) {
    const bool mine = it->first.node == node && it->second.kind != EventKind::kMessage;
    if (mine && it->second.kind == EventKind::kTimer) timers_.erase(it->second.timer);
    it = mine ? events_.erase(it) : std::next(it);
  }
}

void Cluster::restart(NodeId node, bool storage_lost) {
  if (up_.at(node)) return;
  up_[node] = true;
  if (storage_lost) {
    // The node re-commits from height 1 as it catches up: its earlier commits are not repeats.
    chains_[node] = std::make_unique<Chain>();
    committed_ids_[node].clear();
  }
  run_job(node, [storage_lost](Protocol& p, Context& ctx) { p.on_restart(ctx, storage_lost); });
}

std::vector<NodeId> Cluster::leaders() const {
  std::vector<NodeId> out;
  for (NodeId i = 0; i < size(); ++i) {
    if (up_[i] && protocols_[i]->is_leader()) out.push_back(i);
  }
  return out;
}

std::optional<NodeId> Cluster::leader() const {
  std::optional<NodeId> best;
  for (NodeId i : leaders()) {
    if (!best || protocols_[i]->epoch() > protocols_[*best]->epoch()) best = i;
  }
  return best;
}

std::string Cluster::divergence() const {
  std::vector<NodeId> all(size());
  for (NodeId i = 0; i < size(); ++i) all[i] = i;
  return divergence(all);
}

std::string Cluster::divergence(const std::vector<NodeId>& nodes) const {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (std::size_t j = i + 1; j < nodes.size(); ++j) {
      const NodeId a = nodes[i];
      const NodeId b = nodes[j];
      const Height common = std::min(chains_[a]->height(), chains_[b]->height());
      for (Height h = 1; h <= common; ++h) {
        if (chains_[a]->at(h)->hash != chains_[b]->at(h)->hash) {
          return "nodes " + std::to_string(a) + " and " + std::to_string(b) + " differ at height " +
                 std::to_string(h);
        }
      }
    }
  }
  return "";
}

bool Cluster::chains_identical() const {
  for (NodeId i = 1; i < size(); ++i) {
    if (chains_[i]->height() != chains_[0]->height()) return false;
  }
  return divergence().empty();
}

std::vector<Hash256> Cluster::committed_tx_ids(NodeId node) const {
  std::vector<Hash256> ids;
  for (const BlockRef& block : chains_.at(node)->blocks()) {
    for (const TxRef& tx : block->txs) ids.push_back(tx->id);
  }
  return ids;
}

std::uint64_t Cluster::sent(std::uint16_t type) const {
  auto it = sent_.find(type);
  return it == sent_.end() ? 0 : it->second;
}

std::uint64_t Cluster::delivered(std::uint16_t type) const {
  auto it = delivered_.find(type);
  return it == delivered_.end() ? 0 : it->second;
}

}  // namespace hlsim::testing
