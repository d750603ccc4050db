// SupplyContract rules: each allowed and each rejected case, derived custody, the audit trail.
#include "workloads/supply/supply_contract.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "workloads/supply/supply_epc.h"
#include "workloads/supply/supply_payloads.h"
#include "workloads/supply/supply_state.h"
#include "workloads/supply/supply_tree.h"

namespace hlsim::supply {
namespace {

// Organisations: manufacturers 0 and 1, wholesalers 2 and 3, pharmacies 4, 5 and 6.
constexpr Roles kRoles{2, 2, 7};
constexpr std::uint32_t kM = 0;
constexpr std::uint32_t kM2 = 1;
constexpr std::uint32_t kW = 2;
constexpr std::uint32_t kW2 = 3;
constexpr std::uint32_t kP = 4;
constexpr std::uint32_t kP2 = 5;
constexpr TimeNs kT0 = 1'000 * kNsPerSec;
constexpr TimeNs kExpiry = kT0 + 3'600 * kNsPerSec;
constexpr std::uint32_t kLot = 7;

std::uint64_t unit(std::uint64_t serial, std::uint32_t m = kM) { return make_item(m, serial); }
std::uint64_t box(std::uint64_t serial, std::uint32_t org = kM) {
  return make_container(org, serial);
}

class SupplyContractTest : public ::testing::Test {
 protected:
  // Applies `payload` signed by `client` at block time `t`.
  TxOutcome run(std::uint32_t client, Bytes payload, TimeNs t = kT0,
                std::uint16_t kind = static_cast<std::uint16_t>(Kind::kVerify)) {
    Transaction tx;
    tx.kind = kind;
    tx.client = client;
    tx.nonce = nonce_++;
    tx.payload = std::move(payload);
    tx.id.bytes[0] = static_cast<std::uint8_t>(client);
    tx.id.bytes[1] = static_cast<std::uint8_t>(tx.nonce);
    last_ = contract_.apply(store_, tx, t);
    return last_.outcome;
  }

  TxOutcome commission(std::uint32_t client, std::vector<std::uint64_t> units,
                       TimeNs expiry = kExpiry, std::uint32_t manufacturer = UINT32_MAX) {
    Commission p;
    p.manufacturer = manufacturer == UINT32_MAX ? client : manufacturer;
    p.lot = kLot;
    p.expiry_ns = expiry;
    p.units = std::move(units);
    return run(client, encode(p));
  }
  TxOutcome aggregate(std::uint32_t client, std::uint64_t parent,
                      std::vector<std::uint64_t> children) {
    return run(client, encode(Aggregate{client, parent, std::move(children), {}}));
  }
  TxOutcome ship(std::uint32_t client, std::uint32_t to, Tree tree) {
    return run(client, encode(Ship{client, to, 1, std::move(tree), {}}));
  }
  TxOutcome receive(std::uint32_t client, std::uint64_t root) {
    return run(client, encode(Receive{client, root, {}}));
  }
  TxOutcome unpack(std::uint32_t client, std::uint64_t container) {
    return run(client, encode(Unpack{client, container, {}}));
  }
  TxOutcome dispense(std::uint32_t client, std::uint64_t u, TimeNs t = kT0) {
    return run(client, encode(Dispense{client, u, {}}), t);
  }
  TxOutcome decommission(std::uint32_t client, std::uint64_t epc) {
    return run(client, encode(Decommission{client, epc, DecommissionReason::kDamaged, {}}));
  }
  TxOutcome verify(std::uint32_t client, std::uint64_t epc, std::uint32_t lot = kLot) {
    return run(client, encode(Verify{client, epc, lot, {}}));
  }

  std::optional<EpcState> epc(std::uint64_t e) const {
    const std::optional<std::string> raw = store_.get(epc_key(e));
    if (!raw) return std::nullopt;
    return decode_epc_state(*raw);
  }
  // The latest audit entry filed under `e`.
  std::optional<AuditEntry> last_audit(std::uint64_t e) const {
    const std::optional<std::string> next = store_.get(audit_next_key(e));
    if (!next) return std::nullopt;
    const std::uint64_t seq = decode_seq(*next).value();
    const std::optional<std::string> raw = store_.get(audit_key(e, seq - 1));
    if (!raw) return std::nullopt;
    return decode_audit_entry(*raw);
  }
  Reason last_reason(std::uint64_t e) const {
    const std::optional<AuditEntry> a = last_audit(e);
    return a ? a->reason : Reason::kNone;
  }

