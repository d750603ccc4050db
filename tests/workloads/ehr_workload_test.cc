// EhrWorkload generator: sizes, kind mix, determinism, per-client independence, Zipf skew, and a
// stream applied to the contract.
#include "workloads/ehr/ehr_workload.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ledger/crypto/aes_gcm.h"
#include "ledger/crypto/sha256.h"
#include "ledger/storage/memory_store.h"
#include "sim/kernel/params.h"
#include "sim/kernel/rng.h"
#include "workloads/ehr/ehr_params.h"
#include "workloads/ehr/ehr_payloads.h"

namespace hlsim::ehr {
namespace {

constexpr std::uint64_t kSeed = 20240601;

EhrConfig config_with(std::uint32_t clients, const std::map<std::string, std::string>& given = {}) {
  Result<ParamValues> values = ParamValues::parse(ehr_param_specs(), given, "workload");
  EXPECT_TRUE(values.ok()) << values.error().message;
  WorkloadSetup setup;
  setup.seed = kSeed;
  setup.clients = clients;
  setup.validators = 4;
  Result<EhrConfig> config = ehr_config(*values, setup);
  EXPECT_TRUE(config.ok()) << config.error().message;
  return *config;
}

std::vector<Rng> client_rngs(std::uint32_t clients) {
  std::vector<Rng> rngs;
  for (std::uint32_t c = 0; c < clients; ++c) {
    rngs.push_back(Rng::stream(kSeed, RngDomain::kClient, c));
  }
  return rngs;
}

bool same(const TxDraft& a, const TxDraft& b) { return a.kind == b.kind && a.payload == b.payload; }

TEST(EhrWorkloadTest, KindNamesAreTheFourKindsInCodeOrder) {
  EhrWorkload w(config_with(4));
  const std::vector<std::string> expected = {"record_write", "consent_grant", "consent_revoke",
                                             "access_request"};
  EXPECT_EQ(w.kind_names(), expected);
  for (std::uint16_t k = 0; k < kKindCount; ++k) EXPECT_EQ(w.kind_names()[k], kind_name(k));
}

void expect_sizes_near_configured(const EhrConfig& config) {
  EhrWorkload w(config);
  std::vector<Rng> rngs = client_rngs(config.organisations);
  const std::array<double, kKindCount> target = {
      static_cast<double>(config.record_bytes), static_cast<double>(config.consent_bytes),
      static_cast<double>(config.consent_bytes), static_cast<double>(config.access_bytes)};
  std::array<int, kKindCount> seen{};
  for (int i = 0; i < 20'000; ++i) {
    const ClientId c = static_cast<ClientId>(i % config.organisations);
    const TxDraft d = w.next_tx(c, i * kNsPerMs, rngs[c]);
    ASSERT_LT(d.kind, kKindCount);
    ++seen[d.kind];
    const double size = static_cast<double>(d.payload.size());
    EXPECT_NEAR(size, target[d.kind], 0.10 * target[d.kind]) << kind_name(d.kind) << " draft " << i;
  }
  for (std::uint16_t k = 0; k < kKindCount; ++k) EXPECT_GT(seen[k], 0) << kind_name(k);
}

TEST(EhrWorkloadTest, PayloadSizesAreWithinTenPercentOfTheDefaults) {
  expect_sizes_near_configured(config_with(8));
}

TEST(EhrWorkloadTest, PayloadSizesFollowConfiguredBytes) {
  expect_sizes_near_configured(config_with(
      8, {{"record_bytes", "1200"}, {"consent_bytes", "600"}, {"access_bytes", "150"}}));
}

TEST(EhrWorkloadTest, EveryDraftDecodesUnderItsKindAndNamesItsOwnOrganisation) {
  const EhrConfig config = config_with(5);
  EhrWorkload w(config);
  std::vector<Rng> rngs = client_rngs(5);
  for (int i = 0; i < 5'000; ++i) {
    const ClientId c = static_cast<ClientId>(i % 5);
    const TxDraft d = w.next_tx(c, 0, rngs[c]);
    switch (static_cast<Kind>(d.kind)) {
      case Kind::kRecordWrite: {
        const auto p = decode_record_write(d.payload);
        ASSERT_TRUE(p.has_value());
        EXPECT_EQ(p->patient % 5, c);
        EXPECT_LT(p->patient, config.patients);
        break;
      }
      case Kind::kConsentGrant: {
        const auto p = decode_consent_grant(d.payload);
        ASSERT_TRUE(p.has_value());
        EXPECT_EQ(p->patient % 5, c);
        EXPECT_NE(p->grantee, c);
        EXPECT_LT(p->grantee, 5u);
        EXPECT_EQ(p->expiry_ns, config.consent_duration_ns);
        break;
      }
      case Kind::kConsentRevoke: {
        const auto p = decode_consent_revoke(d.payload);
        ASSERT_TRUE(p.has_value());
        EXPECT_EQ(p->patient % 5, c);
        EXPECT_NE(p->grantee, c);
        break;
      }
      case Kind::kAccessRequest: {
        const auto p = decode_access_request(d.payload);
        ASSERT_TRUE(p.has_value());
        EXPECT_EQ(p->requester, c);
        EXPECT_LT(p->patient, config.patients);
        break;
      }
      default:
        FAIL() << "unknown kind " << d.kind;
    }
  }
}

// Counts kinds over `draws` drafts of one client and checks each share against its weight within
// five binomial standard errors.
void expect_mix_matches(const EhrConfig& config, int draws) {
  EhrWorkload w(config);
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 0);
  std::array<int, kKindCount> counts{};
  for (int i = 0; i < draws; ++i) ++counts[w.next_tx(0, i * kNsPerMs, rng).kind];

