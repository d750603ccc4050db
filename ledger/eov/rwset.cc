#include "ledger/eov/rwset.h"

#include "ledger/crypto/sha256.h"

namespace hlsim {
namespace {
// Decoding bounds: a key or value longer than this, or more entries, is malformed.
constexpr std::size_t kKeyBytesMax = 64 << 10;
constexpr std::size_t kValueBytesMax = 16 << 20;
constexpr std::uint32_t kEntriesMax = 1 << 20;
}  // namespace

void RwSet::encode_to(Writer& w) const {
  w.u32(static_cast<std::uint32_t>(reads.size()));
  for (const auto& r : reads) {
    w.str(r.key);
    w.u8(r.version ? 1 : 0);
    if (r.version) {
      w.u64(r.version->block);
      w.u32(r.version->tx);
    }
  }
  w.u32(static_cast<std::uint32_t>(writes.size()));
  for (const auto& x : writes) {
    w.str(x.key);
    w.u8(x.value ? 0 : 1);
    if (x.value) w.str(*x.value);
  }
}

std::optional<RwSet> RwSet::decode_from(Reader& r) {
  RwSet s;
  std::uint32_t n = 0;
  if (!r.u32(n) || n > kEntriesMax || n > r.remaining()) return std::nullopt;
  s.reads.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    KvRead& rd = s.reads[i];
    std::uint8_t has = 0;
    if (!r.str(rd.key, kKeyBytesMax) || !r.u8(has) || has > 1) return std::nullopt;
    if (i > 0 && !(s.reads[i - 1].key < rd.key)) return std::nullopt;
    if (has == 1) {
      Version v;
      if (!r.u64(v.block) || !r.u32(v.tx)) return std::nullopt;
      rd.version = v;
    }
  }
  if (!r.u32(n) || n > kEntriesMax || n > r.remaining()) return std::nullopt;
  s.writes.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    KvWrite& wr = s.writes[i];
    std::uint8_t del = 0;
    if (!r.str(wr.key, kKeyBytesMax) || !r.u8(del) || del > 1) return std::nullopt;
    if (i > 0 && !(s.writes[i - 1].key < wr.key)) return std::nullopt;
    if (del == 0) {
      std::string v;
      if (!r.str(v, kValueBytesMax)) return std::nullopt;
      wr.value = std::move(v);
    }
  }
  return s;
}

Bytes RwSet::encode() const {
  Writer w(encoded_size());
  encode_to(w);
  return w.take();
}

std::size_t RwSet::encoded_size() const {
  std::size_t n = 8;
  for (const auto& r : reads) n += 4 + r.key.size() + 1 + (r.version ? 12 : 0);
  for (const auto& x : writes) n += 4 + x.key.size() + 1 + (x.value ? 4 + x.value->size() : 0);
  return n;
}

Hash256 RwSet::hash() const { return sha256(encode()); }

}  // namespace hlsim
