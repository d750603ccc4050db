// One run of a scenario: builds the validators, clients, network and observers, and drives them
// through the kernel.
//
// Event kinds (each owned by one LP, DESIGN.md invariant 2):
//   deliver    a protocol message reaching a validator
//   timer      a protocol timer firing
//   client_tx  a client's transaction reaching its gateway validator
//   arrival    a client (LP id validators + c) submitting its next transaction
//   observe    a client learning of a committed transaction it watches (Workload::watchers)
//   timeout    a closed-loop client giving up waiting for its transaction's commit
//   fault      a scheduled fault: a crash or restart of a validator, or the start or end of a
//              condition (partition, degraded links, duplication, reordering, slow node, clock
//              drift), which changes what the network and the nodes do from then on
// A validator handles an event as one CPU job (sim/node/cpu_model.h); when all its cores are busy
// the event waits for the first free core. Everything a job emits takes effect when it finishes.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "consensus/registry.h"
#include "sim/clients/client_pool.h"
#include "sim/fabric/fabric_pipeline.h"
#include "sim/faults/fault_conditions.h"
#include "sim/kernel/kernel.h"
#include "sim/kernel/member_handler.h"
#include "sim/kernel/slab.h"
#include "sim/network/link_model.h"
#include "sim/network/topology.h"
#include "sim/node/node.h"
#include "sim/observers/fault_log.h"
#include "sim/observers/liveness_monitor.h"
#include "sim/observers/metrics.h"
#include "sim/observers/safety_checker.h"
#include "sim/scenario/scenario.h"
#include "workloads/workload.h"

namespace hlsim {

struct RunProgress {
  TimeNs now_ns;
  TimeNs end_ns;
  std::uint64_t events;
};

struct RunOutcome {
  bool complete = false;    // ran to the scenario's end
  std::string stop_reason;  // why not, when !complete ("interrupted", a safety violation, ...)
  TimeNs end_ns = 0;        // simulated time reached
  std::uint64_t events = 0;
};

// Messages lost in the network, per sender (the network decides; nodes never see them).
struct NetworkCounters {
  std::vector<std::uint64_t> lost_msgs;
  std::vector<std::uint64_t> dropped_at_crashed;  // delivered to a crashed validator
  std::vector<std::uint64_t> partitioned;         // by sender: dropped by an active partition
  std::vector<std::uint64_t> duplicated;          // by sender: extra copies delivered
  std::vector<std::uint64_t> reordered;           // by sender: messages given an extra delay
};

// Where a run keeps its validators' RocksDB ledgers (storage: rocksdb): beside the results file,
// "<results without .h5>.ledger/node-<i>".
std::string ledger_dir_for(const std::string& output_path);

class Simulation {
 public:
  // With storage: rocksdb, any ledger directory an earlier run left at ledger_dir_for(output) is
  // replaced.
  static Result<std::unique_ptr<Simulation>> create(const Scenario& scenario);

  // Runs to duration + drain, or until `interrupt` becomes true or a safety violation occurs.
  // `progress` (optional) is called after each simulated second.
  RunOutcome run(const std::atomic<bool>* interrupt,
                 const std::function<void(const RunProgress&)>& progress);

