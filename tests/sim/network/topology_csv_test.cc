// The CSV edge-list builder: accepted syntax and one exact message per kind of malformed input.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "sim/network/topology.h"

namespace hlsim {
namespace {

TEST(TopologyCsvSyntax, AcceptsCommentsBlankLinesCrlfSpacesAndReorderedColumns) {
  const auto r = Topology::from_csv_text(
      "# hospitals A, B, C\r\n"
      "\r\n"
      "latency_ms, src, dst, bandwidth_mbps\r\n"
      "  # the WAN link\r\n"
      "12.5, 0, 1, 100\r\n"
      "\n"
      "0.25,1,2,0.5\n",
      "t.csv", 3);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->path_latency_ns(0, 1), 12'500'000);
  EXPECT_EQ(r->path_latency_ns(0, 2), 12'750'000);
  EXPECT_EQ(r->path_bandwidth_bps(0, 2), 500'000.0);  // 0.5 Mbps = 500 kbit/s
  EXPECT_EQ(r->path_loss(0, 2), 0.0);                 // no loss column
  ASSERT_EQ(r->edges().size(), 2u);
  EXPECT_EQ(r->edges()[1].a, 1u);
  EXPECT_EQ(r->edges()[1].latency_ns, 250'000);
}

TEST(TopologyCsvSyntax, LossColumnIsApplied) {
  const auto r = Topology::from_csv_text(
      "src,dst,latency_ms,bandwidth_mbps,loss\n0,1,1,10,0.25\n1,2,1,10,0.5\n", "t.csv", 3);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_DOUBLE_EQ(r->path_loss(0, 1), 0.25);
  EXPECT_DOUBLE_EQ(r->path_loss(0, 2), 1 - 0.75 * 0.5);
}

TEST(TopologyCsvFile, ReadsAFileAndNamesItInErrors) {
  const std::string path = ::testing::TempDir() + "hlsim_topology_csv_test.csv";
  {
    std::ofstream out(path);
    out << "src,dst,latency_ms,bandwidth_mbps\n0,1,2,100\n1,2,2,100\n";
  }
  auto r = Topology::from_csv_file(path, 3);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->path_latency_ns(0, 2), 4 * kNsPerMs);

  r = Topology::from_csv_file(path, 4);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, path + ": node 3 is unreachable from node 0");
  std::remove(path.c_str());

  r = Topology::from_csv_file(path, 3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, path + ": cannot open file");
}

struct MalformedCase {
  const char* name;
  const char* text;
  std::uint32_t n;
  const char* expected;
};

class TopologyCsvErrors : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(TopologyCsvErrors, MessageNamesFileLineAndField) {
  const MalformedCase& c = GetParam();
  const auto r = Topology::from_csv_text(c.text, "topology.csv", c.n);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, c.expected);
}

constexpr const char* kHeader = "src,dst,latency_ms,bandwidth_mbps\n";

