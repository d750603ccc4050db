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

// An orderer's cost to cut a channel block beyond hashing its transactions: one signature, charged
// as the delay before the block leaves.

TxStatus committed_status(ValidationCode code, std::uint8_t status) {
  if (code != ValidationCode::kValid) return TxStatus::kInvalid;
  return status == static_cast<std::uint8_t>(TxOutcome::kDenied) ? TxStatus::kDenied
                                                                 : TxStatus::kCommitted;
}

}  // namespace

Result<std::unique_ptr<FabricPipeline>> FabricPipeline::create(const Scenario& sc, Host host) {
  assert(sc.pipeline.fabric() && !sc.pipeline.channels.empty());
  std::vector<EndorsementPolicy> channels;
  for (const ChannelConfig& c : sc.pipeline.channels) {
    auto policy = EndorsementPolicy::parse(c.policy, sc.pipeline.orgs);
    if (!policy.ok()) return Error{"pipeline.channel_policies: " + policy.error().message};
    channels.push_back(std::move(policy.value()));
  }
  std::vector<EndorsementPolicy> collections;
  for (const CollectionConfig& c : sc.pipeline.collections) {
    auto policy = EndorsementPolicy::parse(c.policy, sc.pipeline.orgs);
    if (!policy.ok()) return Error{"pipeline.collection_policies: " + policy.error().message};
    collections.push_back(std::move(policy.value()));
  }
  // Transaction kinds named by the layout must be the workload's.
  const std::vector<std::string>& kinds = host.workload->kind_names();
  const auto check_kinds = [&](const std::string& key, const std::string& owner,
                               const std::vector<std::string>& names) -> Status {
    for (const std::string& k : names) {
      if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) {
        std::string known;
        for (const std::string& n : kinds) known += (known.empty() ? "" : ", ") + n;
        return Error{key + ": '" + owner + "': the workload has no transaction kind '" + k +
                     "' (it has " + known + ")"};
      }
    }
    return Status::Ok();
  };
  for (const ChannelConfig& c : sc.pipeline.channels) {
    if (Status st = check_kinds("pipeline.channel_kinds", c.name, c.kinds); !st.ok()) {
      return st.error();
    }
  }
  for (const CollectionConfig& c : sc.pipeline.collections) {
    if (Status st = check_kinds("pipeline.collection_kinds", c.name, c.kinds); !st.ok()) {
      return st.error();
    }
  }
  std::uint32_t peers = 0;
  for (const std::uint32_t n : sc.pipeline.org_peers) peers += n;
  // Orderers 0..V-1 and peers V..V+P-1, every pair linked with the scenario's link latency and
  // bandwidth; reliable (gRPC over TCP retransmits), so no loss.
  auto topology = Topology::full_mesh(sc.consensus.nodes + peers, sc.network.latency_ns,
                                      sc.network.bandwidth_bps, 0.0);
  if (!topology.ok()) return Error{"network: " + topology.error().message};
  auto network = Network::create(std::move(topology.value()));
  if (!network.ok()) return Error{"network: " + network.error().message};
  return std::unique_ptr<FabricPipeline>(
      new FabricPipeline(sc, std::move(host), std::move(channels), std::move(collections),
                         std::move(network.value())));
}

