// Shared by the run-equivalence tests (ledger_policies_test, thread_count_test): everything a run
// simulated, one line per item, so that two runs can be compared item by item and a mismatch
// names the first item that differs.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "sim/run/simulation.h"

namespace hlsim::test_util {

// Every TxRecord field, every BlockRecord, every leader record, each node's chain (block hash and
// state root at every height), each node's counters and simulated CPU time, and the event count.
// Host figures (verifier counters, wall time) are left out: they may differ by policy and thread
// count by design.
inline std::vector<std::string> run_fingerprint(const Simulation& sim, const RunOutcome& outcome) {
  std::vector<std::string> out;
  out.push_back("outcome complete=" + std::to_string(outcome.complete) +
                " reason=" + outcome.stop_reason + " end=" + std::to_string(outcome.end_ns) +
                " events=" + std::to_string(outcome.events));
  const Metrics& m = sim.metrics();
  for (std::size_t i = 0; i < m.txs().size(); ++i) {
    const TxRecord& t = m.txs()[i];
    out.push_back("tx " + std::to_string(i) + " id=" + t.id.hex() +
                  " kind=" + std::to_string(t.kind) + " client=" + std::to_string(t.client) +
                  " gateway=" + std::to_string(t.gateway) + " bytes=" + std::to_string(t.bytes) +
                  " submit=" + std::to_string(t.submit_ns) +
                  " first_commit=" + std::to_string(t.first_commit_ns) +
                  " gateway_commit=" + std::to_string(t.gateway_commit_ns) +
                  " height=" + std::to_string(t.height) + " status=" + to_string(t.status));
  }
  for (const BlockRecord& b : m.blocks()) {
    out.push_back("block " + std::to_string(b.height) + " hash=" + b.hash.hex() +
                  " proposer=" + std::to_string(b.proposer) + " epoch=" + std::to_string(b.epoch) +
                  " txs=" + std::to_string(b.tx_count) + " bytes=" + std::to_string(b.bytes) +
                  " sealed=" + std::to_string(b.sealed_ns) +
                  " first_commit=" + std::to_string(b.first_commit_ns) + " last_commit=" +
                  std::to_string(b.last_commit_ns) + " commits=" + std::to_string(b.commits));
  }
  for (const LeaderRecord& l : m.leaders()) {
    out.push_back("leader t=" + std::to_string(l.time_ns) + " epoch=" + std::to_string(l.epoch) +
                  " node=" + std::to_string(l.leader));
  }
  for (const std::string& v : sim.safety().descriptions()) out.push_back("violation " + v);
  out.push_back("recommits " + std::to_string(m.recommits()));
  for (const auto& node : sim.nodes()) {
    const std::string who = "node " + std::to_string(node->self()) + " ";
    const Chain& chain = node->chain();
    out.push_back(who + "height=" + std::to_string(chain.height()) +
                  " block_bytes=" + std::to_string(chain.block_bytes()) +
                  " state_bytes=" + std::to_string(chain.store().state_bytes()) +
                  " keys=" + std::to_string(chain.store().key_count()));
    for (Height h = 1; h <= chain.height(); ++h) {
      out.push_back(who + "chain " + std::to_string(h) + " hash=" + chain.at(h)->hash.hex() +
                    " root=" + chain.state_root_at(h).hex());
    }
    const NodeCounters& c = node->counters();
    std::string counters = who + "counters";
    for (std::size_t t = 0; t < c.msgs_sent.size(); ++t) {
      counters += " [" + std::to_string(c.msgs_sent[t]) + "," + std::to_string(c.bytes_sent[t]) +
                  "," + std::to_string(c.msgs_recv[t]) + "," + std::to_string(c.bytes_recv[t]) +
                  "]";
    }
    counters += " client_txs=" + std::to_string(c.client_txs) +
                " rejected=" + std::to_string(c.client_txs_rejected) +
                " executed=" + std::to_string(c.txs_executed) +
                " crashes=" + std::to_string(c.crashes) +
                " recovered=" + std::to_string(c.recovered_blocks) +
                " state_reads=" + std::to_string(c.state_reads);
    out.push_back(counters);
    out.push_back(who + "cpu busy=" + std::to_string(node->cpu().busy_ns()) +
                  " jobs=" + std::to_string(node->cpu().jobs()));
  }
  for (std::size_t i = 0; i < sim.network_counters().lost_msgs.size(); ++i) {
    out.push_back("net " + std::to_string(i) +
                  " lost=" + std::to_string(sim.network_counters().lost_msgs[i]) +
                  " dropped=" + std::to_string(sim.network_counters().dropped_at_crashed[i]));
  }
  return out;
}

// Asserts two fingerprints are equal, naming the first line that differs.
inline void expect_same_run(const std::vector<std::string>& a, const std::vector<std::string>& b,
                            const std::string& what) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) {
      ADD_FAILURE() << what << ": line " << i << " differs:\n  " << a[i] << "\n  " << b[i];
      return;
    }
  }
  EXPECT_EQ(a.size(), b.size()) << what << ": one run has more items (first " << n << " agree)";
}

}  // namespace hlsim::test_util
