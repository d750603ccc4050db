// Smallbank payloads and state values: per-kind layouts, exact decoding, key layout.
#include <gtest/gtest.h>

#include <cstdint>

#include "workloads/smallbank/smallbank_payloads.h"
#include "workloads/smallbank/smallbank_state.h"

namespace hlsim::smallbank {
namespace {

TEST(SmallbankEncodingTest, KindNamesFollowTheCodes) {
  EXPECT_STREQ(kind_name(0), "balance");
  EXPECT_STREQ(kind_name(1), "deposit_checking");
  EXPECT_STREQ(kind_name(2), "transact_savings");
  EXPECT_STREQ(kind_name(3), "amalgamate");
  EXPECT_STREQ(kind_name(4), "write_check");
  EXPECT_STREQ(kind_name(5), "send_payment");
  EXPECT_EQ(kind_name(6), nullptr);
}

TEST(SmallbankEncodingTest, EachKindEncodesOnlyTheFieldsItUses) {
  const Op full{0x0102030405060708ull, 0x1112131415161718ull, -2'020};
  const std::size_t sizes[kKindCount] = {8, 16, 16, 16, 16, 24};
  for (std::uint16_t k = 0; k < kKindCount; ++k) {
    const Bytes b = encode(static_cast<Kind>(k), full);
    EXPECT_EQ(b.size(), sizes[k]) << kind_name(k);
    const auto op = decode(k, b);
    ASSERT_TRUE(op.has_value()) << kind_name(k);
    EXPECT_EQ(op->account, full.account);
    const bool two = k == 3 || k == 5;
    const bool amount = k != 0 && k != 3;
    EXPECT_EQ(op->to_account, two ? full.to_account : 0u) << kind_name(k);
    EXPECT_EQ(op->amount, amount ? full.amount : 0) << kind_name(k);
    for (std::size_t n = 0; n < b.size(); ++n) {
      EXPECT_FALSE(decode(k, ByteView(b.data(), n)).has_value()) << kind_name(k) << " " << n;
    }
    Bytes longer = b;
    longer.push_back(0);
    EXPECT_FALSE(decode(k, longer).has_value()) << kind_name(k);
  }
  EXPECT_FALSE(decode(kKindCount, encode(Kind::kBalance, full)).has_value());
}

TEST(SmallbankEncodingTest, BalancesRoundTripAndKeysAreFixedWidthHex) {
  EXPECT_EQ(decode_balance(encode_balance(-123'456)), -123'456);
  EXPECT_FALSE(decode_balance("1234567").has_value());
  EXPECT_FALSE(decode_balance(encode_balance(1) + "x").has_value());
  EXPECT_EQ(checking_key(255), "sb/chk/00000000000000ff");
  EXPECT_EQ(savings_key(1), "sb/sav/0000000000000001");
  EXPECT_LT(checking_key(9), checking_key(10));
}

}  // namespace
}  // namespace hlsim::smallbank