FabricPipeline::FabricPipeline(const Scenario& sc, Host host,
                               std::vector<EndorsementPolicy> channels,
                               std::vector<EndorsementPolicy> collections, Network network)
    : scenario_(sc),
      host_(std::move(host)),
      channel_policies_(std::move(channels)),
      collection_policies_(std::move(collections)),
      network_(std::move(network)),
      orderers_(sc.consensus.nodes),
      codes_(kValidationCodes, 0) {
  const PipelineConfig& pc = sc.pipeline;
  const auto channel_count = static_cast<std::uint32_t>(pc.channels.size());
  // Routing tables: (organisation, kind) -> channel; (channel, kind) -> collection.
  const std::vector<std::string>& kind_names = host_.workload->kind_names();
  kinds_ = kind_names.size();
  route_.assign(pc.orgs.size() * kinds_, -1);
  collection_.assign(channel_count * kinds_, -1);
  for (OrgIndex o = 0; o < pc.orgs.size(); ++o) {
    for (std::size_t k = 0; k < kinds_; ++k) {
      int listed = -1;
      int open = -1;
      for (std::uint32_t c = 0; c < channel_count; ++c) {
        const ChannelConfig& ch = pc.channels[c];
        if (!std::binary_search(ch.members.begin(), ch.members.end(), o)) continue;
        if (ch.kinds.empty()) {
          if (open < 0) open = static_cast<int>(c);
        } else if (listed < 0 &&
                   std::find(ch.kinds.begin(), ch.kinds.end(), kind_names[k]) != ch.kinds.end()) {
          listed = static_cast<int>(c);
        }
      }
      route_[o * kinds_ + k] = listed >= 0 ? listed : open;
    }
  }
  policies_in_channel_.assign(channel_count,
                              std::vector<const EndorsementPolicy*>(pc.collections.size()));
  for (std::uint32_t i = 0; i < pc.collections.size(); ++i) {
    const CollectionConfig& col = pc.collections[i];
    policies_in_channel_[col.channel][i] = &collection_policies_[i];
    for (const std::string& k : col.kinds) {
      const auto kind = std::find(kind_names.begin(), kind_names.end(), k) - kind_names.begin();
      collection_[col.channel * kinds_ + static_cast<std::size_t>(kind)] = static_cast<int>(i);
    }
  }
  chains_.resize(channel_count);
  digest_at_.resize(channel_count);
  private_digest_at_.resize(pc.collections.size());

  first_peer_lp_ = orderers_ + host_.clients->size();
  for (OrgIndex o = 0; o < pc.orgs.size(); ++o) {
    org_first_peer_.push_back(static_cast<std::uint32_t>(peers_.size()));
    for (std::uint32_t i = 0; i < pc.org_peers[o]; ++i) {
      const auto index = static_cast<std::uint32_t>(peers_.size());
      auto peer = std::make_unique<Peer>(
          sc.node.cores, Rng::stream(sc.seed, RngDomain::kNetwork, first_peer_lp_ + index));
      peer->index = index;
      peer->org = o;
      peer->key = SigningKey::derive(sc.seed, "peer-" + pc.orgs[o] + "-" + std::to_string(i),
                                     sc.ledger.signature);
      peer->contract = host_.workload->make_contract();
      peer->deliver_from = index % orderers_;
      peer->submit_to = index % orderers_;
      peer->ledger_of.assign(channel_count, -1);
      for (std::uint32_t c = 0; c < channel_count; ++c) {
        const auto& members = pc.channels[c].members;
        if (!std::binary_search(members.begin(), members.end(), o)) continue;
        peer->ledger_of[c] = static_cast<int>(peer->ledgers.size());
        Ledger ledger;
        ledger.channel = c;
        for (std::uint32_t col = 0; col < pc.collections.size(); ++col) {
          if (pc.collections[col].channel == c && member_of_collection(o, col)) {
            ledger.private_states.emplace(col, VersionedState{});
          }
        }
        peer->ledgers.push_back(std::move(ledger));
      }
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
  proposal_at_gateway_.owner = proposal_at_endorser_.owner = response_at_gateway_.owner =
      client_sign_.owner = envelope_at_gateway_.owner = block_at_peer_.owner = reconnect_.owner =
          seek_.owner = private_data_.owner = this;
  Kernel& k = *host_.kernel;
  proposal_at_gateway_kind_ = k.register_handler(&proposal_at_gateway_);
  proposal_at_endorser_kind_ = k.register_handler(&proposal_at_endorser_);
  response_at_gateway_kind_ = k.register_handler(&response_at_gateway_);
  client_sign_kind_ = k.register_handler(&client_sign_);
  envelope_at_gateway_kind_ = k.register_handler(&envelope_at_gateway_);
  block_at_peer_kind_ = k.register_handler(&block_at_peer_);
  reconnect_kind_ = k.register_handler(&reconnect_);
  seek_kind_ = k.register_handler(&seek_);
  private_data_kind_ = k.register_handler(&private_data_);
}

std::optional<std::uint32_t> FabricPipeline::route(OrgIndex org, std::uint16_t kind) const {
  if (kind >= kinds_) return std::nullopt;
  const int c = route_[org * kinds_ + kind];
  if (c < 0) return std::nullopt;
  return static_cast<std::uint32_t>(c);
}

std::uint32_t FabricPipeline::collection_of(std::uint32_t channel, std::uint16_t kind) const {
  if (kind >= kinds_) return kNoCollection;
  const int c = collection_[channel * kinds_ + kind];
  return c < 0 ? kNoCollection : static_cast<std::uint32_t>(c);
}

bool FabricPipeline::member_of_collection(OrgIndex org, std::uint32_t collection) const {
  const auto& members = scenario_.pipeline.collections[collection].members;
  return std::binary_search(members.begin(), members.end(), org);
}

std::vector<std::uint32_t> FabricPipeline::peers_of(const std::vector<std::uint32_t>& orgs) const {
  std::vector<std::uint32_t> out;
  for (const std::uint32_t o : orgs) {
    for (std::uint32_t i = 0; i < scenario_.pipeline.org_peers[o]; ++i) {
      out.push_back(org_first_peer_[o] + i);
    }
  }
  return out;
}

void FabricPipeline::receipt(std::uint32_t peer, PeerReceipt what, std::uint32_t channel,
                             ByteView bytes) const {
  if (host_.on_peer_receive) host_.on_peer_receive(peer, what, channel, bytes);
}

Height FabricPipeline::channel_height_at(std::uint32_t channel, Height consensus_height) const {
  const Height h = std::min<Height>(consensus_height, cut_from_.size());
  return h == 0 ? 0 : tips_[(h - 1) * chains_.size() + channel];
}

Height FabricPipeline::peer_height(std::uint32_t p) const {
  Height total = 0;
  for (const Ledger& l : peers_[p]->ledgers) total += l.height;
  return total;
}

std::optional<Height> FabricPipeline::peer_height(std::uint32_t p, std::uint32_t channel) const {
  const int i = peers_[p]->ledger_of[channel];
  if (i < 0) return std::nullopt;
  return peers_[p]->ledgers[static_cast<std::size_t>(i)].height;
}

std::uint64_t FabricPipeline::peer_state_digest(std::uint32_t p, std::uint32_t channel) const {
  const int i = peers_[p]->ledger_of[channel];
  return i < 0 ? 0 : peers_[p]->ledgers[static_cast<std::size_t>(i)].state.digest();
}

std::optional<std::uint64_t> FabricPipeline::peer_private_digest(std::uint32_t p,
                                                                 std::uint32_t collection) const {
  const std::uint32_t channel = scenario_.pipeline.collections[collection].channel;
  const int i = peers_[p]->ledger_of[channel];
  if (i < 0) return std::nullopt;
  const auto& states = peers_[p]->ledgers[static_cast<std::size_t>(i)].private_states;
  const auto it = states.find(collection);
  if (it == states.end()) return std::nullopt;
  return it->second.digest();
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

// --- 5. ordered blocks reach the peers ---

void FabricPipeline::cut_channel_blocks(NodeId orderer, const BlockRef& block) {
  const Chain& chain = (*host_.orderers)[orderer]->chain();
  const auto channels = static_cast<std::uint32_t>(chains_.size());
  for (Height h = cut_from_.size() + 1; h <= block->header.height; ++h) {
    const BlockRef b = h == block->header.height ? block : chain.at(h);
    std::vector<std::vector<TxRef>> txs(channels);
    for (const TxRef& tx : b->txs) {
      // An ordered transaction that names no channel is no envelope: no peer receives it.
      const auto channel = envelope_channel(tx->payload);
      if (channel && *channel < channels) txs[*channel].push_back(tx);
    }
    const SigningKey& key = (*host_.orderers)[b->header.proposer]->signing_key();
    std::vector<std::pair<std::uint32_t, Height>> cut;
    for (std::uint32_t c = 0; c < channels; ++c) {
      if (txs[c].empty()) continue;
      std::vector<BlockRef>& chain_c = chains_[c];
      const Hash256 prev = chain_c.empty() ? Hash256{} : chain_c.back()->hash;
      chain_c.push_back(seal_block(chain_c.size() + 1, prev, b->header.proposer, b->header.epoch,
                                   b->header.timestamp_ns, std::move(txs[c]), key));
      cut.emplace_back(c, chain_c.size());
    }
    cut_from_.push_back(std::move(cut));
    for (std::uint32_t c = 0; c < channels; ++c) tips_.push_back(chains_[c].size());
  }
}

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
  if (cut_from_.size() < h) cut_channel_blocks(orderer, block);
  // Each channel block goes to the subscribed peers that are members of its channel, after the
  // orderer has hashed and signed it.
  const HardwareProfile& prof = host_.shared->profile;
  TimeNs at_ns = now_ns;
  for (const auto& [channel, height] : cut_from_[h - 1]) {
    const BlockRef& cb = chains_[channel][height - 1];
    at_ns +=
        prof.hash_cost_ns(cb->encoded_size()) + prof.sign_cost_ns(cb->header.proposer_key.scheme);
    for (const std::uint32_t peer : subscribers_[orderer]) {
      if (peers_[peer]->ledger_of[channel] >= 0) send_block(orderer, peer, channel, cb, at_ns);
    }
  }
}

void FabricPipeline::send_block(NodeId orderer, std::uint32_t peer, std::uint32_t channel,
                                const BlockRef& block, TimeNs now_ns) {
  const TimeNs at_ns =
      hop(orderer, orderers_ + peer, block->encoded_size(), now_ns, orderer_rngs_[orderer]);
  Delivery d;
  d.peer = peer;
  d.orderer = orderer;
  d.channel = channel;
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
  // Seek from the next orderer every block of each of its channels above its height there.
  const NodeId next = (d.orderer + 1) % orderers_;
  peer.deliver_from = next;
  d.orderer = next;
  d.from_heights.assign(chains_.size(), 0);
  for (const Ledger& l : peer.ledgers) d.from_heights[l.channel] = l.height + 1;
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
  // What this orderer holds: the channel blocks cut from its consensus chain.
  const Height height = std::min<Height>(o.chain().height(), cut_from_.size());
  const auto channels = static_cast<std::uint32_t>(chains_.size());
  for (std::uint32_t c = 0; c < channels; ++c) {
    if (d.from_heights[c] == 0) continue;  // not a member
    const Height tip = channel_height_at(c, height);
    for (Height h = d.from_heights[c]; h <= tip; ++h) {
      send_block(orderer, d.peer, c, chains_[c][h - 1], e.time_ns);
    }
  }
}

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

std::vector<WorkloadFigure> FabricPipeline::figures() const {
  std::vector<WorkloadFigure> out;
  const auto count = [&](ValidationCode c) {
    return static_cast<double>(codes_[static_cast<std::size_t>(c)]);
  };
  double judged = 0;
  for (const std::uint64_t n : codes_) judged += static_cast<double>(n);
  out.push_back({"organisations", static_cast<double>(scenario_.pipeline.orgs.size()), "",
                 "organisations, policy " + scenario_.pipeline.channels[0].policy});
  out.push_back(
      {"peers", static_cast<double>(peers_.size()), "", "endorsing and committing peers"});
  const PipelineConfig& pc = scenario_.pipeline;
  out.push_back({"channels", static_cast<double>(pc.channels.size()), "",
                 "channels (separate ledgers) ordered by the one ordering service"});
  if (pc.channels.size() > 1) {
    for (std::uint32_t c = 0; c < pc.channels.size(); ++c) {
      double valid = 0;
      for (const PipelineTxTimes& t : times_) {
        valid += t.validated && t.channel == c && t.code == ValidationCode::kValid ? 1 : 0;
      }
      out.push_back({"valid." + pc.channels[c].name, valid, "tx",
                     "valid on channel " + pc.channels[c].name + " (" +
                         std::to_string(chains_[c].size()) + " blocks)"});
    }
  }
  if (!pc.collections.empty()) {
    out.push_back({"collections", static_cast<double>(pc.collections.size()), "",
                   "private data collections"});
    out.push_back({"private_valid", static_cast<double>(private_valid_), "tx",
                   "valid transactions of a private data collection"});
    out.push_back({"private_disseminations", static_cast<double>(private_disseminations_), "",
                   "clear read-write sets sent by endorsers to member peers"});
    out.push_back({"rejected_not_member", static_cast<double>(rejected_not_member_), "tx",
                   "never ordered: a private kind from a client of a non-member organisation"});
  }
  if (rejected_no_channel_ > 0 || pc.channels.size() > 1) {
    out.push_back({"rejected_no_channel", static_cast<double>(rejected_no_channel_), "tx",
                   "never ordered: no channel of the client's organisation takes its kind"});
  }
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
