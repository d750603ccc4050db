// Consensus micro-benchmarks: each protocol's hot message-handling paths, measured as the time its
// Protocol::on_message takes, in the protocol objects alone (no network model, no event kernel, no
// CPU cost model).
//
// How. A minimal in-file cluster (BenchCluster) runs n real protocol instances of one protocol,
// built through the registry, behind a bare Context each: messages are delivered in FIFO order
// after a constant 1 ms of virtual time, timers fire in virtual time, commit() appends to the
// node's own Chain (memory store). Every message, block and vote is therefore one that the
// protocols themselves produced in a normal run. Only the on_message calls for the case's message
// types are timed (a steady_clock read either side, ~20 ns each, included), together with the
// Context calls they make (send() copies a shared_ptr into an outbox; commit() appends to a
// memory-store Chain, which encodes and stores the block); everything else the cluster does to
// produce those messages (proposing, the other message types, timers) runs untimed. Timing is
// manual (UseManualTime): one benchmark iteration is one round, i.e. the case's transactions are
// handed to one validator (the leader when one says it leads) and the cluster runs until every
// validator's chain has grown by at least one block; the iteration's time is the summed time of the
// timed handlers in that round. Every benchmark reports items_processed = messages handled by the
// timed handlers, so the output shows messages/s. The timed handlers run on every validator that
// receives such a message, so e.g. a vote case at n = 64 averages over all 64 validators' vote
// handling (a real replica receives the same n - 1 votes of each kind, the late ones after its
// quorum included).
//
// Crypto. Signatures are not what is measured here (bench_crypto measures them): verification runs
// under the project's model-only policy (Verifier(VerifyPolicy::kModelOnly), ledger/verifier.h:
// every check answers "valid"; membership and registered-key checks still run, as in
// sim/node/node.cc), and signing is a stub that writes a 64-byte placeholder (the size of an
// Ed25519 signature, so every encoding and size is unchanged). Signing cannot be moved out of the
// loop by pre-signing, because a replica signs its own vote inside the handler that receives the
// proposal, and a real Ed25519 signature (~20 us) would swamp the protocol logic. Hashing stays
// real SHA-256 (block hashes, Merkle roots, transaction and vote ids): that is data the protocol
// must derive from the message. Transactions carry a placeholder signature too (nothing in
// consensus verifies transaction signatures; a node does, at commit, outside the protocol).
//
// Cases (<Protocol>/<path>/n:<validators>/tx:<transactions per block>):
//   Raft/AppendEntries            followers handling append_entries that carry a block of `tx`
//                                 transactions (the empty ones, heartbeats and commit notices, run
//                                 untimed). Effect: the follower replies.
//   Raft/AppendReply              the leader handling append_reply: match index and commit index
//                                 advance. Effect: the leader commits a block in the handler.
//   Pbft/PrePrepare               backups handling pre-prepare (block decode and check, accept,
//                                 sign and broadcast a prepare). Effect: a prepare is sent.
//   Pbft/PrepareCommit            replicas handling prepare and commit votes, per vote. Effect: a
//                                 commit certificate executes a block in a commit handler.
//   HotStuff/Proposal             replicas handling a proposal (QC check, block check, the
//                                 commits its QC completes, vote). Effect: a vote is sent (the
//                                 next leader counts its own vote without sending it, so
//                                 effect_ratio = (n-2)/(n-1)).
//   HotStuff/Vote                 the next leader aggregating votes into a QC, per vote. Effect:
//                                 the QC forms and the leader proposes in a vote handler.
//   Tendermint/Proposal           validators handling a proposal. Effect: a prevote is sent.
//   Tendermint/Votes              validators handling prevotes and precommits to 2f+1, per vote.
//                                 Effect: a block commits in a precommit handler.
//   Poa/Block                     authorities importing a sealed block (decode, check, block tree,
//                                 fork choice, majority finality). Effect: the import finalises
//                                 and commits a block. Aura has no votes or acks: finality is
//                                 computed from the sealers of the imported chain, inside this
//                                 path.
// Each case fails (SkipWithError) if the timed handlers never produced their effect, if a round
// does not finish within 600 s of virtual time, or if a commit does not extend the chain.
// Counters: effect_ratio = fraction of timed messages whose handler produced the effect (e.g. in
// Pbft/PrepareCommit one vote of the 2(n-1) a replica receives per block completes its commit
// certificate); effect_ns / other_ns = mean handler time of those messages and of the rest, which
// separates the quorum-completing vote from the plain one; msgs_per_round = timed messages per
// block.
//
// Determinism: payloads come from the project's Rng (RngDomain::kClient), node streams from
// Rng::stream(seed, kNode, i), keys from SigningKey::derive. A cluster is rebuilt (untimed) every
// kRoundsPerCluster rounds so that memory stays bounded on long runs.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "consensus/context.h"
#include "consensus/message.h"
#include "consensus/protocol.h"
#include "consensus/registry.h"
#include "ledger/block.h"
#include "ledger/chain.h"
#include "ledger/crypto/sha256.h"
#include "ledger/crypto/signature.h"
#include "ledger/merkle.h"
#include "ledger/transaction.h"
#include "ledger/verifier.h"
#include "ledger/vote.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/params.h"
#include "sim/kernel/rng.h"
#include "sim/kernel/time.h"

