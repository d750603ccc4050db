// The protocol registry: every protocol hlsim can run, in the order `hlsim list` prints them.
// A new protocol adds its ProtocolInfo accessor to the list below.
#include "consensus/registry.h"

#include "consensus/raft/raft_params.h"

namespace hlsim {

const std::vector<ProtocolInfo>& protocol_registry() {
  static const std::vector<ProtocolInfo> registry = {
      raft_protocol_info(),
  };
  return registry;
}

const ProtocolInfo* find_protocol(std::string_view name) {
  for (const ProtocolInfo& info : protocol_registry()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace hlsim