  double total = 0;
  for (double m : config.mix) total += m;
  for (std::uint16_t k = 0; k < kKindCount; ++k) {
    const double p = config.mix[k] / total;
    const double expected = p * draws;
    const double se = std::sqrt(draws * p * (1 - p));
    if (p == 0) {
      EXPECT_EQ(counts[k], 0) << kind_name(k);
    } else {
      EXPECT_NEAR(counts[k], expected, 5 * se + 1) << kind_name(k);
    }
  }
}

TEST(EhrWorkloadTest, KindMixOverOneHundredThousandDrawsMatchesTheDefaultWeights) {
  expect_mix_matches(config_with(4), 100'000);
}

TEST(EhrWorkloadTest, KindMixMatchesCustomWeightsAndNeverDrawsAZeroWeightKind) {
  expect_mix_matches(config_with(4, {{"mix_record_write", "3"},
                                     {"mix_consent_grant", "1"},
                                     {"mix_consent_revoke", "0"},
                                     {"mix_access_request", "6"}}),
                     100'000);
}

TEST(EhrWorkloadTest, RevokeWithNothingToRevokeDraftsAGrantInstead) {
  EhrWorkload w(config_with(4, {{"mix_record_write", "0"},
                                {"mix_consent_grant", "0"},
                                {"mix_consent_revoke", "1"},
                                {"mix_access_request", "0"}}));
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 0);
  // Alternates: nothing remembered -> grant; then that grant is revoked and forgotten.
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(w.next_tx(0, 0, rng).kind, static_cast<std::uint16_t>(Kind::kConsentGrant));
    EXPECT_EQ(w.remembered_grants(0), 1u);
    EXPECT_EQ(w.next_tx(0, 0, rng).kind, static_cast<std::uint16_t>(Kind::kConsentRevoke));
    EXPECT_EQ(w.remembered_grants(0), 0u);
  }
}

TEST(EhrWorkloadTest, TheSameSeedGivesIdenticalDrafts) {
  const EhrConfig config = config_with(6);
  EhrWorkload a(config);
  EhrWorkload b(config);
  std::vector<Rng> ra = client_rngs(6);
  std::vector<Rng> rb = client_rngs(6);
  int differing_from_previous = 0;
  TxDraft previous;
  for (int i = 0; i < 3'000; ++i) {
    const ClientId c = static_cast<ClientId>((i * 7) % 6);
    const TxDraft da = a.next_tx(c, i * kNsPerMs, ra[c]);
    const TxDraft db = b.next_tx(c, i * kNsPerMs, rb[c]);
    ASSERT_TRUE(same(da, db)) << "draft " << i;
    if (!same(da, previous)) ++differing_from_previous;
    previous = da;
  }
  EXPECT_EQ(differing_from_previous, 3'000);  // and the drafts are not all alike
}

TEST(EhrWorkloadTest, AClientsDraftsDependOnlyOnItsOwnStreamNotOnInterleaving) {
  constexpr std::uint32_t kClients = 5;
  constexpr int kPerClient = 2'000;
  const EhrConfig config = config_with(kClients);

  // Round robin.
  EhrWorkload a(config);
  std::vector<Rng> ra = client_rngs(kClients);
  std::vector<std::vector<TxDraft>> seq_a(kClients);
  for (int i = 0; i < kPerClient; ++i) {
    for (ClientId c = 0; c < kClients; ++c) {
      seq_a[c].push_back(a.next_tx(c, i * kNsPerMs, ra[c]));
    }
  }

  // A random interleaving (drawn from a stream no client uses), with the same per-client times.
  EhrWorkload b(config);
  std::vector<Rng> rb = client_rngs(kClients);
  std::vector<std::vector<TxDraft>> seq_b(kClients);
  Rng order = Rng::stream(kSeed, RngDomain::kScenario, 0);
  std::vector<ClientId> remaining;
  for (ClientId c = 0; c < kClients; ++c) {
    for (int i = 0; i < kPerClient; ++i) remaining.push_back(c);
  }
  while (!remaining.empty()) {
    const std::size_t pick = static_cast<std::size_t>(order.next_below(remaining.size()));
    const ClientId c = remaining[pick];
    remaining[pick] = remaining.back();
    remaining.pop_back();
    const TimeNs t = static_cast<TimeNs>(seq_b[c].size()) * kNsPerMs;
    seq_b[c].push_back(b.next_tx(c, t, rb[c]));
  }

  for (ClientId c = 0; c < kClients; ++c) {
    ASSERT_EQ(seq_a[c].size(), seq_b[c].size());
    for (std::size_t i = 0; i < seq_a[c].size(); ++i) {
      ASSERT_TRUE(same(seq_a[c][i], seq_b[c][i])) << "client " << c << " draft " << i;
    }
  }
}

TEST(EhrWorkloadTest, HotPatientsAreRequestedFarMoreOftenThanTheMedianPatient) {
  // Unbiased requests only, so patients are drawn from the whole population's Zipf.
  const EhrConfig config = config_with(4, {{"mix_record_write", "0"},
                                           {"mix_consent_grant", "0"},
                                           {"mix_consent_revoke", "0"},
                                           {"mix_access_request", "1"},
                                           {"consented_access_fraction", "0"}});
  EhrWorkload w(config);
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 0);
  std::vector<int> counts(config.patients, 0);
  for (int i = 0; i < 100'000; ++i) {
    const auto p = decode_access_request(w.next_tx(0, 0, rng).payload);
    ASSERT_TRUE(p.has_value());
    ++counts[p->patient];
  }
  const auto hottest = std::max_element(counts.begin(), counts.end());
  EXPECT_EQ(hottest - counts.begin(), 0);  // rank 0 is patient 0
  std::vector<int> sorted = counts;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2),
                   sorted.end());
  const int median = sorted[sorted.size() / 2];
  EXPECT_GT(*hottest, 20 * std::max(median, 1)) << "hottest " << *hottest << " median " << median;
}

