// YcsbWorkload generator: the load phase, the A/B/C mixes, Zipf(0.99) key popularity, record
// sizes, determinism; a stream applied through the contract; the metrics and parameters.
#include "workloads/ycsb/ycsb_workload.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "workloads/ycsb/ycsb_metrics.h"
#include "workloads/ycsb/ycsb_params.h"
#include "workloads/ycsb/ycsb_payloads.h"

namespace hlsim::ycsb {
namespace {

constexpr std::uint64_t kSeed = 2010;

Result<YcsbConfig> try_config(std::uint32_t clients,
                              const std::map<std::string, std::string>& given) {
  Result<ParamValues> values = ParamValues::parse(ycsb_param_specs(), given, "workload");
  if (!values) return values.error();
  WorkloadSetup setup;
  setup.seed = kSeed;
  setup.clients = clients;
  return ycsb_config(*values, setup);
}

YcsbConfig config_with(std::uint32_t clients,
                       const std::map<std::string, std::string>& given = {}) {
  Result<YcsbConfig> c = try_config(clients, given);
  EXPECT_TRUE(c.ok()) << c.error().message;
  return *c;
}

double figure(const WorkloadMetrics& m, const std::string& name) {
  for (const WorkloadFigure& f : m.figures()) {
    if (f.name == name) return f.value;
  }
  return std::nan("");
}

TEST(YcsbWorkloadTest, DefaultsAreWorkloadA) {
  const YcsbConfig c = config_with(4);
  EXPECT_EQ(c.records, 1000u);
  EXPECT_EQ(c.field_count, 10u);
  EXPECT_EQ(c.field_bytes, 100u);
  EXPECT_DOUBLE_EQ(c.read_proportion, 0.5);
  EXPECT_TRUE(c.zipfian);
  EXPECT_DOUBLE_EQ(c.zipf_constant, 0.99);
  EXPECT_TRUE(c.load);
  EXPECT_FALSE(c.write_all_fields);
  EXPECT_DOUBLE_EQ(config_with(4, {{"mix", "b"}}).read_proportion, 0.95);
  EXPECT_DOUBLE_EQ(config_with(4, {{"mix", "c"}}).read_proportion, 1.0);
  EXPECT_DOUBLE_EQ(config_with(4, {{"mix", "c"}, {"read_proportion", "0.8"}}).read_proportion, 0.8);
}

TEST(YcsbWorkloadTest, EachClientFirstInsertsItsOwnKeyRangeOfOneKilobyteRecords) {
  YcsbWorkload w(config_with(3));
  std::set<std::uint64_t> inserted;
  for (ClientId c = 0; c < 3; ++c) {
    Rng rng = Rng::stream(kSeed, RngDomain::kClient, c);
    for (std::uint64_t k = w.load_first(c); k < w.load_end(c); ++k) {
      const TxDraft d = w.next_tx(c, 0, rng);
      ASSERT_EQ(d.kind, static_cast<std::uint16_t>(Kind::kInsert));
      const auto p = decode_insert(d.payload);
      ASSERT_TRUE(p.has_value());
      EXPECT_EQ(p->key, k);
      EXPECT_EQ(p->record.size(), 1000u);
      inserted.insert(p->key);
    }
    EXPECT_NE(w.next_tx(c, 0, rng).kind, static_cast<std::uint16_t>(Kind::kInsert));
  }
  EXPECT_EQ(inserted.size(), 1000u);  // 333 + 333 + 334, every record exactly once
  EXPECT_EQ(*inserted.rbegin(), 999u);
}

TEST(YcsbWorkloadTest, WithoutALoadPhaseTheRunMixStartsAtOnce) {
  YcsbWorkload w(config_with(2, {{"load", "false"}, {"mix", "b"}}));
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 0);
  int reads = 0;
  constexpr int kDraws = 40'000;
  for (int i = 0; i < kDraws; ++i) {
    const TxDraft d = w.next_tx(0, 0, rng);
    ASSERT_NE(d.kind, static_cast<std::uint16_t>(Kind::kInsert));
    if (d.kind == static_cast<std::uint16_t>(Kind::kRead)) ++reads;
  }
  EXPECT_NEAR(reads, 0.95 * kDraws, 5 * std::sqrt(kDraws * 0.95 * 0.05));
}

TEST(YcsbWorkloadTest, UpdatesCarryOneFieldOrTheWholeRecord) {
  YcsbWorkload one(config_with(1, {{"load", "false"}, {"read_proportion", "0"}}));
  YcsbWorkload all(
      config_with(1, {{"load", "false"}, {"read_proportion", "0"}, {"write_all_fields", "true"}}));
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 0);
  std::set<int> fields;
  for (int i = 0; i < 1'000; ++i) {
    const auto p = decode_update(one.next_tx(0, 0, rng).payload);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->value.size(), 100u);
    fields.insert(p->field);
    const auto q = decode_update(all.next_tx(0, 0, rng).payload);
    EXPECT_EQ(q->field, kAllFields);
    EXPECT_EQ(q->value.size(), 1000u);
  }
  EXPECT_EQ(fields.size(), 10u);
  EXPECT_EQ(*fields.rbegin(), 9);
}

