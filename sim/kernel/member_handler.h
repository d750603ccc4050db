// An EventHandler that calls a member function of its owner: how a component with several event
// kinds registers one handler per kind (Kernel::register_handler) without a switch.
#pragma once

#include "sim/kernel/kernel.h"

namespace hlsim {

// REQUIRES: `owner` set before the first event; the handler lives inside its owner (so it neither
// moves nor outlives it).
template <typename Owner, void (Owner::*F)(const Event&)>
struct MemberHandler final : EventHandler {
  Owner* owner = nullptr;
  void handle(const Event& e) override { (owner->*F)(e); }
};

}  // namespace hlsim
