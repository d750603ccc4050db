// Shared decodings of broadcast messages.
//
// A broadcast hands every receiver the same immutable body (Message::body is shared). Decoding it
// is a pure function of those bytes, so the first receiver's decoding can serve the others: at
// 1,000 validators, decoding each tx-gossip batch and each quorum certificate once per run
// instead of once per validator. Simulated results are unchanged, because each receiver gets a
// value equal to its own decoding would have been, and whatever a protocol charges for handling
// the message it still charges; only the host works less.
//
// The memo (a BoundedMemo) is keyed by the body object itself (each entry holds a reference, so
// the object and its address stay unique while the entry lives), the part of it decoded (the
// whole body, or a span within it such as the block a proposal carries), the message type and
// the decoded C++ type. A malformed body is never kept: each receiver finds it malformed itself.
// The oldest entries beyond the capacity are dropped. Not thread-safe: one memo per simulation
// thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <typeindex>
#include <typeinfo>
#include <utility>

#include "consensus/message.h"
#include "ledger/bounded_memo.h"

namespace hlsim {

class MessageDecodeMemo {
 public:
  // `capacity` 0 disables the memo.
  explicit MessageDecodeMemo(std::size_t capacity) : memo_(capacity) {}

  bool enabled() const { return memo_.enabled(); }

  // The value kept for `part` (msg's whole body, or a span within it) of this body object and
  // message type, decoded as `type`; null if none, or if `part` does not lie within the body.
  // Counts a hit or a miss.
  std::shared_ptr<const void> find(const Message& msg, ByteView part, const std::type_info& type);
  // Keeps `value`, `part` of msg's body decoded as `type`. A part already kept keeps its first
  // value; a part outside the body is not kept.
  void insert(const Message& msg, ByteView part, const std::type_info& type,
              std::shared_ptr<const void> value);

  std::size_t size() const { return memo_.size(); }
  std::uint64_t hits() const { return memo_.hits(); }
  std::uint64_t misses() const { return memo_.misses(); }

 private:
  struct Key {
    const Bytes* body = nullptr;
    std::size_t offset = 0;
    std::size_t size = 0;
    std::uint16_t message_type = 0;
    std::type_index type = typeid(void);
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
      return std::hash<const void*>{}(k.body) ^ (k.offset * 0x9E3779B97F4A7C15ULL) ^ k.size ^
             (std::size_t{k.message_type} << 48) ^ k.type.hash_code();
    }
  };
  struct Entry {
    std::shared_ptr<const Bytes> body;  // keeps the key's address unique while kept
    std::shared_ptr<const void> value;
  };
  // The key of `part` of msg's body decoded as `type`; nullopt when it does not lie within it.
  static std::optional<Key> key_of(const Message& msg, ByteView part, const std::type_info& type);

  // Keyed by address only for lookup; nothing ever iterates it, so the order of addresses
  // cannot reach a result.
  BoundedMemo<Entry, Key, KeyHash> memo_;
};

// msg's body decoded by `decode` (ByteView -> std::optional<T>, a pure function of the bytes),
// shared through `memo` when there is one; null when the body is malformed.
template <class T, class Decode>
std::shared_ptr<const T> decode_shared(MessageDecodeMemo* memo, const Message& msg,
                                       Decode&& decode) {
  if (memo != nullptr && memo->enabled() && msg.body) {
    if (auto kept = memo->find(msg, msg.view(), typeid(T))) {
      return std::static_pointer_cast<const T>(std::move(kept));
    }
  }
  std::optional<T> decoded = decode(msg.view());
  if (!decoded) return nullptr;
  auto value = std::make_shared<const T>(std::move(*decoded));
  if (memo != nullptr && memo->enabled() && msg.body) {
    memo->insert(msg, msg.view(), typeid(T), value);
  }
  return value;
}

}  // namespace hlsim
