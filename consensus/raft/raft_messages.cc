// Raft's wire codec; the formats and the contract are in raft_messages.h.
#include "consensus/raft/raft_messages.h"

#include <memory>
#include <utility>

#include "ledger/encoding.h"

namespace hlsim {

namespace {

Message finish(RaftMessageType type, Writer& w) {
  return Message::make(static_cast<std::uint16_t>(type), w.take());
}

// A bool on the wire is exactly 0 or 1; anything else is malformed.
bool read_bool(Reader& r, bool& out) {
  std::uint8_t v = 0;
  if (!r.u8(v) || v > 1) return false;
  out = v == 1;
  return true;
}

}  // namespace

const std::vector<std::string>& raft_message_type_names() {
  static const std::vector<std::string> names = {"request_vote", "vote", "append_entries",
                                                 "append_reply", "forward"};
  return names;
}

Message encode_message(const RequestVote& m) {
  Writer w(8 + 4 + 8 + 8);
  w.u64(m.term);
  w.u32(m.candidate);
  w.u64(m.last_log_index);
  w.u64(m.last_log_term);
  return finish(RaftMessageType::kRequestVote, w);
}

Message encode_message(const Vote& m) {
  Writer w(8 + 1);
  w.u64(m.term);
  w.u8(m.granted ? 1 : 0);
  return finish(RaftMessageType::kVote, w);
}

Message encode_message(const AppendEntries& m) {
  std::size_t size = 8 + 4 + 8 + 8 + 8 + 4;
  for (const ByteView& e : m.entries) size += 4 + e.size();
  Writer w(size);
  w.u64(m.term);
  w.u32(m.leader);
  w.u64(m.prev_index);
  w.u64(m.prev_term);
  w.u64(m.leader_commit);
  w.u32(static_cast<std::uint32_t>(m.entries.size()));
  for (const ByteView& e : m.entries) w.bytes(e);
  return finish(RaftMessageType::kAppendEntries, w);
}

Message encode_message(const AppendReply& m) {
  Writer w(8 + 1 + 8 + 8);
  w.u64(m.term);
  // Flags: bit 0 success, bit 1 lost_log; the other bits are zero.
  w.u8(static_cast<std::uint8_t>((m.success ? 1 : 0) | (m.lost_log ? 2 : 0)));
  w.u64(m.index);
  w.u64(m.last_log_index);
  return finish(RaftMessageType::kAppendReply, w);
}

Message encode_message(const Forward& m) {
  std::size_t size = 4;
  for (const TxRef& tx : m.txs) size += tx->encoded_size();
  Writer w(size);
  w.u32(static_cast<std::uint32_t>(m.txs.size()));
  for (const TxRef& tx : m.txs) tx->encode_to(w);
  return finish(RaftMessageType::kForward, w);
}

std::optional<RequestVote> decode_request_vote(ByteView body) {
  Reader r(body);
  RequestVote m;
  r.u64(m.term);
  r.u32(m.candidate);
  r.u64(m.last_log_index);
  r.u64(m.last_log_term);
  if (!r.done()) return std::nullopt;
  return m;
}

std::optional<Vote> decode_vote(ByteView body) {
  Reader r(body);
  Vote m;
  r.u64(m.term);
  if (!read_bool(r, m.granted) || !r.done()) return std::nullopt;
  return m;
}

std::optional<AppendEntries> decode_append_entries(ByteView body) {
  Reader r(body);
  AppendEntries m;
  std::uint32_t count = 0;
  r.u64(m.term);
  r.u32(m.leader);
  r.u64(m.prev_index);
  r.u64(m.prev_term);
  r.u64(m.leader_commit);
  if (!r.u32(count)) return std::nullopt;
  // Every entry takes at least its 4-byte length, so a count the body cannot hold is malformed;
  // checking first keeps a forged count from driving the allocation below.
  if (count > r.remaining() / 4) return std::nullopt;
  m.entries.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t len = 0;
    ByteView entry;
    if (!r.u32(len) || !r.view(entry, len)) return std::nullopt;
    m.entries.push_back(entry);
  }
  if (!r.done()) return std::nullopt;
  // prev_index + count must not wrap: the receiver indexes its log with it.
  if (m.prev_index > ~Height{0} - count) return std::nullopt;
  return m;
}

std::optional<AppendReply> decode_append_reply(ByteView body) {
  Reader r(body);
  AppendReply m;
  r.u64(m.term);
  std::uint8_t flags = 0;
  if (!r.u8(flags) || (flags & ~std::uint8_t{3}) != 0) return std::nullopt;
  m.success = (flags & 1) != 0;
  m.lost_log = (flags & 2) != 0;
  r.u64(m.index);
  r.u64(m.last_log_index);
  if (!r.done()) return std::nullopt;
  return m;
}

std::optional<Forward> decode_forward(ByteView body) {
  Reader r(body);
  std::uint32_t count = 0;
  if (!r.u32(count)) return std::nullopt;
  Forward m;
  // A transaction encoding is far longer than one byte; this only bounds the reservation.
  if (count > r.remaining()) return std::nullopt;
  m.txs.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::optional<Transaction> tx = Transaction::decode_from(r);
    if (!tx) return std::nullopt;
    m.txs.push_back(std::make_shared<const Transaction>(std::move(*tx)));
  }
  if (!r.done()) return std::nullopt;
  return m;
}

}  // namespace hlsim