namespace hlsim {
namespace {

constexpr std::uint64_t kSeed = 42;
constexpr TimeNs kLatencyNs = kNsPerMs;
constexpr TimeNs kRoundDeadlineNs = 600 * kNsPerSec;
constexpr std::size_t kPayloadBytes = 64;
constexpr Height kWarmUpBlocks = 3;
constexpr std::size_t kRoundsPerCluster = 128;

using Clock = std::chrono::steady_clock;

// The stub signature: the size of an Ed25519 signature, never checked (model-only verification).
Signature placeholder_signature(NodeId signer) {
  Signature s;
  s.size = 64;
  s.bytes[0] = static_cast<std::uint8_t>(signer);
  s.bytes[1] = static_cast<std::uint8_t>(signer >> 8);
  return s;
}

// ---------------------------------------------------------------------------------------------
// The bench cluster.

class BenchCluster {
 public:
  // `timed` and `effect` are Message::type values of the protocol; `effect` may be kCommitEffect.
  static constexpr int kCommitEffect = -1;

  BenchCluster(const ProtocolInfo& info, const ParamValues& values, std::uint32_t n,
               const std::vector<std::uint16_t>& timed, int effect, std::size_t min_body_bytes)
      : n_(n),
        min_body_bytes_(min_body_bytes),
        effect_(effect),
        verifier_(VerifyPolicy::kModelOnly),
        client_rng_(Rng::stream(kSeed, RngDomain::kClient, 0)) {
    timed_mask_.assign(info.message_types.size(), 0);
    for (std::uint16_t t : timed) timed_mask_.at(t) = 1;
    for (NodeId i = 0; i < n; ++i) {
      keys_.push_back(SigningKey::derive(kSeed, "node-" + std::to_string(i)).public_key());
    }
    client_key_ = SigningKey::derive(kSeed, "client-0").public_key();
    for (NodeId i = 0; i < n; ++i) {
      protocols_.push_back(info.make(values, i, n, Behavior::kHonest));
      nodes_.push_back(std::make_unique<NodeCtx>(*this, i));
    }
  }

  std::uint32_t size() const { return n_; }
  const std::string& error() const { return error_; }

  void start() {
    for (NodeId i = 0; i < n_; ++i) run_job(i, [](Protocol& p, Context& c) { p.start(c); });
  }

  Height min_height() const {
    Height h = nodes_[0]->chain.height();
    for (const auto& node : nodes_) h = std::min(h, node->chain.height());
    return h;
  }
  std::uint64_t committed_txs(NodeId node) const { return nodes_[node]->committed_txs; }

  // Hands `count` fresh transactions to the validator that says it leads (else node `fallback`).
  void submit(std::size_t count, NodeId fallback) {
    NodeId to = fallback % n_;
    for (NodeId i = 0; i < n_; ++i) {
      if (protocols_[i]->is_leader()) {
        to = i;
        break;
      }
    }
    for (std::size_t k = 0; k < count; ++k) {
      TxRef tx = make_tx();
      run_job(to, [&tx](Protocol& p, Context& c) { p.on_transaction(c, tx); });
    }
  }

