// Proof of authority's wire messages and their canonical encodings (ledger/encoding.h).
//
// All integers are little-endian. Bodies, by Message::type:
//   block        the sealed block's own encoding (Block::encode)
//   tx-gossip    u32 count | count x encoded transaction
//   fetch        u64 from_height | u64 to_height              (1 <= from <= to)
//   fetch-reply  u64 from_height | u32 count | count x (u32 length | encoded block)
// A fetch asks a peer for the blocks of its best chain (committed and tentative) at heights
// [from, to]; the reply carries them in ascending height order from `from`, at most the
// responder's max_fetch_blocks of them and none above its head (so fewer than asked means "that
// was my head").
//
// Decoders reject truncated, trailing or otherwise malformed input with nullopt and never trust a
// length or count beyond the bytes actually present. The blocks of a decoded fetch-reply are
// views into the message body: they live as long as that body. Blocks are only split out here;
// the receiver decodes and checks them through its NodeCrypto (decode_block).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "consensus/message.h"
#include "ledger/block.h"
#include "ledger/bytes.h"
#include "ledger/transaction.h"
#include "sim/kernel/ids.h"

namespace hlsim {

// Message::type values; the order matches poa_message_type_names().
enum class PoaMessageType : std::uint16_t {
  kBlock = 0,
  kTxGossip = 1,
  kFetch = 2,
  kFetchReply = 3,
};

const std::vector<std::string>& poa_message_type_names();

struct PoaTxGossip {
  std::vector<TxRef> txs;
};

struct PoaFetch {
  Height from_height = 0;
  Height to_height = 0;
  bool operator==(const PoaFetch&) const = default;
};

struct PoaFetchReply {
  Height from_height = 0;
  std::vector<ByteView> blocks;  // encoded blocks for from_height, from_height + 1, ...
};

Message encode_poa_block(const Block& block);
Message encode_message(const PoaTxGossip& m);
Message encode_message(const PoaFetch& m);
// REQUIRES: every block's encoding stays alive until this returns.
Message encode_message(const PoaFetchReply& m);

// The block message carries nothing but the block: its body is handed to decode_block as is.
std::optional<PoaTxGossip> decode_poa_tx_gossip(ByteView body);
std::optional<PoaFetch> decode_poa_fetch(ByteView body);
std::optional<PoaFetchReply> decode_poa_fetch_reply(ByteView body);

}  // namespace hlsim
