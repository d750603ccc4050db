// Steps 1-4 of FabricPipeline (fabric_pipeline.h): proposal, endorsement (with private data
// dissemination), the gateway's collection of endorsements, the client's signature and the hop
// to the ordering service.
#include <algorithm>
#include <cmath>

#include "ledger/eov/rwset_recorder.h"
#include "sim/fabric/fabric_pipeline.h"

namespace hlsim {
namespace {

// Wire sizes of the small messages (framing, ids and a signature); what varies is added.
constexpr std::uint64_t kProposalOverheadBytes = 96;
constexpr std::uint64_t kResponseOverheadBytes = 200;

}  // namespace

// --- 1. proposal at the gateway ---

void FabricPipeline::submit(ClientId c, PreparedTx prepared, TimeNs now_ns) {
  const std::uint32_t gateway = gateway_of(c);
  const std::uint32_t index = host_.metrics->on_submit(*prepared.tx, peer_lp(gateway), now_ns);
  times_.resize(index + 1);
  const OrgIndex org = peers_[gateway]->org;
  const auto channel = route(org, prepared.tx->kind);
  if (!channel) {  // no channel of the client's organisation takes this kind
    ++rejected_no_channel_;
    host_.metrics->on_rejected(prepared.tx->id);
    return;
  }
  ClientState& client = host_.clients->client(c);
  Proposal p{index, gateway, std::move(prepared.tx), *channel, kNoCollection, nullptr};
  times_[index].channel = *channel;
  const std::uint32_t collection = collection_of(*channel, p.tx->kind);
  std::uint64_t bytes = p.tx->encoded_size();
  times_[index].collection = collection;
  if (collection != kNoCollection) {
    if (!member_of_collection(org, collection)) {  // memberOnlyWrite
      ++rejected_not_member_;
      host_.metrics->on_rejected(p.tx->id);
      return;
    }
    // The client signs a proposal that carries only the payload's hash; the payload travels
    // beside it as transient data.
    originals_.emplace(index, p.tx);
    p.transient = std::make_shared<const Bytes>(p.tx->payload);
    p.tx = std::make_shared<const Transaction>(private_proposal(*p.tx, collection, client.key));
    p.collection = collection;
    bytes = p.tx->encoded_size() + p.transient->size();
  }
  const TimeNs at_ns = client.link.transmit(bytes, now_ns);
  host_.kernel->schedule(at_ns, peer_lp(gateway), proposal_at_gateway_kind_,
                         proposals_.put(std::move(p)));
}

void FabricPipeline::on_proposal_at_gateway(const Event& e) {
  Peer& gw = *peers_[e.node - first_peer_lp_];
  if (defer_if_busy(gw, e)) return;
  Proposal p = proposals_.take(e.arg);
  if (host_.on_peer_receive) {
    receipt(gw.index, PeerReceipt::kProposal, p.channel, p.tx->encode());
    if (p.transient) receipt(gw.index, PeerReceipt::kTransient, p.channel, *p.transient);
  }
  const HardwareProfile& prof = host_.shared->profile;
  const bool signed_ok = host_.shared->verifier.verify_tx(*p.tx);
  const TimeNs done_ns = run_job(gw, e.time_ns, prof.verify_cost_ns(p.tx->signer.scheme));
  if (!signed_ok) {
    host_.metrics->on_rejected(p.tx->id);
    return;
  }
  const EndorsementPolicy& policy = p.collection == kNoCollection
                                        ? channel_policies_[p.channel]
                                        : collection_policies_[p.collection];
  // Balanced over the equally good sets of organisations by the proposal (never salt 0, which
  // would always pick the lexicographically first).
  const std::vector<OrgIndex> orgs = policy.choose_endorsers(gw.org, p.tx->id.prefix64() | 1);
  auto wait = std::make_unique<Wait>();
  wait->proposal = p.tx;
  wait->channel = p.channel;
  wait->collection = p.collection;
  wait->needed = static_cast<std::uint32_t>(orgs.size());
  waits_[p.index] = std::move(wait);
  const std::uint64_t bytes =
      p.tx->encoded_size() + kProposalOverheadBytes + (p.transient ? p.transient->size() : 0);
  for (const OrgIndex org : orgs) {
    // Its own organisation: itself. Others: spread over their peers by the client's nonce.
    const std::uint32_t endorser =
        org == gw.org
            ? gw.index
            : org_first_peer_[org] + static_cast<std::uint32_t>((p.tx->nonce + p.tx->client) %
                                                                scenario_.pipeline.org_peers[org]);
    const TimeNs at_ns = hop(orderers_ + gw.index, orderers_ + endorser, bytes, done_ns, gw.rng);
    host_.kernel->schedule(
        at_ns, peer_lp(endorser), proposal_at_endorser_kind_,
        proposals_.put({p.index, gw.index, p.tx, p.channel, p.collection, p.transient}));
  }
}

// --- 2. endorsement ---

void FabricPipeline::on_proposal_at_endorser(const Event& e) {
  Peer& peer = *peers_[e.node - first_peer_lp_];
  if (defer_if_busy(peer, e)) return;
  Proposal p = proposals_.take(e.arg);
  if (host_.on_peer_receive && p.gateway != peer.index) {
    receipt(peer.index, PeerReceipt::kProposal, p.channel, p.tx->encode());
    if (p.transient) receipt(peer.index, PeerReceipt::kTransient, p.channel, *p.transient);
  }
  const HardwareProfile& prof = host_.shared->profile;
  TimeNs cost_ns = prof.verify_cost_ns(p.tx->signer.scheme);
  Response r;
  r.index = p.index;
  r.gateway = p.gateway;
  r.status = static_cast<std::uint8_t>(TxOutcome::kInvalid);
  Ledger* ledger = peer.ledger(p.channel);
  // What the contract runs on: the proposal itself, or for a private one the proposal with its
  // transient payload (checked against the signed hash), against the collection's private state.
  std::optional<Transaction> clear;
  VersionedState* state = nullptr;
  if (ledger != nullptr && host_.shared->verifier.verify_tx(*p.tx)) {
    if (p.collection == kNoCollection) {
      state = &ledger->state;
    } else if (const auto it = ledger->private_states.find(p.collection);
               it != ledger->private_states.end() && p.transient) {
      clear = with_transient(*p.tx, *p.transient);
      cost_ns += prof.hash_cost_ns(p.transient->size());
      if (clear) state = &it->second;
    }
  }
  TimeNs respond_ns = 0;
  if (state != nullptr) {
    const Transaction& tx = clear ? *clear : *p.tx;
    // The proposal's own timestamp is the contract's clock, so that every endorser computes the
    // same result from the same state (Fabric's GetTxTimestamp).
    RwSetRecorder recorder(*state);
    const ApplyResult result = peer.contract->apply(recorder, tx, tx.submit_ns);
    r.status = static_cast<std::uint8_t>(result.outcome);
    auto rwset = std::make_shared<const RwSet>(recorder.take());
    std::uint64_t read_bytes = 0;
    for (const KvRead& rd : rwset->reads) {
      const VersionedValue* v = state->find(rd.key);
      read_bytes += rd.key.size() + (v != nullptr ? v->value.size() : 0);
    }
    const std::size_t rw_bytes = rwset->encoded_size();
    cost_ns +=
        prof.round_ns(prof.tx_execute_ns) +
        static_cast<TimeNs>(rwset->reads.size()) * prof.round_ns(prof.storage_get_ns_per_op) +
        prof.round_ns(prof.storage_get_ns_per_byte * static_cast<double>(read_bytes)) +
        prof.hash_cost_ns(rw_bytes) + prof.hash_cost_ns(160) + prof.sign_cost_ns(peer.key.scheme());
    std::shared_ptr<const RwSet> clear_rwset;
    if (p.collection != kNoCollection) {
      // Ordered and signed: the hashed read-write set; the clear one goes to the members.
      clear_rwset = std::move(rwset);
      rwset = std::make_shared<const RwSet>(hashed_rwset(p.collection, *clear_rwset));
      cost_ns += prof.hash_cost_ns(rw_bytes) +
                 static_cast<TimeNs>(clear_rwset->reads.size() + clear_rwset->writes.size()) *
                     prof.hash_cost_ns(32);
    }
    r.rwset_hash = rwset->hash();
    const Hash256 digest = endorsement_digest(p.channel, p.tx->id, r.status, r.rwset_hash);
    r.endorsement =
        Endorsement{peer.org, peer.index, peer.key.public_key(), peer.key.sign(digest.view())};
    r.rwset = std::move(rwset);
    ++counters_[peer.index].endorsements;
    const TimeNs done_ns = run_job(peer, e.time_ns, cost_ns);
    respond_ns = done_ns;
    if (clear_rwset) {
      // Dissemination: the clear read-write set to every other member peer of the collection;
      // the endorser answers once each has acknowledged it.
      auto& mine = peer.transient[p.tx->id];
      mine.push_back(clear_rwset);
      const std::uint64_t bytes = clear_rwset->encoded_size() + kResponseOverheadBytes;
      for (const std::uint32_t q : peers_of(scenario_.pipeline.collections[p.collection].members)) {
        if (q == peer.index) continue;
        const TimeNs at_ns = hop(orderers_ + peer.index, orderers_ + q, bytes, done_ns, peer.rng);
        respond_ns = std::max(respond_ns, at_ns + network_.topology().path_latency_ns(
                                                      orderers_ + q, orderers_ + peer.index));
        Delivery d;
        d.peer = q;
        d.channel = p.channel;
        d.private_rwset = clear_rwset;
        d.proposal_id = p.tx->id;
        ++private_disseminations_;
        host_.kernel->schedule(at_ns, peer_lp(q), private_data_kind_,
                               deliveries_.put(std::move(d)));
      }
    }
  } else {
    respond_ns = run_job(peer, e.time_ns, cost_ns);
  }
  const std::uint64_t bytes = kResponseOverheadBytes + (r.rwset ? r.rwset->encoded_size() : 0);
  const TimeNs at_ns =
      hop(orderers_ + peer.index, orderers_ + p.gateway, bytes, respond_ns, peer.rng);
  host_.kernel->schedule(at_ns, peer_lp(p.gateway), response_at_gateway_kind_,
                         responses_.put(std::move(r)));
}

void FabricPipeline::on_private_data(const Event& e) {
  // Stored on arrival (no CPU queueing: the transient store is written by the gossip thread), so
  // that it is there before any block that orders the transaction.
  Delivery d = deliveries_.take(e.arg);
  Peer& peer = *peers_[d.peer];
  if (host_.on_peer_receive) {
    receipt(peer.index, PeerReceipt::kPrivateData, d.channel, d.private_rwset->encode());
  }
  auto& copies = peer.transient[d.proposal_id];
  const bool seen = std::any_of(copies.begin(), copies.end(),
                                [&](const auto& x) { return *x == *d.private_rwset; });
  if (!seen) copies.push_back(std::move(d.private_rwset));
}

// --- 3. the gateway collects ---

void FabricPipeline::on_response_at_gateway(const Event& e) {
  Peer& gw = *peers_[e.node - first_peer_lp_];
  if (defer_if_busy(gw, e)) return;
  Response r = responses_.take(e.arg);
  const auto it = waits_.find(r.index);
  if (it == waits_.end()) return;  // already decided
  Wait& w = *it->second;
  if (host_.on_peer_receive && r.rwset) {
    receipt(gw.index, PeerReceipt::kResponse, w.channel, r.rwset->encode());
  }
  w.responses.push_back(std::move(r));
  // Comparing the payloads is a hash comparison per response: cheap, charged as one.
  const TimeNs done_ns = run_job(gw, e.time_ns, host_.shared->profile.hash_cost_ns(64));
  if (w.responses.size() < w.needed) return;
  const std::uint32_t index = it->first;
  const Response& first = w.responses.front();
  bool agree = true;
  for (const Response& x : w.responses) {
    agree = agree && x.status == first.status && x.rwset_hash == first.rwset_hash;
  }
  const bool invalid = first.status == static_cast<std::uint8_t>(TxOutcome::kInvalid);
  if (invalid || !agree) {
    ++(invalid ? rejected_invalid_ : rejected_mismatch_);
    host_.metrics->on_rejected(w.proposal->id);
    waits_.erase(it);
    return;
  }
  times_[index].endorsed_ns = done_ns;
  Envelope env;
  env.channel = w.channel;
  env.collection = w.collection;
  env.status = first.status;
  env.proposal = *w.proposal;
  env.rwset = *first.rwset;
  std::sort(w.responses.begin(), w.responses.end(), [](const Response& a, const Response& b) {
    return a.endorsement.peer < b.endorsement.peer;
  });
  for (const Response& x : w.responses) env.endorsements.push_back(x.endorsement);
  // The client signs the envelope: the endorsements go back to it over its access link.
  const ClientId c = w.proposal->client;
  const std::uint64_t bytes =
      env.rwset.encoded_size() + env.endorsements.size() * 110 + w.proposal->encoded_size();
  const TimeNs at_client =
      done_ns + host_.clients->client(c).link.latency_ns() +
      static_cast<TimeNs>(std::ceil(static_cast<double>(bytes) * 8e9 /
                                    host_.clients->client(c).link.bandwidth_bps()));
  Delivery d;
  d.peer = gw.index;
  d.index = index;
  d.client = c;
  d.envelope = std::make_shared<Transaction>(envelope_transaction(env));
  waits_.erase(it);
  host_.kernel->schedule(at_client, orderers_ + c, client_sign_kind_,
                         deliveries_.put(std::move(d)));
}

// --- 4. the client signs, the gateway forwards ---

void FabricPipeline::on_client_sign(const Event& e) {
  Delivery d = deliveries_.take(e.arg);
  ClientState& client = host_.clients->client(d.client);
  Transaction tx = *d.envelope;
  sign_tx(tx, client.key);
  auto envelope = std::make_shared<const Transaction>(std::move(tx));
  envelope_index_.emplace(envelope->id, d.index);
  if (host_.on_envelope) host_.on_envelope(envelope->id);
  const TimeNs at_ns = client.link.transmit(envelope->encoded_size(), e.time_ns);
  const NodeId gateway_lp = peer_lp(d.peer);
  d.envelope = std::move(envelope);
  d.orderer = kNoNode;  // not a failure notice
  host_.kernel->schedule(at_ns, gateway_lp, envelope_at_gateway_kind_,
                         deliveries_.put(std::move(d)));
}

void FabricPipeline::on_envelope_at_gateway(const Event& e) {
  const Delivery d = deliveries_.take(e.arg);
  Peer& gw = *peers_[d.peer];
  if (d.orderer != kNoNode) {
    // A failure notice: the orderer it went to was down. Move on from it (unless the gateway
    // already has) and resend.
    ++resubmits_;
    if (gw.submit_to == d.orderer) gw.submit_to = (d.orderer + 1) % orderers_;
  }
  const TimeNs at_ns =
      hop(orderers_ + gw.index, gw.submit_to, d.envelope->encoded_size(), e.time_ns, gw.rng);
  host_.to_orderer(gw.submit_to, d.envelope, at_ns);
}

void FabricPipeline::on_orderer_unreachable(NodeId orderer, const TxRef& envelope, TimeNs now_ns) {
  if (!envelope_index_.contains(envelope->id)) return;
  // The failed connection reaches the gateway one path latency later.
  Delivery d;
  d.peer = gateway_of(envelope->client);
  d.orderer = orderer;
  d.envelope = envelope;
  const TimeNs back_ns = now_ns + network_.topology().path_latency_ns(orderer, orderers_ + d.peer);
  const NodeId gateway_lp = peer_lp(d.peer);
  host_.kernel->schedule(back_ns, gateway_lp, envelope_at_gateway_kind_,
                         deliveries_.put(std::move(d)));
}

}  // namespace hlsim
