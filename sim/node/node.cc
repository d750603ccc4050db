#include "sim/node/node.h"

#include <cassert>

#include "ledger/crypto/sha256.h"
#include "ledger/storage/memory_store.h"

namespace hlsim {

Node::Node(NodeId id, std::uint32_t cluster_size, std::uint32_t cores, std::uint64_t seed,
           SigningKey key, std::unique_ptr<Protocol> protocol, std::unique_ptr<Contract> contract,
           std::size_t message_types, NodeShared* shared)
    : id_(id),
      cluster_size_(cluster_size),
      key_(std::move(key)),
      protocol_(std::move(protocol)),
      contract_(std::move(contract)),
      shared_(shared),
      chain_(std::make_unique<MemoryStore>()),
      cpu_(cores),
      rng_(Rng::stream(seed, RngDomain::kNode, id)) {
  counters_.msgs_sent.assign(message_types, 0);
  counters_.bytes_sent.assign(message_types, 0);
  counters_.msgs_recv.assign(message_types, 0);
  counters_.bytes_recv.assign(message_types, 0);
}

void Node::begin_job(TimeNs start_ns) {
  now_ns_ = start_ns;
  job_cost_ns_ = 0;
  outbox_.clear();
}

void Node::crash(TimeNs now_ns) {
  crashed_ = true;
  ++counters_.crashes;
  cpu_.reset(now_ns);
}

void Node::restart(TimeNs now_ns) {
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
  CommitRecord record{block, {}};
  record.outcomes.reserve(block->txs.size());
  // Every validator checks every committed transaction's signature before executing it. The real
  // checks run in parallel on the host's cores; the simulated cost is charged per transaction.
  const std::vector<std::uint8_t> valid = shared_->verifier.verify_txs(block->txs);
  for (std::size_t i = 0; i < block->txs.size(); ++i) {
    const Transaction* tx = block->txs[i].get();
    charge(profile().verify_cost_ns(tx->signer.scheme));
    if (valid[i] == 0) {
      record.outcomes.push_back(TxOutcome::kInvalid);
      continue;
    }
    charge(profile().round_ns(profile().tx_execute_ns));
    const ApplyResult r = contract_->apply(chain_.state(), *tx, block->header.timestamp_ns);
    charge(static_cast<TimeNs>(r.writes) * profile().round_ns(profile().storage_put_ns_per_op) +
           profile().round_ns(profile().storage_put_ns_per_byte *
                              static_cast<double>(r.written_bytes)));
    record.outcomes.push_back(r.outcome);
    ++counters_.txs_executed;
  }
  charge(profile().round_ns(profile().block_fsync_ns));
  Status appended = chain_.append(block);
  if (!appended.ok()) {
    outbox_.violations.push_back("node " + std::to_string(id_) +
                                 " committed a block that does "
                                 "not extend its chain: " +
                                 appended.error().message);
    return;
  }
  outbox_.commits.push_back(std::move(record));
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
  return hlsim::seal_block(height, prev_hash, id_, epoch, now_ns_, std::move(txs), key_);
}

std::optional<BlockRef> Node::decode_block(ByteView encoded) {
  auto block = Block::decode(encoded);
  if (!block) {
    charge(profile().hash_cost_ns(encoded.size()));
    return std::nullopt;
  }
  // Decoding hashed every transaction body and the header; checking rebuilds the Merkle root and
  // verifies the proposer's signature.
  charge(profile().hash_cost_ns(encoded.size()) + merkle_cost_ns(block->txs.size()) +
         profile().verify_cost_ns(block->header.proposer_key.scheme));
  // Only a member may propose: the signer must be the validator the header names.
  const NodeId proposer = block->header.proposer;
  if (proposer >= cluster_size_ || block->header.proposer_key != public_key_of(proposer)) {
    return std::nullopt;
  }
  if (check_block(*block, shared_->verifier) != BlockCheck::kOk) return std::nullopt;
  return std::make_shared<const Block>(std::move(*block));
}

}  // namespace hlsim
