// The execute-order-validate pipeline of a Fabric-style network, driven by a Simulation whose
// validators are the ordering service (scenario pipeline.kind: fabric).
//
// Who is who:
//   * organisations (pipeline.organisations), each with its peers: every peer endorses and commits;
//   * the ordering service: the run's validators, running consensus.protocol unchanged; each block
//     they commit is an ordered block, cut by the protocol's own batching parameters (max_block_tx,
//     max_block_bytes, batch_timeout_ms) and signed by its proposer;
//   * clients: client c belongs to organisation c % orgs and uses one peer of it as its gateway.
//
// A transaction's way (Fabric's gateway flow), each step an event of the peer or client it
// happens at, costed on that peer's CPU from the hardware profile:
//   1. the client sends its signed proposal to its gateway peer (access link);
//   2. the gateway checks the client's signature and asks one peer of each organisation that
//      EndorsementPolicy::choose_endorsers names (itself for its own organisation);
//   3. each endorser checks the signature, runs the workload's contract against its committed
//      state through an RwSetRecorder (the proposal's submit time as the contract's clock), and
//      signs endorsement_digest(channel, proposal, status, read-write set);
//   4. the gateway compares the responses: a contract that found the proposal invalid, or
//      endorsers that disagree (e.g. one had not yet committed a block the other had), end it
//      there (never ordered: status rejected); otherwise the client signs the envelope (a round
//      trip over its access link) and the gateway sends it to an orderer;
//   5. the ordering service orders it; every orderer's commit is checked as usual (safety);
//   6. each peer receives ordered blocks from one orderer (peer i from orderer i % validators),
//      checks the block (hash, Merkle root, the proposer's signature and membership), each
//      envelope's creator signature and its endorsements (registered peer key of the named
//      organisation, signature; checked in parallel over the peer's cores), the policy, then MVCC
//      (ledger/eov/mvcc.h), and commits the valid transactions to its versioned state.
// Every check is real (OpenSSL, under ledger.verify's policy), so a forged endorsement is always
// rejected.
//
// Latency split, per transaction (pipeline figures and the pipeline_tx table): endorse = submit
// to all endorsements at the gateway; order = from there to the first orderer's commit of its
// block (the client's signing round trip, the hop to the orderer, batching and consensus);
// validate = from there to the commit at the client's gateway peer (delivery, queueing,
// validation). They add up to the transaction's latency.
//
// Delivery survives orderer crashes: the peers pulling from a crashed orderer notice the broken
// stream after kDeliverReconnectNs and send a seek request (their height) to the next orderer,
// which subscribes them and sends every block above that height (a seek reaching a crashed
// orderer fails back to the peer, which tries the one after). An envelope sent to a crashed
// orderer comes back to its gateway as a failure; the gateway moves on to the next orderer and
// resends it. Peers do not crash in this model.
//
// Closed-loop clients and workloads' watchers learn of a commit from their gateway peer.
//
// Not modelled yet: channels beyond one, private data collections, peer crashes, gossip between
// the peers of an organisation (each peer pulls from the orderers itself), off-chain documents.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ledger/eov/endorsement_check.h"
#include "ledger/eov/envelope.h"
#include "ledger/eov/mvcc.h"
#include "ledger/eov/policy.h"
#include "ledger/eov/rwset.h"
#include "ledger/eov/versioned_state.h"
#include "sim/clients/client_pool.h"
#include "sim/kernel/kernel.h"
#include "sim/kernel/slab.h"
#include "sim/network/link_model.h"
#include "sim/node/node.h"
#include "sim/observers/metrics.h"
#include "sim/scenario/scenario.h"
#include "workloads/workload.h"

