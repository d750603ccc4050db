// PBFT's view change over a hash chain: checking VIEW-CHANGE messages and choosing what a
// NEW-VIEW re-proposes. Pure functions of their inputs (and the node's crypto), shared by the new
// primary, which computes the NEW-VIEW, and by every replica, which recomputes it to check it.
//
// Why the choice below preserves every block that may have committed (§4.4 and the chain).
//
// Definitions. A replica accepts pre-prepare (v, n, B) only if it accepted (v, n-1, P) with
// B.prev_hash = P.hash, or the block at n-1 is final for it (executed, or proven final by 2f+1
// commit or checkpoint votes), and it accepts at most one pre-prepare per (v, n). A prepared
// certificate (v, n, B) is the primary's pre-prepare and 2f prepares; a VIEW-CHANGE reports the
// sender's proven head e (2f+1 commit or checkpoint votes for the block at e: that block and its
// ancestors are final), for every n > e its highest-view certificate, and the blocks of each
// certificate's chain down to e+1. A certificate "vouches" for every block of its chain. From
// 2f+1 checked VIEW-CHANGEs the NEW-VIEW for view V is computed as:
//   1. floor = the highest proven head among them (its block F is final);
//   2. keep the certificates above the floor whose chain reaches F ("connected"); a block's
//      vouching view is the highest view of a kept certificate that vouches for it;
//   3. anchor = the kept certificate with the highest (view, sequence number); re-propose its
//      block and its ancestors down to floor+1;
//   4. above the anchor, extend height by height with the child of the last chosen block that
//      has the highest vouching view (ties, impossible with f faults, to the smaller hash), until
//      no vouched child exists. There are no null requests: a hash chain has no gaps, and a
//      sequence number without a certificate is filled by the certified chain above it or left
//      to the new primary's own proposals.
// Claim: if C was committed at n in view w (2f+1 commits, so f+1 correct replicas hold a prepared
// certificate (w, n, C)), every NEW-VIEW for a view above w re-proposes C at n and C's ancestors
// below it down to its floor (or has n <= floor, C then being final and F's ancestor).
// By induction over views. Within one view the certificates of correct replicas lie on one chain:
// two certificates (w, a, X) and (w, b, Y), a < b, share a correct replica among the f+1 correct
// preparers of Y and the 2f+1 preparers of X, which accepted Y's ancestor at a in view w (or held
// it final) and accepted only X at (w, a). Now take 2f+1 VIEW-CHANGEs for V > w. One of them is
// from a correct holder r of C's certificate (quorum intersection); r reports head >= n (then C
// is below the floor, final, on F's chain: done) or a certificate (w_r >= w, n, C) (by induction
// later views only re-propose C at n, so no other block can be certified there), connected
// because C and F are both final. Let the anchor be (w*, n*, B*), so (w*, n*) >= (w_r, n).
//  * n <= n*: if w* = w_r, C is on B*'s chain by the one-chain property. If w* > w_r, the f+1
//    correct preparers of B* accepted, in view w*, the NEW-VIEW for w* — which by induction
//    re-proposed C at n and its ancestors — and then only blocks chained to them, so B* descends
//    from C (n* above that NEW-VIEW's floor since they accept nothing at or below it).
//  * n > n*: then w_r < w*, and the same NEW-VIEW of w* re-proposed C; B* is on that chain below
//    C. Going up from B*, each ancestor X of C at height k has vouching view >= w_r (r's
//    certificate), and any other child Y of the chosen block at k could only be vouched by a
//    certificate of a view < w_r: a certificate of a view in [w_r, V) at height >= k lies on C's
//    chain (one chain within w_r; later views re-propose C's chain and accept only blocks
//    chained to it). So step 4 follows C's chain up to C.
// Hence correct replicas, which accept in view V only the re-proposals at heights in
// (floor, top] and chained proposals above, never certify another block at n: committed blocks
// never change, and the chosen blocks form one chain from F.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "consensus/context.h"
#include "consensus/pbft/pbft_messages.h"
#include "ledger/block.h"

namespace hlsim::pbft {

// The quorum arithmetic of one cluster: n replicas, f = (n-1)/3 faulty, quorum = the smallest q
// with 2q - n >= f + 1 (2f+1 when n = 3f+1).
struct PbftQuorum {
  std::uint32_t n = 0;
  std::uint32_t f = 0;
  std::uint32_t q = 0;
  static PbftQuorum of(std::uint32_t nodes);
  NodeId primary(std::uint64_t view) const { return static_cast<NodeId>(view % n); }
};

// Shape of a finality proof for (height, hash): at least q votes from distinct validators, all
// commits of one view or all checkpoints (epoch 0), for exactly that height and hash. Signatures
// are not checked here.
bool proof_shape_ok(const PbftQuorum& quorum, const std::vector<SignedVote>& proof, Height height,
                    const Hash256& hash);
// Shape of a prepared certificate: the pre-prepare from the primary of its view, below
// `below_view`, and at least q-1 prepares from distinct backups for the same view, sequence
// number and hash. Signatures are not checked here.
bool cert_shape_ok(const PbftQuorum& quorum, const PreparedCert& cert, std::uint64_t below_view);

// A VIEW-CHANGE whose structure, blocks and chains are checked; `votes` lists every signature it
// relies on (auth, head proof, certificates) for the caller to verify (one verify_votes call,
// possibly together with other view-changes').
struct CheckedViewChange {
  NodeId sender = 0;
  ViewChange vc;
  Bytes body;  // as received: a NEW-VIEW embeds it unchanged
  std::map<Hash256, BlockRef> blocks;
  std::vector<SignedVote> votes;
};

// Decodes and checks everything but the signatures: auth fields (sender, view, SHA-256 of the
// content), the head proof's shape, each certificate's shape (increasing sequence numbers above
// the head), every block (decode_block) and that each certificate's chain is present down to
// head + 1 and links to head_hash. nullopt when anything fails.
std::optional<CheckedViewChange> parse_view_change(NodeCrypto& crypto, const PbftQuorum& quorum,
                                                   NodeId sender, ByteView body);

// What a NEW-VIEW re-proposes (see the header comment): the floor (highest proven head, with its
// proof) and the chain of blocks at floor+1 .. floor+chain.size().
struct NewViewPlan {
  Height floor = 0;
  Hash256 floor_hash;
  std::vector<SignedVote> floor_proof;
  std::vector<BlockRef> chain;
  Height top() const { return floor + chain.size(); }
};

// REQUIRES: vcs non-empty, each checked (signatures included). nullopt when the anchor's chain
// does not reach the floor (impossible with at most f faulty replicas).
std::optional<NewViewPlan> plan_new_view(const std::vector<const CheckedViewChange*>& vcs);

}  // namespace hlsim::pbft
