// A protocol message on the simulated wire.
//
// The body is the protocol's own canonical encoding (ledger/encoding.h), so the size the network
// charges is the real encoded size, and decoding is real (and can fail on malformed bytes). The
// body is immutable and shared, so broadcasting does not copy it.
#pragma once

#include <cstdint>
#include <memory>

#include "ledger/bytes.h"

namespace hlsim {

// Framing every message pays on the wire: type, length, sender, channel authentication tag.
inline constexpr std::uint64_t kMessageHeaderBytes = 40;

struct Message {
  std::uint16_t type = 0;             // protocol-defined; index into ProtocolInfo::message_types
  std::shared_ptr<const Bytes> body;  // never null for a sent message

  static Message make(std::uint16_t type, Bytes body) {
    return Message{type, std::make_shared<const Bytes>(std::move(body))};
  }
  std::uint64_t wire_bytes() const { return kMessageHeaderBytes + (body ? body->size() : 0); }
  ByteView view() const { return body ? ByteView(*body) : ByteView(); }
};

}  // namespace hlsim