  // Runs events until min_height() >= target; false if the deadline passes first or on error.
  bool run_to_height(Height target) {
    const TimeNs deadline = now_ + kRoundDeadlineNs;
    while (min_height() < target) {
      if (!error_.empty() || heap_.empty() || heap_.front().time > deadline) return false;
      std::pop_heap(heap_.begin(), heap_.end(), Later{});
      Event ev = std::move(heap_.back());
      heap_.pop_back();
      now_ = ev.time;
      if (ev.is_timer) {
        if (live_timers_.erase(ev.timer) == 0) continue;
        run_job(ev.to, [&ev](Protocol& p, Context& c) { p.on_timer(c, ev.timer, ev.tag); });
      } else {
        deliver(ev);
      }
    }
    return error_.empty();
  }

  // Timed-handler statistics since the last reset_stats().
  struct Stats {
    std::uint64_t messages = 0;
    std::uint64_t effect_messages = 0;
    double seconds = 0;
    double effect_seconds = 0;
  };
  const Stats& stats() const { return stats_; }
  void reset_stats() { stats_ = {}; }

 private:
  struct Envelope {
    NodeId from;
    NodeId to;
    Message msg;
  };
  struct Event {
    TimeNs time = 0;
    std::uint64_t seq = 0;
    NodeId to = 0;
    NodeId from = 0;
    bool is_timer = false;
    TimerId timer = 0;
    std::uint64_t tag = 0;
    Message msg;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.time != b.time ? a.time > b.time : a.seq > b.seq;
    }
  };

  class NodeCrypto final : public hlsim::NodeCrypto {
   public:
    NodeCrypto(BenchCluster& c, NodeId self) : c_(c), self_(self) {}
    const PublicKey& public_key() const override { return c_.keys_[self_]; }
    const PublicKey& public_key_of(NodeId v) const override { return c_.keys_.at(v); }
    Signature sign(ByteView /*message*/) override { return placeholder_signature(self_); }
    bool verify(const PublicKey& /*key*/, ByteView /*message*/, const Signature& /*sig*/) override {
      return true;  // model-only, as Node::verify under VerifyPolicy::kModelOnly
    }
    Hash256 hash(ByteView data) override { return sha256(data); }
    void sign_vote(SignedVote& vote) override {
      vote.voter = self_;
      vote.voter_key = c_.keys_[self_];
      vote.signature = placeholder_signature(self_);
    }
    std::vector<std::uint8_t> verify_votes(std::span<const SignedVote> votes) override {
      std::vector<std::uint8_t> valid = c_.verifier_.verify_votes(votes);
      for (std::size_t i = 0; i < votes.size(); ++i) {
        const bool member =
            votes[i].voter < c_.n_ && votes[i].voter_key == c_.keys_[votes[i].voter];
        if (!member) valid[i] = 0;
      }
      return valid;
    }
    // hlsim::seal_block with the signature stubbed.
    BlockRef seal_block(Height height, const Hash256& prev_hash, std::uint64_t epoch,
                        std::vector<TxRef> txs) override {
      auto b = std::make_shared<Block>();
      std::vector<Hash256> leaves;
      leaves.reserve(txs.size());
      for (const TxRef& tx : txs) leaves.push_back(tx->commitment());
      BlockHeader& h = b->header;
      h.height = height;
      h.prev_hash = prev_hash;
      h.tx_root = merkle_root(leaves);
      h.state = c_.nodes_[self_]->chain.state_commitment();
      h.proposer = self_;
      h.epoch = epoch;
      h.timestamp_ns = c_.now_;
      h.tx_count = static_cast<std::uint32_t>(txs.size());
      h.proposer_key = c_.keys_[self_];
      b->txs = std::move(txs);
      b->hash = sha256(h.encode());
      b->signature = placeholder_signature(self_);
      return b;
    }
    // As Node::decode_block: decode, membership, check_block under the model-only verifier.
    std::optional<BlockRef> decode_block(ByteView encoded) override {
      auto block = Block::decode(encoded);
      if (!block) return std::nullopt;
      const NodeId proposer = block->header.proposer;
      if (proposer >= c_.n_ || block->header.proposer_key != c_.keys_[proposer]) {
        return std::nullopt;
      }
      if (check_block(*block, c_.verifier_) != BlockCheck::kOk) return std::nullopt;
      return std::make_shared<const Block>(std::move(*block));
    }