TEST(YcsbWorkloadTest, KeyPopularityIsZipfWithTheHottestKeysScattered) {
  YcsbWorkload w(config_with(1, {{"load", "false"}, {"mix", "c"}}));
  // The rank permutation is a bijection.
  std::set<std::uint64_t> keys;
  for (std::uint64_t r = 0; r < 1000; ++r) keys.insert(w.key_of_rank(r));
  EXPECT_EQ(keys.size(), 1000u);
  Rng rng = Rng::stream(kSeed, RngDomain::kClient, 0);
  std::vector<int> counts(1000, 0);
  constexpr int kDraws = 200'000;
  for (int i = 0; i < kDraws; ++i) ++counts[decode_read(w.next_tx(0, 0, rng).payload)->key];
  // Zipf(0.99) over 1,000 keys: the hottest takes 1 / H(1000, 0.99) ~ 13.3% of the reads, and
  // rank 1 about half of that.
  const int hottest = counts[w.key_of_rank(0)];
  EXPECT_NEAR(hottest / static_cast<double>(kDraws), 0.133, 0.01);
  EXPECT_NEAR(counts[w.key_of_rank(1)] / static_cast<double>(hottest), std::pow(0.5, 0.99), 0.05);
  EXPECT_EQ(*std::max_element(counts.begin(), counts.end()), hottest);
  EXPECT_NE(w.key_of_rank(1), w.key_of_rank(0) + 1);  // not user0, user1, ...
}

TEST(YcsbWorkloadTest, TheSameStreamGivesTheSameDraftsAndClientsStayIndependent) {
  const YcsbConfig c = config_with(2);
  YcsbWorkload a(c);
  YcsbWorkload b(c);
  Rng a0 = Rng::stream(kSeed, RngDomain::kClient, 0);
  Rng b0 = Rng::stream(kSeed, RngDomain::kClient, 0);
  Rng b1 = Rng::stream(kSeed, RngDomain::kClient, 1);
  for (int i = 0; i < 2'000; ++i) {
    b.next_tx(1, 0, b1);  // client 1 loading and running changes nothing for client 0
    const TxDraft x = a.next_tx(0, 0, a0);
    const TxDraft y = b.next_tx(0, 0, b0);
    ASSERT_EQ(x.kind, y.kind);
    ASSERT_EQ(x.payload, y.payload);
  }
}

