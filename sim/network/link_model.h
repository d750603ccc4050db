// Message timing: when does a message sent now arrive, if at all?
//
// The contract (the network model every result depends on):
//
// * Each ordered pair (from, to) of validators is one logical link, OWNED BY THE SENDER, with a
//   FIFO transmit queue. Its latency, bandwidth and loss are the Topology's path values for
//   (from, to): the latency-shortest path's total latency, its bottleneck bandwidth and its
//   combined loss. Links to different destinations are independent: a message to B never waits
//   behind a message to C.
// * Loss is decided first, from the sender's Rng, before queueing:
//     total_loss = 1 - (1 - path_loss) * (1 - extra_loss)
//     lost = sender_rng.bernoulli(total_loss)   -- drawn only when total_loss > 0
//   A lost message does not occupy the link. A loss-free pair draws no random number, so making
//   one link lossy never shifts the draws of a configuration without loss.
// * A delivered message is queued:
//     wire_bytes       = bytes + header_bytes
//     serialization_ns = ceil(wire_bytes * 8 * 10^9 / path_bandwidth_bps)
//     start            = max(now_ns, link_free_at[from][to])
//     link_free_at     = start + serialization_ns
//     arrival          = start + serialization_ns + path_latency_ns + jitter_ns
//   where jitter_ns = max(0, round(jitter.sample(sender_rng))). A constant jitter distribution
//   draws no random number (its value is used directly), so the default constant 0 costs nothing.
//   Jitter is never negative, so arrival - now_ns >= path_latency_ns >= lookahead_ns(): the
//   kernel's lookahead holds for every message.
// * Jitter is drawn per message after the link, so with a non-constant jitter two messages on
//   one link may arrive out of order; the link itself is FIFO (start times never reorder).
// * Times saturate at kTimeNever rather than overflow (only reachable with absurd inputs).
//
// Ownership and threads: transmit(from, ...) reads the immutable Topology and reads/writes only
// row `from` of the link state, so calls for different senders may run concurrently; calls for
// one sender must be serialised (the sender's own events are). Message counters live in the node
// layer, not here.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/kernel/distributions.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/result.h"
#include "sim/kernel/rng.h"
#include "sim/kernel/time.h"
#include "sim/network/topology.h"

namespace hlsim {

// ceil(bytes * 8 * 10^9 / bandwidth_bps) in ns, exact for integral bandwidths (128-bit
// arithmetic; no overflow for any 64-bit byte count) and correct to long-double precision
// otherwise; saturates at kTimeNever. REQUIRES: bandwidth_bps > 0 (+infinity gives 0).
TimeNs serialization_ns(std::uint64_t bytes, double bandwidth_bps);

// What active faults do to one link (sim/faults/fault_conditions.h); the default is a clean link,
// which transmit() treats exactly as no condition at all (no extra draw, same arithmetic).
struct LinkCondition {
  bool blocked = false;         // partitioned: the simulation drops the message before sending
  double latency_factor = 1;    // >= 1: the path latency is multiplied (so lookahead still holds)
  double bandwidth_factor = 1;  // (0, 1]: the path bandwidth is multiplied
  double loss = 0;              // extra loss: total = 1 - (1 - total_loss(from, to)) * (1 - loss)
  double duplicate = 0;         // probability a delivered message arrives twice (the simulation's)
  double reorder = 0;           // probability of an extra delay in [0, reorder_max_ns] (the same)
  TimeNs reorder_max_ns = 0;
};

struct NetworkParams {
  Distribution jitter = Distribution::constant(0);  // per-message extra delay, in ns
  double extra_loss = 0;           // on top of each path's loss; probability in [0, 1)
  std::uint64_t header_bytes = 0;  // added to every message's size on the wire
};

class Network {
 public:
  // Validates params (extra_loss in [0, 1); a constant jitter must be finite) and takes the
  // topology. Errors name the parameter, e.g. "network.extra_loss: expected a probability in
  // [0, 1), got 1".
  static Result<Network> create(Topology topology, NetworkParams params = {});

  // Arrival time of a message of `bytes` payload bytes sent from `from` to `to` at now_ns, or
  // nullopt if it is lost. Draws only from sender_rng (the sender's network stream), in this
  // order: the loss draw (if total loss > 0), then, if delivered, the jitter draw (if jitter is
  // not constant). REQUIRES: from != to (asserted), both < topology().size(), now_ns >= 0 and
  // not earlier than a previous call's now_ns for the same sender. `condition` (a fault's
  // degradation; blocked, duplicate and reorder are the caller's) scales the path latency and
  // bandwidth and adds its loss; the loss draw happens when the combined loss is > 0.
  std::optional<TimeNs> transmit(NodeId from, NodeId to, std::uint64_t bytes, TimeNs now_ns,
                                 Rng& sender_rng, const LinkCondition& condition = {});

  // The combined loss probability of the pair: 1 - (1 - path_loss) * (1 - extra_loss).
  double total_loss(NodeId from, NodeId to) const;

  // When the (from, to) link finishes its last queued transmission (0 if never used).
  TimeNs link_free_at_ns(NodeId from, NodeId to) const {
    return link_free_at_ns_[static_cast<std::size_t>(from) * topology_.size() + to];
  }

  const Topology& topology() const { return topology_; }
  const NetworkParams& params() const { return params_; }
  // The smallest possible delay between a send and its arrival: the topology's minimum path
  // latency (kTimeNever for a single node).
  TimeNs lookahead_ns() const { return topology_.min_latency_ns(); }

 private:
  Network(Topology topology, NetworkParams params);

  Topology topology_;
  NetworkParams params_;
  bool jitter_is_constant_ = true;
  TimeNs constant_jitter_ns_ = 0;        // used when jitter_is_constant_
  std::vector<TimeNs> link_free_at_ns_;  // [from * n + to]
};

// A client's access link to its gateway validator: the same FIFO model as one Network link,
// without loss or jitter. One instance per client, owned by that client.
class AccessLink {
 public:
  // Errors name the parameter, e.g. "access_link.bandwidth_bps: expected a positive finite
  // bandwidth in bit/s, got 0".
  static Result<AccessLink> create(TimeNs latency_ns, double bandwidth_bps);

  // Arrival time at the gateway of `bytes` sent at now_ns:
  //   start = max(now_ns, free_at); free_at = start + serialization_ns(bytes, bandwidth);
  //   arrival = free_at + latency_ns.
  // REQUIRES: now_ns not earlier than a previous call's now_ns.
  TimeNs transmit(std::uint64_t bytes, TimeNs now_ns);

  TimeNs latency_ns() const { return latency_ns_; }
  double bandwidth_bps() const { return bandwidth_bps_; }
  TimeNs free_at_ns() const { return free_at_ns_; }

 private:
  AccessLink(TimeNs latency_ns, double bandwidth_bps)
      : latency_ns_(latency_ns), bandwidth_bps_(bandwidth_bps) {}

  TimeNs latency_ns_;
  double bandwidth_bps_;
  TimeNs free_at_ns_ = 0;
};

}  // namespace hlsim
