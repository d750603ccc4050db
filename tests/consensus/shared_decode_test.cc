// decode_shared and MessageDecodeMemo: receivers of the same message body share one decoding; a
// different body object (even with equal bytes), another message type or another decoded type is
// decoded again; a malformed body is never kept; the oldest entries beyond the capacity go; and a
// disabled or absent memo decodes every time.
#include "consensus/shared_decode.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

namespace hlsim {
namespace {

struct Decoded {
  std::uint32_t first = 0;
};
struct OtherDecoded {
  std::uint32_t first = 0;
};

// A counting decoder: the first byte, or nullopt for an empty body.
struct CountingDecoder {
  int* calls;
  std::optional<Decoded> operator()(ByteView body) const {
    ++*calls;
    if (body.empty()) return std::nullopt;
    return Decoded{body[0]};
  }
};

Message message(std::uint16_t type, Bytes body) { return Message::make(type, std::move(body)); }

TEST(SharedDecodeTest, ReceiversOfOneBodyShareOneDecoding) {
  MessageDecodeMemo memo(8);
  int calls = 0;
  const Message msg = message(3, {7, 1, 2});
  const Message same_body = msg;  // NOLINT(performance-unnecessary-copy-initialization): a
                                  // broadcast hands each receiver a copy sharing the body
  auto a = decode_shared<Decoded>(&memo, msg, CountingDecoder{&calls});
  auto b = decode_shared<Decoded>(&memo, same_body, CountingDecoder{&calls});
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->first, 7u);
  EXPECT_EQ(b, a);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(memo.hits(), 1u);
  EXPECT_EQ(memo.misses(), 1u);
}

TEST(SharedDecodeTest, AnotherBodyTypeOrDecodedTypeIsDecodedAgain) {
  MessageDecodeMemo memo(8);
  int calls = 0;
  const Message msg = message(3, {7});
  const Message equal_bytes = message(3, {7});  // another object: never assumed equal
  Message other_type = msg;
  other_type.type = 4;
  decode_shared<Decoded>(&memo, msg, CountingDecoder{&calls});
  decode_shared<Decoded>(&memo, equal_bytes, CountingDecoder{&calls});
  decode_shared<Decoded>(&memo, other_type, CountingDecoder{&calls});
  EXPECT_EQ(calls, 3);
  int other_calls = 0;
  auto other = decode_shared<OtherDecoded>(&memo, msg, [&](ByteView body) {
    ++other_calls;
    return std::optional<OtherDecoded>(OtherDecoded{body[0] + 1u});
  });
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->first, 8u);
  EXPECT_EQ(other_calls, 1);
}

TEST(SharedDecodeTest, AMalformedBodyIsNeverKept) {
  MessageDecodeMemo memo(8);
  int calls = 0;
  const Message empty = message(3, {});
  EXPECT_EQ(decode_shared<Decoded>(&memo, empty, CountingDecoder{&calls}), nullptr);
  EXPECT_EQ(decode_shared<Decoded>(&memo, empty, CountingDecoder{&calls}), nullptr);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(memo.size(), 0u);
}

TEST(SharedDecodeTest, TheOldestEntriesBeyondTheCapacityGo) {
  MessageDecodeMemo memo(2);
  int calls = 0;
  const Message m1 = message(1, {1});
  const Message m2 = message(1, {2});
  const Message m3 = message(1, {3});
  for (const Message* m : {&m1, &m2, &m3})
    decode_shared<Decoded>(&memo, *m, CountingDecoder{&calls});
  EXPECT_EQ(memo.size(), 2u);
  EXPECT_EQ(calls, 3);
  decode_shared<Decoded>(&memo, m3, CountingDecoder{&calls});  // kept
  EXPECT_EQ(calls, 3);
  decode_shared<Decoded>(&memo, m1, CountingDecoder{&calls});  // dropped: decoded again
  EXPECT_EQ(calls, 4);
}

TEST(SharedDecodeTest, TheMemoKeepsTheBodyItIsKeyedOn) {
  MessageDecodeMemo memo(4);
  int calls = 0;
  std::weak_ptr<const Bytes> body;
  {
    const Message msg = message(1, {9});
    body = msg.body;
    decode_shared<Decoded>(&memo, msg, CountingDecoder{&calls});
  }
  // The sender and receivers are gone; the body lives while its entry does, so its address
  // cannot be reused by another body that would then be taken for it.
  EXPECT_FALSE(body.expired());
}

TEST(SharedDecodeTest, PartsOfABodyAreKeptApartAndAPartOutsideItIsNotKept) {
  MessageDecodeMemo memo(8);
  const Message msg = message(2, {1, 2, 3, 4});
  const ByteView whole = msg.view();
  const ByteView tail = whole.subspan(2);
  memo.insert(msg, tail, typeid(Decoded), std::make_shared<const Decoded>(Decoded{3}));
  EXPECT_EQ(memo.find(msg, whole, typeid(Decoded)), nullptr);
  auto kept = memo.find(msg, tail, typeid(Decoded));
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(std::static_pointer_cast<const Decoded>(kept)->first, 3u);
  // Bytes that are not part of the body (an equal copy elsewhere) are never taken for it.
  const Bytes elsewhere(tail.begin(), tail.end());
  memo.insert(msg, elsewhere, typeid(Decoded), std::make_shared<const Decoded>(Decoded{9}));
  EXPECT_EQ(memo.find(msg, elsewhere, typeid(Decoded)), nullptr);
  EXPECT_EQ(memo.size(), 1u);
}

TEST(SharedDecodeTest, WithoutAMemoEveryReceiverDecodes) {
  MessageDecodeMemo disabled(0);
  int calls = 0;
  const Message msg = message(3, {7});
  decode_shared<Decoded>(&disabled, msg, CountingDecoder{&calls});
  decode_shared<Decoded>(&disabled, msg, CountingDecoder{&calls});
  decode_shared<Decoded>(nullptr, msg, CountingDecoder{&calls});
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(disabled.hits() + disabled.misses(), 0u);
  EXPECT_EQ(disabled.size(), 0u);
}

}  // namespace
}  // namespace hlsim