  // Manufacturer kM's pallet box(2) of cases box(0) (units 0-3) and box(1) (units 4-7).
  Tree unit_of(std::uint64_t serial) const { return unit_tree(unit(serial), kLot, kExpiry); }
  Tree case_tree(std::uint64_t c, std::uint64_t first) const {
    return pack(box(c),
                {unit_of(first), unit_of(first + 1), unit_of(first + 2), unit_of(first + 3)});
  }
  Tree pallet_tree() const { return pack(box(2), {case_tree(0, 0), case_tree(1, 4)}); }
  void make_pallet() {
    ASSERT_EQ(
        commission(kM, {unit(0), unit(1), unit(2), unit(3), unit(4), unit(5), unit(6), unit(7)}),
        TxOutcome::kApplied);
    ASSERT_EQ(aggregate(kM, box(0), {unit(0), unit(1), unit(2), unit(3)}), TxOutcome::kApplied);
    ASSERT_EQ(aggregate(kM, box(1), {unit(4), unit(5), unit(6), unit(7)}), TxOutcome::kApplied);
    ASSERT_EQ(aggregate(kM, box(2), {box(0), box(1)}), TxOutcome::kApplied);
  }
  // The pallet shipped to and received by kW, unpacked there; case box(0) shipped to and
  // received by kP, unpacked there: units 0-3 are loose at kP.
  void units_at_pharmacy() {
    make_pallet();
    ASSERT_EQ(ship(kM, kW, pallet_tree()), TxOutcome::kApplied);
    ASSERT_EQ(receive(kW, box(2)), TxOutcome::kApplied);
    ASSERT_EQ(unpack(kW, box(2)), TxOutcome::kApplied);
    ASSERT_EQ(ship(kW, kP, case_tree(0, 0)), TxOutcome::kApplied);
    ASSERT_EQ(receive(kP, box(0)), TxOutcome::kApplied);
    ASSERT_EQ(unpack(kP, box(0)), TxOutcome::kApplied);
  }

  SupplyContract contract_{kRoles};
  MemoryStore store_;
  ApplyResult last_;
  std::uint64_t nonce_ = 0;
};

// ---- commission ----

TEST_F(SupplyContractTest, CommissionByAManufacturerOfNewSerialsIsAppliedWithLotAndExpiry) {
  ASSERT_EQ(commission(kM, {unit(0), unit(1)}), TxOutcome::kApplied);
  EXPECT_EQ(last_.writes, 2u);
  const std::optional<EpcState> s = epc(unit(1));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->status, Status::kActive);
  EXPECT_EQ(s->owner, kM);
  EXPECT_EQ(s->parent, kNoParent);
  EXPECT_EQ(s->lot, kLot);
  EXPECT_EQ(s->expiry_ns, kExpiry);
  EXPECT_EQ(s->updated_ns, kT0);
}

TEST_F(SupplyContractTest, CommissionOfAnExistingSerialIsDeniedAndWritesNoNewUnit) {
  ASSERT_EQ(commission(kM, {unit(0)}), TxOutcome::kApplied);
  EXPECT_EQ(commission(kM, {unit(1), unit(0)}), TxOutcome::kDenied);
  EXPECT_FALSE(epc(unit(1)).has_value());
  EXPECT_EQ(last_reason(unit(0)), Reason::kAlreadyExists);
}

TEST_F(SupplyContractTest, CommissionByANonManufacturerIsDeniedForItsRole) {
  EXPECT_EQ(commission(kP, {unit(0, kP)}), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(0, kP)), Reason::kRoleNotAllowed);
  EXPECT_FALSE(epc(unit(0, kP)).has_value());
}

TEST_F(SupplyContractTest, CommissionInAnotherNameOrOfAnotherIssuersSerialsIsInvalid) {
  EXPECT_EQ(commission(kM, {unit(0)}, kExpiry, kM2), TxOutcome::kInvalid);
  EXPECT_EQ(commission(kM, {unit(0, kM2)}), TxOutcome::kInvalid);
  EXPECT_EQ(last_.writes, 0u);
}

