// The kernel's event: plain data, 24 bytes. What an event means is decided by the handler
// registered for its `kind`; larger payloads (messages, transactions) live in the handler's own
// storage and `arg` indexes them.
#pragma once

#include <cstdint>

#include "sim/kernel/ids.h"
#include "sim/kernel/time.h"

namespace hlsim {

using EventKind = std::uint32_t;

struct Event {
  TimeNs time_ns;     // when it fires
  NodeId node;        // the LP that owns it; its handler touches only that LP's state
  EventKind kind;     // index into the kernel's handler table
  std::uint64_t arg;  // handler-defined
};

class EventHandler {
 public:
  virtual ~EventHandler() = default;
  // Called with kernel.now() == e.time_ns.
  virtual void handle(const Event& e) = 0;
};

}  // namespace hlsim