TEST(EhrWorkloadTest, ZipfExponentZeroSpreadsRequestsEvenly) {
  const EhrConfig config = config_with(4, {{"patients", "100"},
                                           {"zipf_s", "0"},
                                           {"mix_record_write", "0"},
                                           {"mix_consent_grant", "0"},
                                           {"mix_consent_revoke", "0"},
                                           {"consented_access_fraction", "0"}});
  EhrWorkload w(config);
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 1);
  std::vector<int> counts(config.patients, 0);
  for (int i = 0; i < 100'000; ++i) {
    ++counts[decode_access_request(w.next_tx(1, 0, rng).payload)->patient];
  }
  const auto [lo, hi] = std::minmax_element(counts.begin(), counts.end());
  // 1,000 expected per patient, standard error about 31.
  EXPECT_GT(*lo, 800);
  EXPECT_LT(*hi, 1200);
}

TEST(EhrWorkloadTest, DefaultStreamAppliedInOrderGivesBothAppliedAndDeniedAccess) {
  constexpr std::uint32_t kClients = 8;
  const EhrConfig config = config_with(kClients);
  EhrWorkload w(config);
  std::unique_ptr<Contract> contract = w.make_contract();
  MemoryStore state;
  std::vector<Rng> rngs = client_rngs(kClients);
  std::vector<std::uint64_t> nonces(kClients, 0);
  Rng arrivals = Rng::stream(kSeed, RngDomain::kScenario, 1);

  std::array<std::array<int, 3>, kKindCount> outcomes{};  // [kind][outcome]
  TimeNs now = 0;
  for (int i = 0; i < 50'000; ++i) {
    now += 1 + static_cast<TimeNs>(arrivals.next_below(2 * kNsPerMs));
    const ClientId c = static_cast<ClientId>(arrivals.next_below(kClients));
    TxDraft d = w.next_tx(c, now, rngs[c]);
    Transaction tx;
    tx.kind = d.kind;
    tx.client = c;
    tx.nonce = nonces[c]++;
    tx.submit_ns = now;
    tx.payload = std::move(d.payload);
    const ApplyResult r = contract->apply(state, tx, now + 50 * kNsPerMs);
    ++outcomes[tx.kind][static_cast<int>(r.outcome)];
  }

  const auto& acc = outcomes[static_cast<int>(Kind::kAccessRequest)];
  const int access_total = acc[0] + acc[1] + acc[2];
  const int applied = acc[static_cast<int>(TxOutcome::kApplied)];
  const int denied = acc[static_cast<int>(TxOutcome::kDenied)];
  ASSERT_GT(access_total, 0);
  EXPECT_GT(applied, access_total / 20) << "applied " << applied << " of " << access_total;
  EXPECT_GT(denied, access_total / 20) << "denied " << denied << " of " << access_total;
  // Generator and contract agree on every rule: an in-order stream has no invalid transaction.
  for (std::uint16_t k = 0; k < kKindCount; ++k) {
    EXPECT_EQ(outcomes[k][static_cast<int>(TxOutcome::kInvalid)], 0) << kind_name(k);
    EXPECT_GT(outcomes[k][static_cast<int>(TxOutcome::kApplied)], 0) << kind_name(k);
  }
  EXPECT_GT(state.key_count(), 0u);
}

