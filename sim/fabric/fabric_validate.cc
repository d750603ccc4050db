// Step 6 of FabricPipeline (fabric_pipeline.h): a peer validates a channel block (signatures,
// endorsements, policy, MVCC), commits it, applies private data it is a member for, and the
// pipeline checks that every member reached the same state.
#include <algorithm>

#include "ledger/eov/endorsement_check.h"
#include "sim/fabric/fabric_pipeline.h"

namespace hlsim {
namespace {

TxStatus committed_status(ValidationCode code, std::uint8_t status) {
  if (code != ValidationCode::kValid) return TxStatus::kInvalid;
  return status == static_cast<std::uint8_t>(TxOutcome::kDenied) ? TxStatus::kDenied
                                                                 : TxStatus::kCommitted;
}

}  // namespace

// --- 6. validation and commit ---

void FabricPipeline::on_block_at_peer(const Event& e) {
  Peer& peer = *peers_[e.node - first_peer_lp_];
  const Delivery& pending = deliveries_.items[e.arg];
  Ledger* ledger = peer.ledger(pending.channel);
  const Height h = pending.block->header.height;
  if (ledger == nullptr || h <= ledger->height) {  // a duplicate (e.g. resent after a reconnect)
    deliveries_.take(e.arg);
    return;
  }
  if (h > ledger->height + 1) {  // ahead of a gap: wait for the missing blocks
    ledger->early.emplace(h, deliveries_.take(e.arg).block);
    return;
  }
  if (defer_if_busy(peer, e)) return;
  const Delivery d = deliveries_.take(e.arg);
  if (host_.on_peer_receive) {
    receipt(peer.index, PeerReceipt::kBlock, d.channel, d.block->encode());
  }
  validate(peer, *ledger, d.block, e.time_ns);
}

void FabricPipeline::check_digest(std::vector<std::uint64_t>& digests, Height h,
                                  std::uint64_t digest, const Peer& peer, const std::string& what) {
  if (digests.size() < h) digests.resize(h, 0);
  if (digests[h - 1] == 0) {
    digests[h - 1] = digest | 1;  // never 0, which marks "not yet"
  } else if (digests[h - 1] != (digest | 1) && violation_.empty()) {
    violation_ = "peer " + std::to_string(peer.index) + " reached another " + what +
                 " than the first peer to commit block " + std::to_string(h);
  }
}

void FabricPipeline::validate(Peer& peer, Ledger& ledger, const BlockRef& block, TimeNs start_ns) {
  const HardwareProfile& prof = host_.shared->profile;
  Verifier& verifier = host_.shared->verifier;
  const Block& b = *block;
  const Height h = b.header.height;
  const std::uint32_t channel = ledger.channel;
  // The block: decoded and hashed, its Merkle root rebuilt, its proposer's signature verified.
  TimeNs cost_ns = prof.hash_cost_ns(b.encoded_size()) +
                   static_cast<TimeNs>(b.txs.size() + 1) * prof.hash_cost_ns(65) +
                   prof.verify_cost_ns(b.header.proposer_key.scheme);
  const bool member = b.header.proposer < orderers_ &&
                      b.header.proposer_key == host_.shared->validator_keys[b.header.proposer];
  if (!member || b.header.prev_hash != ledger.last_hash ||
      check_block(b, verifier) != BlockCheck::kOk) {
    // A block that does not check out is not from the ordering service: ignore it and wait for
    // the real one (it can only come from a faulty orderer).
    run_job(peer, start_ns, cost_ns);
    return;
  }
  const std::vector<std::uint8_t> creators = verifier.verify_txs(b.txs);
  std::vector<std::optional<Envelope>> envs(b.txs.size());
  std::vector<ValidationCode> codes(b.txs.size(), ValidationCode::kValid);
  std::vector<const RwSet*> rwsets(b.txs.size(), nullptr);
  std::uint64_t endorsement_checks = 0;
  std::uint64_t reads = 0;
  const ChannelPolicies policies{&channel_policies_[channel], policies_in_channel_[channel]};
  for (std::size_t i = 0; i < b.txs.size(); ++i) {
    const Transaction& tx = *b.txs[i];
    cost_ns += prof.verify_cost_ns(tx.signer.scheme) + prof.hash_cost_ns(tx.payload.size());
    EnvelopeCheck check = check_envelope(tx, creators[i] != 0, channel, policies, identities_,
                                         scenario_.pipeline.orgs.size(), verifier);
    endorsement_checks += check.endorsements_checked;
    codes[i] = check.code;
    envs[i] = std::move(check.envelope);
    if (codes[i] != ValidationCode::kValid) continue;
    cost_ns += prof.hash_cost_ns(envs[i]->rwset.encoded_size());
    rwsets[i] = &envs[i]->rwset;
    reads += envs[i]->rwset.reads.size();
  }
  // Endorsement signatures are checked in parallel over the peer's cores.
  const std::uint32_t cores = std::max<std::uint32_t>(peer.cpu.cores(), 1);
  cost_ns += static_cast<TimeNs>((endorsement_checks + cores - 1) / cores) *
             prof.verify_cost_ns(scenario_.ledger.signature);
  codes = validate_and_commit(ledger.state, h, rwsets, std::move(codes));
  std::uint64_t writes = 0;
  std::uint64_t written_bytes = 0;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const std::uint32_t collection = envs[i] ? envs[i]->collection : kNoCollection;
    if (collection != kNoCollection && envs[i]) {
      // A member applies the clear writes it was sent, once they hash to the ordered ones; every
      // peer drops the private data of a judged transaction from its transient store.
      const auto t = peer.transient.find(envs[i]->proposal.id);
      const auto state = ledger.private_states.find(collection);
      if (codes[i] == ValidationCode::kValid && state != ledger.private_states.end()) {
        const RwSet* clear = nullptr;
        if (t != peer.transient.end()) {
          for (const auto& copy : t->second) {
            cost_ns += prof.hash_cost_ns(copy->encoded_size());
            if (hashed_rwset(collection, *copy) == envs[i]->rwset) clear = copy.get();
            if (clear != nullptr) break;
          }
        }
        if (clear == nullptr && violation_.empty()) {
          violation_ = "member peer " + std::to_string(peer.index) +
                       " lacks the private data of a valid transaction in block " +
                       std::to_string(h) + " of channel " +
                       scenario_.pipeline.channels[channel].name;
        }
        if (clear != nullptr) {
          state->second.apply(clear->writes, Version{h, static_cast<std::uint32_t>(i)});
          for (const KvWrite& w : clear->writes) {
            ++writes;
            written_bytes += w.key.size() + (w.value ? w.value->size() : 0);
          }
        }
      }
      if (t != peer.transient.end()) peer.transient.erase(t);
    }
    if (codes[i] != ValidationCode::kValid) continue;
    for (const KvWrite& w : rwsets[i]->writes) {
      ++writes;
      written_bytes += w.key.size() + (w.value ? w.value->size() : 0);
    }
  }
  cost_ns += static_cast<TimeNs>(reads) * prof.round_ns(prof.storage_get_ns_per_op) +
             static_cast<TimeNs>(writes) * prof.round_ns(prof.storage_put_ns_per_op) +
             prof.round_ns(prof.storage_put_ns_per_byte * static_cast<double>(written_bytes)) +
             prof.round_ns(prof.block_fsync_ns);
  const TimeNs done_ns = run_job(peer, start_ns, cost_ns);
  ledger.height = h;
  ledger.last_hash = b.hash;
  PeerCounters& pc = counters_[peer.index];
  ++pc.blocks;

