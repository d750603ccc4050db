// The protocols hlsim knows, by name, with their parameters (for validation and `hlsim list`).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "consensus/behavior.h"
#include "consensus/protocol.h"
#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "sim/kernel/time.h"

namespace hlsim {

struct ProtocolInfo {
  std::string name;                        // scenario value of consensus.protocol
  std::string summary;                     // one line
  std::string reference;                   // the paper / deployment its defaults come from
  std::vector<ParamSpec> params;           // keys allowed under `consensus:`
  std::vector<std::string> message_types;  // index = Message::type
  // Message roles, for the generic Byzantine behaviours (kWithholdVotes drops vote_types,
  // kDelayProposals holds proposal_types back) and for the per-block message accounting.
  std::vector<std::uint16_t> proposal_types;
  std::vector<std::uint16_t> vote_types;
  std::uint32_t min_nodes = 1;
  // How many faulty validators the protocol tolerates among `nodes` (f; a scenario may make at
  // most this many Byzantine). Crash faults for Raft, Byzantine faults for the BFT protocols.
  std::function<std::uint32_t(std::uint32_t nodes)> max_faulty;
  // The Byzantine behaviours that apply to this protocol (kHonest always does). kSilent,
  // kWithholdVotes, kInvalidSignatures and kDelayProposals are applied outside the protocol by
  // ByzantineProtocol; kEquivocate only where the protocol implements it when built with it.
  std::vector<Behavior> behaviors;
  // How long validators wait for a leader's proposal before giving up on it: kDelayProposals
  // holds each proposal back for 90% of this.
  std::function<TimeNs(const ParamValues&)> proposal_timeout;
  // Checks combinations single parameters cannot (e.g. min timeout < max timeout).
  std::function<Status(const ParamValues&, std::uint32_t nodes)> validate;
  // Builds validator `self`'s instance. `behavior` is kHonest or, when listed in `behaviors`,
  // kEquivocate (the generic behaviours are applied by make_protocol, not here).
  std::function<std::unique_ptr<Protocol>(const ParamValues&, NodeId self, std::uint32_t nodes,
                                          Behavior behavior)>
      make;

  bool supports(Behavior b) const;
  bool is_vote(std::uint16_t type) const;
  bool is_proposal(std::uint16_t type) const;
};

const std::vector<ProtocolInfo>& protocol_registry();
// nullptr when unknown.
const ProtocolInfo* find_protocol(std::string_view name);

// Builds validator `self`'s protocol with `behavior`: info.make for honest and equivocating
// nodes, wrapped in a ByzantineProtocol for the generic behaviours.
// REQUIRES: behavior == kHonest or info.supports(behavior); values validated.
std::unique_ptr<Protocol> make_protocol(const ProtocolInfo& info, const ParamValues& values,
                                        NodeId self, std::uint32_t nodes,
                                        Behavior behavior = Behavior::kHonest);

// Builds validator `self`'s honest protocol inside a ByzantineProtocol that starts honest, for a
// validator the fault schedule gives Byzantine roles (ByzantineProtocol::set_behavior).
std::unique_ptr<Protocol> make_switchable_protocol(const ProtocolInfo& info,
                                                   const ParamValues& values, NodeId self,
                                                   std::uint32_t nodes);

}  // namespace hlsim
