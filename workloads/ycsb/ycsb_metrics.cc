#include "workloads/ycsb/ycsb_metrics.h"

#include "workloads/ycsb/ycsb_payloads.h"

namespace hlsim::ycsb {

void YcsbMetrics::on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) {
  const bool applied = outcome == TxOutcome::kApplied;
  const bool denied = outcome == TxOutcome::kDenied;
  switch (static_cast<Kind>(tx.kind)) {
    case Kind::kRead:
      read_hits_ += applied ? 1 : 0;
      read_misses_ += denied ? 1 : 0;
      break;
    case Kind::kUpdate:
      updates_ += applied ? 1 : 0;
      update_misses_ += denied ? 1 : 0;
      break;
    case Kind::kInsert:
      insert_duplicates_ += denied ? 1 : 0;
      if (applied && ++inserts_ == load_records_) load_complete_ns_ = commit_ns;
      break;
  }
}

std::vector<WorkloadFigure> YcsbMetrics::figures() const {
  const auto count = [](std::uint64_t v) { return static_cast<double>(v); };
  const std::uint64_t reads = read_hits_ + read_misses_;
  return {
      {"read_hits", count(read_hits_), "", "reads of an existing record (applied)"},
      {"read_misses", count(read_misses_), "", "reads of a record not (yet) inserted (denied)"},
      {"read_hit_ratio", reads == 0 ? 0 : 100.0 * count(read_hits_) / count(reads), "%",
       "read_hits / reads"},
      {"updates", count(updates_), "", "updates applied"},
      {"update_misses", count(update_misses_), "", "updates of a record not (yet) inserted"},
      {"inserts", count(inserts_), "", "records inserted by the load phase"},
      {"insert_duplicates", count(insert_duplicates_), "", "inserts of a record already there"},
      {"load_complete_ms", static_cast<double>(load_complete_ns_) / static_cast<double>(kNsPerMs),
       "ms", "commit of the insert that completed the load (0: no load or incomplete)"},
  };
}

}  // namespace hlsim::ycsb