  const Scenario& scenario() const { return scenario_; }
  const ProtocolInfo& protocol_info() const { return *protocol_info_; }
  const Metrics& metrics() const { return metrics_; }
  const SafetyChecker& safety() const { return safety_; }
  const LivenessMonitor& liveness() const { return liveness_; }
  const FaultLog& fault_log() const { return fault_log_; }
  // The workload's own figures (Workload::make_metrics), empty when it has none.
  std::vector<WorkloadFigure> workload_figures() const;
  // Closed loop: transactions whose client gave up waiting for the commit (workload.timeout_ms).
  std::uint64_t closed_loop_timeouts() const { return closed_timeouts_; }
  // The execute-order-validate pipeline (pipeline.kind: fabric), null for order-execute runs.
  const FabricPipeline* pipeline() const { return pipeline_.get(); }
  FabricPipeline* pipeline() { return pipeline_.get(); }
  // Its figures (FabricPipeline::figures), empty without one.
  std::vector<WorkloadFigure> pipeline_figures() const {
    return pipeline_ ? pipeline_->figures() : std::vector<WorkloadFigure>{};
  }
  bool workload_has_own_arrivals() const { return workload_->has_own_arrivals(); }
  bool is_byzantine(NodeId node) const { return scenario_.byzantine.faulty(node); }
  const std::vector<std::unique_ptr<Node>>& nodes() const { return nodes_; }
  const NetworkCounters& network_counters() const { return net_counters_; }
  const NodeShared& shared() const { return *shared_; }
  // Before run(): every node decodes every block and message and executes every block itself
  // instead of taking an identical result from the run's memos (Node::decode_block,
  // Context::decode_memo, workloads/execution_memo.h). The run is the same; only the host works
  // more. For the tests that show it.
  void disable_shared_memos() {
    shared_->execution_memo = ExecutionMemo(0);
    shared_->decoded_blocks = BoundedMemo<BlockRef>(0);
    shared_->decoded_messages = MessageDecodeMemo(0);
  }
  const Network& network() const { return *network_; }
  std::uint64_t events() const { return kernel_.events_handled(); }
  // Before run(): sign the validators' common votes ahead of them on another thread
  // (sim/node/vote_presigner.h). The run is the same; only the host's wall time changes. For
  // single runs on a machine with a core to spare (`hlsim run`); sweeps already use every core.
  void enable_background_signing();
  // Before run(): keep the kernel's digest of every event handled (Kernel::enable_trace_digest).
  void enable_trace_digest() { kernel_.enable_trace_digest(); }
  // The kernel's digest of every event handled so far (Kernel::trace_digest).
  std::uint64_t trace_digest() const { return kernel_.trace_digest(); }
  // Sends a readable line per event to `sink` from now on (nullptr: stop). The run is unchanged.
  void trace_events(std::function<void(const std::string&)> sink);
  std::string describe_event(const Event& e) const;

 private:
  Simulation(const Scenario& scenario, const ProtocolInfo* info, std::unique_ptr<Workload> workload,
             std::unique_ptr<Network> network, const AccessLink& client_link);
  template <void (Simulation::*F)(const Event&)>
  using Bound = MemberHandler<Simulation, F>;
  struct PendingMessage {
    NodeId from;
    Message msg;
  };
  struct PendingTimer {
    TimerId id;
    std::uint64_t tag;
    std::uint32_t incarnation;
  };
  // A client transaction on its way to the gateway, with the document uploaded alongside.
  struct Submission {
    TxRef tx;
    std::shared_ptr<const Bytes> document;
  };
  // A subject's latest committed document: where it is kept and how to open it.
  struct DocumentRef {
    OffchainPointer pointer;
    NodeId owner_gateway = 0;
  };
  // A committed transaction on its way to a client watching it.
  struct Observation {
    ClientId client = 0;
    TxRef tx;
    TxOutcome outcome = TxOutcome::kApplied;
  };
  // A closed-loop client's outstanding transaction.
  struct ClosedWait {
    bool waiting = false;
    std::uint64_t nonce = 0;
    Hash256 id;
  };
  // An off-chain read in flight.
  struct Fetch {
    FetchRecord record;
    DocumentRef doc;
  };
  void on_deliver(const Event& e);
  void on_timer(const Event& e);
  void on_client_tx(const Event& e);
  void on_arrival(const Event& e);
  void on_fault(const Event& e);
  void on_observe(const Event& e);
  // Execute-order-validate: gateway peer `peer` committed `proposal` (closed-loop clients and
  // watchers whose gateway it is learn of it, as notify_clients does for validators).
  void pipeline_gateway_commit(std::uint32_t peer, const Transaction& proposal, TxOutcome outcome,
                               TimeNs now_ns);
  void on_client_timeout(const Event& e);
  // What clients learn from the transactions `node` committed: closed-loop commits, watched
  // transactions. Each reaches the client one access-link latency after the commit.
  void notify_clients(NodeId node, const CommitRecord& commit, TimeNs now_ns);
  // Off-chain reads: the request reaches the owner's site (serve), the document reaches the
  // reader's gateway (deliver), which hands it to the reader, who decrypts it.
  void on_fetch_serve(const Event& e);
  void on_fetch_deliver(const Event& e);
  // Off-chain effects of the transactions a node committed in its last job.
  void offchain_after_commit(NodeId node, const CommitRecord& commit, TimeNs now_ns);
  void start_fetch(NodeId reader_gateway, ClientId reader, const Hash256& tx, std::uint64_t subject,
                   TimeNs now_ns);

