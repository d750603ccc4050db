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
// Channels (pipeline.channels): separate ledgers, each held by the peers of its member
// organisations only, all ordered by the one ordering service (Fabric runs a consensus group per
// channel; here one consensus log carries every channel's envelopes). A client's transaction goes
// to a channel of its organisation (pipeline.channel_kinds routes by kind) and is endorsed under
// that channel's policy. From each block the consensus commits, the ordering service cuts one block
// per channel that has envelopes in it: height, previous hash and transactions of the channel's
// own chain, sealed and signed by the consensus block's proposer (Fabric's Raft leader cuts and
// signs every block, and followers store the leader's block); the pipeline computes them once, when
// the first orderer commits the consensus block, so every orderer serves identical channel chains.
// An orderer streams a channel's blocks to members of the channel only, and every peer checks a
// channel block's signature, membership and link to its previous one.
//
// Private data collections (pipeline.collections, ledger/eov/private_data.h): the transaction
// kinds of a collection carry their payload as transient data to member peers only. The client
// signs a proposal holding only the payload's hash; its gateway (a member: clients of
// non-member organisations may not write a collection, Fabric's memberOnlyWrite) asks member
// endorsers under the collection's policy; each runs the contract against its private state of
// the collection, signs the hashed read-write set, and sends the clear one to every other member
// peer before it answers (dissemination; its answer leaves once the last member has it, so a
// member always holds the private data before the block that orders it). Every peer of the
// channel validates the hashed read-write set; members then check the clear one against it and
// apply it to their private state.
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
// Not modelled: peer crashes, gossip between the peers of an organisation (each peer pulls from
// the orderers itself; private data is pushed by endorsers, never pulled or reconciled later),
// private data's block-to-live purge, reads across collections or of public keys by a private
// transaction (it sees its collection's state only), off-chain documents.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ledger/eov/endorsement_check.h"
#include "ledger/eov/envelope.h"
#include "ledger/eov/mvcc.h"
#include "ledger/eov/policy.h"
#include "ledger/eov/private_data.h"
#include "ledger/eov/rwset.h"
#include "ledger/eov/versioned_state.h"
#include "sim/clients/client_pool.h"
#include "sim/kernel/kernel.h"
#include "sim/kernel/member_handler.h"
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

// PipelineTxTimes::channel of a transaction no channel of its client's organisation takes.
inline constexpr std::uint32_t kNoChannel = 0xffffffffU;

// Per transaction, beside its Metrics record (same index); -1 where the step did not happen.
struct PipelineTxTimes {
  TimeNs endorsed_ns = -1;  // all endorsements at the gateway
  TimeNs ordered_ns = -1;   // first orderer commit of its block
  TimeNs gateway_commit_ns = -1;
  ValidationCode code = ValidationCode::kValid;
  bool validated = false;                    // a peer has judged it
  std::uint32_t channel = kNoChannel;        // kNoChannel: no channel took it
  std::uint32_t collection = kNoCollection;  // kNoCollection: public
};

// What a peer receives (Host::on_peer_receive), for tests of channel and private data isolation.
enum class PeerReceipt : std::uint8_t {
  kProposal,     // a signed proposal (at the gateway or an endorser)
  kTransient,    // a private proposal's payload (at the gateway or a member endorser)
  kResponse,     // an endorser's answer at the gateway: its read-write set (hashed when private)
  kPrivateData,  // a clear private read-write set disseminated by an endorser
  kBlock,        // a channel block from an orderer
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
    // Optional (tests; costs an encoding per message when set): every message a peer receives,
    // with the channel it belongs to and its bytes.
    std::function<void(std::uint32_t peer, PeerReceipt what, std::uint32_t channel, ByteView bytes)>
        on_peer_receive;
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
  std::uint32_t channel_count() const { return static_cast<std::uint32_t>(chains_.size()); }
  // Blocks peer p committed, over all its channels.
  Height peer_height(std::uint32_t p) const;
  // Peer p's height on `channel`; nullopt when it is not a member.
  std::optional<Height> peer_height(std::uint32_t p, std::uint32_t channel) const;
  // The digest (VersionedState::digest) of peer p's state of `channel` (public keys and every
  // collection's hashes); 0 when it is not a member.
  std::uint64_t peer_state_digest(std::uint32_t p, std::uint32_t channel = 0) const;
  // The digest of peer p's private state of `collection`; nullopt when it is not a member.
  std::optional<std::uint64_t> peer_private_digest(std::uint32_t p, std::uint32_t collection) const;
  OrgIndex peer_org(std::uint32_t p) const { return peers_[p]->org; }
  // The height of `channel` after the blocks cut from consensus blocks 1..consensus_height.
  Height channel_height_at(std::uint32_t channel, Height consensus_height) const;
  // Observes every message a peer receives from now on (see Host::on_peer_receive).
  void observe_receipts(decltype(Host::on_peer_receive) observer) {
    host_.on_peer_receive = std::move(observer);
  }
  // The gateway peer of client c: a peer of organisation c % orgs.
  std::uint32_t gateway_of(ClientId c) const;
  // Kernel LP id of peer p (after the validators and the clients).
  NodeId peer_lp(std::uint32_t p) const { return first_peer_lp_ + p; }

