// Nearest-rank percentiles for workload figures, the definition the run summary's latency
// percentiles use: the smallest sample with at least q of the samples at or below it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace hlsim {

// q in [0, 1]; `sorted` ascending; 0 when there are no samples.
inline double nearest_rank_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

// The same for unsorted samples.
inline double nearest_rank(std::vector<double> samples, double q) {
  std::sort(samples.begin(), samples.end());
  return nearest_rank_sorted(samples, q);
}

}  // namespace hlsim
