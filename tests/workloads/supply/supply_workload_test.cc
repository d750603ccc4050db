// SupplyWorkload generator and parameters: kinds, sizes, role behaviour, watchers, counterfeit
// drafts, determinism and per-client independence, validation errors that name their key.
#include "workloads/supply/supply_workload.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "sim/kernel/params.h"
#include "sim/kernel/rng.h"
#include "workloads/supply/supply_epc.h"
#include "workloads/supply/supply_params.h"
#include "workloads/supply/supply_payloads.h"

namespace hlsim::supply {
namespace {

constexpr std::uint64_t kSeed = 77;

Result<SupplyConfig> try_config(std::uint32_t clients,
                                const std::map<std::string, std::string>& given = {},
                                TimeNs day_ns = 86'400 * kNsPerSec) {
  Result<ParamValues> values = ParamValues::parse(supply_param_specs(), given, "workload");
  if (!values) return values.error();
  WorkloadSetup setup;
  setup.seed = kSeed;
  setup.clients = clients;
  setup.validators = 4;
  setup.day_ns = day_ns;
  return supply_config(*values, setup);
}

SupplyConfig config_with(std::uint32_t clients,
                         const std::map<std::string, std::string>& given = {}) {
  Result<SupplyConfig> c = try_config(clients, given);
  EXPECT_TRUE(c.ok()) << c.error().message;
  return *c;
}

std::vector<Rng> client_rngs(std::uint32_t clients) {
  std::vector<Rng> rngs;
  for (std::uint32_t c = 0; c < clients; ++c) {
    rngs.push_back(Rng::stream(kSeed, RngDomain::kClient, c));
  }
  return rngs;
}

Transaction as_tx(const TxDraft& d, ClientId client, std::uint64_t nonce = 0) {
  Transaction tx;
  tx.kind = d.kind;
  tx.client = client;
  tx.nonce = nonce;
  tx.payload = d.payload;
  tx.id = tx.compute_id();
  return tx;
}

void expect_error_names(const Result<SupplyConfig>& r, const std::string& key) {
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(key), std::string::npos) << r.error().message;
}

// ---- parameters ----

TEST(SupplyParamsTest, DefaultsAreTheDocumentedValues) {
  const SupplyConfig c = config_with(11);
  EXPECT_EQ(c.roles.manufacturers, 2u);
  EXPECT_EQ(c.roles.wholesalers, 3u);
  EXPECT_EQ(c.roles.pharmacies(), 6u);
  EXPECT_EQ(c.units_per_case, 4u);
  EXPECT_EQ(c.cases_per_pallet, 3u);
  EXPECT_EQ(c.units_per_pallet(), 12u);
  EXPECT_DOUBLE_EQ(c.big_wholesaler_share, 0.87);
  EXPECT_DOUBLE_EQ(c.pharmacy_zipf_s, 0.5);
  EXPECT_EQ(c.shelf_life_ns, 730 * 86'400 * kNsPerSec);
  EXPECT_DOUBLE_EQ(c.decommission_fraction, 0.01);
  EXPECT_DOUBLE_EQ(c.counterfeit_fraction, 0.01);
  EXPECT_EQ(c.event_bytes, 600u);
  EXPECT_EQ(c.epc_bytes, 60u);
  for (const ParamSpec& p : supply_param_specs()) EXPECT_FALSE(p.help.empty()) << p.name;
}

TEST(SupplyParamsTest, NoRoomForAPharmacyIsAnErrorNamingClientsAndTheRoleKeys) {
  const Result<SupplyConfig> r = try_config(5);
  expect_error_names(r, "workload.clients");
  expect_error_names(r, "workload.manufacturers");
  expect_error_names(r, "workload.wholesalers");
  EXPECT_TRUE(try_config(6).ok());
  expect_error_names(try_config(3, {{"manufacturers", "1"}, {"wholesalers", "2"}}),
                     "workload.clients");
  EXPECT_TRUE(try_config(2, {{"manufacturers", "1"}, {"wholesalers", "0"}}).ok());
}

TEST(SupplyParamsTest, OutOfRangeValuesAreRejectedNamingTheirKey) {
  expect_error_names(try_config(11, {{"manufacturers", "0"}}), "workload.manufacturers");
  expect_error_names(try_config(11, {{"counterfeit_fraction", "1.5"}}),
                     "workload.counterfeit_fraction");
  expect_error_names(try_config(11, {{"big_wholesaler_share", "-0.1"}}),
                     "workload.big_wholesaler_share");
  expect_error_names(try_config(11, {{"units_per_case", "0"}}), "workload.units_per_case");
}

TEST(SupplyParamsTest, APalletTooLargeForOneEventIsAnErrorNamingCasesPerPallet) {
  expect_error_names(try_config(11, {{"units_per_case", "1000"}, {"cases_per_pallet", "1000"}}),
                     "workload.cases_per_pallet");
  expect_error_names(
      try_config(11, {{"units_per_case", "1000"}, {"cases_per_pallet", "50"}, {"epc_bytes", "60"}}),
      "workload.epc_bytes");
  EXPECT_TRUE(
      try_config(11, {{"units_per_case", "1000"}, {"cases_per_pallet", "50"}, {"epc_bytes", "10"}})
          .ok());
}

TEST(SupplyParamsTest, AShelfLifeBelowOneNanosecondIsAnErrorNamingItsKey) {
  expect_error_names(try_config(11, {{"shelf_life_days", "0.1"}}, 1), "workload.shelf_life_days");
  EXPECT_TRUE(try_config(11, {{"shelf_life_days", "0.1"}}, 100).ok());
}

TEST(SupplyRegistryTest, TheRegistryBuildsTheSupplyWorkloadFromDefaults) {
  const WorkloadInfo* info = find_workload("supply");
  ASSERT_NE(info, nullptr);
  EXPECT_FALSE(info->summary.empty());
  const ParamValues values = ParamValues::defaults(info->params);
  WorkloadSetup setup;
  setup.seed = 1;
  setup.clients = 11;
  setup.validators = 4;
  Result<std::unique_ptr<Workload>> w = info->make(values, setup);
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ((*w)->kind_names().size(), kKindCount);
  EXPECT_TRUE((*w)->reacts_to_ledger());
  EXPECT_NE((*w)->make_contract(), nullptr);
  EXPECT_NE((*w)->make_metrics(), nullptr);
  setup.clients = 5;
  EXPECT_FALSE(info->make(values, setup).ok());
}

// ---- generator ----

TEST(SupplyWorkloadTest, KindNamesAreTheElevenKindsInCodeOrder) {
  SupplyWorkload w(config_with(11));
  ASSERT_EQ(w.kind_names().size(), kKindCount);
  for (std::uint16_t k = 0; k < kKindCount; ++k) EXPECT_EQ(w.kind_names()[k], kind_name(k));
}

TEST(SupplyWorkloadTest, AFreshManufacturerCommissionsTwoPalletsThenVerifiesAPlausibleSerial) {
  SupplyWorkload w(config_with(11, {{"counterfeit_fraction", "0"}}));
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 0);
  const TxDraft first = w.next_tx(0, 0, rng);
  ASSERT_EQ(first.kind, static_cast<std::uint16_t>(Kind::kCommission));
  const std::optional<Commission> c = decode_commission(first.payload);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->manufacturer, 0u);
  EXPECT_EQ(c->units.size(), 12u);
  EXPECT_EQ(c->units.front(), make_item(0, 0));
  EXPECT_EQ(c->lot, 0u);
  EXPECT_EQ(c->expiry_ns, 730 * 86'400 * kNsPerSec);
  EXPECT_EQ(first.payload.size(), 600u + 60u * 11u);
  const TxDraft second = w.next_tx(0, 1, rng);
  EXPECT_EQ(second.kind, static_cast<std::uint16_t>(Kind::kCommission));
  EXPECT_EQ(decode_commission(second.payload)->units.front(), make_item(0, 12));
  const TxDraft third = w.next_tx(0, 2, rng);
  ASSERT_EQ(third.kind, static_cast<std::uint16_t>(Kind::kVerify));
  const std::optional<Verify> v = decode_verify(third.payload);
  ASSERT_TRUE(v.has_value());
  EXPECT_LT(serial_of(v->epc), 12u);
  EXPECT_EQ(v->lot, 0u);
  EXPECT_EQ(third.payload.size(), 600u);
  EXPECT_EQ(w.pending_events(0), 2u);
}

// Feeds a draft's own outcome back to its client (and a ship to its destination).
void observe(SupplyWorkload& w, const TxDraft& d, ClientId client, TxOutcome outcome,
             std::uint64_t nonce = 0) {
  const Transaction tx = as_tx(d, client, nonce);
  for (ClientId c : w.watchers(tx)) w.on_observed(c, tx, outcome, 0);
}

TEST(SupplyWorkloadTest, AManufacturerPacksAndShipsOnlyWhatItSawApplied) {
  SupplyWorkload w(config_with(11, {{"counterfeit_fraction", "0"}}));
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 0);
  observe(w, w.next_tx(0, 0, rng), 0, TxOutcome::kApplied);  // 12 units confirmed
  EXPECT_EQ(w.stock_roots(0), 12u);
  std::vector<TxDraft> cases;
  for (int i = 0; i < 3; ++i) {
    cases.push_back(w.next_tx(0, 1, rng));
    ASSERT_EQ(cases.back().kind, static_cast<std::uint16_t>(Kind::kAggregate));
    EXPECT_EQ(decode_aggregate(cases.back().payload)->children.size(), 4u);
    EXPECT_EQ(cases.back().payload.size(), 600u + 60u * 4u);
  }
  // No case confirmed yet: nothing to pack into a pallet, so the second lot is commissioned.
  EXPECT_EQ(w.next_tx(0, 2, rng).kind, static_cast<std::uint16_t>(Kind::kCommission));
  for (const TxDraft& d : cases) observe(w, d, 0, TxOutcome::kApplied);
  const TxDraft pallet = w.next_tx(0, 3, rng);
  ASSERT_EQ(pallet.kind, static_cast<std::uint16_t>(Kind::kAggregate));
  EXPECT_EQ(decode_aggregate(pallet.payload)->children.size(), 3u);
  observe(w, pallet, 0, TxOutcome::kApplied);
  const TxDraft ship = w.next_tx(0, 4, rng);
  ASSERT_EQ(ship.kind, static_cast<std::uint16_t>(Kind::kShip));
  const std::optional<Ship> s = decode_ship(ship.payload);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->tree.size(), 16u);
  EXPECT_GE(s->destination, 2u);  // a wholesaler
  EXPECT_LT(s->destination, 5u);
  EXPECT_EQ(ship.payload.size(), 600u + 60u * 15u);
  // The destination learns the shipment and receives it next.
  const ClientId to = s->destination;
  observe(w, ship, 0, TxOutcome::kApplied);
  EXPECT_EQ(w.inbound_shipments(to), 1u);
  Rng wrng = Rng::stream(kSeed, RngDomain::kClient, to);
  const TxDraft receive = w.next_tx(to, 5, wrng);
  ASSERT_EQ(receive.kind, static_cast<std::uint16_t>(Kind::kReceive));
  EXPECT_EQ(decode_receive(receive.payload)->root, s->tree.front().epc);
}

