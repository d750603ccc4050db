// MessageDecodeMemo (shared_decode.h).
#include "consensus/shared_decode.h"

#include <functional>

namespace hlsim {

std::optional<MessageDecodeMemo::Key> MessageDecodeMemo::key_of(const Message& msg, ByteView part) {
  if (!msg.body) return std::nullopt;
  // Compare addresses as integers: pointers into different objects are not ordered in C++.
  const auto begin = reinterpret_cast<std::uintptr_t>(msg.body->data());
  const auto end = begin + msg.body->size();
  const auto at = reinterpret_cast<std::uintptr_t>(part.data());
  if (part.empty() && msg.body->empty()) return Key{msg.body.get(), 0, 0};
  if (at < begin || at > end || part.size() > end - at) return std::nullopt;
  return Key{msg.body.get(), at - begin, part.size()};
}

std::shared_ptr<const void> MessageDecodeMemo::find(const Message& msg, ByteView part,
                                                    const std::type_info& type) {
  if (capacity_ == 0) return nullptr;
  const std::optional<Key> key = key_of(msg, part);
  if (!key) return nullptr;
  const auto it = entries_.find(*key);
  if (it == entries_.end() || it->second.message_type != msg.type || *it->second.type != type) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  return it->second.value;
}

void MessageDecodeMemo::insert(const Message& msg, ByteView part, const std::type_info& type,
                               std::shared_ptr<const void> value) {
  if (capacity_ == 0 || !value) return;
  const std::optional<Key> key = key_of(msg, part);
  if (!key) return;
  const auto [it, inserted] =
      entries_.try_emplace(*key, Entry{msg.body, msg.type, &type, std::move(value)});
  if (!inserted) return;
  order_.push_back(*key);
  if (order_.size() > capacity_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace hlsim
