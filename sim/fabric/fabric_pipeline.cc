#include "sim/fabric/fabric_pipeline.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "ledger/eov/endorsement_check.h"
#include "ledger/eov/rwset_recorder.h"
#include "sim/network/topology.h"

namespace hlsim {
namespace {

// Wire sizes of the small messages (framing, ids and a signature); what varies is added.
constexpr std::uint64_t kProposalOverheadBytes = 96;
constexpr std::uint64_t kResponseOverheadBytes = 200;

// The channel of every transaction until channels are modelled.
constexpr std::uint32_t kChannel = 0;

TxStatus committed_status(ValidationCode code, std::uint8_t status) {
  if (code != ValidationCode::kValid) return TxStatus::kInvalid;
  return status == static_cast<std::uint8_t>(TxOutcome::kDenied) ? TxStatus::kDenied
                                                                 : TxStatus::kCommitted;
}

}  // namespace

Result<std::unique_ptr<FabricPipeline>> FabricPipeline::create(const Scenario& sc, Host host) {
  assert(sc.pipeline.fabric());
  auto policy = EndorsementPolicy::parse(sc.pipeline.policy, sc.pipeline.orgs);
  if (!policy.ok()) return Error{"pipeline.policy: " + policy.error().message};
  std::uint32_t peers = 0;
  for (const std::uint32_t n : sc.pipeline.org_peers) peers += n;
  // Orderers 0..V-1 and peers V..V+P-1, every pair linked with the scenario's link latency and
  // bandwidth; reliable (gRPC over TCP retransmits), so no loss.
  auto topology = Topology::full_mesh(sc.consensus.nodes + peers, sc.network.latency_ns,
                                      sc.network.bandwidth_bps, 0.0);
  if (!topology.ok()) return Error{"network: " + topology.error().message};
  auto network = Network::create(std::move(topology.value()));
  if (!network.ok()) return Error{"network: " + network.error().message};
  return std::unique_ptr<FabricPipeline>(new FabricPipeline(
      sc, std::move(host), std::move(policy.value()), std::move(network.value())));
}

FabricPipeline::FabricPipeline(const Scenario& sc, Host host, EndorsementPolicy policy,
                               Network network)
    : scenario_(sc),
      host_(std::move(host)),
      policy_(std::move(policy)),
      network_(std::move(network)),
      orderers_(sc.consensus.nodes),
      codes_(kValidationCodes, 0) {
  first_peer_lp_ = orderers_ + host_.clients->size();
  for (OrgIndex o = 0; o < sc.pipeline.orgs.size(); ++o) {
    org_first_peer_.push_back(static_cast<std::uint32_t>(peers_.size()));
    for (std::uint32_t i = 0; i < sc.pipeline.org_peers[o]; ++i) {
      const auto index = static_cast<std::uint32_t>(peers_.size());
      auto peer = std::make_unique<Peer>(
          sc.node.cores, Rng::stream(sc.seed, RngDomain::kNetwork, first_peer_lp_ + index));
      peer->index = index;
      peer->org = o;
      peer->key = SigningKey::derive(
          sc.seed, "peer-" + sc.pipeline.orgs[o] + "-" + std::to_string(i), sc.ledger.signature);
      peer->contract = host_.workload->make_contract();
      peer->deliver_from = index % orderers_;
      peer->submit_to = index % orderers_;
      identities_.push_back(PeerIdentity{o, peer->key.public_key()});
      peers_.push_back(std::move(peer));
    }
  }
  counters_.resize(peers_.size());
  subscribers_.resize(orderers_);
  for (const auto& peer : peers_) subscribers_[peer->deliver_from].insert(peer->index);
  for (NodeId o = 0; o < orderers_; ++o) {
    // Streams of their own, apart from the orderers' consensus traffic.
    orderer_rngs_.push_back(Rng::stream(sc.seed ^ 0xfab51cULL, RngDomain::kNetwork, o));
  }
  proposal_at_gateway_.self = proposal_at_endorser_.self = response_at_gateway_.self =
      client_sign_.self = envelope_at_gateway_.self = block_at_peer_.self = reconnect_.self =
          seek_.self = this;
  Kernel& k = *host_.kernel;
  proposal_at_gateway_kind_ = k.register_handler(&proposal_at_gateway_);
  proposal_at_endorser_kind_ = k.register_handler(&proposal_at_endorser_);
  response_at_gateway_kind_ = k.register_handler(&response_at_gateway_);
  client_sign_kind_ = k.register_handler(&client_sign_);
  envelope_at_gateway_kind_ = k.register_handler(&envelope_at_gateway_);
  block_at_peer_kind_ = k.register_handler(&block_at_peer_);
  reconnect_kind_ = k.register_handler(&reconnect_);
  seek_kind_ = k.register_handler(&seek_);
}

std::uint32_t FabricPipeline::gateway_of(ClientId c) const {
  const auto orgs = static_cast<std::uint32_t>(org_first_peer_.size());
  const OrgIndex org = c % orgs;
  return org_first_peer_[org] + (c / orgs) % scenario_.pipeline.org_peers[org];
}

bool FabricPipeline::defer_if_busy(Peer& peer, const Event& e) {
  const TimeNs free_ns = peer.cpu.earliest_free_ns();
  if (free_ns <= e.time_ns) return false;
  host_.kernel->schedule(free_ns, e.node, e.kind, e.arg);
  return true;
}

TimeNs FabricPipeline::run_job(Peer& peer, TimeNs start_ns, TimeNs cost_ns) {
  counters_[peer.index].busy_ns += cost_ns;
  return peer.cpu.run(start_ns, cost_ns);
}

TimeNs FabricPipeline::hop(NodeId from_net, NodeId to_net, std::uint64_t bytes, TimeNs now_ns,
                           Rng& rng) {
  if (from_net == to_net) return now_ns;
  // Lossless links never drop, so the arrival is always there.
  return *network_.transmit(from_net, to_net, bytes + kMessageHeaderBytes, now_ns, rng);
}

// --- 1. proposal at the gateway ---

void FabricPipeline::submit(ClientId c, PreparedTx prepared, TimeNs now_ns) {
  const std::uint32_t gateway = gateway_of(c);
  const std::uint32_t index = host_.metrics->on_submit(*prepared.tx, peer_lp(gateway), now_ns);
  times_.resize(index + 1);
  ClientState& client = host_.clients->client(c);
  const TimeNs at_ns = client.link.transmit(prepared.tx->encoded_size(), now_ns);
  host_.kernel->schedule(at_ns, peer_lp(gateway), proposal_at_gateway_kind_,
                         proposals_.put({index, gateway, std::move(prepared.tx)}));
}

void FabricPipeline::on_proposal_at_gateway(const Event& e) {
  Peer& gw = *peers_[e.node - first_peer_lp_];
  if (defer_if_busy(gw, e)) return;
  Proposal p = proposals_.take(e.arg);
  const HardwareProfile& prof = host_.shared->profile;
  const bool signed_ok = host_.shared->verifier.verify_tx(*p.tx);
  const TimeNs done_ns = run_job(gw, e.time_ns, prof.verify_cost_ns(p.tx->signer.scheme));
  if (!signed_ok) {
    host_.metrics->on_rejected(p.tx->id);
    return;
  }
  const std::vector<OrgIndex> orgs = policy_.choose_endorsers(gw.org);
  auto wait = std::make_unique<Wait>();
  wait->proposal = p.tx;
  wait->needed = static_cast<std::uint32_t>(orgs.size());
  waits_[p.index] = std::move(wait);
  for (const OrgIndex org : orgs) {
    // Its own organisation: itself. Others: spread over their peers by the client's nonce.
    const std::uint32_t endorser =
        org == gw.org
            ? gw.index
            : org_first_peer_[org] + static_cast<std::uint32_t>((p.tx->nonce + p.tx->client) %
                                                                scenario_.pipeline.org_peers[org]);
    const TimeNs at_ns = hop(orderers_ + gw.index, orderers_ + endorser,
                             p.tx->encoded_size() + kProposalOverheadBytes, done_ns, gw.rng);
    host_.kernel->schedule(at_ns, peer_lp(endorser), proposal_at_endorser_kind_,
                           proposals_.put({p.index, gw.index, p.tx}));
  }
}

// --- 2. endorsement ---

void FabricPipeline::on_proposal_at_endorser(const Event& e) {
  Peer& peer = *peers_[e.node - first_peer_lp_];
  if (defer_if_busy(peer, e)) return;
  Proposal p = proposals_.take(e.arg);
  const HardwareProfile& prof = host_.shared->profile;
  TimeNs cost_ns = prof.verify_cost_ns(p.tx->signer.scheme);
  Response r;
  r.index = p.index;
  r.gateway = p.gateway;
  if (!host_.shared->verifier.verify_tx(*p.tx)) {
    r.status = static_cast<std::uint8_t>(TxOutcome::kInvalid);
  } else {
    // The proposal's own timestamp is the contract's clock, so that every endorser computes the
    // same result from the same state (Fabric's GetTxTimestamp).
    RwSetRecorder recorder(peer.state);
    const ApplyResult result = peer.contract->apply(recorder, *p.tx, p.tx->submit_ns);
    r.status = static_cast<std::uint8_t>(result.outcome);
    auto rwset = std::make_shared<RwSet>(recorder.take());
    std::uint64_t read_bytes = 0;
    for (const KvRead& rd : rwset->reads) {
      const VersionedValue* v = peer.state.find(rd.key);
      read_bytes += rd.key.size() + (v != nullptr ? v->value.size() : 0);
    }
    const std::size_t rw_bytes = rwset->encoded_size();
    r.rwset_hash = rwset->hash();
    const Hash256 digest = endorsement_digest(kChannel, p.tx->id, r.status, r.rwset_hash);
    r.endorsement =
        Endorsement{peer.org, peer.index, peer.key.public_key(), peer.key.sign(digest.view())};
    r.rwset = std::move(rwset);
    cost_ns +=
        prof.round_ns(prof.tx_execute_ns) +
        static_cast<TimeNs>(r.rwset->reads.size()) * prof.round_ns(prof.storage_get_ns_per_op) +
        prof.round_ns(prof.storage_get_ns_per_byte * static_cast<double>(read_bytes)) +
        prof.hash_cost_ns(rw_bytes) + prof.hash_cost_ns(160) + prof.sign_cost_ns(peer.key.scheme());
    ++counters_[peer.index].endorsements;
  }
  const TimeNs done_ns = run_job(peer, e.time_ns, cost_ns);
  const std::uint64_t bytes = kResponseOverheadBytes + (r.rwset ? r.rwset->encoded_size() : 0);
  const TimeNs at_ns = hop(orderers_ + peer.index, orderers_ + p.gateway, bytes, done_ns, peer.rng);
  host_.kernel->schedule(at_ns, peer_lp(p.gateway), response_at_gateway_kind_,
                         responses_.put(std::move(r)));
}

// --- 3. the gateway collects ---

void FabricPipeline::on_response_at_gateway(const Event& e) {
  Peer& gw = *peers_[e.node - first_peer_lp_];
  if (defer_if_busy(gw, e)) return;
  Response r = responses_.take(e.arg);
  const auto it = waits_.find(r.index);
  if (it == waits_.end()) return;  // already decided
  Wait& w = *it->second;
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
  env.channel = kChannel;
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
  d.envelope = std::make_shared<Transaction>([&] {
    Transaction unsigned_tx;
    unsigned_tx.kind = env.proposal.kind;
    unsigned_tx.client = env.proposal.client;
    unsigned_tx.nonce = env.proposal.nonce;
    unsigned_tx.submit_ns = env.proposal.submit_ns;
    unsigned_tx.payload = env.encode();
    return unsigned_tx;
  }());
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

// --- 5. ordered blocks reach the peers ---

void FabricPipeline::on_ordered(NodeId orderer, const BlockRef& block, TimeNs now_ns) {
  const Height h = block->header.height;
  if (h > ordered_height_) {
    ordered_height_ = h;
    for (const TxRef& tx : block->txs) {
      const auto it = envelope_index_.find(tx->id);
      if (it != envelope_index_.end() && times_[it->second].ordered_ns < 0) {
        times_[it->second].ordered_ns = now_ns;
      }
    }
  }
  for (const std::uint32_t peer : subscribers_[orderer]) send_block(orderer, peer, block, now_ns);
}

void FabricPipeline::send_block(NodeId orderer, std::uint32_t peer, const BlockRef& block,
                                TimeNs now_ns) {
  const TimeNs at_ns =
      hop(orderer, orderers_ + peer, block->encoded_size(), now_ns, orderer_rngs_[orderer]);
  Delivery d;
  d.peer = peer;
  d.orderer = orderer;
  d.block = block;
  host_.kernel->schedule(at_ns, peer_lp(peer), block_at_peer_kind_, deliveries_.put(std::move(d)));
}

void FabricPipeline::on_orderer_crash(NodeId orderer, TimeNs now_ns) {
  // Its delivery streams break; each subscribed peer notices and reconnects elsewhere.
  for (const std::uint32_t peer : subscribers_[orderer]) {
    Delivery d;
    d.peer = peer;
    d.orderer = orderer;
    host_.kernel->schedule(now_ns + kDeliverReconnectNs, peer_lp(peer), reconnect_kind_,
                           deliveries_.put(std::move(d)));
  }
  subscribers_[orderer].clear();
}

void FabricPipeline::on_reconnect(const Event& e) {
  Delivery d = deliveries_.take(e.arg);
  Peer& peer = *peers_[d.peer];
  ++counters_[peer.index].reconnects;
  // Seek from the next orderer everything above this peer's height.
  const NodeId next = (d.orderer + 1) % orderers_;
  peer.deliver_from = next;
  d.orderer = next;
  d.from_height = peer.height + 1;
  const TimeNs at_ns =
      e.time_ns + network_.topology().path_latency_ns(orderers_ + peer.index, next);
  host_.kernel->schedule(at_ns, next, seek_kind_, deliveries_.put(std::move(d)));
}

void FabricPipeline::on_seek(const Event& e) {
  Delivery d = deliveries_.take(e.arg);
  const NodeId orderer = e.node;
  const TimeNs back_ns =
      e.time_ns + network_.topology().path_latency_ns(orderer, orderers_ + d.peer);
  const Node& o = *(*host_.orderers)[orderer];
  if (o.crashed()) {
    // The connection fails; the peer learns of it a path latency later and tries the next one.
    const NodeId peer_lp_id = peer_lp(d.peer);
    host_.kernel->schedule(back_ns, peer_lp_id, reconnect_kind_, deliveries_.put(std::move(d)));
    return;
  }
  subscribers_[orderer].insert(d.peer);
  const Chain& chain = o.chain();
  for (Height h = d.from_height; h <= chain.height(); ++h) {
    send_block(orderer, d.peer, chain.at(h), e.time_ns);
  }
}

// --- 6. validation and commit ---

void FabricPipeline::on_block_at_peer(const Event& e) {
  Peer& peer = *peers_[e.node - first_peer_lp_];
  const Delivery& pending = deliveries_.items[e.arg];
  const Height h = pending.block->header.height;
  if (h <= peer.height) {  // a duplicate (e.g. resent after a reconnect)
    deliveries_.take(e.arg);
    return;
  }
  if (h > peer.height + 1) {  // ahead of a gap: wait for the missing blocks
    peer.early.emplace(h, deliveries_.take(e.arg).block);
    return;
  }
  if (defer_if_busy(peer, e)) return;
  const Delivery d = deliveries_.take(e.arg);
  validate(peer, d.block, e.time_ns);
}

void FabricPipeline::validate(Peer& peer, const BlockRef& block, TimeNs start_ns) {
  const HardwareProfile& prof = host_.shared->profile;
  Verifier& verifier = host_.shared->verifier;
  const Block& b = *block;
  const Height h = b.header.height;
  // The block: decoded and hashed, its Merkle root rebuilt, its proposer's signature verified.
  TimeNs cost_ns = prof.hash_cost_ns(b.encoded_size()) +
                   static_cast<TimeNs>(b.txs.size() + 1) * prof.hash_cost_ns(65) +
                   prof.verify_cost_ns(b.header.proposer_key.scheme);
  const bool member = b.header.proposer < orderers_ &&
                      b.header.proposer_key == host_.shared->validator_keys[b.header.proposer];
  if (!member || check_block(b, verifier) != BlockCheck::kOk) {
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
  for (std::size_t i = 0; i < b.txs.size(); ++i) {
    const Transaction& tx = *b.txs[i];
    cost_ns += prof.verify_cost_ns(tx.signer.scheme) + prof.hash_cost_ns(tx.payload.size());
    EnvelopeCheck check = check_envelope(tx, creators[i] != 0, kChannel, policy_, identities_,
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
  codes = validate_and_commit(peer.state, h, rwsets, std::move(codes));
  std::uint64_t writes = 0;
  std::uint64_t written_bytes = 0;
  for (std::size_t i = 0; i < codes.size(); ++i) {
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
  peer.height = h;
  PeerCounters& pc = counters_[peer.index];
  ++pc.blocks;

  // Every peer must reach the same state after each block.
  if (digest_at_.size() < h) digest_at_.resize(h, 0);
  const bool first_peer = digest_at_[h - 1] == 0;
  if (first_peer) {
    digest_at_[h - 1] = peer.state.digest() | 1;  // never 0, which marks "not yet"
  } else if (digest_at_[h - 1] != (peer.state.digest() | 1) && violation_.empty()) {
    violation_ = "peer " + std::to_string(peer.index) +
                 " reached another state than the first "
                 "peer to commit block " +
                 std::to_string(h);
  }
  for (std::size_t i = 0; i < codes.size(); ++i) {
    codes[i] == ValidationCode::kValid ? ++pc.valid : ++pc.invalid;
    const auto it = envelope_index_.find(b.txs[i]->id);
    if (it == envelope_index_.end()) continue;
    const std::uint32_t index = it->second;
    PipelineTxTimes& t = times_[index];
    if (!t.validated) {
      t.validated = true;
      t.code = codes[i];
      ++codes_[static_cast<std::size_t>(codes[i])];
      if (host_.on_judged && envs[i]) {
        const bool valid = codes[i] == ValidationCode::kValid;
        host_.on_judged(envs[i]->proposal,
                        valid ? static_cast<TxOutcome>(envs[i]->status) : TxOutcome::kInvalid,
                        done_ns);
      }
    }
    if (host_.on_gateway_commit && envs[i]) {
      const bool valid = codes[i] == ValidationCode::kValid;
      host_.on_gateway_commit(peer.index, envs[i]->proposal,
                              valid ? static_cast<TxOutcome>(envs[i]->status) : TxOutcome::kInvalid,
                              done_ns);
    }
    const bool at_gateway = gateway_of(b.txs[i]->client) == peer.index;
    if (at_gateway && t.gateway_commit_ns < 0) t.gateway_commit_ns = done_ns;
    host_.metrics->on_pipeline_commit(
        index, h, committed_status(codes[i], envs[i] ? envs[i]->status : 0), at_gateway, done_ns);
  }
  // A block that was waiting for this one goes next.
  const auto next = peer.early.find(h + 1);
  if (next != peer.early.end()) {
    Delivery d;
    d.peer = peer.index;
    d.block = next->second;
    peer.early.erase(next);
    host_.kernel->schedule(done_ns, peer_lp(peer.index), block_at_peer_kind_,
                           deliveries_.put(std::move(d)));
  }
}

std::vector<WorkloadFigure> FabricPipeline::figures() const {
  std::vector<WorkloadFigure> out;
  const auto count = [&](ValidationCode c) {
    return static_cast<double>(codes_[static_cast<std::size_t>(c)]);
  };
  double judged = 0;
  for (const std::uint64_t n : codes_) judged += static_cast<double>(n);
  out.push_back({"organisations", static_cast<double>(scenario_.pipeline.orgs.size()), "",
                 "organisations, policy " + scenario_.pipeline.policy});
  out.push_back(
      {"peers", static_cast<double>(peers_.size()), "", "endorsing and committing peers"});
  out.push_back({"ordered_txs", judged, "tx", "transactions ordered and judged by the peers"});
  out.push_back({"valid", count(ValidationCode::kValid), "tx", "valid and committed"});
  const double load_s = static_cast<double>(scenario_.duration_ns) / 1e9;
  out.push_back({"valid_tps", load_s > 0 ? count(ValidationCode::kValid) / load_s : 0, "tx/s",
                 "valid transactions per second of load (goodput)"});
  out.push_back({"mvcc_conflicts", count(ValidationCode::kMvccReadConflict), "tx",
                 "invalid: a key read at endorsement changed before validation"});
  out.push_back({"mvcc_conflict_rate",
                 judged > 0 ? 100.0 * count(ValidationCode::kMvccReadConflict) / judged : 0, "%",
                 "MVCC conflicts per ordered transaction"});
  out.push_back({"endorsement_failures", count(ValidationCode::kEndorsementPolicyFailure), "tx",
                 "invalid: endorsements did not satisfy the policy"});
  out.push_back({"bad_envelopes", count(ValidationCode::kBadEnvelope), "tx",
                 "invalid: malformed envelope or creator signature"});
  out.push_back({"rejected_by_contract", static_cast<double>(rejected_invalid_), "tx",
                 "never ordered: the contract found the proposal invalid at endorsement"});
  out.push_back({"endorsement_mismatches", static_cast<double>(rejected_mismatch_), "tx",
                 "never ordered: endorsers returned different results"});
  out.push_back({"resubmitted", static_cast<double>(resubmits_), "tx",
                 "envelopes resent because their orderer was down"});
  // Latency split over the transactions committed at their gateway peer.
  std::vector<double> endorse, order, validate;
  const auto& txs = host_.metrics->txs();
  for (std::size_t i = 0; i < times_.size() && i < txs.size(); ++i) {
    const PipelineTxTimes& t = times_[i];
    if (t.endorsed_ns < 0 || t.ordered_ns < 0 || t.gateway_commit_ns < 0) continue;
    endorse.push_back(static_cast<double>(t.endorsed_ns - txs[i].submit_ns) / 1e6);
    order.push_back(static_cast<double>(t.ordered_ns - t.endorsed_ns) / 1e6);
    validate.push_back(static_cast<double>(t.gateway_commit_ns - t.ordered_ns) / 1e6);
  }
  const auto add_split = [&](const char* name, std::vector<double>& v, const char* help) {
    std::sort(v.begin(), v.end());
    const auto pct = [&](double q) {
      if (v.empty()) return 0.0;
      const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1;
      return v[std::min(k, v.size() - 1)];
    };
    out.push_back({std::string(name) + "_p50", pct(0.5), "ms", std::string(help) + ", median"});
    out.push_back({std::string(name) + "_p99", pct(0.99), "ms", std::string(help) + ", 99th pct"});
  };
  add_split("endorse", endorse, "submit to all endorsements at the gateway");
  add_split("order", order, "endorsed to ordered (client signing, batching, consensus)");
  add_split("validate", validate, "ordered to committed at the gateway peer");
  return out;
}

}  // namespace hlsim
