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
  EXPECT_EQ(p.sign_cost_ns(SigScheme::kEd25519), 21'999);
  EXPECT_EQ(p.verify_cost_ns(SigScheme::kEd25519), 58'001);
  p.ecdsa_p256_sign_ns = 30'000;
  p.ecdsa_p256_verify_ns = 90'000.4;
  EXPECT_EQ(p.sign_cost_ns(SigScheme::kEcdsaP256), 30'000);
  EXPECT_EQ(p.verify_cost_ns(SigScheme::kEcdsaP256), 90'000);
  p.aes256gcm_ns_per_call = 300;
  p.aes256gcm_ns_per_byte = 0.25;
  EXPECT_EQ(p.aead_cost_ns(4096), 1324);
  p.storage_get_ns_per_op = 800;
  p.storage_get_ns_per_byte = 0.1;
  EXPECT_EQ(p.get_cost_ns(100), 810);
}

TEST(HardwareProfileTest, DefaultsArePositive) {
  const HardwareProfile p;
  EXPECT_EQ(p.name, "default");
  for (SigScheme scheme : {SigScheme::kEd25519, SigScheme::kEcdsaP256}) {
    EXPECT_GT(p.sign_cost_ns(scheme), 0);
    EXPECT_GT(p.verify_cost_ns(scheme), p.sign_cost_ns(scheme));
  }
  EXPECT_GT(p.aead_cost_ns(4096), p.aead_cost_ns(0));
  EXPECT_GT(p.get_cost_ns(100), 0);
  EXPECT_GT(p.hash_cost_ns(1024), p.hash_cost_ns(0));
}

}  // namespace
}  // namespace hlsim