   private:
    BenchCluster& c_;
    NodeId self_;
  };

  class NodeCtx final : public Context {
   public:
    NodeCtx(BenchCluster& c, NodeId self)
        : c_(c), self_(self), rng_(Rng::stream(kSeed, RngDomain::kNode, self)), crypto_(c, self) {}

    TimeNs now() const override { return c_.now_; }
    NodeId self() const override { return self_; }
    std::uint32_t cluster_size() const override { return c_.n_; }
    void send(NodeId to, Message msg) override {
      if (static_cast<int>(msg.type) == c_.effect_) effect = true;
      outbox.push_back(Envelope{self_, to, std::move(msg)});
    }
    void broadcast(const Message& msg) override {
      for (NodeId to = 0; to < c_.n_; ++to) {
        if (to != self_) send(to, msg);
      }
    }
    TimerId set_timer(TimeNs delay_ns, std::uint64_t tag) override {
      const TimerId id = c_.next_timer_++;
      c_.live_timers_.insert(id);
      Event ev;
      ev.time = c_.now_ + std::max<TimeNs>(delay_ns, 0);
      ev.to = self_;
      ev.is_timer = true;
      ev.timer = id;
      ev.tag = tag;
      c_.push(std::move(ev));
      return id;
    }
    void cancel_timer(TimerId id) override { c_.live_timers_.erase(id); }
    hlsim::NodeCrypto& crypto() override { return crypto_; }
    const Chain& ledger() const override { return chain; }
    void commit(const BlockRef& block) override {
      if (Status s = chain.append(block); !s.ok()) {
        c_.error_ = "node " + std::to_string(self_) + ": " + s.error().message;
        return;
      }
      committed_txs += block->txs.size();
      if (c_.effect_ == kCommitEffect) effect = true;
    }
    Rng& rng() override { return rng_; }
    void charge(TimeNs /*cpu_ns*/) override {}
    void note_leader(std::uint64_t /*epoch*/, NodeId /*leader*/) override {}
    void note_reorg(Height /*fork_height*/, std::uint32_t /*depth_blocks*/,
                    std::uint32_t /*own_blocks*/) override {}

    Chain chain;
    std::vector<Envelope> outbox;
    bool effect = false;
    std::uint64_t committed_txs = 0;

   private:
    BenchCluster& c_;
    NodeId self_;
    Rng rng_;
    NodeCrypto crypto_;
  };

  void push(Event ev) {
    ev.seq = next_seq_++;
    heap_.push_back(std::move(ev));
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }

  template <class F>
  void run_job(NodeId node, F&& job) {
    NodeCtx& ctx = *nodes_[node];
    job(*protocols_[node], ctx);
    flush(ctx);
  }

  void flush(NodeCtx& ctx) {
    for (Envelope& e : ctx.outbox) {
      Event ev;
      ev.time = now_ + kLatencyNs;
      ev.to = e.to;
      ev.from = e.from;
      ev.msg = std::move(e.msg);
      push(std::move(ev));
    }
    ctx.outbox.clear();
  }

  void deliver(const Event& ev) {
    NodeCtx& ctx = *nodes_[ev.to];
    Protocol& p = *protocols_[ev.to];
    if (ev.msg.type < timed_mask_.size() && timed_mask_[ev.msg.type] &&
        ev.msg.view().size() >= min_body_bytes_) {
      ctx.effect = false;
      const auto t0 = Clock::now();
      p.on_message(ctx, ev.from, ev.msg);
      const auto t1 = Clock::now();
      const double s = std::chrono::duration<double>(t1 - t0).count();
      ++stats_.messages;
      stats_.seconds += s;
      if (ctx.effect) {
        ++stats_.effect_messages;
        stats_.effect_seconds += s;
      }
    } else {
      p.on_message(ctx, ev.from, ev.msg);
    }
    flush(ctx);
  }

