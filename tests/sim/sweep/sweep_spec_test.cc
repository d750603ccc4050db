// Sweep files: the plan is every combination in a fixed order; every mistake is an error naming
// the file, the line and the key.
#include "sim/sweep/sweep_spec.h"

#include <gtest/gtest.h>

namespace hlsim {
namespace {

Result<SweepSpec> parse(const std::string& text) { return parse_sweep_spec(text, "s.yaml", "d"); }

std::string error_of(const std::string& text) {
  auto s = parse(text);
  EXPECT_FALSE(s.ok()) << text;
  return s.ok() ? "" : s.error().message;
}

TEST(SweepSpecTest, TheGridIsAnOdometerThenTheZipThenTheSeeds) {
  auto s = parse(
      "base: b.yaml\n"
      "set: {duration_s: 5}\n"
      "grid:\n"
      "  consensus.protocol: [raft, pbft]\n"
      "  consensus.nodes: [4, 16]\n"
      "zip:\n"
      "  workload.rate_tps: [100, 400]\n"
      "  workload.clients: [10, 40]\n"
      "seeds: 2\n");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->base_path, "d/b.yaml");
  EXPECT_EQ(s->output, "s.h5");  // from the current directory, as hlsim run
  const SweepPlan p = expand_sweep(s.value());
  EXPECT_EQ(p.parameters, (std::vector<std::string>{"consensus.protocol", "consensus.nodes",
                                                    "workload.rate_tps", "workload.clients"}));
  ASSERT_EQ(p.points.size(), 8u);
  ASSERT_EQ(p.runs.size(), 16u);
  EXPECT_EQ(p.points[0], (SweepPoint{"raft", "4", "100", "10"}));
  EXPECT_EQ(p.points[1], (SweepPoint{"raft", "4", "400", "40"}));
  EXPECT_EQ(p.points[2], (SweepPoint{"raft", "16", "100", "10"}));
  EXPECT_EQ(p.points[4], (SweepPoint{"pbft", "4", "100", "10"}));
  EXPECT_EQ(p.points[7], (SweepPoint{"pbft", "16", "400", "40"}));
  EXPECT_EQ(p.runs[0].seed, 1u);
  EXPECT_EQ(p.runs[1].seed, 2u);
  EXPECT_EQ(p.runs[1].point, 0u);
  EXPECT_EQ(p.runs[2].point, 1u);
  EXPECT_EQ(p.runs[15].index, 15u);
  EXPECT_EQ(p.runs[3].label,
            "consensus.protocol=raft consensus.nodes=4 workload.rate_tps=400 "
            "workload.clients=40 seed=2");
  // Fixed overrides first, then the point, then the seed.
  const std::vector<Override>& o = p.runs[3].overrides;
  ASSERT_EQ(o.size(), 6u);
  EXPECT_EQ(o.front().key, "duration_s");
  EXPECT_EQ(o[2].value, "4");
  EXPECT_EQ(o.back().key, "seed");
  EXPECT_EQ(o.back().value, "2");
}

TEST(SweepSpecTest, SeedsAreACountOrAListAndNoGridIsOnePoint) {
  auto s = parse("base: b.yaml\nseeds: [7, 3]\noutput: /abs/out.h5\n");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->output, "/abs/out.h5");
  const SweepPlan p = expand_sweep(s.value());
  ASSERT_EQ(p.points.size(), 1u);
  ASSERT_EQ(p.runs.size(), 2u);
  EXPECT_EQ(p.runs[0].seed, 7u);
  EXPECT_EQ(p.runs[1].seed, 3u);
  EXPECT_EQ(p.runs[0].label, "seed=7");
  // Without seeds: seed 1 only.
  auto one = parse("base: b.yaml\n");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(expand_sweep(one.value()).runs.size(), 1u);
}

TEST(SweepSpecTest, MistakesNameTheFileLineAndKey) {
  EXPECT_EQ(error_of("base: b.yaml\ngrids: {a: [1]}\n"),
            "s.yaml:2: grids: unknown key (expected base, set, grid, zip, seeds, output)");
  EXPECT_NE(error_of("grid: {a: [1]}\n").find("base: missing"), std::string::npos);
  EXPECT_EQ(error_of("base: b.yaml\ngrid:\n  consensus.nodes: []\n"),
            "s.yaml:3: grid.consensus.nodes: expected a non-empty list of values, e.g. [4, 16]");
  EXPECT_EQ(error_of("base: b.yaml\ngrid:\n  consensus.nodes: [4, 4]\n"),
            "s.yaml:3: grid.consensus.nodes: value '4' given twice");
  EXPECT_NE(error_of("base: b.yaml\ngrid:\n  seed: [1, 2]\n").find("top-level `seeds:`"),
            std::string::npos);
  EXPECT_EQ(error_of("base: b.yaml\nset: {consensus.nodes: 4}\ngrid: {consensus.nodes: [4, 7]}\n"),
            "s.yaml: consensus.nodes: appears in more than one of set, grid and zip");
  EXPECT_EQ(error_of("base: b.yaml\nzip: {a: [1, 2], b: [1]}\n"),
            "s.yaml: zip.b: 1 values, but zip.a has 2 (zip lists advance together)");
  EXPECT_NE(error_of("base: b.yaml\nseeds: 0\n").find("s.yaml:2: seeds: expected a count"),
            std::string::npos);
  EXPECT_NE(error_of("base: b.yaml\nseeds: [1, 1]\n").find("seed 1 given twice"),
            std::string::npos);
  EXPECT_NE(error_of("base: b.yaml\nseeds: x\n").find("seeds: expected a count"),
            std::string::npos);
  EXPECT_NE(error_of("base: [b.yaml\n").find("not valid YAML"), std::string::npos);
  EXPECT_NE(error_of("- base\n").find("expected a map"), std::string::npos);
  EXPECT_NE(error_of("base: b.yaml\nbase: c.yaml\n").find("s.yaml:2: base: given twice"),
            std::string::npos);
  // 100 x 100 x 100 x 2 seeds: more than the guard allows.
  std::string big = "base: b.yaml\nseeds: 2\ngrid:\n";
  for (const char* k : {"a", "b", "c"}) {
    big += std::string("  ") + k + ": [";
    for (int i = 0; i < 100; ++i) big += (i ? ", " : "") + std::to_string(i);
    big += "]\n";
  }
  EXPECT_NE(error_of(big).find("2000000 runs, more than 1000000"), std::string::npos);
}

}  // namespace
}  // namespace hlsim
