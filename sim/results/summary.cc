#include "sim/results/summary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace hlsim {
namespace {

bool ordered(TxStatus s) {
  return s == TxStatus::kCommitted || s == TxStatus::kDenied || s == TxStatus::kInvalid;
}

double percentile_ms(const std::vector<TimeNs>& sorted, double q) {
  if (sorted.empty()) return 0;
  // Nearest rank: the smallest value with at least q of the data at or below it.
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  const std::size_t index = std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1);
  return ns_to_ms(sorted[index]);
}

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string human_bytes(double b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (b >= 1024 && u < 4) {
    b /= 1024;
    ++u;
  }
  return fmt(u == 0 ? "%.0f" : "%.1f", b) + " " + units[u];
}

nlohmann::json latency_json(const LatencyStats& l) {
  return {{"count", l.count},   {"mean_ms", l.mean_ms},  {"p50_ms", l.p50_ms}, {"p90_ms", l.p90_ms},
          {"p99_ms", l.p99_ms}, {"p99_9_ms", l.p999_ms}, {"max_ms", l.max_ms}};
}

}  // namespace

LatencyStats latency_stats(std::vector<TimeNs> latencies_ns) {
  LatencyStats s;
  if (latencies_ns.empty()) return s;
  std::sort(latencies_ns.begin(), latencies_ns.end());
  s.count = latencies_ns.size();
  long double sum = 0;
  for (TimeNs l : latencies_ns) sum += l;
  s.mean_ms = static_cast<double>(sum / static_cast<long double>(s.count)) / 1e6;
  s.p50_ms = percentile_ms(latencies_ns, 0.50);
  s.p90_ms = percentile_ms(latencies_ns, 0.90);
  s.p99_ms = percentile_ms(latencies_ns, 0.99);
  s.p999_ms = percentile_ms(latencies_ns, 0.999);
  s.max_ms = ns_to_ms(latencies_ns.back());
  return s;
}

namespace {

// Throughput and latency of the transactions committed in [from, to): -1s when the interval is
// empty.
struct IntervalStats {
  double tps = -1, p50_ms = -1, p99_ms = -1;
};
IntervalStats interval_stats(const Metrics& m, TimeNs from_ns, TimeNs to_ns) {
  IntervalStats out;
  if (to_ns <= from_ns) return out;
  std::vector<TimeNs> lat;
  for (const TxRecord& r : m.txs()) {
    if (!ordered(r.status)) continue;
    const TimeNs c = r.commit_ns();
    if (c >= from_ns && c < to_ns) lat.push_back(c - r.submit_ns);
  }
  out.tps = static_cast<double>(lat.size()) / ns_to_s(to_ns - from_ns);
  if (!lat.empty()) {
    const LatencyStats l = latency_stats(std::move(lat));
    out.p50_ms = l.p50_ms;
    out.p99_ms = l.p99_ms;
  }
  return out;
}

}  // namespace

