// Simulation::trace_events: a readable line for every event the kernel handles, for replaying one
// seed by eye (`hlsim fuzz --seed N --trace`). Reads the event's payload without consuming it, so
// a traced run is the same run.
#include <cinttypes>
#include <cstdio>

#include "sim/run/simulation.h"

namespace hlsim {

std::string Simulation::describe_event(const Event& e) const {
  char head[64];
  std::snprintf(head, sizeof head, "%12.6f s  ", static_cast<double>(e.time_ns) / kNsPerSec);
  std::string line = head;
  const std::string node = "node " + std::to_string(e.node);
  if (e.kind == deliver_kind_) {
    const PendingMessage& m = messages_.items[e.arg];
    const auto& types = protocol_info_->message_types;
    const std::string type =
        m.msg.type < types.size() ? types[m.msg.type] : "type " + std::to_string(m.msg.type);
    return line + node + "  receives " + type + " from " + std::to_string(m.from) + " (" +
           std::to_string(m.msg.wire_bytes()) + " B)";
  }
  if (e.kind == timer_kind_) {
    const PendingTimer& t = timers_.items[e.arg];
    return line + node + "  timer " + std::to_string(t.id) + " (tag " + std::to_string(t.tag) +
           ") fires";
  }
  if (e.kind == client_tx_kind_) {
    const Submission& s = client_txs_.items[e.arg];
    return line + node + "  receives a transaction from client " + std::to_string(s.tx->client) +
           " (" + s.tx->id.hex().substr(0, 12) + ")";
  }
  if (e.kind == arrival_kind_) return line + "client " + std::to_string(e.arg) + "  submits";
  if (e.kind == observe_kind_) {
    return line + "client " + std::to_string(observations_.items[e.arg].client) +
           "  learns of a commit";
  }
  if (e.kind == client_timeout_kind_) return line + "client timeout check";
  if (e.kind == fetch_serve_kind_) return line + node + "  serves an off-chain document";
  if (e.kind == fetch_deliver_kind_) return line + "an off-chain document reaches its reader";
  if (e.kind == fault_kind_) {
    const FaultEvent& f = scenario_.faults[e.arg >> 1];
    if (f.is_condition()) return line + f.describe() + ((e.arg & 1) != 0 ? " ends" : " begins");
    return line + f.describe();
  }
  return line + node + "  event kind " + std::to_string(e.kind);
}

void Simulation::trace_events(std::function<void(const std::string&)> sink) {
  if (!sink) {
    kernel_.set_tracer(nullptr);
    return;
  }
  kernel_.set_tracer([this, out = std::move(sink)](const Event& e) { out(describe_event(e)); });
}

}  // namespace hlsim
