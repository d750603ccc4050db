#include "sim/fabric/fabric_pipeline.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "sim/network/topology.h"

// Set-up, routing, accessors and figures; the steps of a transaction's way are in
// fabric_endorse.cc (1-4), fabric_delivery.cc (5) and fabric_validate.cc (6).

namespace hlsim {

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
