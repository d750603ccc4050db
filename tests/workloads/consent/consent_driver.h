// An in-test stand-in for the simulator's reactive loop: Poisson arrivals per client, blocks cut
// every block_ns that commit every transaction submitted before them in submission order through
// the workload's contract, each commit fed to the workload's metrics and (optionally) observed by
// its watchers at the block's instant, before any later draft.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "sim/kernel/distributions.h"
#include "sim/kernel/rng.h"
#include "workloads/workload.h"

namespace hlsim::consent::testing {

class Driver {
 public:
  Driver(Workload& workload, std::uint32_t clients, std::uint64_t seed, TimeNs mean_gap_ns,
         TimeNs block_ns, bool observe = true)
      : workload_(workload),
        contract_(workload.make_contract()),
        metrics_(workload.make_metrics()),
        mean_gap_ns_(mean_gap_ns),
        block_ns_(block_ns),
        observe_(observe),
        outcomes_(workload.kind_names().size()) {
    for (std::uint32_t c = 0; c < clients; ++c) {
      rngs_.push_back(Rng::stream(seed, RngDomain::kClient, c));
      next_ns_.push_back(gap(rngs_.back()));
      nonces_.push_back(0);
    }
  }

  void run_until(TimeNs end_ns) {
    for (;;) {
      std::size_t c = 0;
      for (std::size_t i = 1; i < next_ns_.size(); ++i) {
        if (next_ns_[i] < next_ns_[c]) c = i;
      }
      if (next_block_ns_ <= next_ns_[c]) {
        if (next_block_ns_ > end_ns) return;
        commit_block(next_block_ns_);
        next_block_ns_ += block_ns_;
        continue;
      }
      if (next_ns_[c] > end_ns) return;
      const TimeNs at = next_ns_[c];
      TxDraft d = workload_.next_tx(static_cast<ClientId>(c), at, rngs_[c]);
      Transaction tx;
      tx.kind = d.kind;
      tx.client = static_cast<ClientId>(c);
      tx.nonce = nonces_[c]++;
      tx.submit_ns = at;
      tx.payload = std::move(d.payload);
      tx.id.bytes[0] = static_cast<std::uint8_t>(c);
      for (int b = 0; b < 8; ++b)
        tx.id.bytes[1 + b] = static_cast<std::uint8_t>(tx.nonce >> (8 * b));
      pending_.push_back(std::move(tx));
      next_ns_[c] = at + gap(rngs_[c]);
    }
  }

  // outcomes()[kind][outcome]: committed transactions.
  const std::vector<std::array<std::uint64_t, 3>>& outcomes() const { return outcomes_; }
  std::uint64_t count(std::uint16_t kind, TxOutcome o) const {
    return outcomes_[kind][static_cast<int>(o)];
  }
  const WorkloadMetrics& metrics() const { return *metrics_; }
  const MemoryStore& state() const { return state_; }
  const std::vector<Transaction>& committed() const { return committed_; }

 private:
  TimeNs gap(Rng& rng) const {
    return 1 + std::llround(sample_exponential(rng, static_cast<double>(mean_gap_ns_)));
  }

  void commit_block(TimeNs at) {
    std::vector<Transaction> block = std::move(pending_);
    pending_.clear();
    for (const Transaction& tx : block) {
      const TxOutcome o = contract_->apply(state_, tx, at).outcome;
      ++outcomes_[tx.kind][static_cast<int>(o)];
      if (metrics_) metrics_->on_commit(tx, o, at);
      if (observe_) {
        for (ClientId w : workload_.watchers(tx)) workload_.on_observed(w, tx, o, at);
      }
      committed_.push_back(tx);
    }
  }

  Workload& workload_;
  std::unique_ptr<Contract> contract_;
  std::unique_ptr<WorkloadMetrics> metrics_;
  MemoryStore state_;
  TimeNs mean_gap_ns_;
  TimeNs block_ns_;
  bool observe_;
  std::vector<Rng> rngs_;
  std::vector<TimeNs> next_ns_;
  std::vector<std::uint64_t> nonces_;
  std::vector<Transaction> pending_;
  std::vector<Transaction> committed_;
  TimeNs next_block_ns_ = 0;
  std::vector<std::array<std::uint64_t, 3>> outcomes_;
};

// The named figure's value; NaN (never equal to anything) when absent.
inline double figure(const WorkloadMetrics& m, const std::string& name) {
  for (const WorkloadFigure& f : m.figures()) {
    if (f.name == name) return f.value;
  }
  return std::nan("");
}

}  // namespace hlsim::consent::testing