 private:
  // A peer's copy of one channel.
  struct Ledger {
    std::uint32_t channel = 0;
    VersionedState state;              // public keys and every collection's hashed keys
    Height height = 0;                 // last committed block of the channel
    Hash256 last_hash;                 // its hash
    std::map<Height, BlockRef> early;  // received above height + 1, waiting
    std::map<std::uint32_t, VersionedState> private_states;  // collection -> its clear state
  };
  struct Peer {
    std::uint32_t index = 0;  // in peers_
    OrgIndex org = 0;
    SigningKey key;
    std::vector<Ledger> ledgers;  // its channels, in channel order
    std::vector<int> ledger_of;   // channel -> index in ledgers, -1 when not a member
    std::unique_ptr<Contract> contract;
    CpuModel cpu;
    NodeId deliver_from = 0;  // the orderer it pulls blocks from
    NodeId submit_to = 0;     // as a gateway: the orderer it sends envelopes to
    // Private data received from endorsers: proposal id -> the clear read-write sets (one per
    // distinct answer), until the transaction is validated.
    std::unordered_map<Hash256, std::vector<std::shared_ptr<const RwSet>>, Hash256Hasher> transient;
    Rng rng;  // its network stream
    Peer(std::uint32_t cores, Rng r) : cpu(cores), rng(r) {}
    Ledger* ledger(std::uint32_t channel) {
      const int i = ledger_of[channel];
      return i < 0 ? nullptr : &ledgers[static_cast<std::size_t>(i)];
    }
  };
  // A proposal on its way to (or at) a peer.
  struct Proposal {
    std::uint32_t index = 0;  // metrics index
    std::uint32_t gateway = 0;
    TxRef tx;  // signed (a private proposal when collection is set)
    std::uint32_t channel = 0;
    std::uint32_t collection = kNoCollection;
    std::shared_ptr<const Bytes> transient;  // a private proposal's payload
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
    std::uint32_t channel = 0;
    std::uint32_t collection = kNoCollection;
    std::uint32_t needed = 0;
    std::vector<Response> responses;
  };
  // A block (or an envelope, or a client's envelope to sign) travelling to an endpoint.
  struct Delivery {
    std::uint32_t peer = 0;
    NodeId orderer = 0;
    std::uint32_t channel = 0;
    BlockRef block;
    TxRef envelope;
    std::uint32_t index = 0;
    ClientId client = 0;
    std::vector<Height> from_heights;  // a seek: per channel, the first block the peer wants
    std::shared_ptr<const RwSet> private_rwset;  // dissemination: the clear read-write set
    Hash256 proposal_id;                         // dissemination: whose it is
  };
  template <void (FabricPipeline::*F)(const Event&)>
  using Bound = MemberHandler<FabricPipeline, F>;

  FabricPipeline(const Scenario& scenario, Host host, std::vector<EndorsementPolicy> channels,
                 std::vector<EndorsementPolicy> collections, Network network);

  void on_proposal_at_gateway(const Event& e);
  void on_proposal_at_endorser(const Event& e);
  void on_response_at_gateway(const Event& e);
  void on_client_sign(const Event& e);
  void on_envelope_at_gateway(const Event& e);
  void on_block_at_peer(const Event& e);
  void on_reconnect(const Event& e);
  void on_seek(const Event& e);
  void on_private_data(const Event& e);

  // The channel a transaction of `kind` from organisation `org` goes to; nullopt when none.
  std::optional<std::uint32_t> route(OrgIndex org, std::uint16_t kind) const;
  // The collection `kind` is private to on `channel`, or kNoCollection.
  std::uint32_t collection_of(std::uint32_t channel, std::uint16_t kind) const;
  bool member_of_collection(OrgIndex org, std::uint32_t collection) const;
  // The peers of every organisation of `orgs`.
  std::vector<std::uint32_t> peers_of(const std::vector<std::uint32_t>& orgs) const;
  // Cuts the channel blocks of consensus blocks up to `block` (committed by `orderer`).
  void cut_channel_blocks(NodeId orderer, const BlockRef& block);
  void receipt(std::uint32_t peer, PeerReceipt what, std::uint32_t channel, ByteView bytes) const;

