// Transaction kinds and payload encodings of the drug supply chain (DSCSA track and trace)
// workload.
//
// Each payload stands for one GS1 EPCIS event (or DSCSA request) and starts with a u8 operation
// code; the contract dispatches on that code and never on the transaction's kind, which is only
// an accounting label (an injected counterfeit carries a counterfeit kind but an ordinary
// operation, and is judged like any other). All integers are little-endian (ledger/encoding.h);
// `list` is a u32 count followed by that many u64 EPCs (supply_epc.h); `fill` is a u32 length
// followed by padding bytes.
//
//   op 0 commission   [ObjectEvent ADD, bizStep commissioning, ilmd lot + expiry]
//                     u32 manufacturer | u32 lot | i64 expiry_ns | list units | fill
//   op 1 aggregate    [AggregationEvent ADD, bizStep packing]
//                     u32 owner | u64 parent | list children | fill
//   op 2 ship         [ObjectEvent OBSERVE shipping + TransactionEvent po/desadv; the source and
//                     destination owning parties]
//                     u32 owner | u32 destination | u64 po | u32 node_count | nodes | fill
//                     where nodes is the shipped containment tree in preorder, root first, each
//                     node u64 epc | u32 child_count and, for a saleable unit only, u32 lot |
//                     i64 expiry_ns (the DSCSA transaction information that travels with it)
//   op 3 receive      [ObjectEvent OBSERVE receiving]        u32 receiver | u64 root | fill
//   op 4 unpack       [AggregationEvent DELETE, unpacking]   u32 owner | u64 container | fill
//   op 5 dispense     [ObjectEvent DELETE, bizStep dispensing, disposition dispensed: the unit
//                     leaves the supply chain to a patient, so its EPC is retired]
//                     u32 pharmacy | u64 unit | fill
//   op 6 decommission [ObjectEvent DELETE, bizStep decommissioning]
//                     u32 owner | u64 epc | u8 reason | fill
//   op 7 verify       [DSCSA product identifier verification request, e.g. a saleable return]
//                     u32 requester | u64 epc | u32 lot | fill
//
// The fill stands for the rest of the EPCIS JSON (eventTime, readPoint, bizLocation, ...): the
// generator pads each payload to event_bytes + epc_bytes per EPC beyond the first, so ledger
// bytes follow GS1's examples. The contract never reads it.
//
// Decoders accept only an exact encoding of their own operation: a wrong operation code,
// truncated input, trailing bytes, an unknown reason, a list longer than kMaxEpcsPerEvent or the
// input could hold, a fill above kMaxFillBytes, or a tree that is not one well-formed preorder
// tree (a saleable unit with children, nodes left over or missing) give nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ledger/bytes.h"

