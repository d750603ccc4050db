// The drug supply chain contract: DSCSA-style custody rules over GS1 EPCIS events. State layout
// (including derived custody): workloads/supply/supply_state.h. Payloads: supply_payloads.h.
//
// Organisations are the clients; their roles (manufacturer, wholesaler, pharmacy) come from
// Roles (supply_epc.h). The signer is the transaction's `client`, which the node verified; every
// payload names its acting party, which must be the signer. The contract dispatches on the
// payload's operation code, never on the kind label, so an injected counterfeit is judged on its
// payload and the state like any other event.
//
// Outcomes. kInvalid (no effect): the payload does not decode, the client is no organisation, the
// acting party is not the signer, or the payload is impossible in itself (an EPC of the wrong type
// or issuer, duplicates, an empty list, a ship to oneself or to an unknown organisation, a
// commission already expired at block time). kDenied: the state or the signer's role says no; the
// denial is recorded as an audit entry under the EPC concerned, with its Reason. kApplied: the
// effects below were written.
//
// "Custody" of an EPC means: its root's owner is the signer (else kNotOwner), the root is not in
// transit (kInTransit) and is active (kNotActive). A "root" has no parent container.
//   commission   signer is a manufacturer (kRoleNotAllowed); every unit is a saleable-unit EPC
//                issued by the signer (else invalid) and new (kAlreadyExists). Writes each unit
//                active, owned by the signer, with lot and expiry.
//   aggregate    parent is a container EPC issued by the signer (else invalid) and new
//                (kAlreadyExists); every child exists (kUnknownEpc), is a root (kInsideContainer)
//                in the signer's custody. Writes the parent (active, owned, its children) and each
//                child's parent link.
//   ship         destination is another known organisation (else invalid); the root exists, is a
//                root, in the signer's custody; the declared tree is exactly the ledger's
//                containment tree with the units' lots and expiries (kContentsMismatch). Writes
//                the root in transit to the destination; the shipper stays owner until receipt.
//   receive      the root exists, is a root, is in transit (kNotInTransit) to the signer
//                (kNotDestination). Writes the signer as owner, active.
//   unpack       a container EPC (else invalid) that is a root in the signer's custody. Writes
//                each child as a root, active, owned by the signer; the container as kUnpacked.
//   dispense     a saleable-unit EPC (else invalid) in the signer's custody, a root
//   (kInsideContainer),
//                the signer a pharmacy (kRoleNotAllowed), block time < expiry (kExpired). Writes
//                the unit kDispensed.
//   decommission a root in the signer's custody. Writes it kDecommissioned (and with it, by
//                derived custody, its whole subtree).
//   verify       anyone: kApplied if the EPC exists, its root is active or in transit (kNotActive
//                otherwise: dispensed, decommissioned, unpacked) and, for a saleable unit, the lot
//                matches (kLotMismatch); kDenied otherwise. Writes only its audit entry.
//
// Deterministic: reads only the state, the transaction and the block time. Stateless itself;
// apply() is not safe to call concurrently on the same store.
#pragma once

#include "workloads/contract.h"
#include "workloads/supply/supply_epc.h"

namespace hlsim::supply {

class SupplyContract final : public Contract {
 public:
  // REQUIRES: roles.organisations >= 1 and <= kMaxOrganisations,
  // manufacturers + wholesalers <= organisations.
  explicit SupplyContract(Roles roles);

  ApplyResult apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) override;

  const Roles& roles() const { return roles_; }

 private:
  Roles roles_;
};

}  // namespace hlsim::supply
