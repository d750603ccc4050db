// An in-test stand-in for the simulator's ledger path, for workloads that react to the ledger.
//
// It orders drafted transactions the way a leader-based protocol would, without network,
// signatures or consensus: each client drafts at its own Poisson arrivals from its own Rng
// stream, at the arrival instant (as the simulator does for reacts_to_ledger() workloads); every
// block_interval_ns the transactions submitted since the last cut are ordered into one block (in
// submit order, ties by client), applied through one contract instance at the block time, fed to
// the workload's metrics, and delivered to their watchers (on_observed) at the block time, before
// any later arrival drafts. Used by the claims and credentials end-to-end tests.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "ledger/transaction.h"
#include "sim/kernel/distributions.h"
#include "sim/kernel/rng.h"
#include "workloads/workload.h"

namespace hlsim::testing {

class OrderingDriver {
 public:
  struct Options {
    std::uint64_t seed = 1;
    TimeNs mean_gap_ns = 10'000'000;         // per client
    TimeNs block_interval_ns = 100'000'000;  // a block every 100 ms
  };

  // Outcome counts of one kind: index by TxOutcome.
  using Counts = std::array<std::uint64_t, 3>;

  OrderingDriver(Workload& workload, std::uint32_t clients, Options options)
      : workload_(workload),
        options_(options),
        contract_(workload.make_contract()),
        metrics_(workload.make_metrics()),
        per_kind_(workload.kind_names().size()) {
    for (std::uint32_t c = 0; c < clients; ++c) {
      rngs_.push_back(Rng::stream(options.seed, RngDomain::kClient, c));
      next_arrival_.push_back(gap(rngs_.back()));
      nonces_.push_back(0);
    }
  }

  // Called for every ordered transaction after it is applied, before its watchers observe it.
  std::function<void(const Transaction&, TxOutcome, TimeNs)> on_commit;

  // Clients submit until `stop_ns`; blocks are cut until every submission is ordered.
  void run(TimeNs stop_ns) {
    TimeNs cut = now_ + options_.block_interval_ns;
    std::vector<Transaction> pending;
    for (;;) {
      for (;;) {
        std::size_t next = 0;
        for (std::size_t c = 1; c < next_arrival_.size(); ++c) {
          if (next_arrival_[c] < next_arrival_[next]) next = c;
        }
        const TimeNs at = next_arrival_[next];
        if (at >= cut || at >= stop_ns) break;
        const auto client = static_cast<ClientId>(next);
        TxDraft draft = workload_.next_tx(client, at, rngs_[next]);
        Transaction tx;
        tx.kind = draft.kind;
        tx.client = client;
        tx.nonce = nonces_[next]++;
        tx.submit_ns = at;
        tx.payload = std::move(draft.payload);
        tx.id = tx.compute_id();
        pending.push_back(std::move(tx));
        next_arrival_[next] = at + gap(rngs_[next]);
      }
      now_ = cut;
      for (const Transaction& tx : pending) commit(tx, cut);
      const bool drained = cut >= stop_ns;
      pending.clear();
      if (drained) return;
      cut += options_.block_interval_ns;
    }
  }

  const Counts& counts(std::uint16_t kind) const { return per_kind_.at(kind); }
  std::uint64_t committed(std::uint16_t kind) const {
    const Counts& c = counts(kind);
    return c[0] + c[1] + c[2];
  }
  const WorkloadMetrics* metrics() const { return metrics_.get(); }
  const KvStore& state() const { return state_; }
  TimeNs now() const { return now_; }

  // The figure named `name`, or NaN when the metrics do not report it.
  double figure(const std::string& name) const {
    for (const WorkloadFigure& f : metrics_->figures()) {
      if (f.name == name) return f.value;
    }
    return std::numeric_limits<double>::quiet_NaN();
  }

 private:
  TimeNs gap(Rng& rng) const {
    return 1 +
           static_cast<TimeNs>(sample_exponential(rng, static_cast<double>(options_.mean_gap_ns)));
  }

  void commit(const Transaction& tx, TimeNs block_ns) {
    const TxOutcome outcome = contract_->apply(state_, tx, block_ns).outcome;
    ++per_kind_.at(tx.kind)[static_cast<std::size_t>(outcome)];
    if (metrics_) metrics_->on_commit(tx, outcome, block_ns);
    if (on_commit) on_commit(tx, outcome, block_ns);
    for (ClientId w : workload_.watchers(tx)) workload_.on_observed(w, tx, outcome, block_ns);
  }

  Workload& workload_;
  Options options_;
  std::unique_ptr<Contract> contract_;
  std::unique_ptr<WorkloadMetrics> metrics_;
  MemoryStore state_;
  std::vector<Rng> rngs_;
  std::vector<TimeNs> next_arrival_;
  std::vector<std::uint64_t> nonces_;
  std::vector<Counts> per_kind_;
  TimeNs now_ = 0;
};

}  // namespace hlsim::testing
