// PBFT's wire codec; the formats and the contract are in pbft_messages.h.
#include "consensus/pbft/pbft_messages.h"

#include <memory>
#include <utility>

#include "ledger/encoding.h"

namespace hlsim::pbft {

namespace {

Message finish(PbftMessageType type, Writer& w) {
  return Message::make(static_cast<std::uint16_t>(type), w.take());
}

void write_votes(Writer& w, const std::vector<SignedVote>& votes) {
  w.u32(static_cast<std::uint32_t>(votes.size()));
  for (const SignedVote& v : votes) v.encode_to(w);
}

// A vote encoding is far longer than 32 bytes; the bound only stops a forged count from driving
// the reservation.
bool read_votes(Reader& r, std::vector<SignedVote>& out) {
  std::uint32_t count = 0;
  if (!r.u32(count) || count > r.remaining() / 32) return false;
  out.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::optional<SignedVote> v = SignedVote::decode_from(r);
    if (!v) return false;
    out.push_back(*v);
  }
  return true;
}

void write_blobs(Writer& w, const std::vector<Bytes>& blobs) {
  w.u32(static_cast<std::uint32_t>(blobs.size()));
  for (const Bytes& b : blobs) w.bytes(b);
}

bool read_blobs(Reader& r, std::vector<Bytes>& out) {
  std::uint32_t count = 0;
  if (!r.u32(count) || count > r.remaining() / 4) return false;
  out.resize(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    if (!r.bytes(out[i])) return false;
  }
  return true;
}

void write_content(Writer& w, const ViewChange& m) {
  w.u64(m.new_view);
  w.u64(m.head);
  w.hash(m.head_hash);
  write_votes(w, m.head_proof);
  w.u32(static_cast<std::uint32_t>(m.certs.size()));
  for (const PreparedCert& c : m.certs) {
    std::vector<SignedVote> all;
    all.reserve(c.prepares.size() + 1);
    all.push_back(c.pre_prepare);
    all.insert(all.end(), c.prepares.begin(), c.prepares.end());
    write_votes(w, all);
  }
  write_blobs(w, m.blocks);
}

bool read_content(ByteView content, ViewChange& m) {
  Reader r(content);
  r.u64(m.new_view);
  r.u64(m.head);
  r.hash(m.head_hash);
  if (!read_votes(r, m.head_proof)) return false;
  std::uint32_t certs = 0;
  if (!r.u32(certs) || certs > r.remaining() / 4) return false;
  m.certs.resize(certs);
  for (PreparedCert& c : m.certs) {
    std::vector<SignedVote> all;
    if (!read_votes(r, all) || all.empty()) return false;
    c.pre_prepare = all.front();
    c.prepares.assign(std::make_move_iterator(all.begin() + 1), std::make_move_iterator(all.end()));
  }
  return read_blobs(r, m.blocks) && r.done();
}

}  // namespace

const std::vector<std::string>& pbft_message_type_names() {
  static const std::vector<std::string> names = {"pre-prepare", "prepare",     "commit",
                                                 "checkpoint",  "view-change", "new-view",
                                                 "forward",     "fetch",       "fetch-reply"};
  return names;
}

Bytes ViewChange::content() const {
  Writer w;
  write_content(w, *this);
  return w.take();
}

Message encode_message(const PrePrepare& m) {
  Writer w(m.vote.encoded_size() + 4 + m.block.size());
  m.vote.encode_to(w);
  w.bytes(m.block);
  return finish(PbftMessageType::kPrePrepare, w);
}

Message encode_vote_message(PbftMessageType type, const SignedVote& vote) {
  Writer w(vote.encoded_size());
  vote.encode_to(w);
  return finish(type, w);
}

Message encode_message(const ViewChange& m) {
  const Bytes content = m.content();
  Writer w(4 + content.size() + m.auth.encoded_size());
  w.bytes(content);
  m.auth.encode_to(w);
  return finish(PbftMessageType::kViewChange, w);
}

Message encode_message(const NewView& m) {
  Writer w;
  w.u64(m.view);
  write_blobs(w, m.view_changes);
  write_votes(w, m.pre_prepares);
  return finish(PbftMessageType::kNewView, w);
}

Message encode_message(const Forward& m) {
  std::size_t size = 4;
  for (const TxRef& tx : m.txs) size += tx->encoded_size();
  Writer w(size);
  w.u32(static_cast<std::uint32_t>(m.txs.size()));
  for (const TxRef& tx : m.txs) tx->encode_to(w);
  return finish(PbftMessageType::kForward, w);
}

Message encode_message(const Fetch& m) {
  Writer w(16);
  w.u64(m.from_height);
  w.u64(m.want_view);
  return finish(PbftMessageType::kFetch, w);
}

Message encode_message(const FetchReply& m) {
  Writer w;
  w.u64(m.replier_head);
  write_blobs(w, m.blocks);
  write_votes(w, m.proof);
  w.u8(m.new_view ? 1 : 0);
  if (m.new_view) w.bytes(*m.new_view);
  return finish(PbftMessageType::kFetchReply, w);
}

std::optional<PrePrepare> decode_pre_prepare(ByteView body) {
  Reader r(body);
  std::optional<SignedVote> vote = SignedVote::decode_from(r);
  if (!vote) return std::nullopt;
  PrePrepare m{*vote, {}};
  if (!r.bytes(m.block) || !r.done()) return std::nullopt;
  return m;
}

std::optional<SignedVote> decode_vote_message(ByteView body) { return SignedVote::decode(body); }

std::optional<ViewChange> decode_view_change(ByteView body) {
  Reader r(body);
  ByteView content;
  std::uint32_t len = 0;
  if (!r.u32(len) || !r.view(content, len)) return std::nullopt;
  ViewChange m;
  if (!read_content(content, m)) return std::nullopt;
  std::optional<SignedVote> auth = SignedVote::decode_from(r);
  if (!auth || !r.done()) return std::nullopt;
  m.auth = *auth;
  return m;
}

std::optional<NewView> decode_new_view(ByteView body) {
  Reader r(body);
  NewView m;
  r.u64(m.view);
  if (!read_blobs(r, m.view_changes) || !read_votes(r, m.pre_prepares) || !r.done()) {
    return std::nullopt;
  }
  return m;
}

std::optional<Forward> decode_forward_message(ByteView body) {
  Reader r(body);
  std::uint32_t count = 0;
  if (!r.u32(count) || count > r.remaining()) return std::nullopt;
  Forward m;
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
  r.u64(m.from_height);
  r.u64(m.want_view);
  if (!r.done() || m.from_height == 0) return std::nullopt;
  return m;
}

std::optional<FetchReply> decode_fetch_reply(ByteView body) {
  Reader r(body);
  FetchReply m;
  r.u64(m.replier_head);
  if (!read_blobs(r, m.blocks) || !read_votes(r, m.proof)) return std::nullopt;
  std::uint8_t has = 0;
  if (!r.u8(has) || has > 1) return std::nullopt;
  if (has == 1) {
    Bytes nv;
    if (!r.bytes(nv)) return std::nullopt;
    m.new_view = std::move(nv);
  }
  if (!r.done()) return std::nullopt;
  return m;
}

}  // namespace hlsim::pbft
