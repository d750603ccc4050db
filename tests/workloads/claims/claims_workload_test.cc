// ClaimsWorkload generator: parameters, drafts, determinism, per-client independence, reactions
// to observed claims, and injected frauds denied by the contract.
#include "workloads/claims/claims_workload.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "sim/kernel/rng.h"
#include "tests/workloads/claims/claims_test_util.h"
#include "workloads/claims/claims_contract.h"
#include "workloads/claims/claims_state.h"

namespace hlsim::claims {
namespace {

using test_util::config_with;
using test_util::kSeed;
using test_util::setup_for;

constexpr std::uint32_t kClients = 6;  // payers 0, 1; providers 2..5

Rng client_rng(ClientId c) { return Rng::stream(kSeed, RngDomain::kClient, c); }

Transaction as_tx(const TxDraft& d, ClientId client) {
  Transaction tx;
  tx.kind = d.kind;
  tx.client = client;
  tx.payload = d.payload;
  return tx;
}

bool same(const TxDraft& a, const TxDraft& b) { return a.kind == b.kind && a.payload == b.payload; }

TEST(ClaimsWorkloadTest, KindNamesAreTheFiveKindsInCodeOrder) {
  ClaimsWorkload w(config_with(kClients));
  ASSERT_EQ(w.kind_names().size(), kKindCount);
  for (std::uint16_t k = 0; k < kKindCount; ++k) EXPECT_EQ(w.kind_names()[k], kind_name(k));
  EXPECT_TRUE(w.reacts_to_ledger());
  EXPECT_NE(w.make_metrics(), nullptr);
}

TEST(ClaimsWorkloadTest, DefaultsAreTheDocumentedValues) {
  const ClaimsConfig c = config_with(kClients);
  EXPECT_EQ(c.payers, 2u);
  EXPECT_EQ(c.patients, 20'000u);
  EXPECT_DOUBLE_EQ(c.zipf_s, 0.8);
  EXPECT_EQ(c.claim_bytes, 3'700u);
  EXPECT_DOUBLE_EQ(c.lines_per_claim_mean, 5.35);
  EXPECT_EQ(c.lines_per_claim_max, 94u);
  EXPECT_DOUBLE_EQ(c.uncovered_line_fraction, 0.02);
  EXPECT_EQ(c.annual_limit_cents, 25'000'000u);
  EXPECT_DOUBLE_EQ(c.fraud_fraction, 0.02);
  EXPECT_EQ(c.remit_max_claims, 100u);
  EXPECT_EQ(c.payment_bytes, 1'000u);
  EXPECT_EQ(c.enroll_bytes, 3'400u);
}

Error config_error(std::uint32_t clients, const std::map<std::string, std::string>& given) {
  Result<ParamValues> values = ParamValues::parse(claims_param_specs(), given, "workload");
  if (!values.ok()) return values.error();
  Result<ClaimsConfig> config = claims_config(*values, setup_for(clients));
  EXPECT_FALSE(config.ok());
  return config.ok() ? Error{""} : config.error();
}

TEST(ClaimsWorkloadTest, AsManyPayersAsClientsIsRejectedNamingPayers) {
  EXPECT_NE(config_error(2, {}).message.find("workload.payers:"), std::string::npos);
  EXPECT_NE(config_error(4, {{"payers", "4"}}).message.find("workload.payers:"), std::string::npos);
}

TEST(ClaimsWorkloadTest, FewerPatientsThanPayersIsRejectedNamingPatients) {
  const Error e = config_error(6, {{"payers", "3"}, {"patients", "2"}});
  EXPECT_NE(e.message.find("workload.patients:"), std::string::npos) << e.message;
}

TEST(ClaimsWorkloadTest, MeanLinesAboveTheMaximumIsRejectedNamingTheMean) {
  const Error e = config_error(6, {{"lines_per_claim_max", "3"}});
  EXPECT_NE(e.message.find("workload.lines_per_claim_mean:"), std::string::npos) << e.message;
}

TEST(ClaimsWorkloadTest, OutOfRangeValuesAreRejectedNamingTheirKey) {
  EXPECT_NE(config_error(6, {{"fraud_fraction", "1.5"}}).message.find("workload.fraud_fraction"),
            std::string::npos);
  EXPECT_NE(config_error(6, {{"payers", "0"}}).message.find("workload.payers"), std::string::npos);
  EXPECT_NE(
      config_error(6, {{"remit_max_claims", "1001"}}).message.find("workload.remit_max_claims"),
      std::string::npos);
}

TEST(ClaimsWorkloadTest, TheRegistryBuildsItFromDefaults) {
  const WorkloadInfo* info = find_workload("claims");
  ASSERT_NE(info, nullptr);
  for (const ParamSpec& p : info->params) EXPECT_FALSE(p.help.empty()) << p.name;
  Result<std::unique_ptr<Workload>> w =
      info->make(ParamValues::defaults(info->params), setup_for(kClients));
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ((*w)->kind_names().size(), kKindCount);
}

TEST(ClaimsWorkloadTest, HonestClaimsFollowTheConventionAndTheFeeSchedule) {
  const ClaimsConfig config = config_with(kClients, {{"fraud_fraction", "0"}});
  ClaimsWorkload w(config);
  const ClaimsRules rules = config.rules();
  Rng rng = client_rng(3);
  for (int i = 0; i < 3'000; ++i) {
    const TimeNs now = 1'000 * kNsPerSec + i * kNsPerMs;
    const TxDraft d = w.next_tx(3, now, rng);
    ASSERT_EQ(d.kind, static_cast<std::uint16_t>(Kind::kClaimSubmit));
    const std::optional<Claim> c = decode_claim(d.payload);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->provider, 3u);
    EXPECT_EQ(c->claim_seq, static_cast<std::uint64_t>(i));
    EXPECT_LT(c->patient, config.patients);
    EXPECT_EQ(c->payer, rules.payer_of(c->patient));
    EXPECT_EQ(c->service_day, now / config.day_ns);
    ASSERT_FALSE(c->lines.empty());
    EXPECT_LE(c->lines.size(), config.lines_per_claim_max);
    EXPECT_TRUE(find_code(c->lines[0].code)->office_em);
    for (const ClaimLine& l : c->lines) {
      const ProcedureCode code = *find_code(l.code);
      EXPECT_EQ(l.amount_cents, code.fee_max_cents * l.units);
      EXPECT_GE(l.minutes, code.em_min_minutes);
    }
    EXPECT_EQ(d.payload.size(),
              std::max<std::size_t>(config.claim_bytes,
                                    kClaimFixedBytes + kClaimLineBytes * c->lines.size()));
  }
}

TEST(ClaimsWorkloadTest, LinesPerClaimHaveTheConfiguredMeanAndMaximum) {
  const ClaimsConfig config = config_with(kClients, {{"fraud_fraction", "0"}});
  ClaimsWorkload w(config);
  Rng rng = client_rng(2);
  const int n = 40'000;
  double sum = 0;
  std::size_t most = 0;
  for (int i = 0; i < n; ++i) {
    // A thousand claims a day: the provider's redraws of same-day repeats stay rare.
    const TimeNs now = i * (config.day_ns / 1'000);
    const std::size_t lines = decode_claim(w.next_tx(2, now, rng).payload)->lines.size();
    sum += static_cast<double>(lines);
    most = std::max(most, lines);
  }
  // Geometric with mean 5.35: standard deviation ~4.8, so the mean of 40,000 is within ~0.024.
  EXPECT_NEAR(sum / n, 5.35, 0.1);
  EXPECT_LE(most, 94u);
  EXPECT_GT(most, 30u);

  ClaimsWorkload capped(config_with(kClients, {{"lines_per_claim_max", "6"}}));
  for (int i = 0; i < 2'000; ++i) {
    EXPECT_LE(decode_claim(capped.next_tx(2, i, rng).payload)->lines.size(), 6u);
  }
}

TEST(ClaimsWorkloadTest, UncoveredLinesAppearAtTheConfiguredShare) {
  const ClaimsConfig config = config_with(kClients, {{"fraud_fraction", "0"}, {"zipf_s", "0"}});
  ClaimsWorkload w(config);
  Rng rng = client_rng(4);
  int later_lines = 0;
  int uncovered = 0;
  for (int i = 0; i < 20'000; ++i) {
    const Claim c = *decode_claim(w.next_tx(4, i, rng).payload);
    if (config.rules().plan_of(c.patient) == Plan::kComprehensive) continue;  // covers every code
    for (std::size_t k = 1; k < c.lines.size(); ++k) {
      ++later_lines;
      if (!plan_covers(config.rules().plan_of(c.patient), *find_code(c.lines[k].code))) {
        ++uncovered;
      }
    }
  }
  const double share = static_cast<double>(uncovered) / later_lines;
  EXPECT_NEAR(share, 0.02, 0.005) << uncovered << " of " << later_lines;
}

TEST(ClaimsWorkloadTest, SameSeedGivesTheSameDrafts) {
  const ClaimsConfig config = config_with(kClients, {{"fraud_fraction", "0.2"}});
  ClaimsWorkload a(config);
  ClaimsWorkload b(config);
  for (ClientId c = 0; c < kClients; ++c) {
    Rng ra = client_rng(c);
    Rng rb = client_rng(c);
    for (int i = 0; i < 300; ++i) {
      ASSERT_TRUE(same(a.next_tx(c, i * kNsPerMs, ra), b.next_tx(c, i * kNsPerMs, rb)))
          << "client " << c << " draft " << i;
    }
  }
}

TEST(ClaimsWorkloadTest, ClientStreamsAreIndependentOfEachOther) {
  const ClaimsConfig config = config_with(kClients, {{"fraud_fraction", "0.2"}});
  // Reference: client 2 alone.
  ClaimsWorkload alone(config);
  Rng r2 = client_rng(2);
  std::vector<TxDraft> reference;
  for (int i = 0; i < 200; ++i) reference.push_back(alone.next_tx(2, i * kNsPerMs, r2));
  // The same client interleaved with every other client's drafts.
  ClaimsWorkload mixed(config);
  std::vector<Rng> rngs;
  for (ClientId c = 0; c < kClients; ++c) rngs.push_back(client_rng(c));
  for (int i = 0; i < 200; ++i) {
    for (ClientId c = kClients; c-- > 0;) {
      const TxDraft d = mixed.next_tx(c, i * kNsPerMs, rngs[c]);
      if (c == 2) {
        EXPECT_TRUE(same(d, reference[static_cast<std::size_t>(i)])) << "draft " << i;
      }
    }
  }
}

TEST(ClaimsWorkloadTest, AProviderNeverRepeatsAClaimOfTheSameDay) {
  // Two patients and one-line claims make repeats likely: the provider must redraw them.
  const ClaimsConfig config = config_with(
      kClients, {{"patients", "2"}, {"lines_per_claim_mean", "1"}, {"fraud_fraction", "0"}});
  ClaimsWorkload w(config);
  Rng rng = client_rng(2);
  std::set<Hash256> seen;
  for (int i = 0; i < 500; ++i) {
    const Claim c = *decode_claim(w.next_tx(2, i * kNsPerMs, rng).payload);
    EXPECT_TRUE(seen.insert(claim_fingerprint(c)).second) << "claim " << i;
  }
  // A new day starts afresh: the same line sets may come back, under another day.
  const Claim next_day = *decode_claim(w.next_tx(2, config.day_ns, rng).payload);
  EXPECT_EQ(next_day.service_day, 1u);
}

TEST(ClaimsWorkloadTest, PayersEnrolTheirOwnMembersWhileThereIsNothingToPay) {
  const ClaimsConfig config = config_with(kClients);
  ClaimsWorkload w(config);
  Rng rng = client_rng(1);
  for (int i = 0; i < 200; ++i) {
    const TxDraft d = w.next_tx(1, i, rng);
    ASSERT_EQ(d.kind, static_cast<std::uint16_t>(Kind::kEnroll));
    EXPECT_EQ(d.payload.size(), config.enroll_bytes);
    const Enroll e = *decode_enroll(d.payload);
    EXPECT_EQ(e.payer, 1u);
    EXPECT_EQ(config.rules().payer_of(e.patient), 1u);
    EXPECT_EQ(e.plan, config.rules().plan_of(e.patient));
    EXPECT_EQ(e.annual_limit_cents, config.annual_limit_cents);
  }
}

TEST(ClaimsWorkloadTest, WatchersOfAClaimAreItsPayerAndProvider) {
  ClaimsWorkload w(config_with(kClients));
  Rng rng = client_rng(4);
  const TxDraft d = w.next_tx(4, 0, rng);
  const Claim c = *decode_claim(d.payload);
  EXPECT_EQ(w.watchers(as_tx(d, 4)), (std::vector<ClientId>{c.payer, 4}));
  Rng payer_rng = client_rng(0);
  EXPECT_TRUE(w.watchers(as_tx(w.next_tx(0, 0, payer_rng), 0)).empty());
}

TEST(ClaimsWorkloadTest, PayerPaysApprovedClaimsItObservedOldestFirstInBatches) {
  const ClaimsConfig config = config_with(kClients, {{"remit_max_claims", "3"}});
  ClaimsWorkload w(config);
  Rng provider_rng = client_rng(2);
  std::vector<ClaimRef> approved;
  for (int i = 0; approved.size() < 4; ++i) {
    const TxDraft d = w.next_tx(2, i, provider_rng);
    const Claim c = *decode_claim(d.payload);
    if (c.payer != 0) continue;
    const Transaction tx = as_tx(d, 2);
    // Every other one is denied: the payer must not queue those.
    const bool deny = i % 2 == 1;
    w.on_observed(0, tx, deny ? TxOutcome::kDenied : TxOutcome::kApplied, i);
    if (!deny) approved.push_back({2, c.claim_seq});
  }
  EXPECT_EQ(w.claims_to_pay(0), 4u);
  EXPECT_EQ(w.claims_to_pay(1), 0u);
  Rng rng = client_rng(0);
  const TxDraft first = w.next_tx(0, 100, rng);
  ASSERT_EQ(first.kind, static_cast<std::uint16_t>(Kind::kPayment));
  EXPECT_EQ(first.payload.size(), config.payment_bytes);
  const Payment p1 = *decode_payment(first.payload);
  EXPECT_EQ(p1.payer, 0u);
  EXPECT_EQ(p1.claims, (std::vector<ClaimRef>(approved.begin(), approved.begin() + 3)));
  const Payment p2 = *decode_payment(w.next_tx(0, 101, rng).payload);
  EXPECT_EQ(p2.claims, (std::vector<ClaimRef>{approved[3]}));
  EXPECT_EQ(w.next_tx(0, 102, rng).kind, static_cast<std::uint16_t>(Kind::kEnroll));
}

TEST(ClaimsWorkloadTest, DuplicatesAreDraftedOnlyFromObservedClaims) {
  ClaimsWorkload w(config_with(kClients, {{"fraud_fraction", "1"}}));
  Rng rng = client_rng(2);
  std::vector<TxDraft> drafts;
  for (int i = 0; i < 50; ++i) {
    drafts.push_back(w.next_tx(2, i, rng));
    EXPECT_EQ(drafts.back().kind, static_cast<std::uint16_t>(Kind::kFraudUpcodedClaim));
  }
  EXPECT_EQ(w.remembered_claims(2), 0u);
  // Another provider's claims and invalid ones are not remembered.
  w.on_observed(2, as_tx(drafts[0], 3), TxOutcome::kApplied, 0);
  w.on_observed(2, as_tx(drafts[1], 2), TxOutcome::kInvalid, 0);
  EXPECT_EQ(w.remembered_claims(2), 0u);
  w.on_observed(2, as_tx(drafts[2], 2), TxOutcome::kDenied, 0);
  EXPECT_EQ(w.remembered_claims(2), 1u);
  const Claim original = *decode_claim(drafts[2].payload);
  int duplicates = 0;
  for (int i = 0; i < 100; ++i) {
    const TxDraft d = w.next_tx(2, 1'000, rng);
    if (d.kind != static_cast<std::uint16_t>(Kind::kFraudDuplicateClaim)) continue;
    ++duplicates;
    const Claim c = *decode_claim(d.payload);
    EXPECT_GT(c.claim_seq, original.claim_seq);
    EXPECT_EQ(claim_fingerprint(c), claim_fingerprint(original));
  }
  EXPECT_GT(duplicates, 30);
}

TEST(ClaimsWorkloadTest, InjectedFraudsAreDeniedByTheContractOnTheMerits) {
  const ClaimsConfig config = config_with(kClients, {{"fraud_fraction", "1"}});
  ClaimsWorkload w(config);
  ClaimsContract contract(config.rules());
  MemoryStore state;
  Rng rng = client_rng(5);
  std::map<std::uint16_t, int> denied;
  for (int i = 0; i < 2'000; ++i) {
    const TxDraft d = w.next_tx(5, i * kNsPerMs, rng);
    const Transaction tx = as_tx(d, 5);
    const TxOutcome outcome = contract.apply(state, tx, i * kNsPerMs).outcome;
    ASSERT_EQ(outcome, TxOutcome::kDenied) << kind_name(d.kind) << " draft " << i;
    const Claim c = *decode_claim(d.payload);
    const ClaimRecord rec = *decode_claim_record(*state.get(claim_key(5, c.claim_seq)));
    EXPECT_EQ(rec.reason, d.kind == static_cast<std::uint16_t>(Kind::kFraudDuplicateClaim)
                              ? ClaimReason::kDuplicate
                              : ClaimReason::kUpcoded);
    ++denied[d.kind];
    w.on_observed(5, tx, outcome, i * kNsPerMs);
  }
  EXPECT_GT(denied[static_cast<std::uint16_t>(Kind::kFraudDuplicateClaim)], 800);
  EXPECT_GT(denied[static_cast<std::uint16_t>(Kind::kFraudUpcodedClaim)], 800);
}

}  // namespace
}  // namespace hlsim::claims
