// The simulation kernel: owns virtual time and the pending-event set.
//
// Events run in a stable total order (time_ns, node, seq), where seq is the kernel's insertion
// counter, so a run is a pure function of what was scheduled and never of host timing.
// Single-threaded: the kernel and every handler it calls run on one thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/kernel/event.h"
#include "sim/kernel/event_queue.h"

namespace hlsim {

class Kernel {
 public:
  Kernel() = default;
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  // Registers a handler and returns the kind to schedule its events with. The handler must
  // outlive every run() call.
  EventKind register_handler(EventHandler* handler);

  // Schedules an event. REQUIRES: at >= now(), kind registered (both checked in every build;
  // a violation ends the process). Inline: it is the hot path of every handler.
  void schedule(TimeNs at, NodeId node, EventKind kind, std::uint64_t arg) {
    if (at < now_ns_) [[unlikely]]
      schedule_misuse("event in the past", at, kind);
    if (kind >= handlers_.size()) [[unlikely]] {
      schedule_misuse("unregistered event kind", at, kind);
    }
    queue_.push(Event{at, node, kind, arg}, next_seq_++);
  }

  // Runs events in order until the queue is empty, the next event is later than `until_ns`, or
  // stop() / the interrupt flag stops it. now() then equals the last event's time (or until_ns
  // when the queue was drained past it). Returns the number of events handled by this call.
  std::uint64_t run(TimeNs until_ns);

  // Makes run() return after the current event.
  void stop() { stop_requested_ = true; }
  bool stop_requested() const { return stop_requested_; }

  // A flag set from outside (e.g. a SIGINT handler) that run() polls every few thousand events.
  void set_interrupt_flag(const std::atomic<bool>* flag) { interrupt_ = flag; }

  // Called with every event just before its handler (a readable trace, `hlsim fuzz --trace`).
  // Tracing changes nothing about the run.
  void set_tracer(std::function<void(const Event&)> tracer) {
    tracer_ = std::move(tracer);
    observed_ = digest_enabled_ || tracer_ != nullptr;
  }

  // From now on, every handled event is folded into trace_digest(). Off by default: the digest
  // serves the determinism self-check of `hlsim fuzz`, and a run that does not compare digests
  // should not pay its two hash steps per event (about 8% of PHOLD at 10^5 pending events).
  void enable_trace_digest() {
    digest_enabled_ = true;
    observed_ = true;
  }

  TimeNs now() const { return now_ns_; }
  std::uint64_t events_handled() const { return events_handled_; }
  // A digest of every event handled since enable_trace_digest(), in order (time, node, kind,
  // arg): two runs that handled the same events in the same order have the same digest; the
  // determinism self-check of `hlsim fuzz` compares it across repeated runs. Without
  // enable_trace_digest() it stays at its fixed start value.
  std::uint64_t trace_digest() const { return digest_; }
  std::size_t pending() const { return queue_.size(); }

 private:
  // Reports a broken precondition of schedule() or register_handler() and aborts: it would
  // silently break causality, so it is a programming error, not a recoverable one.
  [[noreturn, gnu::cold]] void schedule_misuse(const char* what, TimeNs at, EventKind kind) const;
  // Folds `e` into the digest and passes it to the tracer, as enabled.
  void observe(const Event& e);

  EventQueue queue_;
  std::vector<EventHandler*> handlers_;
  TimeNs now_ns_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t events_handled_ = 0;
  std::uint64_t digest_ = 0x6a09e667f3bcc909ULL;  // any fixed start
  std::function<void(const Event&)> tracer_;
  bool digest_enabled_ = false;
  bool observed_ = false;  // digest_enabled_ or a tracer: run() has more to do per event
  bool stop_requested_ = false;
  const std::atomic<bool>* interrupt_ = nullptr;
};

}  // namespace hlsim