  TxRef make_tx() {
    Transaction tx;
    tx.kind = 0;
    tx.client = static_cast<ClientId>(next_nonce_ % 1000);
    tx.nonce = next_nonce_++;
    tx.submit_ns = now_;
    tx.payload.resize(kPayloadBytes);
    for (std::size_t i = 0; i < kPayloadBytes; i += 8) {
      const std::uint64_t r = client_rng_.next_u64();
      for (std::size_t j = 0; j < 8 && i + j < kPayloadBytes; ++j) {
        tx.payload[i + j] = static_cast<std::uint8_t>(r >> (8 * j));
      }
    }
    tx.signer = client_key_;
    tx.signature = placeholder_signature(0);
    tx.id = tx.compute_id();
    return std::make_shared<const Transaction>(std::move(tx));
  }

  const std::uint32_t n_;
  const std::size_t min_body_bytes_;
  const int effect_;
  Verifier verifier_;
  Rng client_rng_;
  std::vector<PublicKey> keys_;
  PublicKey client_key_;
  std::vector<std::unique_ptr<Protocol>> protocols_;
  std::vector<std::unique_ptr<NodeCtx>> nodes_;
  std::vector<std::uint8_t> timed_mask_;

  TimeNs now_ = 0;
  std::uint64_t next_seq_ = 0;
  TimerId next_timer_ = 1;
  std::uint64_t next_nonce_ = 0;
  std::vector<Event> heap_;
  std::unordered_set<TimerId> live_timers_;
  Stats stats_;
  std::string error_;
};

// ---------------------------------------------------------------------------------------------
// Cases.

// PathCase::effect: the handler must commit a block (Context::commit) rather than send a message.
constexpr const char* kLedgerCommit = "<ledger commit>";

struct PathCase {
  const char* protocol;            // registry name
  std::vector<const char*> timed;  // message type names whose handlers are timed
  const char* effect;              // message type name the handler must send, or kLedgerCommit
  // Timed messages with a shorter body are delivered untimed (e.g. Raft's empty append_entries:
  // heartbeats and commit notices, which are not the batch path this case measures).
  std::size_t min_body_bytes = 0;
};

std::uint16_t type_index(const ProtocolInfo& info, const char* name) {
  for (std::size_t i = 0; i < info.message_types.size(); ++i) {
    if (info.message_types[i] == name) return static_cast<std::uint16_t>(i);
  }
  return UINT16_MAX;
}

// Args: {validators, transactions per block}.
void BM_Path(benchmark::State& state, const PathCase& pc) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  const auto txs = static_cast<std::size_t>(state.range(1));
  const ProtocolInfo* info = find_protocol(pc.protocol);
  if (info == nullptr) {
    state.SkipWithError("unknown protocol");
    return;
  }
  std::vector<std::uint16_t> timed;
  for (const char* name : pc.timed) {
    const std::uint16_t t = type_index(*info, name);
    if (t == UINT16_MAX) {
      state.SkipWithError(("unknown message type " + std::string(name)).c_str());
      return;
    }
    timed.push_back(t);
  }
  int effect = BenchCluster::kCommitEffect;
  if (std::string(pc.effect) != kLedgerCommit) effect = type_index(*info, pc.effect);
  auto values =
      ParamValues::parse(info->params, {{"max_block_tx", std::to_string(txs)}}, "consensus");
  if (!values.ok()) {
    state.SkipWithError(values.error().message.c_str());
    return;
  }
  if (info->validate) {
    if (Status s = info->validate(*values, n); !s.ok()) {
      state.SkipWithError(s.error().message.c_str());
      return;
    }
  }

  std::unique_ptr<BenchCluster> cluster;
  std::size_t rounds_in_cluster = 0;
  std::uint64_t round = 0;
  BenchCluster::Stats total;
  auto build = [&]() -> bool {
    if (cluster) {
      const auto& s = cluster->stats();
      total.messages += s.messages;
      total.effect_messages += s.effect_messages;
      total.seconds += s.seconds;
      total.effect_seconds += s.effect_seconds;
    }
    cluster = std::make_unique<BenchCluster>(*info, *values, n, timed, effect, pc.min_body_bytes);
    cluster->start();
    for (Height h = 1; h <= kWarmUpBlocks; ++h) {
      cluster->submit(txs, static_cast<NodeId>(round++));
      if (!cluster->run_to_height(h)) return false;
    }
    cluster->reset_stats();
    rounds_in_cluster = 0;
    return true;
  };