TEST_F(SupplyContractTest, CommissionOfAContainerEpcDuplicatesOrNothingIsInvalid) {
  EXPECT_EQ(commission(kM, {box(0)}), TxOutcome::kInvalid);
  EXPECT_EQ(commission(kM, {unit(0), unit(0)}), TxOutcome::kInvalid);
  EXPECT_EQ(commission(kM, {}), TxOutcome::kInvalid);
  EXPECT_FALSE(epc(unit(0)).has_value());
}

TEST_F(SupplyContractTest, CommissionAlreadyExpiredAtBlockTimeIsInvalid) {
  EXPECT_EQ(commission(kM, {unit(0)}, kT0), TxOutcome::kInvalid);
  EXPECT_EQ(commission(kM, {unit(0)}, kT0 + 1), TxOutcome::kApplied);
}

// ---- aggregate ----

TEST_F(SupplyContractTest, AggregateOfOwnedLooseUnitsIsAppliedAndLinksEveryChild) {
  ASSERT_EQ(commission(kM, {unit(0), unit(1)}), TxOutcome::kApplied);
  ASSERT_EQ(aggregate(kM, box(0), {unit(0), unit(1)}), TxOutcome::kApplied);
  EXPECT_EQ(last_.writes, 3u);
  const std::optional<EpcState> c = epc(box(0));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->owner, kM);
  EXPECT_EQ(c->status, Status::kActive);
  EXPECT_EQ(c->children, (std::vector<std::uint64_t>{unit(0), unit(1)}));
  EXPECT_EQ(epc(unit(0))->parent, box(0));
  EXPECT_EQ(epc(unit(1))->parent, box(0));
}

TEST_F(SupplyContractTest, AggregateIntoAnExistingContainerIsDenied) {
  ASSERT_EQ(commission(kM, {unit(0), unit(1)}), TxOutcome::kApplied);
  ASSERT_EQ(aggregate(kM, box(0), {unit(0)}), TxOutcome::kApplied);
  EXPECT_EQ(aggregate(kM, box(0), {unit(1)}), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(0)), Reason::kAlreadyExists);
  EXPECT_EQ(epc(unit(1))->parent, kNoParent);
}

TEST_F(SupplyContractTest, AggregateOfAUnitAlreadyInAContainerIsDenied) {
  ASSERT_EQ(commission(kM, {unit(0)}), TxOutcome::kApplied);
  ASSERT_EQ(aggregate(kM, box(0), {unit(0)}), TxOutcome::kApplied);
  EXPECT_EQ(aggregate(kM, box(1), {unit(0)}), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(0)), Reason::kInsideContainer);
  EXPECT_FALSE(epc(box(1)).has_value());
}

TEST_F(SupplyContractTest, AggregateOfAnotherOrganisationsOrUnknownOrRetiredUnitIsDenied) {
  ASSERT_EQ(commission(kM2, {unit(0, kM2)}), TxOutcome::kApplied);
  EXPECT_EQ(aggregate(kM, box(0), {unit(0, kM2)}), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(0, kM2)), Reason::kNotOwner);
  EXPECT_EQ(aggregate(kM, box(0), {unit(9)}), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(9)), Reason::kUnknownEpc);
  ASSERT_EQ(commission(kM, {unit(1)}), TxOutcome::kApplied);
  ASSERT_EQ(decommission(kM, unit(1)), TxOutcome::kApplied);
  EXPECT_EQ(aggregate(kM, box(0), {unit(1)}), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(1)), Reason::kNotActive);
  EXPECT_FALSE(epc(box(0)).has_value());
}

TEST_F(SupplyContractTest, AggregateUnderAForeignOrItemParentOrWithBadChildrenIsInvalid) {
  ASSERT_EQ(commission(kM, {unit(0)}), TxOutcome::kApplied);
  EXPECT_EQ(aggregate(kM, box(0, kM2), {unit(0)}), TxOutcome::kInvalid);
  EXPECT_EQ(aggregate(kM, unit(5), {unit(0)}), TxOutcome::kInvalid);
  EXPECT_EQ(aggregate(kM, box(0), {}), TxOutcome::kInvalid);
  EXPECT_EQ(aggregate(kM, box(0), {unit(0), unit(0)}), TxOutcome::kInvalid);
  EXPECT_EQ(aggregate(kM, box(0), {box(0)}), TxOutcome::kInvalid);
  EXPECT_EQ(run(kM, encode(Aggregate{kM2, box(0), {unit(0)}, {}})), TxOutcome::kInvalid);
}