RunSummary summarize(const Simulation& sim, const RunOutcome& outcome) {
  const Scenario& sc = sim.scenario();
  const Metrics& m = sim.metrics();
  RunSummary s;
  s.scenario = sc.name;
  s.protocol = sc.consensus.protocol;
  s.workload = sc.workload.kind;
  s.seed = sc.seed;
  s.nodes = sc.consensus.nodes;
  s.clients = sc.workload.clients;
  s.duration_s = ns_to_s(sc.duration_ns);
  s.drain_s = ns_to_s(sc.drain_ns);
  s.simulated_s = ns_to_s(outcome.end_ns);
  s.complete = outcome.complete;
  s.stop_reason = outcome.stop_reason;
  s.events = outcome.events;
  {
    // What the clients were configured to offer over the load window: the daily profile and bursts
    // make it differ from rate_tps (the daily mean); closed loop and a workload's own timetable
    // configure no rate.
    const ArrivalConfig& a = sc.workload.arrivals;
    const ArrivalProcess process(a, std::max<std::uint32_t>(sc.workload.clients, 1));
    if (sim.workload_has_own_arrivals()) {
      s.arrivals = "the workload's own timetable";
    } else if (a.kind == ArrivalKind::kClosed) {
      s.arrivals = "closed loop, think " + fmt("%.0f", ns_to_ms(a.think_ns)) + " ms, timeout " +
                   fmt("%.0f", ns_to_ms(a.timeout_ns)) + " ms";
    } else {
      s.offered_tps_configured = sc.workload.rate_tps * process.mean_multiplier(0, sc.duration_ns);
      s.arrivals = a.kind == ArrivalKind::kDaily
                       ? "daily profile, a day = " + fmt("%g", ns_to_s(a.day_ns)) + " s, mean " +
                             fmt("%.1f", sc.workload.rate_tps) + " tx/s"
                       : std::string("poisson");
      if (a.burst_every_ns > 0 && a.burst_duration_ns > 0 && a.burst_factor != 1.0) {
        s.arrivals += ", bursts x" + fmt("%g", a.burst_factor) + " for " +
                      fmt("%g", ns_to_s(a.burst_duration_ns)) + " s every " +
                      fmt("%g", ns_to_s(a.burst_every_ns)) + " s";
      }
    }
    s.closed_timeouts = sim.closed_loop_timeouts();
    s.workload_figures = sim.workload_figures();
    s.pipeline_figures = sim.pipeline_figures();
    const PipelineConfig& pc = sim.scenario().pipeline;
    s.pipeline_kind = pc.kind;
    for (std::size_t o = 0; o < pc.orgs.size(); ++o) {
      s.pipeline_orgs += (o > 0 ? ", " : "") + pc.orgs[o] + ":" + std::to_string(pc.org_peers[o]);
    }
    // One channel: its policy. Several: each channel with its members and policy, then each
    // private data collection.
    if (pc.channels.size() == 1) {
      s.pipeline_policy = pc.channels[0].policy;
    } else {
      for (const ChannelConfig& c : pc.channels) {
        std::string members;
        for (const std::uint32_t org : c.members)
          members += (members.empty() ? "" : " ") + pc.orgs[org];
        s.pipeline_policy += (s.pipeline_policy.empty() ? "" : "; ") + ("channel " + c.name) +
                             " [" + members + "] " + c.policy;
      }
    }
    for (const CollectionConfig& c : pc.collections) {
      std::string members;
      for (const std::uint32_t org : c.members)
        members += (members.empty() ? "" : " ") + pc.orgs[org];
      s.pipeline_policy += "; collection " + c.name + "@" + pc.channels[c.channel].name + " [" +
                           members + "] " + c.policy;
    }
  }

  const auto& names = m.kind_names();
  s.kinds.resize(names.size());
  for (std::size_t k = 0; k < names.size(); ++k) s.kinds[k].kind = names[k];
  std::vector<std::vector<TimeNs>> by_kind(names.size());
  std::vector<TimeNs> all;
  std::uint64_t committed_in_window = 0;
  for (const TxRecord& r : m.txs()) {
    ++s.submitted;
    KindSummary& k = s.kinds[r.kind];
    ++k.submitted;
    switch (r.status) {
      case TxStatus::kPending:
        ++s.pending;
        break;
      case TxStatus::kCommitted:
        ++s.applied;
        ++k.applied;
        break;
      case TxStatus::kDenied:
        ++s.denied;
        ++k.denied;
        break;
      case TxStatus::kInvalid:
        ++s.invalid;
        ++k.invalid;
        break;
      case TxStatus::kRejected:
        ++s.rejected;
        break;
      case TxStatus::kLost:
        ++s.lost;
        break;
    }
    if (ordered(r.status)) {
      ++s.committed;
      ++k.committed;
      const TimeNs lat = r.commit_ns() - r.submit_ns;
      all.push_back(lat);
      by_kind[r.kind].push_back(lat);
      if (r.commit_ns() < sc.duration_ns) ++committed_in_window;
    }
  }
  s.latency = latency_stats(std::move(all));
  for (std::size_t k = 0; k < names.size(); ++k) s.kinds[k].latency = latency_stats(by_kind[k]);
  const double window_s = std::min(s.duration_s, s.simulated_s);
  if (window_s > 0) {
    s.offered_tps_achieved = static_cast<double>(s.submitted) / window_s;
    s.committed_tps = static_cast<double>(committed_in_window) / window_s;
  }

  for (const BlockRecord& b : m.blocks()) {
    if (b.commits > 0) ++s.blocks;
  }
  s.txs_per_block = s.blocks ? static_cast<double>(s.committed) / static_cast<double>(s.blocks) : 0;
  s.leader_changes = m.leaders().size();
  s.violations = sim.safety().descriptions();

  const double run_s = std::max(s.simulated_s, 1e-9);
  for (const auto& node : sim.nodes()) {
    NodeSummary ns;
    ns.node = node->self();
    const NodeCounters& c = node->counters();
    for (std::size_t t = 0; t < c.msgs_sent.size(); ++t) {
      ns.msgs_sent += c.msgs_sent[t];
      ns.bytes_sent += c.bytes_sent[t];
      ns.msgs_recv += c.msgs_recv[t];
      ns.bytes_recv += c.bytes_recv[t];
    }
    ns.cpu_busy_ns = node->cpu().busy_ns();
    ns.cpu_utilisation = static_cast<double>(ns.cpu_busy_ns) / 1e9 / (run_s * node->cpu().cores());
    ns.client_txs = c.client_txs;
    ns.client_txs_rejected = c.client_txs_rejected;
    ns.height = node->chain().height();
    ns.state_bytes = node->chain().store().state_bytes();
    ns.block_bytes = node->chain().block_bytes();
    ns.crashed = node->crashed();
    ns.leader = !node->crashed() && node->protocol().is_leader();
    s.msgs_total += ns.msgs_sent;
    s.bytes_total += ns.bytes_sent;
    s.nodes_detail.push_back(ns);
  }
  for (auto lost : sim.network_counters().lost_msgs) s.msgs_lost += lost;
  const ProtocolInfo& info = sim.protocol_info();
  const double blocks = static_cast<double>(s.blocks);
  for (std::size_t t = 0; t < info.message_types.size(); ++t) {
    MessageTypeSummary mt;
    mt.type = info.message_types[t];
    const auto type = static_cast<std::uint16_t>(t);
    mt.role = info.is_proposal(type) ? "proposal" : info.is_vote(type) ? "vote" : "other";
    for (const auto& node : sim.nodes()) {
      const NodeCounters& c = node->counters();
      if (t < c.msgs_sent.size()) {
        mt.msgs += c.msgs_sent[t];
        mt.bytes += c.bytes_sent[t];
      }
    }
    if (s.blocks > 0) {
      mt.msgs_per_block = static_cast<double>(mt.msgs) / blocks;
      mt.bytes_per_block = static_cast<double>(mt.bytes) / blocks;
    }
    s.message_types.push_back(mt);
  }
  if (s.blocks > 0) {
    s.msgs_per_block = static_cast<double>(s.msgs_total) / blocks;
    s.bytes_per_block = static_cast<double>(s.bytes_total) / blocks;
  }

  const LivenessReport live = sim.liveness().report(std::min(sc.duration_ns, outcome.end_ns));
  s.first_commit_ms =
      live.first_commit_ns < 0 ? -1 : static_cast<double>(live.first_commit_ns) / 1e6;
  s.longest_commit_gap_ms = static_cast<double>(live.longest_gap_ns) / 1e6;
  s.longest_commit_gap_start_s = static_cast<double>(live.longest_gap_start_ns) / 1e9;
  for (const FaultRecovery& r : live.recoveries) {
    s.recoveries.push_back(
        RecoverySummary{static_cast<double>(r.fault_ns) / 1e9, r.fault,
                        r.recovery_ns < 0 ? -1.0 : static_cast<double>(r.recovery_ns) / 1e6});
  }
  for (const FaultWindow& w : sim.fault_log().windows()) {
    FaultWindowSummary f;
    f.fault = w.fault;
    f.ended = w.end_ns >= 0;
    const TimeNs end_ns = f.ended ? w.end_ns : outcome.end_ns;
    f.begin_s = ns_to_s(w.begin_ns);
    f.end_s = ns_to_s(end_ns);
    const TimeNs len_ns = end_ns - w.begin_ns;
    const IntervalStats before =
        interval_stats(m, std::max<TimeNs>(0, w.begin_ns - len_ns), w.begin_ns);
    const IntervalStats during = interval_stats(m, w.begin_ns, end_ns);
    const IntervalStats after =
        interval_stats(m, end_ns, std::min(outcome.end_ns, end_ns + len_ns));
    f.tps_before = before.tps;
    f.tps_during = during.tps;
    f.tps_after = after.tps;
    f.p50_before_ms = before.p50_ms;
    f.p50_during_ms = during.p50_ms;
    f.p50_after_ms = after.p50_ms;
    f.p99_during_ms = during.p99_ms;
    s.fault_windows.push_back(std::move(f));
  }
  s.reorgs = sim.safety().reorgs().reorgs;
  s.reorg_blocks = sim.safety().reorgs().blocks_abandoned;
  s.reorg_max_depth = sim.safety().reorgs().max_depth_blocks;
  s.reorg_own_blocks = sim.safety().reorgs().own_blocks_abandoned;
  for (NodeId i = 0; i < sc.consensus.nodes; ++i) {
    const Behavior b = sc.byzantine.of(i);
    if (b != Behavior::kHonest) {
      s.byzantine.push_back("node " + std::to_string(i) + ": " + to_string(b));
    } else if (sc.byzantine.is_scheduled(i)) {
      s.byzantine.push_back("node " + std::to_string(i) + ": scheduled roles (faults)");
    }
  }

  s.signature_scheme = to_string(sc.ledger.signature);
  s.verification_policy = to_string(sc.ledger.verify);
  s.storage = sc.ledger.storage;
  s.documents = m.documents();
  s.document_bytes = m.document_bytes();
  s.fetches_without_document = m.fetches_without_document();
  std::vector<TimeNs> fetch_ns;
  for (const FetchRecord& f : m.fetches()) {
    ++s.fetches;
    if (f.status == FetchStatus::kOk) {
      ++s.fetches_ok;
      s.fetch_bytes += f.bytes;
      fetch_ns.push_back(f.done_ns - f.start_ns);
    } else {
      ++s.fetches_failed;
    }
  }
  s.fetch_latency = latency_stats(std::move(fetch_ns));

  // Say why, when the figures look wrong, instead of printing a bare zero.
  if (s.submitted == 0) {
    s.notes.push_back(sc.workload.rate_tps == 0
                          ? "no transaction was submitted: workload.rate_tps is 0"
                          : "no transaction was submitted: duration_s is shorter than the first "
                            "inter-arrival time");
  } else if (s.committed == 0) {
    if (m.leaders().empty()) {
      s.notes.push_back(
          "nothing committed: no leader was ever elected (check the fault schedule "
          "and the protocol's timeouts against the run length)");
    } else if (s.rejected == s.submitted) {
      s.notes.push_back(
          "nothing committed: every transaction was rejected at its gateway "
          "(bad signature)");
    } else {
      s.notes.push_back(
          "nothing committed although a leader was elected: the run may be too "
          "short for the batch timeout and the network latency");
    }
  }
  if (s.lost > 0) {
    s.notes.push_back(std::to_string(s.lost) +
                      " transactions were lost because their gateway validator was down");
  }
  if (!s.byzantine.empty() && s.pending > 0) {
    std::uint64_t at_byzantine = 0;
    for (const TxRecord& r : m.txs()) {
      if (r.status == TxStatus::kPending && sim.is_byzantine(r.gateway)) ++at_byzantine;
    }
    if (at_byzantine > 0) {
      s.notes.push_back(std::to_string(at_byzantine) +
                        " pending transactions were submitted to Byzantine gateways, which need "
                        "not pass them on (clients of a faulty organisation are at its mercy)");
    }
  }
  if (s.pending > 0 && s.submitted > 0 &&
      static_cast<double>(s.pending) > 0.05 * static_cast<double>(s.submitted)) {
    s.notes.push_back(std::to_string(s.pending) + " of " + std::to_string(s.submitted) +
                      " transactions were still pending at the end: the system is saturated or "
                      "drain_s is too short");
  }
  if (s.offered_tps_configured > 0 &&
      std::fabs(s.offered_tps_achieved - s.offered_tps_configured) >
          0.1 * s.offered_tps_configured &&
      s.submitted > 100) {
    s.notes.push_back("achieved offered rate " + fmt("%.1f", s.offered_tps_achieved) +
                      " tx/s differs from the configured " + fmt("%.1f", s.offered_tps_configured) +
                      " tx/s by more than 10%");
  }
  return s;
}

