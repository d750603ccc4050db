#include "sim/scenario/memory_estimate.h"

namespace hlsim {

MemoryEstimate estimate_memory(const Scenario& sc) {
  MemoryEstimate e;
  e.transactions = sc.workload.rate_tps * ns_to_s(sc.duration_ns + sc.drain_ns);
  e.bytes = kBaseBytes + e.transactions * kBytesPerTx +
            e.transactions * static_cast<double>(sc.consensus.nodes) * kBytesPerTxPerValidator;
  return e;
}

}  // namespace hlsim
