// The protocol registry: every protocol hlsim can run, in the order `hlsim list` prints them.
// A new protocol adds its ProtocolInfo accessor to the list below.
#include "consensus/registry.h"

#include <algorithm>

#include "consensus/byzantine/byzantine_protocol.h"
#include "consensus/hotstuff/hotstuff_params.h"
#include "consensus/pbft/pbft_params.h"
#include "consensus/poa/poa_params.h"
#include "consensus/raft/raft_params.h"
#include "consensus/tendermint/tendermint_params.h"

namespace hlsim {

const std::vector<ProtocolInfo>& protocol_registry() {
  static const std::vector<ProtocolInfo> registry = {
      raft_protocol_info(),       pbft_protocol_info(), hotstuff_protocol_info(),
      tendermint_protocol_info(), poa_protocol_info(),
  };
  return registry;
}

const ProtocolInfo* find_protocol(std::string_view name) {
  for (const ProtocolInfo& info : protocol_registry()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

bool ProtocolInfo::supports(Behavior b) const {
  return b == Behavior::kHonest ||
         std::find(behaviors.begin(), behaviors.end(), b) != behaviors.end();
}
bool ProtocolInfo::is_vote(std::uint16_t type) const {
  return std::find(vote_types.begin(), vote_types.end(), type) != vote_types.end();
}
bool ProtocolInfo::is_proposal(std::uint16_t type) const {
  return std::find(proposal_types.begin(), proposal_types.end(), type) != proposal_types.end();
}

std::unique_ptr<Protocol> make_protocol(const ProtocolInfo& info, const ParamValues& values,
                                        NodeId self, std::uint32_t nodes, Behavior behavior) {
  if (behavior == Behavior::kHonest || behavior == Behavior::kEquivocate) {
    return info.make(values, self, nodes, behavior);
  }
  const TimeNs delay_ns = info.proposal_timeout ? info.proposal_timeout(values) * 9 / 10 : 0;
  return std::make_unique<ByzantineProtocol>(info.make(values, self, nodes, Behavior::kHonest),
                                             behavior, info.proposal_types, info.vote_types,
                                             delay_ns);
}

std::unique_ptr<Protocol> make_switchable_protocol(const ProtocolInfo& info,
                                                   const ParamValues& values, NodeId self,
                                                   std::uint32_t nodes) {
  const TimeNs delay_ns = info.proposal_timeout ? info.proposal_timeout(values) * 9 / 10 : 0;
  return std::make_unique<ByzantineProtocol>(info.make(values, self, nodes, Behavior::kHonest),
                                             Behavior::kHonest, info.proposal_types,
                                             info.vote_types, delay_ns);
}

}  // namespace hlsim
