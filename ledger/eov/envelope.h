// Endorsements and envelopes of the execute-order-validate pipeline.
//
// An endorsing peer simulates the client's signed proposal (a Transaction) against its state and
// signs what it got: endorsement_digest(channel, proposal id, status, read-write set hash), where
// status is the contract's verdict (workloads' TxOutcome code: applied or denied). The client
// collects endorsements until its channel's policy is met and sends the ordering service an
// envelope: the proposal, the read-write set and the endorsements, itself carried as the payload of
// a Transaction the client signs (so the orderers check its creator like any other transaction).
//
// A private transaction (ledger/eov/private_data.h) names its collection; its proposal carries
// only the hash of the private payload and its read-write set is hashed. kNoCollection otherwise.
//
// Encoding (ledger/encoding.h):
//   envelope    = u8 version | u32 channel | u32 collection | u8 status |
//                 proposal (transaction encoding) | rwset | u32 count | count * endorsement
//   endorsement = u32 org | u32 peer | endorser public key | signature
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ledger/bytes.h"
#include "ledger/crypto/signature.h"
#include "ledger/eov/policy.h"
#include "ledger/eov/rwset.h"
#include "ledger/transaction.h"

namespace hlsim {

inline constexpr std::uint8_t kEnvelopeVersion = 2;
// Envelope::collection of a public transaction.
inline constexpr std::uint32_t kNoCollection = 0xffffffffU;
// The most endorsements an envelope may carry (decode rejects more).
inline constexpr std::uint32_t kEndorsementsMax = 1024;

struct Endorsement {
  OrgIndex org = 0;
  std::uint32_t peer = 0;  // the endorsing peer's index in the network's peer list
  PublicKey endorser;
  Signature signature;
  bool operator==(const Endorsement&) const = default;
};

// What an endorser signs: SHA-256 of a domain tag, the channel, the proposal's id, the contract's
// status and the hash of the read-write set its simulation produced.
Hash256 endorsement_digest(std::uint32_t channel, const Hash256& proposal_id, std::uint8_t status,
                           const Hash256& rwset_hash);

struct Envelope {
  std::uint32_t channel = 0;
  std::uint32_t collection = kNoCollection;
  std::uint8_t status = 0;  // the contract's verdict at endorsement (what the endorsers signed)
  Transaction proposal;
  RwSet rwset;
  std::vector<Endorsement> endorsements;

  bool operator==(const Envelope& o) const;
  Bytes encode() const;
  // nullopt on malformed, truncated or trailing input. The proposal's id is recomputed.
  static std::optional<Envelope> decode(ByteView data);
};

// The channel an envelope names, read from the head of its encoding without decoding the rest (what
// an orderer needs to route it); nullopt when `payload` is no envelope of this version.
std::optional<std::uint32_t> envelope_channel(ByteView payload);

// The transaction the client submits to the ordering service, before its signature: kind, client,
// nonce and submit time of the proposal, the envelope as payload.
Transaction envelope_transaction(const Envelope& envelope);
// envelope_transaction(envelope) signed with `client_key`.
Transaction wrap_envelope(const Envelope& envelope, const SigningKey& client_key);

}  // namespace hlsim
