// The mixed workload: kinds renamed and routed, components picked by weight, each component's
// contract confined to its own key space, figures prefixed, and clear errors.
#include "workloads/mix/mix_workload.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "ledger/storage/memory_store.h"
#include "workloads/ycsb/ycsb_payloads.h"

namespace hlsim::mix {
namespace {

WorkloadSetup setup() {
  WorkloadSetup s;
  s.seed = 5;
  s.clients = 6;
  s.validators = 4;
  return s;
}

MixPart part(const std::string& kind, double weight) {
  const WorkloadInfo* info = find_workload(kind);
  EXPECT_NE(info, nullptr) << kind;
  auto values = ParamValues::parse(info->params, {}, "workload." + kind);
  EXPECT_TRUE(values.ok());
  return {kind, weight, values.value()};
}

std::unique_ptr<Workload> make(const std::vector<MixPart>& parts) {
  auto w = make_workload(kMixWorkload, ParamValues{}, parts, setup());
  EXPECT_TRUE(w.ok()) << (w.ok() ? "" : w.error().message);
  return std::move(w.value());
}

// Records the keys a contract touches.
class RecordingStore final : public KvStore {
 public:
  std::optional<std::string> get(std::string_view key) const override {
    keys.insert(std::string(key));
    return inner.get(key);
  }
  void put(std::string_view key, std::string_view value) override {
    keys.insert(std::string(key));
    inner.put(key, value);
  }
  void erase(std::string_view key) override {
    keys.insert(std::string(key));
    inner.erase(key);
  }
  std::uint64_t key_count() const override { return inner.key_count(); }
  std::uint64_t bytes() const override { return inner.bytes(); }
  mutable std::set<std::string> keys;
  MemoryStore inner;
};

TEST(MixWorkloadTest, KindsAreRenamedInComponentOrder) {
  auto w = make({part("ehr", 1), part("ycsb", 1)});
  const auto& names = w->kind_names();
  ASSERT_EQ(names.size(), 4u + 3u);
  EXPECT_EQ(names[0], "ehr/record_write");
  EXPECT_EQ(names[3], "ehr/access_request");
  EXPECT_EQ(names[4], "ycsb/read");
  EXPECT_EQ(names[6], "ycsb/insert");
  auto* mix = dynamic_cast<MixWorkload*>(w.get());
  ASSERT_NE(mix, nullptr);
  EXPECT_EQ(mix->routing().component_of(3), 0);
  EXPECT_EQ(mix->routing().component_of(4), 1);
  EXPECT_EQ(mix->routing().component_of(7), -1);
  Transaction t;
  t.kind = 6;
  EXPECT_EQ(mix->routing().as_component_tx(t, 1).kind, 2);
}

TEST(MixWorkloadTest, ComponentsArePickedByWeightAndDraftsAreDeterministic) {
  auto a = make({part("ehr", 3), part("ycsb", 1)});
  auto b = make({part("ehr", 3), part("ycsb", 1)});
  Rng ra = Rng::stream(1, RngDomain::kClient, 2);
  Rng rb = Rng::stream(1, RngDomain::kClient, 2);
  int ehr = 0;
  const int n = 8000;
  for (int i = 0; i < n; ++i) {
    const TxDraft da = a->next_tx(2, i * kNsPerMs, ra);
    const TxDraft db = b->next_tx(2, i * kNsPerMs, rb);
    ASSERT_EQ(da.kind, db.kind);
    ASSERT_EQ(da.payload, db.payload);
    if (da.kind < 4) ++ehr;
  }
  // 3 : 1, within four standard deviations of a binomial(8000, 0.75).
  EXPECT_NEAR(ehr, 0.75 * n, 4 * std::sqrt(n * 0.75 * 0.25));
}

TEST(MixWorkloadTest, ZeroWeightComponentIsNeverDrafted) {
  auto w = make({part("ehr", 0), part("ycsb", 2)});
  Rng rng = Rng::stream(3, RngDomain::kClient, 0);
  for (int i = 0; i < 500; ++i) EXPECT_GE(w->next_tx(0, i, rng).kind, 4);
}

TEST(MixWorkloadTest, EachContractWorksInItsOwnKeySpace) {
  auto w = make({part("ehr", 1), part("ycsb", 1)});
  auto contract = w->make_contract();
  w.reset();  // the contract must not depend on the workload (hlsim verify keeps only it)
  RecordingStore store;
  Transaction insert;
  insert.kind = 4 + static_cast<std::uint16_t>(ycsb::Kind::kInsert);
  insert.client = 1;
  insert.payload = ycsb::encode(ycsb::Insert{7, Bytes(1000, 0x2A)});
  EXPECT_EQ(contract->apply(store, insert, 0).outcome, TxOutcome::kApplied);
  ASSERT_FALSE(store.keys.empty());
  for (const auto& k : store.keys) EXPECT_EQ(k.rfind("ycsb:", 0), 0u) << k;
  Transaction read = insert;
  read.kind = 4 + static_cast<std::uint16_t>(ycsb::Kind::kRead);
  read.payload = ycsb::encode(ycsb::Read{7});
  EXPECT_EQ(contract->apply(store, read, 0).outcome, TxOutcome::kApplied);
  Transaction unknown = read;
  unknown.kind = 99;
  EXPECT_EQ(contract->apply(store, unknown, 0).outcome, TxOutcome::kInvalid);
}

TEST(MixWorkloadTest, FiguresArePrefixedWithTheirComponent) {
  auto w = make({part("ehr", 1), part("ycsb", 1)});
  auto metrics = w->make_metrics();
  ASSERT_NE(metrics, nullptr);
  std::set<std::string> prefixes;
  for (const auto& f : metrics->figures()) prefixes.insert(f.name.substr(0, f.name.find('.')));
  EXPECT_TRUE(prefixes.count("ehr"));
  for (const auto& p : prefixes) EXPECT_TRUE(p == "ehr" || p == "ycsb") << p;
}

TEST(MixWorkloadTest, BadMixturesAreRejectedNamingTheKey) {
  auto empty = make_workload(kMixWorkload, ParamValues{}, {}, setup());
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("workload.mix"), std::string::npos);
  auto zero = make_workload(kMixWorkload, ParamValues{}, {part("ehr", 0)}, setup());
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().message.find("workload.mix"), std::string::npos);
  auto nested = make_workload(kMixWorkload, ParamValues{}, {{"mix", 1, ParamValues{}}}, setup());
  ASSERT_FALSE(nested.ok());
  EXPECT_NE(nested.error().message.find("cannot contain a mix"), std::string::npos);
}

}  // namespace
}  // namespace hlsim::mix