TEST(SupplyWorkloadTest, AnHonestEventThatIsDeniedIsDroppedNotRetried) {
  SupplyWorkload w(config_with(11, {{"counterfeit_fraction", "0"}}));
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 0);
  observe(w, w.next_tx(0, 0, rng), 0, TxOutcome::kDenied);
  EXPECT_EQ(w.dropped_events(0), 1u);
  EXPECT_EQ(w.stock_roots(0), 0u);
  EXPECT_EQ(w.pending_events(0), 0u);
  // Production capacity was released: it commissions again.
  EXPECT_EQ(w.next_tx(0, 1, rng).kind, static_cast<std::uint16_t>(Kind::kCommission));
}

TEST(SupplyWorkloadTest, WatchersAreTheSignerAndAShipsDestinationAndNobodyForVerify) {
  SupplyWorkload w(config_with(11));
  Transaction ship;
  ship.client = 0;
  ship.payload = encode(Ship{0, 3, 1, Tree{TreeNode{make_container(0, 0), 0, 0, 0}}, {}});
  EXPECT_EQ(w.watchers(ship), (std::vector<ClientId>{0, 3}));
  Transaction dispense;
  dispense.client = 7;
  dispense.payload = encode(Dispense{7, make_item(0, 1), {}});
  EXPECT_EQ(w.watchers(dispense), (std::vector<ClientId>{7}));
  Transaction verify;
  verify.client = 7;
  verify.payload = encode(Verify{7, make_item(0, 1), 0, {}});
  EXPECT_TRUE(w.watchers(verify).empty());
  Transaction junk;
  junk.client = 7;
  junk.payload = Bytes{0xFF};
  EXPECT_TRUE(w.watchers(junk).empty());
}