// ---- ship ----

TEST_F(SupplyContractTest, ShipOfAPalletWritesOnlyItsRootAndPutsTheWholeTreeInTransit) {
  make_pallet();
  const std::optional<EpcState> unit_before = epc(unit(5));
  ASSERT_EQ(ship(kM, kW, pallet_tree()), TxOutcome::kApplied);
  EXPECT_EQ(last_.writes, 1u);
  const std::optional<EpcState> root = epc(box(2));
  EXPECT_EQ(root->status, Status::kInTransit);
  EXPECT_EQ(root->destination, kW);
  EXPECT_EQ(root->owner, kM);  // the shipper owns it until receipt
  EXPECT_EQ(epc(unit(5)), unit_before);
  // Derived custody: a unit deep inside is in transit too, so the shipper can no longer use it.
  EXPECT_EQ(ship(kM, kW2, pallet_tree()), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(2)), Reason::kInTransit);
  EXPECT_EQ(verify(kP, unit(5)), TxOutcome::kApplied);
}

TEST_F(SupplyContractTest, ShipByANonOwnerIsDenied) {
  make_pallet();
  EXPECT_EQ(ship(kW, kP, pallet_tree()), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(2)), Reason::kNotOwner);
  EXPECT_EQ(epc(box(2))->status, Status::kActive);
}

TEST_F(SupplyContractTest, ShipOfACaseStillOnAPalletOrOfAnUnknownRootIsDenied) {
  make_pallet();
  EXPECT_EQ(ship(kM, kW, case_tree(0, 0)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(0)), Reason::kInsideContainer);
  EXPECT_EQ(ship(kM, kW, Tree{TreeNode{box(9), 0, 0, 0}}), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(9)), Reason::kUnknownEpc);
}

TEST_F(SupplyContractTest, ShipWhoseDeclaredContentsDifferFromTheLedgerIsDenied) {
  make_pallet();
  // A unit left out.
  Tree short_case = pack(box(0), {unit_of(0), unit_of(1), unit_of(2)});
  EXPECT_EQ(ship(kM, kW, pack(box(2), {short_case, case_tree(1, 4)})), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(2)), Reason::kContentsMismatch);
  // A wrong lot on one unit.
  Tree wrong_lot = pallet_tree();
  wrong_lot.back().lot = kLot + 1;
  EXPECT_EQ(ship(kM, kW, wrong_lot), TxOutcome::kDenied);
  // A wrong expiry on one unit.
  Tree wrong_expiry = pallet_tree();
  wrong_expiry.back().expiry_ns = kExpiry + 1;
  EXPECT_EQ(ship(kM, kW, wrong_expiry), TxOutcome::kDenied);
  // Cases swapped.
  EXPECT_EQ(ship(kM, kW, pack(box(2), {case_tree(1, 4), case_tree(0, 0)})), TxOutcome::kDenied);
  EXPECT_EQ(epc(box(2))->status, Status::kActive);
  EXPECT_EQ(ship(kM, kW, pallet_tree()), TxOutcome::kApplied);
}

TEST_F(SupplyContractTest, ShipToItselfToAnUnknownOrganisationOrInAnotherNameIsInvalid) {
  make_pallet();
  EXPECT_EQ(ship(kM, kM, pallet_tree()), TxOutcome::kInvalid);
  EXPECT_EQ(ship(kM, kRoles.organisations, pallet_tree()), TxOutcome::kInvalid);
  EXPECT_EQ(run(kM, encode(Ship{kM2, kW, 1, pallet_tree(), {}})), TxOutcome::kInvalid);
  EXPECT_EQ(epc(box(2))->status, Status::kActive);
}

// ---- receive ----

TEST_F(SupplyContractTest, ReceiveByTheDestinationMovesCustodyOfTheWholeTree) {
  make_pallet();
  ASSERT_EQ(ship(kM, kW, pallet_tree()), TxOutcome::kApplied);
  ASSERT_EQ(receive(kW, box(2)), TxOutcome::kApplied);
  EXPECT_EQ(last_.writes, 1u);
  const std::optional<EpcState> root = epc(box(2));
  EXPECT_EQ(root->owner, kW);
  EXPECT_EQ(root->status, Status::kActive);
  // The manufacturer lost custody of everything inside; the wholesaler has it.
  EXPECT_EQ(unpack(kM, box(2)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(2)), Reason::kNotOwner);
  EXPECT_EQ(ship(kW, kP, pallet_tree()), TxOutcome::kApplied);
}

