// Mean and confidence interval (sweep_stats.h).
#include "sim/sweep/sweep_stats.h"

#include <array>
#include <cmath>

namespace hlsim {

double t_quantile_975(std::uint64_t df) {
  // t_{0.975, df} for df = 1..30 (standard tables).
  static constexpr std::array<double, 30> kTable = {
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
      2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
      2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (df == 0) return 0;
  if (df <= kTable.size()) return kTable[df - 1];
  return 1.96 + 2.4 / static_cast<double>(df);
}

MeanCi mean_ci95(const std::vector<double>& xs) {
  MeanCi r;
  r.n = xs.size();
  if (xs.empty()) return r;
  double sum = 0;
  for (double x : xs) sum += x;
  r.mean = sum / static_cast<double>(xs.size());
  r.lo = r.hi = r.mean;
  if (xs.size() < 2) return r;
  double ss = 0;
  for (double x : xs) ss += (x - r.mean) * (x - r.mean);
  const double sd = std::sqrt(ss / static_cast<double>(xs.size() - 1));
  const double half =
      t_quantile_975(xs.size() - 1) * sd / std::sqrt(static_cast<double>(xs.size()));
  r.lo = r.mean - half;
  r.hi = r.mean + half;
  return r;
}

}  // namespace hlsim
