// A validator node: the protocol instance plus everything it sees through its Context.
//
// The node implements Context and NodeCrypto for its protocol. It never touches another node or
// the kernel: everything a job emits (messages, timers, commits, leader notes) is collected in an
// Outbox that the simulation releases when the job finishes on the node's CPU.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "consensus/protocol.h"
#include "ledger/bounded_memo.h"
#include "ledger/chain.h"
#include "ledger/crypto/signature.h"
#include "ledger/hardware_profile.h"
#include "ledger/verifier.h"
#include "sim/kernel/rng.h"
#include "sim/kernel/timers.h"
#include "sim/node/cpu_model.h"
#include "sim/node/vote_presigner.h"
#include "workloads/contract.h"
#include "workloads/execution_memo.h"

namespace hlsim {

struct TimerRequest {
  TimerId id;
  TimeNs delay_ns;
  std::uint64_t tag;
};

struct CommitRecord {
  BlockRef block;
  std::vector<TxOutcome> outcomes;  // per transaction, in block order
};

struct ReorgNote {
  Height fork_height = 0;
  std::uint32_t depth_blocks = 0;
  std::uint32_t own_blocks = 0;  // of depth_blocks, sealed by the reporting node
};

struct Outbox {
  std::vector<std::pair<NodeId, Message>> sends;
  std::vector<TimerRequest> timers;
  std::vector<CommitRecord> commits;
  std::vector<std::pair<std::uint64_t, NodeId>> leaders;  // (epoch, leader) notes
  std::vector<ReorgNote> reorgs;
  std::vector<std::string> violations;  // safety violations detected by this node's ledger
  void clear() {
    violations.clear();
    sends.clear();
    timers.clear();
    commits.clear();
    leaders.clear();
    reorgs.clear();
  }
};

// Per-node figures, reported in the `nodes` and `messages` tables.
struct NodeCounters {
  std::vector<std::uint64_t> msgs_sent, bytes_sent, msgs_recv, bytes_recv;  // by message type
  std::uint64_t client_txs = 0;           // transactions received from clients
  std::uint64_t client_txs_rejected = 0;  // ... whose signature did not verify
  std::uint64_t txs_executed = 0;
  std::uint64_t crashes = 0;
  std::uint64_t recovered_blocks = 0;  // blocks found in durable storage at restarts, in total
  std::uint64_t state_reads = 0;       // contract reads of the world state
};

// Shared by all nodes of one run (one simulation thread): validators' public keys, the verifier
// (its policy and memo; see ledger/verifier.h) and the execution memo. The memos hold only pure
// functions' results, so sharing them changes what the host computes, never what a node sees.
struct NodeShared {
  std::vector<PublicKey> validator_keys;
  Verifier verifier;
  // Block executions already done by a validator, for the others (workloads/execution_memo.h).
  ExecutionMemo execution_memo;
  // Blocks already decoded and checked by a node, by the SHA-256 of their encoding, for the others
  // (Node::decode_block). Enough for every node of a large cluster to receive a block a few
  // hundred blocks after the first did.
  BoundedMemo<BlockRef> decoded_blocks{kDecodedBlocksKept};
  static constexpr std::size_t kDecodedBlocksKept = 512;
  // Broadcast message bodies already decoded by a receiver, for the others (Context::decode_memo).
  // Enough for the broadcasts in flight at once in a cluster of 1,000 gossiping validators.
  MessageDecodeMemo decoded_messages{kDecodedMessagesKept};
  static constexpr std::size_t kDecodedMessagesKept = 2048;
  // Signs the validators' common votes ahead of them on a spare core (vote_presigner.h); null
  // unless the run enabled it (Simulation::enable_background_signing).
  std::unique_ptr<VotePresigner> presigner;
  HardwareProfile profile;
  // Ledger storage: "memory", or "rocksdb" with node i's database in <storage_dir>/node-<i>.
  std::string storage = "memory";
  std::string storage_dir;
  // Recorded in every durable store (meta keys "scenario" and "validators") so `hlsim verify` can
  // re-execute and check a node's ledger on its own.
  std::string scenario_yaml;
};

// Opens node `id`'s ledger store as `shared` says: a fresh memory store, or its RocksDB directory
// (created when `create`).
Result<std::unique_ptr<LedgerStore>> open_node_store(const NodeShared& shared, NodeId id,
                                                     bool create);

class Node final : public Context, public NodeCrypto {
 public:
  // A null `contract` makes an ordering node: commit() checks and stores blocks without executing
  // them (the execute-order-validate pipeline's peers execute).
  Node(NodeId id, std::uint32_t cluster_size, std::uint32_t cores, std::uint64_t seed,
       SigningKey key, std::unique_ptr<Protocol> protocol, std::unique_ptr<Contract> contract,
       std::size_t message_types, NodeShared* shared);

