// Chained HotStuff's wire codec; the formats and the contract are in hotstuff_messages.h.
#include "consensus/hotstuff/hotstuff_messages.h"

#include <memory>
#include <utility>

#include "ledger/encoding.h"

namespace hlsim {

const std::vector<std::string>& hotstuff_message_type_names() {
  static const std::vector<std::string> names = {"proposal",  "vote",  "new-view",
                                                 "tx-gossip", "fetch", "fetch-reply"};
  return names;
}

namespace hotstuff {

namespace {

// A vote's fixed fields alone take this many bytes (version, kind, height, epoch, hash, voter), so
// a count the remaining bytes cannot hold is malformed; checking it first keeps a forged count from
// driving an allocation.
constexpr std::size_t kMinVoteBytes = 1 + 1 + 8 + 8 + 32 + 4;
constexpr std::size_t kQcFixedBytes = 8 + 8 + 32 + 4;

Message finish(HotStuffMessageType type, Writer& w) {
  return Message::make(static_cast<std::uint16_t>(type), w.take());
}

std::size_t qc_size(const QuorumCert& qc) {
  std::size_t size = kQcFixedBytes;
  for (const SignedVote& v : qc.votes) size += v.encoded_size();
  return size;
}

// Blocks as u32-length-prefixed byte strings; views into the reader's input.
bool read_blocks(Reader& r, std::vector<ByteView>& out) {
  std::uint32_t count = 0;
  if (!r.u32(count) || count > r.remaining() / 4) return false;
  out.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t len = 0;
    ByteView block;
    if (!r.u32(len) || !r.view(block, len)) return false;
    out.push_back(block);
  }
  return true;
}

}  // namespace

void QuorumCert::encode_to(Writer& w) const {
  w.u64(view);
  w.u64(height);
  w.hash(block_hash);
  w.u32(static_cast<std::uint32_t>(votes.size()));
  for (const SignedVote& v : votes) v.encode_to(w);
}

std::optional<QuorumCert> QuorumCert::decode_from(Reader& r) {
  QuorumCert qc;
  std::uint32_t count = 0;
  r.u64(qc.view);
  r.u64(qc.height);
  r.hash(qc.block_hash);
  if (!r.u32(count) || count > r.remaining() / kMinVoteBytes) return std::nullopt;
  qc.votes.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::optional<SignedVote> v = SignedVote::decode_from(r);
    if (!v) return std::nullopt;
    qc.votes.push_back(*v);
  }
  return qc;
}

Message encode_message(const Proposal& m) {
  Writer w(4 + m.block.size() + qc_size(m.justify));
  w.bytes(m.block);
  m.justify.encode_to(w);
  return finish(HotStuffMessageType::kProposal, w);
}

Message encode_message(const SignedVote& vote) {
  Writer w(vote.encoded_size());
  vote.encode_to(w);
  return finish(HotStuffMessageType::kVote, w);
}

Message encode_message(const NewView& m) {
  Writer w(8 + 8 + qc_size(m.high_qc) + m.timeout.encoded_size() + 1 +
           (m.last_vote ? m.last_vote->encoded_size() : 0));
  w.u64(m.view);
  w.u64(m.committed_height);
  m.high_qc.encode_to(w);
  m.timeout.encode_to(w);
  w.u8(m.last_vote ? 1 : 0);
  if (m.last_vote) m.last_vote->encode_to(w);
  return finish(HotStuffMessageType::kNewView, w);
}

Message encode_message(const TxGossip& m) {
  std::size_t size = 4;
  for (const TxRef& tx : m.txs) size += tx->encoded_size();
  Writer w(size);
  w.u32(static_cast<std::uint32_t>(m.txs.size()));
  for (const TxRef& tx : m.txs) tx->encode_to(w);
  return finish(HotStuffMessageType::kTxGossip, w);
}

Message encode_message(const Fetch& m) {
  Writer w(32 + 8 + 8);
  w.hash(m.target);
  w.u64(m.target_height);
  w.u64(m.low_height);
  return finish(HotStuffMessageType::kFetch, w);
}

Message encode_message(const FetchReply& m) {
  std::size_t size = 1 + (m.qc ? qc_size(*m.qc) : 0) + 4;
  for (const ByteView& b : m.blocks) size += 4 + b.size();
  Writer w(size);
  w.u8(m.qc ? 1 : 0);
  if (m.qc) m.qc->encode_to(w);
  w.u32(static_cast<std::uint32_t>(m.blocks.size()));
  for (const ByteView& b : m.blocks) w.bytes(b);
  return finish(HotStuffMessageType::kFetchReply, w);
}

std::optional<Proposal> decode_proposal(ByteView body) {
  Reader r(body);
  Proposal m;
  std::uint32_t len = 0;
  if (!r.u32(len) || !r.view(m.block, len)) return std::nullopt;
  std::optional<QuorumCert> qc = QuorumCert::decode_from(r);
  if (!qc || !r.done()) return std::nullopt;
  m.justify = std::move(*qc);
  return m;
}

std::optional<SignedVote> decode_vote(ByteView body) { return SignedVote::decode(body); }

std::optional<NewView> decode_new_view(ByteView body) {
  Reader r(body);
  NewView m;
  r.u64(m.view);
  r.u64(m.committed_height);
  if (!r.ok()) return std::nullopt;
  std::optional<QuorumCert> qc = QuorumCert::decode_from(r);
  if (!qc) return std::nullopt;
  m.high_qc = std::move(*qc);
  std::optional<SignedVote> timeout = SignedVote::decode_from(r);
  if (!timeout) return std::nullopt;
  m.timeout = *timeout;
  std::uint8_t has_vote = 0;
  if (!r.u8(has_vote) || has_vote > 1) return std::nullopt;
  if (has_vote == 1) {
    m.last_vote = SignedVote::decode_from(r);
    if (!m.last_vote) return std::nullopt;
  }
  if (!r.done()) return std::nullopt;
  return m;
}

std::optional<TxGossip> decode_tx_gossip(ByteView body) {
  Reader r(body);
  std::uint32_t count = 0;
  if (!r.u32(count)) return std::nullopt;
  // A transaction encoding is far longer than one byte; this only bounds the reservation.
  if (count > r.remaining()) return std::nullopt;
  TxGossip m;
  m.txs.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::optional<Transaction> tx = Transaction::decode_from(r);
    if (!tx) return std::nullopt;
    m.txs.push_back(std::make_shared<const Transaction>(std::move(*tx)));
  }
  if (!r.done()) return std::nullopt;
  return m;
}

std::optional<Fetch> decode_fetch(ByteView body) {
  Reader r(body);
  Fetch m;
  r.hash(m.target);
  r.u64(m.target_height);
  r.u64(m.low_height);
  if (!r.done()) return std::nullopt;
  return m;
}

std::optional<FetchReply> decode_fetch_reply(ByteView body) {
  Reader r(body);
  FetchReply m;
  std::uint8_t has_qc = 0;
  if (!r.u8(has_qc) || has_qc > 1) return std::nullopt;
  if (has_qc == 1) {
    m.qc = QuorumCert::decode_from(r);
    if (!m.qc) return std::nullopt;
  }
  if (!read_blocks(r, m.blocks) || !r.done()) return std::nullopt;
  return m;
}

}  // namespace hotstuff
}  // namespace hlsim
