// A slab of event payloads addressed by Event::arg, with slot reuse: put() stores a value and
// returns its slot, take() moves it out and frees the slot. Slots are reused last-freed first, so
// the sequence of slots is a function of the sequence of calls (deterministic).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace hlsim {

template <class T>
struct Slab {
  std::vector<T> items;
  std::vector<std::uint64_t> free_slots;

  std::uint64_t put(T v) {
    if (!free_slots.empty()) {
      const std::uint64_t s = free_slots.back();
      free_slots.pop_back();
      items[s] = std::move(v);
      return s;
    }
    items.push_back(std::move(v));
    return items.size() - 1;
  }
  T take(std::uint64_t s) {
    T v = std::move(items[s]);
    items[s] = T{};
    free_slots.push_back(s);
    return v;
  }
};

}  // namespace hlsim
