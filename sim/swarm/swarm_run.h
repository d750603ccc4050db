// Runs one `hlsim fuzz` case and judges it: safety (the safety checker found nothing), then
// liveness (once every fault has healed, the honest validators commit a new height within the
// liveness phase, and something submitted after the heal commits).
//
// Outside the model: a PoA run whose first violation is an agreement or integrity one, with no
// Byzantine validator, in which honest authorities abandoned blocks they had sealed. Two final
// conflicting blocks each need more than n/2 distinct sealers above them, so some authority
// sealed on both branches; an honest one does that only after switching forks, which Aura (like
// OpenEthereum) lets it do. Any other PoA violation (a chain or validity one, or one without such
// a switch) stays a safety failure.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "sim/swarm/swarm_case.h"

namespace hlsim {

enum class SwarmVerdict : std::uint8_t {
  kPass,
  kSafety,    // the safety checker stopped the run
  kLiveness,  // no progress after the heal
  // A safety violation the protocol does not promise to prevent under these faults: proof of
  // authority's finality assumes that no honest authority seals on two branches, which only a
  // network without partitions guarantees. Reported (with its reproduction), not a failure.
  kOutsideModel,
  kError,  // the case did not load or the simulator threw: a bug in hlsim itself
};
const char* to_string(SwarmVerdict v);

struct SwarmResult {
  std::string protocol;
  std::uint64_t seed = 0;
  SwarmVerdict verdict = SwarmVerdict::kPass;
  std::string detail;        // what failed, naming seed, height and nodes for a safety violation
  std::string outline;       // the case, one line
  std::uint64_t digest = 0;  // the kernel's event-trace digest
  std::uint64_t events = 0;
  std::uint64_t committed = 0;  // transactions committed
  std::uint64_t reorgs = 0;     // PoA blocks rolled back before finality
  TimeNs recovery_ns = -1;      // heal -> first new height (-1: none)
  std::string summary_json;     // the run's summary (without host facts), for the self-check
};

// `trace` (optional) receives a readable line per event. `interrupt` (optional) stops the run
// early (the verdict is then kError "interrupted"). Never throws.
SwarmResult run_swarm_case(const SwarmCase& c, const std::string& data_dir,
                           const std::function<void(const std::string&)>& trace = {},
                           const std::atomic<bool>* interrupt = nullptr);

}  // namespace hlsim
