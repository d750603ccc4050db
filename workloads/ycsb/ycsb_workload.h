// The YCSB core workloads A, B and C (Cooper et al., SoCC 2010) as transactions on the ledger, as
// BLOCKBENCH runs YCSB, for comparing hlsim with published blockchain benchmarks. Contract:
// ycsb_contract.h.
//
// How records come to exist. As in YCSB, a load phase comes first (load = true): client c owns
// the keys [c * records / clients, (c + 1) * records / clients) and inserts them in order before
// drafting its run mix, so the run operates on 1 KB records that exist on the ledger, as
// YCSB's and BLOCKBENCH's runs do. A read drafted before another client finished loading may
// find its key missing (a miss, denied); the figures count hits and misses and when the load
// completed, and the per-kind table keeps insert apart from read and update. With load = false
// a record never written reads as zero bytes: no inserts, every read hits.
//
// Run mix: a read with probability read_proportion, else an update of one random field (or all,
// write_all_fields). Keys: Zipf(zipf_constant) over the records, each rank mapped to a key by a
// fixed permutation (rank * 2^31-1 mod records) so hot keys are spread over the key space as
// YCSB's scrambled zipfian spreads them; key popularity is exactly Zipf, whereas YCSB hashes a
// Zipf over 10^10 items, which makes its hottest keys somewhat cooler. Or uniform. Values are
// random bytes from the client's stream.
//
// next_tx(c, ...) touches only client c's load progress and draws only from the Rng it is
// given.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/kernel/distributions.h"
#include "workloads/workload.h"
#include "workloads/ycsb/ycsb_params.h"

namespace hlsim::ycsb {

class YcsbWorkload final : public Workload {
 public:
  // REQUIRES: a config from ycsb_config() with clients >= 1.
  explicit YcsbWorkload(const YcsbConfig& config);

  // {"read", "update", "insert"}: the Kind codes.
  const std::vector<std::string>& kind_names() const override;
  // REQUIRES: client < clients.
  TxDraft next_tx(ClientId client, TimeNs now_ns, Rng& rng) override;
  std::unique_ptr<Contract> make_contract() const override;
  std::unique_ptr<WorkloadMetrics> make_metrics() const override;

  const YcsbConfig& config() const { return config_; }
  // The key of popularity rank `rank` (0 the most popular). REQUIRES: rank < records.
  std::uint64_t key_of_rank(std::uint64_t rank) const;
  // Client c's share of the load: [first, end).
  std::uint64_t load_first(ClientId client) const;
  std::uint64_t load_end(ClientId client) const;

 private:
  std::uint64_t draw_key(Rng& rng) const;
  Bytes random_bytes(std::size_t n, Rng& rng) const;

  YcsbConfig config_;
  Zipf zipf_;
  std::vector<std::uint64_t> next_insert_;  // per client
};

// The factory the registry uses: checks the values (ycsb_config) and builds the workload.
Result<std::unique_ptr<Workload>> make_ycsb_workload(const ParamValues& values,
                                                     const WorkloadSetup& setup);

}  // namespace hlsim::ycsb
