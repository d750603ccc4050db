#include "ledger/eov/mvcc.h"

#include <gtest/gtest.h>

#include <map>

#include "ledger/eov/rwset_recorder.h"
#include "sim/kernel/rng.h"

namespace hlsim {
namespace {

std::vector<ValidationCode> run(VersionedState& st, Height h, const std::vector<RwSet>& txs,
                                std::vector<ValidationCode> codes = {}) {
  if (codes.empty()) codes.assign(txs.size(), ValidationCode::kValid);
  std::vector<const RwSet*> ptrs;
  for (const auto& t : txs) ptrs.push_back(&t);
  return validate_and_commit(st, h, ptrs, std::move(codes));
}

TEST(MvccTest, AReadOfAKeyWrittenSinceEndorsementConflicts) {
  VersionedState st;
  st.apply({{"k", std::string("v1")}}, Version{1, 0});
  RwSetRecorder rec(st);
  (void)rec.get("k");
  rec.put("k", "v2");
  const RwSet stale = rec.take();
  st.apply({{"k", std::string("other")}}, Version{2, 0});
  EXPECT_EQ(run(st, 3, {stale}), std::vector{ValidationCode::kMvccReadConflict});
  EXPECT_EQ(st.find("k")->value, "other");
}

TEST(MvccTest, AnEarlierValidTransactionOfTheSameBlockInvalidatesALaterRead) {
  VersionedState st;
  st.apply({{"k", std::string("0")}}, Version{1, 0});
  RwSetRecorder rec(st);
  (void)rec.get("k");
  rec.put("k", "a");
  const RwSet t1 = rec.take();
  (void)rec.get("k");
  rec.put("k", "b");
  const RwSet t2 = rec.take();
  EXPECT_EQ(run(st, 2, {t1, t2}),
            (std::vector{ValidationCode::kValid, ValidationCode::kMvccReadConflict}));
  EXPECT_EQ(st.find("k")->value, "a");
  EXPECT_EQ(st.version("k"), (Version{2, 0}));
}

TEST(MvccTest, BlindWritesNeverConflictAndAnInvalidTransactionWritesNothing) {
  VersionedState st;
  RwSet w1;
  w1.writes = {{"k", std::string("x")}};
  RwSet w2;
  w2.writes = {{"k", std::string("y")}};
  RwSet w3;
  w3.writes = {{"j", std::string("z")}};
  EXPECT_EQ(run(st, 1, {w1, w2, w3},
                {ValidationCode::kValid, ValidationCode::kValid,
                 ValidationCode::kEndorsementPolicyFailure}),
            (std::vector{ValidationCode::kValid, ValidationCode::kValid,
                         ValidationCode::kEndorsementPolicyFailure}));
  EXPECT_EQ(st.find("k")->value, "y");
  EXPECT_EQ(st.find("j"), nullptr);
}

TEST(MvccTest, AReadOfAnAbsentKeyConflictsOnceTheKeyIsCreated) {
  VersionedState st;
  RwSetRecorder rec(st);
  EXPECT_EQ(rec.get("k"), std::nullopt);
  rec.put("j", "1");
  const RwSet phantom = rec.take();
  st.apply({{"k", std::string("now")}}, Version{1, 0});
  EXPECT_EQ(run(st, 2, {phantom}), std::vector{ValidationCode::kMvccReadConflict});
}

// The oracle: many random schedules in which transactions are endorsed against a snapshot a few
// blocks old and validated later. A naive model that knows nothing of versions replays every valid
// write in order and keeps, per existing key, its value and the position (block, index) of the
// write that set it, with a copy after every block. A transaction must conflict exactly when a key
// it read is not, at its place in the block order, what it was in its snapshot: created, deleted,
// or set again. (As in Fabric, a key deleted back to absence looks unchanged to a read of its
// absence: versions belong to existing keys only.)
TEST(MvccTest, ConflictsMatchANaiveOracleOverRandomSchedules) {
  constexpr int kSchedules = 200;
  constexpr int kKeys = 6;
  using Naive = std::map<std::string, std::pair<std::string, std::uint64_t>>;
  std::uint64_t conflicts = 0;
  std::uint64_t valid = 0;
  for (int schedule = 0; schedule < kSchedules; ++schedule) {
    Rng rng(1000 + static_cast<std::uint64_t>(schedule));
    VersionedState state;
    std::vector<VersionedState> history{state};  // history[h]: state after block h
    Naive naive;
    std::vector<Naive> naive_history{naive};
    const int blocks = 5 + static_cast<int>(rng.next_below(40));
    for (Height h = 1; h <= static_cast<Height>(blocks); ++h) {
      const int n = 1 + static_cast<int>(rng.next_below(6));
      std::vector<RwSet> txs;
      std::vector<Height> snapshot;
      std::vector<ValidationCode> codes;
      for (int i = 0; i < n; ++i) {
        const Height lag = rng.next_below(std::min<Height>(h, 4));
        const Height s = h - 1 - lag;
        RwSetRecorder rec(history[s]);
        const int ops = 1 + static_cast<int>(rng.next_below(4));
        for (int op = 0; op < ops; ++op) {
          const std::string key = "k" + std::to_string(rng.next_below(kKeys));
          switch (rng.next_below(3)) {
            case 0:
              (void)rec.get(key);
              break;
            case 1:
              rec.put(key, std::to_string(rng.next_below(1000)));
              break;
            default:
              if (rng.next_below(4) == 0) {
                rec.erase(key);
              } else {
                (void)rec.get(key);
              }
          }
        }
        txs.push_back(rec.take());
        snapshot.push_back(s);
        codes.push_back(rng.next_below(10) == 0 ? ValidationCode::kEndorsementPolicyFailure
                                                : ValidationCode::kValid);
      }
      const auto got = run(state, h, txs, codes);
      for (int i = 0; i < n; ++i) {
        ValidationCode expect = codes[i];
        if (expect == ValidationCode::kValid) {
          const Naive& then = naive_history[snapshot[i]];
          for (const KvRead& r : txs[i].reads) {
            const auto a = then.find(r.key);
            const auto b = naive.find(r.key);
            const bool same = (a == then.end() && b == naive.end()) ||
                              (a != then.end() && b != naive.end() && a->second == b->second);
            if (!same) expect = ValidationCode::kMvccReadConflict;
          }
        }
        ASSERT_EQ(got[i], expect) << "schedule " << schedule << " block " << h << " tx " << i;
        if (expect != ValidationCode::kValid) {
          conflicts += expect == ValidationCode::kMvccReadConflict ? 1 : 0;
          continue;
        }
        ++valid;
        const std::uint64_t pos = h * 1000 + static_cast<std::uint64_t>(i);
        for (const KvWrite& w : txs[i].writes) {
          if (w.value) {
            naive[w.key] = {*w.value, pos};
          } else {
            naive.erase(w.key);
          }
        }
      }
      history.push_back(state);
      naive_history.push_back(naive);
      // The validator's state equals the naive replay.
      ASSERT_EQ(state.key_count(), naive.size());
      for (const auto& [k, v] : naive) ASSERT_EQ(state.find(k)->value, v.first);
    }
  }
  // The schedules exercise both outcomes plenty.
  EXPECT_GT(conflicts, 500u);
  EXPECT_GT(valid, 500u);
}

}  // namespace
}  // namespace hlsim
