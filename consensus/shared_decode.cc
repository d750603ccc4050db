// MessageDecodeMemo (shared_decode.h).
#include "consensus/shared_decode.h"

namespace hlsim {

std::optional<MessageDecodeMemo::Key> MessageDecodeMemo::key_of(const Message& msg, ByteView part,
                                                                const std::type_info& type) {
  if (!msg.body) return std::nullopt;
  // Compare addresses as integers: pointers into different objects are not ordered in C++.
  const auto begin = reinterpret_cast<std::uintptr_t>(msg.body->data());
  const auto end = begin + msg.body->size();
  const auto at = reinterpret_cast<std::uintptr_t>(part.data());
  if (part.empty() && msg.body->empty()) return Key{msg.body.get(), 0, 0, msg.type, type};
  if (at < begin || at > end || part.size() > end - at) return std::nullopt;
  return Key{msg.body.get(), at - begin, part.size(), msg.type, type};
}

std::shared_ptr<const void> MessageDecodeMemo::find(const Message& msg, ByteView part,
                                                    const std::type_info& type) {
  if (!memo_.enabled()) return nullptr;
  const std::optional<Key> key = key_of(msg, part, type);
  if (!key) return nullptr;
  const Entry* entry = memo_.find(*key);
  return entry == nullptr ? nullptr : entry->value;
}

void MessageDecodeMemo::insert(const Message& msg, ByteView part, const std::type_info& type,
                               std::shared_ptr<const void> value) {
  if (!memo_.enabled() || !value) return;
  if (const std::optional<Key> key = key_of(msg, part, type)) {
    memo_.insert(*key, Entry{msg.body, std::move(value)});
  }
}

}  // namespace hlsim
