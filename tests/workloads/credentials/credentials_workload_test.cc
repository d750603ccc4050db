// CredentialsWorkload generator: parameters, board and hospital drafts, determinism, per-client
// independence, and injected verifications denied once their revocation is ordered.
#include "workloads/credentials/credentials_workload.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "sim/kernel/rng.h"
#include "tests/workloads/credentials/credentials_test_util.h"

namespace hlsim::credentials {
namespace {

using test_util::config_with;
using test_util::kSeed;
using test_util::setup_for;

constexpr std::uint32_t kClients = 6;  // boards 0, 1; hospitals 2..5

Rng client_rng(ClientId c) { return Rng::stream(kSeed, RngDomain::kClient, c); }

bool same(const TxDraft& a, const TxDraft& b) { return a.kind == b.kind && a.payload == b.payload; }

Transaction as_tx(const TxDraft& d, ClientId client) {
  Transaction tx;
  tx.kind = d.kind;
  tx.client = client;
  tx.payload = d.payload;
  return tx;
}

std::uint16_t code(Kind k) { return static_cast<std::uint16_t>(k); }

TEST(CredentialsWorkloadTest, KindNamesAreTheFiveKindsInCodeOrder) {
  CredentialsWorkload w(config_with(kClients));
  ASSERT_EQ(w.kind_names().size(), kKindCount);
  for (std::uint16_t k = 0; k < kKindCount; ++k) EXPECT_EQ(w.kind_names()[k], kind_name(k));
  EXPECT_FALSE(w.reacts_to_ledger());
  EXPECT_NE(w.make_metrics(), nullptr);
}

TEST(CredentialsWorkloadTest, DefaultsAreTheDocumentedValues) {
  const CredentialsConfig c = config_with(kClients);
  EXPECT_EQ(c.boards(), 2u);
  EXPECT_EQ(c.register_config.clinicians, 10'000u);
  EXPECT_DOUBLE_EQ(c.zipf_s, 0.8);
  EXPECT_DOUBLE_EQ(c.register_config.multi_licence_fraction, 0.24);
  EXPECT_EQ(c.register_config.interval_ns, 1'095 * 86'400 * kNsPerSec);
  EXPECT_EQ(c.renew_lead_ns, 90 * 86'400 * kNsPerSec);
  EXPECT_DOUBLE_EQ(c.register_config.lapse_fraction, 0.01);
  EXPECT_DOUBLE_EQ(c.register_config.revocations_per_day, 0.03);
  EXPECT_DOUBLE_EQ(c.verify_revoked_fraction, 0.02);
  EXPECT_EQ(c.verify_revoked_window, 4u);
  EXPECT_EQ(c.licence_bytes, 1'200u);
  EXPECT_EQ(c.verify_bytes, 400u);
}

TEST(CredentialsWorkloadTest, DaysScaleWithTheSetupsDay) {
  const CredentialsConfig c = config_with(kClients, {}, kNsPerSec);
  EXPECT_EQ(c.register_config.interval_ns, 1'095 * kNsPerSec);
  EXPECT_EQ(c.renew_lead_ns, 90 * kNsPerSec);
}

std::string config_error(std::uint32_t clients, const std::map<std::string, std::string>& given) {
  Result<ParamValues> values = ParamValues::parse(credentials_param_specs(), given, "workload");
  if (!values.ok()) return values.error().message;
  Result<CredentialsConfig> config = credentials_config(*values, setup_for(clients));
  EXPECT_FALSE(config.ok());
  return config.ok() ? "" : config.error().message;
}

TEST(CredentialsWorkloadTest, ParameterErrorsNameTheirKey) {
  EXPECT_NE(config_error(2, {}).find("workload.boards:"), std::string::npos);
  EXPECT_NE(config_error(6, {{"boards", "3"}, {"clinicians", "2"}}).find("workload.clinicians:"),
            std::string::npos);
  EXPECT_NE(config_error(6, {{"recredential_interval_days", "30"}, {"renew_lead_days", "30"}})
                .find("workload.renew_lead_days:"),
            std::string::npos);
  EXPECT_NE(config_error(6, {{"multi_licence_fraction", "2"}}).find("workload.multi_licence"),
            std::string::npos);
  EXPECT_NE(config_error(6, {{"clinicians", "20000000"}}).find("workload.clinicians"),
            std::string::npos);
}

TEST(CredentialsWorkloadTest, TheRegistryBuildsItFromDefaults) {
  const WorkloadInfo* info = find_workload("credentials");
  ASSERT_NE(info, nullptr);
  for (const ParamSpec& p : info->params) EXPECT_FALSE(p.help.empty()) << p.name;
  Result<std::unique_ptr<Workload>> w =
      info->make(ParamValues::defaults(info->params), setup_for(kClients));
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ((*w)->kind_names().size(), kKindCount);
}

TEST(CredentialsWorkloadTest, BoardsRevokeWhatIsDueThenRenewWhatIsDueThenIssue) {
  // One-second days: licences of 1,095 s, renewed 90 s before expiry; a revocation every 10 s.
  const CredentialsConfig config =
      config_with(kClients, {{"clinicians", "200"}, {"revocations_per_day", "0.1"}}, kNsPerSec);
  CredentialsWorkload w(config);
  const Register& reg = w.licence_register();
  Rng rng = client_rng(0);
  const TimeNs now = 45 * kNsPerSec;  // revocations 0..3 are due
  std::vector<std::uint64_t> revoked;
  std::vector<std::uint64_t> expected;
  for (std::uint64_t k = 0; k < 4; ++k) {
    if (reg.primary_board(reg.revoked_clinician(k)) == 0)
      expected.push_back(reg.revoked_clinician(k));
  }
  TxDraft d = w.next_tx(0, now, rng);
  while (d.kind == code(Kind::kRevoke)) {
    const LicenceAction a = *decode_licence_action(d.payload);
    EXPECT_EQ(a.board, 0u);
    revoked.push_back(a.clinician);
    d = w.next_tx(0, now, rng);
  }
  EXPECT_EQ(revoked, expected);
  // Then renewals whose due time (expiry - lead) has passed, earliest expiry first.
  TimeNs last_expiry = std::numeric_limits<TimeNs>::min();
  int renewals = 0;
  while (d.kind == code(Kind::kRecredential)) {
    const LicenceAction a = *decode_licence_action(d.payload);
    EXPECT_EQ(a.board, 0u);
    EXPECT_TRUE(reg.holds(0, a.clinician));
    EXPECT_FALSE(reg.lapses(a.clinician));
    const TimeNs expiry = reg.register_expiry_ns(0, a.clinician);
    EXPECT_LE(expiry - config.renew_lead_ns, now);
    EXPECT_GE(expiry, last_expiry);
    last_expiry = expiry;
    ++renewals;
    d = w.next_tx(0, now, rng);
  }
  EXPECT_GT(renewals, 0);
  // Then new clinicians of its own.
  std::uint64_t previous = 0;
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(d.kind, code(Kind::kLicenceIssue));
    const LicenceAction a = *decode_licence_action(d.payload);
    EXPECT_GE(a.clinician, 200u);
    EXPECT_EQ(a.clinician % 2, 0u);
    EXPECT_GT(a.clinician, previous);
    EXPECT_EQ(d.payload.size(), config.licence_bytes);
    previous = a.clinician;
    d = w.next_tx(0, now, rng);
  }
}

TEST(CredentialsWorkloadTest, HonestVerificationsAreOfHeldLicencesOfCliniciansInGoodStanding) {
  const CredentialsConfig config = config_with(
      kClients,
      {{"clinicians", "500"}, {"revocations_per_day", "100"}, {"verify_revoked_fraction", "0"}});
  CredentialsWorkload w(config);
  const Register& reg = w.licence_register();
  Rng rng = client_rng(3);
  const TimeNs now = 86'400 * kNsPerSec;  // one day: 100 revocations due
  int second_licences = 0;
  for (int i = 0; i < 5'000; ++i) {
    const TxDraft d = w.next_tx(3, now, rng);
    ASSERT_EQ(d.kind, code(Kind::kVerify));
    EXPECT_EQ(d.payload.size(), config.verify_bytes);
    const Verification v = *decode_verification(d.payload);
    EXPECT_EQ(v.hospital, 3u);
    EXPECT_TRUE(reg.holds(v.board, v.clinician));
    EXPECT_FALSE(reg.revocation_due(v.clinician, now)) << v.clinician;
    second_licences += v.board != reg.primary_board(v.clinician) ? 1 : 0;
  }
  EXPECT_GT(second_licences, 100);
}

TEST(CredentialsWorkloadTest, InjectedVerificationsTargetTheMostRecentDueRevocations) {
  const CredentialsConfig config = config_with(kClients, {{"clinicians", "500"},
                                                          {"revocations_per_day", "100"},
                                                          {"verify_revoked_fraction", "1"},
                                                          {"verify_revoked_window", "3"}});
  CredentialsWorkload w(config);
  const Register& reg = w.licence_register();
  Rng rng = client_rng(4);
  // Before the first revocation is due there is nothing to target: honest checks only.
  EXPECT_EQ(w.next_tx(4, 0, rng).kind, code(Kind::kVerify));
  const TimeNs now = 86'400 * kNsPerSec;
  const std::set<std::uint64_t> targets = {reg.revoked_clinician(97), reg.revoked_clinician(98),
                                           reg.revoked_clinician(99)};
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 300; ++i) {
    const TxDraft d = w.next_tx(4, now, rng);
    ASSERT_EQ(d.kind, code(Kind::kVerifyRevoked));
    const Verification v = *decode_verification(d.payload);
    EXPECT_TRUE(targets.contains(v.clinician));
    EXPECT_EQ(v.board, reg.primary_board(v.clinician));
    seen.insert(v.clinician);
  }
  EXPECT_EQ(seen, targets);
}

TEST(CredentialsWorkloadTest, SameSeedGivesTheSameDraftsAndClientsAreIndependent) {
  const CredentialsConfig config = config_with(
      kClients,
      {{"clinicians", "300"}, {"revocations_per_day", "1000"}, {"verify_revoked_fraction", "0.3"}});
  CredentialsWorkload alone(config);
  Rng r = client_rng(2);
  std::vector<TxDraft> reference;
  for (int i = 0; i < 300; ++i) reference.push_back(alone.next_tx(2, i * kNsPerSec * 10, r));

  CredentialsWorkload mixed(config);
  std::vector<Rng> rngs;
  for (ClientId c = 0; c < kClients; ++c) rngs.push_back(client_rng(c));
  for (int i = 0; i < 300; ++i) {
    for (ClientId c = kClients; c-- > 0;) {
      const TxDraft d = mixed.next_tx(c, i * kNsPerSec * 10, rngs[c]);
      if (c == 2) {
        EXPECT_TRUE(same(d, reference[static_cast<std::size_t>(i)])) << "draft " << i;
      }
    }
  }
  // And a board's drafts too: the same sequence from a fresh workload.
  CredentialsWorkload a(config);
  CredentialsWorkload b(config);
  Rng ra = client_rng(1);
  Rng rb = client_rng(1);
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(same(a.next_tx(1, i * kNsPerSec * 10, ra), b.next_tx(1, i * kNsPerSec * 10, rb)));
  }
}

TEST(CredentialsWorkloadTest, InjectedVerificationIsDeniedOnceTheRevocationIsOrdered) {
  const CredentialsConfig config = config_with(kClients, {{"clinicians", "500"},
                                                          {"revocations_per_day", "100"},
                                                          {"verify_revoked_fraction", "1"},
                                                          {"verify_revoked_window", "1"}});
  CredentialsWorkload w(config);
  std::unique_ptr<Contract> contract = w.make_contract();
  MemoryStore state;
  const TimeNs now = 864 * kNsPerSec * 3;  // revocations 0..2 due (one every 864 s)
  Rng hospital_rng = client_rng(5);
  const TxDraft check = w.next_tx(5, now, hospital_rng);
  ASSERT_EQ(check.kind, code(Kind::kVerifyRevoked));
  const Verification v = *decode_verification(check.payload);
  // Before the board's revoke is ordered the licence is still valid: the exposure.
  EXPECT_EQ(contract->apply(state, as_tx(check, 5), now).outcome, TxOutcome::kApplied);
  Rng board_rng = client_rng(v.board);
  for (int i = 0; i < 3; ++i) {
    const TxDraft d = w.next_tx(v.board, now, board_rng);
    if (d.kind == code(Kind::kRevoke)) {
      EXPECT_EQ(contract->apply(state, as_tx(d, v.board), now).outcome, TxOutcome::kApplied);
    }
  }
  EXPECT_EQ(contract->apply(state, as_tx(check, 5), now + 1).outcome, TxOutcome::kDenied);
}

}  // namespace
}  // namespace hlsim::credentials
