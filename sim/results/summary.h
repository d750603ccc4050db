// What a run measured, reduced to the figures people read: the console table, summary.json and
// the HDF5 `summary` attribute are all rendered from one RunSummary.
//
// Definitions (also in the README):
//   latency          commit_ns - submit_ns of every committed transaction (status committed,
//                    denied or invalid: all were ordered), where commit_ns is when the client's
//                    gateway committed it (the first commit anywhere if the gateway never did)
//   percentiles      nearest rank over the sorted latencies
//   committed_tps    transactions with commit_ns < duration, divided by duration
//   offered_tps      transactions submitted, divided by duration (configured rate beside it)
//   msgs_per_block   protocol messages sent (all types, all nodes) / committed blocks
//   longest gap      longest interval in [first commit, duration) without a new height committed
//                    by an honest node
//   recovery         per fault event: time to the next new height
//   fetch latency    off-chain reads: from the authorising access commit at the reader's gateway
//                    to the document decrypted at the reader (successful reads only)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/run/simulation.h"
#include "workloads/workload.h"

namespace hlsim {

struct LatencyStats {
  std::uint64_t count = 0;
  double mean_ms = 0, p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;
};
// REQUIRES: nothing; empty input gives all zeros.
LatencyStats latency_stats(std::vector<TimeNs> latencies_ns);

struct KindSummary {
  std::string kind;
  std::uint64_t submitted = 0, committed = 0, applied = 0, denied = 0, invalid = 0;
  LatencyStats latency;
};

struct NodeSummary {
  NodeId node = 0;
  std::uint64_t msgs_sent = 0, bytes_sent = 0, msgs_recv = 0, bytes_recv = 0;
  TimeNs cpu_busy_ns = 0;
  double cpu_utilisation = 0;  // busy / (cores * run time)
  std::uint64_t client_txs = 0, client_txs_rejected = 0;
  Height height = 0;
  std::uint64_t state_bytes = 0, block_bytes = 0;
  bool crashed = false;
  bool leader = false;
};

// One protocol message type, summed over the nodes; per_block divides by committed blocks.
struct MessageTypeSummary {
  std::string type;
  std::string role;  // proposal | vote | other (ProtocolInfo's message roles)
  std::uint64_t msgs = 0, bytes = 0;
  double msgs_per_block = 0, bytes_per_block = 0;
};

struct RecoverySummary {
  double at_s = 0;
  std::string fault;
  double recovery_ms = -1;  // fault -> next new height; -1 when none followed
};

// What one fault did (sim/observers/fault_log.h): committed throughput and median latency of the
// transactions committed during its window, and in windows of the same length just before and
// just after it (clipped to the run; -1 when that window is empty).
struct FaultWindowSummary {
  std::string fault;
  double begin_s = 0, end_s = 0;  // end_s: the run's end when the fault never ended
  bool ended = true;
  double tps_before = -1, tps_during = -1, tps_after = -1;
  double p50_before_ms = -1, p50_during_ms = -1, p50_after_ms = -1;
  double p99_during_ms = -1;
};

struct HostFigures {
  double wall_s = 0;
  double events_per_s = 0;
  double sim_s_per_wall_s = 0;
};

struct RunSummary {
  std::string scenario;
  std::string protocol;
  std::string workload;
  std::uint64_t seed = 0;
  std::uint32_t nodes = 0, clients = 0;
  double duration_s = 0, drain_s = 0, simulated_s = 0;
  bool complete = false;
  std::string stop_reason;

  double offered_tps_configured = 0, offered_tps_achieved = 0, committed_tps = 0;
  std::uint64_t submitted = 0, committed = 0, applied = 0, denied = 0, invalid = 0, rejected = 0,
                lost = 0, pending = 0;
  LatencyStats latency;
  std::vector<KindSummary> kinds;
  std::string arrivals;                          // e.g. "poisson", "closed loop, think 1000 ms"
  std::uint64_t closed_timeouts = 0;             // closed loop: gave up waiting for a commit
  std::vector<WorkloadFigure> workload_figures;  // the workload's own (Workload::make_metrics)
  // The execute-order-validate pipeline's (FabricPipeline::figures); empty for order-execute.
  std::vector<WorkloadFigure> pipeline_figures;
  // pipeline.kind, and for fabric its organisations ("name:peers, ...") and canonical policy.
  std::string pipeline_kind = "none";
  std::string pipeline_orgs;
  std::string pipeline_policy;

  std::uint64_t blocks = 0;
  double txs_per_block = 0;
  std::uint64_t leader_changes = 0;
  std::uint64_t msgs_total = 0, bytes_total = 0, msgs_lost = 0;
  double msgs_per_block = 0, bytes_per_block = 0;
  std::vector<MessageTypeSummary> message_types;

  // Liveness (sim/observers/liveness_monitor.h) and forks (tentative-chain reorganisations).
  double first_commit_ms = -1;
  double longest_commit_gap_ms = 0, longest_commit_gap_start_s = 0;
  std::vector<RecoverySummary> recoveries;
  std::vector<FaultWindowSummary> fault_windows;
  std::uint64_t reorgs = 0, reorg_blocks = 0;
  std::uint64_t reorg_own_blocks = 0;  // abandoned blocks the switching node had sealed
  std::uint32_t reorg_max_depth = 0;
  std::vector<std::string> byzantine;  // "node 0: equivocate"
  std::vector<NodeSummary> nodes_detail;

  // Ledger configuration, and the off-chain documents (PHI kept off the ledger, AES-256-GCM).
  std::string signature_scheme, verification_policy, storage;
  std::uint64_t documents = 0, document_bytes = 0;
  std::uint64_t fetches = 0, fetches_ok = 0, fetches_failed = 0, fetch_bytes = 0;
  std::uint64_t fetches_without_document = 0;  // authorised reads of a subject with no document
  LatencyStats fetch_latency;                  // access commit -> document decrypted at the reader
  std::vector<std::string> violations;
  std::vector<std::string> notes;  // diagnoses, e.g. why nothing committed

  std::uint64_t events = 0;
  HostFigures host;
};

RunSummary summarize(const Simulation& sim, const RunOutcome& outcome);

// Per-second buckets of the run, for the `timeseries` table.
struct TimeBucket {
  double t_s = 0;                   // bucket start
  std::uint64_t submitted = 0;      // transactions submitted in the bucket
  std::uint64_t committed = 0;      // transactions whose commit_ns falls in the bucket
  std::uint64_t blocks = 0;         // blocks first committed in the bucket
  double p50_ms = 0, p99_ms = 0;    // latency of the transactions committed in the bucket
  std::uint32_t faults_active = 0;  // fault windows overlapping the bucket
};
std::vector<TimeBucket> time_buckets(const Simulation& sim, TimeNs end_ns);

std::string render_console(const RunSummary& s);
// With include_host = false the text depends only on scenario, seed and version.
std::string summary_json(const RunSummary& s, bool include_host = true);

}  // namespace hlsim
