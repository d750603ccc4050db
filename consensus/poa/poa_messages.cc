// Proof of authority's wire codec; the formats and the contract are in poa_messages.h.
#include "consensus/poa/poa_messages.h"

#include <memory>
#include <utility>

#include "ledger/encoding.h"

namespace hlsim {

namespace {

Message finish(PoaMessageType type, Writer& w) {
  return Message::make(static_cast<std::uint16_t>(type), w.take());
}

}  // namespace

const std::vector<std::string>& poa_message_type_names() {
  static const std::vector<std::string> names = {"block", "tx-gossip", "fetch", "fetch-reply"};
  return names;
}

Message encode_poa_block(const Block& block) {
  return Message::make(static_cast<std::uint16_t>(PoaMessageType::kBlock), block.encode());
}

Message encode_message(const PoaTxGossip& m) {
  std::size_t size = 4;
  for (const TxRef& tx : m.txs) size += tx->encoded_size();
  Writer w(size);
  w.u32(static_cast<std::uint32_t>(m.txs.size()));
  for (const TxRef& tx : m.txs) tx->encode_to(w);
  return finish(PoaMessageType::kTxGossip, w);
}

Message encode_message(const PoaFetch& m) {
  Writer w(16);
  w.u64(m.from_height);
  w.u64(m.to_height);
  return finish(PoaMessageType::kFetch, w);
}

Message encode_message(const PoaFetchReply& m) {
  std::size_t size = 8 + 4;
  for (const ByteView& b : m.blocks) size += 4 + b.size();
  Writer w(size);
  w.u64(m.from_height);
  w.u32(static_cast<std::uint32_t>(m.blocks.size()));
  for (const ByteView& b : m.blocks) w.bytes(b);
  return finish(PoaMessageType::kFetchReply, w);
}

std::optional<PoaTxGossip> decode_poa_tx_gossip(ByteView body) {
  Reader r(body);
  std::uint32_t count = 0;
  if (!r.u32(count)) return std::nullopt;
  // A transaction encoding is far longer than one byte; this only bounds the reservation.
  if (count > r.remaining()) return std::nullopt;
  PoaTxGossip m;
  m.txs.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::optional<Transaction> tx = Transaction::decode_from(r);
    if (!tx) return std::nullopt;
    m.txs.push_back(std::make_shared<const Transaction>(std::move(*tx)));
  }
  if (!r.done()) return std::nullopt;
  return m;
}

std::optional<PoaFetch> decode_poa_fetch(ByteView body) {
  Reader r(body);
  PoaFetch m;
  r.u64(m.from_height);
  r.u64(m.to_height);
  if (!r.done() || m.from_height == 0 || m.from_height > m.to_height) return std::nullopt;
  return m;
}

std::optional<PoaFetchReply> decode_poa_fetch_reply(ByteView body) {
  Reader r(body);
  PoaFetchReply m;
  std::uint32_t count = 0;
  r.u64(m.from_height);
  if (!r.u32(count) || m.from_height == 0) return std::nullopt;
  // Every block takes at least its 4-byte length, so a count the body cannot hold is malformed;
  // checking first keeps a forged count from driving the allocation below.
  if (count > r.remaining() / 4) return std::nullopt;
  // from_height + count must not wrap: the receiver computes heights with it.
  if (m.from_height > ~Height{0} - count) return std::nullopt;
  m.blocks.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t len = 0;
    ByteView block;
    if (!r.u32(len) || !r.view(block, len)) return std::nullopt;
    m.blocks.push_back(block);
  }
  if (!r.done()) return std::nullopt;
  return m;
}

}  // namespace hlsim
