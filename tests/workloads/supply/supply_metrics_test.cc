// SupplyMetrics on a hand-made ordered stream: counterfeit accounting, unit counts, custody time
// percentiles and shipments left in transit.
#include "workloads/supply/supply_metrics.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/supply/supply_epc.h"
#include "workloads/supply/supply_payloads.h"
#include "workloads/supply/supply_tree.h"

namespace hlsim::supply {
namespace {

Transaction tx_of(Kind kind, std::uint32_t client, Bytes payload) {
  Transaction tx;
  tx.kind = static_cast<std::uint16_t>(kind);
  tx.client = client;
  tx.payload = std::move(payload);
  return tx;
}

double figure(const SupplyMetrics& m, const std::string& name) {
  for (const WorkloadFigure& f : m.figures()) {
    if (f.name == name) return f.value;
  }
  ADD_FAILURE() << "no figure " << name;
  return -1;
}

TEST(SupplyMetricsTest, FiguresOfAHandMadeStream) {
  SupplyMetrics m;
  const auto u = [](std::uint64_t s) { return make_item(0, s); };
  const std::uint64_t case0 = make_container(0, 0);
  const std::uint64_t case1 = make_container(0, 1);
  // Four units commissioned at t = 0, four more at t = 1 s.
  m.on_commit(
      tx_of(Kind::kCommission, 0, encode(Commission{0, 1, 99, {u(0), u(1), u(2), u(3)}, {}})),
      TxOutcome::kApplied, 0);
  m.on_commit(
      tx_of(Kind::kCommission, 0, encode(Commission{0, 2, 99, {u(4), u(5), u(6), u(7)}, {}})),
      TxOutcome::kApplied, kNsPerSec);
  // A denied commission counts nothing.
  m.on_commit(tx_of(Kind::kCommission, 0, encode(Commission{0, 2, 99, {u(4)}, {}})),
              TxOutcome::kDenied, kNsPerSec);
  m.on_commit(tx_of(Kind::kAggregate, 0, encode(Aggregate{0, case0, {u(0), u(1)}, {}})),
              TxOutcome::kApplied, kNsPerSec);
  m.on_commit(tx_of(Kind::kAggregate, 0, encode(Aggregate{0, case1, {u(6), u(7)}, {}})),
              TxOutcome::kApplied, kNsPerSec);
  // Two shipments, one received.
  const Tree t0 = pack(case0, {unit_tree(u(0), 1, 99), unit_tree(u(1), 1, 99)});
  const Tree t1 = pack(case1, {unit_tree(u(6), 2, 99), unit_tree(u(7), 2, 99)});
  m.on_commit(tx_of(Kind::kShip, 0, encode(Ship{0, 2, 1, t0, {}})), TxOutcome::kApplied,
              2 * kNsPerSec);
  m.on_commit(tx_of(Kind::kShip, 0, encode(Ship{0, 2, 2, t1, {}})), TxOutcome::kApplied,
              2 * kNsPerSec);
  m.on_commit(tx_of(Kind::kReceive, 2, encode(Receive{2, case0, {}})), TxOutcome::kApplied,
              3 * kNsPerSec);
  // Dispensed: u(2) after 4 s, u(3) after 6 s, u(4) after 9 s (commissioned at 1 s).
  m.on_commit(tx_of(Kind::kDispense, 2, encode(Dispense{2, u(2), {}})), TxOutcome::kApplied,
              4 * kNsPerSec);
  m.on_commit(tx_of(Kind::kDispense, 2, encode(Dispense{2, u(3), {}})), TxOutcome::kApplied,
              6 * kNsPerSec);
  m.on_commit(tx_of(Kind::kDispense, 2, encode(Dispense{2, u(4), {}})), TxOutcome::kApplied,
              10 * kNsPerSec);
  // Decommissioned: one loose unit and a case of two.
  m.on_commit(tx_of(Kind::kDecommission, 2,
                    encode(Decommission{2, u(5), DecommissionReason::kExpired, {}})),
              TxOutcome::kApplied, 10 * kNsPerSec);
  m.on_commit(tx_of(Kind::kDecommission, 0,
                    encode(Decommission{0, case1, DecommissionReason::kRecalled, {}})),
              TxOutcome::kApplied, 10 * kNsPerSec);
  // Counterfeits: two unknown serials denied, one double dispense denied, one broken custody
  // invalid, and one (hypothetically) accepted double dispense.
  const Bytes fake = encode(Dispense{2, make_item(0, kUnissuedSerialBit), {}});
  m.on_commit(tx_of(Kind::kCounterfeitUnknownSerial, 2, fake), TxOutcome::kDenied, 11);
  m.on_commit(tx_of(Kind::kCounterfeitUnknownSerial, 2, fake), TxOutcome::kDenied, 11);
  m.on_commit(tx_of(Kind::kCounterfeitDoubleDispense, 2, encode(Dispense{2, u(2), {}})),
              TxOutcome::kDenied, 11);
  m.on_commit(tx_of(Kind::kCounterfeitDoubleDispense, 2, encode(Dispense{2, u(9), {}})),
              TxOutcome::kApplied, 11);
  m.on_commit(tx_of(Kind::kCounterfeitBrokenCustody, 3, Bytes{0xFF}), TxOutcome::kInvalid, 11);
  // Honest denials: one verify, one receive.
  m.on_commit(tx_of(Kind::kVerify, 3, encode(Verify{3, u(2), 1, {}})), TxOutcome::kDenied, 12);
  m.on_commit(tx_of(Kind::kReceive, 3, encode(Receive{3, case1, {}})), TxOutcome::kDenied, 12);

  EXPECT_EQ(figure(m, "units_commissioned"), 8);
  EXPECT_EQ(figure(m, "units_dispensed"), 4);  // the accepted counterfeit dispense counts too
  EXPECT_EQ(figure(m, "units_decommissioned"), 3);
  // Samples 4000, 6000, 9000 ms: median 6000, p99 9000.
  EXPECT_EQ(figure(m, "custody_time_p50"), 6'000);
  EXPECT_EQ(figure(m, "custody_time_p99"), 9'000);
  EXPECT_EQ(figure(m, "shipments_in_transit"), 1);
  EXPECT_EQ(figure(m, "counterfeit_unknown_serial_ordered"), 2);
  EXPECT_EQ(figure(m, "counterfeit_unknown_serial_denied"), 2);
  EXPECT_EQ(figure(m, "counterfeit_unknown_serial_accepted"), 0);
  EXPECT_EQ(figure(m, "counterfeit_unknown_serial_detection_rate"), 100);
  EXPECT_EQ(figure(m, "counterfeit_double_dispense_ordered"), 2);
  EXPECT_EQ(figure(m, "counterfeit_double_dispense_accepted"), 1);
  EXPECT_EQ(figure(m, "counterfeit_double_dispense_detection_rate"), 50);
  EXPECT_EQ(figure(m, "counterfeit_broken_custody_ordered"), 1);
  EXPECT_EQ(figure(m, "counterfeit_broken_custody_denied"), 0);
  EXPECT_EQ(figure(m, "counterfeit_broken_custody_accepted"), 0);
  EXPECT_EQ(figure(m, "counterfeit_detection_rate"), 60);  // 3 of 5
  EXPECT_EQ(figure(m, "honest_denied"), 2);                // the commission and the receive
  EXPECT_EQ(figure(m, "verify_denied"), 1);
}

TEST(SupplyMetricsTest, AnEmptyStreamGivesZerosAndEveryFigureHasAUnitAndHelp) {
  SupplyMetrics m;
  const std::vector<WorkloadFigure> f = m.figures();
  EXPECT_EQ(f.size(), 4u * 3u + 1u + 2u + 3u + 2u + 1u);
  for (const WorkloadFigure& x : f) {
    EXPECT_EQ(x.value, 0) << x.name;
    EXPECT_FALSE(x.help.empty()) << x.name;
  }
}

}  // namespace
}  // namespace hlsim::supply