namespace hlsim {

// How long a peer takes to notice that the orderer it pulls blocks from has gone (a broken
// stream: the connection reset reaches it, plus the deliver client's first back-off).
inline constexpr TimeNs kDeliverReconnectNs = 100 * kNsPerMs;

// Per transaction, beside its Metrics record (same index); -1 where the step did not happen.
struct PipelineTxTimes {
  TimeNs endorsed_ns = -1;  // all endorsements at the gateway
  TimeNs ordered_ns = -1;   // first orderer commit of its block
  TimeNs gateway_commit_ns = -1;
  ValidationCode code = ValidationCode::kValid;
  bool validated = false;  // a peer has judged it
};

// Per peer, reported in the pipeline's figures and tables.
struct PeerCounters {
  std::uint64_t endorsements = 0;
  std::uint64_t blocks = 0;
  std::uint64_t valid = 0;
  std::uint64_t invalid = 0;
  std::uint64_t reconnects = 0;
  TimeNs busy_ns = 0;
};

class FabricPipeline {
 public:
  // What the run lends the pipeline; everything must outlive it.
  struct Host {
    Kernel* kernel = nullptr;
    Metrics* metrics = nullptr;
    NodeShared* shared = nullptr;
    ClientPool* clients = nullptr;
    Workload* workload = nullptr;
    const std::vector<std::unique_ptr<Node>>* orderers = nullptr;
    // Hands `envelope` to orderer `orderer` at `at_ns` (the run's client-transaction path).
    std::function<void(NodeId orderer, TxRef envelope, TimeNs at_ns)> to_orderer;
    // Called with each envelope's id as it is created (the safety checker's "submitted").
    std::function<void(const Hash256& id)> on_envelope;
    // Called at every peer's commit of every ordered transaction (valid or not) whose envelope
    // decoded: clients whose gateway the peer is learn of it there.
    std::function<void(std::uint32_t peer, const Transaction& proposal, TxOutcome outcome,
                       TimeNs now_ns)>
        on_gateway_commit;
    // Called once per ordered transaction, when the first peer judges it, in ledger order
    // (height, then position): the proposal and its outcome (kInvalid unless valid).
    std::function<void(const Transaction& proposal, TxOutcome outcome, TimeNs now_ns)> on_judged;
  };

  // REQUIRES: scenario.pipeline.fabric(). Errors name the scenario key.
  static Result<std::unique_ptr<FabricPipeline>> create(const Scenario& scenario, Host host);

  // A client's transaction leaving the client at now_ns (instead of going to a validator).
  void submit(ClientId client, PreparedTx prepared, TimeNs now_ns);
  // An honest orderer committed `block`, its job finishing at now_ns.
  void on_ordered(NodeId orderer, const BlockRef& block, TimeNs now_ns);
  // An envelope reached orderer `orderer` while it was down.
  void on_orderer_unreachable(NodeId orderer, const TxRef& envelope, TimeNs now_ns);
  // Orderer `orderer` crashed at now_ns.
  void on_orderer_crash(NodeId orderer, TimeNs now_ns);

  // True when `tx` is an envelope this pipeline sent to the ordering service.
  bool is_envelope(const Hash256& tx_id) const { return envelope_index_.contains(tx_id); }
  // The first disagreement between peers' states, empty when none.
  const std::string& violation() const { return violation_; }
  std::vector<WorkloadFigure> figures() const;
  const std::vector<PipelineTxTimes>& tx_times() const { return times_; }
  const std::vector<PeerCounters>& peer_counters() const { return counters_; }
  std::uint32_t peer_count() const { return static_cast<std::uint32_t>(peers_.size()); }
  // Peer p's committed height and the digest of its versioned state (VersionedState::digest).
  Height peer_height(std::uint32_t p) const { return peers_[p]->height; }
  std::uint64_t peer_state_digest(std::uint32_t p) const { return peers_[p]->state.digest(); }
  OrgIndex peer_org(std::uint32_t p) const { return peers_[p]->org; }
  // The gateway peer of client c: a peer of organisation c % orgs.
  std::uint32_t gateway_of(ClientId c) const;
  // Kernel LP id of peer p (after the validators and the clients).
  NodeId peer_lp(std::uint32_t p) const { return first_peer_lp_ + p; }

 private:
  struct Peer {
    std::uint32_t index = 0;  // in peers_
    OrgIndex org = 0;
    SigningKey key;
    VersionedState state;
    Height height = 0;  // last committed block
    std::unique_ptr<Contract> contract;
    CpuModel cpu;
    NodeId deliver_from = 0;           // the orderer it pulls blocks from
    NodeId submit_to = 0;              // as a gateway: the orderer it sends envelopes to
    std::map<Height, BlockRef> early;  // received above height + 1, waiting
    Rng rng;                           // its network stream
    Peer(std::uint32_t cores, Rng r) : cpu(cores), rng(r) {}
  };
  // A proposal on its way to (or at) a peer.
  struct Proposal {
    std::uint32_t index = 0;  // metrics index
    std::uint32_t gateway = 0;
    TxRef tx;
  };
  // An endorser's answer on its way to the gateway.
  struct Response {
    std::uint32_t index = 0;
    std::uint32_t gateway = 0;
    std::uint8_t status = 0;  // TxOutcome
    std::shared_ptr<const RwSet> rwset;
    Hash256 rwset_hash;
    Endorsement endorsement;
  };
  // What a gateway keeps while endorsements come in.
  struct Wait {
    TxRef proposal;
    std::uint32_t needed = 0;
    std::vector<Response> responses;
  };
  // A block (or an envelope, or a client's envelope to sign) travelling to an endpoint.
  struct Delivery {
    std::uint32_t peer = 0;
    NodeId orderer = 0;
    BlockRef block;
    TxRef envelope;
    std::uint32_t index = 0;
    ClientId client = 0;
    Height from_height = 0;  // a seek: the first block the peer wants
  };
  template <void (FabricPipeline::*F)(const Event&)>
  struct Bound final : EventHandler {
    FabricPipeline* self = nullptr;
    void handle(const Event& e) override { (self->*F)(e); }
  };

