#include "ledger/eov/policy.h"

#include <gtest/gtest.h>

namespace hlsim {
namespace {

const std::vector<std::string> kOrgs = {"hospital", "insurer", "regulator", "pharmacy"};

EndorsementPolicy parse_ok(std::string_view text) {
  auto p = EndorsementPolicy::parse(text, kOrgs);
  EXPECT_TRUE(p.ok()) << text << ": " << (p.ok() ? "" : p.error().message);
  return p.ok() ? p.value() : EndorsementPolicy{};
}

std::vector<bool> orgs(std::initializer_list<OrgIndex> set) {
  std::vector<bool> v(kOrgs.size(), false);
  for (OrgIndex o : set) v[o] = true;
  return v;
}

TEST(EndorsementPolicyTest, AndNeedsEveryOperand) {
  const auto p = parse_ok("AND('hospital', 'insurer')");
  EXPECT_TRUE(p.satisfied(orgs({0, 1})));
  EXPECT_TRUE(p.satisfied(orgs({0, 1, 2})));
  EXPECT_FALSE(p.satisfied(orgs({0})));
  EXPECT_FALSE(p.satisfied(orgs({1, 2, 3})));
  EXPECT_FALSE(p.satisfied(orgs({})));
}

TEST(EndorsementPolicyTest, OrNeedsAnyOperand) {
  const auto p = parse_ok("OR(\"hospital\", insurer)");
  EXPECT_TRUE(p.satisfied(orgs({0})));
  EXPECT_TRUE(p.satisfied(orgs({1})));
  EXPECT_FALSE(p.satisfied(orgs({2, 3})));
}

TEST(EndorsementPolicyTest, OutOfNeedsKOperands) {
  const auto p = parse_ok("OutOf(2, 'hospital', 'insurer', 'regulator')");
  EXPECT_TRUE(p.satisfied(orgs({0, 2})));
  EXPECT_TRUE(p.satisfied(orgs({1, 2})));
  EXPECT_FALSE(p.satisfied(orgs({2, 3})));
  EXPECT_FALSE(p.satisfied(orgs({0})));
}

TEST(EndorsementPolicyTest, NestedPolicies) {
  const auto p = parse_ok("OR('pharmacy', AND('hospital', OutOf(1, 'insurer', 'regulator')))");
  EXPECT_TRUE(p.satisfied(orgs({3})));
  EXPECT_TRUE(p.satisfied(orgs({0, 2})));
  EXPECT_FALSE(p.satisfied(orgs({0})));
  EXPECT_FALSE(p.satisfied(orgs({1, 2})));
  EXPECT_EQ(p.named_orgs(), (std::vector<OrgIndex>{0, 1, 2, 3}));
}

TEST(EndorsementPolicyTest, AnOrganisationCountsOnceInOutOf) {
  // Policies are over organisations: one that endorsed satisfies every operand naming it, so
  // OutOf(2, a, a) is met by a alone.
  const auto p = parse_ok("OutOf(2, 'hospital', 'hospital')");
  EXPECT_TRUE(p.satisfied(orgs({0})));
}

TEST(EndorsementPolicyTest, ChosenEndorsersSatisfyAndPreferTheClientsOrganisation) {
  const auto p = parse_ok("OutOf(2, 'hospital', 'insurer', 'regulator')");
  EXPECT_EQ(p.choose_endorsers(2), (std::vector<OrgIndex>{0, 2}));
  EXPECT_EQ(p.choose_endorsers(1), (std::vector<OrgIndex>{0, 1}));
  EXPECT_EQ(p.choose_endorsers(3), (std::vector<OrgIndex>{0, 1}));
  const auto q = parse_ok("OR(AND('hospital', 'insurer'), 'pharmacy')");
  EXPECT_EQ(q.choose_endorsers(0), (std::vector<OrgIndex>{3}));
  for (OrgIndex pref = 0; pref < kOrgs.size(); ++pref) {
    for (const auto* text : {"AND('hospital', 'insurer')", "OR('hospital', 'pharmacy')",
                             "OutOf(3, 'hospital', 'insurer', 'regulator', 'pharmacy')",
                             "AND(OR('hospital', 'insurer'), OR('regulator', 'pharmacy'))"}) {
      const auto pol = parse_ok(text);
      std::vector<bool> chosen(kOrgs.size(), false);
      for (OrgIndex o : pol.choose_endorsers(pref)) chosen[o] = true;
      EXPECT_TRUE(pol.satisfied(chosen)) << text << " preferred " << pref;
    }
  }
}

TEST(EndorsementPolicyTest, SaltSpreadsEndorsementsOverEquallyGoodSets) {
  // OutOf(2) of three: a client of the hospital always asks the hospital, and the salt picks the
  // second organisation; over many salts each is picked about half the time, and every choice
  // satisfies the policy.
  const auto p = parse_ok("OutOf(2, 'hospital', 'insurer', 'regulator')");
  std::vector<int> picked(kOrgs.size(), 0);
  for (std::uint64_t salt = 1; salt <= 2000; ++salt) {
    const auto chosen = p.choose_endorsers(0, salt);
    ASSERT_EQ(chosen.size(), 2u);
    EXPECT_EQ(chosen[0], 0u);
    EXPECT_EQ(p.choose_endorsers(0, salt), chosen);  // deterministic
    std::vector<bool> set(kOrgs.size(), false);
    for (const OrgIndex o : chosen) {
      set[o] = true;
      ++picked[o];
    }
    EXPECT_TRUE(p.satisfied(set));
  }
  EXPECT_EQ(picked[0], 2000);
  EXPECT_GT(picked[1], 850);
  EXPECT_GT(picked[2], 850);
  EXPECT_EQ(picked[3], 0);  // the pharmacy is not named
  // A smaller set still wins whatever the salt.
  const auto q = parse_ok("OR(AND('hospital', 'insurer'), 'pharmacy')");
  for (std::uint64_t salt = 1; salt <= 50; ++salt) {
    EXPECT_EQ(q.choose_endorsers(0, salt), (std::vector<OrgIndex>{3}));
  }
}

TEST(EndorsementPolicyTest, CanonicalTextRoundTrips) {
  for (const auto* text :
       {"AND('hospital', 'insurer')", "OR('hospital', AND('insurer', 'regulator'))",
        "OutOf(2, 'hospital', 'insurer', 'regulator')", "'pharmacy'"}) {
    const auto p = parse_ok(text);
    EXPECT_EQ(p.to_string(kOrgs), text);
    EXPECT_EQ(parse_ok(p.to_string(kOrgs)), p);
  }
}

TEST(EndorsementPolicyTest, ErrorsNameThePlaceAndWhatWasExpected) {
  auto bad = [](std::string_view text) {
    auto p = EndorsementPolicy::parse(text, kOrgs);
    EXPECT_FALSE(p.ok()) << text;
    return p.ok() ? std::string() : p.error().message;
  };
  EXPECT_NE(bad("AND('hospital', 'clinic')").find("unknown organisation 'clinic'"),
            std::string::npos);
  EXPECT_NE(bad("AND('hospital' 'insurer')").find("at character 16: expected ',' or ')'"),
            std::string::npos);
  EXPECT_NE(bad("OutOf(3, 'hospital', 'insurer')").find("k must be 1..2"), std::string::npos);
  EXPECT_NE(bad("OutOf(0, 'hospital')").find("k must be 1..1"), std::string::npos);
  EXPECT_NE(bad("AND('hospital')x").find("expected end of policy"), std::string::npos);
  EXPECT_NE(bad("AND(").find("found end of text"), std::string::npos);
  EXPECT_NE(bad("'hospital").find("closing '"), std::string::npos);
  EXPECT_NE(bad("").find("expected AND(, OR(, OutOf( or an organisation name"), std::string::npos);
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "AND(";
  EXPECT_NE(bad(deep).find("nested at most 32 deep"), std::string::npos);
}

}  // namespace
}  // namespace hlsim
