// Canonical binary encoding: little-endian fixed-width integers and u32-length-prefixed byte
// strings. Every encoded object (transaction, block, protocol message) is built with Writer and
// parsed with Reader, so sizes on the simulated wire are real and decoders reject truncated or
// trailing input.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "ledger/bytes.h"

namespace hlsim {

class Writer {
 public:
  Writer() = default;
  explicit Writer(std::size_t reserve_bytes) { out_.reserve(reserve_bytes); }

  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) { put_le(v, 2); }
  void u32(std::uint32_t v) { put_le(v, 4); }
  void u64(std::uint64_t v) { put_le(v, 8); }
  void i64(std::int64_t v) { put_le(static_cast<std::uint64_t>(v), 8); }
  void raw(ByteView b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void hash(const Hash256& h) { raw(h.view()); }
  // u32 length, then the bytes.
  void bytes(ByteView b) {
    u32(static_cast<std::uint32_t>(b.size()));
    raw(b);
  }
  void str(std::string_view s) { bytes(as_bytes(s)); }

  std::size_t size() const { return out_.size(); }
  const Bytes& data() const { return out_; }
  Bytes take() { return std::move(out_); }

 private:
  void put_le(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  Bytes out_;
};

// Reads what Writer wrote. Every read fails (returns false, and the reader stays failed) on
// truncated input; callers check ok() / done() once at the end.
class Reader {
 public:
  explicit Reader(ByteView in) : in_(in) {}

  bool u8(std::uint8_t& v) { return get_le(v, 1); }
  bool u16(std::uint16_t& v) { return get_le(v, 2); }
  bool u32(std::uint32_t& v) { return get_le(v, 4); }
  bool u64(std::uint64_t& v) { return get_le(v, 8); }
  bool i64(std::int64_t& v) {
    std::uint64_t u = 0;
    if (!get_le(u, 8)) return false;
    v = static_cast<std::int64_t>(u);
    return true;
  }
  bool raw(std::uint8_t* dst, std::size_t n) {
    if (!ok_ || in_.size() - pos_ < n) return fail();
    if (n > 0) std::memcpy(dst, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool hash(Hash256& h) { return raw(h.bytes.data(), h.bytes.size()); }
  // Reads a u32 length then that many bytes; rejects lengths above max_len.
  bool bytes(Bytes& b, std::size_t max_len = 64u << 20) {
    std::uint32_t n = 0;
    if (!u32(n) || n > max_len || in_.size() - pos_ < n) return fail();
    b.assign(in_.begin() + static_cast<std::ptrdiff_t>(pos_),
             in_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    return true;
  }
  bool str(std::string& s, std::size_t max_len = 64u << 20) {
    Bytes b;
    if (!bytes(b, max_len)) return false;
    s.assign(b.begin(), b.end());
    return true;
  }
  // A view of the next n bytes without copying.
  bool view(ByteView& v, std::size_t n) {
    if (!ok_ || in_.size() - pos_ < n) return fail();
    v = in_.subspan(pos_, n);
    pos_ += n;
    return true;
  }

  bool ok() const { return ok_; }
  // True when everything was read without error and nothing is left over.
  bool done() const { return ok_ && pos_ == in_.size(); }
  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return in_.size() - pos_; }
  // The whole input, so a decoder can hash a span it has just parsed without re-encoding it.
  ByteView input() const { return in_; }

 private:
  template <class T>
  bool get_le(T& v, int n) {
    if (!ok_ || in_.size() - pos_ < static_cast<std::size_t>(n)) return fail();
    std::uint64_t acc = 0;
    for (int i = 0; i < n; ++i) acc |= static_cast<std::uint64_t>(in_[pos_ + i]) << (8 * i);
    pos_ += static_cast<std::size_t>(n);
    v = static_cast<T>(acc);
    return true;
  }
  bool fail() {
    ok_ = false;
    return false;
  }
  ByteView in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace hlsim
