// Raft's wire messages and their canonical encodings (ledger/encoding.h).
//
// All integers are little-endian; a NodeId is a u32. Bodies, by Message::type:
//   request_vote   u64 term | u32 candidate | u64 last_log_index | u64 last_log_term
//   vote           u64 term | u8 granted
//   append_entries u64 term | u32 leader | u64 prev_index | u64 prev_term | u64 leader_commit |
//                  u32 count | count x (u32 length | encoded block)
//   append_reply   u64 term | u8 success | u64 index | u64 last_log_index
//   forward        u32 count | count x encoded transaction
// append_reply's `index` is the highest index the follower now holds from this message when
// `success`, or the rejected prev_index otherwise (so the leader can tell a stale rejection from
// a current one); last_log_index is the follower's hint for where the leader should retry.
//
// Decoders reject truncated, trailing or otherwise malformed input with nullopt and never trust a
// length or count beyond the bytes actually present. Entries of a decoded AppendEntries are views
// into the message body: they live as long as that body. Blocks are only split out here; they are
// decoded and checked by the receiver through its NodeCrypto.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "consensus/message.h"
#include "ledger/bytes.h"
#include "ledger/transaction.h"
#include "sim/kernel/ids.h"

namespace hlsim {

// Message::type values; the order matches raft_message_type_names().
enum class RaftMessageType : std::uint16_t {
  kRequestVote = 0,
  kVote = 1,
  kAppendEntries = 2,
  kAppendReply = 3,
  kForward = 4,
};

const std::vector<std::string>& raft_message_type_names();

struct RequestVote {
  std::uint64_t term = 0;
  NodeId candidate = 0;
  Height last_log_index = 0;
  std::uint64_t last_log_term = 0;
  bool operator==(const RequestVote&) const = default;
};

struct Vote {
  std::uint64_t term = 0;
  bool granted = false;
  bool operator==(const Vote&) const = default;
};

struct AppendEntries {
  std::uint64_t term = 0;
  NodeId leader = 0;
  Height prev_index = 0;
  std::uint64_t prev_term = 0;
  Height leader_commit = 0;
  std::vector<ByteView> entries;  // encoded blocks for prev_index+1, prev_index+2, ...
};

struct AppendReply {
  std::uint64_t term = 0;
  bool success = false;
  Height index = 0;
  Height last_log_index = 0;
  // The follower restarted without its log (memory storage) and is catching up: what it holds may
  // be less than it acknowledged before. Encoded with `success` in one flags byte.
  bool lost_log = false;
  bool operator==(const AppendReply&) const = default;
};

struct Forward {
  std::vector<TxRef> txs;
};

Message encode_message(const RequestVote& m);
Message encode_message(const Vote& m);
Message encode_message(const AppendEntries& m);
Message encode_message(const AppendReply& m);
Message encode_message(const Forward& m);

std::optional<RequestVote> decode_request_vote(ByteView body);
std::optional<Vote> decode_vote(ByteView body);
std::optional<AppendEntries> decode_append_entries(ByteView body);
std::optional<AppendReply> decode_append_reply(ByteView body);
std::optional<Forward> decode_forward(ByteView body);

}  // namespace hlsim
