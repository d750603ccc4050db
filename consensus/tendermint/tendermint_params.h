// Tendermint's tunable parameters and its registry entry.
//
// TendermintParams is the typed form of the `consensus:` keys a scenario may set for protocol
// "tendermint"; tendermint_protocol_info() declares those keys (with units, bounds and the sources
// of their defaults), checks the combinations single keys cannot, and builds one Tendermint per
// validator. The timeouts are Tendermint Core / CometBFT's config.toml defaults: a step's timeout
// in round r is base + r * delta (Buchman, Kwon & Milosevic 2018, §4: timeouts grow with the round
// so that they eventually exceed the unknown message delay after GST).
#pragma once

#include <cstdint>
#include <vector>

#include "consensus/registry.h"
#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "sim/kernel/time.h"

namespace hlsim {

struct TendermintParams {
  // timeoutPropose(r) = timeout_propose + r * timeout_propose_delta, and the same for prevote and
  // precommit (Algorithm 1, lines 21, 35, 48).
  TimeNs timeout_propose_ns = 3000 * kNsPerMs;
  TimeNs timeout_propose_delta_ns = 500 * kNsPerMs;
  TimeNs timeout_prevote_ns = 1000 * kNsPerMs;
  TimeNs timeout_prevote_delta_ns = 500 * kNsPerMs;
  TimeNs timeout_precommit_ns = 1000 * kNsPerMs;
  TimeNs timeout_precommit_delta_ns = 500 * kNsPerMs;
  // After deciding height h a node waits this long, still collecting precommits for h, before it
  // starts round 0 of h + 1.
  TimeNs timeout_commit_ns = 1000 * kNsPerMs;
  // false: in round 0 the proposer proposes only when its mempool holds a transaction, and the
  // others arm timeoutPropose only then (Tendermint Core's consensus.create_empty_blocks).
  bool create_empty_blocks = true;
  // A proposer fills a block up to whichever limit comes first.
  std::uint32_t max_block_tx = 500;
  std::uint64_t max_block_bytes = 1 << 20;  // encoded transactions
  // Each node broadcasts the client transactions it accepted, in one tx-gossip message, this often.
  TimeNs mempool_gossip_ns = 10 * kNsPerMs;
  // A node whose round makes no progress re-broadcasts its messages of the round after this long
  // (and again after as long); a node catching up asks another peer for blocks after this long.
  TimeNs gossip_retry_ns = 2000 * kNsPerMs;
  // At most this many blocks (each with its commit certificate) per catch-up request.
  std::uint32_t max_sync_blocks = 20;

  // REQUIRES: values validated against tendermint_param_specs().
  static TendermintParams from(const ParamValues& values);
  // The checks single parameters cannot make.
  Status check() const;
};

const std::vector<ParamSpec>& tendermint_param_specs();

const ProtocolInfo& tendermint_protocol_info();

}  // namespace hlsim
