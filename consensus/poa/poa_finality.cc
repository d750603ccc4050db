// Proof of authority's finality rules (poa_finality.h).
#include "consensus/poa/poa_finality.h"

#include <set>

namespace hlsim {

Height poa_final_height(const std::vector<BlockRef>& best_chain, Height root_height,
                        PoaFinality rule, std::uint32_t confirmations, std::uint32_t nodes) {
  const Height head = root_height + best_chain.size();
  switch (rule) {
    case PoaFinality::kConfirmations:
      return head >= root_height + confirmations ? head - confirmations : root_height;
    case PoaFinality::kMajority: {
      // Walk down from the head: the signer set of [h, head] only grows as h decreases, so the
      // first (highest) h where it passes n/2 is the highest final block.
      std::set<NodeId> signers;
      for (std::size_t i = best_chain.size(); i-- > 0;) {
        signers.insert(best_chain[i]->header.proposer);
        if (2 * signers.size() > nodes) return best_chain[i]->header.height;
      }
      return root_height;
    }
  }
  return root_height;
}

}  // namespace hlsim
