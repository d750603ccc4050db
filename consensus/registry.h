// The protocols hlsim knows, by name, with their parameters (for validation and `hlsim list`).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "consensus/protocol.h"
#include "sim/kernel/params.h"
#include "sim/kernel/result.h"

namespace hlsim {

struct ProtocolInfo {
  std::string name;                        // scenario value of consensus.protocol
  std::string summary;                     // one line
  std::string reference;                   // the paper / deployment its defaults come from
  std::vector<ParamSpec> params;           // keys allowed under `consensus:`
  std::vector<std::string> message_types;  // index = Message::type
  std::uint32_t min_nodes = 1;
  // Checks combinations single parameters cannot (e.g. min timeout < max timeout).
  std::function<Status(const ParamValues&, std::uint32_t nodes)> validate;
  std::function<std::unique_ptr<Protocol>(const ParamValues&, NodeId self, std::uint32_t nodes)>
      make;
};

const std::vector<ProtocolInfo>& protocol_registry();
// nullptr when unknown.
const ProtocolInfo* find_protocol(std::string_view name);

}  // namespace hlsim