  FabricPipeline(const Scenario& scenario, Host host, EndorsementPolicy policy, Network network);

  void on_proposal_at_gateway(const Event& e);
  void on_proposal_at_endorser(const Event& e);
  void on_response_at_gateway(const Event& e);
  void on_client_sign(const Event& e);
  void on_envelope_at_gateway(const Event& e);
  void on_block_at_peer(const Event& e);
  void on_reconnect(const Event& e);
  void on_seek(const Event& e);

  // Defers e to the peer's first free core when all are busy.
  bool defer_if_busy(Peer& peer, const Event& e);
  // Runs a job of cost_ns on the peer's CPU from start_ns; returns its finish time.
  TimeNs run_job(Peer& peer, TimeNs start_ns, TimeNs cost_ns);
  // Network hop between pipeline endpoints (orderers 0..V-1, peers V..V+P-1); reliable.
  TimeNs hop(NodeId from_net, NodeId to_net, std::uint64_t bytes, TimeNs now_ns, Rng& rng);
  void send_block(NodeId orderer, std::uint32_t peer, const BlockRef& block, TimeNs now_ns);
  void send_to_orderer(std::uint32_t gateway, NodeId orderer, const TxRef& envelope, TimeNs now_ns);
  void validate(Peer& peer, const BlockRef& block, TimeNs start_ns);

  Scenario scenario_;
  Host host_;
  EndorsementPolicy policy_;
  Network network_;
  std::vector<std::unique_ptr<Peer>> peers_;
  std::vector<std::uint32_t> org_first_peer_;  // org -> index of its first peer
  std::vector<PeerIdentity> identities_;       // the membership list, by peer index
  // Orderer side: the peers each orderer streams blocks to (set by their seek requests).
  std::vector<std::set<std::uint32_t>> subscribers_;
  std::vector<PeerCounters> counters_;
  NodeId first_peer_lp_ = 0;
  std::uint32_t orderers_ = 0;
  std::vector<Rng> orderer_rngs_;
  std::vector<PipelineTxTimes> times_;
  Slab<Proposal> proposals_;
  Slab<Response> responses_;
  Slab<Delivery> deliveries_;
  // Gateway bookkeeping: metrics index -> the endorsements awaited.
  std::map<std::uint32_t, std::unique_ptr<Wait>> waits_;
  // Envelope id -> metrics index (observer bookkeeping: lookups only, never iterated).
  std::unordered_map<Hash256, std::uint32_t, Hash256Hasher> envelope_index_;
  // Height -> the state digest the first peer to commit it reached; others must agree.
  std::vector<std::uint64_t> digest_at_;
  Height ordered_height_ = 0;            // highest height some honest orderer committed
  std::vector<std::uint64_t> codes_;     // judged transactions by ValidationCode
  std::uint64_t rejected_invalid_ = 0;   // the contract said invalid at endorsement
  std::uint64_t rejected_mismatch_ = 0;  // endorsers disagreed
  std::uint64_t resubmits_ = 0;          // envelopes resent after an orderer was down
  std::string violation_;
  Bound<&FabricPipeline::on_proposal_at_gateway> proposal_at_gateway_;
  Bound<&FabricPipeline::on_proposal_at_endorser> proposal_at_endorser_;
  Bound<&FabricPipeline::on_response_at_gateway> response_at_gateway_;
  Bound<&FabricPipeline::on_client_sign> client_sign_;
  Bound<&FabricPipeline::on_envelope_at_gateway> envelope_at_gateway_;
  Bound<&FabricPipeline::on_block_at_peer> block_at_peer_;
  Bound<&FabricPipeline::on_reconnect> reconnect_;
  Bound<&FabricPipeline::on_seek> seek_;
  EventKind proposal_at_gateway_kind_ = 0, proposal_at_endorser_kind_ = 0,
            response_at_gateway_kind_ = 0, client_sign_kind_ = 0, envelope_at_gateway_kind_ = 0,
            block_at_peer_kind_ = 0, reconnect_kind_ = 0, seek_kind_ = 0;
};

}  // namespace hlsim