TEST(EhrWorkloadTest, NextTxForAClientThatIsNoOrganisationThrows) {
  EhrWorkload w(config_with(3));
  Rng rng(1);
  EXPECT_THROW(w.next_tx(3, 0, rng), std::out_of_range);
}

// Off-chain documents: a record_write uploads a real AES-256-GCM document whose SHA-256 is the
// content hash on the ledger, and the pointer derived from the committed transaction opens it.
TEST(EhrWorkloadTest, RecordWritesCarryASealedDocumentTheirPointerOpens) {
  EhrWorkload w(config_with(4, {{"mix_consent_grant", "0"},
                                {"mix_consent_revoke", "0"},
                                {"mix_access_request", "0"},
                                {"document_bytes", "5000"}}));
  std::vector<Rng> rngs = client_rngs(4);
  for (int i = 0; i < 20; ++i) {
    const ClientId c = static_cast<ClientId>(i % 4);
    const TxDraft d = w.next_tx(c, i * kNsPerMs, rngs[c]);
    ASSERT_EQ(d.kind, static_cast<std::uint16_t>(Kind::kRecordWrite));
    ASSERT_NE(d.document, nullptr);
    EXPECT_EQ(d.document->size(), 5000u + kAeadTagBytes);
    const std::optional<RecordWrite> p = decode_record_write(d.payload);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->content_hash, sha256(*d.document));
    Transaction tx;
    tx.kind = d.kind;
    tx.payload = d.payload;
    const std::optional<OffchainPointer> ptr = w.offchain_pointer(tx);
    ASSERT_TRUE(ptr.has_value());
    EXPECT_EQ(ptr->subject, p->patient);
    EXPECT_EQ(ptr->digest, p->content_hash);
    const std::optional<Bytes> plain =
        aes256gcm_open(ptr->key, ptr->nonce, as_bytes(ptr->aad), *d.document);
    ASSERT_TRUE(plain.has_value());
    const std::string head(plain->begin(), plain->begin() + 100);
    EXPECT_NE(head.find("Patient/" + std::to_string(p->patient)), std::string::npos) << head;
    // Another record's key does not open it.
    Bytes tampered = *d.document;
    tampered[100] ^= 1;
    EXPECT_FALSE(aes256gcm_open(ptr->key, ptr->nonce, as_bytes(ptr->aad), tampered).has_value());
    EXPECT_FALSE(w.offchain_read(tx).has_value());
  }
}

TEST(EhrWorkloadTest, AccessRequestsNameTheSubjectToReadAndZeroBytesTurnsDocumentsOff) {
  EhrWorkload w(config_with(
      4, {{"mix_record_write", "0"}, {"mix_consent_grant", "0"}, {"mix_consent_revoke", "0"}}));
  std::vector<Rng> rngs = client_rngs(4);
  const TxDraft d = w.next_tx(1, 0, rngs[1]);
  Transaction tx;
  tx.kind = d.kind;
  tx.payload = d.payload;
  EXPECT_EQ(w.offchain_read(tx), decode_access_request(d.payload)->patient);
  EXPECT_EQ(d.document, nullptr);

  EhrWorkload off(config_with(4, {{"document_bytes", "0"}}));
  std::vector<Rng> rngs2 = client_rngs(4);
  for (int i = 0; i < 50; ++i) {
    const TxDraft e = off.next_tx(static_cast<ClientId>(i % 4), i, rngs2[i % 4]);
    EXPECT_EQ(e.document, nullptr);
    Transaction t;
    t.kind = e.kind;
    t.payload = e.payload;
    EXPECT_FALSE(off.offchain_pointer(t).has_value());
    EXPECT_FALSE(off.offchain_read(t).has_value());
  }
}

}  // namespace
}  // namespace hlsim::ehr
