#include "sim/kernel/kernel.h"

#include <cstdio>
#include <cstdlib>

namespace hlsim {
namespace {

// How many events run() handles between two reads of the interrupt flag: rare enough to cost
// nothing, frequent enough that an interrupt is seen within a millisecond or so of host time.
constexpr std::uint64_t kInterruptPollMask = 4096 - 1;

// One step of a 64-bit mixing hash (the finaliser of SplitMix64 over state ^ value): cheap, and
// every input bit reaches every output bit, so reordered or changed events change the digest.
std::uint64_t mix(std::uint64_t state, std::uint64_t value) {
  std::uint64_t z = (state ^ value) + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

void Kernel::schedule_misuse(const char* what, TimeNs at, EventKind kind) const {
  std::fprintf(stderr, "hlsim: Kernel::schedule: %s (at=%lld ns, now=%lld ns, kind=%u)\n", what,
               static_cast<long long>(at), static_cast<long long>(now_ns_),
               static_cast<unsigned>(kind));
  std::abort();
}

EventKind Kernel::register_handler(EventHandler* handler) {
  if (handler == nullptr) schedule_misuse("null handler registered", 0, 0);
  handlers_.push_back(handler);
  return static_cast<EventKind>(handlers_.size() - 1);
}

void Kernel::observe(const Event& e) {
  if (digest_enabled_) {
    digest_ = mix(mix(digest_, static_cast<std::uint64_t>(e.time_ns)),
                  (static_cast<std::uint64_t>(e.node) << 32) ^ (std::uint64_t{e.kind} << 24) ^
                      (e.arg * 0x100000001b3ULL));
  }
  if (tracer_) tracer_(e);
}

std::uint64_t Kernel::run(TimeNs until_ns) {
  stop_requested_ = false;
  std::uint64_t handled = 0;
  for (;;) {
    if (queue_.empty() || queue_.top_time_ns() > until_ns) {
      // Nothing is left before the horizon: the clock advances to it (a finite horizon only, so
      // that run(kTimeNever) on an empty queue leaves the clock usable).
      if (until_ns != kTimeNever && now_ns_ < until_ns) now_ns_ = until_ns;
      break;
    }
    const Event e = queue_.pop();
    now_ns_ = e.time_ns;
    if (observed_) [[unlikely]]
      observe(e);
    handlers_[e.kind]->handle(e);
    ++handled;
    if (stop_requested_) break;
    if ((handled & kInterruptPollMask) == 0 && interrupt_ != nullptr &&
        interrupt_->load(std::memory_order_relaxed)) [[unlikely]] {
      break;
    }
  }
  events_handled_ += handled;
  return handled;
}

}  // namespace hlsim