  // Defers e to the peer's first free core when all are busy.
  bool defer_if_busy(Peer& peer, const Event& e);
  // Runs a job of cost_ns on the peer's CPU from start_ns; returns its finish time.
  TimeNs run_job(Peer& peer, TimeNs start_ns, TimeNs cost_ns);
  // Network hop between pipeline endpoints (orderers 0..V-1, peers V..V+P-1); reliable.
  TimeNs hop(NodeId from_net, NodeId to_net, std::uint64_t bytes, TimeNs now_ns, Rng& rng);
  void send_block(NodeId orderer, std::uint32_t peer, std::uint32_t channel, const BlockRef& block,
                  TimeNs now_ns);
  void send_to_orderer(std::uint32_t gateway, NodeId orderer, const TxRef& envelope, TimeNs now_ns);
  void validate(Peer& peer, Ledger& ledger, const BlockRef& block, TimeNs start_ns);
  // The first-peer-wins consistency check of a digest after a block: digests[h - 1].
  void check_digest(std::vector<std::uint64_t>& digests, Height h, std::uint64_t digest,
                    const Peer& peer, const std::string& what);

  Scenario scenario_;
  Host host_;
  std::vector<EndorsementPolicy> channel_policies_;     // by channel
  std::vector<EndorsementPolicy> collection_policies_;  // by collection
  // By channel: each collection's policy when it belongs to the channel, else null.
  std::vector<std::vector<const EndorsementPolicy*>> policies_in_channel_;
  std::vector<int> route_;       // org * kinds + kind -> channel, -1 when none
  std::vector<int> collection_;  // channel * kinds + kind -> collection, -1 when public
  std::size_t kinds_ = 0;
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
  // The ordering service's channel chains (channel -> blocks, index = height - 1), and for each
  // consensus height (index h - 1) the channel blocks cut from it and every channel's height
  // after it (index (h - 1) * channels + channel).
  std::vector<std::vector<BlockRef>> chains_;
  std::vector<std::vector<std::pair<std::uint32_t, Height>>> cut_from_;
  std::vector<Height> tips_;
  // Per channel (per collection): height -> the state digest the first peer (member) to commit
  // it reached; the others must agree.
  std::vector<std::vector<std::uint64_t>> digest_at_;
  std::vector<std::vector<std::uint64_t>> private_digest_at_;
  // The clear proposal of each private transaction (metrics index -> it), for the workload's and
  // the clients' observers (which see what the client submitted).
  std::unordered_map<std::uint32_t, TxRef> originals_;
  Height ordered_height_ = 0;                 // highest height some honest orderer committed
  std::vector<std::uint64_t> codes_;          // judged transactions by ValidationCode
  std::uint64_t rejected_invalid_ = 0;        // the contract said invalid at endorsement
  std::uint64_t rejected_mismatch_ = 0;       // endorsers disagreed
  std::uint64_t resubmits_ = 0;               // envelopes resent after an orderer was down
  std::uint64_t rejected_no_channel_ = 0;     // no channel of the client's organisation takes it
  std::uint64_t rejected_not_member_ = 0;     // private kind, client's organisation not a member
  std::uint64_t private_valid_ = 0;           // valid private transactions
  std::uint64_t private_disseminations_ = 0;  // clear read-write sets sent to member peers
  std::string violation_;
  Bound<&FabricPipeline::on_proposal_at_gateway> proposal_at_gateway_;
  Bound<&FabricPipeline::on_proposal_at_endorser> proposal_at_endorser_;
  Bound<&FabricPipeline::on_response_at_gateway> response_at_gateway_;
  Bound<&FabricPipeline::on_client_sign> client_sign_;
  Bound<&FabricPipeline::on_envelope_at_gateway> envelope_at_gateway_;
  Bound<&FabricPipeline::on_block_at_peer> block_at_peer_;
  Bound<&FabricPipeline::on_reconnect> reconnect_;
  Bound<&FabricPipeline::on_seek> seek_;
  Bound<&FabricPipeline::on_private_data> private_data_;
  EventKind proposal_at_gateway_kind_ = 0, proposal_at_endorser_kind_ = 0,
            response_at_gateway_kind_ = 0, client_sign_kind_ = 0, envelope_at_gateway_kind_ = 0,
            block_at_peer_kind_ = 0, reconnect_kind_ = 0, seek_kind_ = 0, private_data_kind_ = 0;
};

}  // namespace hlsim
