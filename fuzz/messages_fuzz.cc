// Fuzzes every consensus protocol's wire-message decoders (consensus/*/_messages.h).
//
// Input: one selector byte, then a message body. The selector picks a decoder from kDecoders
// (modulo its size); the body goes to that decoder. Properties: no decoder crashes, leaks or
// reads outside the body; and since the formats are canonical ("decoders reject truncated,
// trailing or otherwise malformed input"), a body that decodes re-encodes to the same bytes.
#include <array>
#include <cstddef>
#include <cstdint>

#include "consensus/hotstuff/hotstuff_messages.h"
#include "consensus/pbft/pbft_messages.h"
#include "consensus/poa/poa_messages.h"
#include "consensus/raft/raft_messages.h"
#include "consensus/tendermint/tendermint_messages.h"
#include "fuzz/fuzz_check.h"

namespace {

using hlsim::ByteView;
using hlsim::Message;
using hlsim::fuzz::check;
using hlsim::fuzz::round_trip;

// A decoder and its encoder, checked on `body`.
using Decoder = void (*)(ByteView body);

// A copy of an encoded message's body (the Message owning it is a temporary).
hlsim::Bytes body_of(const Message& m) { return m.body ? *m.body : hlsim::Bytes{}; }

// Decode with `decode`, re-encode with the overloaded encode_message of namespace `ns`.
#define HLSIM_MESSAGE(ns, decode)                                                             \
  +[](ByteView body) {                                                                        \
    round_trip(                                                                               \
        body, ns::decode(body), [](const auto& m) { return body_of(ns::encode_message(m)); }, \
        #ns "::" #decode);                                                                    \
  }

constexpr auto kVoteTypePrepare = hlsim::pbft::PbftMessageType::kPrepare;

const std::array<Decoder, 29> kDecoders = {
    // Raft.
    HLSIM_MESSAGE(hlsim, decode_request_vote),
    HLSIM_MESSAGE(hlsim, decode_vote),
    HLSIM_MESSAGE(hlsim, decode_append_entries),
    HLSIM_MESSAGE(hlsim, decode_append_reply),
    HLSIM_MESSAGE(hlsim, decode_forward),
    // PBFT.
    HLSIM_MESSAGE(hlsim::pbft, decode_pre_prepare),
    +[](ByteView body) {
      round_trip(
          body, hlsim::pbft::decode_vote_message(body),
          [](const auto& v) {
            return body_of(hlsim::pbft::encode_vote_message(kVoteTypePrepare, v));
          },
          "pbft::decode_vote_message");
    },
    HLSIM_MESSAGE(hlsim::pbft, decode_view_change),
    HLSIM_MESSAGE(hlsim::pbft, decode_new_view),
    HLSIM_MESSAGE(hlsim::pbft, decode_forward_message),
    HLSIM_MESSAGE(hlsim::pbft, decode_fetch),
    HLSIM_MESSAGE(hlsim::pbft, decode_fetch_reply),
    // Chained HotStuff.
    HLSIM_MESSAGE(hlsim::hotstuff, decode_proposal),
    HLSIM_MESSAGE(hlsim::hotstuff, decode_vote),
    HLSIM_MESSAGE(hlsim::hotstuff, decode_new_view),
    HLSIM_MESSAGE(hlsim::hotstuff, decode_tx_gossip),
    HLSIM_MESSAGE(hlsim::hotstuff, decode_fetch),
    HLSIM_MESSAGE(hlsim::hotstuff, decode_fetch_reply),
    // Tendermint.
    +[](ByteView body) {
      round_trip(
          body, hlsim::decode_proposal(body),
          [](const auto& m) { return body_of(hlsim::encode_proposal(m)); },
          "tendermint decode_proposal");
    },
    +[](ByteView body) {
      round_trip(
          body, hlsim::decode_vote(hlsim::TendermintMessageType::kPrevote, body),
          [](const auto& v) { return body_of(hlsim::encode_vote(v)); }, "tendermint prevote");
    },
    +[](ByteView body) {
      round_trip(
          body, hlsim::decode_vote(hlsim::TendermintMessageType::kPrecommit, body),
          [](const auto& v) { return body_of(hlsim::encode_vote(v)); }, "tendermint precommit");
    },
    +[](ByteView body) {
      round_trip(
          body, hlsim::decode_tx_gossip(body),
          [](const auto& txs) { return body_of(hlsim::encode_tx_gossip(txs)); },
          "tendermint decode_tx_gossip");
    },
    +[](ByteView body) {
      round_trip(
          body, hlsim::decode_fetch(body),
          [](const auto& h) { return body_of(hlsim::encode_fetch(h)); }, "tendermint decode_fetch");
    },
    +[](ByteView body) {
      round_trip(
          body, hlsim::decode_commit_sync(body),
          [](const auto& m) { return body_of(hlsim::encode_commit_sync(m)); },
          "tendermint decode_commit_sync");
    },
    // No encoder: the height is read from the front of a block header; only must not crash.
    +[](ByteView body) { (void)hlsim::peek_block_height(body); },
    // Proof of authority (its block message is Block::encode, fuzzed by ledger_fuzz).
    HLSIM_MESSAGE(hlsim, decode_poa_tx_gossip),
    HLSIM_MESSAGE(hlsim, decode_poa_fetch),
    HLSIM_MESSAGE(hlsim, decode_poa_fetch_reply),
    // A PoA block message: the body is a block as is.
    +[](ByteView body) {
      round_trip(
          body, hlsim::Block::decode(body),
          [](const hlsim::Block& b) { return body_of(hlsim::encode_poa_block(b)); }, "poa block");
    },
};

#undef HLSIM_MESSAGE

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView body(data + 1, size - 1);
  kDecoders[data[0] % kDecoders.size()](body);
  return 0;
}
