// `hlsim calibrate`: measures on this host what each HardwareProfile field models, and writes the
// figures as a profile the scenario loader accepts (sim/scenario/profile_loader.h).
//
// Wall clock. This is the one place under sim/ that reads the wall clock (steady_clock to time
// batches, system_clock for the date in the report). It is a measurement tool that runs outside
// any simulation: nothing here is called by a run, and what it measures reaches a run only through
// the profile file it writes, which is then an input like any other.
//
// Method. Every figure is measured single-threaded (nothing is pinned) as `repeats` repeats of one
// batch. A batch runs the operation n times, n chosen once per figure (by growing it from 1) so
// that a batch lasts at least `min_batch_ms` (fsync and RocksDB put batches are also capped, to
// bound the disk they use and to stay within a memtable); a repeat's sample is the batch's wall
// time / n. The profile value is the median of the samples; the spread (quartiles, min, max) is
// reported with it. Figures with a per-call and a per-byte part are fitted from two sizes timed
// alternately in each repeat: per_byte = (t(large) - t(small)) / (large - small), per_call =
// t(small) - small * per_byte, both clamped >= 0, one fit per repeat, so each fitted figure has its
// own spread. What each figure times is in CalibratedFigure::method (and in the comment above the
// field in the YAML).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ledger/hardware_profile.h"
#include "sim/kernel/result.h"

namespace hlsim {

// Spread of one figure's samples (ns). Quartiles interpolate linearly between order statistics
// (the "R-7" rule, as numpy's default), so p25 <= median <= p75 and min <= every field <= max.
struct Spread {
  double median = 0;
  double p25 = 0;
  double p75 = 0;
  double min = 0;
  double max = 0;
};

// REQUIRES: !samples.empty().
Spread spread_of(std::vector<double> samples);

struct LinearFit {
  double per_call = 0;
  double per_byte = 0;
};

// The line through (small_bytes, t_small_ns) and (large_bytes, t_large_ns), both coefficients
// clamped >= 0 (a profile field may not be negative; noise can tilt a line below zero).
// REQUIRES: large_bytes > small_bytes.
LinearFit fit_two_sizes(double t_small_ns, double small_bytes, double t_large_ns,
                        double large_bytes);

struct CalibratedFigure {
  std::string field;   // a HardwareProfile field name (profile_fields())
  Spread ns;           // over the repeats; the profile holds ns.median
  std::string method;  // one line: what was timed
};

struct CalibrationOptions {
  int repeats = 15;          // >= 1
  double min_batch_ms = 20;  // > 0: each repeat's batch lasts at least this long
  std::string scratch_dir;   // storage and fsync are measured in a fresh directory created (and
                             // removed) inside it; empty: the system temporary directory
  std::uint32_t ehr_clients = 20;      // the EHR workload of tx_execute_ns: organisations,
  std::uint64_t ehr_patients = 20000;  // patients (the quick-start scenario's figures)
  // Called once per figure as soon as it is measured, in profile_fields() order.
  std::function<void(const CalibratedFigure&)> on_figure;

  // For CI and tests: 5 repeats of batches >= 3 ms (a few seconds in all).
  static CalibrationOptions quick();
};

struct Calibration {
  HardwareProfile profile;                // every field is its figure's median
  std::vector<CalibratedFigure> figures;  // one per profile field, in profile_fields() order
  std::string host;                       // gethostname()
  std::string cpu;                        // "model name" of /proc/cpuinfo, or "unknown"
  std::string date;                       // UTC, ISO 8601: 2026-01-31T12:00:00Z
  int repeats = 0;
  double min_batch_ms = 0;
  std::string scratch_dir;  // where storage and fsync were measured
  std::string scratch_fs;   // its filesystem type (ext4, tmpfs, ...): fsync on tmpfs is no disk
};

// Measures every figure. An Error names what failed: an unusable scratch directory, a RocksDB or
// file I/O failure, or a self-check (a signature that did not verify, a message that did not
// decode). The scratch directory it created is removed whatever happens.
Result<Calibration> run_calibration(const CalibrationOptions& options);

// The profile as YAML that load_profile() accepts: a header comment saying how it was produced
// (`command` is quoted there), `name`, `description`, every field preceded by a comment saying
// what was timed, then the informational `calibration:` map (host, cpu, date, repeats, scratch
// directory and each figure's median, p25, p75, min and max).
std::string calibration_yaml(const Calibration& c, const std::string& name,
                             const std::string& command);

// The host's name (gethostname), or "unknown".
std::string host_name();

// `ns` for people: integers with thousands separators from 100 up (57,812), else 3 significant
// digits (0.412, 12.3).
std::string format_ns(double ns);

}  // namespace hlsim
