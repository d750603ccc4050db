// YCSB's own figures, from the ordered transactions' outcomes alone (a read applied is a hit,
// denied a miss).
//
// Figures (figures() order):
//   read_hits, read_misses     reads of an existing / missing record
//   read_hit_ratio             read_hits / reads, %
//   updates, update_misses     updates applied / denied (record missing)
//   inserts, insert_duplicates inserts applied / denied (record already there)
//   load_complete_ms           commit time of the insert that completed the load (every record
//                              inserted); 0 without a load phase or if it did not complete
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/workload.h"

namespace hlsim::ycsb {

class YcsbMetrics final : public WorkloadMetrics {
 public:
  // `load_records`: records a load phase inserts (0: no load phase).
  explicit YcsbMetrics(std::uint64_t load_records) : load_records_(load_records) {}

  void on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) override;
  std::vector<WorkloadFigure> figures() const override;

 private:
  std::uint64_t load_records_;
  std::uint64_t read_hits_ = 0;
  std::uint64_t read_misses_ = 0;
  std::uint64_t updates_ = 0;
  std::uint64_t update_misses_ = 0;
  std::uint64_t inserts_ = 0;
  std::uint64_t insert_duplicates_ = 0;
  TimeNs load_complete_ns_ = 0;
};

}  // namespace hlsim::ycsb