  // When every core of `node` is busy at e.time_ns, re-queues e for the first free core.
  bool defer_if_busy(Node& node, const Event& e);
  // Runs the job's cost on the node's CPU and releases its outbox at the finish time.
  void finish_job(Node& node);
  void schedule_next_arrival(ClientId c, TimeNs now_ns);
  NodeId current_leader() const;

  Scenario scenario_;
  const ProtocolInfo* protocol_info_;
  std::unique_ptr<Workload> workload_;
  std::unique_ptr<Network> network_;
  std::unique_ptr<NodeShared> shared_;
  Kernel kernel_;
  Metrics metrics_;
  SafetyChecker safety_;
  LivenessMonitor liveness_;
  FaultLog fault_log_;
  Height progress_height_ = 0;  // highest height an honest node has committed
  std::vector<std::unique_ptr<Node>> nodes_;
  std::unique_ptr<ClientPool> clients_;
  std::unique_ptr<FabricPipeline> pipeline_;
  std::vector<Rng> net_rngs_;  // per sender
  NetworkCounters net_counters_;
  Slab<PendingMessage> messages_;
  Slab<PendingTimer> timers_;
  Slab<Submission> client_txs_;
  Slab<Fetch> fetches_;
  Slab<Observation> observations_;
  std::unique_ptr<WorkloadMetrics> workload_metrics_;
  bool reactive_ = false;                // workload_->reacts_to_ledger()
  std::vector<ClosedWait> closed_wait_;  // by client, closed loop only
  std::uint64_t closed_timeouts_ = 0;
  // Off-chain stores, one per gateway site: digest -> sealed document.
  std::vector<std::unordered_map<Hash256, std::shared_ptr<const Bytes>, Hash256Hasher>> offchain_;
  // Subject -> its latest committed document (ordered: iteration never matters, but cheap).
  std::unordered_map<std::uint64_t, DocumentRef> latest_document_;
  std::vector<NodeId> crashed_order_;
  std::unique_ptr<FaultConditions> conditions_;
  Bound<&Simulation::on_deliver> deliver_handler_;
  Bound<&Simulation::on_timer> timer_handler_;
  Bound<&Simulation::on_client_tx> client_tx_handler_;
  Bound<&Simulation::on_arrival> arrival_handler_;
  Bound<&Simulation::on_fault> fault_handler_;
  Bound<&Simulation::on_fetch_serve> fetch_serve_handler_;
  Bound<&Simulation::on_fetch_deliver> fetch_deliver_handler_;
  Bound<&Simulation::on_observe> observe_handler_;
  Bound<&Simulation::on_client_timeout> client_timeout_handler_;
  EventKind deliver_kind_ = 0, timer_kind_ = 0, client_tx_kind_ = 0, arrival_kind_ = 0,
            fault_kind_ = 0, fetch_serve_kind_ = 0, fetch_deliver_kind_ = 0, observe_kind_ = 0,
            client_timeout_kind_ = 0;
  TimeNs end_ns_ = 0;
  bool violated_ = false;
};

}  // namespace hlsim
