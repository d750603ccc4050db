// What a protocol sees of the world (DESIGN.md invariant 3).
//
// A protocol does no I/O and reads no clock: time, messages, timers, crypto, the committed ledger
// and randomness all come through its Context. The simulator implements Context for each node; unit
// tests implement it by hand and step protocols through golden transcripts.
//
// Cost model: each call into a protocol is one job on one of its node's CPU cores. Crypto calls
// through crypto() and explicit charge() calls add to that job's simulated duration; everything the
// job emits (messages, timers, commits) takes effect when the job finishes. now() is the job's
// start time.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "consensus/message.h"
#include "consensus/shared_decode.h"
#include "ledger/block.h"
#include "ledger/chain.h"
#include "ledger/crypto/signature.h"
#include "ledger/vote.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/rng.h"
#include "sim/kernel/time.h"

namespace hlsim {

// Real crypto whose simulated cost (from the node's hardware profile) is charged to the current
// job.
class NodeCrypto {
 public:
  virtual ~NodeCrypto() = default;
  virtual const PublicKey& public_key() const = 0;
  // Every validator's key is known to every validator (a permissioned membership list).
  virtual const PublicKey& public_key_of(NodeId validator) const = 0;
  virtual Signature sign(ByteView message) = 0;
  virtual bool verify(const PublicKey& key, ByteView message, const Signature& signature) = 0;
  virtual Hash256 hash(ByteView data) = 0;
  // Signs `vote` as this validator: sets voter = self(), voter_key and signature (charged). The
  // caller sets kind, height, epoch and block_hash first.
  virtual void sign_vote(SignedVote& vote) = 0;
  // Checks a batch of votes (e.g. a quorum certificate's n - f): vote i is valid (1) when its
  // voter is a validator, its voter_key is that validator's registered key and its signature
  // verifies. The real checks run in parallel on the host; the simulated cost is spread over the
  // node's cores (ceil(k / cores) verifications end to end), as a multicore validator would.
  virtual std::vector<std::uint8_t> verify_votes(std::span<const SignedVote> votes) = 0;
  // Seals a block proposed by this node (Merkle root, header hash and signature, all charged).
  virtual BlockRef seal_block(Height height, const Hash256& prev_hash, std::uint64_t epoch,
                              std::vector<TxRef> txs) = 0;
  // Decodes a block received in a message and checks its integrity (check_block) and that its
  // proposer is a validator signing with its registered key, charging the hashing and the
  // proposer-signature verification. nullopt if malformed, not intact or not from a member.
  // Transactions' own signatures are checked when the block is committed, not here.
  virtual std::optional<BlockRef> decode_block(ByteView encoded) = 0;
  // decode_block for an encoding that lies within `carrier`'s body (a received block or
  // proposal), with the same result and charges. The simulator then shares one decoding among
  // every receiver of that message (Context::decode_memo) instead of hashing the block again
  // for each.
  virtual std::optional<BlockRef> decode_block_in(const Message& /*carrier*/, ByteView encoded) {
    return decode_block(encoded);
  }
};

class Context {
 public:
  virtual ~Context() = default;

  virtual TimeNs now() const = 0;
  virtual NodeId self() const = 0;
  // Validators are 0..cluster_size()-1.
  virtual std::uint32_t cluster_size() const = 0;

  // REQUIRES: to != self(), to < cluster_size(). Delivery may be delayed, reordered or lost as the
  // network says; a crashed receiver never sees it.
  virtual void send(NodeId to, Message msg) = 0;
  // send() to every other validator.
  virtual void broadcast(const Message& msg) = 0;

  // A timer firing on_timer(id, tag) after delay_ns (from the end of the current job).
  virtual TimerId set_timer(TimeNs delay_ns, std::uint64_t tag) = 0;
  // Cancelling an unknown, fired or cancelled timer is a no-op.
  virtual void cancel_timer(TimerId id) = 0;

  virtual NodeCrypto& crypto() = 0;
  // The committed chain (read-only: it grows only through commit()).
  virtual const Chain& ledger() const = 0;
  // Finalises a block. ledger() reflects it as soon as commit() returns (the node executes it
  // within the current job); observers and clients learn of it when the job finishes.
  // It must extend ledger() (height = ledger().next_height(), prev_hash =
  // ledger().head_hash()). The node verifies and executes its transactions and reports the
  // commit to the observers. A block that does not extend the chain is a safety violation and
  // aborts the run with a report.
  virtual void commit(const BlockRef& block) = 0;

  // This node's own random stream.
  virtual Rng& rng() = 0;
  // Adds CPU time to the current job (e.g. per-transaction validation work).
  virtual void charge(TimeNs cpu_ns) = 0;
  // Reports that `leader` leads `epoch` (term / view), for metrics and traces.
  virtual void note_leader(std::uint64_t epoch, NodeId leader) = 0;
  // Reports that this node's tentative (not yet committed) chain switched to another fork,
  // abandoning `depth_blocks` tentative blocks above height `fork_height`, `own_blocks` of them
  // sealed by this node itself (protocols whose finality trails their chain, such as proof of
  // authority: a sealer that abandons its own block and seals again has signed two branches).
  // Committed blocks are never reorganised: reversing one is a safety violation the checker
  // finds on its own.
  virtual void note_reorg(Height fork_height, std::uint32_t depth_blocks,
                          std::uint32_t own_blocks) = 0;

  // Where a protocol may share the decoding of a broadcast message with the other receivers
  // (decode_shared, consensus/shared_decode.h); null when there is none (each decodes its own).
  // The simulator shares one per run; a hand-stepped test context need not.
  virtual MessageDecodeMemo* decode_memo() { return nullptr; }
};

}  // namespace hlsim