TEST_F(SupplyContractTest, ReceiveByAnotherThanTheDestinationIsDenied) {
  make_pallet();
  ASSERT_EQ(ship(kM, kW, pallet_tree()), TxOutcome::kApplied);
  EXPECT_EQ(receive(kW2, box(2)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(2)), Reason::kNotDestination);
  EXPECT_EQ(receive(kM, box(2)), TxOutcome::kDenied);
  EXPECT_EQ(epc(box(2))->status, Status::kInTransit);
}

TEST_F(SupplyContractTest, ReceiveOfWhatIsNotInTransitOrNotARootOrUnknownIsDenied) {
  make_pallet();
  EXPECT_EQ(receive(kW, box(2)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(2)), Reason::kNotInTransit);
  ASSERT_EQ(ship(kM, kW, pallet_tree()), TxOutcome::kApplied);
  EXPECT_EQ(receive(kW, box(0)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(0)), Reason::kInsideContainer);
  EXPECT_EQ(receive(kW, box(9)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(9)), Reason::kUnknownEpc);
  ASSERT_EQ(receive(kW, box(2)), TxOutcome::kApplied);
  EXPECT_EQ(receive(kW, box(2)), TxOutcome::kDenied);  // a second receipt
  EXPECT_EQ(last_reason(box(2)), Reason::kNotInTransit);
}

TEST_F(SupplyContractTest, ReceiveInAnotherOrganisationsNameIsInvalid) {
  make_pallet();
  ASSERT_EQ(ship(kM, kW, pallet_tree()), TxOutcome::kApplied);
  EXPECT_EQ(run(kW2, encode(Receive{kW, box(2), {}})), TxOutcome::kInvalid);
  EXPECT_EQ(epc(box(2))->status, Status::kInTransit);
}

// ---- unpack ----

TEST_F(SupplyContractTest, UnpackFreesTheChildrenWithTheContainersCustodyAndRetiresIt) {
  make_pallet();
  ASSERT_EQ(ship(kM, kW, pallet_tree()), TxOutcome::kApplied);
  ASSERT_EQ(receive(kW, box(2)), TxOutcome::kApplied);
  ASSERT_EQ(unpack(kW, box(2)), TxOutcome::kApplied);
  EXPECT_EQ(last_.writes, 3u);
  for (std::uint64_t c : {box(0), box(1)}) {
    const std::optional<EpcState> s = epc(c);
    EXPECT_EQ(s->parent, kNoParent);
    EXPECT_EQ(s->owner, kW);
    EXPECT_EQ(s->status, Status::kActive);
  }
  EXPECT_EQ(epc(box(2))->status, Status::kUnpacked);
  EXPECT_TRUE(epc(box(2))->children.empty());
  EXPECT_EQ(epc(unit(0))->parent, box(0));  // grandchildren stay in their case
  EXPECT_EQ(unpack(kW, box(2)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(2)), Reason::kNotActive);
}

TEST_F(SupplyContractTest, UnpackByANonOwnerInTransitOrOfANestedCaseIsDenied) {
  make_pallet();
  EXPECT_EQ(unpack(kW, box(2)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(2)), Reason::kNotOwner);
  EXPECT_EQ(unpack(kM, box(0)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(0)), Reason::kInsideContainer);
  ASSERT_EQ(ship(kM, kW, pallet_tree()), TxOutcome::kApplied);
  EXPECT_EQ(unpack(kM, box(2)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(2)), Reason::kInTransit);
  EXPECT_EQ(unpack(kW, box(9)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(9)), Reason::kUnknownEpc);
}

TEST_F(SupplyContractTest, UnpackOfAUnitOrInAnotherNameIsInvalid) {
  make_pallet();
  EXPECT_EQ(unpack(kM, unit(0)), TxOutcome::kInvalid);
  EXPECT_EQ(run(kM, encode(Unpack{kM2, box(2), {}})), TxOutcome::kInvalid);
}