TEST(SupplyWorkloadTest, AShipSeenByItsDestinationOnlyWhenAppliedBecomesInbound) {
  SupplyWorkload w(config_with(11));
  Transaction ship;
  ship.client = 0;
  ship.kind = static_cast<std::uint16_t>(Kind::kShip);
  ship.payload = encode(Ship{0, 3, 1, Tree{TreeNode{make_container(0, 0), 0, 0, 0}}, {}});
  w.on_observed(3, ship, TxOutcome::kDenied, 0);
  EXPECT_EQ(w.inbound_shipments(3), 0u);
  w.on_observed(3, ship, TxOutcome::kApplied, 0);
  EXPECT_EQ(w.inbound_shipments(3), 1u);
}

TEST(SupplyWorkloadTest, WithCounterfeitFractionOneEveryFreshClientForgesAnUnknownSerial) {
  // Nothing shipped or dispensed yet: only the unknown-serial type is possible; the others fall
  // back to honest drafts.
  SupplyWorkload w(config_with(11, {{"counterfeit_fraction", "1"}}));
  std::vector<Rng> rngs = client_rngs(11);
  MemoryStore store;
  std::unique_ptr<Contract> contract = w.make_contract();
  int forged = 0;
  for (int i = 0; i < 1'100; ++i) {
    const auto c = static_cast<ClientId>(i % 11);
    const TxDraft d = w.next_tx(c, 0, rngs[c]);
    if (d.kind < kFirstCounterfeitKind) continue;
    ++forged;
    EXPECT_EQ(d.kind, static_cast<std::uint16_t>(Kind::kCounterfeitUnknownSerial));
    EXPECT_EQ(d.payload.size(), 600u);
    EXPECT_EQ(contract->apply(store, as_tx(d, c, static_cast<std::uint64_t>(i)), 1).outcome,
              TxOutcome::kDenied);
  }
  EXPECT_GT(forged, 300);
  EXPECT_LT(forged, 500);  // a third of the draws, give or take
}

