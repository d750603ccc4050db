// Tendermint's wire codec; the formats and the contract are in tendermint_messages.h.
#include "consensus/tendermint/tendermint_messages.h"

#include <memory>
#include <string_view>
#include <utility>

#include "ledger/encoding.h"

namespace hlsim {

namespace {

constexpr std::string_view kProposalDomain = "hlsim-tendermint-proposal-v1";

Message finish(TendermintMessageType type, Writer& w) {
  return Message::make(static_cast<std::uint16_t>(type), w.take());
}

// A u32 count of items each at least `min_item_bytes` long must fit in what is left: checked
// before any reservation, so a forged count cannot drive an allocation.
bool plausible_count(const Reader& r, std::uint32_t count, std::size_t min_item_bytes) {
  return count <= r.remaining() / min_item_bytes;
}

}  // namespace

const std::vector<std::string>& tendermint_message_type_names() {
  static const std::vector<std::string> names = {"proposal",  "prevote", "precommit",
                                                 "tx-gossip", "fetch",   "commit-sync"};
  return names;
}

Bytes proposal_sign_bytes(Height height, std::uint64_t round, std::int64_t valid_round,
                          const Hash256& block_hash) {
  Writer w(kProposalDomain.size() + 8 + 8 + 8 + 32);
  w.raw(as_bytes(kProposalDomain));
  w.u64(height);
  w.u64(round);
  w.i64(valid_round);
  w.hash(block_hash);
  return w.take();
}

Message encode_proposal(const Proposal& m) {
  Writer w(8 + 8 + 8 + 4 + m.block.size() + m.signature.encoded_size());
  w.u64(m.height);
  w.u64(m.round);
  w.i64(m.valid_round);
  w.bytes(m.block);
  m.signature.encode_to(w);
  return finish(TendermintMessageType::kProposal, w);
}

Message encode_vote(const SignedVote& vote) {
  const auto type = vote.kind == static_cast<std::uint8_t>(VoteKind::kPrevote)
                        ? TendermintMessageType::kPrevote
                        : TendermintMessageType::kPrecommit;
  return Message::make(static_cast<std::uint16_t>(type), vote.encode());
}

Message encode_tx_gossip(const std::vector<TxRef>& txs) {
  std::size_t size = 4;
  for (const TxRef& tx : txs) size += tx->encoded_size();
  Writer w(size);
  w.u32(static_cast<std::uint32_t>(txs.size()));
  for (const TxRef& tx : txs) tx->encode_to(w);
  return finish(TendermintMessageType::kTxGossip, w);
}

Message encode_fetch(Height from_height) {
  Writer w(8);
  w.u64(from_height);
  return finish(TendermintMessageType::kFetch, w);
}

Message encode_commit_sync(const CommitSync& m) {
  std::size_t size = 8 + 4 + m.block.size() + 4;
  for (const SignedVote& v : m.precommits) size += v.encoded_size();
  Writer w(size);
  w.u64(m.sender_height);
  w.bytes(m.block);
  w.u32(static_cast<std::uint32_t>(m.precommits.size()));
  for (const SignedVote& v : m.precommits) v.encode_to(w);
  return finish(TendermintMessageType::kCommitSync, w);
}

std::optional<Proposal> decode_proposal(ByteView body) {
  Reader r(body);
  Proposal m;
  std::uint32_t len = 0;
  r.u64(m.height);
  r.u64(m.round);
  r.i64(m.valid_round);
  if (!r.u32(len) || !r.view(m.block, len)) return std::nullopt;
  std::optional<Signature> sig = Signature::decode_from(r);
  if (!sig || !r.done()) return std::nullopt;
  m.signature = *sig;
  // Algorithm 1 line 28: a valid round is -1 or an earlier round of the same height.
  if (m.valid_round < kNoRound ||
      (m.valid_round >= 0 && static_cast<std::uint64_t>(m.valid_round) >= m.round)) {
    return std::nullopt;
  }
  return m;
}

std::optional<SignedVote> decode_vote(TendermintMessageType type, ByteView body) {
  std::optional<SignedVote> v = SignedVote::decode(body);
  if (!v) return std::nullopt;
  const bool kind_matches = (type == TendermintMessageType::kPrevote &&
                             v->kind == static_cast<std::uint8_t>(VoteKind::kPrevote)) ||
                            (type == TendermintMessageType::kPrecommit &&
                             v->kind == static_cast<std::uint8_t>(VoteKind::kPrecommit));
  if (!kind_matches) return std::nullopt;
  return v;
}

std::optional<std::vector<TxRef>> decode_tx_gossip(ByteView body) {
  Reader r(body);
  std::uint32_t count = 0;
  if (!r.u32(count) || !plausible_count(r, count, 1)) return std::nullopt;
  std::vector<TxRef> txs;
  txs.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::optional<Transaction> tx = Transaction::decode_from(r);
    if (!tx) return std::nullopt;
    txs.push_back(std::make_shared<const Transaction>(std::move(*tx)));
  }
  if (!r.done()) return std::nullopt;
  return txs;
}

std::optional<Height> decode_fetch(ByteView body) {
  Reader r(body);
  Height from = 0;
  r.u64(from);
  if (!r.done() || from == 0) return std::nullopt;
  return from;
}

std::optional<CommitSync> decode_commit_sync(ByteView body) {
  Reader r(body);
  CommitSync m;
  std::uint32_t len = 0;
  std::uint32_t count = 0;
  r.u64(m.sender_height);
  if (!r.u32(len) || !r.view(m.block, len)) return std::nullopt;
  if (!r.u32(count) || !plausible_count(r, count, 1)) return std::nullopt;
  m.precommits.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::optional<SignedVote> v = SignedVote::decode_from(r);
    if (!v) return std::nullopt;
    m.precommits.push_back(*v);
  }
  if (!r.done()) return std::nullopt;
  return m;
}

std::optional<Height> peek_block_height(ByteView encoded_block) {
  Reader r(encoded_block);
  std::uint8_t version = 0;
  Height height = 0;
  r.u8(version);
  r.u64(height);
  if (!r.ok()) return std::nullopt;
  return height;
}

}  // namespace hlsim