// ---- dispense ----

TEST_F(SupplyContractTest, DispenseOfALooseUnitInThePharmacysCustodyIsApplied) {
  units_at_pharmacy();
  ASSERT_EQ(dispense(kP, unit(2)), TxOutcome::kApplied);
  EXPECT_EQ(last_.writes, 1u);
  EXPECT_EQ(epc(unit(2))->status, Status::kDispensed);
  EXPECT_EQ(epc(unit(2))->owner, kP);
}

TEST_F(SupplyContractTest, ASecondDispenseOfTheSameUnitIsDenied) {
  units_at_pharmacy();
  ASSERT_EQ(dispense(kP, unit(2)), TxOutcome::kApplied);
  EXPECT_EQ(dispense(kP, unit(2)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(2)), Reason::kNotActive);
  EXPECT_EQ(dispense(kP2, unit(2)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(2)), Reason::kNotOwner);
}

TEST_F(SupplyContractTest, DispenseByAPharmacyThatDoesNotOwnTheUnitIsDenied) {
  units_at_pharmacy();
  EXPECT_EQ(dispense(kP2, unit(1)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(1)), Reason::kNotOwner);
  // A unit of the case still in the wholesaler's custody.
  EXPECT_EQ(dispense(kP, unit(5)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(5)), Reason::kNotOwner);
  EXPECT_EQ(epc(unit(1))->status, Status::kActive);
}

TEST_F(SupplyContractTest, DispenseFromAShipmentNotYetReceivedIsDenied) {
  make_pallet();
  ASSERT_EQ(ship(kM, kW, pallet_tree()), TxOutcome::kApplied);
  ASSERT_EQ(receive(kW, box(2)), TxOutcome::kApplied);
  ASSERT_EQ(unpack(kW, box(2)), TxOutcome::kApplied);
  ASSERT_EQ(ship(kW, kP, case_tree(0, 0)), TxOutcome::kApplied);
  EXPECT_EQ(dispense(kP, unit(0)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(0)), Reason::kNotOwner);
}

TEST_F(SupplyContractTest, DispenseOfAUnitStillInItsCaseIsDenied) {
  make_pallet();
  ASSERT_EQ(ship(kM, kW, pallet_tree()), TxOutcome::kApplied);
  ASSERT_EQ(receive(kW, box(2)), TxOutcome::kApplied);
  ASSERT_EQ(unpack(kW, box(2)), TxOutcome::kApplied);
  ASSERT_EQ(ship(kW, kP, case_tree(0, 0)), TxOutcome::kApplied);
  ASSERT_EQ(receive(kP, box(0)), TxOutcome::kApplied);
  EXPECT_EQ(dispense(kP, unit(0)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(0)), Reason::kInsideContainer);
}

TEST_F(SupplyContractTest, DispenseByANonPharmacyOfItsOwnLooseUnitIsDeniedForItsRole) {
  ASSERT_EQ(commission(kM, {unit(0)}), TxOutcome::kApplied);
  EXPECT_EQ(dispense(kM, unit(0)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(0)), Reason::kRoleNotAllowed);
  EXPECT_EQ(epc(unit(0))->status, Status::kActive);
}

TEST_F(SupplyContractTest, DispenseJustBeforeExpiryIsAppliedAndAtExpiryIsDenied) {
  units_at_pharmacy();
  EXPECT_EQ(dispense(kP, unit(0), kExpiry), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(0)), Reason::kExpired);
  EXPECT_EQ(dispense(kP, unit(0), kExpiry - 1), TxOutcome::kApplied);
}

TEST_F(SupplyContractTest, DispenseOfANeverCommissionedSerialIsDenied) {
  const std::uint64_t fake = make_item(kM, kUnissuedSerialBit | 12345);
  EXPECT_EQ(dispense(kP, fake), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(fake), Reason::kUnknownEpc);
  EXPECT_FALSE(epc(fake).has_value());
}

TEST_F(SupplyContractTest, DispenseOfAContainerOrInAnotherPharmacysNameIsInvalid) {
  units_at_pharmacy();
  EXPECT_EQ(dispense(kP, box(0)), TxOutcome::kInvalid);
  EXPECT_EQ(run(kP2, encode(Dispense{kP, unit(0), {}})), TxOutcome::kInvalid);
  EXPECT_EQ(epc(unit(0))->status, Status::kActive);
}

