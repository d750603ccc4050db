// Summaries across the seeds of one sweep point: the mean and its 95% confidence interval.
#pragma once

#include <cstdint>
#include <vector>

namespace hlsim {

struct MeanCi {
  std::uint64_t n = 0;
  double mean = 0;
  double lo = 0;  // 95% confidence interval of the mean (Student's t, n - 1 degrees of freedom);
  double hi = 0;  // lo = hi = mean when n = 1
};

// REQUIRES: nothing; empty input gives n = 0 and zeros.
MeanCi mean_ci95(const std::vector<double>& xs);

// The two-sided 95% quantile of Student's t with `df` degrees of freedom (df >= 1): tabulated to
// 30, then 1.96 + 2.4 / df (within 0.01 of the exact value beyond 30).
double t_quantile_975(std::uint64_t df);

}  // namespace hlsim
