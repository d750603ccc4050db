#include "sim/node/node.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <stdexcept>

#include "ledger/crypto/sha256.h"
#include "ledger/encoding.h"
#include "workloads/execute.h"

namespace hlsim {

namespace {

std::string node_dir(const NodeShared& shared, NodeId id) {
  return shared.storage_dir + "/node-" + std::to_string(id);
}

Chain open_chain(const NodeShared& shared, NodeId id, bool create) {
  auto store = open_node_store(shared, id, create);
  if (!store.ok()) throw std::runtime_error(store.error().message);
  if (create) {
    if (store.value()->backend() == "rocksdb") {
      Writer keys;
      for (const PublicKey& k : shared.validator_keys) k.encode_to(keys);
      Status a = store.value()->put_meta("validators", keys.data());
      Status b = store.value()->put_meta("scenario", as_bytes(shared.scenario_yaml));
      if (!a.ok() || !b.ok()) throw std::runtime_error((a.ok() ? b : a).error().message);
    }
    return Chain(std::move(store.value()));
  }
  auto chain = Chain::open(std::move(store.value()));
  if (!chain.ok()) {
    throw std::runtime_error("node " + std::to_string(id) + " cannot recover its ledger from " +
                             node_dir(shared, id) + ": " + chain.error().message);
  }
  return std::move(chain.value());
}

}  // namespace

Result<std::unique_ptr<LedgerStore>> open_node_store(const NodeShared& shared, NodeId id,
                                                     bool create) {
  if (shared.storage == "rocksdb") return open_rocksdb_ledger_store(node_dir(shared, id), create);
  return make_memory_ledger_store();
}

Node::Node(NodeId id, std::uint32_t cluster_size, std::uint32_t cores, std::uint64_t seed,
           SigningKey key, std::unique_ptr<Protocol> protocol, std::unique_ptr<Contract> contract,
           std::size_t message_types, NodeShared* shared)
    : id_(id),
      cluster_size_(cluster_size),
      key_(std::move(key)),
      protocol_(std::move(protocol)),
      contract_(std::move(contract)),
      shared_(shared),
      chain_(open_chain(*shared, id, /*create=*/true)),
      cpu_(cores),
      rng_(Rng::stream(seed, RngDomain::kNode, id)) {
  counters_.msgs_sent.assign(message_types, 0);
  counters_.bytes_sent.assign(message_types, 0);
  counters_.msgs_recv.assign(message_types, 0);
  counters_.bytes_recv.assign(message_types, 0);
}

void Node::begin_job(TimeNs start_ns) {
  job_start_ns_ = start_ns;
  now_ns_ = local_time(start_ns);
  job_cost_ns_ = 0;
  outbox_.clear();
}

TimeNs Node::local_time(TimeNs real_ns) const {
  if (clock_rate_ == 1) return clock_local_ns_ + (real_ns - clock_real_ns_);
  return clock_local_ns_ +
         static_cast<TimeNs>(static_cast<double>(real_ns - clock_real_ns_) / clock_rate_);
}

void Node::set_clock_rate(TimeNs at_ns, double rate) {
  if (rate == clock_rate_) return;
  // Back to the true rate: the clock is also set right, as NTP steps a clock it can reach again,
  // so a drift window leaves no offset behind (a permanent offset beyond a PoA step would be a
  // fault that never heals).
  clock_local_ns_ = rate == 1 ? at_ns : local_time(at_ns);
  clock_real_ns_ = at_ns;
  clock_rate_ = rate;
}

void Node::crash(TimeNs now_ns) {
  crashed_ = true;
  ++counters_.crashes;
  cpu_.reset(now_ns);
  // The chain stays readable for observers until the restart decides what survived (nothing is
  // written to it while the node is down).
}

void Node::restart(TimeNs now_ns) {
  chain_ = Chain();  // closes a durable store, as the crashed process would have
  if (!storage_lost_on_crash()) {
    chain_ = open_chain(*shared_, id_, /*create=*/false);
    counters_.recovered_blocks += chain_.height();
  }
  crashed_ = false;
  ++incarnation_;   // timers armed before the crash no longer fire
  timers_.clear();  // ids keep increasing, so a stale id can never name a new timer
  cpu_.reset(now_ns);
}

bool Node::admit_client_tx(const Transaction& tx) {
  ++counters_.client_txs;
  charge(profile().verify_cost_ns(tx.signer.scheme));
  if (!shared_->verifier.verify_tx(tx)) {
    ++counters_.client_txs_rejected;
    return false;
  }
  return true;
}

void Node::receive_message(const Message& msg) {
  assert(msg.type < counters_.msgs_recv.size());
  ++counters_.msgs_recv[msg.type];
  counters_.bytes_recv[msg.type] += msg.wire_bytes();
  charge(profile().message_cost_ns(msg.wire_bytes()));
}

void Node::send(NodeId to, Message msg) {
  assert(to != id_ && to < cluster_size_);
  assert(msg.type < counters_.msgs_sent.size());
  ++counters_.msgs_sent[msg.type];
  counters_.bytes_sent[msg.type] += msg.wire_bytes();
  charge(profile().message_cost_ns(msg.wire_bytes()));
  outbox_.sends.emplace_back(to, std::move(msg));
}

void Node::broadcast(const Message& msg) {
  for (NodeId to = 0; to < cluster_size_; ++to) {
    if (to != id_) send(to, msg);
  }
}

TimerId Node::set_timer(TimeNs delay_ns, std::uint64_t tag) {
  assert(delay_ns >= 0);
  const TimerId id = timers_.arm();
  outbox_.timers.push_back({id, delay_ns, tag});
  return id;
}

void Node::commit(const BlockRef& block) {
  const std::string who = "node " + std::to_string(id_) + ": ";
  const BlockHeader& header = block->header;
  if (header.height != chain_.next_height() || header.prev_hash != chain_.head_hash()) {
    outbox_.violations.push_back(who + "committed block " + std::to_string(header.height) +
                                 " that does not extend its chain at height " +
                                 std::to_string(chain_.height()));
    return;
  }
  // The header's state commitment must be what this node's own execution produced.
  if (header.state.height > chain_.height() ||
      chain_.state_root_at(header.state.height) != header.state.root) {
    outbox_.violations.push_back(who + "block " + std::to_string(header.height) +
                                 " commits to state root " + header.state.root.hex().substr(0, 8) +
                                 " after height " + std::to_string(header.state.height) +
                                 ", which differs from this node's execution");
    return;
  }
  // Every validator checks every committed transaction's signature before executing it. The real
  // checks run in parallel on the host's cores; the simulated cost is charged per transaction.
  const std::vector<std::uint8_t> valid = shared_->verifier.verify_txs(block->txs);
  for (const TxRef& tx : block->txs) charge(profile().verify_cost_ns(tx->signer.scheme));
  if (!contract_) {
    // An ordering node (execute-order-validate): it checks each transaction's creator and stores
    // the block; the peers execute.
    std::vector<TxOutcome> outcomes;
    outcomes.reserve(valid.size());
    for (const std::uint8_t v : valid)
      outcomes.push_back(v ? TxOutcome::kApplied : TxOutcome::kInvalid);
    charge(profile().round_ns(profile().block_fsync_ns));
    if (Status appended = chain_.append(block, {}); !appended.ok()) {
      throw std::runtime_error(who + "cannot store block " + std::to_string(header.height) + ": " +
                               appended.error().message);
    }
    outbox_.commits.push_back(CommitRecord{block, std::move(outcomes)});
    return;
  }
  // The first validator to execute this block on this state runs the contract; the others take
  // its result (the same, by determinism) and charge the same cost.
  ExecutionMemo& memo = shared_->execution_memo;
  const Hash256 memo_key =
      memo.enabled() ? ExecutionMemo::key_of(chain_.state_root_at(chain_.height()), *block, valid)
                     : Hash256{};
  const ExecutionMemo::Entry* const known = memo.enabled() ? memo.find(memo_key) : nullptr;
  std::shared_ptr<const BlockExecution> run =
      known != nullptr ? known->run
                       : std::make_shared<const BlockExecution>(
                             execute_block(*contract_, chain_.store(), *block, valid));
  charge(
      static_cast<TimeNs>(run->executed) * profile().round_ns(profile().tx_execute_ns) +
      static_cast<TimeNs>(run->put_ops) * profile().round_ns(profile().storage_put_ns_per_op) +
      profile().round_ns(profile().storage_put_ns_per_byte * static_cast<double>(run->put_bytes)) +
      static_cast<TimeNs>(run->reads) * profile().round_ns(profile().storage_get_ns_per_op) +
      profile().round_ns(profile().storage_get_ns_per_byte * static_cast<double>(run->read_bytes)));
  counters_.txs_executed += run->executed;
  counters_.state_reads += run->reads;
  charge(state_tree_cost_ns(run->writes.size()) + profile().round_ns(profile().block_fsync_ns));
  // The links were checked above, so a failure is the store failing (e.g. a disk error).
  const Status appended =
      known != nullptr
          ? chain_.append_known(block,
                                std::shared_ptr<const std::vector<StateWrite>>(run, &run->writes),
                                known->root_after)
          : chain_.append(block, run->writes);
  if (!appended.ok()) {
    throw std::runtime_error(who + "cannot store block " + std::to_string(header.height) + ": " +
                             appended.error().message);
  }
  if (known == nullptr && memo.enabled()) {
    memo.insert(memo_key, ExecutionMemo::Entry{run, chain_.state_root_at(chain_.height())});
  }
  outbox_.commits.push_back(CommitRecord{block, run->outcomes});
}

TimeNs Node::state_tree_cost_ns(std::size_t writes) const {
  // Each written key rehashes its path: about log2(keys) inner nodes plus its leaf, 65 bytes each.
  if (writes == 0) return 0;
  const double keys = static_cast<double>(std::max<std::uint64_t>(chain_.store().key_count(), 1));
  const auto depth = static_cast<TimeNs>(std::ceil(std::log2(keys + 1)));
  return static_cast<TimeNs>(writes) * (depth + 1) * profile().hash_cost_ns(65);
}

const PublicKey& Node::public_key_of(NodeId validator) const {
  assert(validator < shared_->validator_keys.size());
  return shared_->validator_keys[validator];
}

Signature Node::sign(ByteView message) {
  charge(profile().sign_cost_ns(key_.scheme()));
  return key_.sign(message);
}

bool Node::verify(const PublicKey& key, ByteView message, const Signature& signature) {
  charge(profile().verify_cost_ns(key.scheme));
  switch (shared_->verifier.policy()) {
    case VerifyPolicy::kModelOnly:
      return true;
    case VerifyPolicy::kEveryNode:
    case VerifyPolicy::kOnce:
      break;  // protocol messages are verified by their one receiver: nothing to memoise
  }
  return verify_signature(key, message, signature);
}

Hash256 Node::hash(ByteView data) {
  charge(profile().hash_cost_ns(data.size()));
  return sha256(data);
}

void Node::sign_vote(SignedVote& vote) {
  charge(profile().sign_cost_ns(key_.scheme()));
  vote.voter = id_;
  if (shared_->presigner) {
    shared_->presigner->sign(vote);
  } else {
    hlsim::sign_vote(vote, key_);
  }
}

std::vector<std::uint8_t> Node::verify_votes(std::span<const SignedVote> votes) {
  // The batch fans out over the node's cores: ceil(k / cores) verifications end to end.
  const std::uint32_t cores = std::max<std::uint32_t>(cpu_.cores(), 1);
  TimeNs cost_ns = 0;
  for (std::size_t i = 0; i < votes.size(); i += cores) {
    cost_ns += profile().verify_cost_ns(votes[i].voter_key.scheme);
  }
  charge(cost_ns);
  std::vector<std::uint8_t> valid = shared_->verifier.verify_votes(votes);
  for (std::size_t i = 0; i < votes.size(); ++i) {
    const bool member =
        votes[i].voter < cluster_size_ && votes[i].voter_key == public_key_of(votes[i].voter);
    if (!member) valid[i] = 0;
  }
  return valid;
}

TimeNs Node::merkle_cost_ns(std::size_t leaves) const {
  // n leaf hashes over 33 bytes and n-1 inner hashes over 65 bytes.
  if (leaves == 0) return profile().hash_cost_ns(0);
  return static_cast<TimeNs>(leaves) * profile().hash_cost_ns(33) +
         static_cast<TimeNs>(leaves - 1) * profile().hash_cost_ns(65);
}

BlockRef Node::seal_block(Height height, const Hash256& prev_hash, std::uint64_t epoch,
                          std::vector<TxRef> txs) {
  charge(merkle_cost_ns(txs.size()) + profile().hash_cost_ns(200) +
         profile().sign_cost_ns(key_.scheme()));
  return hlsim::seal_block(height, prev_hash, id_, epoch, now_ns_, std::move(txs), key_,
                           chain_.state_commitment());
}

std::optional<BlockRef> Node::decode_block(ByteView encoded) {
  // Decoding and checking a block are pure functions of its bytes and of the run's validator keys,
  // which every node shares: the first node to decode a block keeps the result, and the others
  // take it (and share its memory) and charge the same simulated cost. Under every-node
  // verification each of them still checks the proposer's signature and the transaction root for
  // real, as that policy promises.
  BoundedMemo<BlockRef>& memo = shared_->decoded_blocks;
  const Hash256 key = memo.enabled() ? sha256(encoded) : Hash256{};
  if (const BlockRef* known = memo.enabled() ? memo.find(key) : nullptr) {
    charge(block_check_cost_ns(encoded.size(), **known));
    if (shared_->verifier.policy() == VerifyPolicy::kEveryNode &&
        check_block(**known, shared_->verifier) != BlockCheck::kOk) {
      return std::nullopt;
    }
    return *known;
  }
  auto block = Block::decode(encoded);
  if (!block) {
    charge(profile().hash_cost_ns(encoded.size()));
    return std::nullopt;
  }
  charge(block_check_cost_ns(encoded.size(), *block));
  // Only a member may propose: the signer must be the validator the header names.
  const NodeId proposer = block->header.proposer;
  if (proposer >= cluster_size_ || block->header.proposer_key != public_key_of(proposer)) {
    return std::nullopt;
  }
  if (check_block(*block, shared_->verifier) != BlockCheck::kOk) return std::nullopt;
  BlockRef ref = std::make_shared<const Block>(std::move(*block));
  memo.insert(key, ref);
  return ref;
}

std::optional<BlockRef> Node::decode_block_in(const Message& carrier, ByteView encoded) {
  // Every receiver of a broadcast block holds the same body: the first decodes the block (through
  // decode_block, so with its checks and its memo) and the others take its result by the body's
  // identity, without hashing the encoding again, and charge and check what decode_block would
  // have on a memo hit.
  MessageDecodeMemo& memo = shared_->decoded_messages;
  if (auto kept = memo.find(carrier, encoded, typeid(Block))) {
    BlockRef block = std::static_pointer_cast<const Block>(std::move(kept));
    charge(block_check_cost_ns(encoded.size(), *block));
    if (shared_->verifier.policy() == VerifyPolicy::kEveryNode &&
        check_block(*block, shared_->verifier) != BlockCheck::kOk) {
      return std::nullopt;
    }
    return block;
  }
  std::optional<BlockRef> block = decode_block(encoded);
  if (block && *block) memo.insert(carrier, encoded, typeid(Block), *block);
  return block;
}

TimeNs Node::block_check_cost_ns(std::size_t encoded_bytes, const Block& block) const {
  // Decoding hashed every transaction body and the header; checking rebuilds the Merkle root and
  // verifies the proposer's signature.
  return profile().hash_cost_ns(encoded_bytes) + merkle_cost_ns(block.txs.size()) +
         profile().verify_cost_ns(block.header.proposer_key.scheme);
}

}  // namespace hlsim