// ---- decommission ----

TEST_F(SupplyContractTest, DecommissionOfAPalletRetiresEveryUnitInItByDerivedCustody) {
  make_pallet();
  ASSERT_EQ(verify(kP, unit(1)), TxOutcome::kApplied);
  ASSERT_EQ(decommission(kM, box(2)), TxOutcome::kApplied);
  EXPECT_EQ(last_.writes, 1u);
  EXPECT_EQ(epc(box(2))->status, Status::kDecommissioned);
  EXPECT_EQ(verify(kP, unit(1)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(1)), Reason::kNotActive);
  EXPECT_EQ(ship(kM, kW, pallet_tree()), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(2)), Reason::kNotActive);
}

TEST_F(SupplyContractTest, DecommissionByANonOwnerOrOfANestedOrUnknownEpcIsDenied) {
  make_pallet();
  EXPECT_EQ(decommission(kW, box(2)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(box(2)), Reason::kNotOwner);
  EXPECT_EQ(decommission(kM, unit(0)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(0)), Reason::kInsideContainer);
  EXPECT_EQ(decommission(kM, unit(99)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(99)), Reason::kUnknownEpc);
  EXPECT_EQ(run(kW, encode(Decommission{kM, box(2), DecommissionReason::kStolen, {}})),
            TxOutcome::kInvalid);
  EXPECT_EQ(epc(box(2))->status, Status::kActive);
}

// ---- verify ----

TEST_F(SupplyContractTest, VerifyOfAnActiveUnitWithItsLotIsAppliedAndAudited) {
  ASSERT_EQ(commission(kM, {unit(0)}), TxOutcome::kApplied);
  ASSERT_EQ(verify(kW, unit(0)), TxOutcome::kApplied);
  EXPECT_EQ(last_.writes, 2u);  // the audit entry and the next sequence number
  const std::optional<AuditEntry> a = last_audit(unit(0));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->client, kW);
  EXPECT_EQ(a->time_ns, kT0);
  EXPECT_EQ(a->op, Op::kVerify);
  EXPECT_EQ(a->decision, AuditDecision::kApplied);
  EXPECT_EQ(a->reason, Reason::kNone);
  EXPECT_EQ(a->tx_id.bytes[0], kW);
  ASSERT_EQ(verify(kP, unit(0)), TxOutcome::kApplied);
  EXPECT_TRUE(store_.get(audit_key(unit(0), 1)).has_value());
}

TEST_F(SupplyContractTest, VerifyOfAUnitInTransitOrOfAContainerIsApplied) {
  make_pallet();
  ASSERT_EQ(ship(kM, kW, pallet_tree()), TxOutcome::kApplied);
  EXPECT_EQ(verify(kP, unit(3)), TxOutcome::kApplied);
  EXPECT_EQ(verify(kP, box(2), 0), TxOutcome::kApplied);
  EXPECT_EQ(verify(kP, box(1), 12345), TxOutcome::kApplied);  // lots are only for units
}

TEST_F(SupplyContractTest, VerifyOfAnUnknownDispensedOrWrongLotUnitIsDenied) {
  units_at_pharmacy();
  const std::uint64_t fake = make_item(kM2, kUnissuedSerialBit | 7);
  EXPECT_EQ(verify(kW, fake), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(fake), Reason::kUnknownEpc);
  EXPECT_EQ(verify(kW, unit(0), kLot + 1), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(0)), Reason::kLotMismatch);
  ASSERT_EQ(dispense(kP, unit(0)), TxOutcome::kApplied);
  EXPECT_EQ(verify(kW, unit(0)), TxOutcome::kDenied);
  EXPECT_EQ(last_reason(unit(0)), Reason::kNotActive);
  EXPECT_EQ(verify(kW, box(0), 0), TxOutcome::kDenied);  // an unpacked case is retired
}

TEST_F(SupplyContractTest, VerifyInAnotherOrganisationsNameIsInvalidAndNotAudited) {
  ASSERT_EQ(commission(kM, {unit(0)}), TxOutcome::kApplied);
  EXPECT_EQ(run(kW, encode(Verify{kW2, unit(0), kLot, {}})), TxOutcome::kInvalid);
  EXPECT_EQ(last_.writes, 0u);
  EXPECT_FALSE(last_audit(unit(0)).has_value());
}

