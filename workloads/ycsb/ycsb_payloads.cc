#include "workloads/ycsb/ycsb_payloads.h"

#include "ledger/encoding.h"

namespace hlsim::ycsb {

const char* kind_name(std::uint16_t kind) {
  switch (kind) {
    case static_cast<std::uint16_t>(Kind::kRead):
      return "read";
    case static_cast<std::uint16_t>(Kind::kUpdate):
      return "update";
    case static_cast<std::uint16_t>(Kind::kInsert):
      return "insert";
    default:
      return nullptr;
  }
}

Bytes encode(const Read& p) {
  Writer w(8);
  w.u64(p.key);
  return w.take();
}

Bytes encode(const Update& p) {
  Writer w(8 + 1 + 4 + p.value.size());
  w.u64(p.key);
  w.u8(p.field);
  w.bytes(p.value);
  return w.take();
}

Bytes encode(const Insert& p) {
  Writer w(8 + 4 + p.record.size());
  w.u64(p.key);
  w.bytes(p.record);
  return w.take();
}

std::optional<Read> decode_read(ByteView payload) {
  Reader r(payload);
  Read p;
  r.u64(p.key);
  if (!r.done()) return std::nullopt;
  return p;
}

std::optional<Update> decode_update(ByteView payload) {
  Reader r(payload);
  Update p;
  r.u64(p.key);
  r.u8(p.field);
  r.bytes(p.value, kYcsbMaxValueBytes);
  if (!r.done()) return std::nullopt;
  return p;
}

std::optional<Insert> decode_insert(ByteView payload) {
  Reader r(payload);
  Insert p;
  r.u64(p.key);
  r.bytes(p.record, kYcsbMaxValueBytes);
  if (!r.done()) return std::nullopt;
  return p;
}

std::string record_key(std::uint64_t key) { return "ycsb/user" + std::to_string(key); }

}  // namespace hlsim::ycsb