namespace hlsim::supply {

// Kind codes: the index into SupplyWorkload::kind_names(). The honest kinds' codes equal their
// operation codes; the counterfeit kinds reuse those operations. The order is fixed.
enum class Kind : std::uint16_t {
  kCommission = 0,
  kAggregate = 1,
  kShip = 2,
  kReceive = 3,
  kUnpack = 4,
  kDispense = 5,
  kDecommission = 6,
  kVerify = 7,
  kCounterfeitUnknownSerial = 8,   // dispense / receive / verify of a never-commissioned EPC
  kCounterfeitDoubleDispense = 9,  // dispense of an already dispensed unit
  kCounterfeitBrokenCustody = 10,  // ship or dispense by a non-owner, receive by the wrong party
};
inline constexpr std::uint16_t kKindCount = 11;
inline constexpr std::uint16_t kFirstCounterfeitKind = 8;
inline constexpr std::uint16_t kCounterfeitKindCount = 3;
// "commission", ..., "counterfeit_broken_custody"; nullptr if out of range.
const char* kind_name(std::uint16_t kind);

enum class Op : std::uint8_t {
  kCommission = 0,
  kAggregate = 1,
  kShip = 2,
  kReceive = 3,
  kUnpack = 4,
  kDispense = 5,
  kDecommission = 6,
  kVerify = 7,
};
inline constexpr std::uint8_t kOpCount = 8;

// Why an owner takes units out (EPCIS disposition of a decommissioning event).
enum class DecommissionReason : std::uint8_t {
  kExpired = 0,
  kDamaged = 1,
  kRecalled = 2,
  kStolen = 3,
  kOther = 4,
};
inline constexpr std::uint8_t kDecommissionReasonCount = 5;

// Bounds that keep a hostile length prefix from making a decoder allocate much.
inline constexpr std::size_t kMaxEpcsPerEvent = 100'000;
inline constexpr std::size_t kMaxFillBytes = 1u << 20;

struct Commission {
  std::uint32_t manufacturer = 0;  // must be the signer
  std::uint32_t lot = 0;
  std::int64_t expiry_ns = 0;
  std::vector<std::uint64_t> units;  // SGTINs issued by the manufacturer
  Bytes fill;
};

struct Aggregate {
  std::uint32_t owner = 0;   // must be the signer
  std::uint64_t parent = 0;  // a fresh SSCC issued by the owner
  std::vector<std::uint64_t> children;
  Bytes fill;
};

// One node of a shipped containment tree.
struct TreeNode {
  std::uint64_t epc = 0;
  std::uint32_t child_count = 0;  // 0 for a saleable unit; its children follow it in preorder
  std::uint32_t lot = 0;          // saleable units only (0 for containers)
  std::int64_t expiry_ns = 0;     // saleable units only (0 for containers)
  friend bool operator==(const TreeNode&, const TreeNode&) = default;
};
using Tree = std::vector<TreeNode>;  // preorder, root first

struct Ship {
  std::uint32_t owner = 0;  // source owning party, must be the signer
  std::uint32_t destination = 0;
  std::uint64_t po = 0;  // the business transaction (purchase order / despatch advice) number
  Tree tree;             // non-empty; tree[0] is the shipped root
  Bytes fill;
};

struct Receive {
  std::uint32_t receiver = 0;  // must be the signer
  std::uint64_t root = 0;
  Bytes fill;
};

struct Unpack {
  std::uint32_t owner = 0;  // must be the signer
  std::uint64_t container = 0;
  Bytes fill;
};

struct Dispense {
  std::uint32_t pharmacy = 0;  // must be the signer
  std::uint64_t unit = 0;
  Bytes fill;
};

struct Decommission {
  std::uint32_t owner = 0;  // must be the signer
  std::uint64_t epc = 0;
  DecommissionReason reason = DecommissionReason::kOther;
  Bytes fill;
};

struct Verify {
  std::uint32_t requester = 0;  // must be the signer
  std::uint64_t epc = 0;
  std::uint32_t lot = 0;  // checked for saleable units; ignored for containers
  Bytes fill;
};

// EPCs an event names (the count its size grows with): commission its units, aggregate its
// parent and children, ship its tree's nodes, the others one.
std::size_t epc_count(const Commission& p);
std::size_t epc_count(const Aggregate& p);
std::size_t epc_count(const Ship& p);

Bytes encode(const Commission& p);
Bytes encode(const Aggregate& p);
Bytes encode(const Ship& p);
Bytes encode(const Receive& p);
Bytes encode(const Unpack& p);
Bytes encode(const Dispense& p);
Bytes encode(const Decommission& p);
Bytes encode(const Verify& p);

// The operation code of a payload, or nullopt when it is empty or the code is unknown.
std::optional<Op> payload_op(ByteView payload);

std::optional<Commission> decode_commission(ByteView payload);
std::optional<Aggregate> decode_aggregate(ByteView payload);
std::optional<Ship> decode_ship(ByteView payload);
std::optional<Receive> decode_receive(ByteView payload);
std::optional<Unpack> decode_unpack(ByteView payload);
std::optional<Dispense> decode_dispense(ByteView payload);
std::optional<Decommission> decode_decommission(ByteView payload);
std::optional<Verify> decode_verify(ByteView payload);

// The EPC a payload is about: commission its first unit, aggregate its parent, ship its root,
// receive its root, unpack its container, dispense its unit, decommission and verify their EPC.
// nullopt when the payload does not decode.
std::optional<std::uint64_t> payload_subject(ByteView payload);

}  // namespace hlsim::supply
