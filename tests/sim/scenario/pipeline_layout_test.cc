#include "sim/scenario/pipeline_layout.h"

#include <gtest/gtest.h>

namespace hlsim {
namespace {

PipelineConfig orgs() {
  PipelineConfig pc;
  pc.kind = "fabric";
  pc.orgs = {"hospital_a", "hospital_b", "insurer", "pharmacy"};
  pc.org_peers = {1, 1, 1, 1};
  return pc;
}

std::string error_of(const PipelineLayoutText& t) {
  PipelineConfig pc = orgs();
  const Status st = parse_pipeline_layout(t, pc);
  EXPECT_FALSE(st.ok());
  return st.ok() ? "" : st.error().message;
}

TEST(PipelineLayoutTest, DefaultIsOneChannelOfEveryOrganisation) {
  PipelineConfig pc = orgs();
  PipelineLayoutText t;
  t.policy = "MAJORITY";
  ASSERT_TRUE(parse_pipeline_layout(t, pc).ok());
  ASSERT_EQ(pc.channels.size(), 1u);
  EXPECT_EQ(pc.channels[0].name, "main");
  EXPECT_EQ(pc.channels[0].members, (std::vector<std::uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(pc.channels[0].policy, "OutOf(3, 'hospital_a', 'hospital_b', 'insurer', 'pharmacy')");
  EXPECT_TRUE(pc.channels[0].kinds.empty());
  EXPECT_TRUE(pc.collections.empty());
}

TEST(PipelineLayoutTest, ChannelsCollectionsPoliciesAndKinds) {
  PipelineConfig pc = orgs();
  PipelineLayoutText t;
  t.policy = "MAJORITY";
  t.channels = "care: hospital_b hospital_a insurer; trace: pharmacy, hospital_a;";
  t.channel_policies = "trace: AND('pharmacy', 'hospital_a')";
  t.channel_kinds = "trace: dispense verify";
  t.collections = "phi@care: hospital_a hospital_b";
  t.collection_kinds = "phi: record_write";
  const Status st = parse_pipeline_layout(t, pc);
  ASSERT_TRUE(st.ok()) << st.error().message;
  ASSERT_EQ(pc.channels.size(), 2u);
  EXPECT_EQ(pc.channels[0].members, (std::vector<std::uint32_t>{0, 1, 2}));  // sorted
  EXPECT_EQ(pc.channels[0].policy, "OutOf(2, 'hospital_a', 'hospital_b', 'insurer')");
  EXPECT_EQ(pc.channels[1].policy, "AND('pharmacy', 'hospital_a')");
  EXPECT_EQ(pc.channels[1].kinds, (std::vector<std::string>{"dispense", "verify"}));
  ASSERT_EQ(pc.collections.size(), 1u);
  EXPECT_EQ(pc.collections[0].channel, 0u);
  EXPECT_EQ(pc.collections[0].policy, "AND('hospital_a', 'hospital_b')");  // MAJORITY of 2
  EXPECT_EQ(pc.collections[0].kinds, (std::vector<std::string>{"record_write"}));
}

TEST(PipelineLayoutTest, ErrorsNameTheKeyAndTheItem) {
  PipelineLayoutText t;
  t.policy = "MAJORITY";
  t.channels = "care: hospital_a clinic";
  EXPECT_EQ(error_of(t),
            "pipeline.channels: 'care': unknown organisation 'clinic' (pipeline.organisations "
            "lists them)");
  t.channels = "care hospital_a";
  EXPECT_NE(error_of(t).find("pipeline.channels: expected 'name: ...; ...'"), std::string::npos);
  t.channels = "care: hospital_a; care: insurer";
  EXPECT_EQ(error_of(t), "pipeline.channels: 'care' is listed twice");
  t.channels = "care: hospital_a hospital_b; trace: pharmacy";
  t.policy = "AND('hospital_a', 'insurer')";
  EXPECT_EQ(error_of(t),
            "pipeline.policy: 'care': the policy names 'insurer', which is not a member");
  t.policy = "MAJORITY";
  t.channel_policies = "other: MAJORITY";
  EXPECT_EQ(error_of(t), "pipeline.channel_policies: no channel named 'other'");
  t.channel_policies = "";
  t.collections = "phi: hospital_a";
  EXPECT_EQ(error_of(t), "pipeline.collections: 'phi': name its channel, 'name@channel: orgs'");
  t.collections = "phi@care: hospital_a pharmacy";
  EXPECT_EQ(error_of(t),
            "pipeline.collections: 'phi': 'pharmacy' is not a member of channel 'care'");
  t.collections = "phi@care: hospital_a";
  EXPECT_NE(error_of(t).find("pipeline.collection_kinds: collection 'phi' covers no"),
            std::string::npos);
  t.collections = "phi@care: hospital_a; psy@care: hospital_b";
  t.collection_kinds = "phi: record_write; psy: record_write";
  EXPECT_EQ(error_of(t),
            "pipeline.collection_kinds: kind 'record_write' is private to both 'phi' and 'psy'");
  t.collection_kinds = "phi: record_write; psy: consent_grant";
  t.collection_policies = "phi: AND('hospital_a', 'hospital_b')";
  EXPECT_EQ(error_of(t),
            "pipeline.collection_policies: 'phi': the policy names 'hospital_b', which is not a "
            "member");
}

}  // namespace
}  // namespace hlsim