INSTANTIATE_TEST_SUITE_P(
    Malformed, TopologyCsvErrors,
    ::testing::Values(
        MalformedCase{"EmptyText", "# only a comment\n\n", 2,
                      "topology.csv: no header line (expected "
                      "src,dst,latency_ms,bandwidth_mbps[,loss])"},
        MalformedCase{"DataWithoutHeader", "0,1,5,100\n", 2,
                      "topology.csv:1: expected a header line "
                      "src,dst,latency_ms,bandwidth_mbps[,loss], got '0,1,5,100'"},
        MalformedCase{"MissingHeaderColumn", "src,dst,latency_ms\n0,1,5\n", 2,
                      "topology.csv:1: header: missing column 'bandwidth_mbps' (expected "
                      "src,dst,latency_ms,bandwidth_mbps[,loss])"},
        MalformedCase{"UnknownHeaderColumn", "src,dst,latency_ms,bandwidth_mbps,jitter\n", 2,
                      "topology.csv:1: header: unknown column 'jitter' (expected "
                      "src,dst,latency_ms,bandwidth_mbps[,loss])"},
        MalformedCase{"RepeatedHeaderColumn", "src,dst,src,latency_ms,bandwidth_mbps\n", 2,
                      "topology.csv:1: header: column 'src' appears twice (expected "
                      "src,dst,latency_ms,bandwidth_mbps[,loss])"},
        MalformedCase{
            "BadNumber",
            "# comment\nsrc,dst,latency_ms,bandwidth_mbps\n0,1,5,100\n\n"
            "1,2,5,100\n# x\n2,3,abc,100\n",
            4, "topology.csv:7: field latency_ms: expected a non-negative number, got 'abc'"},
        MalformedCase{"NegativeLatency", "src,dst,latency_ms,bandwidth_mbps\n0,1,-5,100\n", 2,
                      "topology.csv:2: field latency_ms: expected a non-negative number, got '-5'"},
        MalformedCase{
            "InfiniteLatency", "src,dst,latency_ms,bandwidth_mbps\n0,1,inf,100\n", 2,
            "topology.csv:2: field latency_ms: expected a non-negative number, got 'inf'"},
        MalformedCase{"LatencyAboveOneDay", "src,dst,latency_ms,bandwidth_mbps\n0,1,90000000,100\n",
                      2,
                      "topology.csv:2: field latency_ms: expected at most 86400000 (one day), got "
                      "'90000000'"},
        MalformedCase{"ZeroBandwidth", "src,dst,latency_ms,bandwidth_mbps\n0,1,5,0\n", 2,
                      "topology.csv:2: field bandwidth_mbps: expected a positive number, got '0'"},
        MalformedCase{"EmptyBandwidth", "src,dst,latency_ms,bandwidth_mbps\n0,1,5,\n", 2,
                      "topology.csv:2: field bandwidth_mbps: expected a positive number, got ''"},
        MalformedCase{"LossOfOne", "src,dst,latency_ms,bandwidth_mbps,loss\n0,1,5,10,1\n", 2,
                      "topology.csv:2: field loss: expected a probability in [0, 1), got '1'"},
        MalformedCase{"NodeIdOutOfRange", "src,dst,latency_ms,bandwidth_mbps\n0,1,1,1\n1,7,1,1\n",
                      4,
                      "topology.csv:3: field dst: node id 7 is out of range (n = 4, ids are "
                      "0..3)"},
        MalformedCase{"NodeIdNotANumber", "src,dst,latency_ms,bandwidth_mbps\nx,1,1,1\n", 2,
                      "topology.csv:2: field src: expected a node id (a non-negative integer), "
                      "got 'x'"},
        MalformedCase{"NegativeNodeId", "src,dst,latency_ms,bandwidth_mbps\n-1,1,1,1\n", 2,
                      "topology.csv:2: field src: expected a node id (a non-negative integer), "
                      "got '-1'"},
        MalformedCase{"SelfLoop", "src,dst,latency_ms,bandwidth_mbps\n0,1,1,1\n2,2,1,1\n", 3,
                      "topology.csv:3: self-loop on node 2 (src and dst must differ)"},
        MalformedCase{"DuplicateEdgeInReverse",
                      "src,dst,latency_ms,bandwidth_mbps\n0,1,1,1\n1,2,1,1\n1,0,3,1\n", 3,
                      "topology.csv:4: duplicate edge 1-0 (first defined on line 2)"},
        MalformedCase{"WrongFieldCount", "src,dst,latency_ms,bandwidth_mbps\n0,1,1\n", 2,
                      "topology.csv:2: expected 4 fields as in the header, got 3"},
        MalformedCase{"Disconnected",
                      "src,dst,latency_ms,bandwidth_mbps\n0,1,1,1\n1,2,1,1\n4,5,1,1\n", 6,
                      "topology.csv: node 3 is unreachable from node 0"},
        MalformedCase{"ZeroNodes", kHeader, 0, "topology.csv: n: expected 1..4096 nodes, got 0"}),
    [](const ::testing::TestParamInfo<MalformedCase>& param_info) {
      return std::string(param_info.param.name);
    });

}  // namespace
}  // namespace hlsim
