// sim/calibrate: the statistics, the two-size fit, the YAML, and one short real calibration whose
// figures must be positive, ordered as the costs they model must be, and loadable as a profile.
// No test asserts an absolute timing: the machine running the tests is shared and noisy.
#include "sim/calibrate/calibrate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/scenario/profile_loader.h"

namespace hlsim {
namespace {

namespace fs = std::filesystem;

TEST(SpreadTest, QuartilesInterpolateBetweenOrderStatistics) {
  const Spread s = spread_of({5, 1, 4, 2, 3});
  EXPECT_DOUBLE_EQ(s.median, 3);
  EXPECT_DOUBLE_EQ(s.p25, 2);
  EXPECT_DOUBLE_EQ(s.p75, 4);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 5);
  const Spread even = spread_of({10, 20, 30, 40});
  EXPECT_DOUBLE_EQ(even.median, 25);
  EXPECT_DOUBLE_EQ(even.p25, 17.5);
  EXPECT_DOUBLE_EQ(even.p75, 32.5);
  const Spread one = spread_of({7});
  EXPECT_DOUBLE_EQ(one.median, 7);
  EXPECT_DOUBLE_EQ(one.p25, 7);
  EXPECT_DOUBLE_EQ(one.max, 7);
  EXPECT_THROW((void)spread_of({}), std::invalid_argument);
}

TEST(FitTest, RecoversALineAndClampsAtZero) {
  // t = 250 + 2 * bytes at 64 and 65536 bytes.
  const LinearFit f = fit_two_sizes(250 + 2 * 64, 64, 250 + 2 * 65536, 65536);
  EXPECT_NEAR(f.per_byte, 2, 1e-12);
  EXPECT_NEAR(f.per_call, 250, 1e-9);
  // Noise making the large size cheaper: no negative per-byte cost.
  const LinearFit flat = fit_two_sizes(500, 64, 400, 65536);
  EXPECT_EQ(flat.per_byte, 0);
  EXPECT_EQ(flat.per_call, 500);
  // A steep line through a cheap small size: no negative per-call cost.
  const LinearFit steep = fit_two_sizes(10, 64, 10 + 1000 * 65472, 65536);
  EXPECT_EQ(steep.per_call, 0);
  EXPECT_NEAR(steep.per_byte, 1000, 1e-9);
  EXPECT_THROW((void)fit_two_sizes(1, 64, 2, 64), std::invalid_argument);
}

TEST(FormatTest, ThousandsSeparatorsFromAHundredUp) {
  EXPECT_EQ(format_ns(57812.4), "57,812");
  EXPECT_EQ(format_ns(1234567), "1,234,567");
  EXPECT_EQ(format_ns(100), "100");
  EXPECT_EQ(format_ns(0.4123), "0.412");
  EXPECT_EQ(format_ns(12.34), "12.3");
  EXPECT_EQ(format_ns(0), "0");
}

// A calibration with made-up figures: what calibration_yaml writes must load as those figures.
Calibration synthetic() {
  Calibration c;
  c.host = "host: with \"quotes\"\nand a line break";
  c.cpu = "Some CPU @ 3.0GHz";
  c.date = "2026-01-31T12:00:00Z";
  c.repeats = 3;
  c.min_batch_ms = 20;
  c.scratch_dir = "/tmp";
  c.scratch_fs = "tmpfs";
  double v = 0.123;
  for (const auto& [name, value] : profile_fields(HardwareProfile{})) {
    (void)value;
    v *= 3.7;
    c.figures.push_back({name, Spread{v, v * 0.9, v * 1.1, v * 0.8, v * 1.3}, "timed: " + name});
  }
  return c;
}

std::string write_temp(const std::string& name, const std::string& text) {
  const fs::path p =
      fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(p) << text;
  return p.string();
}

TEST(CalibrationYamlTest, LoadsAsTheProfileItDescribes) {
  const Calibration c = synthetic();
  const std::string yaml = calibration_yaml(c, "my: profile", "hlsim calibrate -o x\ny");
  const std::string path = write_temp("calibration-yaml", yaml);
  const Result<HardwareProfile> p = load_profile(path, "", "");
  fs::remove(path);
  ASSERT_TRUE(p.ok()) << p.error().message << "\n" << yaml;
  EXPECT_EQ(p->name, "my: profile");
  const auto loaded = profile_fields(*p);
  ASSERT_EQ(loaded.size(), c.figures.size());
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    EXPECT_EQ(loaded[i].first, c.figures[i].field);
    // Written with 4 significant digits below 100 ns, whole ns above.
    EXPECT_NEAR(loaded[i].second, c.figures[i].ns.median, c.figures[i].ns.median * 1e-3 + 0.5)
        << loaded[i].first;
  }
  EXPECT_NE(yaml.find("# timed: ed25519_sign_ns\ned25519_sign_ns: "), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("calibration:\n  host: "), std::string::npos);
  EXPECT_NE(yaml.find("    ed25519_verify_ns: {median: "), std::string::npos);
  EXPECT_NE(yaml.find("repeats: 3\n"), std::string::npos);
  // The line break in the command and host cannot escape their comment lines.
  for (std::size_t at = yaml.find('\n'); at != std::string::npos; at = yaml.find('\n', at + 1)) {
    const std::string next = yaml.substr(at + 1, 1);
    EXPECT_NE(next, "y") << "a comment's line break leaked into the YAML";
    EXPECT_NE(yaml.substr(at + 1, 5), "and a") << "a comment's line break leaked into the YAML";
  }
}