std::vector<TimeBucket> time_buckets(const Simulation& sim, TimeNs end_ns) {
  const auto n = static_cast<std::size_t>((end_ns + kNsPerSec - 1) / kNsPerSec);
  std::vector<TimeBucket> out(n);
  std::vector<std::vector<TimeNs>> lat(n);
  for (std::size_t i = 0; i < n; ++i) out[i].t_s = static_cast<double>(i);
  auto bucket = [&](TimeNs t) -> std::size_t {
    return std::min(n - 1, static_cast<std::size_t>(std::max<TimeNs>(0, t) / kNsPerSec));
  };
  if (n == 0) return out;
  for (const TxRecord& r : sim.metrics().txs()) {
    ++out[bucket(r.submit_ns)].submitted;
    if (ordered(r.status)) {
      const std::size_t b = bucket(r.commit_ns());
      ++out[b].committed;
      lat[b].push_back(r.commit_ns() - r.submit_ns);
    }
  }
  for (const BlockRecord& b : sim.metrics().blocks()) {
    if (b.commits > 0) ++out[bucket(b.first_commit_ns)].blocks;
  }
  for (const FaultWindow& w : sim.fault_log().windows()) {
    const TimeNs last_ns = w.end_ns >= 0 ? w.end_ns - 1 : end_ns;
    for (std::size_t b = bucket(w.begin_ns); b <= bucket(std::max(w.begin_ns, last_ns)); ++b) {
      ++out[b].faults_active;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    const LatencyStats l = latency_stats(std::move(lat[i]));
    out[i].p50_ms = l.p50_ms;
    out[i].p99_ms = l.p99_ms;
  }
  return out;
}

std::string render_console(const RunSummary& s) {
  std::string o;
  auto line = [&](const std::string& label, const std::string& value) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "  %-26s %s\n", label.c_str(), value.c_str());
    o += buf;
  };
  o += "hlsim run: " + s.scenario + " — " + s.protocol + " on " + std::to_string(s.nodes) +
       " validators, " + s.workload + " workload from " + std::to_string(s.clients) +
       " clients, seed " + std::to_string(s.seed) + "\n";
  if (!s.complete) o += "  RUN INCOMPLETE: " + s.stop_reason + "\n";
  line("simulated time", fmt("%.1f s", s.simulated_s) + " (" + fmt("%.0f", s.duration_s) +
                             " s of load + " + fmt("%.0f", s.drain_s) + " s drain)");
  line("offered throughput",
       fmt("%.1f tx/s", s.offered_tps_achieved) +
           (s.offered_tps_configured > 0
                ? " (configured " + fmt("%.1f", s.offered_tps_configured) + ")"
                : std::string(" (no configured rate: ") + s.arrivals + ")"));
  line("committed throughput", fmt("%.1f tx/s", s.committed_tps));
  line("arrivals",
       s.arrivals + (s.closed_timeouts > 0 ? ", " + std::to_string(s.closed_timeouts) + " timed out"
                                           : std::string()));
  line("transactions",
       std::to_string(s.submitted) + " submitted, " + std::to_string(s.committed) + " committed (" +
           std::to_string(s.applied) + " applied, " + std::to_string(s.denied) + " denied, " +
           std::to_string(s.invalid) + " invalid), " + std::to_string(s.rejected) + " rejected, " +
           std::to_string(s.lost) + " lost, " + std::to_string(s.pending) + " pending");
  line("latency ms p50/p90/p99", fmt("%.2f", s.latency.p50_ms) + " / " +
                                     fmt("%.2f", s.latency.p90_ms) + " / " +
                                     fmt("%.2f", s.latency.p99_ms));
  line("latency ms p99.9/max",
       fmt("%.2f", s.latency.p999_ms) + " / " + fmt("%.2f", s.latency.max_ms));
  line("blocks", std::to_string(s.blocks) + " (" + fmt("%.1f", s.txs_per_block) + " tx/block), " +
                     std::to_string(s.leader_changes) + " leader terms / views");
  line("messages", std::to_string(s.msgs_total) + " (" +
                       human_bytes(static_cast<double>(s.bytes_total)) + "), " +
                       fmt("%.1f", s.msgs_per_block) + " per block, " +
                       std::to_string(s.msgs_lost) + " lost in the network");
  {
    std::string per_type;
    for (const auto& mt : s.message_types) {
      if (mt.msgs == 0) continue;
      per_type += (per_type.empty() ? "" : ", ") + mt.type + " " +
                  fmt(mt.msgs_per_block < 1 ? "%.2g" : "%.1f", mt.msgs_per_block);
    }
    if (!per_type.empty()) line("messages per block", per_type);
  }
  line("liveness",
       "longest gap without a commit " + fmt("%.0f ms", s.longest_commit_gap_ms) + " (from " +
           fmt("%.1f s", s.longest_commit_gap_start_s) + "), first commit " +
           (s.first_commit_ms < 0 ? std::string("never") : fmt("%.0f ms", s.first_commit_ms)));
  for (const auto& r : s.recoveries) {
    line("recovery",
         r.fault + " at " + fmt("%.1f s", r.at_s) + ": " +
             (r.recovery_ms < 0 ? std::string("no commit after it")
                                : "next commit after " + fmt("%.0f ms", r.recovery_ms)));
  }
  for (const auto& f : s.fault_windows) {
    const auto tps = [](double v) { return v < 0 ? std::string("-") : fmt("%.0f", v); };
    const auto ms = [](double v) { return v < 0 ? std::string("-") : fmt("%.0f", v); };
    line("fault window", f.fault + ", " + fmt("%.1f", f.begin_s) + "-" + fmt("%.1f s", f.end_s) +
                             (f.ended ? "" : " (never ended)") + ": tx/s " + tps(f.tps_before) +
                             " before, " + tps(f.tps_during) + " during, " + tps(f.tps_after) +
                             " after; p50 ms " + ms(f.p50_before_ms) + " / " + ms(f.p50_during_ms) +
                             " / " + ms(f.p50_after_ms));
  }
  if (s.reorgs > 0) {
    line("forks", std::to_string(s.reorgs) + " reorgs, " + std::to_string(s.reorg_blocks) +
                      " tentative blocks abandoned (deepest " + std::to_string(s.reorg_max_depth) +
                      "; " + std::to_string(s.reorg_own_blocks) +
                      " of them abandoned by their own sealer)");
  }
  if (!s.byzantine.empty()) {
    std::string b;
    for (const auto& x : s.byzantine) b += (b.empty() ? "" : ", ") + x;
    line("byzantine", b);
  }
  line("ledger", s.signature_scheme + " signatures, verification " + s.verification_policy + ", " +
                     s.storage + " storage" +
                     (s.verification_policy == "model-only"
                          ? " (MODEL-ONLY: nothing verified, forgeries not rejected)"
                          : ""));
  if (s.documents > 0 || s.fetches > 0) {
    line("off-chain documents", std::to_string(s.documents) + " stored (" +
                                    human_bytes(static_cast<double>(s.document_bytes)) +
                                    ", AES-256-GCM), " + std::to_string(s.fetches_ok) +
                                    " reads decrypted (" +
                                    human_bytes(static_cast<double>(s.fetch_bytes)) + "), " +
                                    std::to_string(s.fetches_failed) + " failed");
    line("off-chain read ms p50/p99", fmt("%.2f", s.fetch_latency.p50_ms) + " / " +
                                          fmt("%.2f", s.fetch_latency.p99_ms) +
                                          " (access commit to decrypted document)");
  }
  int kind_width = 18;
  for (const auto& k : s.kinds) kind_width = std::max(kind_width, static_cast<int>(k.kind.size()));
  o += "  per kind:\n";
  o += "    " + std::string("kind") + std::string(static_cast<std::size_t>(kind_width) - 4, ' ') +
       " submitted  committed   denied  invalid   p50 ms   p99 ms\n";
  for (const auto& k : s.kinds) {
    char buf[240];
    std::snprintf(buf, sizeof buf, "    %-*s %9llu  %9llu  %7llu  %7llu %8.2f %8.2f\n", kind_width,
                  k.kind.c_str(), static_cast<unsigned long long>(k.submitted),
                  static_cast<unsigned long long>(k.committed),
                  static_cast<unsigned long long>(k.denied),
                  static_cast<unsigned long long>(k.invalid), k.latency.p50_ms, k.latency.p99_ms);
    o += buf;
  }
  if (!s.workload_figures.empty()) {
    o += "  " + s.workload + " figures:\n";
    std::size_t width = 0;
    for (const auto& f : s.workload_figures) width = std::max(width, f.name.size());
    for (const auto& f : s.workload_figures) {
      char buf[120];
      std::snprintf(buf, sizeof buf, "    %-*s %12.6g %-4s", static_cast<int>(width),
                    f.name.c_str(), f.value, f.unit.c_str());
      o += buf + std::string("  ") + f.help + "\n";
    }
  }
  if (!s.pipeline_figures.empty()) {
    o += "  execute-order-validate pipeline (" + s.pipeline_orgs + "; policy " + s.pipeline_policy +
         "):\n";
    std::size_t width = 0;
    for (const auto& f : s.pipeline_figures) width = std::max(width, f.name.size());
    for (const auto& f : s.pipeline_figures) {
      char buf[120];
      std::snprintf(buf, sizeof buf, "    %-*s %12.6g %-4s", static_cast<int>(width),
                    f.name.c_str(), f.value, f.unit.c_str());
      o += buf + std::string("  ") + f.help + "\n";
    }
  }
  o += "  per node:\n";
  o += "    node  role      msgs out    bytes out    msgs in     bytes in   cpu busy  height\n";
  for (const auto& n : s.nodes_detail) {
    char buf[200];
    std::snprintf(buf, sizeof buf, "    %4u  %-8s %9llu %12s %10llu %12s %9.1f%% %7llu\n", n.node,
                  n.crashed ? "crashed" : (n.leader ? "leader" : "follower"),
                  static_cast<unsigned long long>(n.msgs_sent),
                  human_bytes(static_cast<double>(n.bytes_sent)).c_str(),
                  static_cast<unsigned long long>(n.msgs_recv),
                  human_bytes(static_cast<double>(n.bytes_recv)).c_str(), 100 * n.cpu_utilisation,
                  static_cast<unsigned long long>(n.height));
    o += buf;
  }
  line("simulator speed", fmt("%.0f events/s", s.host.events_per_s) + ", " +
                              fmt("%.1f", s.host.sim_s_per_wall_s) + " simulated s per wall s (" +
                              std::to_string(s.events) + " events in " +
                              fmt("%.2f", s.host.wall_s) + " s)");
  for (const auto& v : s.violations) o += "  SAFETY VIOLATION: " + v + "\n";
  for (const auto& n : s.notes) o += "  note: " + n + "\n";
  return o;
}