  // --- job control, used by the simulation ---
  // Starts a job at simulation time `start_ns`; the protocol sees its node's local clock.
  void begin_job(TimeNs start_ns);
  TimeNs job_start_ns() const { return job_start_ns_; }
  TimeNs job_cost_ns() const { return job_cost_ns_; }
  // Clock drift: from simulation time `at_ns` on, the local clock runs 1/rate as fast (rate 4:
  // every local second lasts four real ones), continuing from where it stands. Rate 1 ends the
  // drift and sets the clock right (it jumps to simulation time, as NTP steps a clock).
  void set_clock_rate(TimeNs at_ns, double rate);
  // The local clock at simulation time `real_ns` (>= the last rate change).
  TimeNs local_time(TimeNs real_ns) const;
  Outbox& outbox() { return outbox_; }
  Protocol& protocol() { return *protocol_; }
  CpuModel& cpu() { return cpu_; }
  TimerTable& timers() { return timers_; }
  NodeCounters& counters() { return counters_; }
  const NodeCounters& counters() const { return counters_; }
  const Chain& chain() const { return chain_; }

  bool crashed() const { return crashed_; }
  std::uint32_t incarnation() const { return incarnation_; }
  void crash(TimeNs now_ns);
  // Reopens the ledger: recovered from disk (rocksdb) or empty (memory). The caller then runs a
  // job calling protocol().on_restart(node, storage_lost()). Throws std::runtime_error when a
  // durable store cannot be reopened.
  void restart(TimeNs now_ns);
  bool storage_lost_on_crash() const { return shared_->storage != "rocksdb"; }

  // A client transaction arriving: verifies its signature (charged). False when rejected.
  bool admit_client_tx(const Transaction& tx);
  // Accounts a received message (charged).
  void receive_message(const Message& msg);

  // --- Context ---
  TimeNs now() const override { return now_ns_; }
  NodeId self() const override { return id_; }
  std::uint32_t cluster_size() const override { return cluster_size_; }
  void send(NodeId to, Message msg) override;
  void broadcast(const Message& msg) override;
  TimerId set_timer(TimeNs delay_ns, std::uint64_t tag) override;
  void cancel_timer(TimerId id) override { timers_.cancel(id); }
  NodeCrypto& crypto() override { return *this; }
  const Chain& ledger() const override { return chain_; }
  void commit(const BlockRef& block) override;
  Rng& rng() override { return rng_; }
  void charge(TimeNs cpu_ns) override { job_cost_ns_ += cpu_ns; }
  void note_leader(std::uint64_t epoch, NodeId leader) override {
    outbox_.leaders.emplace_back(epoch, leader);
  }
  void note_reorg(Height fork_height, std::uint32_t depth_blocks,
                  std::uint32_t own_blocks) override {
    outbox_.reorgs.push_back(ReorgNote{fork_height, depth_blocks, own_blocks});
  }
  MessageDecodeMemo* decode_memo() override { return &shared_->decoded_messages; }

  // --- NodeCrypto ---
  const PublicKey& public_key() const override { return key_.public_key(); }
  // Its signing key, for what it signs outside its protocol: an ordering node's channel blocks
  // (sim/fabric/).
  const SigningKey& signing_key() const { return key_; }
  const PublicKey& public_key_of(NodeId validator) const override;
  Signature sign(ByteView message) override;
  bool verify(const PublicKey& key, ByteView message, const Signature& signature) override;
  Hash256 hash(ByteView data) override;
  void sign_vote(SignedVote& vote) override;
  std::vector<std::uint8_t> verify_votes(std::span<const SignedVote> votes) override;
  BlockRef seal_block(Height height, const Hash256& prev_hash, std::uint64_t epoch,
                      std::vector<TxRef> txs) override;
  std::optional<BlockRef> decode_block(ByteView encoded) override;
  std::optional<BlockRef> decode_block_in(const Message& carrier, ByteView encoded) override;

 private:
  const HardwareProfile& profile() const { return shared_->profile; }
  TimeNs merkle_cost_ns(std::size_t leaves) const;
  // What decoding and checking a well-formed block of `encoded_bytes` costs.
  TimeNs block_check_cost_ns(std::size_t encoded_bytes, const Block& block) const;
  TimeNs state_tree_cost_ns(std::size_t writes) const;

  NodeId id_;
  std::uint32_t cluster_size_;
  SigningKey key_;
  std::unique_ptr<Protocol> protocol_;
  std::unique_ptr<Contract> contract_;
  NodeShared* shared_;
  Chain chain_;
  CpuModel cpu_;
  TimerTable timers_;
  Rng rng_;
  NodeCounters counters_;
  Outbox outbox_;
  TimeNs now_ns_ = 0;        // local clock at the job's start: what the protocol sees
  TimeNs job_start_ns_ = 0;  // simulation time of the job's start
  TimeNs job_cost_ns_ = 0;
  // Local clock = clock_local_ns_ + (t - clock_real_ns_) / clock_rate_ (identity without drift).
  TimeNs clock_real_ns_ = 0;
  TimeNs clock_local_ns_ = 0;
  double clock_rate_ = 1;
  bool crashed_ = false;
  std::uint32_t incarnation_ = 0;
};

}  // namespace hlsim
