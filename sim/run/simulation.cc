#include "sim/run/simulation.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <filesystem>

#include "consensus/byzantine/byzantine_protocol.h"
#include "ledger/crypto/aes_gcm.h"
#include "ledger/crypto/sha256.h"
#include "sim/kernel/distributions.h"

namespace hlsim {
namespace {

// a + b, at most kTimeNever. REQUIRES: a, b >= 0.
TimeNs saturating_add(TimeNs a, TimeNs b) { return a > kTimeNever - b ? kTimeNever : a + b; }

// round(duration * factor), at most kTimeNever. REQUIRES: duration >= 0, factor > 0.
TimeNs scaled_ns(TimeNs duration_ns, double factor) {
  const double v = static_cast<double>(duration_ns) * factor;
  return v < 9.0e18 ? static_cast<TimeNs>(std::llround(v)) : kTimeNever;
}

Result<Topology> build_topology(const NetworkConfig& n, std::uint32_t nodes) {
  if (n.topology == "full_mesh") {
    return Topology::full_mesh(nodes, n.latency_ns, n.bandwidth_bps, n.loss);
  }
  if (n.topology == "star") return Topology::star(nodes, n.latency_ns, n.bandwidth_bps, n.loss);
  if (n.topology == "regions") {
    return Topology::regions(nodes, n.regions, n.latency_ns, n.inter_latency_ns, n.bandwidth_bps,
                             n.inter_bandwidth_bps, n.loss);
  }
  return Topology::from_csv_file(n.csv_path, nodes);
}

}  // namespace

std::string ledger_dir_for(const std::string& output_path) {
  std::string base = output_path;
  if (base.size() > 3 && base.ends_with(".h5")) base.resize(base.size() - 3);
  return base + ".ledger";
}

Result<std::unique_ptr<Simulation>> Simulation::create(const Scenario& sc) {
  const ProtocolInfo* info = find_protocol(sc.consensus.protocol);
  if (info == nullptr) return Error{"consensus.protocol: unknown '" + sc.consensus.protocol + "'"};
  const WorkloadInfo* winfo = find_workload(sc.workload.kind);
  if (winfo == nullptr) return Error{"workload.kind: unknown '" + sc.workload.kind + "'"};

  auto topology = build_topology(sc.network, sc.consensus.nodes);
  if (!topology.ok()) return Error{"network: " + topology.error().message};
  NetworkParams np;
  np.jitter = sc.network.jitter_ns;
  auto network = Network::create(std::move(topology.value()), np);
  if (!network.ok()) return Error{"network: " + network.error().message};
  auto client_link =
      AccessLink::create(sc.network.client_latency_ns, sc.network.client_bandwidth_bps);
  if (!client_link.ok()) return Error{"network: " + client_link.error().message};

  WorkloadSetup setup{sc.seed, sc.workload.clients, sc.consensus.nodes,
                      sc.workload.arrivals.day_ns};
  auto workload = make_workload(sc.workload.kind, sc.workload.params, sc.workload.mix, setup);
  if (!workload.ok()) return workload.error();

  if (sc.ledger.storage == "rocksdb") {
    const std::string dir = ledger_dir_for(sc.output_path);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    if (!ec) std::filesystem::create_directories(dir, ec);
    if (ec) return Error{"ledger.storage: cannot prepare " + dir + ": " + ec.message()};
  }
  try {
    std::unique_ptr<Simulation> sim(
        new Simulation(sc, info, std::move(workload.value()),
                       std::make_unique<Network>(std::move(network.value())), client_link.value()));
    if (sc.pipeline.fabric()) {
      Simulation* s = sim.get();
      FabricPipeline::Host host;
      host.kernel = &s->kernel_;
      host.metrics = &s->metrics_;
      host.shared = s->shared_.get();
      host.clients = s->clients_.get();
      host.workload = s->workload_.get();
      host.orderers = &s->nodes_;
      host.to_orderer = [s](NodeId orderer, TxRef envelope, TimeNs at_ns) {
        s->kernel_.schedule(at_ns, orderer, s->client_tx_kind_,
                            s->client_txs_.put({std::move(envelope), nullptr}));
      };
      host.on_envelope = [s](const Hash256& id) { s->safety_.on_submit(id); };
      host.on_gateway_commit = [s](std::uint32_t peer, const Transaction& proposal,
                                   TxOutcome outcome, TimeNs now_ns) {
        s->pipeline_gateway_commit(peer, proposal, outcome, now_ns);
      };
      host.on_judged = [s](const Transaction& proposal, TxOutcome outcome, TimeNs now_ns) {
        if (s->workload_metrics_) s->workload_metrics_->on_commit(proposal, outcome, now_ns);
      };
      auto pipeline = FabricPipeline::create(sc, std::move(host));
      if (!pipeline.ok()) return pipeline.error();
      s->pipeline_ = std::move(pipeline.value());
    }
    return sim;
  } catch (const std::runtime_error& e) {  // a node's ledger store could not be opened
    return Error{std::string("ledger.storage: ") + e.what()};
  }
}

Simulation::Simulation(const Scenario& sc, const ProtocolInfo* info,
                       std::unique_ptr<Workload> workload, std::unique_ptr<Network> network,
                       const AccessLink& client_link)
    : scenario_(sc),
      protocol_info_(info),
      workload_(std::move(workload)),
      network_(std::move(network)),
      shared_(std::make_unique<NodeShared>()),
      metrics_(workload_->kind_names()),
      safety_(sc.seed, [&sc] {
        std::vector<bool> byz(sc.consensus.nodes, false);
        for (NodeId i = 0; i < sc.consensus.nodes; ++i) {
          byz[i] = sc.byzantine.faulty(i);
        }
        return byz;
      }()) {
  const std::uint32_t n = sc.consensus.nodes;
  shared_->profile = sc.node.profile;
  shared_->verifier = Verifier(sc.ledger.verify);
  shared_->storage = sc.ledger.storage;
  shared_->storage_dir = ledger_dir_for(sc.output_path);
  shared_->scenario_yaml = sc.effective_yaml;

  deliver_handler_.owner = timer_handler_.owner = client_tx_handler_.owner =
      arrival_handler_.owner = fault_handler_.owner = fetch_serve_handler_.owner =
          fetch_deliver_handler_.owner = observe_handler_.owner = client_timeout_handler_.owner =
              this;
  deliver_kind_ = kernel_.register_handler(&deliver_handler_);
  timer_kind_ = kernel_.register_handler(&timer_handler_);
  client_tx_kind_ = kernel_.register_handler(&client_tx_handler_);
  arrival_kind_ = kernel_.register_handler(&arrival_handler_);
  fault_kind_ = kernel_.register_handler(&fault_handler_);
  fetch_serve_kind_ = kernel_.register_handler(&fetch_serve_handler_);
  fetch_deliver_kind_ = kernel_.register_handler(&fetch_deliver_handler_);
  observe_kind_ = kernel_.register_handler(&observe_handler_);
  client_timeout_kind_ = kernel_.register_handler(&client_timeout_handler_);
  workload_metrics_ = workload_->make_metrics();
  reactive_ = workload_->reacts_to_ledger();
  offchain_.resize(n);

  std::vector<SigningKey> keys;
  keys.reserve(n);
  for (NodeId i = 0; i < n; ++i) {
    keys.push_back(
        SigningKey::derive(sc.seed, "validator-" + std::to_string(i), sc.ledger.signature));
    shared_->validator_keys.push_back(keys.back().public_key());
  }
  for (NodeId i = 0; i < n; ++i) {
    nodes_.push_back(std::make_unique<Node>(
        i, n, sc.node.cores, sc.seed, keys[i],
        sc.byzantine.is_scheduled(i)
            ? make_switchable_protocol(*info, sc.consensus.params, i, n)
            : make_protocol(*info, sc.consensus.params, i, n, sc.byzantine.of(i)),
        // Ordering nodes of the execute-order-validate pipeline execute nothing.
        sc.pipeline.fabric() ? nullptr : workload_->make_contract(), info->message_types.size(),
        shared_.get()));
    net_rngs_.push_back(Rng::stream(sc.seed, RngDomain::kNetwork, i));
  }
  net_counters_.lost_msgs.assign(n, 0);
  net_counters_.dropped_at_crashed.assign(n, 0);
  net_counters_.partitioned.assign(n, 0);
  net_counters_.duplicated.assign(n, 0);
  net_counters_.reordered.assign(n, 0);
  conditions_ = std::make_unique<FaultConditions>(static_cast<std::uint32_t>(n));

  clients_ = std::make_unique<ClientPool>(sc.seed, sc.workload.clients, n, sc.workload.arrivals,
                                          sc.workload.forged_fraction, sc.duration_ns, client_link,
                                          workload_.get(), sc.ledger.signature);
  if (clients_->closed_loop()) closed_wait_.resize(clients_->size());
  end_ns_ = sc.duration_ns + sc.drain_ns;
}

RunOutcome Simulation::run(const std::atomic<bool>* interrupt,
                           const std::function<void(const RunProgress&)>& progress) {
  kernel_.set_interrupt_flag(interrupt);
  for (auto& node : nodes_) {
    node->begin_job(0);
    node->protocol().start(*node);
    finish_job(*node);
  }
  for (ClientId c = 0; c < clients_->size(); ++c) schedule_next_arrival(c, 0);
  // Fault event args: index << 1, | 1 for a condition's end.
  for (std::size_t i = 0; i < scenario_.faults.size(); ++i) {
    const FaultEvent& f = scenario_.faults[i];
    kernel_.schedule(f.at_ns, f.node == kNoNode ? 0 : f.node, fault_kind_, i << 1);
    if (f.is_condition() && f.until_ns != kTimeNever) {
      kernel_.schedule(f.until_ns, 0, fault_kind_, (i << 1) | 1);
    }
  }

  RunOutcome out;
  TimeNs next_report_ns = 0;
  while (true) {
    next_report_ns = std::min(end_ns_, next_report_ns + kNsPerSec);
    kernel_.run(next_report_ns);
    const bool interrupted = interrupt != nullptr && interrupt->load();
    if (progress) progress(RunProgress{kernel_.now(), end_ns_, kernel_.events_handled()});
    if (violated_) {
      out.stop_reason = "safety violation: " + safety_.describe(safety_.violations().front());
      break;
    }
    if (pipeline_ && !pipeline_->violation().empty()) {
      out.stop_reason = "safety violation: " + pipeline_->violation();
      break;
    }
    if (interrupted) {
      out.stop_reason = "interrupted";
      break;
    }
    if (next_report_ns >= end_ns_) {
      out.complete = true;
      break;
    }
  }
  out.end_ns = out.complete ? end_ns_ : kernel_.now();
  out.events = kernel_.events_handled();
  return out;
}

bool Simulation::defer_if_busy(Node& node, const Event& e) {
  const TimeNs free_ns = node.cpu().earliest_free_ns();
  if (free_ns <= e.time_ns) return false;
  kernel_.schedule(free_ns, e.node, e.kind, e.arg);
  return true;
}

void Simulation::enable_background_signing() {
  std::vector<SigningKey> keys;
  keys.reserve(nodes_.size());
  for (const auto& node : nodes_) keys.push_back(node->signing_key());
  shared_->presigner = std::make_unique<VotePresigner>(std::move(keys));
}

void Simulation::finish_job(Node& node) {
  const NodeId from = node.self();
  TimeNs cost_ns = node.job_cost_ns();
  const double cpu_factor = conditions_->cpu_factor(from);
  if (cpu_factor != 1) cost_ns = scaled_ns(cost_ns, cpu_factor);
  const TimeNs finish_ns = node.cpu().run(node.job_start_ns(), cost_ns);
  Outbox& out = node.outbox();
  Rng& rng = net_rngs_[from];
  for (auto& [to, msg] : out.sends) {
    const LinkCondition& link = conditions_->link(from, to);
    if (link.blocked) {
      ++net_counters_.partitioned[from];
      continue;
    }
    auto arrival = network_->transmit(from, to, msg.wire_bytes(), finish_ns, rng, link);
    if (!arrival) {
      ++net_counters_.lost_msgs[from];
      continue;
    }
    // Draw order after the network's own draws: reorder (if p > 0), its delay, duplicate (if
    // p > 0), the copy's delay. A clean link draws nothing more.
    if (link.reorder > 0 && rng.bernoulli(link.reorder)) {
      *arrival = saturating_add(
          *arrival,
          static_cast<TimeNs>(rng.next_below(static_cast<std::uint64_t>(link.reorder_max_ns) + 1)));
      ++net_counters_.reordered[from];
    }
    if (link.duplicate > 0 && rng.bernoulli(link.duplicate)) {
      // The copy takes its own way: up to one more path latency behind the original.
      const auto spread =
          static_cast<std::uint64_t>(network_->topology().path_latency_ns(from, to));
      const TimeNs copy_ns =
          saturating_add(*arrival, static_cast<TimeNs>(rng.next_below(spread + 1)));
      kernel_.schedule(copy_ns, to, deliver_kind_, messages_.put({from, msg}));
      ++net_counters_.duplicated[from];
    }
    kernel_.schedule(*arrival, to, deliver_kind_, messages_.put({from, std::move(msg)}));
  }
  const double clock_rate = conditions_->clock_rate(from);
  for (const auto& t : out.timers) {
    const TimeNs delay_ns = clock_rate == 1 ? t.delay_ns : scaled_ns(t.delay_ns, clock_rate);
    kernel_.schedule(saturating_add(finish_ns, delay_ns), from, timer_kind_,
                     timers_.put({t.id, t.tag, node.incarnation()}));
  }
  // A Byzantine node's commits are its own business: the checker ignores them, and clients and
  // metrics take their commits from honest nodes only.
  const bool honest = !is_byzantine(from);
  for (const auto& c : out.commits) {
    safety_.on_commit(from, *c.block, finish_ns);
    if (!honest) continue;
    metrics_.on_commit(from, *c.block, c.outcomes, finish_ns);
    if (pipeline_) {
      // An ordered block: the peers judge and execute it; clients hear from them.
      pipeline_->on_ordered(from, c.block, finish_ns);
      if (c.block->header.height > progress_height_) {
        progress_height_ = c.block->header.height;
        liveness_.on_new_height(finish_ns);
      }
      continue;
    }
    offchain_after_commit(from, c, finish_ns);
    notify_clients(from, c, finish_ns);
    if (c.block->header.height > progress_height_) {
      // The first honest commit of this height (each node commits heights in order).
      progress_height_ = c.block->header.height;
      liveness_.on_new_height(finish_ns);
      if (workload_metrics_) {
        for (std::size_t i = 0; i < c.block->txs.size(); ++i) {
          workload_metrics_->on_commit(*c.block->txs[i], c.outcomes[i], finish_ns);
        }
      }
    }
  }
  if (honest) {
    for (const auto& [epoch, leader] : out.leaders) metrics_.on_leader(epoch, leader, finish_ns);
  }
  for (const ReorgNote& r : out.reorgs) {
    safety_.on_reorg(from, r.fork_height, r.depth_blocks, r.own_blocks);
    if (honest) metrics_.on_reorg(r.depth_blocks);
  }
  for (auto& v : out.violations) safety_.on_node_violation(from, std::move(v), finish_ns);
  if (!safety_.violations().empty() && !violated_) {
    violated_ = true;
    kernel_.stop();
  }
  out.clear();
}

void Simulation::on_deliver(const Event& e) {
  Node& node = *nodes_[e.node];
  if (node.crashed()) {
    messages_.take(e.arg);
    ++net_counters_.dropped_at_crashed[e.node];
    return;
  }
  if (defer_if_busy(node, e)) return;
  PendingMessage pm = messages_.take(e.arg);
  node.begin_job(e.time_ns);
  node.receive_message(pm.msg);
  node.protocol().on_message(node, pm.from, pm.msg);
  finish_job(node);
}

void Simulation::on_timer(const Event& e) {
  Node& node = *nodes_[e.node];
  const PendingTimer& t = timers_.items[e.arg];
  if (node.crashed() || t.incarnation != node.incarnation()) {
    timers_.take(e.arg);
    return;
  }
  if (defer_if_busy(node, e)) return;
  const PendingTimer timer = timers_.take(e.arg);
  if (!node.timers().fire(timer.id)) return;  // cancelled
  node.begin_job(e.time_ns);
  node.protocol().on_timer(node, timer.id, timer.tag);
  finish_job(node);
}

void Simulation::on_client_tx(const Event& e) {
  Node& node = *nodes_[e.node];
  if (node.crashed()) {
    TxRef lost = client_txs_.take(e.arg).tx;
    if (pipeline_ && pipeline_->is_envelope(lost->id)) {
      pipeline_->on_orderer_unreachable(e.node, lost, e.time_ns);
      return;
    }
    metrics_.on_lost(lost->id);
    return;
  }
  if (defer_if_busy(node, e)) return;
  Submission sub = client_txs_.take(e.arg);
  TxRef tx = std::move(sub.tx);
  node.begin_job(e.time_ns);
  if (node.admit_client_tx(*tx)) {
    if (sub.document) {
      // The organisation's site keeps the sealed document under its digest (hashed for real).
      node.charge(shared_->profile.hash_cost_ns(sub.document->size()) +
                  shared_->profile.put_cost_ns(sub.document->size()));
      offchain_[e.node].emplace(sha256(*sub.document), sub.document);
      metrics_.on_document_stored(sub.document->size());
    }
    node.protocol().on_transaction(node, tx);
  } else {
    metrics_.on_rejected(tx->id);
  }
  finish_job(node);
}

void Simulation::schedule_next_arrival(ClientId c, TimeNs now_ns) {
  const auto at = clients_->next_arrival(c, now_ns, shared_->verifier);
  if (at) kernel_.schedule(*at, static_cast<NodeId>(nodes_.size() + c), arrival_kind_, c);
}

void Simulation::on_arrival(const Event& e) {
  const auto c = static_cast<ClientId>(e.arg);
  ClientState& client = clients_->client(c);
  PreparedTx prepared = clients_->take(c, e.time_ns, shared_->verifier);
  if (clients_->closed_loop()) {
    closed_wait_[c] = ClosedWait{true, prepared.tx->nonce, prepared.tx->id};
    kernel_.schedule(e.time_ns + clients_->arrivals().timeout_ns, e.node, client_timeout_kind_,
                     (prepared.tx->nonce << 20) | c);
  }
  if (pipeline_) {
    // Execute-order-validate: the proposal goes to the client's gateway peer for endorsement.
    safety_.on_submit(prepared.tx->id);
    pipeline_->submit(c, std::move(prepared), e.time_ns);
    schedule_next_arrival(c, e.time_ns);
    return;
  }
  metrics_.on_submit(*prepared.tx, client.gateway, e.time_ns);
  safety_.on_submit(prepared.tx->id);
  // The document, if any, is uploaded to the organisation's site with the transaction.
  const std::uint64_t bytes =
      prepared.tx->encoded_size() + (prepared.document ? prepared.document->size() : 0);
  const TimeNs arrival_ns = client.link.transmit(bytes, e.time_ns);
  kernel_.schedule(arrival_ns, client.gateway, client_tx_kind_,
                   client_txs_.put({std::move(prepared.tx), std::move(prepared.document)}));
  schedule_next_arrival(c, e.time_ns);
}

void Simulation::notify_clients(NodeId node, const CommitRecord& commit, TimeNs now_ns) {
  const bool closed = clients_->closed_loop();
  if (!closed && !reactive_) return;
  const Block& block = *commit.block;
  for (std::size_t i = 0; i < block.txs.size(); ++i) {
    const TxRef& tx = block.txs[i];
    if (closed && tx->client < clients_->size()) {
      ClientState& client = clients_->client(tx->client);
      ClosedWait& w = closed_wait_[tx->client];
      if (client.gateway == node && w.waiting && w.id == tx->id) {
        w.waiting = false;
        client.next_arrival_ns =
            clients_->think_then_arrive(tx->client, now_ns + client.link.latency_ns());
        schedule_next_arrival(tx->client, now_ns);
      }
    }
    if (!reactive_) continue;
    for (ClientId watcher : workload_->watchers(*tx)) {
      if (watcher >= clients_->size()) continue;
      const ClientState& client = clients_->client(watcher);
      if (client.gateway != node) continue;
      kernel_.schedule(now_ns + client.link.latency_ns(),
                       static_cast<NodeId>(nodes_.size() + watcher), observe_kind_,
                       observations_.put({watcher, tx, commit.outcomes[i]}));
    }
  }
}

void Simulation::pipeline_gateway_commit(std::uint32_t peer, const Transaction& proposal,
                                         TxOutcome outcome, TimeNs now_ns) {
  const bool closed = clients_->closed_loop();
  if (!closed && !reactive_) return;
  if (closed && proposal.client < clients_->size() &&
      pipeline_->gateway_of(proposal.client) == peer) {
    ClientState& client = clients_->client(proposal.client);
    ClosedWait& w = closed_wait_[proposal.client];
    if (w.waiting && w.id == proposal.id) {
      w.waiting = false;
      client.next_arrival_ns =
          clients_->think_then_arrive(proposal.client, now_ns + client.link.latency_ns());
      schedule_next_arrival(proposal.client, now_ns);
    }
  }
  if (!reactive_) return;
  TxRef shared;
  for (ClientId watcher : workload_->watchers(proposal)) {
    if (watcher >= clients_->size() || pipeline_->gateway_of(watcher) != peer) continue;
    if (!shared) shared = std::make_shared<const Transaction>(proposal);
    kernel_.schedule(now_ns + clients_->client(watcher).link.latency_ns(),
                     static_cast<NodeId>(nodes_.size() + watcher), observe_kind_,
                     observations_.put({watcher, shared, outcome}));
  }
}

void Simulation::on_observe(const Event& e) {
  const Observation o = observations_.take(e.arg);
  workload_->on_observed(o.client, *o.tx, o.outcome, e.time_ns);
}

void Simulation::on_client_timeout(const Event& e) {
  const auto c = static_cast<ClientId>(e.arg & ((std::uint64_t{1} << 20) - 1));
  const std::uint64_t nonce = e.arg >> 20;
  ClosedWait& w = closed_wait_[c];
  if (!w.waiting || w.nonce != nonce) return;  // committed meanwhile
  w.waiting = false;
  ++closed_timeouts_;
  clients_->client(c).next_arrival_ns = clients_->think_then_arrive(c, e.time_ns);
  schedule_next_arrival(c, e.time_ns);
}

std::vector<WorkloadFigure> Simulation::workload_figures() const {
  return workload_metrics_ ? workload_metrics_->figures() : std::vector<WorkloadFigure>{};
}

// Off-chain reads. A record_write that commits (applied) at its writer's gateway makes its
// document the subject's latest. An access that commits (applied) at the reader's gateway
// authorises the read: the gateway requests the document from the owner's site (a small message
// over the validator network, sharing the links with consensus traffic), the owner's site sends
// the sealed document back, and the reader's gateway passes it down the reader's access link; the
// reader then decrypts it for real. The read's latency runs from the access commit to the
// decrypted document (decryption charged from the hardware profile).
constexpr std::uint64_t kFetchRequestBytes = 256;  // an authenticated GET naming the document

void Simulation::offchain_after_commit(NodeId node, const CommitRecord& commit, TimeNs now_ns) {
  const Block& block = *commit.block;
  for (std::size_t i = 0; i < block.txs.size(); ++i) {
    if (commit.outcomes[i] != TxOutcome::kApplied) continue;
    const Transaction& tx = *block.txs[i];
    if (tx.client >= clients_->size() || clients_->client(tx.client).gateway != node) continue;
    if (auto p = workload_->offchain_pointer(tx)) {
      if (offchain_[node].contains(p->digest)) {
        latest_document_[p->subject] = DocumentRef{std::move(*p), node};
      }
      continue;
    }
    if (auto subject = workload_->offchain_read(tx)) {
      start_fetch(node, tx.client, tx.id, *subject, now_ns);
    }
  }
}

void Simulation::start_fetch(NodeId reader_gateway, ClientId reader, const Hash256& tx,
                             std::uint64_t subject, TimeNs now_ns) {
  auto it = latest_document_.find(subject);
  if (it == latest_document_.end()) {
    metrics_.on_fetch_without_document();
    return;
  }
  Fetch f;
  f.doc = it->second;
  f.record.tx = tx;
  f.record.reader = reader;
  f.record.reader_gateway = reader_gateway;
  f.record.owner_gateway = f.doc.owner_gateway;
  f.record.start_ns = now_ns;
  const NodeId owner = f.doc.owner_gateway;
  if (owner == reader_gateway) {
    kernel_.schedule(now_ns, owner, fetch_serve_kind_, fetches_.put(std::move(f)));
    return;
  }
  const auto at = network_->transmit(reader_gateway, owner, kFetchRequestBytes, now_ns,
                                     net_rngs_[reader_gateway]);
  if (!at) {
    f.record.status = FetchStatus::kLost;
    metrics_.on_fetch(f.record);
    return;
  }
  kernel_.schedule(*at, owner, fetch_serve_kind_, fetches_.put(std::move(f)));
}

void Simulation::on_fetch_serve(const Event& e) {
  Fetch f = fetches_.take(e.arg);
  const NodeId owner = e.node;
  const auto doc = offchain_[owner].find(f.doc.pointer.digest);
  if (nodes_[owner]->crashed() || doc == offchain_[owner].end()) {
    f.record.status = FetchStatus::kOwnerDown;
    metrics_.on_fetch(f.record);
    return;
  }
  f.record.bytes = doc->second->size();
  if (owner == f.record.reader_gateway) {
    kernel_.schedule(e.time_ns, owner, fetch_deliver_kind_, fetches_.put(std::move(f)));
    return;
  }
  const NodeId reader_gateway = f.record.reader_gateway;
  const auto at =
      network_->transmit(owner, reader_gateway, f.record.bytes, e.time_ns, net_rngs_[owner]);
  if (!at) {
    f.record.status = FetchStatus::kLost;
    metrics_.on_fetch(f.record);
    return;
  }
  kernel_.schedule(*at, reader_gateway, fetch_deliver_kind_, fetches_.put(std::move(f)));
}

void Simulation::on_fetch_deliver(const Event& e) {
  Fetch f = fetches_.take(e.arg);
  const std::shared_ptr<const Bytes> sealed =
      offchain_[f.doc.owner_gateway].find(f.doc.pointer.digest)->second;  // served, so present
  ClientState& reader = clients_->client(f.record.reader);
  const TimeNs at_reader = reader.link.transmit(sealed->size(), e.time_ns);
  const OffchainPointer& p = f.doc.pointer;
  const bool intact = sha256(*sealed) == p.digest &&
                      aes256gcm_open(p.key, p.nonce, as_bytes(p.aad), *sealed).has_value();
  f.record.status = intact ? FetchStatus::kOk : FetchStatus::kAuthFailed;
  f.record.done_ns = at_reader + shared_->profile.hash_cost_ns(sealed->size()) +
                     shared_->profile.aead_cost_ns(sealed->size());
  metrics_.on_fetch(f.record);
}

NodeId Simulation::current_leader() const {
  NodeId best = kNoNode;
  std::uint64_t best_epoch = 0;
  for (const auto& node : nodes_) {
    if (!node->crashed() && node->protocol().is_leader() &&
        (best == kNoNode || node->protocol().epoch() > best_epoch)) {
      best = node->self();
      best_epoch = node->protocol().epoch();
    }
  }
  return best;
}

void Simulation::on_fault(const Event& e) {
  const std::size_t index = e.arg >> 1;
  const FaultEvent& f = scenario_.faults[index];
  if (f.is_condition()) {
    const bool ends = (e.arg & 1) != 0;
    if (ends) {
      conditions_->end(index, scenario_.faults);
    } else {
      conditions_->begin(index, scenario_.faults);
    }
    if (f.kind == FaultKind::kByzantine) {
      for (std::size_t k = 0; k < f.nodes.size(); ++k) {
        auto* p = dynamic_cast<ByzantineProtocol*>(&nodes_[f.nodes[k]]->protocol());
        // Scheduled validators are built switchable (make_switchable_protocol).
        if (p != nullptr) p->set_behavior(ends ? Behavior::kHonest : f.roles[k]);
      }
    }
    if (f.kind == FaultKind::kClockDrift) {
      for (auto& node : nodes_) {
        node->set_clock_rate(e.time_ns, conditions_->clock_rate(node->self()));
      }
    }
    liveness_.on_fault(e.time_ns, f.describe() + (ends ? " ends" : " begins"));
    if (ends) {
      fault_log_.end(index, e.time_ns);
    } else {
      fault_log_.begin(index, f.describe(), e.time_ns);
    }
    return;
  }
  NodeId target = f.node;
  if (f.symbolic == "leader") target = current_leader();
  if (f.symbolic == "crashed") target = crashed_order_.empty() ? kNoNode : crashed_order_.back();
  if (target == kNoNode) return;  // nothing to act on (no leader yet, nothing crashed)
  Node& node = *nodes_[target];
  if (f.kind == FaultKind::kCrash) {
    if (node.crashed()) return;
    const std::string what =
        "crash node " + std::to_string(target) + (f.symbolic == "leader" ? " (the leader)" : "");
    liveness_.on_fault(e.time_ns, what);
    fault_log_.begin(FaultLog::crash_key(target), what, e.time_ns);
    node.crash(e.time_ns);
    crashed_order_.push_back(target);
    if (pipeline_) pipeline_->on_orderer_crash(target, e.time_ns);
    return;
  }
  if (!node.crashed()) return;
  crashed_order_.erase(std::remove(crashed_order_.begin(), crashed_order_.end(), target),
                       crashed_order_.end());
  liveness_.on_fault(e.time_ns, "restart node " + std::to_string(target));
  fault_log_.end(FaultLog::crash_key(target), e.time_ns);
  if (node.storage_lost_on_crash()) {
    metrics_.on_storage_lost(target, node.chain().height());
    safety_.on_storage_lost(target);
  }
  node.restart(e.time_ns);
  node.begin_job(e.time_ns);
  node.protocol().on_restart(node, node.storage_lost_on_crash());
  finish_job(node);
}

}  // namespace hlsim