// One real calibration, shared by the tests below: short batches, 3 repeats.
class RealCalibrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ =
        new fs::path(fs::temp_directory_path() / ("calibrate-test-" + std::to_string(::getpid())));
    fs::create_directories(*scratch_);
    CalibrationOptions o = CalibrationOptions::quick();
    o.repeats = 3;
    o.min_batch_ms = 2;
    o.scratch_dir = scratch_->string();
    o.on_figure = [](const CalibratedFigure& f) { reported_->push_back(f.field); };
    reported_ = new std::vector<std::string>;
    result_ = new Result<Calibration>(run_calibration(o));
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(*scratch_, ec);
    delete result_;
    delete reported_;
    delete scratch_;
  }

  static const Calibration& calibration() { return result_->value(); }

  static fs::path* scratch_;
  static std::vector<std::string>* reported_;
  static Result<Calibration>* result_;
};

fs::path* RealCalibrationTest::scratch_ = nullptr;
std::vector<std::string>* RealCalibrationTest::reported_ = nullptr;
Result<Calibration>* RealCalibrationTest::result_ = nullptr;

TEST_F(RealCalibrationTest, MeasuresEveryProfileFieldInOrder) {
  ASSERT_TRUE(result_->ok()) << result_->error().message;
  const auto fields = profile_fields(calibration().profile);
  ASSERT_EQ(calibration().figures.size(), fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const CalibratedFigure& f = calibration().figures[i];
    EXPECT_EQ(f.field, fields[i].first);
    EXPECT_EQ(f.ns.median, fields[i].second) << f.field << ": the profile holds the median";
    EXPECT_FALSE(f.method.empty()) << f.field;
    EXPECT_LE(f.ns.min, f.ns.p25) << f.field;
    EXPECT_LE(f.ns.p25, f.ns.median) << f.field;
    EXPECT_LE(f.ns.median, f.ns.p75) << f.field;
    EXPECT_LE(f.ns.p75, f.ns.max) << f.field;
  }
  EXPECT_EQ(*reported_, [&] {
    std::vector<std::string> names;
    for (const auto& [name, value] : fields) names.push_back(name);
    return names;
  }()) << "on_figure reports each figure once, in order";
  EXPECT_EQ(calibration().repeats, 3);
  EXPECT_FALSE(calibration().host.empty());
  EXPECT_FALSE(calibration().cpu.empty());
  EXPECT_EQ(calibration().date.size(), 20u) << calibration().date;
}

TEST_F(RealCalibrationTest, FiguresArePositiveAndSanelyOrdered) {
  ASSERT_TRUE(result_->ok()) << result_->error().message;
  const HardwareProfile& p = calibration().profile;
  // Every figure is a finite, non-negative number. A per-call / per-byte pair is a line fitted
  // through two noisy sizes and clamped at zero, so on a loaded machine either half may come out
  // 0; only figures timed directly must be positive.
  for (const auto& [name, value] : profile_fields(p)) {
    EXPECT_TRUE(std::isfinite(value)) << name;
    EXPECT_GE(value, 0) << name;
  }
  for (double direct : {p.ed25519_sign_ns, p.ed25519_verify_ns, p.ecdsa_p256_sign_ns,
                        p.ecdsa_p256_verify_ns, p.tx_execute_ns}) {
    EXPECT_GT(direct, 0);
  }
  // No orderings between figures: each is a wall-clock measurement, and on a shared machine a
  // neighbour's burst during one of them can invert even a 3x gap (ECDSA verify vs sign was seen
  // inverted). Relative speeds are the benchmarks' business (bench/), not a unit test's.
}

TEST_F(RealCalibrationTest, CleansUpItsScratchDirectory) {
  ASSERT_TRUE(result_->ok()) << result_->error().message;
  EXPECT_EQ(calibration().scratch_dir, scratch_->string());
  EXPECT_FALSE(calibration().scratch_fs.empty());
  EXPECT_TRUE(fs::is_empty(*scratch_)) << "the RocksDB and fsync files must be removed";
}

TEST_F(RealCalibrationTest, ItsYamlLoadsAsAProfile) {
  ASSERT_TRUE(result_->ok()) << result_->error().message;
  const std::string path =
      write_temp("calibration-real", calibration_yaml(calibration(), "calibrated-test", "test"));
  const Result<HardwareProfile> p = load_profile(path, "", "");
  fs::remove(path);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->name, "calibrated-test");
  EXPECT_NEAR(p->ed25519_verify_ns, calibration().profile.ed25519_verify_ns,
              calibration().profile.ed25519_verify_ns * 1e-3 + 0.5);
}

TEST(CalibrationTest, RejectsBadOptionsAndAMissingScratchDirectory) {
  CalibrationOptions o = CalibrationOptions::quick();
  o.repeats = 0;
  EXPECT_FALSE(run_calibration(o).ok());
  o = CalibrationOptions::quick();
  o.min_batch_ms = 0;
  EXPECT_FALSE(run_calibration(o).ok());
  o = CalibrationOptions::quick();
  o.scratch_dir = "/nonexistent-hlsim-dir/sub";
  const Result<Calibration> r = run_calibration(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("/nonexistent-hlsim-dir/sub"), std::string::npos)
      << r.error().message;
}

}  // namespace
}  // namespace hlsim
