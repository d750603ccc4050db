// Quorum certificates: their structural check, their verification, and the next leader's
// collection of votes into one (HotStuff §5: "the leader collects n - f votes into a QC").
//
// Signatures are checked through NodeCrypto::verify_votes, one call per certificate (the votes
// verify in parallel on a multicore validator). A vote only counts once verified: the collector
// keeps votes unverified until a block has enough of them to make a certificate, verifies those in
// one batch, drops the invalid ones and waits for more if fewer than n - f remain.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <tuple>
#include <vector>

#include "consensus/context.h"
#include "consensus/hotstuff/hotstuff_messages.h"
#include "ledger/vote.h"

namespace hlsim::hotstuff {

// The genesis QC, or at least `quorum` (and at most `nodes`) votes of kind kVoteKind for
// exactly the QC's view, height and block hash, from distinct validators. No signature is checked.
bool qc_well_formed(const QuorumCert& qc, std::uint32_t nodes, std::uint32_t quorum);

// verify_votes over `votes` in one call: true when every one is valid.
bool verify_all(NodeCrypto& crypto, std::span<const SignedVote> votes);

class VoteCollector {
 public:
  // Records a vote for a block (`verified` for this node's own). The first vote of each voter per
  // (view, height, block) counts; later ones are ignored. False when ignored.
  bool add(const SignedVote& vote, bool verified);
  // Once the vote's block has at least `quorum` votes, verifies the unverified ones in one
  // verify_votes call and returns the certificate of the `quorum` valid votes of the lowest voter
  // ids, once; nullopt while there are too few valid votes (or after the certificate was made).
  std::optional<QuorumCert> try_certify(const SignedVote& vote, NodeCrypto& crypto,
                                        std::uint32_t quorum);
  // Forgets the votes of views below `view`.
  void prune_below(std::uint64_t view);
  void clear() { tallies_.clear(); }
  std::size_t tallies() const { return tallies_.size(); }

 private:
  using Key = std::tuple<std::uint64_t, Height, Hash256>;  // view, height, block hash
  struct Tally {
    std::map<NodeId, SignedVote> valid;
    std::map<NodeId, SignedVote> unverified;
    bool certified = false;
  };
  std::map<Key, Tally> tallies_;
};

}  // namespace hlsim::hotstuff
