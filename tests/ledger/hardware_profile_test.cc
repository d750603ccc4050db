#include "ledger/hardware_profile.h"

#include <gtest/gtest.h>

namespace hlsim {
namespace {

TEST(HardwareProfileTest, CostsAreFixedPlusPerByteRoundedToNearestNs) {
  HardwareProfile p;
  p.sha256_ns_per_call = 100;
  p.sha256_ns_per_byte = 2.5;
  EXPECT_EQ(p.hash_cost_ns(0), 100);
  EXPECT_EQ(p.hash_cost_ns(1), 103);  // 102.5 rounds up
  EXPECT_EQ(p.hash_cost_ns(64), 260);
  p.storage_put_ns_per_op = 1000;
  p.storage_put_ns_per_byte = 0.5;
  EXPECT_EQ(p.put_cost_ns(3), 1002);
  p.message_ns_per_call = 2000;
  p.message_ns_per_byte = 0.2;
  EXPECT_EQ(p.message_cost_ns(1000), 2200);
  p.ed25519_sign_ns = 21'999.4;
  p.ed25519_verify_ns = 58'000.5;
  EXPECT_EQ(p.sign_cost_ns(), 21'999);
  EXPECT_EQ(p.verify_cost_ns(), 58'001);
}

TEST(HardwareProfileTest, DefaultsArePositive) {
  const HardwareProfile p;
  EXPECT_EQ(p.name, "default");
  EXPECT_GT(p.sign_cost_ns(), 0);
  EXPECT_GT(p.verify_cost_ns(), p.sign_cost_ns());
  EXPECT_GT(p.hash_cost_ns(1024), p.hash_cost_ns(0));
}

}  // namespace
}  // namespace hlsim
