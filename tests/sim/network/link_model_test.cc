// Message timing: serialization, per-link FIFO queueing, jitter, loss and determinism.
#include "sim/network/link_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace hlsim {
namespace {

constexpr TimeNs kMs = kNsPerMs;

Network mesh_network(std::uint32_t n, TimeNs latency_ns, double bandwidth_bps, double loss,
                     NetworkParams params = {}) {
  auto topology = Topology::full_mesh(n, latency_ns, bandwidth_bps, loss);
  EXPECT_TRUE(topology.ok()) << topology.error().message;
  auto network = Network::create(std::move(topology).value(), std::move(params));
  EXPECT_TRUE(network.ok()) << network.error().message;
  return std::move(network).value();
}

TEST(Serialization, OneMegabyteAtEightMbpsTakesExactlyOneSecond) {
  EXPECT_EQ(serialization_ns(1'000'000, 8e6), kNsPerSec);
}

TEST(Serialization, FractionalNanosecondsRoundUp) {
  EXPECT_EQ(serialization_ns(1, 1e9), 8);            // exact
  EXPECT_EQ(serialization_ns(1, 3e9), 3);            // 2.67 ns -> 3
  EXPECT_EQ(serialization_ns(1, 3), 2'666'666'667);  // 2.666...67 s
  EXPECT_EQ(serialization_ns(3, 7e6), 3'429);        // 3428.57 ns -> 3429
  EXPECT_EQ(serialization_ns(0, 1), 0);
}

TEST(Serialization, OneGigabyteAtOneKbpsDoesNotOverflow) {
  EXPECT_EQ(serialization_ns(1'000'000'000, 1e3), 8'000'000'000'000'000);    // 8e6 s
  EXPECT_EQ(serialization_ns(1'000'000'000, 1), 8'000'000'000'000'000'000);  // near 2^63
  EXPECT_EQ(serialization_ns(999'999'999, 3), 2'666'666'664'000'000'000);
}

TEST(Serialization, NonIntegralBandwidthRoundsUp) {
  EXPECT_EQ(serialization_ns(1, 2.5), 3'200'000'000);  // 8 bits / 2.5 bit/s = 3.2 s
  EXPECT_EQ(serialization_ns(1, 0.5), 16'000'000'000);
  EXPECT_EQ(serialization_ns(1, 3.5), 2'285'714'286);  // 2.2857142857 s -> up
}

TEST(Serialization, SaturatesInsteadOfOverflowing) {
  EXPECT_EQ(serialization_ns(std::numeric_limits<std::uint64_t>::max(), 1), kTimeNever);
  EXPECT_EQ(serialization_ns(std::numeric_limits<std::uint64_t>::max(), 0.5), kTimeNever);
  EXPECT_EQ(serialization_ns(12345, std::numeric_limits<double>::infinity()), 0);
}

TEST(NetworkTransmit, ArrivalIsSerializationPlusPathLatency) {
  Network net = mesh_network(3, 10 * kMs, 8e6, 0);
  Rng rng(1);
  EXPECT_EQ(net.transmit(0, 1, 1'000'000, 0, rng), kNsPerSec + 10 * kMs);
  EXPECT_EQ(net.link_free_at_ns(0, 1), kNsPerSec);
  EXPECT_EQ(net.lookahead_ns(), 10 * kMs);
  EXPECT_EQ(net.topology().size(), 3u);
}

TEST(NetworkTransmit, BackToBackMessagesOnOneLinkArriveSerializationSpaced) {
  Network net = mesh_network(3, 10 * kMs, 8e6, 0);  // 1,000 bytes take 1 ms
  Rng rng(1);
  const TimeNs now = 5 * kMs;
  EXPECT_EQ(net.transmit(0, 1, 1'000, now, rng), now + 1 * kMs + 10 * kMs);
  EXPECT_EQ(net.transmit(0, 1, 1'000, now, rng), now + 2 * kMs + 10 * kMs);
  EXPECT_EQ(net.transmit(0, 1, 1'000, now, rng), now + 3 * kMs + 10 * kMs);
  EXPECT_EQ(net.link_free_at_ns(0, 1), now + 3 * kMs);
}

TEST(NetworkTransmit, MessageSentWhileLinkBusyStartsWhenItFrees) {
  Network net = mesh_network(2, 10 * kMs, 8e6, 0);
  Rng rng(1);
  EXPECT_EQ(net.transmit(0, 1, 2'000, 0, rng), 12 * kMs);        // busy until 2 ms
  EXPECT_EQ(net.transmit(0, 1, 1'000, kMs / 2, rng), 13 * kMs);  // starts at 2 ms
}

TEST(NetworkTransmit, DifferentDestinationsAndDirectionsDoNotQueueBehindEachOther) {
  Network net = mesh_network(3, 10 * kMs, 8e6, 0);
  Rng rng0(1);
  Rng rng1(2);
  EXPECT_EQ(net.transmit(0, 1, 1'000'000, 0, rng0), kNsPerSec + 10 * kMs);
  EXPECT_EQ(net.transmit(0, 2, 1'000, 0, rng0), 11 * kMs);
  EXPECT_EQ(net.transmit(1, 0, 1'000, 0, rng1), 11 * kMs);
  EXPECT_EQ(net.link_free_at_ns(0, 2), kMs);
  EXPECT_EQ(net.link_free_at_ns(1, 0), kMs);
  EXPECT_EQ(net.link_free_at_ns(2, 0), 0);
}

TEST(NetworkTransmit, MessageSentAfterLinkWentIdleIsNotDelayed) {
  Network net = mesh_network(2, 10 * kMs, 8e6, 0);
  Rng rng(1);
  EXPECT_EQ(net.transmit(0, 1, 1'000, 0, rng), 11 * kMs);
  EXPECT_EQ(net.transmit(0, 1, 1'000, 50 * kMs, rng), 61 * kMs);
}

TEST(NetworkTransmit, HeaderBytesAreAddedToEveryMessage) {
  NetworkParams params;
  params.header_bytes = 1'000;
  Network net = mesh_network(2, 10 * kMs, 8e6, 0, params);
  Rng rng(1);
  EXPECT_EQ(net.transmit(0, 1, 0, 0, rng), 11 * kMs);
  EXPECT_EQ(net.transmit(0, 1, 1'000, 0, rng), 13 * kMs);
}

TEST(NetworkTransmit, MultiHopPathUsesPathLatencyAndBottleneckBandwidth) {
  auto topology = Topology::from_csv_text(
      "src,dst,latency_ms,bandwidth_mbps\n0,1,10,1000\n0,2,3,100\n2,1,4,8\n", "t.csv", 3);
  ASSERT_TRUE(topology.ok()) << topology.error().message;
  auto net = Network::create(std::move(topology).value());
  ASSERT_TRUE(net.ok());
  Rng rng(1);
  // 0 -> 1 goes 0-2-1: 7 ms, bottleneck 8 Mbps: 1,000,000 bytes take 1 s.
  EXPECT_EQ(net->transmit(0, 1, 1'000'000, 0, rng), kNsPerSec + 7 * kMs);
  EXPECT_EQ(net->lookahead_ns(), 3 * kMs);
}

TEST(NetworkJitter, JitterNeverMakesArrivalEarlierThanLatency) {
  NetworkParams params;
  params.jitter = Distribution::normal(0, 5.0 * kMs);  // half of the samples are negative
  Network net = mesh_network(4, 2 * kMs, 1e12, 0, params);
  Rng rng = Rng::stream(7, RngDomain::kNetwork, 0);
  int exact = 0;
  int later = 0;
  for (int i = 0; i < 20'000; ++i) {
    const TimeNs now = i * kNsPerUs;
    const auto arrival = net.transmit(0, 1 + i % 3, 0, now, rng);
    ASSERT_TRUE(arrival.has_value());
    ASSERT_GE(*arrival - now, net.lookahead_ns());
    (*arrival - now == 2 * kMs ? exact : later) += 1;
  }
  EXPECT_NEAR(exact, 10'000, 500);  // negative samples clamp to zero jitter
  EXPECT_NEAR(later, 10'000, 500);
}

TEST(NetworkJitter, ExponentialJitterAddsItsMeanOnAverage) {
  NetworkParams params;
  params.jitter = Distribution::exponential(1.0 * kMs);
  Network net = mesh_network(2, 2 * kMs, 1e12, 0, params);
  Rng rng(99);
  const int count = 100'000;
  double total_jitter_ns = 0;
  for (int i = 0; i < count; ++i) {
    const TimeNs now = static_cast<TimeNs>(i) * kMs;
    total_jitter_ns += static_cast<double>(*net.transmit(0, 1, 0, now, rng) - now - 2 * kMs);
  }
  // Standard error of the mean: 1 ms / sqrt(100,000) ~ 3.2 us; allow 5 of them.
  EXPECT_NEAR(total_jitter_ns / count, 1.0 * kMs, 16 * kNsPerUs);
}

TEST(NetworkJitter, ConstantJitterIsAddedExactlyWithoutRandomDraws) {
  NetworkParams params;
  params.jitter = Distribution::constant(1500.4);
  Network net = mesh_network(2, 2 * kMs, 1e12, 0, params);
  Rng rng(5);
  Rng untouched(5);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(net.transmit(0, 1, 0, i * kMs, rng), i * kMs + 2 * kMs + 1500);
  }
  EXPECT_EQ(rng.next_u64(), untouched.next_u64());
}

TEST(NetworkLoss, ZeroLossAndNoJitterConsumeNoRandomDraws) {
  Network net = mesh_network(3, kMs, 1e9, 0);
  Rng rng(123);
  Rng untouched(123);
  for (int i = 0; i < 1'000; ++i) ASSERT_TRUE(net.transmit(0, 1 + i % 2, 100, i, rng));
  EXPECT_EQ(rng.next_u64(), untouched.next_u64());
}

TEST(NetworkLoss, ThirtyPercentLossDropsAboutThirtyPercent) {
  NetworkParams params;
  params.extra_loss = 0.3;
  Network net = mesh_network(2, kMs, 1e9, 0, params);
  Rng rng = Rng::stream(42, RngDomain::kNetwork, 0);
  const int count = 100'000;
  int lost = 0;
  for (int i = 0; i < count; ++i) lost += net.transmit(0, 1, 100, i * kNsPerUs, rng) ? 0 : 1;
  // Binomial standard error: sqrt(n p (1 - p)) = 145; allow 5 of them.
  EXPECT_NEAR(lost, 30'000, 5 * std::sqrt(count * 0.3 * 0.7));
}

TEST(NetworkLoss, PathLossAndExtraLossCombine) {
  NetworkParams params;
  params.extra_loss = 0.2;
  Network net = mesh_network(2, kMs, 1e9, 0.1, params);
  EXPECT_DOUBLE_EQ(net.total_loss(0, 1), 1 - 0.9 * 0.8);
  Network path_only = mesh_network(2, kMs, 1e9, 0.1);
  EXPECT_EQ(path_only.total_loss(0, 1), 0.1);
}

TEST(NetworkLoss, LostMessagesDoNotOccupyTheLink) {
  NetworkParams params;
  params.extra_loss = 0.5;
  Network net = mesh_network(2, kMs, 8e6, 0, params);  // 1,000 bytes take 1 ms
  Rng rng(8);
  int delivered = 0;
  std::vector<TimeNs> arrivals;
  for (int i = 0; i < 1'000; ++i) {
    if (const auto arrival = net.transmit(0, 1, 1'000, 0, rng)) {
      ++delivered;
      arrivals.push_back(*arrival);
    }
  }
  ASSERT_GT(delivered, 400);
  ASSERT_LT(delivered, 600);
  EXPECT_EQ(net.link_free_at_ns(0, 1), delivered * kMs);
  for (int i = 0; i < delivered; ++i) EXPECT_EQ(arrivals[i], (i + 1) * kMs + kMs);
}

std::vector<std::optional<TimeNs>> run_sequence(std::uint64_t seed) {
  NetworkParams params;
  params.jitter = Distribution::lognormal(10, 1);
  params.extra_loss = 0.1;
  Network net = mesh_network(4, kMs, 1e8, 0.05, params);
  std::vector<Rng> rngs;
  for (NodeId v = 0; v < 4; ++v) rngs.push_back(Rng::stream(seed, RngDomain::kNetwork, v));
  std::vector<std::optional<TimeNs>> arrivals;
  for (int i = 0; i < 5'000; ++i) {
    const auto from = static_cast<NodeId>(i % 4);
    const auto to = static_cast<NodeId>((from + 1 + (i / 4) % 3) % 4);
    arrivals.push_back(net.transmit(from, to, 100 + 37 * (i % 50), i * 20 * kNsPerUs, rngs[from]));
  }
  return arrivals;
}

TEST(NetworkDeterminism, SameSeedGivesIdenticalArrivalSequence) {
  const auto a = run_sequence(2024);
  const auto b = run_sequence(2024);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, run_sequence(2025));
}

TEST(NetworkCreate, RejectsExtraLossOutsideZeroToOne) {
  auto topology = Topology::full_mesh(2, kMs, 1e9, 0);
  ASSERT_TRUE(topology.ok());
  NetworkParams params;
  params.extra_loss = 1.0;
  auto net = Network::create(*topology, params);
  ASSERT_FALSE(net.ok());
  EXPECT_EQ(net.error().message, "network.extra_loss: expected a probability in [0, 1), got 1");
  params.extra_loss = -0.1;
  net = Network::create(*topology, params);
  ASSERT_FALSE(net.ok());
  EXPECT_EQ(net.error().message, "network.extra_loss: expected a probability in [0, 1), got -0.1");
}

#ifndef NDEBUG
TEST(NetworkTransmitDeathTest, SendingToSelfIsAProgrammingError) {
  Network net = mesh_network(2, kMs, 1e9, 0);
  Rng rng(1);
  EXPECT_DEATH(net.transmit(1, 1, 10, 0, rng), "never sends to itself");
}
#endif

TEST(AccessLink, QueuesFifoAndAddsLatency) {
  auto link = AccessLink::create(5 * kMs, 8e6);
  ASSERT_TRUE(link.ok());
  EXPECT_EQ(link->transmit(1'000, 0), 6 * kMs);
  EXPECT_EQ(link->transmit(1'000, 0), 7 * kMs);
  EXPECT_EQ(link->free_at_ns(), 2 * kMs);
  EXPECT_EQ(link->transmit(1'000, 100 * kMs), 106 * kMs);  // idle link: no delay
  EXPECT_EQ(link->latency_ns(), 5 * kMs);
  EXPECT_EQ(link->bandwidth_bps(), 8e6);
}

TEST(AccessLink, RejectsBadParameters) {
  auto link = AccessLink::create(kMs, 0);
  ASSERT_FALSE(link.ok());
  EXPECT_EQ(link.error().message,
            "access_link.bandwidth_bps: expected a positive finite bandwidth in bit/s, got 0");
  link = AccessLink::create(-1, 1e6);
  ASSERT_FALSE(link.ok());
  EXPECT_EQ(link.error().message,
            "access_link.latency_ns: expected a non-negative latency, got -1");
}

}  // namespace
}  // namespace hlsim