// ---- everything ----

TEST_F(SupplyContractTest, DenialsAreAuditedUnderTheirEpcWithOpAndReason) {
  make_pallet();
  ASSERT_EQ(ship(kW, kP, pallet_tree()), TxOutcome::kDenied);
  EXPECT_EQ(last_.writes, 2u);
  const std::optional<AuditEntry> a = last_audit(box(2));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->client, kW);
  EXPECT_EQ(a->op, Op::kShip);
  EXPECT_EQ(a->decision, AuditDecision::kDenied);
  EXPECT_EQ(a->reason, Reason::kNotOwner);
}

TEST_F(SupplyContractTest, TheKindLabelDoesNotChangeTheVerdict) {
  units_at_pharmacy();
  const auto counterfeit = static_cast<std::uint16_t>(Kind::kCounterfeitDoubleDispense);
  EXPECT_EQ(run(kP, encode(Dispense{kP, unit(0), {}}), kT0, counterfeit), TxOutcome::kApplied);
  const auto honest = static_cast<std::uint16_t>(Kind::kDispense);
  EXPECT_EQ(run(kP, encode(Dispense{kP, unit(0), {}}), kT0, honest), TxOutcome::kDenied);
}

TEST_F(SupplyContractTest, ATransactionFromAClientThatIsNoOrganisationIsInvalid) {
  Commission p{kRoles.organisations, 0, kExpiry, {make_item(kRoles.organisations, 0)}, {}};
  EXPECT_EQ(run(kRoles.organisations, encode(p)), TxOutcome::kInvalid);
  EXPECT_EQ(store_.key_count(), 0u);
}

TEST_F(SupplyContractTest, EveryTruncationAndATrailingByteOfEveryOperationIsInvalid) {
  make_pallet();
  // Each payload signed by its acting party, so only the cut or the extra byte makes it invalid.
  const std::vector<std::pair<std::uint32_t, Bytes>> payloads = {
      {kM, encode(Commission{kM, kLot, kExpiry, {unit(50)}, Bytes(3, 1)})},
      {kM, encode(Aggregate{kM, box(7), {unit(0)}, Bytes(3, 1)})},
      {kM, encode(Ship{kM, kW, 1, pallet_tree(), Bytes(3, 1)})},
      {kW, encode(Receive{kW, box(2), Bytes(3, 1)})},
      {kM, encode(Unpack{kM, box(2), Bytes(3, 1)})},
      {kP, encode(Dispense{kP, unit(0), Bytes(3, 1)})},
      {kM, encode(Decommission{kM, box(2), DecommissionReason::kRecalled, Bytes(3, 1)})},
      {kW, encode(Verify{kW, unit(0), kLot, Bytes(3, 1)})},
  };
  const std::uint64_t keys = store_.key_count();
  const std::uint64_t bytes = store_.bytes();
  for (const auto& [client, payload] : payloads) {
    for (std::size_t len = 0; len < payload.size(); ++len) {
      const Bytes cut(payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(len));
      EXPECT_EQ(run(client, cut), TxOutcome::kInvalid)
          << "op " << int{payload[0]} << " cut at " << len;
    }
    Bytes longer = payload;
    longer.push_back(0);
    EXPECT_EQ(run(client, longer), TxOutcome::kInvalid) << "op " << int{payload[0]};
  }
  EXPECT_EQ(store_.key_count(), keys);
  EXPECT_EQ(store_.bytes(), bytes);
}

TEST_F(SupplyContractTest, AnUnknownOperationCodeIsInvalid) {
  Bytes p = encode(Verify{kW, unit(0), kLot, {}});
  p[0] = kOpCount;
  EXPECT_EQ(run(kW, p), TxOutcome::kInvalid);
  EXPECT_EQ(run(kW, Bytes{}), TxOutcome::kInvalid);
}

TEST(SupplyContractConstructionTest, InconsistentRolesThrow) {
  EXPECT_THROW(SupplyContract(Roles{0, 0, 0}), std::invalid_argument);
  EXPECT_THROW(SupplyContract(Roles{3, 2, 4}), std::invalid_argument);
  EXPECT_NO_THROW(SupplyContract(Roles{1, 0, 2}));
}

}  // namespace
}  // namespace hlsim::supply
