// Private data collections of the execute-order-validate pipeline: a transaction whose payload and
// state only the member organisations of its collection may hold; the rest of the channel orders
// and validates hashes.
//
// The client signs a *private proposal*: its transaction with the payload replaced by the
// collection's index, the payload's SHA-256 and its size. The payload itself travels beside it as
// transient data, to the client's gateway and the endorsers only (all members). An endorser checks
// the transient data against the signed hash, runs the contract on the whole proposal
// (with_transient) against the collection's private state, and signs the *hashed* read-write set:
// every key replaced by hashed_key(collection, key) and every written value by its SHA-256, read
// versions kept. The clear read-write set goes from the endorser to the member peers only. The
// envelope (ordered, delivered to every peer of the channel) carries the private proposal and the
// hashed read-write set: every peer keeps the hashes of the collection's keys and values with
// their versions (which is what MVCC checks), and member peers also apply the clear writes, after
// checking that they hash to the ordered ones.
//
// Private proposal payload (ledger/encoding.h): u8 kPrivateProposalTag | u32 collection |
//   payload hash (32 bytes) | u32 payload size
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/bytes.h"
#include "ledger/crypto/signature.h"
#include "ledger/eov/rwset.h"
#include "ledger/transaction.h"

namespace hlsim {

inline constexpr std::uint8_t kPrivateProposalTag = 0xd7;

// What a private proposal's payload says of the private payload.
struct PrivateRef {
  std::uint32_t collection = 0;
  Hash256 payload_hash;
  std::uint32_t payload_bytes = 0;
};

// The proposal the client signs for `clear` (its kind, client, nonce and submit time) in
// `collection`, signed with `client_key`.
Transaction private_proposal(const Transaction& clear, std::uint32_t collection,
                             const SigningKey& client_key);
// nullopt when `proposal`'s payload is not a private proposal's.
std::optional<PrivateRef> private_ref(const Transaction& proposal);
// The proposal as a member endorser's contract sees it: `proposal` with payload `transient`, its
// id, signer and signature kept (they are the signed private proposal's). nullopt when
// `proposal` is not private or `transient` does not match its hash and size.
std::optional<Transaction> with_transient(const Transaction& proposal, ByteView transient);

// The key under which every peer of the channel keeps `key` of `collection`: a prefix no workload
// key has ("\x01pdc/", the collection, '/') and SHA-256(key).
std::string hashed_key(std::uint32_t collection, std::string_view key);
// `clear` with hashed keys and values (a delete stays a delete), in canonical (sorted) order.
RwSet hashed_rwset(std::uint32_t collection, const RwSet& clear);

}  // namespace hlsim