std::string summary_json(const RunSummary& s, bool include_host) {
  nlohmann::ordered_json j;
  j["scenario"] = s.scenario;
  j["protocol"] = s.protocol;
  j["workload"] = s.workload;
  j["seed"] = s.seed;
  j["nodes"] = s.nodes;
  j["clients"] = s.clients;
  j["duration_s"] = s.duration_s;
  j["drain_s"] = s.drain_s;
  j["simulated_s"] = s.simulated_s;
  j["complete"] = s.complete;
  j["stop_reason"] = s.stop_reason;
  j["offered_tps_configured"] = s.offered_tps_configured;
  j["offered_tps_achieved"] = s.offered_tps_achieved;
  j["committed_tps"] = s.committed_tps;
  j["transactions"] = {{"submitted", s.submitted}, {"committed", s.committed},
                       {"applied", s.applied},     {"denied", s.denied},
                       {"invalid", s.invalid},     {"rejected", s.rejected},
                       {"lost", s.lost},           {"pending", s.pending}};
  j["latency"] = latency_json(s.latency);
  nlohmann::ordered_json kinds = nlohmann::ordered_json::object();
  for (const auto& k : s.kinds) {
    kinds[k.kind] = {{"submitted", k.submitted}, {"committed", k.committed},
                     {"applied", k.applied},     {"denied", k.denied},
                     {"invalid", k.invalid},     {"latency", latency_json(k.latency)}};
  }
  j["kinds"] = kinds;
  j["arrivals"] = {{"process", s.arrivals}, {"closed_loop_timeouts", s.closed_timeouts}};
  nlohmann::ordered_json figures = nlohmann::ordered_json::object();
  for (const auto& f : s.workload_figures) {
    figures[f.name] = {{"value", f.value}, {"unit", f.unit}, {"help", f.help}};
  }
  j["workload_figures"] = figures;
  if (!s.pipeline_figures.empty()) {
    nlohmann::ordered_json pf = nlohmann::ordered_json::object();
    for (const auto& f : s.pipeline_figures) {
      pf[f.name] = {{"value", f.value}, {"unit", f.unit}, {"help", f.help}};
    }
    j["pipeline_figures"] = pf;
    j["pipeline"] = {{"kind", s.pipeline_kind},
                     {"organisations", s.pipeline_orgs},
                     {"policy", s.pipeline_policy}};
  }
  j["blocks"] = s.blocks;
  j["txs_per_block"] = s.txs_per_block;
  j["leader_terms"] = s.leader_changes;
  j["messages"] = {{"sent", s.msgs_total},
                   {"bytes", s.bytes_total},
                   {"lost", s.msgs_lost},
                   {"per_block", s.msgs_per_block},
                   {"bytes_per_block", s.bytes_per_block}};
  nlohmann::ordered_json types = nlohmann::ordered_json::object();
  for (const auto& mt : s.message_types) {
    types[mt.type] = {{"role", mt.role},
                      {"sent", mt.msgs},
                      {"bytes", mt.bytes},
                      {"per_block", mt.msgs_per_block},
                      {"bytes_per_block", mt.bytes_per_block}};
  }
  j["message_types"] = types;
  nlohmann::ordered_json recoveries = nlohmann::ordered_json::array();
  for (const auto& r : s.recoveries) {
    recoveries.push_back({{"at_s", r.at_s}, {"fault", r.fault}, {"recovery_ms", r.recovery_ms}});
  }
  j["liveness"] = {{"first_commit_ms", s.first_commit_ms},
                   {"longest_commit_gap_ms", s.longest_commit_gap_ms},
                   {"longest_commit_gap_start_s", s.longest_commit_gap_start_s},
                   {"recoveries", recoveries}};
  nlohmann::ordered_json windows = nlohmann::ordered_json::array();
  for (const auto& f : s.fault_windows) {
    windows.push_back({{"fault", f.fault},
                       {"begin_s", f.begin_s},
                       {"end_s", f.end_s},
                       {"ended", f.ended},
                       {"tps_before", f.tps_before},
                       {"tps_during", f.tps_during},
                       {"tps_after", f.tps_after},
                       {"p50_before_ms", f.p50_before_ms},
                       {"p50_during_ms", f.p50_during_ms},
                       {"p50_after_ms", f.p50_after_ms},
                       {"p99_during_ms", f.p99_during_ms}});
  }
  j["fault_windows"] = windows;
  j["forks"] = {{"reorgs", s.reorgs},
                {"blocks_abandoned", s.reorg_blocks},
                {"max_depth_blocks", s.reorg_max_depth},
                {"own_blocks_abandoned", s.reorg_own_blocks}};
  j["byzantine"] = s.byzantine;
  j["ledger"] = {{"signature_scheme", s.signature_scheme},
                 {"verification_policy", s.verification_policy},
                 {"storage", s.storage}};
  j["offchain"] = {{"documents", s.documents},
                   {"document_bytes", s.document_bytes},
                   {"fetches", s.fetches},
                   {"fetches_ok", s.fetches_ok},
                   {"fetches_failed", s.fetches_failed},
                   {"fetch_bytes", s.fetch_bytes},
                   {"fetches_without_document", s.fetches_without_document},
                   {"fetch_latency", latency_json(s.fetch_latency)}};
  nlohmann::ordered_json nodes = nlohmann::ordered_json::array();
  for (const auto& n : s.nodes_detail) {
    nodes.push_back({{"node", n.node},
                     {"msgs_sent", n.msgs_sent},
                     {"bytes_sent", n.bytes_sent},
                     {"msgs_recv", n.msgs_recv},
                     {"bytes_recv", n.bytes_recv},
                     {"cpu_busy_ns", n.cpu_busy_ns},
                     {"cpu_utilisation", n.cpu_utilisation},
                     {"client_txs", n.client_txs},
                     {"client_txs_rejected", n.client_txs_rejected},
                     {"height", n.height},
                     {"state_bytes", n.state_bytes},
                     {"crashed", n.crashed}});
  }
  j["per_node"] = nodes;
  j["violations"] = s.violations;
  j["notes"] = s.notes;
  j["events"] = s.events;
  if (!include_host) return j.dump(2) + "\n";
  j["host"] = {{"wall_s", s.host.wall_s},
               {"events_per_s", s.host.events_per_s},
               {"simulated_s_per_wall_s", s.host.sim_s_per_wall_s}};
  return j.dump(2) + "\n";
}

}  // namespace hlsim
