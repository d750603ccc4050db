#include "ledger/bytes.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <unordered_set>

#include "ledger/encoding.h"

namespace hlsim {
namespace {

TEST(HexTest, ToHexIsLowerCaseTwoDigitsPerByte) {
  const Bytes b = {0x00, 0x01, 0xab, 0xff, 0x7f};
  EXPECT_EQ(to_hex(b), "0001abff7f");
  EXPECT_EQ(to_hex({}), "");
}

TEST(HexTest, FromHexAcceptsBothCasesAndRoundTrips) {
  Bytes out;
  ASSERT_TRUE(from_hex("00FFaB10", out));
  EXPECT_EQ(out, (Bytes{0x00, 0xff, 0xab, 0x10}));
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
  ASSERT_TRUE(from_hex(to_hex(all), out));
  EXPECT_EQ(out, all);
  ASSERT_TRUE(from_hex("", out));
  EXPECT_TRUE(out.empty());
}

TEST(HexTest, FromHexRejectsOddLengthAndNonHexWithoutTouchingOutput) {
  Bytes out = {0x42};
  EXPECT_FALSE(from_hex("abc", out));
  EXPECT_FALSE(from_hex("zz", out));
  EXPECT_FALSE(from_hex("0g", out));
  EXPECT_FALSE(from_hex(" 01", out));
  EXPECT_FALSE(from_hex("0x01", out));
  EXPECT_EQ(out, Bytes{0x42});
}

TEST(Hash256Test, OrderedByBytesAndPrefixIsBigEndian) {
  Hash256 a;
  Hash256 b;
  b.bytes[31] = 1;
  Hash256 c;
  c.bytes[0] = 1;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_TRUE(a.is_zero());
  EXPECT_FALSE(b.is_zero());
  for (std::size_t i = 0; i < 8; ++i) c.bytes[i] = static_cast<std::uint8_t>(i + 1);
  EXPECT_EQ(c.prefix64(), 0x0102030405060708ull);
  EXPECT_EQ(c.hex().substr(0, 16), "0102030405060708");
}

TEST(EncodingTest, WriterReaderRoundTripLittleEndian) {
  Writer w;
  w.u8(0xab);
  w.u16(0x1234);
  w.u32(0xdeadbeef);
  w.u64(0x0102030405060708ull);
  w.i64(-2);
  w.str("hi");
  EXPECT_EQ(to_hex(w.data()),
            "ab"
            "3412"
            "efbeadde"
            "0807060504030201"
            "feffffffffffffff"
            "02000000"
            "6869");
  Reader r(w.data());
  std::uint8_t a = 0;
  std::uint16_t b = 0;
  std::uint32_t c = 0;
  std::uint64_t d = 0;
  std::int64_t e = 0;
  std::string s;
  ASSERT_TRUE(r.u8(a) && r.u16(b) && r.u32(c) && r.u64(d) && r.i64(e) && r.str(s));
  EXPECT_TRUE(r.done());
  EXPECT_EQ(a, 0xab);
  EXPECT_EQ(b, 0x1234);
  EXPECT_EQ(c, 0xdeadbeefu);
  EXPECT_EQ(d, 0x0102030405060708ull);
  EXPECT_EQ(e, -2);
  EXPECT_EQ(s, "hi");
  EXPECT_EQ(r.input().size(), w.size());
}

TEST(EncodingTest, ReaderFailsAndStaysFailedOnTruncation) {
  const Bytes in = {0x01, 0x02, 0x03};
  Reader r(in);
  std::uint32_t v = 0;
  EXPECT_FALSE(r.u32(v));
  EXPECT_FALSE(r.ok());
  std::uint8_t b = 0;
  EXPECT_FALSE(r.u8(b));
  EXPECT_FALSE(r.done());
}

TEST(EncodingTest, ReaderRejectsLengthAboveLimit) {
  Writer w;
  w.bytes(Bytes(10, 0x55));
  Reader r(w.data());
  Bytes out;
  EXPECT_FALSE(r.bytes(out, 9));
  Reader r2(w.data());
  EXPECT_TRUE(r2.bytes(out, 10));
  EXPECT_EQ(out, Bytes(10, 0x55));
}

}  // namespace
}  // namespace hlsim
