// PBFT's tunable parameters and its registry entry.
//
// PbftParams is the typed form of the `consensus:` keys a scenario may set for protocol "pbft";
// pbft_protocol_info() declares those keys (with units, bounds and the sources of their
// defaults), checks the combinations single keys cannot, and builds one Pbft per validator.
#pragma once

#include <cstdint>
#include <vector>

#include "consensus/registry.h"
#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "sim/kernel/time.h"

namespace hlsim {

struct PbftParams {
  // A backup that has waited this long for a client transaction (or an accepted pre-prepare) to
  // commit suspects the primary and starts a view change (§4.4); a replica that sent a
  // view-change and then holds 2f+1 of them waits this long times 2^attempts for the NEW-VIEW
  // before moving on to the next view (§4.5.2).
  TimeNs view_change_timeout_ns = 2000 * kNsPerMs;
  // Every checkpoint_interval blocks each replica signs a CHECKPOINT (K, §4.3); the log window
  // (L, the high watermark minus the low one) bounds how far the primary may run ahead.
  std::uint32_t checkpoint_interval = 128;
  std::uint32_t log_window = 256;
  // At most this many blocks pre-prepared by the primary and not yet executed (pipelining).
  std::uint32_t max_inflight_blocks = 4;
  // The primary seals its queued transactions into a block at whichever limit comes first.
  std::uint32_t max_block_tx = 500;
  std::uint64_t max_block_bytes = 1 << 20;  // encoded transactions
  TimeNs batch_timeout_ns = 20 * kNsPerMs;  // after the first queued transaction
  // State transfer: at most this many blocks per fetch-reply; a replica still behind asks again
  // after fetch_retry.
  std::uint32_t max_fetch_blocks = 64;
  TimeNs fetch_retry_ns = 200 * kNsPerMs;

  // REQUIRES: values validated against pbft_param_specs().
  static PbftParams from(const ParamValues& values);
  // The checks single parameters cannot make (window vs interval, in-flight vs window).
  Status check() const;
};

const std::vector<ParamSpec>& pbft_param_specs();

const ProtocolInfo& pbft_protocol_info();

}  // namespace hlsim
