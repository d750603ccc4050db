#include "sim/results/h5_writer.h"

#include <H5Cpp.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "ledger/encoding.h"
#include "sim/kernel/version.h"
#include "sim/results/h5_groups.h"
#include "sim/scenario/profile_loader.h"

namespace hlsim {
namespace {

namespace fs = std::filesystem;

// Fixed-width text columns keep the tables plain compound datasets that h5py and pandas read
// directly.
template <std::size_t N>
void copy_text(char (&dst)[N], const std::string& src) {
  std::memset(dst, 0, N);
  std::memcpy(dst, src.data(), std::min(N - 1, src.size()));
}

struct TxRow {
  std::uint64_t id;  // first 8 bytes of the transaction id
  char kind[24];
  std::uint32_t client;
  std::uint32_t gateway;
  std::int64_t submit_ns;
  std::int64_t commit_ns;
  std::int64_t first_commit_ns;
  std::uint64_t height;
  std::uint32_t bytes;
  char status[12];
};

struct BlockRow {
  std::uint64_t height;
  std::uint64_t hash;  // first 8 bytes
  std::uint32_t proposer;
  std::uint64_t epoch;
  std::uint32_t tx_count;
  std::uint64_t bytes;
  std::int64_t sealed_ns;
  std::int64_t first_commit_ns;
  std::int64_t last_commit_ns;
  std::uint32_t commits;
};

struct NodeRow {
  std::uint32_t node;
  std::uint64_t msgs_sent, bytes_sent, msgs_recv, bytes_recv;
  std::int64_t cpu_busy_ns;
  std::uint64_t jobs;
  std::uint64_t client_txs, client_txs_rejected;
  std::uint64_t height, state_bytes, block_bytes;
  std::uint32_t crashes;
  std::uint64_t msgs_lost_in_network;
};

struct MessageRow {
  std::uint32_t node;
  char type[24];
  std::uint64_t msgs_sent, bytes_sent, msgs_recv, bytes_recv;
};

struct TimeRow {
  double t_s;
  std::uint64_t submitted, committed, blocks;
  double p50_ms, p99_ms;
  std::uint32_t faults_active;
};

struct FaultRow {
  char fault[96];
  double begin_s, end_s;
  std::uint8_t ended;
  double tps_before, tps_during, tps_after;
  double p50_before_ms, p50_during_ms, p50_after_ms, p99_during_ms;
};

struct LeaderRow {
  std::int64_t time_ns;
  std::uint64_t epoch;
  std::uint32_t leader;
};

struct FetchRow {
  std::uint64_t tx;  // the authorising access transaction's id prefix (as in `tx`)
  std::uint32_t reader;
  std::uint32_t reader_gateway;
  std::uint32_t owner_gateway;
  std::uint64_t bytes;
  std::int64_t start_ns;
  std::int64_t done_ns;
  char status[12];
};

struct PipelineTxRow {
  std::uint64_t tx;  // the transaction's id prefix (as in `tx`, same row order)
  std::int64_t endorsed_ns;
  std::int64_t ordered_ns;
  std::int64_t gateway_commit_ns;
  char code[28];
  std::int32_t channel;     // index in pipeline.channels, -1 when no channel took it
  std::int32_t collection;  // index in pipeline.collections, -1 when public
};

struct PeerRow {
  std::uint32_t peer;
  std::uint32_t org;
  std::uint64_t endorsements;
  std::uint64_t blocks;
  std::uint64_t valid;
  std::uint64_t invalid;
  std::uint64_t reconnects;
  std::int64_t busy_ns;
  std::uint64_t height;
};

#define HLSIM_MEMBER(type, field, h5type) t.insertMember(#field, HOFFSET(type, field), h5type)

H5::StrType fixed_string(std::size_t n) {
  H5::StrType s(H5::PredType::C_S1, n);
  s.setStrpad(H5T_STR_NULLTERM);
  return s;
}

H5::CompType fetch_type() {
  H5::CompType t(sizeof(FetchRow));
  HLSIM_MEMBER(FetchRow, tx, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(FetchRow, reader, H5::PredType::NATIVE_UINT32);
  HLSIM_MEMBER(FetchRow, reader_gateway, H5::PredType::NATIVE_UINT32);
  HLSIM_MEMBER(FetchRow, owner_gateway, H5::PredType::NATIVE_UINT32);
  HLSIM_MEMBER(FetchRow, bytes, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(FetchRow, start_ns, H5::PredType::NATIVE_INT64);
  HLSIM_MEMBER(FetchRow, done_ns, H5::PredType::NATIVE_INT64);
  HLSIM_MEMBER(FetchRow, status, fixed_string(12));
  return t;
}

H5::CompType pipeline_tx_type() {
  H5::CompType t(sizeof(PipelineTxRow));
  HLSIM_MEMBER(PipelineTxRow, tx, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(PipelineTxRow, endorsed_ns, H5::PredType::NATIVE_INT64);
  HLSIM_MEMBER(PipelineTxRow, ordered_ns, H5::PredType::NATIVE_INT64);
  HLSIM_MEMBER(PipelineTxRow, gateway_commit_ns, H5::PredType::NATIVE_INT64);
  HLSIM_MEMBER(PipelineTxRow, code, fixed_string(28));
  HLSIM_MEMBER(PipelineTxRow, channel, H5::PredType::NATIVE_INT32);
  HLSIM_MEMBER(PipelineTxRow, collection, H5::PredType::NATIVE_INT32);
  return t;
}

H5::CompType peer_type() {
  H5::CompType t(sizeof(PeerRow));
  HLSIM_MEMBER(PeerRow, peer, H5::PredType::NATIVE_UINT32);
  HLSIM_MEMBER(PeerRow, org, H5::PredType::NATIVE_UINT32);
  HLSIM_MEMBER(PeerRow, endorsements, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(PeerRow, blocks, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(PeerRow, valid, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(PeerRow, invalid, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(PeerRow, reconnects, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(PeerRow, busy_ns, H5::PredType::NATIVE_INT64);
  HLSIM_MEMBER(PeerRow, height, H5::PredType::NATIVE_UINT64);
  return t;
}

H5::CompType tx_type() {
  H5::CompType t(sizeof(TxRow));
  HLSIM_MEMBER(TxRow, id, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(TxRow, kind, fixed_string(24));
  HLSIM_MEMBER(TxRow, client, H5::PredType::NATIVE_UINT32);
  HLSIM_MEMBER(TxRow, gateway, H5::PredType::NATIVE_UINT32);
  HLSIM_MEMBER(TxRow, submit_ns, H5::PredType::NATIVE_INT64);
  HLSIM_MEMBER(TxRow, commit_ns, H5::PredType::NATIVE_INT64);
  HLSIM_MEMBER(TxRow, first_commit_ns, H5::PredType::NATIVE_INT64);
  HLSIM_MEMBER(TxRow, height, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(TxRow, bytes, H5::PredType::NATIVE_UINT32);
  HLSIM_MEMBER(TxRow, status, fixed_string(12));
  return t;
}

H5::CompType block_type() {
  H5::CompType t(sizeof(BlockRow));
  HLSIM_MEMBER(BlockRow, height, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(BlockRow, hash, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(BlockRow, proposer, H5::PredType::NATIVE_UINT32);
  HLSIM_MEMBER(BlockRow, epoch, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(BlockRow, tx_count, H5::PredType::NATIVE_UINT32);
  HLSIM_MEMBER(BlockRow, bytes, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(BlockRow, sealed_ns, H5::PredType::NATIVE_INT64);
  HLSIM_MEMBER(BlockRow, first_commit_ns, H5::PredType::NATIVE_INT64);
  HLSIM_MEMBER(BlockRow, last_commit_ns, H5::PredType::NATIVE_INT64);
  HLSIM_MEMBER(BlockRow, commits, H5::PredType::NATIVE_UINT32);
  return t;
}

H5::CompType node_type() {
  H5::CompType t(sizeof(NodeRow));
  HLSIM_MEMBER(NodeRow, node, H5::PredType::NATIVE_UINT32);
  HLSIM_MEMBER(NodeRow, msgs_sent, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(NodeRow, bytes_sent, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(NodeRow, msgs_recv, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(NodeRow, bytes_recv, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(NodeRow, cpu_busy_ns, H5::PredType::NATIVE_INT64);
  HLSIM_MEMBER(NodeRow, jobs, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(NodeRow, client_txs, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(NodeRow, client_txs_rejected, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(NodeRow, height, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(NodeRow, state_bytes, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(NodeRow, block_bytes, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(NodeRow, crashes, H5::PredType::NATIVE_UINT32);
  HLSIM_MEMBER(NodeRow, msgs_lost_in_network, H5::PredType::NATIVE_UINT64);
  return t;
}

H5::CompType message_type() {
  H5::CompType t(sizeof(MessageRow));
  HLSIM_MEMBER(MessageRow, node, H5::PredType::NATIVE_UINT32);
  HLSIM_MEMBER(MessageRow, type, fixed_string(24));
  HLSIM_MEMBER(MessageRow, msgs_sent, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(MessageRow, bytes_sent, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(MessageRow, msgs_recv, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(MessageRow, bytes_recv, H5::PredType::NATIVE_UINT64);
  return t;
}

H5::CompType time_type() {
  H5::CompType t(sizeof(TimeRow));
  HLSIM_MEMBER(TimeRow, t_s, H5::PredType::NATIVE_DOUBLE);
  HLSIM_MEMBER(TimeRow, submitted, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(TimeRow, committed, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(TimeRow, blocks, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(TimeRow, p50_ms, H5::PredType::NATIVE_DOUBLE);
  HLSIM_MEMBER(TimeRow, p99_ms, H5::PredType::NATIVE_DOUBLE);
  HLSIM_MEMBER(TimeRow, faults_active, H5::PredType::NATIVE_UINT32);
  return t;
}

H5::CompType fault_type() {
  H5::CompType t(sizeof(FaultRow));
  HLSIM_MEMBER(FaultRow, fault, fixed_string(96));
  HLSIM_MEMBER(FaultRow, begin_s, H5::PredType::NATIVE_DOUBLE);
  HLSIM_MEMBER(FaultRow, end_s, H5::PredType::NATIVE_DOUBLE);
  HLSIM_MEMBER(FaultRow, ended, H5::PredType::NATIVE_UINT8);
  HLSIM_MEMBER(FaultRow, tps_before, H5::PredType::NATIVE_DOUBLE);
  HLSIM_MEMBER(FaultRow, tps_during, H5::PredType::NATIVE_DOUBLE);
  HLSIM_MEMBER(FaultRow, tps_after, H5::PredType::NATIVE_DOUBLE);
  HLSIM_MEMBER(FaultRow, p50_before_ms, H5::PredType::NATIVE_DOUBLE);
  HLSIM_MEMBER(FaultRow, p50_during_ms, H5::PredType::NATIVE_DOUBLE);
  HLSIM_MEMBER(FaultRow, p50_after_ms, H5::PredType::NATIVE_DOUBLE);
  HLSIM_MEMBER(FaultRow, p99_during_ms, H5::PredType::NATIVE_DOUBLE);
  return t;
}

H5::CompType leader_type() {
  H5::CompType t(sizeof(LeaderRow));
  HLSIM_MEMBER(LeaderRow, time_ns, H5::PredType::NATIVE_INT64);
  HLSIM_MEMBER(LeaderRow, epoch, H5::PredType::NATIVE_UINT64);
  HLSIM_MEMBER(LeaderRow, leader, H5::PredType::NATIVE_UINT32);
  return t;
}

#undef HLSIM_MEMBER

// Object modification times would make identical runs produce different bytes.
H5::DSetCreatPropList no_times() {
  H5::DSetCreatPropList p;
  H5Pset_obj_track_times(p.getId(), false);
  return p;
}

// A new type like `type` without padding. (The C++ copy constructor would share the HDF5 type id,
// and packing it would then pack the memory type too.)
H5::CompType packed(const H5::CompType& type) {
  H5::CompType p;
  p.copy(type);
  p.pack();
  return p;
}

template <class Row>
void write_table(H5::Group& g, const char* name, const H5::CompType& type,
                 const std::vector<Row>& rows) {
  hsize_t dims[1] = {rows.size()};
  H5::DataSpace space(1, dims);
  // Stored packed: the struct's padding bytes (whose contents are unspecified) never reach the
  // file, so identical runs give identical bytes.
  H5::DataSet ds = g.createDataSet(name, packed(type), space, no_times());
  if (!rows.empty()) ds.write(rows.data(), type);
}

template <class T>
void attr_num(H5::H5Object& obj, const char* name, const H5::PredType& type, T value) {
  H5::DataSpace scalar(H5S_SCALAR);
  H5::Attribute a = obj.createAttribute(name, type, scalar);
  a.write(type, &value);
}

void write_bytes(H5::Group& g, const char* name, const Bytes& data) {
  hsize_t dims[1] = {data.size()};
  H5::DataSpace space(1, dims);
  H5::DataSet ds = g.createDataSet(name, H5::PredType::NATIVE_UINT8, space, no_times());
  if (!data.empty()) ds.write(data.data(), H5::PredType::NATIVE_UINT8);
}

void write_u64s(H5::Group& g, const char* name, const std::vector<std::uint64_t>& data) {
  hsize_t dims[1] = {data.size()};
  H5::DataSpace space(1, dims);
  H5::DataSet ds = g.createDataSet(name, H5::PredType::STD_U64LE, space, no_times());
  if (!data.empty()) ds.write(data.data(), H5::PredType::NATIVE_UINT64);
}

// The committed chain of the node that got furthest (all agree on common heights, or the run
// reports a violation), for `hlsim verify`: block encodings, the state roots its execution
// produced, and the validators' public keys.
void write_ledger(H5::Group& run, const Simulation& sim) {
  const Node* best = nullptr;
  for (const auto& node : sim.nodes()) {
    if (best == nullptr || node->chain().height() > best->chain().height()) best = node.get();
  }
  H5::Group g = make_group(run, "ledger");
  Bytes blocks, roots, keys;
  std::vector<std::uint64_t> offsets = {0};
  const Chain& chain = best->chain();
  for (Height h = 1; h <= chain.height(); ++h) {
    const Bytes enc = chain.at(h)->encode();
    blocks.insert(blocks.end(), enc.begin(), enc.end());
    offsets.push_back(blocks.size());
    const Hash256& root = chain.state_root_at(h);
    roots.insert(roots.end(), root.bytes.begin(), root.bytes.end());
  }
  Writer w;
  for (const PublicKey& k : sim.shared().validator_keys) k.encode_to(w);
  keys = w.take();
  attr_num(g, "node", H5::PredType::NATIVE_UINT32, best->self());
  attr_num(g, "height", H5::PredType::NATIVE_UINT64, static_cast<std::uint64_t>(chain.height()));
  write_bytes(g, "blocks", blocks);
  write_u64s(g, "block_offsets", offsets);
  write_bytes(g, "state_roots", roots);
  write_bytes(g, "validator_keys", keys);
}

void write_run(H5::H5File& file, const std::string& run_id, const Simulation& sim,
               const RunOutcome& outcome, const RunSummary& summary) {
  const Scenario& sc = sim.scenario();
  H5::Group runs = make_group(file, "runs");
  H5::Group run = make_group(runs, run_id);
  attr_text(run, "scenario", sc.effective_yaml);
  attr_num(run, "seed", H5::PredType::NATIVE_UINT64, sc.seed);
  attr_text(run, "hlsim_version", kVersion);
  attr_num(run, "schema_version", H5::PredType::NATIVE_INT32, kResultsSchemaVersion);
  attr_num(run, "complete", H5::PredType::NATIVE_UINT8,
           static_cast<std::uint8_t>(outcome.complete ? 1 : 0));
  attr_text(run, "stop_reason", outcome.stop_reason);
  attr_text(run, "protocol", sc.consensus.protocol);
  attr_text(run, "workload", sc.workload.kind);
  std::string profile = "name: " + sc.node.profile_name + "\n";
  for (const auto& [k, v] : profile_fields(sc.node.profile)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    profile += k + ": " + buf + "\n";
  }
  attr_text(run, "hardware_profile", profile);
  attr_text(run, "verification_policy", to_string(sc.ledger.verify));
  attr_text(run, "signature_scheme", to_string(sc.ledger.signature));
  attr_text(run, "storage", sc.ledger.storage);
  if (sc.ledger.verify == VerifyPolicy::kModelOnly) {
    attr_text(run, "verification_note",
              "model-only: no signature was verified, only its cost charged; forged transactions "
              "and blocks would not have been rejected");
  }
  attr_text(run, "summary", summary_json(summary, /*include_host=*/false));

  const Metrics& m = sim.metrics();
  std::vector<TxRow> txs;
  txs.reserve(m.txs().size());
  for (const TxRecord& r : m.txs()) {
    TxRow row{};
    row.id = r.id.prefix64();
    copy_text(row.kind, m.kind_names()[r.kind]);
    row.client = r.client;
    row.gateway = r.gateway;
    row.submit_ns = r.submit_ns;
    row.commit_ns = r.commit_ns();
    row.first_commit_ns = r.first_commit_ns;
    row.height = r.height;
    row.bytes = r.bytes;
    copy_text(row.status, to_string(r.status));
    txs.push_back(row);
  }
  write_table(run, "tx", tx_type(), txs);

  std::vector<BlockRow> blocks;
  for (const BlockRecord& b : m.blocks()) {
    if (b.commits == 0) continue;
    blocks.push_back(BlockRow{b.height, b.hash.prefix64(), b.proposer, b.epoch, b.tx_count, b.bytes,
                              b.sealed_ns, b.first_commit_ns, b.last_commit_ns, b.commits});
  }
  write_table(run, "blocks", block_type(), blocks);

  std::vector<NodeRow> nodes;
  std::vector<MessageRow> messages;
  const auto& types = sim.protocol_info().message_types;
  for (const auto& node : sim.nodes()) {
    const NodeCounters& c = node->counters();
    NodeRow row{};
    row.node = node->self();
    for (std::size_t t = 0; t < c.msgs_sent.size(); ++t) {
      row.msgs_sent += c.msgs_sent[t];
      row.bytes_sent += c.bytes_sent[t];
      row.msgs_recv += c.msgs_recv[t];
      row.bytes_recv += c.bytes_recv[t];
      MessageRow mr{};
      mr.node = node->self();
      copy_text(mr.type, types[t]);
      mr.msgs_sent = c.msgs_sent[t];
      mr.bytes_sent = c.bytes_sent[t];
      mr.msgs_recv = c.msgs_recv[t];
      mr.bytes_recv = c.bytes_recv[t];
      messages.push_back(mr);
    }
    row.cpu_busy_ns = node->cpu().busy_ns();
    row.jobs = node->cpu().jobs();
    row.client_txs = c.client_txs;
    row.client_txs_rejected = c.client_txs_rejected;
    row.height = node->chain().height();
    row.state_bytes = node->chain().store().state_bytes();
    row.block_bytes = node->chain().block_bytes();
    row.crashes = static_cast<std::uint32_t>(c.crashes);
    row.msgs_lost_in_network = sim.network_counters().lost_msgs[node->self()];
    nodes.push_back(row);
  }
  write_table(run, "nodes", node_type(), nodes);
  write_table(run, "messages", message_type(), messages);

  std::vector<TimeRow> series;
  for (const TimeBucket& b : time_buckets(sim, outcome.end_ns)) {
    series.push_back(
        TimeRow{b.t_s, b.submitted, b.committed, b.blocks, b.p50_ms, b.p99_ms, b.faults_active});
  }
  write_table(run, "timeseries", time_type(), series);

  std::vector<FaultRow> faults;
  for (const FaultWindowSummary& f : summary.fault_windows) {
    FaultRow row{};
    copy_text(row.fault, f.fault);
    row.begin_s = f.begin_s;
    row.end_s = f.end_s;
    row.ended = f.ended ? 1 : 0;
    row.tps_before = f.tps_before;
    row.tps_during = f.tps_during;
    row.tps_after = f.tps_after;
    row.p50_before_ms = f.p50_before_ms;
    row.p50_during_ms = f.p50_during_ms;
    row.p50_after_ms = f.p50_after_ms;
    row.p99_during_ms = f.p99_during_ms;
    faults.push_back(row);
  }
  write_table(run, "faults", fault_type(), faults);

  std::vector<LeaderRow> leaders;
  for (const LeaderRecord& l : m.leaders()) leaders.push_back({l.time_ns, l.epoch, l.leader});
  write_table(run, "leaders", leader_type(), leaders);

  std::vector<FetchRow> fetches;
  for (const FetchRecord& f : m.fetches()) {
    FetchRow row{};
    row.tx = f.tx.prefix64();
    row.reader = f.reader;
    row.reader_gateway = f.reader_gateway;
    row.owner_gateway = f.owner_gateway;
    row.bytes = f.bytes;
    row.start_ns = f.start_ns;
    row.done_ns = f.done_ns;
    copy_text(row.status, to_string(f.status));
    fetches.push_back(row);
  }
  write_table(run, "offchain_reads", fetch_type(), fetches);

  if (const FabricPipeline* p = sim.pipeline()) {
    // Execute-order-validate runs only: each transaction's steps, and each peer's work.
    std::vector<PipelineTxRow> steps;
    for (std::size_t i = 0; i < m.txs().size(); ++i) {
      const PipelineTxTimes t = i < p->tx_times().size() ? p->tx_times()[i] : PipelineTxTimes{};
      PipelineTxRow row{};
      row.tx = m.txs()[i].id.prefix64();
      row.endorsed_ns = t.endorsed_ns;
      row.ordered_ns = t.ordered_ns;
      row.gateway_commit_ns = t.gateway_commit_ns;
      copy_text(row.code, t.validated ? to_string(t.code) : "");
      row.channel = t.channel == kNoChannel ? -1 : static_cast<std::int32_t>(t.channel);
      row.collection = t.collection == kNoCollection ? -1 : static_cast<std::int32_t>(t.collection);
      steps.push_back(row);
    }
    write_table(run, "pipeline_tx", pipeline_tx_type(), steps);
    std::vector<PeerRow> peers;
    for (std::uint32_t i = 0; i < p->peer_count(); ++i) {
      const PeerCounters& c = p->peer_counters()[i];
      peers.push_back(PeerRow{i, p->peer_org(i), c.endorsements, c.blocks, c.valid, c.invalid,
                              c.reconnects, c.busy_ns, p->peer_height(i)});
    }
    write_table(run, "peers", peer_type(), peers);
  }

  write_ledger(run, sim);

  H5::Group host = make_group(run, "host");
  attr_num(host, "wall_s", H5::PredType::NATIVE_DOUBLE, summary.host.wall_s);
  attr_num(host, "events_per_s", H5::PredType::NATIVE_DOUBLE, summary.host.events_per_s);
  attr_num(host, "simulated_s_per_wall_s", H5::PredType::NATIVE_DOUBLE,
           summary.host.sim_s_per_wall_s);
  attr_num(host, "verify_real_checks", H5::PredType::NATIVE_UINT64,
           sim.shared().verifier.real_checks());
  attr_num(host, "verify_reused", H5::PredType::NATIVE_UINT64, sim.shared().verifier.reused());
  attr_num(host, "verify_skipped", H5::PredType::NATIVE_UINT64, sim.shared().verifier.skipped());
}

std::string temp_name(const std::string& path) {
  return path + ".tmp-" + std::to_string(::getpid());
}

}  // namespace

Status write_h5_file(const std::string& path, const std::function<void(H5::H5File&)>& fill) {
  // HDF5 builds the file in memory (the core driver, no backing store) and hlsim writes the
  // image itself: a full disk or an I/O error then fails in plain file code that cleans up,
  // whereas an HDF5 file whose writes fail cannot be closed and crashes the library at exit.
  std::vector<char> image;
  try {
    H5::Exception::dontPrint();
    H5::FileAccPropList access;
    if (H5Pset_fapl_core(access.getId(), std::size_t{1} << 20, /*backing_store=*/0) < 0) {
      return Error{path + ": cannot write results file (HDF5 core driver unavailable)"};
    }
    // Closing the file closes whatever is still open in it, so that the in-memory file is gone
    // (and its name free) when this returns.
    access.setFcloseDegree(H5F_CLOSE_STRONG);
    H5::H5File file(temp_name(path), H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, access);
    fill(file);
    file.flush(H5F_SCOPE_GLOBAL);
    const ssize_t size = H5Fget_file_image(file.getId(), nullptr, 0);
    if (size <= 0) return Error{path + ": cannot write results file (no file image)"};
    image.resize(static_cast<std::size_t>(size));
    if (H5Fget_file_image(file.getId(), image.data(), image.size()) != size) {
      return Error{path + ": cannot write results file (incomplete file image)"};
    }
    file.close();
  } catch (const H5::Exception& e) {
    return Error{path + ": cannot write results file (" + e.getDetailMsg() + ")"};
  }
  return write_text_atomically(path, std::string_view(image.data(), image.size()));
}

Status write_results_h5(const std::string& path, const std::string& run_id, const Simulation& sim,
                        const RunOutcome& outcome, const RunSummary& summary) {
  return write_h5_file(path,
                       [&](H5::H5File& file) { write_run(file, run_id, sim, outcome, summary); });
}

Status write_text_atomically(const std::string& path, std::string_view text) {
  const std::string tmp = temp_name(path);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Error{path + ": cannot write (is the directory writable?)"};
    out << text;
    out.flush();
    if (!out) {
      out.close();
      std::error_code ec;
      fs::remove(tmp, ec);
      return Error{path + ": write failed (disk full?)"};
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Error{path + ": cannot write: " + ec.message()};
  }
  return Status::Ok();
}

}  // namespace hlsim