  // Every member peer must reach the same state after each block: the channel's state, and each
  // collection's private state among the collection's members.
  check_digest(digest_at_[channel], h, ledger.state.digest(), peer,
               "state of channel " + scenario_.pipeline.channels[channel].name);
  for (const auto& [collection, state] : ledger.private_states) {
    check_digest(private_digest_at_[collection], h, state.digest(), peer,
                 "private state of collection " + scenario_.pipeline.collections[collection].name);
  }
  for (std::size_t i = 0; i < codes.size(); ++i) {
    codes[i] == ValidationCode::kValid ? ++pc.valid : ++pc.invalid;
    const auto it = envelope_index_.find(b.txs[i]->id);
    if (it == envelope_index_.end()) continue;
    const std::uint32_t index = it->second;
    PipelineTxTimes& t = times_[index];
    const bool valid = codes[i] == ValidationCode::kValid;
    // Observers see what the client submitted (the clear proposal of a private transaction).
    const auto original = originals_.find(index);
    const Transaction* shown = original != originals_.end() ? original->second.get()
                               : envs[i]                    ? &envs[i]->proposal
                                                            : nullptr;
    const TxOutcome outcome =
        valid && envs[i] ? static_cast<TxOutcome>(envs[i]->status) : TxOutcome::kInvalid;
    if (!t.validated) {
      t.validated = true;
      t.code = codes[i];
      ++codes_[static_cast<std::size_t>(codes[i])];
      if (valid && t.collection != kNoCollection) ++private_valid_;
      if (host_.on_judged && shown != nullptr) host_.on_judged(*shown, outcome, done_ns);
    }
    if (host_.on_gateway_commit && shown != nullptr) {
      host_.on_gateway_commit(peer.index, *shown, outcome, done_ns);
    }
    const bool at_gateway = gateway_of(b.txs[i]->client) == peer.index;
    if (at_gateway && t.gateway_commit_ns < 0) t.gateway_commit_ns = done_ns;
    host_.metrics->on_pipeline_commit(
        index, h, committed_status(codes[i], envs[i] ? envs[i]->status : 0), at_gateway, done_ns);
  }
  // A block that was waiting for this one goes next.
  const auto next = ledger.early.find(h + 1);
  if (next != ledger.early.end()) {
    Delivery d;
    d.peer = peer.index;
    d.channel = channel;
    d.block = next->second;
    ledger.early.erase(next);
    host_.kernel->schedule(done_ns, peer_lp(peer.index), block_at_peer_kind_,
                           deliveries_.put(std::move(d)));
  }
}

}  // namespace hlsim
