// Supply payloads, stored values, EPC ids and containment trees: round trips and malformed input.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/encoding.h"
#include "workloads/supply/supply_epc.h"
#include "workloads/supply/supply_payloads.h"
#include "workloads/supply/supply_state.h"
#include "workloads/supply/supply_tree.h"

namespace hlsim::supply {
namespace {

Tree sample_pallet() {
  std::vector<Tree> cases;
  for (std::uint64_t c = 0; c < 2; ++c) {
    std::vector<Tree> units;
    for (std::uint64_t u = 0; u < 3; ++u) {
      units.push_back(unit_tree(make_item(1, c * 3 + u), 4, 5'000 + static_cast<TimeNs>(u)));
    }
    cases.push_back(pack(make_container(1, c), units));
  }
  return pack(make_container(1, 9), cases);
}

TEST(SupplyEpcTest, IdsCarryTypeIssuerAndSerial) {
  const std::uint64_t u = make_item(5, 42);
  const std::uint64_t c = make_container(kMaxOrganisations - 1, kSerialMask);
  EXPECT_FALSE(is_container(u));
  EXPECT_TRUE(is_container(c));
  EXPECT_EQ(issuer_of(u), 5u);
  EXPECT_EQ(serial_of(u), 42u);
  EXPECT_EQ(issuer_of(c), kMaxOrganisations - 1);
  EXPECT_EQ(serial_of(c), kSerialMask);
  EXPECT_NE(make_item(5, 42), make_container(5, 42));
  EXPECT_NE(make_item(5, 42), make_item(6, 42));
  EXPECT_FALSE(is_container(kNoParent));
}

TEST(SupplyEpcTest, RolesFollowTheOrganisationIndex) {
  constexpr Roles r{2, 3, 8};
  EXPECT_EQ(r.of(0), Role::kManufacturer);
  EXPECT_EQ(r.of(1), Role::kManufacturer);
  EXPECT_EQ(r.of(2), Role::kWholesaler);
  EXPECT_EQ(r.of(4), Role::kWholesaler);
  EXPECT_EQ(r.of(5), Role::kPharmacy);
  EXPECT_EQ(r.first_pharmacy(), 5u);
  EXPECT_EQ(r.pharmacies(), 3u);
}

TEST(SupplyPayloadTest, EveryOperationRoundTripsAndStartsWithItsCode) {
  const Commission c{3, 17, 123'456, {make_item(3, 0), make_item(3, 1)}, Bytes(5, 9)};
  const Bytes ce = encode(c);
  EXPECT_EQ(payload_op(ce), Op::kCommission);
  const std::optional<Commission> cd = decode_commission(ce);
  ASSERT_TRUE(cd.has_value());
  EXPECT_EQ(cd->manufacturer, 3u);
  EXPECT_EQ(cd->lot, 17u);
  EXPECT_EQ(cd->expiry_ns, 123'456);
  EXPECT_EQ(cd->units, c.units);
  EXPECT_EQ(cd->fill, c.fill);
  EXPECT_EQ(ce.size(), 1 + 4 + 4 + 8 + 4 + 16 + 4 + 5u);

  const Aggregate a{3, make_container(3, 7), {make_item(3, 0)}, {}};
  const std::optional<Aggregate> ad = decode_aggregate(encode(a));
  ASSERT_TRUE(ad.has_value());
  EXPECT_EQ(ad->parent, a.parent);
  EXPECT_EQ(ad->children, a.children);

  const Ship s{3, 4, 99, sample_pallet(), Bytes(2, 0)};
  const std::optional<Ship> sd = decode_ship(encode(s));
  ASSERT_TRUE(sd.has_value());
  EXPECT_EQ(sd->owner, 3u);
  EXPECT_EQ(sd->destination, 4u);
  EXPECT_EQ(sd->po, 99u);
  EXPECT_EQ(sd->tree, s.tree);
  EXPECT_EQ(payload_subject(encode(s)), s.tree.front().epc);

  const std::optional<Receive> rd = decode_receive(encode(Receive{4, 77, {}}));
  ASSERT_TRUE(rd.has_value());
  EXPECT_EQ(rd->receiver, 4u);
  EXPECT_EQ(rd->root, 77u);
  const std::optional<Unpack> ud = decode_unpack(encode(Unpack{4, 78, {}}));
  ASSERT_TRUE(ud.has_value());
  EXPECT_EQ(ud->container, 78u);
  const std::optional<Dispense> dd = decode_dispense(encode(Dispense{6, 79, {}}));
  ASSERT_TRUE(dd.has_value());
  EXPECT_EQ(dd->pharmacy, 6u);
  EXPECT_EQ(dd->unit, 79u);
  const std::optional<Decommission> xd =
      decode_decommission(encode(Decommission{6, 80, DecommissionReason::kRecalled, {}}));
  ASSERT_TRUE(xd.has_value());
  EXPECT_EQ(xd->reason, DecommissionReason::kRecalled);
  const std::optional<Verify> vd = decode_verify(encode(Verify{2, 81, 33, {}}));
  ASSERT_TRUE(vd.has_value());
  EXPECT_EQ(vd->requester, 2u);
  EXPECT_EQ(vd->epc, 81u);
  EXPECT_EQ(vd->lot, 33u);
}

TEST(SupplyPayloadTest, SubjectsAreTheEpcEachOperationIsAbout) {
  EXPECT_EQ(payload_subject(encode(Commission{0, 0, 1, {11, 12}, {}})), 11u);
  EXPECT_EQ(payload_subject(encode(Aggregate{0, 13, {11}, {}})), 13u);
  EXPECT_EQ(payload_subject(encode(Receive{0, 14, {}})), 14u);
  EXPECT_EQ(payload_subject(encode(Unpack{0, 15, {}})), 15u);
  EXPECT_EQ(payload_subject(encode(Dispense{0, 16, {}})), 16u);
  EXPECT_EQ(payload_subject(encode(Decommission{0, 17, DecommissionReason::kOther, {}})), 17u);
  EXPECT_EQ(payload_subject(encode(Verify{0, 18, 0, {}})), 18u);
  EXPECT_EQ(payload_subject(encode(Commission{0, 0, 1, {}, {}})), std::nullopt);
  EXPECT_EQ(payload_subject(Bytes{}), std::nullopt);
}

TEST(SupplyPayloadTest, ADecoderRefusesAnotherOperationsPayload) {
  const Bytes receive = encode(Receive{4, 77, {}});
  EXPECT_FALSE(decode_unpack(receive).has_value());
  EXPECT_FALSE(decode_dispense(receive).has_value());
  EXPECT_TRUE(decode_receive(receive).has_value());
}

TEST(SupplyPayloadTest, TruncationsAndTrailingBytesAreRejected) {
  const Bytes ship = encode(Ship{3, 4, 99, sample_pallet(), Bytes(2, 0)});
  for (std::size_t len = 0; len < ship.size(); ++len) {
    EXPECT_FALSE(decode_ship(ByteView(ship.data(), len)).has_value()) << len;
  }
  Bytes longer = ship;
  longer.push_back(0);
  EXPECT_FALSE(decode_ship(longer).has_value());
  const Bytes commission = encode(Commission{3, 1, 2, {make_item(3, 0)}, {}});
  for (std::size_t len = 0; len < commission.size(); ++len) {
    EXPECT_FALSE(decode_commission(ByteView(commission.data(), len)).has_value()) << len;
  }
}

TEST(SupplyPayloadTest, AnUnknownDecommissionReasonIsRejected) {
  Bytes p = encode(Decommission{1, 2, DecommissionReason::kOther, {}});
  p[1 + 4 + 8] = kDecommissionReasonCount;
  EXPECT_FALSE(decode_decommission(p).has_value());
}

TEST(SupplyPayloadTest, HugeCountsAreRejectedWithoutAllocating) {
  Writer w;
  w.u8(static_cast<std::uint8_t>(Op::kCommission));
  w.u32(0);
  w.u32(0);
  w.i64(1);
  w.u32(0xFFFFFFFFu);  // units count
  EXPECT_FALSE(decode_commission(w.data()).has_value());
  Writer s;
  s.u8(static_cast<std::uint8_t>(Op::kShip));
  s.u32(0);
  s.u32(1);
  s.u64(0);
  s.u32(kMaxEpcsPerEvent);  // node count with no nodes behind it
  EXPECT_FALSE(decode_ship(s.data()).has_value());
  Writer f;
  f.u8(static_cast<std::uint8_t>(Op::kReceive));
  f.u32(0);
  f.u64(0);
  f.u32(kMaxFillBytes + 1);  // fill length
  EXPECT_FALSE(decode_receive(f.data()).has_value());
}

// Encodes a ship whose tree is `nodes` as given (no shape check on the way out).
Bytes raw_ship(const Tree& nodes) { return encode(Ship{0, 1, 0, nodes, {}}); }

TEST(SupplyPayloadTest, MalformedTreesAreRejected) {
  const std::uint64_t c = make_container(0, 1);
  const std::uint64_t u = make_item(0, 1);
  EXPECT_TRUE(decode_ship(raw_ship({{c, 1, 0, 0}, {u, 0, 1, 2}})).has_value());
  EXPECT_FALSE(decode_ship(raw_ship({})).has_value());                            // empty
  EXPECT_FALSE(decode_ship(raw_ship({{c, 2, 0, 0}, {u, 0, 1, 2}})).has_value());  // child missing
  EXPECT_FALSE(decode_ship(raw_ship({{c, 0, 0, 0}, {u, 0, 1, 2}})).has_value());  // node left over
  EXPECT_FALSE(decode_ship(raw_ship({{u, 1, 0, 0}, {u, 0, 1, 2}})).has_value());  // unit with child
}

TEST(SupplyTreeTest, PackSplitHeightAndUnitCountAgree) {
  const Tree pallet = sample_pallet();
  EXPECT_EQ(pallet.size(), 9u);
  EXPECT_EQ(tree_height(pallet), 2);
  EXPECT_EQ(units_in(pallet), 6u);
  const std::vector<Tree> cases = child_subtrees(pallet);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(tree_height(cases[0]), 1);
  EXPECT_EQ(units_in(cases[1]), 3u);
  EXPECT_EQ(pack(pallet.front().epc, cases), pallet);
  EXPECT_EQ(subtree_end(pallet, 1), 5u);
  EXPECT_EQ(subtree_end(pallet, 0), pallet.size());
  const Tree unit = unit_tree(make_item(0, 3), 1, 2);
  EXPECT_EQ(tree_height(unit), 0);
  EXPECT_TRUE(child_subtrees(unit).empty());
}

TEST(SupplyStateTest, KeysAreFixedWidthHexSoByteOrderIsNumericOrder) {
  EXPECT_EQ(epc_key(0x1A), "sup/epc/000000000000001a");
  EXPECT_LT(epc_key(9), epc_key(10));
  EXPECT_EQ(audit_key(1, 2), "sup/audit/0000000000000001/0000000000000002");
  EXPECT_EQ(audit_next_key(1), "sup/audit_next/0000000000000001");
}

TEST(SupplyStateTest, StoredValuesRoundTripAndRejectTrailingBytesOrBadCodes) {
  EpcState s;
  s.status = Status::kInTransit;
  s.owner = 3;
  s.destination = 4;
  s.parent = make_container(3, 1);
  s.lot = 5;
  s.expiry_ns = 6;
  s.updated_ns = 7;
  s.children = {8, 9};
  const std::string sv = encode_value(s);
  EXPECT_EQ(decode_epc_state(sv), s);
  EXPECT_FALSE(decode_epc_state(sv + "x").has_value());
  EXPECT_FALSE(decode_epc_state(sv.substr(0, sv.size() - 1)).has_value());
  std::string bad_status = sv;
  bad_status[0] = static_cast<char>(kStatusCount);
  EXPECT_FALSE(decode_epc_state(bad_status).has_value());

  AuditEntry a;
  a.client = 2;
  a.time_ns = 3;
  a.op = Op::kShip;
  a.decision = AuditDecision::kDenied;
  a.reason = Reason::kContentsMismatch;
  a.tx_id.bytes[5] = 1;
  const std::string av = encode_value(a);
  EXPECT_EQ(decode_audit_entry(av), a);
  EXPECT_FALSE(decode_audit_entry(av + "x").has_value());
  std::string bad_reason = av;
  bad_reason[4 + 8 + 2] = static_cast<char>(kReasonCount);
  EXPECT_FALSE(decode_audit_entry(bad_reason).has_value());

  EXPECT_EQ(decode_seq(encode_seq(41)), 41u);
  EXPECT_FALSE(decode_seq("abc").has_value());
  EXPECT_STREQ(to_string(Reason::kNotOwner), "not_owner");
}

TEST(SupplyPayloadTest, KindNamesFollowTheKindCodes) {
  EXPECT_STREQ(kind_name(0), "commission");
  EXPECT_STREQ(kind_name(7), "verify");
  EXPECT_STREQ(kind_name(8), "counterfeit_unknown_serial");
  EXPECT_STREQ(kind_name(9), "counterfeit_double_dispense");
  EXPECT_STREQ(kind_name(10), "counterfeit_broken_custody");
  EXPECT_EQ(kind_name(kKindCount), nullptr);
}

}  // namespace
}  // namespace hlsim::supply