TEST(YcsbWorkloadTest, AStreamThroughTheContractHitsOnceLoadedAndTheMetricsCountIt) {
  constexpr std::uint32_t kClients = 4;
  YcsbWorkload w(config_with(kClients));
  std::unique_ptr<Contract> contract = w.make_contract();
  std::unique_ptr<WorkloadMetrics> metrics = w.make_metrics();
  MemoryStore state;
  std::vector<Rng> rngs;
  for (ClientId c = 0; c < kClients; ++c) rngs.push_back(Rng::stream(kSeed, RngDomain::kClient, c));
  // Client 3 starts late: until it has loaded, reads of its keys miss.
  for (int i = 0; i < 8'000; ++i) {
    const ClientId c = static_cast<ClientId>(i % kClients);
    if (c == 3 && i < 2'000) continue;
    TxDraft d = w.next_tx(c, 0, rngs[c]);
    Transaction tx;
    tx.kind = d.kind;
    tx.client = c;
    tx.payload = std::move(d.payload);
    const TxOutcome o = contract->apply(state, tx, i * kNsPerMs).outcome;
    ASSERT_NE(o, TxOutcome::kInvalid);
    metrics->on_commit(tx, o, i * kNsPerMs);
  }
  EXPECT_EQ(figure(*metrics, "inserts"), 1000);
  EXPECT_EQ(figure(*metrics, "insert_duplicates"), 0);
  EXPECT_GT(figure(*metrics, "read_misses"), 0);
  EXPECT_GT(figure(*metrics, "update_misses"), 0);
  EXPECT_GT(figure(*metrics, "read_hit_ratio"), 80);
  EXPECT_GT(figure(*metrics, "load_complete_ms"), 2'000);
  EXPECT_EQ(state.key_count(), 1000u);
}

TEST(YcsbMetricsTest, FiguresOfAHandMadeSequence) {
  YcsbMetrics m(2);
  const auto commit = [&](Kind k, TxOutcome o, TimeNs at_ns) {
    Transaction tx;
    tx.kind = static_cast<std::uint16_t>(k);
    m.on_commit(tx, o, at_ns);
  };
  commit(Kind::kRead, TxOutcome::kDenied, 1 * kNsPerMs);
  commit(Kind::kInsert, TxOutcome::kApplied, 2 * kNsPerMs);
  commit(Kind::kUpdate, TxOutcome::kDenied, 3 * kNsPerMs);
  commit(Kind::kInsert, TxOutcome::kApplied, 4 * kNsPerMs);  // the load is complete
  commit(Kind::kInsert, TxOutcome::kDenied, 5 * kNsPerMs);
  commit(Kind::kRead, TxOutcome::kApplied, 6 * kNsPerMs);
  commit(Kind::kRead, TxOutcome::kApplied, 7 * kNsPerMs);
  commit(Kind::kRead, TxOutcome::kApplied, 8 * kNsPerMs);
  commit(Kind::kUpdate, TxOutcome::kApplied, 9 * kNsPerMs);
  commit(Kind::kRead, TxOutcome::kInvalid, 10 * kNsPerMs);  // not counted
  EXPECT_EQ(figure(m, "read_hits"), 3);
  EXPECT_EQ(figure(m, "read_misses"), 1);
  EXPECT_DOUBLE_EQ(figure(m, "read_hit_ratio"), 75);
  EXPECT_EQ(figure(m, "updates"), 1);
  EXPECT_EQ(figure(m, "update_misses"), 1);
  EXPECT_EQ(figure(m, "inserts"), 2);
  EXPECT_EQ(figure(m, "insert_duplicates"), 1);
  EXPECT_DOUBLE_EQ(figure(m, "load_complete_ms"), 4);
  EXPECT_EQ(figure(YcsbMetrics(0), "load_complete_ms"), 0);
}

TEST(YcsbParamsTest, BadValuesAreRejectedByKey) {
  const auto error = [](const std::map<std::string, std::string>& given) {
    const Result<YcsbConfig> c = try_config(2, given);
    return c.ok() ? std::string() : c.error().message;
  };
  EXPECT_EQ(error({{"read_proportion", "-0.5"}}).rfind("workload.read_proportion:", 0), 0u);
  EXPECT_EQ(error({{"read_proportion", "1.5"}}).rfind("workload.read_proportion:", 0), 0u);
  EXPECT_EQ(error({{"mix", "f"}}).rfind("workload.mix:", 0), 0u);
  EXPECT_EQ(error({{"records", "0"}}).rfind("workload.records:", 0), 0u);
  EXPECT_EQ(error({{"field_count", "255"}}).rfind("workload.field_count:", 0), 0u);
  EXPECT_EQ(
      error({{"field_count", "200"}, {"field_bytes", "1000000"}}).rfind("workload.field_bytes:", 0),
      0u);
  EXPECT_EQ(error({{"request_distribution", "latest"}}).rfind("workload.request_distribution:", 0),
            0u);
  EXPECT_EQ(error({}), "");
}

TEST(YcsbParamsTest, TheRegistryBuildsTheWorkloadAndNeedsAClient) {
  const WorkloadInfo* info = find_workload("ycsb");
  ASSERT_NE(info, nullptr);
  const Result<ParamValues> v = ParamValues::parse(info->params, {}, "workload");
  ASSERT_TRUE(v.ok());
  WorkloadSetup setup;
  setup.clients = 4;
  Result<std::unique_ptr<Workload>> w = info->make(*v, setup);
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ((*w)->kind_names(), (std::vector<std::string>{"read", "update", "insert"}));
  EXPECT_NE((*w)->make_metrics(), nullptr);
  setup.clients = 0;
  w = info->make(*v, setup);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().message.rfind("workload.clients:", 0), 0u);
}

TEST(YcsbWorkloadTest, NextTxForAnUnknownClientThrows) {
  YcsbWorkload w(config_with(2));
  Rng rng(1);
  EXPECT_THROW(w.next_tx(2, 0, rng), std::out_of_range);
}

}  // namespace
}  // namespace hlsim::ycsb