  for (auto _ : state) {
    if (!cluster || rounds_in_cluster == kRoundsPerCluster) {
      if (!build()) {
        state.SkipWithError(("warm-up did not commit: " + cluster->error()).c_str());
        return;
      }
    }
    const double before = cluster->stats().seconds;
    const Height target = cluster->min_height() + 1;
    cluster->submit(txs, static_cast<NodeId>(round++));
    if (!cluster->run_to_height(target)) {
      state.SkipWithError(
          ("round did not commit a block on every validator: " + cluster->error()).c_str());
      return;
    }
    ++rounds_in_cluster;
    state.SetIterationTime(cluster->stats().seconds - before);
  }
  {
    const auto& s = cluster->stats();
    total.messages += s.messages;
    total.effect_messages += s.effect_messages;
    total.seconds += s.seconds;
    total.effect_seconds += s.effect_seconds;
  }
  if (total.messages == 0 || total.effect_messages == 0) {
    state.SkipWithError(total.messages == 0 ? "no timed message was handled"
                                            : "the timed handlers never produced their effect");
    return;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(total.messages));
  state.counters["effect_ratio"] =
      static_cast<double>(total.effect_messages) / static_cast<double>(total.messages);
  state.counters["effect_ns"] =
      total.effect_seconds * 1e9 / static_cast<double>(total.effect_messages);
  const std::uint64_t other = total.messages - total.effect_messages;
  state.counters["other_ns"] =
      other == 0 ? 0.0 : (total.seconds - total.effect_seconds) * 1e9 / static_cast<double>(other);
  state.counters["msgs_per_round"] =
      static_cast<double>(total.messages) / static_cast<double>(state.iterations());
}

// 128 bytes: more than an empty append_entries, less than one carrying a block.
const PathCase kRaftAppend{"raft", {"append_entries"}, "append_reply", 128};
const PathCase kRaftReply{"raft", {"append_reply"}, kLedgerCommit};
const PathCase kPbftPrePrepare{"pbft", {"pre-prepare"}, "prepare"};
const PathCase kPbftVotes{"pbft", {"prepare", "commit"}, kLedgerCommit};
const PathCase kHotStuffProposal{"hotstuff", {"proposal"}, "vote"};
const PathCase kHotStuffVote{"hotstuff", {"vote"}, "proposal"};
const PathCase kTendermintProposal{"tendermint", {"proposal"}, "prevote"};
const PathCase kTendermintVotes{"tendermint", {"prevote", "precommit"}, kLedgerCommit};
const PathCase kPoaBlock{"poa", {"block"}, kLedgerCommit};

void Sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"n", "tx"});
  for (int n : {4, 16, 64}) b->Args({n, 16});
  b->UseManualTime();
}

void RaftSizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"n", "tx"});
  for (int tx : {1, 16, 256}) b->Args({4, tx});
  b->Args({64, 16});
  b->UseManualTime();
}

struct Registered {
  const char* name;
  const PathCase* path;
  void (*sizes)(benchmark::internal::Benchmark*);
};

const int kRegistered = [] {
  const Registered all[] = {
      {"Raft/AppendEntries", &kRaftAppend, RaftSizes},
      {"Raft/AppendReply", &kRaftReply, RaftSizes},
      {"Pbft/PrePrepare", &kPbftPrePrepare, Sizes},
      {"Pbft/PrepareCommit", &kPbftVotes, Sizes},
      {"HotStuff/Proposal", &kHotStuffProposal, Sizes},
      {"HotStuff/Vote", &kHotStuffVote, Sizes},
      {"Tendermint/Proposal", &kTendermintProposal, Sizes},
      {"Tendermint/Votes", &kTendermintVotes, Sizes},
      {"Poa/Block", &kPoaBlock, Sizes},
  };
  for (const Registered& r : all) {
    const PathCase* path = r.path;
    r.sizes(benchmark::RegisterBenchmark(
        r.name, [path](benchmark::State& state) { BM_Path(state, *path); }));
  }
  return 0;
}();

}  // namespace
}  // namespace hlsim

BENCHMARK_MAIN();
