// Chained HotStuff's tunable parameters and its registry entry.
//
// HotStuffParams is the typed form of the `consensus:` keys a scenario may set for protocol
// "hotstuff"; hotstuff_protocol_info() declares those keys (with units, bounds and the sources of
// their defaults), checks the combinations single keys cannot, and builds one HotStuff per
// validator (an equivocating one for Behavior::kEquivocate).
#pragma once

#include <cstdint>
#include <vector>

#include "consensus/registry.h"
#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "sim/kernel/time.h"

namespace hlsim {

struct HotStuffParams {
  // Pacemaker (HotStuff §4.4, libhotstuff's round-robin pacemaker): a view that has work pending
  // and sees no progress ends after the view timeout; each consecutive failed view doubles it, up
  // to the cap; a view that produces a quorum certificate resets it to the base.
  TimeNs view_timeout_ns = 1000 * kNsPerMs;
  TimeNs view_timeout_max_ns = 16'000 * kNsPerMs;
  // A leader puts at most this many pending transactions (and bytes of encoded transactions)
  // into one block.
  std::uint32_t max_block_tx = 400;
  std::uint64_t max_block_bytes = 1 << 20;
  // Mempool: each validator broadcasts the client transactions it accepted once per gossip
  // interval (one tx-gossip message), and re-broadcasts every transaction still pending after the
  // re-gossip interval (a gossip message may have been lost).
  TimeNs mempool_gossip_ns = 10 * kNsPerMs;
  TimeNs mempool_regossip_ns = 1000 * kNsPerMs;
  // Block retrieval: at most this many blocks per fetch-reply; a fetch unanswered after the retry
  // interval goes to the next peer.
  std::uint32_t fetch_max_blocks = 64;
  TimeNs fetch_retry_ns = 200 * kNsPerMs;

  // REQUIRES: values validated against hotstuff_param_specs().
  static HotStuffParams from(const ParamValues& values);
  // The checks single parameters cannot make (base timeout <= cap, gossip < re-gossip, ...).
  Status check() const;
};

const std::vector<ParamSpec>& hotstuff_param_specs();

const ProtocolInfo& hotstuff_protocol_info();

}  // namespace hlsim