TEST(SupplyWorkloadTest, TheSameSeedGivesIdenticalDrafts) {
  SupplyWorkload a(config_with(11, {{"counterfeit_fraction", "0.2"}}));
  SupplyWorkload b(config_with(11, {{"counterfeit_fraction", "0.2"}}));
  std::vector<Rng> ra = client_rngs(11);
  std::vector<Rng> rb = client_rngs(11);
  for (int i = 0; i < 2'000; ++i) {
    const auto c = static_cast<ClientId>(i % 11);
    const TxDraft da = a.next_tx(c, i * kNsPerMs, ra[c]);
    const TxDraft db = b.next_tx(c, i * kNsPerMs, rb[c]);
    ASSERT_EQ(da.kind, db.kind) << i;
    ASSERT_EQ(da.payload, db.payload) << i;
  }
}

TEST(SupplyWorkloadTest, AClientsDraftsDependOnlyOnItsOwnStreamNotOnInterleaving) {
  const SupplyConfig config = config_with(11, {{"counterfeit_fraction", "0.2"}});
  SupplyWorkload alone(config);
  SupplyWorkload mixed(config);
  Rng rng_alone = Rng::stream(kSeed, RngDomain::kClient, 6);
  std::vector<Rng> rngs = client_rngs(11);
  std::vector<Bytes> seen_alone;
  for (int i = 0; i < 200; ++i) seen_alone.push_back(alone.next_tx(6, i, rng_alone).payload);
  std::vector<Bytes> seen_mixed;
  for (int i = 0; i < 200; ++i) {
    for (ClientId c = 0; c < 11; ++c) {
      const TxDraft d = mixed.next_tx(c, i, rngs[c]);
      if (c == 6) seen_mixed.push_back(d.payload);
    }
  }
  EXPECT_EQ(seen_alone, seen_mixed);
}

TEST(SupplyWorkloadTest, TheBigThreeWholesalersGetTheirShareOfPallets) {
  // Six wholesalers: the first three share 87% of the pallets evenly.
  SupplyWorkload w(config_with(
      12, {{"wholesalers", "6"}, {"manufacturers", "1"}, {"counterfeit_fraction", "0"}}));
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 0);
  std::map<std::uint32_t, int> to;
  int ships = 0;
  for (int i = 0; i < 40'000 && ships < 3'000; ++i) {
    const TxDraft d = w.next_tx(0, i, rng);
    observe(w, d, 0, TxOutcome::kApplied, static_cast<std::uint64_t>(i));
    if (d.kind == static_cast<std::uint16_t>(Kind::kShip)) {
      ++to[decode_ship(d.payload)->destination];
      ++ships;
    }
  }
  ASSERT_EQ(ships, 3'000);
  const int big = to[1] + to[2] + to[3];
  EXPECT_NEAR(big / 3'000.0, 0.87, 0.03);
  EXPECT_NEAR(to[1] / 3'000.0, 0.29, 0.03);
  for (const auto& [dest, n] : to) {
    EXPECT_GE(dest, 1u);
    EXPECT_LE(dest, 6u);
  }
}

TEST(SupplyWorkloadTest, NextTxForAClientThatIsNoOrganisationThrows) {
  SupplyWorkload w(config_with(11));
  Rng rng(1);
  EXPECT_THROW(w.next_tx(11, 0, rng), std::out_of_range);
}

}  // namespace
}  // namespace hlsim::supply
